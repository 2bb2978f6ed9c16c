"""Where the cache is: every kind of cached work, how its keys are made, and where it lives.

Entries live in the collection folder under `.anthology-cache/work/<kind>/<key>` (the HTTP
cache of URL sources is `.anthology-cache/http/`, which this module never touches);
`anthology clean` removes the work folder. A watching process (`build --watch`, the studio)
also keeps some of it in memory between builds: that is `Session`, below.

Every kind of cached work is declared here once, in KINDS, with a line saying what it holds;
WorkCache refuses any other (a string, a kind not in the table), so the table is the whole
list: each article's normalised text (ARTICLE); what the normaliser and the duplicate finder
learnt (RULE_GATES, TEXT_PAIRS); what the last build made, one entry per collection replaced
at the end of each build by LastBuild (TEMPLATE_PIECES, TYPESET_BLOCKS, DEFLATED_ENTRIES); the
EPUB's drawn cover and cut-down faces (EPUB_COVER, EPUB_FONT); the PDF's laid-out pieces,
their page counts and the last book put together from them (PDF_PIECE, PDF_PLAN, PDF_BOOK).

A key is made by `key(kind, *inputs)` from the very values the work reads (the object handed
to the work function, not a list of its fields written beside it), so a new input cannot be
forgotten: they are hashed canonically (see `fingerprint`; a file's Path by its name and its
bytes), with the kind and the tool's own code (`code_fingerprint`), so an upgrade or an edited
normaliser never serves stale work. A value of a type that has no canonical form is refused
(TypeError), so a new kind of input is noticed rather than hashed by its address. What must
not make a new key (the build's time, for a piece that does not print it) is kept out of the
work's input, not left out of its key. A changed input gets a new key; nothing is invalidated
in place.

Entries are pickles. That is safe only because the tool itself wrote every file under this
folder, in the collection the user is building; a cache folder from elsewhere must not be
trusted, and `clean` is the cure for a doubtful one. Every write is atomic (temporary file,
then rename); an entry that cannot be read back (truncated, corrupt, from another Python) is
deleted and rebuilt, never an error.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

from .resources import __version__

if TYPE_CHECKING:
    from .book.templating import Renderer
    from .collection.audit import TextIndex
    from .model import Article
    from .normalise import RuleSet

CACHE_ROOT = ".anthology-cache"
WORK_FOLDER = "work"


# ---- The kinds of cached work ----------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of cached work: its folder under the work cache, and what it holds."""

    name: str
    what: str


ARTICLE = Kind("article", "a file's normalised article and its text's packed shingles (collection/articles.py)")
RULE_GATES = Kind("gates", "the rule packs' gates worked out so far, so a new process need not read them again")
TEXT_PAIRS = Kind("pairs", "the duplicate finder's shared-shingle count of every pair of the last book's texts")
TEMPLATE_PIECES = Kind("pieces", "pages rendered by the last build (an article's page, the book's pages)")
TYPESET_BLOCKS = Kind("typeset", "blocks of text typeset by the last build, by their text and language")
DEFLATED_ENTRIES = Kind("deflated", "the EPUB's zip entries deflated by the last build, by their content")
EPUB_COVER = Kind("cover", "the EPUB's drawn cover image, by the text drawn on it")
EPUB_FONT = Kind("font", "a face of the book type cut down to the characters the book uses")
PDF_PIECE = Kind("pdf-piece", "a laid-out piece of the PDF (a body or a chunk of furniture), by the job laid out")
PDF_PLAN = Kind("pdf-plan", "each PDF piece's page count in the last build: a guess for the contents' length")
PDF_BOOK = Kind("pdf-book", "the last PDF put together from its pieces, and the key of what it was made from")

KINDS: tuple[Kind, ...] = (ARTICLE, RULE_GATES, TEXT_PAIRS, TEMPLATE_PIECES, TYPESET_BLOCKS, DEFLATED_ENTRIES,
                           EPUB_COVER, EPUB_FONT, PDF_PIECE, PDF_PLAN, PDF_BOOK)


# ---- Keys ----------------------------------------------------------------------------------


def key(kind: Kind, *inputs: object) -> str:
    """The key of a piece of work of this kind done on these inputs, by this version of the tool."""
    return fingerprint(code_fingerprint(), _declared(kind).name, *inputs)


def fingerprint(*values: object) -> str:
    """A SHA-256 over the values' canonical forms: equal values give the same digest wherever
    they were made; a value with no canonical form is a TypeError (see _Canonical)."""
    canonical = _Canonical()
    canonical.add(values)
    return canonical.hexdigest()


