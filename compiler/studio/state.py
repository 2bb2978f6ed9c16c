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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..audit import article_label
from ..builders.base import atomic_output
from ..cache import WorkCache
from ..collection import Collection, load_collection
from ..errors import AnthologyError
from ..manifest import ArticleEntry, load_manifest
from ..model import Article
from ..session import Session
from . import manifest_edit
from .blocks import SourceBlock, normalised, source_blocks


class Stale(Exception):
    """The collection file changed on disk since the page was made: the page must reload."""


class Refused(Exception):
    """A correction the collection would not accept; `lines` are the CLI's error lines."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Loaded:
    text: str
    version: str
    collection: Collection


class Studio:
    """One collection open in the studio; every method is safe to call from any request."""

    def __init__(self, manifest_path: Path) -> None:
        self.path = manifest_path  # as given: errors name it as the CLI run from here would
        self.root = manifest_path.resolve().parent
        self.session = Session()  # articles and duplicate counts kept between reloads, as --watch keeps them
        self.lock = threading.RLock()
        self.loaded = self._load(self._read())

    def _read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            load_manifest(self.path)  # raises the CLI's own error for it (not found, a folder, unreadable)
            raise

    def _load(self, text: str) -> Loaded:
        manifest = load_manifest(self.path, text)
        collection = load_collection(manifest, cache=WorkCache.for_collection(manifest.root), session=self.session)
        return Loaded(text, version_of(text), collection)

    @property
    def collection(self) -> Collection:
        return self.loaded.collection

    def current(self) -> Loaded:
        """The collection as the file on disk says now (reloaded when it was edited elsewhere)."""
        with self.lock:
            text = self._read()
            if text != self.loaded.text:
                self.loaded = self._load(text)
            return self.loaded

    def article(self, number: int) -> Article:
        articles = self.collection.articles
        if not 1 <= number <= len(articles):
            raise Refused([f"error: article {number} is not in the collection"])
        return articles[number - 1]

    def entry(self, number: int) -> ArticleEntry:
        return self.collection.manifest.entries[number - 1]

    def apply(self, version: str, number: int, change: manifest_edit.Change,
              check: Callable[[Loaded], None] | None = None) -> Loaded:
        return self.apply_text(version, lambda text: manifest_edit.edited(text, number, change), check)

    def apply_text(self, version: str, edit: Callable[[str], str],
                   check: Callable[[Loaded], None] | None = None) -> Loaded:
        """Write `edit` of the collection file once it loads as the CLI loads it, and `check`
        (which raises Refused) accepts the collection it makes."""
        with self.lock:
            text = self._read()
            if version_of(text) != version:
                raise Stale()
            try:
                loaded = self._load(edit(text))
            except AnthologyError as exc:
                raise Refused([f"error: {problem}" for problem in exc.problems]) from None
            if check is not None:
                check(loaded)
            with atomic_output(self.path) as stream:
                stream.write(loaded.text.encode("utf-8"))
            self.loaded = loaded
            return loaded

    # ---- corrections -------------------------------------------------------------------

    def toggle(self, version: str, number: int, block_id: str) -> Loaded:
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
        return self.apply(version, number, change, lambda loaded: _flipped(loaded, number, block))

    def set_field(self, version: str, number: int, key: str, value: str) -> Loaded:
        if key not in FIELDS:
            raise Refused([f"error: {key} is not a field the studio edits"])
        return self.apply(version, number, manifest_edit.set_field(key, value))


def _flipped(loaded: Loaded, number: int, before: SourceBlock) -> None:
    """Refuse a toggle the collection does not follow (a step after the snippets put the block
    back as it was), rather than write a snippet that changes nothing."""
    article = loaded.collection.articles[number - 1]
    after = next((b for b in source_blocks(article) if b.id == before.id), None)
    if after is not None and after.state == before.state:
        label = article_label(article, loaded.collection.manifest.root)
        raise Refused([f"error: {label}: block {before.id} stays {before.state}"
                       f"{f' ({after.rule})' if after.rule else ''} whatever its keep:/drop: snippet; "
                       "nothing was written"])


FIELDS = ("title", "subtitle", "authors", "date", "original_source.name", "original_source.date",
          "original_source.url", "licence", "permission")

