"""What an editor should look at before a collection goes out: one list of findings per build.

Each finding names the article (its path in the collection folder), says what is wrong and what
to do. Levels:

- error: the collection must not be distributed as it is (a public collection with an article
  that has neither a licence nor a permission note). `check` fails; `build` warns, and fails
  with `--strict`.
- warning: the book will be poorer or wrong (no author, no date, a large or suspicious removal,
  the same article twice). `check --strict` and `build --strict` fail.
- note: worth knowing, never fails (only the generic rules ran; no licence in a private
  collection).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..book.attribution import format_date
from ..model import Article

if TYPE_CHECKING:
    from .loading import Collection

Level = Literal["error", "warning", "note"]
LEVELS: tuple[Level, ...] = ("error", "warning", "note")

MID_BODY_REMOVAL_WORDS = 30  # a removed block this long with prose on both sides may be prose
SHINGLE_WORDS = 5  # word n-grams compared between articles
MIN_SHINGLES = 20  # shorter texts say too little to call them the same
DUPLICATE_JACCARD = 0.5  # shared shingles over all shingles of the pair
DUPLICATE_CONTAINMENT = 0.8  # shared shingles over the shorter text's: one copy cut down
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str  # stable name: input, no-author, no-date, no-licence, rights, removal, near-duplicate, generic-only,
    # placeholder
    where: str  # the article's path in the collection folder (or its source)
    message: str

    @property
    def line(self) -> str:
        return f"{self.where}: {self.message}"


def article_label(article: Article, root: Path | None = None) -> str:
    """How findings and reports name an article: its path inside the collection folder."""
    path = article.source_path
    if path is not None and root is not None:
        try:
            return _resolved(path).relative_to(_resolved(root)).as_posix()
        except ValueError:
            pass
    return article.meta.source or (str(path) if path else "article")


@lru_cache(maxsize=4096)
def _resolved(path: Path) -> Path:
    """Path.resolve() asks the file system about every part of the path: once per path is enough."""
    return path.resolve()


def audit(collection: Collection, texts: TextIndex | None = None) -> list[Finding]:
    """Every finding for the collection, article by article in book order, then duplicates."""
    root = collection.manifest.root
    public = collection.manifest.data.distribution == "public"
    findings: list[Finding] = []
    findings += placeholder_findings(collection)
    for article in collection.articles:
        findings += article_findings(article, article_label(article, root), public)
    findings += duplicate_findings(collection.articles, root, texts)
    return findings


# What `anthology init` writes for the editor to replace (compiler/commands/starter_files/collection.yaml).
_PLACEHOLDERS = ("Your Name", "Your Press")


def placeholder_findings(collection: Collection) -> list[Finding]:
    """A starter's placeholder left in the book's own fields: it would print on the title page."""
    data = collection.manifest.data
    fields = {"editors": data.editors, "publisher": [data.publisher or ""], "rights": [data.rights or ""]}
    return [Finding("warning", "placeholder", collection.manifest.path.name,
                    f"{key}: '{placeholder}' is the starter's placeholder; put the real name there")
            for key, values in fields.items() for placeholder in _PLACEHOLDERS
            if any(placeholder in value for value in values)]


def article_findings(article: Article, where: str, public: bool) -> list[Finding]:
    return [Finding(level, code, where, message) for level, code, message in _article_checks(article, public)]


def _article_checks(article: Article, public: bool) -> Iterator[tuple[Level, str, str]]:
    meta = article.meta
    for warning in article.warnings:  # what its reader could not use (an image it could not fetch)
        yield "warning", "input", warning
    if not meta.authors:
        yield "warning", "no-author", "no author found; add 'authors:' to its manifest entry"
    if not meta.date and not (meta.original_source and meta.original_source.date):
        yield "warning", "no-date", "no publication date found; add 'date:' to its manifest entry"
    if not meta.licence and not meta.permission:
        if public:
            yield "error", "rights", (
                "the collection is public but this article has no licence or permission note; add 'licence:' "
                "or 'permission:' to its manifest entry, or make the collection 'distribution: private'"
            )
        else:
            yield "note", "no-licence", "no licence or permission found; needed before the collection is made public"
    # the rules' removals only: what extraction left out of a saved page (its menus, its footer) is no rule's doing
    kept = article.words
    removed = sum(len(r.text.split()) for r in article.removed if r.kind == "remove")
    heavy = _rule_removing_over_half(article)
    if heavy:
        yield "warning", "removal", (
            f"rule {heavy} removed more than half of the article's words; review its removals, and disable "
            "it in 'rules.disable' if it took prose"
        )
    elif removed > kept:
        yield "warning", "removal", f"rules removed more words ({removed}) than they kept ({kept}); review the removals"
    for rule, words, position in _mid_body_removals(article):
        yield "warning", "removal", (
            f"rule {rule} removed a {words}-word block from the middle of the text (block {position}); "
            "check it in the review report; if it is the article's, put a piece of it under the entry's 'keep:'"
        )
    if article.sites and article.sites[-1] == "generic" and len(article.sites) == 1:
        yield "note", "generic-only", "no site pack matched; only the generic rules ran, so site boilerplate may remain"


def _rule_removing_over_half(article: Article) -> str | None:
    """The rule, if any, whose removals alone are more than half of the article's words."""
    total = article.words + sum(len(r.text.split()) for r in article.removed if r.kind != "left-out")
    by_rule: dict[str, int] = {}
    for removal in article.removed:
        if removal.kind == "remove":
            by_rule[removal.rule] = by_rule.get(removal.rule, 0) + len(removal.text.split())
    return next((rule for rule, words in by_rule.items() if 2 * words > total), None)