@cache
def code_fingerprint() -> str:
    """The tool's version, its Python source and its shipped data (rule packs, templates)."""
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".yaml", ".yml"})
    return fingerprint(__version__, [(path.relative_to(package).as_posix(), path.read_bytes()) for path in files])


class _Canonical:
    """Values written into a SHA-256 in their canonical form: a tag for the type, then the content,
    every variable-length part preceded by its length, so that no two different values run
    together the same way. Small parts are gathered in a buffer (a key over a laid-out book is a
    few hundred thousand of them); the common types are found by their exact type first."""

    def __init__(self) -> None:
        self.hasher = hashlib.sha256()
        self.buffer = bytearray()

    def hexdigest(self) -> str:
        self.hasher.update(self.buffer)
        self.buffer.clear()
        return self.hasher.hexdigest()

    def add(self, value: object) -> None:
        kind = type(value)
        if kind is str:
            self._part(b"s", value.encode("utf-8", "surrogatepass"))  # type: ignore[attr-defined]
        elif kind is tuple or kind is list:
            self._sequence(value)  # type: ignore[arg-type]
        elif kind is int:
            self.buffer += b"i%d;" % value  # type: ignore[str-format]
        elif kind is float:
            self.buffer += b"f%s;" % value.hex().encode()  # type: ignore[attr-defined]
        elif value is None or kind is bool:
            self.buffer += b"N" if value is None else b"T" if value else b"F"
        elif kind is bytes:
            self._part(b"y", value)  # type: ignore[arg-type]
        elif kind is dict:
            self._mapping(value)  # type: ignore[arg-type]
        else:
            self._other(value)

    def _other(self, value: object) -> None:
        if isinstance(value, enum.Enum):
            self._part(b"E", type(value).__qualname__.encode())
            self.add(value.value)
        elif isinstance(value, bool | int | float | str | list | tuple | dict):  # a subclass: as its base
            base = next(base for base in (bool, int, float, str, list, tuple, dict) if isinstance(value, base))
            self.add(base(value))
        elif isinstance(value, bytearray | memoryview):
            self._part(b"y", bytes(value))
        elif isinstance(value, set | frozenset):
            self._part(b"u", "".join(sorted(fingerprint(item) for item in value)).encode())
        elif isinstance(value, PurePath):
            self._path(value)
        elif isinstance(value, dt.date | dt.time):  # a datetime is a date
            self._part(b"t", f"{type(value).__name__} {value.isoformat()}".encode())
        elif is_dataclass(value) and not isinstance(value, type):
            self._record(value, _field_names(type(value)))
        elif isinstance(getattr(type(value), "model_fields", None), dict):  # a pydantic model
            self._record(value, tuple(type(value).model_fields))  # type: ignore[attr-defined]
        else:
            raise TypeError(f"cache key: a {type(value).__qualname__} has no canonical form to hash; "
                            "give the work plain values (or teach compiler/cache.py's _Canonical this type)")

    def _part(self, tag: bytes, data: bytes) -> None:
        self.buffer += b"%s%d:" % (tag, len(data))
        if len(data) < 1 << 16:
            self.buffer += data
        else:  # a big part (a PDF, a file's bytes) goes to the hash as it is, not through the buffer
            self.hasher.update(self.buffer)
            self.buffer.clear()
            self.hasher.update(data)

    def _sequence(self, items: list[object] | tuple[object, ...]) -> None:
        self.buffer += b"l%d:" % len(items)
        for item in items:
            self.add(item)

    def _mapping(self, mapping: dict[object, object]) -> None:
        """Entries in the order of their keys: insertion order is not part of a dict's value."""
        if all(type(name) is str for name in mapping):
            self.buffer += b"d%d:" % len(mapping)
            for name in sorted(mapping):  # type: ignore[type-var]
                self.add(name)
                self.add(mapping[name])
        else:
            self._part(b"D", "".join(sorted(fingerprint(k) + fingerprint(v) for k, v in mapping.items())).encode())

    def _record(self, value: object, names: tuple[str, ...]) -> None:
        """A record (a dataclass, a pydantic model) field by field, under its class's name."""
        self._part(b"R", type(value).__qualname__.encode())
        self._sequence([(name, getattr(value, name)) for name in names])

    def _path(self, path: PurePath) -> None:
        """A path by its name and, when it is a file, its bytes: work that reads a file is redone
        when the file changes. A folder (or a missing file) counts by its name alone."""
        self._part(b"p", str(path).encode("utf-8", "surrogatepass"))
        if isinstance(path, Path) and path.is_file():
            self._part(b"c", hashlib.sha256(path.read_bytes()).digest())
        else:
            self.buffer += b"-"


