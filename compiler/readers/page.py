"""What a saved page says about itself: trafilatura's metadata plus what it leaves out.

trafilatura reads title, author, date, site name, licence, canonical URL and categories (from
meta tags, JSON-LD and the page). This module adds the facts the reader needs to decide
between them: the byline a reader of the page sees, the organisations structured data names as
author, the page's language, and the captions of its figures.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from lxml import etree

ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "report", "reportagenewsarticle", "opinionnewsarticle",
                 "analysisnewsarticle", "scholarlyarticle", "webpage", "socialmediaposting"}
# Byline elements, most specific first; nothing inside comments, sidebars or footers counts.
_BYLINE_PATHS = [
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    "//*[contains(@class, 'byline')]",
    "//*[@rel='author']",
    "//*[@itemprop='author']",
    "//*[contains(@class, 'author-name') or contains(@class, 'article-author')]",
]
_OUTSIDE = re.compile(r"comment|sidebar|widget|footer|related|bio|respond", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")
MAX_BYLINE_CHARS = 120  # longer is an author box, not a byline


@dataclass
class PageFacts:
    title: str | None = None
    standfirst: str | None = None  # the summary printed under the title, when the page marks one
    author: str | None = None  # trafilatura's choice, which may be an organisation
    byline: str | None = None  # the visible byline text
    organisations: list[str] = field(default_factory=list)  # authors structured data types as organisations
    site_name: str | None = None
    site_url: str | None = None
    url: str | None = None
    date: dt.date | None = None
    licence: str | None = None
    language: str | None = None
    subjects: list[str] = field(default_factory=list)
    captions: dict[str, str] = field(default_factory=dict)  # image src -> caption


def page_facts(tree: etree._Element, doc: etree._Element) -> PageFacts:
    """Facts from the page tree and the root of trafilatura's XML (its attributes are the metadata)."""
    url = _clean(doc.get("url"))
    return PageFacts(
        title=_clean(doc.get("title")),
        standfirst=standfirst(tree),
        author=_clean(doc.get("author")),
        byline=visible_byline(tree),
        organisations=ld_organisation_authors(tree),
        site_name=_clean(doc.get("sitename")),
        site_url=_site_url(url),
        url=url if url and url.startswith(("http://", "https://")) else None,
        date=_iso(doc.get("date")),
        licence=_clean(doc.get("license")) or _licence_link(tree),
        language=page_language(tree),
        subjects=_subjects(doc),
        captions=figure_captions(tree),
    )


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _site_url(url: str | None) -> str | None:
    parts = urlparse(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def _subjects(doc: etree._Element) -> list[str]:
    found: list[str] = []
    for name in ("categories", "tags"):
        for value in (doc.get(name) or "").split(","):
            value = value.strip()
            if value and value not in found:
                found.append(value)
    return found


def _outside_article(element: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("aside", "nav", "footer", "form"):
            return True
        if _OUTSIDE.search(f"{ancestor.get('class', '')} {ancestor.get('id', '')}"):
            return True
    return False


def visible_byline(tree: etree._Element) -> str | None:
    for path in _BYLINE_PATHS:
        for element in tree.xpath(path):
            if element.tag in ("meta", "link", "script") or _outside_article(element):
                continue
            text = " ".join(element.text_content().split())
            if 2 < len(text) <= MAX_BYLINE_CHARS:
                return text
    return None


def _ld_nodes(value: object) -> list[dict[str, object]]:
    if isinstance(value, list):
        return [node for item in value for node in _ld_nodes(item)]
    if isinstance(value, dict):
        return [value, *_ld_nodes(value.get("@graph", []))]
    return []


def _types(node: dict[str, object]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


_STANDFIRST = re.compile(r"standfirst|\bdek\b|sub-?title|subhead|\bsummary\b|excerpt|\blede\b", re.IGNORECASE)
MAX_STANDFIRST_WORDS = 60


def standfirst(tree: etree._Element) -> str | None:
    for element in tree.xpath("//*[@class]"):
        if element.tag in ("p", "div", "h2", "span") and _STANDFIRST.search(element.get("class", "")):
            text = " ".join(element.text_content().split())
            if text and len(text.split()) <= MAX_STANDFIRST_WORDS and not _outside_article(element):
                return text
    return None


def ld_organisation_authors(tree: etree._Element) -> list[str]:
    """Names of the organisations JSON-LD gives as an article's author."""
    names: list[str] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # broken structured data is common and says nothing
        for node in _ld_nodes(data):
            if not _types(node) & ARTICLE_TYPES:
                continue
            for author in _ld_nodes(node.get("author")):
                name = author.get("name")
                if isinstance(name, str) and "organization" in _types(author) and name.strip() not in names:
                    names.append(name.strip())
    return names


def page_language(tree: etree._Element) -> str | None:
    """The page's declared language, as a primary subtag ("fr" for "fr-CA" or og:locale "fr_CA")."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    candidates += tree.xpath("//meta[@property='og:locale']/@content")
    candidates += tree.xpath("//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
                             "='content-language']/@content")
    for value in candidates:
        found = _LANGUAGE.match((value or "").strip())
        if found:
            return found.group(1).lower()
    return None


def _licence_link(tree: etree._Element) -> str | None:
    for link in tree.xpath("//a[contains(concat(' ', @rel, ' '), ' license ')]"):
        text = " ".join(link.text_content().split())
        return text or link.get("href")
    return None


def figure_captions(tree: etree._Element) -> dict[str, str]:
    """Image source -> caption, from <figure>/<figcaption> and WordPress's caption boxes."""
    captions: dict[str, str] = {}
    pairs = [(f, f.find(".//figcaption")) for f in tree.iter("figure")]
    pairs += [(box, next(iter(box.xpath(".//*[contains(@class, 'caption-text')]")), None))
              for box in tree.xpath("//*[contains(@class, 'wp-caption')]")]
    for container, caption in pairs:
        img = container.find(".//img")
        if img is None or caption is None:
            continue
        text = " ".join(caption.text_content().split())
        src = (img.get("src") or "").strip()
        if text and src:
            captions.setdefault(src, text)
    return captions
