"""What a saved page says about itself: every candidate for each metadata field, as evidence.

trafilatura reads one title, author, date and site name, each its own guess. This module keeps
all the candidates a page offers so the reader can choose between them: the visible headlines,
`og:title`, `<title>` and JSON-LD `headline`; the names the site gives itself (`og:site_name`,
JSON-LD publisher, its host); the visible byline, JSON-LD authors (people and organisations) and
the author meta tag; the publication date from JSON-LD, `article:published_time` and the other
date meta tags, and `<time datetime>`; the page's declared language and its figures' captions.
"""

from __future__ import annotations

import copy
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
    titles: list[tuple[str, str]] = field(default_factory=list)  # (source, text): "h1", "og:title", "tab", "jsonld"
    site_names: list[str] = field(default_factory=list)  # what the page says its name is, most explicit first
    people: list[str] = field(default_factory=list)  # JSON-LD authors typed as persons (or untyped)
    meta_authors: list[str] = field(default_factory=list)  # <meta name="author"> and the like, not addresses
    published: dt.date | None = None  # the publication date the markup declares (never the update date)
    host: str | None = None
    original_url: str | None = None  # a canonical link to another site


def page_facts(tree: etree._Element, doc: etree._Element) -> PageFacts:
    """Facts from the page tree and the root of trafilatura's XML (its attributes are the metadata)."""
    url = _clean(_own_url(tree) or doc.get("url"))
    articles = ld_articles(tree)
    return PageFacts(
        titles=title_candidates(tree, articles),
        site_names=site_names(tree, articles, url),
        people=ld_people(articles),
        meta_authors=meta_authors(tree),
        published=published_date(tree, articles),
        host=urlparse(url or "").hostname,
        original_url=_elsewhere(tree, url),
        title=_clean(doc.get("title")),
        standfirst=standfirst(tree),
        author=_clean(doc.get("author")),
        byline=visible_byline(tree),
        organisations=ld_organisation_authors(articles),
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
            text = _lines(element)
            if 2 < len(text) <= MAX_BYLINE_CHARS:
                return text
    return None


def _lines(element: etree._Element) -> str:
    """The element's text with its line breaks kept: a byline's second line is often a dateline."""
    clone = copy.deepcopy(element)
    for node in clone.iter():
        node.text = (node.text or "").replace("\n", " ") or None
        node.tail = (node.tail or "").replace("\n", " ") or None
        if node.tag in ("br", "p", "div", "li"):  # where the page starts a new line
            node.tail = "\n" + (node.tail or "")
    lines = [" ".join(line.split()) for line in clone.text_content().splitlines()]
    return "\n".join(line for line in lines if line)


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


def ld_articles(tree: etree._Element) -> list[dict[str, object]]:
    """The JSON-LD nodes that describe an article (broken structured data, common, says nothing)."""
    found = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        found += [node for node in _ld_nodes(data) if _types(node) & ARTICLE_TYPES]
    # a page's own article before the WebPage node that wraps it
    return sorted(found, key=lambda node: "webpage" in _types(node))


def _ld_authors(articles: list[dict[str, object]]) -> list[dict[str, object]]:
    for node in articles:
        authors = [a if isinstance(a, dict) else {"name": a} for a in _as_list(node.get("author"))]
        authors = [a for a in authors if isinstance(a.get("name"), str) and a["name"].strip()]
        if authors:
            return authors
    return []


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value] if value else []


def ld_organisation_authors(articles: list[dict[str, object]]) -> list[str]:
    """Names of the organisations JSON-LD gives as an article's author."""
    names = [str(a["name"]).strip() for a in _ld_authors(articles) if "organization" in _types(a)]
    return list(dict.fromkeys(names))


def ld_people(articles: list[dict[str, object]]) -> list[str]:
    names = [str(a["name"]).strip() for a in _ld_authors(articles) if "organization" not in _types(a)]
    return list(dict.fromkeys(names))


def meta_authors(tree: etree._Element) -> list[str]:
    values = tree.xpath("//meta[@name='author' or @property='article:author' or @name='byl' or "
                        "@name='parsely-author' or @name='sailthru.author' or @name='dc.creator']/@content")
    found = [" ".join(v.split()) for v in values if v.strip() and not re.match(r"\s*(?:https?:|www\.|/)", v)]
    return list(dict.fromkeys(found))


