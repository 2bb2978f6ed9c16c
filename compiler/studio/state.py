"""What the review studio knows: the collection as the book sees it now, and how a correction
made in the page becomes a change to the collection file.

Every correction goes the same way (`Studio.apply`): the file on disk is compared with the
version the page was made from (a file edited meanwhile is reloaded, never overwritten), the
change is made to a round-trip copy of its text, that text is loaded exactly as the CLI loads a
collection (so a value it refuses gives the CLI's one-line error and nothing is written), and
only then is it written, atomically.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import Session, WorkCache
from ..collection.audit import article_label
from ..collection.loading import Collection, load_collection
from ..collection.manifest import ArticleEntry, Manifest, load_manifest
from ..errors import AnthologyError, InputError
from ..model import Article
from ..pipeline import write_file
from . import manifest_edit
from .blocks import SourceBlock, normalised, source_blocks
from .incremental import corrected, finished
from .loading import Loader
from .views import ArticleState, Pending, article_states, provisional_state

if TYPE_CHECKING:
    from .incremental import Finished
    from .loading import Loader


class Stale(Exception):
    """The collection file changed on disk since the page was made: the page must reload."""


class Refused(Exception):
    """A correction the collection would not accept; `lines` are the CLI's error lines."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines


FIRST_PAGE_WAIT = 2.0  # seconds the whole load waits for the first page to be served


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Loaded:
    text: str
    version: str
    collection: Collection
    finished: Finished | None = None  # its articles before the site repeats, once a correction needed them

    @cached_property
    def states(self) -> list[ArticleState]:
        return article_states(self.collection)