@cache
def _field_names(record: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(record))


def _declared(kind: Kind) -> Kind:
    if kind not in KINDS:
        raise TypeError(f"cache: {kind!r} is not a kind declared in compiler/cache.py's KINDS")
    return kind


# ---- Where entries live ----------------------------------------------------------------------


class WorkCache:
    """Pickled results by kind and key under one folder; disabled, it stores and finds nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_collection(cls, root: Path, enabled: bool = True) -> WorkCache:
        return cls(root / CACHE_ROOT / WORK_FOLDER if enabled else None)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _path(self, kind: Kind, key: str) -> Path:
        assert self.folder is not None
        return self.folder / _declared(kind).name / key[:2] / key

    def get(self, kind: Kind, key: str) -> Any | None:
        if self.folder is None:
            _declared(kind)
            return None
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            # Only files this tool wrote are read here (see the module docstring).
            value = pickle.loads(data)
        except Exception:  # any damage at all: drop the entry and redo the work
            path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        return value

    def file(self, kind: Kind, key: str) -> Path | None:
        """A file stored as it is with put_file, or None."""
        if self.folder is None:
            _declared(kind)
            return None
        path = self._path(kind, key)
        return path if path.is_file() else None

    def put_file(self, kind: Kind, key: str, source: Path) -> None:
        """Store a copy of a file as it is (a big output that should not pass through memory)."""
        def copy(stream: IO[bytes]) -> None:
            with source.open("rb") as original:
                shutil.copyfileobj(original, stream)

        self._store(kind, key, copy)

    def put(self, kind: Kind, key: str, value: Any) -> None:
        """Store atomically; a cache that cannot be written (read-only folder, full disk) is skipped."""
        self._store(kind, key, lambda stream: pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL))

    def _store(self, kind: Kind, key: str, write: Callable[[IO[bytes]], object]) -> None:
        if self.folder is None:
            _declared(kind)
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
            with os.fdopen(handle, "wb") as stream:
                write(stream)
            os.replace(temp, path)
        except OSError:
            if "temp" in locals():
                Path(temp).unlink(missing_ok=True)


Made = TypeVar("Made")


class LastBuild(Generic[Made]):
    """Things a build made (rendered pages, deflated entries), by a key that says everything
    each was made from, handed to the next build: one work-cache entry holds them all, and is
    replaced at the end of each build by what that build used, so it never grows."""

    def __init__(self, cache: WorkCache | None, kind: Kind, name: str) -> None:
        self.cache, self.kind = cache, kind
        self.entry = key(kind, name)
        found = cache.get(kind, self.entry) if cache is not None else None
        self.known: dict[Hashable, Made] = found if isinstance(found, dict) else {}
        self.used: dict[Hashable, Made] = {}

    def get(self, made_from: Hashable, make: Callable[[], Made]) -> Made:
        """What the last build made from the same things, or else `make()`."""
        found = self.used.get(made_from)
        if found is None:
            found = self.known.get(made_from)
        if found is None:
            found = make()
        self.used[made_from] = found
        return found

    def keep(self) -> None:
        """End of a build: what it used is what the next one starts from."""
        if self.cache is not None and self.used.keys() != self.known.keys():
            self.cache.put(self.kind, self.entry, self.used)
        self.known, self.used = self.used, {}


@dataclass
class Session:
    """What a long-running process (`anthology build --watch`, the studio) keeps in memory between
    builds. A single build reads its unchanged articles from the work cache on disk; a watching
    process also keeps them, the duplicate finder's counts and the compiled templates here, so
    that a rebuild after an edit to one article redoes that article's work and little else."""

    # normalised articles and their packed shingles (audit.packed_shingles), by work-cache key; never changed once made
    articles: dict[str, tuple[Article, bytes]] = field(default_factory=dict)
    texts: TextIndex | None = None  # made from the work cache's pair counts by the first build
    renderers: dict[str, Renderer] = field(default_factory=dict)  # by template folder
    rules: dict[str, RuleSet] = field(default_factory=dict)  # the compiled rule set, by a fingerprint of its sources

    def keep_only(self, keys: set[str]) -> None:
        """Forget articles that are no longer in the book (or whose file changed)."""
        self.articles = {name: article for name, article in self.articles.items() if name in keys}


def clean(root: Path) -> list[Path]:
    """Remove the work cache of the collection in `root`; return what was removed."""
    folder = root / CACHE_ROOT / WORK_FOLDER
    if not folder.exists():
        return []
    shutil.rmtree(folder)
    return [folder]
