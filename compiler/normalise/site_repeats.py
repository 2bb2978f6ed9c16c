"""The collection as evidence: blocks that recur across articles of one site are its boilerplate.

(The normaliser, compiler/normalise/, cleans one article at a time; this is its one step that
needs the whole collection, so it runs when the collection is loaded.)

Editors usually collect several articles from one site, and the site prints the same plea, the
same author box, the same footer under each. A block that the normaliser kept in two or more
articles of one site, once names, dates and numbers are masked, is the site's even when no
rule knows it. Articles that are copies of each other (one article syndicated twice) share
their prose: they count as one, so their text is never taken for boilerplate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlparse

from ..model import Article, Block, BlockKind, Removal

RULE = "collection.repeated"
REASON = "Printed under {count} articles of this site: the site's own text, not the article's"
MAX_WORDS = 80  # longer blocks are prose; a site's boxes are short
MIN_KEPT_WORDS = 3  # a masked block needs this many words left to mean something
COPY_SHARE = 0.5  # articles sharing this share of their blocks are copies of one article

_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")
_CAPITALISED = re.compile(r"(?<=\s)[A-ZÀ-ÞĀ-ſ][\w’'.-]*")  # a name or a title word, not a sentence's first word
_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE)


def site_of(article: Article) -> str | None:
    """The site an article was saved from: its address's host, else the publisher it names."""
    for address in (article.meta.url, article.meta.publisher_url, article.meta.source):
        host = urlparse(address or "").hostname
        if host:
            return host.removeprefix("www.")
    publisher = article.meta.publisher
    return "".join(publisher.lower().split()) if publisher else None


def masked(block: Block) -> str | None:
    """The block's text with names, dates and numbers masked; None when too little is left to compare."""
    if block.kind in (BlockKind.FIGURE, BlockKind.SEPARATOR, BlockKind.CODE) or not block.text:
        return None
    if not MIN_KEPT_WORDS <= block.words <= MAX_WORDS:
        return None
    return _masked_text(block.text)


@lru_cache(maxsize=16384)  # every build (and every studio edit) compares the same blocks again
def _masked_text(original: str) -> str | None:
    text = _MONTH.sub("#", _NUMBER.sub("#", _CAPITALISED.sub("@", " " + original)))
    kept = [word for word in text.split() if word not in {"#", "@"}]
    if len(kept) < MIN_KEPT_WORDS:
        return None
    return " ".join(text.lower().split())


def remove_site_repeats(articles: list[Article], kept: Callable[[Article, Block], bool] | None = None) -> None:
    """Take the blocks each site repeats out of its articles, recorded under `collection.repeated`;
    `kept` says which blocks the editor keeps (`keep:`), which stay whatever repeats them."""
    by_site: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        site = site_of(article)
        if site is not None:
            by_site[site].append(article)
    for group in by_site.values():
        if len(group) > 1:
            _remove_repeats(group, kept)


def _remove_repeats(group: list[Article], kept: Callable[[Article, Block], bool] | None) -> None:
    prints = [{key for block in article.blocks if (key := masked(block)) is not None} for article in group]
    copies = _copies(prints)
    owners: dict[str, set[int]] = defaultdict(set)
    for number, keys in enumerate(prints):
        for key in keys:
            owners[key].add(copies[number])
    repeated = {key: len(found) for key, found in owners.items() if len(found) > 1}
    if not repeated:
        return
    for article in group:
        _take_out(article, repeated, kept)


def _copies(prints: list[set[str]]) -> list[int]:
    """For each article, the number of the first article it is a copy of (itself when none)."""
    first: list[int] = []
    for number, keys in enumerate(prints):
        same = next((other for other in range(number) if _shared(keys, prints[other]) >= COPY_SHARE), number)
        first.append(first[same] if same != number else number)
    return first


def _shared(a: set[str], b: set[str]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def _take_out(article: Article, repeated: dict[str, int], keep: Callable[[Article, Block], bool] | None) -> None:
    kept: list[Block] = []
    removals: list[Removal] = []
    for block in article.blocks:
        key = masked(block)
        if key is None or key not in repeated or (keep is not None and keep(article, block)):
            kept.append(block)
            continue
        removals.append(Removal(rule=RULE, reason=REASON.format(count=repeated[key]), text=block.text,
                                index=block.index if block.index is not None else -1, block=block))
    if not removals or not kept:
        return  # an article that would be left empty is all the site's: the audit says so, not this
    article.blocks = kept
    article.removed = sorted([*article.removed, *removals], key=lambda removal: removal.index)
    for name in ("words", "words_removed"):  # counted again for the new lists
        article.__dict__.pop(name, None)
