"""An article's title from the candidates a page offers, without the site's name.

A page names its article several times: the visible headline, the browser tab's `<title>`, the
social-media `og:title`, JSON-LD's `headline`. The tab and social titles usually carry the site's
name (" | Site", "Site - "), and the social one is sometimes a different, catchier line. The
visible headline is what readers saw, so it wins when the other titles confirm it; the site's name
is only cut when the page itself says that is its name, so a headline with its own dash stays whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# The separators sites put between a headline and their name; spaced, so a hyphenated word or a
# dash written without spaces inside a headline is never one.
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|«)\s+")

# Section and breadcrumb labels that sit above a headline and are never one.
_SECTIONS = {
    "opinion", "opinions", "news", "analysis", "politics", "world", "business", "features", "feature",
    "commentary", "comment", "culture", "sport", "sports", "economy", "environment", "climate", "health",
    "science", "technology", "tech", "local", "national", "international", "home", "blog", "article", "essay",
    "review", "reviews", "interview", "op-ed", "oped", "editorial", "editorials", "column", "columns", "original",
    "exclusive", "latest", "investigation", "investigations", "report", "reports", "perspective", "ideas",
    "meinung", "kommentar", "politik", "wirtschaft", "opinión", "noticias", "política", "tribune",
    "actualité", "actualités", "idées", "society", "labor", "labour", "education", "media", "story", "stories",
}
_SUBSCRIPTION = re.compile(
    r"^(?:discover more from|subscribe to|sign up for|get (?:the|our) |thanks for reading|join (?:our|the) |"
    r"more from|read more from|follow )",
    re.IGNORECASE,
)
_VISIBLE = ("h1", "heading")
# When the visible headline is missing or unconfirmed: the document's own title before the
# social one, which is the one most often rewritten for sharing.
_FALLBACK_ORDER = ("title", "tab", "jsonld", "og:title")


def _key(text: str) -> str:
    """Compare titles and names ignoring case, punctuation and spacing."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _site_keys(site_names: Iterable[str]) -> set[str]:
    """Each way a site's name is written: "www.salon.com" also matches "Salon.com" and "Salon"."""
    keys: set[str] = set()
    for name in site_names:
        name = re.sub(r"^(?:https?://)?(?:www\.)?", "", (name or "").strip(), flags=re.IGNORECASE).rstrip("/")
        variants = {name, re.sub(r"\.[a-z]{2,6}(?:\.[a-z]{2})?$", "", name, flags=re.IGNORECASE)}
        variants |= {re.sub(r"^the\s+", "", v, flags=re.IGNORECASE) for v in variants}
        keys |= {_key(v) for v in variants if _key(v)}
    return keys


def _is_site(text: str, sites: set[str]) -> bool:
    return _key(text) in sites or _key(re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)) in sites


def _without_site_names(words: list[str], sites: set[str]) -> list[str]:
    """The words left once every run of words spelling a site's name is taken out."""
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            if _is_site(" ".join(words[start : start + size]), sites):
                return _without_site_names(words[:start] + words[start + size :], sites)
    return words


def _segments(title: str) -> list[str]:
    return [part.strip() for part in _SEPARATOR.split(title.strip())]


def _is_byline_segment(segment: str, author_keys: set[str]) -> bool:
    return bool(re.match(r"^by\s+\S", segment, re.IGNORECASE)) or _key(segment) in author_keys


def strip_site_name(title: str, site_names: Iterable[str] = (), authors: Iterable[str] = ()) -> str:
    """The title without the site's name (and, in "Title | by Author | Publication | Medium", all but the title)."""
    title = " ".join(title.split())
    parts = re.split(f"({_SEPARATOR.pattern})", title)  # segments at even places, separators between
    segments = parts[::2]
    if len(segments) < 2:
        return title
    author_keys = {_key(a) for a in authors if _key(a)}
    # everything from a "by …" or author segment on is the byline and its publication
    end = next((i for i in range(1, len(segments)) if _is_byline_segment(segments[i], author_keys)), len(segments))
    start, end = _without_site_ends(segments, 0, end, _site_keys(site_names), author_keys)
    return "".join(parts[2 * start : 2 * end - 1]).strip()


def _without_site_ends(
    segments: list[str], start: int, end: int, sites: set[str], author_keys: set[str]
) -> tuple[int, int]:
    """Move past site names at both ends; a name may itself hold a separator ("Ledger - Harbour Edition")."""
    while end - start > 1:
        for size in range(end - start - 1, 0, -1):
            if _is_site(" ".join(segments[end - size : end]), sites):
                end -= size
                break
            byline_first = size == 1 and _is_byline_segment(segments[start], author_keys)
            if byline_first or _is_site(" ".join(segments[start : start + size]), sites):
                start += size
                break
        else:
            break
    return start, end


def is_label(text: str, site_names: Iterable[str] = ()) -> bool:
    """A site name, a section or breadcrumb label, or a subscription heading: never an article's title."""
    text = " ".join(text.split())
    if not text or _SUBSCRIPTION.match(text):
        return True
    sites = _site_keys(site_names)
    if _is_site(text, sites):
        return True
    if re.search(r"\s[>»/›]\s", text) and all(len(p.split()) <= 3 for p in re.split(r"\s[>»/›]\s", text)):
        return True  # "Home > News > Politics"
    words = text.split()
    if len(words) > 5:
        return False
    # "Opinion", "Antiwar.com Original", "News Analysis": a site's name and section words, nothing else
    rest = _without_site_names(words, sites)
    return len(rest) <= 2 and all(w.casefold().strip(".:") in _SECTIONS or not _key(w) for w in rest)


def _agrees(headline: str, other: str) -> bool:
    """Is the visible headline the other title, one of its segments, or what a truncated one begins?"""
    head, full = _key(headline), _key(other)
    if not head or not full:
        return False
    if head == full or any(_key(s) == head for s in _segments(other)):
        return True
    cut = re.sub(r"(?:\.\.\.|…)\s*$", "", other)
    return cut != other and len(_key(cut)) >= 12 and head.startswith(_key(cut))


def choose_title(
    candidates: list[tuple[str, str]], site_names: Iterable[str] = (), authors: Iterable[str] = ()
) -> str | None:
    """The article's title: the visible headline when another title confirms it, else the stripped tab title."""
    site_names, authors = list(site_names), list(authors)
    usable = [
        (source, " ".join(text.split())) for source, text in candidates if text and not is_label(text, site_names)
    ]
    stripped = [(s, strip_site_name(t, site_names, authors)) for s, t in usable]
    stripped = [(s, t) for s, t in stripped if not is_label(t, site_names)]
    visible = [t for s, t in stripped if s in _VISIBLE]
    others = [t for s, t in usable if s not in _VISIBLE] + [t for s, t in stripped if s not in _VISIBLE]
    for headline in visible:
        if any(_agrees(headline, other) for other in others):
            return headline
    for source in _FALLBACK_ORDER:
        for s, text in stripped:
            if s == source:
                return text
    return visible[0] if visible else None