def _mid_body_removals(article: Article) -> Iterator[tuple[str, int, int]]:
    """(rule, words, block position) of long removals with kept prose before and after them."""
    kept = [block.index for block in article.blocks if block.index is not None]
    if not kept:
        return
    first, last = min(kept), max(kept)
    for removal in article.removed:
        words = len(removal.text.split())
        if removal.kind == "remove" and words >= MID_BODY_REMOVAL_WORDS and first < removal.index < last:
            yield removal.rule, words, removal.index + 1


# Near-duplicates ------------------------------------------------------------------------------


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """The text's word n-grams, each as a hash: comparing ints is many times faster than
    comparing tuples of words (every pair of a large book is compared), and a 64-bit collision
    between two n-grams of the same book is too unlikely to matter.

    Words are numbered by their CRC-32 and n-grams hashed as tuples of those numbers, so the
    hashes are the same in every process (Python's own string hashes are not): a worker
    process can compute them, and the work cache can keep them.
    """
    words = map(str.encode, _WORD.findall(text.lower()))
    numbers = list(map(zlib.crc32, words))
    # zip stops at the shortest slice: the last n-gram ends with the last word. All in C, no Python loop.
    return set(map(hash, zip(*(numbers[k:] for k in range(size)), strict=False)))


def packed_shingles(text: str) -> bytes:
    """shingles() as the bytes of an array of 64-bit ints: what workers send back and the work
    cache keeps. Reading a thousand ints back from bytes is a hundred times quicker than
    unpickling a set of them, and a rebuild needs the sets of only the texts it compares."""
    return array("q", shingles(text)).tobytes()


def unpacked(packed: bytes) -> set[int]:
    return set(_numbers(packed))


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@dataclass(frozen=True)
class Duplicate:
    first: Article
    second: Article
    similarity: float  # the larger of Jaccard and containment, 0-1
    original: Article | None  # the one the attribution credits as first published, when known
    why: str  # how the original was told apart, or why it could not be


def similarity(a: set[int], b: set[int]) -> float:
    """Jaccard, or containment scaled to the same threshold, whichever says more."""
    return score(len(a), len(b), len(a & b) if len(a) <= len(b) else len(b & a))


