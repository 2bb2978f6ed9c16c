"""Saved web pages (.html, .htm): trafilatura finds the article and the page's metadata.

trafilatura drops the page furniture (navigation, sidebars, comments, share bars and most
boxes) and returns the main content as its XML (head, p, list, quote, table, graphic, hi, ref,
lb), which is converted here into the model's blocks, each passed through the sanitiser. The
rule packs then remove what extraction kept by mistake, as for Markdown. The page's metadata
fills the article's fields before the rules run (the rules fill only empty fields); the
visible byline beats structured data, which often names the outlet as the author.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..model import Article, ArticleMeta, Block, BlockKind, OriginalSource, Removal
from ..normalise.byline import parse_byline
from ..normalise.language import by_common_words, by_model
from ..normalise.titles import choose_title
from .coverage import Coverage, account, lean_choice
from .page import PageFacts, page_facts
from .sanitise import ImagePolicy, local_images, sanitise
from .text import decode, read_bytes
from .xmlsafe import parse_html, parse_xml

_EXTRACT_OPTIONS = {
    "output_format": "xml",
    "with_metadata": True,
    "include_formatting": True,
    "include_links": True,
    "include_images": True,
    "include_tables": True,
    "include_comments": False,
    "deduplicate": False,
    # dates from the page's markup only: a year in a copyright line is no publication date
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}
# The same page asked for text alone: stricter about furniture (see coverage.lean_choice).
_LEAN_OPTIONS = {"output_format": "txt", "include_comments": False, "include_tables": True,
                 "include_formatting": False, "include_links": False, "include_images": False}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# With formatting kept, trafilatura drops the space between two inline elements ("<b>1997</b>
# <b>Studium</b>" becomes "1997Studium"); moved inside the first one, the space stays.
_SPACE_BETWEEN_INLINE = re.compile(
    r"(</(?:strong|b|em|i|u|span|a|code|sup|sub|small|mark|abbr|cite|q|s|del|ins)>)\s+"
    r"(?=<(?:strong|b|em|i|u|span|a|code|sup|sub|small|mark|abbr|cite|q|s|del|ins)\b)", re.IGNORECASE)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INLINE_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup",
                "#del": "del", "#s": "s"}


class HtmlReader:
    name = "html"
    suffixes = (".html", ".htm")

    def read(self, path: Path) -> Article:
        article = read_page(read_bytes(path), str(path))
        article.source_path = path
        return article


@dataclass
class Page:
    """A decoded page: its text, the document tree, and what trafilatura extracted from it."""

    text: str
    tree: etree._Element
    extracted: etree._Element
    facts: PageFacts
    lean: str | None = None  # the text trafilatura extracts when asked for text alone
    warnings: list[str] = field(default_factory=list)


def read_page(data: bytes, source: str, declared: str | None = None, images: ImagePolicy = local_images) -> Article:
    """An Article from a page's bytes; `declared` is the server's charset, `images` the image policy."""
    page = parse_page(data, source, declared)
    return page_article(page, source, images)


def parse_page(data: bytes, source: str, declared: str | None = None) -> Page:
    text = _NOT_XML.sub("", decode(data, source, declared or _meta_charset(data)))
    if not text.strip():
        raise InputError(f"{source}: the page is empty")
    try:
        tree = parse_html(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{source}: cannot parse the page as HTML: {exc}") from None
    import trafilatura  # a slow import: only collections with HTML pay for it

    spaced = _SPACE_BETWEEN_INLINE.sub(r" \1", text)
    extracted = trafilatura.extract(spaced, **_EXTRACT_OPTIONS)
    if not extracted:
        raise InputError(f"{source}: no article text found in the page")
    root = parse_xml(extracted, recover=True)
    lean = trafilatura.extract(spaced, **_LEAN_OPTIONS)
    return Page(text=text, tree=tree, extracted=root, facts=page_facts(tree, root), lean=lean)


def _meta_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def page_article(page: Page, source: str, images: ImagePolicy) -> Article:
    meta = page_meta(page.facts, source)
    main = page.extracted.find("main")
    extracted = convert_blocks(main if main is not None else page.extracted, page.facts.captions, images)
    coverage = account(page.tree, lean_choice(extracted, page.lean), images, page.lean)
    meta.language = text_language(coverage.blocks, meta.language)
    blocks = _with_title(_standfirst(coverage.blocks, meta, page.facts.standfirst), meta.title)
    return Article(meta=meta, blocks=blocks, removed=left_out(coverage, blocks, meta),
                   warnings=page.warnings + coverage.warnings)


LEFT_OUT_RULE = "extraction.left-out"
LANGUAGE_SAMPLE_CHARS = 2000
MIN_LANGUAGE_CHARS = 200  # below this the text's language is a guess, and the page's word stands


def text_language(blocks: list[Block], declared: str | None) -> str | None:
    """The declared language, unless the article's text is clearly in another one.

    Templates are often copied between sites in different languages with their `lang` attribute
    unchanged; a reader's eyes go by the text. "Clearly" is the common-word count deciding or the
    language model being sure (normalise.language), on a few hundred characters of prose.
    """
    sample = " ".join(b.text for b in blocks if b.kind is BlockKind.PARAGRAPH)[:LANGUAGE_SAMPLE_CHARS]
    if len(sample) < MIN_LANGUAGE_CHARS:
        return declared
    found = by_common_words(sample) or by_model(sample)
    return found if found and found != declared else declared


def left_out(coverage: Coverage, blocks: list[Block], meta: ArticleMeta) -> list[Removal]:
    """The page text extraction left out, as removals placed after the block they followed on the page.

    The title and subtitle are printed in the heading, so the page's copies of them are not lost.
    """
    position = {id(block): index for index, block in enumerate(blocks)}
    order = {id(block): index for index, block in enumerate(coverage.blocks)}
    printed = {_key(text) for text in (meta.title, meta.subtitle) if text}
    removals = []
    for follows, text in coverage.left_out:
        if _key(text) in printed:
            continue
        index = -1
        if follows is not None:  # the block it followed, or the nearest before it still in the body
            earlier = coverage.blocks[: order[id(follows)] + 1]
            index = next((position[id(b)] for b in reversed(earlier) if id(b) in position), -1)
        # as a plain paragraph, so that an editor's `keep:` can put it back where it stood on the page
        block = Block(kind=BlockKind.PARAGRAPH, html=f"<p>{html_lib.escape(text, quote=False)}</p>", text=text,
                      index=index)
        removals.append(Removal(rule=LEFT_OUT_RULE, reason="left out by extraction", text=text, index=index,
                                kind="left-out", block=block))
    return removals


def page_meta(facts: PageFacts, source: str) -> ArticleMeta:
    """The article's metadata chosen from all the page's evidence (page.py gathers it)."""
    sites = facts.site_names or ([facts.site_name] if facts.site_name else [])
    authors, outlets, byline_date = resolve_authors(facts, sites)
    meta = ArticleMeta(
        title=choose_title(facts.titles, sites, authors) or facts.title,
        authors=authors,
        # the date the markup declares, then the byline's; trafilatura's own guess last
        date=facts.published or byline_date or facts.date,
        publisher=_publisher(facts, sites),
        publisher_url=facts.site_url,
        licence=facts.licence,
        language=facts.language,
        subjects=list(facts.subjects),
        source=source,
        url=facts.url,
    )
    if outlets:
        meta.original_source = OriginalSource(name=outlets[0], url=facts.original_url)
    return meta


def _publisher(facts: PageFacts, sites: list[str]) -> str | None:
    """The site's own name: og:site_name or the JSON-LD publisher; its host only when it names itself nowhere."""
    named = [name for name in sites if name != (facts.host or "").removeprefix("www.")]
    return named[0] if named else facts.site_name or (sites[0] if sites else None)


