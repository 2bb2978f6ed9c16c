"""A cache of per-article work, so that a rebuild redoes only what changed.

Entries live in the collection folder under `.anthology-cache/work/<kind>/<key>` (the HTTP
cache of URL sources is `.anthology-cache/http/`, which this module never touches). A key is a
SHA-256 over everything the result depends on: the input's bytes, the rule packs, templates and
options that shaped it, and the tool's own code (`code_fingerprint`), so an upgrade or an edited
normaliser never serves stale work. A changed input gets a new key; nothing is invalidated in
place. `anthology clean` removes the folder.

Entries are pickles. That is safe only because the tool itself wrote every file under this
folder, in the collection the user is building; a cache folder from elsewhere must not be
trusted, and `clean` is the cure for a doubtful one. Every write is atomic (temporary file,
then rename); an entry that cannot be read back (truncated, corrupt, from another Python) is
deleted and rebuilt, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Hashable, Iterable
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

from .model import Article
from .resources import __version__

if TYPE_CHECKING:
    from .collection.manifest import Manifest
    from .normalise import RuleSet

CACHE_ROOT = ".anthology-cache"
WORK_FOLDER = "work"


def digest(*parts: bytes | str) -> str:
    """One key from several parts; lengths are included so that parts cannot run together."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@cache
def code_fingerprint() -> str:
    """The tool's version, its Python source and its shipped data (rule packs, templates)."""
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".yaml", ".yml"})
    parts: list[bytes | str] = [__version__]
    for path in files:
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


def files_fingerprint(paths: Iterable[Path]) -> str:
    """The names and bytes of some files (a collection's rule packs, its template folder)."""
    parts: list[bytes | str] = []
    for path in sorted(paths):
        parts += [str(path), path.read_bytes() if path.is_file() else b""]
    return digest(*parts)


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

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Any | None:
        if self.folder is None:
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

    def file(self, kind: str, key: str) -> Path | None:
        """A file stored as it is with put_file, or None."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        return path if path.is_file() else None

    def put_file(self, kind: str, key: str, source: Path) -> None:
        """Store a copy of a file as it is (a big output that should not pass through memory)."""
        def copy(stream: IO[bytes]) -> None:
            with source.open("rb") as original:
                shutil.copyfileobj(original, stream)

        self._store(kind, key, copy)

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store atomically; a cache that cannot be written (read-only folder, full disk) is skipped."""
        self._store(kind, key, lambda stream: pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL))

    def _store(self, kind: str, key: str, write: Callable[[IO[bytes]], object]) -> None:
        if self.folder is None:
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

    def __init__(self, cache: WorkCache | None, kind: str, name: str) -> None:
        self.cache, self.kind = cache, kind
        self.entry = digest(code_fingerprint(), kind, name)
        found = cache.get(kind, self.entry) if cache is not None else None
        self.known: dict[Hashable, Made] = found if isinstance(found, dict) else {}
        self.used: dict[Hashable, Made] = {}

    def get(self, key: Hashable, make: Callable[[], Made]) -> Made:
        """What the last build made from the same things, or else `make()`."""
        found = self.used.get(key)
        if found is None:
            found = self.known.get(key)
        if found is None:
            found = make()
        self.used[key] = found
        return found

    def keep(self) -> None:
        """End of a build: what it used is what the next one starts from."""
        if self.cache is not None and self.used.keys() != self.known.keys():
            self.cache.put(self.kind, self.entry, self.used)
        self.known, self.used = self.used, {}


def clean(root: Path) -> list[Path]:
    """Remove the work cache of the collection in `root`; return what was removed."""
    folder = root / CACHE_ROOT / WORK_FOLDER
    if not folder.exists():
        return []
    shutil.rmtree(folder)
    return [folder]


class ArticleCache:
    """Normalised articles of one collection (with their text's shingles, for the duplicate
    finder), keyed by file bytes, rule packs and the tool's code."""

    KIND = "article"

    def __init__(self, cache: WorkCache, manifest: Manifest,
                 memory: dict[str, tuple[Article, bytes]] | None = None) -> None:
        """`memory` holds articles already read in this process (see compiler/session.py); they are
        shared between builds, so nothing may change them."""
        from .collection.manifest import resolve_in_collection

        self.cache = cache
        self.memory = memory if memory is not None else {}
        self.used: set[str] = set()  # keys looked up by this build
        rules = manifest.data.rules
        packs = [resolve_in_collection(manifest, p) for p in rules.packs]
        # The shingles are stored as machine ints: a cache folder carried to a machine of the other
        # byte order is not read.
        self.context = digest(code_fingerprint(), files_fingerprint(packs), "\n".join(sorted(rules.disable)),
                              sys.byteorder)

    def lookup(self, path: Path) -> tuple[str | None, Article | None, bytes | None]:
        """The key of a file's normalised article, and the article and its text's shingles
        (compiler/collection/audit.py) when the cache holds them.

        Anything but a regular file (a URL source has its own cache) has no key: always read afresh.
        """
        if not path.is_file():
            return None, None, None
        # The manifest's paths are resolved already (manifest.resolve_path).
        key = digest(self.context, str(path), path.read_bytes())
        self.used.add(key)
        if key in self.memory:
            return key, *self.memory[key]
        found = self.cache.get(self.KIND, key)
        if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], Article)
                and isinstance(found[1], bytes)):
            return key, None, None
        self.memory[key] = found
        return key, *found

    def store(self, key: str | None, article: Article, text_shingles: bytes) -> None:
        if key is not None:
            self.cache.put(self.KIND, key, (article, text_shingles))
            self.memory[key] = (article, text_shingles)

    def normalised(self, path: Path, rules: RuleSet) -> Article:
        from .collection.audit import packed_shingles
        from .normalise import normalise
        from .readers import read_article

        key, article, _ = self.lookup(path)
        if article is None:
            article = normalise(read_article(path), rules)
            self.store(key, article, packed_shingles(article.body_text))
        return article