def score(size_a: int, size_b: int, shared: int) -> float:
    """similarity() from the two texts' shingle counts and how many they share."""
    if size_a < MIN_SHINGLES or size_b < MIN_SHINGLES:
        return 0.0
    jaccard = shared / (size_a + size_b - shared)  # the union's size, without building the union
    containment = shared / min(size_a, size_b)
    return max(jaccard / DUPLICATE_JACCARD, containment / DUPLICATE_CONTAINMENT)


class SharedShingles:
    """How many shingles any two of the texts share, for every pair of a large book quickly.

    Each text's shingles that some other text also has are the bits of one int, so a pair's
    count is the popcount of an AND: microseconds, where intersecting two sets of a thousand
    shingles costs tens. A shingle that only one text has can never be shared and gets no bit,
    so the ints stay small, and the counts are exact.
    """

    def __init__(self, texts: list[set[int]]) -> None:
        frequency: Counter[int] = Counter()
        for text in texts:
            frequency.update(text)
        bit_of = {shingle: n for n, shingle in enumerate(s for s, times in frequency.items() if times > 1)}
        self.sizes = [len(text) for text in texts]
        self.bits = [_as_bits([bit_of[s] for s in text & bit_of.keys()]) for text in texts]

    def shared(self, i: int, j: int) -> int:
        return (self.bits[i] & self.bits[j]).bit_count()

    def score(self, i: int, j: int) -> float:
        return score(self.sizes[i], self.sizes[j], self.shared(i, j))