def resolve_authors(facts: PageFacts, sites: list[str]) -> tuple[list[str], list[str], dt.date | None]:
    """(authors, outlets the article came from, the byline's date).

    The visible byline wins over structured data, which often names the outlet or a staff account
    as the author; every candidate goes through the byline parser, so an outlet or agency in any of
    them is an outlet (the original source, unless it is this site) and never an author, and a CMS
    account ("admin") is no author.
    """
    known = [*sites, *facts.organisations]
    outlets = [name for name in facts.organisations if not _same_site(name, sites, facts.host)]
    authors: list[str] = []
    date = None
    for text in ([facts.byline] if facts.byline else []) + facts.people + facts.meta_authors + [facts.author or ""]:
        if not text:
            continue
        parsed = parse_byline(text, facts.language, known)
        date = date or parsed.date
        outlets += [name for name in parsed.outlets if not _same_site(name, sites, facts.host)]
        authors = [name for name in parsed.names if not _same_site(name, sites, facts.host)]
        if authors:  # the best source that names people; a worse one's guesses are not outlets
            break
    return authors, list(dict.fromkeys(outlets)), date


def _same_site(name: str, sites: list[str], host: str | None) -> bool:
    """Is this outlet the site itself: one of its names, their initials ("IPS"), or its host's name?"""
    key = _key(name).removeprefix("the")
    for site in sites:
        words = [w for w in re.findall(r"[^\W_]+", site) if w.lower() not in ("the", "of", "and")]
        initials = "".join(w[0] for w in words).lower() if len(words) > 1 else None
        if key in (_key(site).removeprefix("the"), initials):
            return True
    label = (host or "").lower().removeprefix("www.").split(".")[0]
    return len(key) >= 3 and label.startswith(key)


