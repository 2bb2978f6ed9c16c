"""The article's title, subtitle, authors and date, chosen from what the page's structure shows.

The structure stage found the headline, the lines between it and the prose, and the furniture
around the article; this module reads the metadata from them before the rules run (the rules
fill only the fields still empty). A byline is parsed into person names: dates, roles, outlets
and accounts are split off, and an outlet named in the byline is where the article first
appeared. The site's own name, as the page gives it (its title's suffix, the link to its home
above the headline, its copyright line), is kept apart from titles and bylines.
"""

from __future__ import annotations

import re

from ..model import ArticleMeta, Block, OriginalSource
from . import furniture as f
from .byline import looks_like_person, parse_byline
from .dates import numeric_date, parse_date
from .structure import BY_LINE, UPDATED, PageStructure, is_prose, key
from .titles import strip_site_name

_COPYRIGHT_HOLDER = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s+)?(?P<name>[^.,|]{2,60})", re.IGNORECASE
)
_BIO = re.compile(r"^(?P<name>[A-ZÀ-Þ][\w’'-]+(?:\s+[A-ZÀ-Þ][\w’'.-]+){1,3})\s+(?:is|was|has been|writes|covers|"
                  r"teaches|lives|works|reports|es|est|ist)\b")
_TITLE_BY = re.compile(r"^\s*by\s+(.+)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·|•)\s+")
_NUMERIC_DATE = re.compile(r"^\W*(\d{1,2})[./](\d{1,2})[./](\d{4})\W*$")


def apply_page_evidence(page: PageStructure, blocks: list[Block], meta: ArticleMeta) -> None:
    sites = site_names(page, blocks, meta)
    _choose_title(page, blocks, meta, sites)
    if page.subtitle and not meta.subtitle:
        meta.subtitle = page.subtitle
    _choose_authors(page, blocks, meta, sites)
    _choose_date(page, blocks, meta)
    _credit(page, blocks, meta)


def site_names(page: PageStructure, blocks: list[Block], meta: ArticleMeta) -> list[str]:
    """What the page says its own name is: publisher, home link above the headline, copyright holder."""
    names = [meta.publisher] if meta.publisher else []
    for i, kind in page.marks.items():
        block = blocks[i]
        if kind is f.BEFORE_TITLE and f.is_link_line(block, max_words=4):
            names.append(block.text.strip())
        elif kind is f.AFTER_ARTICLE or kind is f.TAIL_FURNITURE:
            found = _COPYRIGHT_HOLDER.match(block.text)
            if found and not looks_like_person(found.group("name").strip()):  # a writer's own blog is theirs
                names.append(found.group("name").strip())
    if page.tab_title and page.title_index is not None:
        # what the tab adds after the headline ("Headline | Site"), not a dash inside the headline
        headline = blocks[page.title_index].text.strip()
        if page.tab_title.startswith(headline):
            names += [part for part in _SEPARATORS.split(page.tab_title[len(headline):]) if part.strip()
                      and not _TITLE_BY.match(part)]
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(key(name), name)
    return [name for k, name in seen.items() if k]


def _choose_title(page: PageStructure, blocks: list[Block], meta: ArticleMeta, sites: list[str]) -> None:
    if page.title_index is not None:
        headline = blocks[page.title_index].text.strip()
        if not meta.title or key(meta.title) == key(headline) or key(headline) in key(meta.title):
            meta.title = strip_site_name(headline, sites)  # "Headline - The Site", when the page names the site
            page.marks[page.title_index] = f.TITLE
    elif page.tab_title and not meta.title:
        meta.title = strip_site_name(page.tab_title, sites)
    if page.tab_title and not meta.publisher:
        meta.publisher = _site_in_tab_title(page.tab_title, meta.title)
    if page.tab_title:
        page.marks[0] = f.SAVER_HEADER


def _site_in_tab_title(tab_title: str, title: str | None) -> str | None:
    """The site's name a browser tab gives after the headline ("Headline | Site"), not an author's."""
    parts = _SEPARATORS.split(tab_title)
    if len(parts) < 2 or not title or key(parts[0]) != key(title):
        return None
    site = parts[-1].strip()
    return None if looks_like_person(site) or _TITLE_BY.match(site) else site


def _choose_authors(page: PageStructure, blocks: list[Block], meta: ArticleMeta, sites: list[str]) -> None:
    if meta.authors:
        return
    byline = parse_byline(page.byline, meta.language, sites) if page.byline else None
    names = [name for name in (byline.names if byline else []) if looks_like_person(name)]
    if names:
        for i in page.byline_positions:
            page.marks[i] = f.BYLINE
    if not names and page.tab_title:
        for part in _SEPARATORS.split(page.tab_title)[1:]:
            found = _TITLE_BY.match(part)
            if found:
                names = [n for n in parse_byline(found.group(0), meta.language, sites).names if looks_like_person(n)]
    if not names:
        names = _names_from_bio(page, blocks, _accounts(page.byline))
    meta.authors = names
    outlets = [o for o in (byline.outlets if byline else []) if key(o) not in {key(s) for s in sites}]
    if outlets and meta.original_source is None:
        meta.original_source = OriginalSource(name=outlets[0])


def _accounts(byline: str | None) -> list[str]:
    """A site account a byline names ("Posted … by walt"): a login, not a person's name."""
    return re.findall(r"\bby\s+([a-z][\w.-]*)\W*$", byline or "")


def _credit(page: PageStructure, blocks: list[Block], meta: ArticleMeta) -> None:
    """A credit line outside the prose names where the article first appeared."""
    if page.body_start is None:
        return
    inside = range(page.body_start, page.body_end or len(blocks))
    for i, block in enumerate(blocks):
        if (i in inside and i not in page.marks and is_prose(block)) or block.words > f.MAX_CREDIT_WORDS:
            continue
        outlet = f.credited_outlet(block)
        if outlet is None:
            continue
        if meta.original_source is None or not meta.original_source.name:
            meta.original_source = OriginalSource(name=outlet, url=meta.original_source.url if meta.original_source
                                                  else None)
        if not BY_LINE.match(block.text):
            page.marks[i] = f.CREDIT


def _names_from_bio(page: PageStructure, blocks: list[Block], accounts: list[str]) -> list[str]:
    """An author's note after the article ("Jane Roe is a …") names the author the byline did not."""
    start = page.body_start or 0
    last_prose = max((i for i in range(start, page.body_end or len(blocks)) if is_prose(blocks[i])), default=start)
    for block in blocks[last_prose - 2 if last_prose > 2 else 0 :]:
        found = _BIO.match(block.text)
        if not found or not looks_like_person(found.group("name")):
            continue
        name = found.group("name")
        if not accounts or any(name.lower().startswith(account.lower()) for account in accounts):
            return [name]
    return []


def _choose_date(page: PageStructure, blocks: list[Block], meta: ArticleMeta) -> None:
    if meta.date is not None or page.body_start is None:
        return
    first = (page.title_index + 1) if page.title_index is not None else 0
    for i in range(first, page.body_start):
        block = blocks[i]
        if block.words > 14 or UPDATED.search(block.text):
            continue
        numeric = _NUMERIC_DATE.match(block.text)  # a line that is a date in figures alone (02.27.2024)
        date = parse_date(block.text, meta.language) or (numeric_date(block.text, meta.language) if numeric else None)
        if date is not None:
            meta.date = date
            if i not in page.marks or page.marks[i] in (f.HEAD_FURNITURE,):
                page.marks[i] = f.BYLINE
            return