def _as_bits(positions: list[int]) -> int:
    if not positions:
        return 0
    buffer = bytearray(max(positions) // 8 + 1)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


class TextIndex:
    """Shingles of the book's texts, known by a digest of the text, and every pair's shared count.

    A build hands it the shingles its worker processes computed. With `remember_pairs` it keeps
    the shared counts of the last book it indexed, so that after an edit to one article only
    that article's pairs are counted again: a `build --watch` session keeps one in memory, and a
    single build takes the last build's counts from the work cache (`known`, `remembered`).
    """

    def __init__(self, remember_pairs: bool = False, known: object = None) -> None:
        self.remember_pairs = remember_pairs
        self.shingles: dict[bytes, set[int] | bytes] = {}  # packed until a comparison needs the set
        # the last book's text digests and its pairs' shared counts, in combinations() order
        self.digests: list[bytes] = []
        self.counts = array("I")
        if remember_pairs and _valid_pairs(known):
            digests, counts = known  # type: ignore[misc]
            self.digests, self.counts = list(digests), array("I", counts)

    def add(self, text: str, packed: bytes) -> None:
        """A text's shingles as packed_shingles() made them."""
        self.shingles.setdefault(text_key(text), packed)

    @property
    def remembered(self) -> tuple[list[bytes], bytes]:
        """What the work cache keeps for the next build: plain bytes, quick to read back."""
        return self.digests, self.counts.tobytes()

    def counts_of(self, texts: list[str]) -> tuple[list[int], array[int]]:
        """Each text's shingle count, and every pair's shared count in combinations() order."""
        digests = [text_key(text) for text in texts]
        known = [self.shingles.get(d) or packed_shingles(text) for d, text in zip(digests, texts, strict=True)]
        self.shingles = dict(zip(digests, known, strict=True))  # texts no longer in the book are forgotten
        sets = _Sets(self.shingles, digests)
        counts = self._recounted(digests, sets) if self.remember_pairs else None
        if counts is None:  # every pair at once
            whole = SharedShingles([sets[n] for n in range(len(digests))])
            counts = array("I", (whole.shared(i, j) for i, j in combinations(range(len(digests)), 2)))
        if self.remember_pairs:
            self.digests, self.counts = digests, counts
        return [_count(packed) for packed in known], counts

    def _recounted(self, digests: list[bytes], sets: _Sets) -> array[int] | None:
        """The pairs' counts, taken from the last book where both texts are unchanged; None when
        so many texts are new that counting every pair at once is quicker."""
        was = {digest: n for n, digest in enumerate(self.digests)}
        old = [was.get(digest) for digest in digests]
        new = sum(1 for position in old if position is None)
        # One new text costs a set intersection (~30 µs) per other text; all pairs at once cost
        # about as much as a fifth of the texts being new.
        if not self.digests or new * 5 > len(digests):
            return None
        if len(digests) == len(self.digests) and all(o is None or o == n for n, o in enumerate(old)):
            return self._edited_in_place(old, sets)
        known, old_size = self.counts, len(self.digests)
        counts = array("I")
        for i, j in combinations(range(len(digests)), 2):
            a, b = old[i], old[j]
            if a is None or b is None:
                counts.append(sets.shared(i, j))
            elif a == b:  # the same text twice
                counts.append(len(sets[i]))
            else:
                counts.append(known[_pair_index(min(a, b), max(a, b), old_size)])
        return counts

    def _edited_in_place(self, old: list[int | None], sets: _Sets) -> array[int]:
        """The usual rebuild: the same texts in the same places, a few of them edited. The last
        book's counts are copied whole and only the edited texts' pairs counted again."""
        counts, size = array("I", self.counts), len(old)
        for changed in (n for n, position in enumerate(old) if position is None):
            for other in range(size):
                if other != changed:
                    pair = (changed, other) if changed < other else (other, changed)
                    counts[_pair_index(*pair, size)] = sets.shared(changed, other)
        return counts


class _Sets:
    """The texts' shingle sets by position, unpacked when first asked for (and kept, for a
    watching session's next build)."""

    def __init__(self, shingles: dict[bytes, set[int] | bytes], digests: list[bytes]) -> None:
        self.shingles, self.digests = shingles, digests

    def __getitem__(self, position: int) -> set[int]:
        found = self.shingles[self.digests[position]]
        if isinstance(found, bytes):
            found = self.shingles[self.digests[position]] = unpacked(found)
        return found

    def shared(self, i: int, j: int) -> int:
        """How many shingles two texts share. A text still packed is not unpacked for it: a set
        intersected with an array's numbers is quicker than making the array a set first."""
        a, b = self.shingles[self.digests[i]], self.shingles[self.digests[j]]
        if isinstance(a, bytes):
            a, b = (b, a) if isinstance(b, set) else (self[i], b)
        assert isinstance(a, set)
        return len(a & b) if isinstance(b, set) else len(a.intersection(_numbers(b)))


def _numbers(packed: bytes) -> array[int]:
    numbers = array("q")
    numbers.frombytes(packed)
    return numbers


def _count(shingles: set[int] | bytes) -> int:
    return len(shingles) // 8 if isinstance(shingles, bytes) else len(shingles)


def _pair_index(i: int, j: int, size: int) -> int:
    """The position of pair (i, j), i < j, in combinations(range(size), 2)."""
    return i * (2 * size - i - 1) // 2 + (j - i - 1)


def _valid_pairs(known: object) -> bool:
    if not (isinstance(known, tuple) and len(known) == 2):
        return False
    digests, counts = known
    width = array("I").itemsize
    return (isinstance(digests, list) and isinstance(counts, bytes) and len(counts) % width == 0
            and len(counts) // width == len(digests) * (len(digests) - 1) // 2)


def find_duplicates(articles: list[Article], texts: TextIndex | None = None) -> list[Duplicate]:
    """Pairs that are the same article, by text (and by the same web address)."""
    sizes, counts = (texts or TextIndex()).counts_of([article.body_text for article in articles])
    candidates = _could_score(sizes, counts) | _same_url_pairs(articles)
    size, found = len(articles), []
    for i, j in sorted(candidates):
        a, b, shared = articles[i], articles[j], counts[_pair_index(i, j, size)]
        same_url = bool(a.meta.url) and a.meta.url == b.meta.url
        if same_url or score(sizes[i], sizes[j], shared) >= 1.0:
            original, why = credited_original(a, b)
            found.append(Duplicate(a, b, shared / max(1, min(sizes[i], sizes[j])), original, why))
    return found


def _could_score(sizes: list[int], counts: array[int]) -> set[tuple[int, int]]:
    """The pairs that may score 1, found row by row: a text's row of counts is skipped, with one
    max() in C, when even its largest count is below what a pair with the smallest text after
    it would need. A large book's hundred thousand pairs cost no Python call each."""
    size = len(sizes)
    smallest_after = sizes[:]
    for i in range(size - 2, -1, -1):
        smallest_after[i] = min(sizes[i], smallest_after[i + 1])
    found = set()
    for i in range(size - 1):
        if sizes[i] < MIN_SHINGLES:
            continue
        start = _pair_index(i, i + 1, size)
        row = counts[start:start + size - i - 1]
        if max(row) < _needed(sizes[i], smallest_after[i + 1]):
            continue
        found |= {(i, i + 1 + offset) for offset, shared in enumerate(row)
                  if shared >= _needed(sizes[i], sizes[i + 1 + offset])}
    return found


def _needed(size_a: int, size_b: int) -> float:
    """The fewest shared shingles with which two texts of these sizes score 1 (see score()), a
    hair lower so that rounding never screens out a pair score() would take."""
    return min(DUPLICATE_JACCARD * (size_a + size_b) / (1 + DUPLICATE_JACCARD),
               DUPLICATE_CONTAINMENT * min(size_a, size_b)) - 1e-6


def _same_url_pairs(articles: list[Article]) -> set[tuple[int, int]]:
    by_url: dict[str, list[int]] = {}
    for number, article in enumerate(articles):
        if article.meta.url:
            by_url.setdefault(article.meta.url, []).append(number)
    return {pair for numbers in by_url.values() for pair in combinations(numbers, 2)}


def credited_original(a: Article, b: Article) -> tuple[Article | None, str]:
    """Which of two copies the attribution notes treat as where the article first appeared."""
    for copy, other in ((a, b), (b, a)):
        named = copy.meta.original_source.name if copy.meta.original_source else None
        if named and other.meta.publisher and _same_name(named, other.meta.publisher):
            return other, f"the other copy names {other.meta.publisher} as where it first appeared"
    date_a, date_b = _first_date(a), _first_date(b)
    if date_a and date_b and date_a != date_b:
        earlier = a if date_a < date_b else b
        return earlier, f"it has the earlier date, {format_date(min(date_a, date_b))}"
    return None, "the dates do not tell which came first; set 'original_source:' on the later copy"


def _first_date(article: Article) -> dt.date | None:
    source = article.meta.original_source
    return (source.date if source and source.date else None) or article.meta.date


def _same_name(a: str, b: str) -> bool:
    def squash(name: str) -> str:
        return re.sub(r"\W+|^the\b", "", name.lower())

    return squash(a) == squash(b)


def duplicate_findings(articles: list[Article], root: Path | None,
                       texts: TextIndex | None = None) -> list[Finding]:
    findings = []
    for dup in find_duplicates(articles, texts):
        a, b = article_label(dup.first, root), article_label(dup.second, root)
        if dup.original is None:
            credit, copy = f"cannot tell which is the original: {dup.why}", dup.second
        else:
            original = article_label(dup.original, root)
            publisher = dup.original.meta.publisher or "its publisher"
            credit = f"the attribution credits {original} ({publisher}) as the original: {dup.why}"
            copy = dup.second if dup.original is dup.first else dup.first
        message = (
            f"near-duplicate: {a} and {b} are the same article ({round(dup.similarity * 100)}% of the text shared); "
            f"{credit}; keep one of them"
        )
        findings.append(Finding("warning", "near-duplicate", article_label(copy, root), message))
    return findings


def count(findings: list[Finding], level: Level) -> int:
    return sum(1 for finding in findings if finding.level == level)