def _standfirst(blocks: list[Block], meta: ArticleMeta, summary: str | None) -> list[Block]:
    """The summary the page prints under its title is the subtitle, not the first paragraph."""
    for index, block in enumerate(blocks[:3]):
        if summary and block.kind is BlockKind.PARAGRAPH and _key(block.text) == _key(summary):
            meta.subtitle = meta.subtitle or block.text
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _key(name: str) -> str:
    return "".join(name.lower().split())


def _with_title(blocks: list[Block], title: str | None) -> list[Block]:
    """The title as the first block, as a scrape has it, so the title rule claims that and not prose."""
    if not title:
        return blocks
    if blocks and blocks[0].kind is BlockKind.HEADING and _key(blocks[0].text) == _key(title):
        return blocks
    heading = etree.Element("h1")
    heading.text = title
    html = sanitise(etree.tostring(heading, encoding="unicode"))
    return [Block(kind=BlockKind.HEADING, html=html, text=" ".join(title.split()), level=1), *blocks]


# trafilatura XML -> blocks -------------------------------------------------------------------


def convert_blocks(main: etree._Element, captions: dict[str, str], images: ImagePolicy) -> list[Block]:
    blocks: list[Block] = []
    for element in main:
        blocks.extend(_element_blocks(element, captions, images))
    return [block for block in blocks if block.text or block.kind in (BlockKind.FIGURE, BlockKind.SEPARATOR)]


def _element_blocks(element: etree._Element, captions: dict[str, str], images: ImagePolicy) -> list[Block]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "p" and _lone_graphic(element) is not None:
        return _figure(_lone_graphic(element), captions, images)  # type: ignore[arg-type]
    if tag == "graphic":
        return _figure(element, captions, images)
    if tag in ("div", "main"):
        return [b for child in element for b in _element_blocks(child, captions, images)]
    builders = {"p": _paragraph, "head": _heading, "list": _list, "quote": _quote, "table": _table, "code": _code}
    if tag in builders:
        return [builders[tag](element, images)]
    if tag in ("hi", "ref"):
        wrapper = etree.Element("p")
        wrapper.append(_copy(element))
        return [_paragraph(wrapper, images)]
    if any(child.tag in _CONTAINERS or child.tag in builders for child in element):
        # a box trafilatura kept as it found it (a table cell holding the article): its blocks
        return [b for child in element for b in _element_blocks(child, captions, images)]
    return [_paragraph(element, images)] if "".join(element.itertext()).strip() else []


_CONTAINERS = {"div", "main", "graphic", "cell", "row", "item"}


def _copy(element: etree._Element) -> etree._Element:
    clone = parse_xml(etree.tostring(element))
    clone.tail = None
    return clone


def _lone_graphic(element: etree._Element) -> etree._Element | None:
    children = list(element)
    if len(children) != 1 or children[0].tag != "graphic":
        return None
    alone = not (element.text or "").strip() and not (children[0].tail or "").strip()
    return children[0] if alone else None


def _inline(source: etree._Element, target: etree._Element) -> None:
    """Copy source's text and inline children into target as HTML inline elements."""
    target.text = source.text
    for child in source:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            out = etree.SubElement(target, "br")
        elif tag == "ref":
            out = etree.SubElement(target, "a")
            if child.get("target"):
                out.set("href", child.get("target"))
            _inline(child, out)
        elif tag == "graphic":
            out = etree.SubElement(target, "img", src=child.get("src", ""), alt=child.get("alt", ""))
        elif tag in ("list", "quote", "table", "head", "p"):
            out = etree.SubElement(target, "span")  # a block inside an inline context: keep its words
            out.text = " ".join("".join(child.itertext()).split())
        else:
            out = etree.SubElement(target, _INLINE_TAGS.get(child.get("rend", ""), "code" if tag == "code" else "span"))
            _inline(child, out)
        out.tail = child.tail


def _block(kind: BlockKind, element: etree._Element, images: ImagePolicy, level: int = 0) -> Block:
    xhtml = sanitise(etree.tostring(element, encoding="unicode"), images)
    parsed = parse_xml(xhtml) if xhtml else etree.Element("p")
    return Block(kind=kind, html=xhtml, text=plain_text(parsed), level=level)