class Studio:
    """One collection open in the studio; every method is safe to call from any request.

    Until every article is read (compiler/studio/loading.py), an article is shown as normalised
    alone, `provisional`; `loaded` is the whole collection as the CLI loads it, once it can be.
    """

    def __init__(self, manifest_path: Path) -> None:
        self.path = manifest_path  # as given: errors name it as the CLI run from here would
        self.root = manifest_path.resolve().parent
        self.session = Session()  # articles and duplicate counts kept between reloads, as --watch keeps them
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)  # an article read, the collection loaded
        self.text = self._read()
        self.version = version_of(self.text)
        self.manifest = load_manifest(self.path, self.text)  # a broken file stops the command, as the CLI's
        self.cache = WorkCache.for_collection(self.manifest.root)
        self.read: dict[Path, Article | InputError] = {}  # each file normalised alone, as it is read
        self.loaded: Loaded | None = None  # the whole collection, for self.text
        self.problems: list[str] = []  # why the whole collection cannot be loaded
        self.wanted: list[Path] = []  # articles a page waits for: read first
        self.sequence = 0  # counts changes the page's list follows
        self.row_changed: dict[int, int] = {}  # article number: the sequence of its row's last change
        self._provisional: dict[int, ArticleState | Pending] = {}
        self.loader: Loader | None = None
        self.all_in = False  # the loader has read every article (and tried the whole collection)
        self.page_served = threading.Event()  # the first page is out: the whole load may take the processor

    def _read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            load_manifest(self.path)  # raises the CLI's own error for it (not found, a folder, unreadable)
            raise

    def _load(self, text: str, manifest: Manifest | None = None) -> Loaded:
        manifest = manifest or load_manifest(self.path, text)
        collection = load_collection(manifest, cache=self.cache, session=self.session)
        return Loaded(text, version_of(text), collection)

    def _load_one(self, text: str, manifest: Manifest, number: int) -> Loaded | None:
        """The collection after a change to entry `number` alone, the rest reused (incremental.py);
        None when that cannot be done."""
        before = self.loaded
        if before is None:
            return None
        if before.finished is None:
            before.finished = finished(before.collection, self.session, self.cache)
            if before.finished is None:
                return None
        made = corrected(before.collection, before.finished, manifest, number, self.session, self.cache)
        if made is None:
            return None
        collection, done = made
        return Loaded(text, version_of(text), collection, done)

    # ---- loading ------------------------------------------------------------------------

    def start_loading(self) -> None:
        self.loader = Loader(self)
        self.loader.start()

    def stop_loading(self) -> None:
        if self.loader is not None:
            self.loader.stop()

    @property
    def complete(self) -> bool:
        """Every article read and the collection loaded (or known not to load: `problems`)."""
        return self.loader is None or self.all_in

    def arrived(self, path: Path, outcome: Article | InputError) -> None:
        """From the loader: one more file normalised (or found unusable)."""
        with self.changed:
            self.read[path] = outcome
            numbers = [n for n, entry in enumerate(self.manifest.entries, start=1)
                       if entry.url is None and self.manifest.resolve(entry) == path]
            for number in numbers:
                self._provisional.pop(number, None)
            self._bump(numbers)
            self.changed.notify_all()

    def all_read(self) -> None:
        """From the loader: every file is read; the collection is loaded as the CLI loads it.

        Loaded outside the lock, so that pages and corrections are answered meanwhile (from the
        articles read alone); a correction made meanwhile means loading again, for the new text.
        On a start from the work cache this comes at once: the first page goes out first."""
        self.page_served.wait(FIRST_PAGE_WAIT)
        while True:
            with self.lock:
                text, manifest = self.text, self.manifest
            try:
                loaded: Loaded | None = self._load(text, manifest)
                problems: list[str] = []
            except Exception as exc:
                loaded, problems = None, _error_lines(exc)
            with self.changed:
                if self.text != text:
                    continue  # corrected meanwhile
                self.loaded, self.problems, self.all_in = loaded, problems, True
                self._bump(range(1, len(manifest.entries) + 1))
                self.changed.notify_all()
                return

    def failed(self, lines: list[str]) -> None:
        with self.changed:
            self.problems = lines
            self._bump(range(1, len(self.manifest.entries) + 1))
            self.changed.notify_all()

    def _reload(self, text: str) -> None:
        """The whole collection for `text` (its manifest already checked)."""
        self.loaded = None
        self.loaded = self._load(text)
        self.problems = []
        self._bump(range(1, len(self.loaded.collection.manifest.entries) + 1))

    def _bump(self, numbers: Iterable[int]) -> None:
        self.sequence += 1
        for number in numbers:
            self.row_changed[number] = self.sequence

    def _set_text(self, text: str, manifest: Manifest) -> None:
        self.text, self.version, self.manifest = text, version_of(text), manifest
        self._provisional.clear()

    @property
    def collection(self) -> Collection:
        """The whole collection; what needs it (a rule for a whole site) waits for the loading."""
        with self.lock:
            if self.loaded is None:
                raise Refused([self.waiting_line()])
            return self.loaded.collection

    def waiting_line(self) -> str:
        if self.problems:
            return self.problems[0]
        return (f"error: the studio is still reading the articles ({self.ready_count()} of "
                f"{len(self.manifest.entries)}); try again when the list is complete")

    def ready_count(self) -> int:
        with self.lock:
            if self.loaded is not None:
                return len(self.manifest.entries)
            return sum(1 for number in range(1, len(self.manifest.entries) + 1)
                       if not isinstance(self.state(number), Pending))

    def current(self) -> str:
        """The version of the collection file on disk now (reloaded when it was edited elsewhere)."""
        with self.lock:
            text = self._read()
            if text != self.text:
                manifest = load_manifest(self.path, text)
                self._set_text(text, manifest)
                self.loaded = None
                self._bump(range(1, len(manifest.entries) + 1))
                if self.complete:
                    self._reload_or_fail(text)
            elif self.complete and self.loaded is None:
                self._reload_or_fail(text)  # an article fixed meanwhile: try again
            return self.version

    def _reload_or_fail(self, text: str) -> None:
        try:
            self._reload(text)
        except AnthologyError as exc:
            self.problems = _error_lines(exc)

    # ---- what the page shows ------------------------------------------------------------

    def state(self, number: int) -> ArticleState | Pending:
        """Article `number` as the page shows it: the collection's, or while the articles are
        being read, normalised alone (provisional), or Pending."""
        with self.lock:
            entries = self.manifest.entries
            if not 1 <= number <= len(entries):
                raise Refused([f"error: article {number} is not in the collection"])
            if self.loaded is not None:
                return self.loaded.states[number - 1]
            known = self._provisional.get(number)
            if known is None:
                known = self._provisional[number] = provisional_state(
                    self.manifest, number, self._section(number), self._read_outcome(number),
                    self.problems if self.complete else [])
            return known

    def states(self) -> list[ArticleState | Pending]:
        with self.lock:
            if self.loaded is not None:
                return list(self.loaded.states)
            return [self.state(number) for number in range(1, len(self.manifest.entries) + 1)]

    def _read_outcome(self, number: int) -> Article | InputError | None:
        entry = self.manifest.entries[number - 1]
        return None if entry.url is not None else self.read.get(self.manifest.resolve(entry))

    def _section(self, number: int) -> str | None:
        count = 0
        for section in self.manifest.sections:
            count += len(section.entries)
            if number <= count:
                return section.title
        return None

    def wait_for(self, number: int, timeout: float) -> ArticleState | Pending:
        """Article `number` once it is read (first of those still to read), or Pending after `timeout`."""
        deadline = time.monotonic() + timeout
        with self.changed:
            state = self.state(number)
            if isinstance(state, Pending) and not state.problems:
                entry = self.manifest.entries[number - 1]
                if entry.url is None:
                    self.wanted.insert(0, self.manifest.resolve(entry))
                    if self.loader is not None:
                        self.loader.nudge()
            while isinstance(state, Pending) and not state.problems and not self.complete:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(min(left, 1.0))
                state = self.state(number)
            return state

    def article(self, number: int) -> Article:
        state = self.state(number)
        if isinstance(state, Pending):
            raise Refused(state.problems[:1] or [f"error: article {number} is not read yet; try again in a moment"])
        return state.article

    def entry(self, number: int) -> ArticleEntry:
        return self.manifest.entries[number - 1]

    def apply(self, version: str, number: int, change: manifest_edit.Change,
              check: Callable[[Article], None] | None = None) -> str:
        return self.apply_text(version, lambda text: manifest_edit.edited(text, number, change), number, check,
                               one_entry=True)

    def apply_text(self, version: str, edit: Callable[[str], str], number: int | None = None,
                   check: Callable[[Article], None] | None = None, one_entry: bool = False) -> str:
        """Write `edit` of the collection file once it loads as the CLI loads it, and `check`
        (which raises Refused) accepts article `number` as it then is. While the articles are
        still being read, the file is checked as the CLI checks it and the article as it is read
        alone; the whole collection is loaded with it once they are all in."""
        with self.lock:
            text = self._read()
            if version_of(text) != version or text != self.text:
                raise Stale()
            after: ArticleState | Pending | None = None
            try:
                new = edit(text)
                manifest = load_manifest(self.path, new)
                loaded = None
                if self.complete:
                    loaded = (self._load_one(new, manifest, number) if one_entry and number is not None else None
                              ) or self._load(new, manifest)
            except AnthologyError as exc:
                raise Refused([f"error: {problem}" for problem in exc.problems]) from None
            if loaded is None and number is not None:
                after = provisional_state(manifest, number, self._section(number), self._read_outcome(number), [])
                if isinstance(after, Pending) and after.problems:
                    raise Refused(after.problems)
            if check is not None and number is not None:
                if loaded is not None:
                    check(loaded.collection.articles[number - 1])
                elif isinstance(after, ArticleState):
                    check(after.article)
            write_file(self.path, new.encode("utf-8"))
            self._set_text(new, manifest)
            self.loaded = loaded
            if loaded is not None:
                self.problems = []
            self._bump([number] if number is not None else range(1, len(manifest.entries) + 1))
            return self.version

    # ---- corrections -------------------------------------------------------------------

    def toggle(self, version: str, number: int, block_id: str) -> str:
        """Flip one block between kept and removed, by the entry's `keep:`/`drop:` snippets."""
        blocks = source_blocks(self.article(number))
        block = next((b for b in blocks if b.id == block_id), None)
        if block is None:
            raise Refused([f"error: article {number} has no block {block_id}"])
        entry = self.entry(number)
        text = normalised(block.text)
        if block.state == "kept":
            keeping = [s for s in entry.keep or [] if normalised(s) in text]
            change = (manifest_edit.remove_snippets("keep", keeping) if keeping
                      else manifest_edit.add_snippet("drop", block.snippet(blocks)))
        elif block.rule == "manifest.drop":  # normalise.corrections.DROP_RULE: the editor's own drop
            dropping = [s for s in entry.drop or [] if normalised(s) in text]
            change = manifest_edit.remove_snippets("drop", dropping)
        else:
            change = manifest_edit.add_snippet("keep", block.snippet(blocks))
        return self.apply(version, number, change, _flipped(self.manifest.root, block))

    def set_field(self, version: str, number: int, key: str, value: str) -> str:
        if key not in FIELDS:
            raise Refused([f"error: {key} is not a field the studio edits"])
        return self.apply(version, number, manifest_edit.set_field(key, value))


def _flipped(root: Path, before: SourceBlock) -> Callable[[Article], None]:
    """Refuse a toggle the collection does not follow (a step after the snippets put the block
    back as it was), rather than write a snippet that changes nothing."""

    def check(article: Article) -> None:
        after = next((b for b in source_blocks(article) if b.id == before.id), None)
        if after is None or after.state != before.state:
            return
        label = article_label(article, root)
        raise Refused([f"error: {label}: block {before.id} stays {before.state}"
                       f"{f' ({after.rule})' if after.rule else ''} whatever its keep:/drop: snippet; "
                       "nothing was written"])

    return check


def _error_lines(exc: Exception) -> list[str]:
    if isinstance(exc, AnthologyError):
        return [f"error: {problem}" for problem in exc.problems]
    return [f"error: {type(exc).__name__}: {exc}"]


FIELDS = ("title", "subtitle", "authors", "date", "original_source.name", "original_source.date",
          "original_source.url", "licence", "permission")