_BRANDING = re.compile(r"logo|brand|site-?(?:title|name)|masthead", re.IGNORECASE)


def title_candidates(tree: etree._Element, articles: list[dict[str, object]]) -> list[tuple[str, str]]:
    """Every title the page offers: its visible h1 headlines, og:title, the tab's title, JSON-LD headline."""
    found: list[tuple[str, str]] = []
    headlines = [h for h in tree.iter("h1") if not _outside_article(h) and not _branding(h)]
    # an h1 inside the article element first: a site can use another h1 for its name
    headlines.sort(key=lambda h: not any(a.tag == "article" for a in h.iterancestors()))
    found += [("h1", text) for text in map(_text, headlines) if text]
    found += [("og:title", v) for v in tree.xpath("//meta[@property='og:title' or @name='og:title']/@content")]
    found += [("tab", _text(t)) for t in tree.xpath("//head/title | /html/title")[:1]]
    found += [("jsonld", str(n["headline"])) for n in articles if isinstance(n.get("headline"), str)]
    cleaned = [(source, " ".join(text.split())) for source, text in found]
    return [(source, text) for source, text in cleaned if text]


def _branding(element: etree._Element) -> bool:
    return any(_BRANDING.search(f"{n.get('class', '')} {n.get('id', '')}") for n in (element, *element.iterancestors()))


def _text(element: etree._Element) -> str:
    return " ".join(element.text_content().split())


def site_names(tree: etree._Element, articles: list[dict[str, object]], url: str | None) -> list[str]:
    """What the page says its name is: og:site_name, the JSON-LD publisher, application-name, its host."""
    names = list(tree.xpath("//meta[@property='og:site_name' or @name='og:site_name' or @name='application-name' "
                            "or @name='apple-mobile-web-app-title']/@content"))
    for node in articles:
        for publisher in _as_list(node.get("publisher")):
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                names.append(publisher["name"])
    host = (urlparse(url or "").hostname or "").removeprefix("www.")
    if host:
        names.append(host)
    cleaned = [" ".join(name.split()) for name in names if name and name.strip()]
    return list(dict.fromkeys(cleaned))


_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
              "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued", "dcterms.created",
              "dcterms.issued", "sailthru.date", "parsely-pub-date",
              "article.published")
_UPDATED = re.compile(r"modif|updat|revis|edited", re.IGNORECASE)


def published_date(tree: etree._Element, articles: list[dict[str, object]]) -> dt.date | None:
    """The publication date the markup declares: JSON-LD, then meta tags, then a <time> in the article.

    Never dateModified or a time marked as an update: a reprint's date is when it was published.
    """
    for node in articles:
        found = _iso(str(node.get("datePublished") or node.get("dateCreated") or ""))
        if found:
            return found
    by_name = {}
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if name in _DATE_META and name not in by_name:
            by_name[name] = _iso((meta.get("content") or "").strip())
    for name in _DATE_META:
        if by_name.get(name):
            return by_name[name]
    times = [t for t in tree.iter("time") if t.get("datetime") and not _outside_article(t)
             and not _UPDATED.search(f"{t.get('class', '')} {t.get('itemprop', '')} {_parent_names(t)}")]
    times.sort(key=lambda t: t.get("itemprop") != "datePublished" and t.get("pubdate") is None)
    return next((d for d in (_iso(t.get("datetime")) for t in times) if d), None)


def _parent_names(element: etree._Element) -> str:
    parent = element.getparent()
    return f"{parent.get('class', '')} {parent.get('id', '')}" if parent is not None else ""


def _address(tree: etree._Element, path: str) -> str | None:
    return next((h.strip() for h in tree.xpath(path) if h.strip().startswith(("http://", "https://"))), None)


def _own_url(tree: etree._Element) -> str | None:
    """This copy's address: og:url before the canonical link, which a republisher points at the original."""
    return _address(tree, "//meta[@property='og:url']/@content") or _address(tree, "//link[@rel='canonical']/@href")


def _elsewhere(tree: etree._Element, url: str | None) -> str | None:
    """The canonical address when it is on another site than this copy: where the article first appeared."""
    canonical = _address(tree, "//link[@rel='canonical']/@href")
    host = (urlparse(canonical or "").hostname or "").removeprefix("www.")
    own = (urlparse(url or "").hostname or "").removeprefix("www.")
    return canonical if canonical and host and own and host != own else None


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