_SEPARATE = {"li", "td", "th", "tr", "p", "br", "figcaption", "dt", "dd"}


def plain_text(element: etree._Element) -> str:
    """The element's words on one line, list items and table cells apart."""
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            parts.append(node.text or "")
        else:
            if node.tag in _SEPARATE:
                parts.append(" ")
            if node is not element:
                parts.append(node.tail or "")
    return " ".join("".join(parts).split())


def _paragraph(element: etree._Element, images: ImagePolicy) -> Block:
    p = etree.Element("p")
    _inline(element, p)
    block = _block(BlockKind.PARAGRAPH, p, images)
    _split_lines(block)
    return block


def _split_lines(block: Block) -> None:
    """A paragraph the page broke into lines keeps each line, as a Markdown scrape does."""
    root = parse_xml(block.html)
    if root.find("br") is None or any(br.getparent() is not root for br in root.iter("br")):
        return
    inner = block.html[len("<p>") : -len("</p>")] if block.html.startswith("<p>") else None
    if inner is None:
        return
    lines = [line.strip() for line in inner.split("<br/>")]
    texts = [plain_text(parse_xml(f"<p>{line}</p>")) for line in lines]
    kept = [(line, text) for line, text in zip(lines, texts, strict=True) if text]
    if len(kept) > 1:
        block.lines = [line for line, _ in kept]
        block.line_texts = [text for _, text in kept]
        block.html = f"<p>{' '.join(block.lines)}</p>"


def _heading(element: etree._Element, images: ImagePolicy) -> Block:
    found = re.fullmatch(r"h([1-6])", element.get("rend", ""))
    level = int(found.group(1)) if found else 2
    heading = etree.Element(f"h{level}")
    _inline(element, heading)
    return _block(BlockKind.HEADING, heading, images, level=level)


def _list(element: etree._Element, images: ImagePolicy) -> Block:
    return _block(BlockKind.LIST, _list_element(element), images)


def _list_element(element: etree._Element) -> etree._Element:
    out = etree.Element("ol" if element.get("rend") == "ol" else "ul")
    for item in element.iter("item"):
        if item.getparent() is not element:
            continue
        li = etree.SubElement(out, "li")
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            item.remove(child)
        _inline(item, li)
        for child in nested:
            li.append(_list_element(child))
    return out


def _quote(element: etree._Element, images: ImagePolicy) -> Block:
    quote = etree.Element("blockquote")
    parts = [child for child in element if child.tag in ("p", "list")]
    if not parts:
        _inline(element, etree.SubElement(quote, "p"))
    for child in parts:  # a list inside a quote keeps its items (a how-to quoted whole)
        if child.tag == "list":
            quote.append(_list_element(child))
        else:
            _inline(child, etree.SubElement(quote, "p"))
    return _block(BlockKind.BLOCKQUOTE, quote, images)


def _table(element: etree._Element, images: ImagePolicy) -> Block:
    table = etree.Element("table")
    for row in element.iter("row"):
        tr = etree.SubElement(table, "tr")
        for cell in row.iter("cell"):
            _inline(cell, etree.SubElement(tr, "th" if cell.get("role") == "head" else "td"))
    return _block(BlockKind.TABLE, table, images)


def _code(element: etree._Element, images: ImagePolicy) -> Block:
    pre = etree.Element("pre")
    etree.SubElement(pre, "code").text = "".join(element.itertext())
    block = _block(BlockKind.CODE, pre, images)
    block.text = "".join(element.itertext()).strip()
    return block


def _figure(graphic: etree._Element, captions: dict[str, str], images: ImagePolicy) -> list[Block]:
    """The image as a figure, or nothing when the image is not part of the saved page.

    An image the policy refuses (on another site, never saved beside the page) cannot be in the
    book; its caption, usually a photo credit, stays page text extraction left out, so the review
    report shows it where it stood and `keep:` can take it back.
    """
    src = graphic.get("src", "")
    alt = " ".join((graphic.get("alt") or graphic.get("title") or "").split())
    caption = captions.get(src, "")
    figure = etree.Element("figure")
    etree.SubElement(figure, "img", src=src, alt=alt)
    if caption:
        etree.SubElement(figure, "figcaption").text = caption
    html = sanitise(etree.tostring(figure, encoding="unicode"), images)
    if "<img" not in html:
        return []
    return [Block(kind=BlockKind.FIGURE, html=html, text=caption or alt, lines=[src])]


def iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
