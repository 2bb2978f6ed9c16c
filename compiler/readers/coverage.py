"""What extraction kept of a page, what it left out, and the article text it should not have lost.

trafilatura picks one container for the article and can stop where a page splits its body
around an advert or a newsletter box, keeping only the part before it. This module compares
the extraction with the page's own visible text, block by block:

- every visible text block of the page (a paragraph, a heading, a list, a cell) is either
  covered by the extraction or left out of it;
- prose paragraphs in the article's container that extraction left out between or after the
  paragraphs it kept are the article's own text, and are recovered in their place;
- everything else left out (navigation, footers, sidebars, adverts) is reported, so the
  review report can show what the book does not print and the summary can count it;
- an article that looks cut short (a teaser ending in an ellipsis, a paywall notice, a body far
  shorter than its container's prose) is named in a warning.

Blocks are compared by their word trigrams, so inline markup and spacing do not matter.
"""

from __future__ import annotations

import copy
import html as html_lib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..model import Block, BlockKind
from .sanitise import ImagePolicy, sanitise
from .xmlsafe import parse_xml

# Elements whose text a reader of the page never sees as text.
_UNSEEN = {"script", "style", "noscript", "template", "svg", "head", "title", "meta", "link", "iframe", "select",
           "option", "object", "embed", "canvas", "video", "audio", "math", "textarea", "input", "button"}
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "td", "th",
               "figcaption", "caption", "address", "div", "section", "article", "main", "aside", "nav", "header",
               "footer", "form", "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr", "figure", "details",
               "summary", "fieldset", "legend", "body", "center", "hr", "html"}
_LISTS = {"ul", "ol", "dl"}
_ARTICLE_LIKE = re.compile(r"\barticle-?body\b|\bpost-?body\b|\bentry-content\b|\bstory-?body\b", re.IGNORECASE)
# Boxes inside an article container that are not its text.
FURNITURE = re.compile(
    r"advert|\bads?\b|\bad-|-ad\b|promo|sponsor|newsletter|subscribe|signup|sign-up|related|recommend|share|"
    r"social|comment|sidebar|widget|footer|cookie|consent|popup|modal|paywall|breadcrumb|\btags?\b|author-?bio|"
    r"more-?stories|read-?more|donat|rating|licen[cs]e|author|\bbio\b|epic|contribut|support|\bvot(?:e|ing)\b|\bpoll\b|caption|credit|toolbar|print|inline-?box|embed|teaser|outbrain|taboola",
    re.IGNORECASE,
)
_FURNITURE_ROLES = ("complementary", "navigation", "banner", "contentinfo")
_FURNITURE_TAGS = {"aside", "nav", "footer", "form", "header", "figure", "menu"}
PROSE_WORDS = 10  # a recovered paragraph is at least this long
MIN_RECOVERED = 2  # paragraphs
_SENTENCE_END = re.compile(r"""[.!?…:;"”’»)\]]\s*$""")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*$")
PAYWALL = re.compile(
    r"subscribe (?:now )?to (?:continue|keep|read)|to continue reading|continue reading (?:this|the) (?:article|story)"
    r" (?:with|by)|(?:article|story|content) is (?:only )?(?:for|available to)"
    r" (?:subscribers|members)|subscribers? only|sign in to (?:continue|read)|register (?:now )?to (?:continue|read)|"
    r"premium (?:article|content)|unlock (?:this|the full) (?:article|story)|"
    r"jetzt weiterlesen|weiterlesen mit|nur für abonnenten|exclusivo para suscriptores|contenido exclusivo",
    re.IGNORECASE,
)
SHORT_SHARE = 0.4  # a body under this share of its container's prose looks cut short
SHORT_MIN_WORDS = 150  # ... when the container holds at least this much prose
_WORD = re.compile(r"\w+")


@dataclass
class PageBlock:
    element: etree._Element
    text: str
    order: int
    atomic: bool  # the element's whole text (a list), not only its own
    tokens: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Coverage:
    blocks: list[Block]  # the extraction's blocks with the recovered ones in their place
    left_out: list[tuple[Block | None, str]]  # (the block it follows, None before all; its text)
    warnings: list[str]
    recovered: int = 0


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def page_blocks(root: etree._Element) -> list[PageBlock]:
    """The page's visible text blocks in reading order: paragraphs, headings, cells, whole lists."""
    body = root.find("body")
    found: list[PageBlock] = []
    for element, text, atomic in _walk(body if body is not None else root):
        text = " ".join(text.split())
        if text:
            found.append(PageBlock(element, text, len(found), atomic, tokens(text)))
    return found


def _hidden(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _UNSEEN or not tag:
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return element.get("hidden") is not None or "display:none" in style or element.get("aria-hidden") == "true"


def _is_block(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and element.tag in _BLOCK_TAGS


def _simple_list(element: etree._Element) -> bool:
    """A list of short items (a menu, tags, links): one block. A list whose items hold paragraphs is not."""
    return all(not _is_block(d) or d.tag in ("li", "dt", "dd", "ul", "ol", "dl") for d in element.iterdescendants())


def _walk(element: etree._Element) -> Iterator[tuple[etree._Element, str, bool]]:
    if element.tag in _LISTS and _simple_list(element):
        yield element, " ".join(_visible_text(element)), True
        return
    own: list[str] = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not _hidden(child):
            if _is_block(child) or any(_is_block(d) for d in child.iterdescendants()):
                yield element, "".join(own), False
                own = []
                yield from _walk(child)
            else:
                own.extend(_visible_text(child))
        own.append(child.tail or "")
    yield element, "".join(own), False


def _visible_text(element: etree._Element) -> list[str]:
    if _hidden(element):
        return []
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.extend(_visible_text(child))
            if child.tag in ("li", "dt", "dd", "br", "td", "th"):
                parts.append(" ")
        parts.append(child.tail or "")
    return parts


# The lean extraction's choice of blocks ------------------------------------------------------


def lean_choice(blocks: list[Block], lean: str | None) -> list[Block]:
    """The blocks of the rich extraction whose words the lean one also chose.

    Asked to keep links and images, trafilatura keeps more of a page's furniture (a "More on this"
    heading over its links, a print button, a photo credit); asked for text alone it is stricter.
    The rich extraction gives the markup, the lean one decides which blocks are the article's.
    A figure stays when it stands among the chosen text. Without a lean choice all blocks stay.
    """
    words = tokens(lean or "")
    if len(words) < PROSE_WORDS:
        return blocks
    grams = _trigrams(words)
    joined = f" {' '.join(words)} "
    chosen = [block.kind is not BlockKind.FIGURE and _chosen(tokens(block.text), grams, joined) for block in blocks]
    if not any(chosen):
        return blocks
    first = chosen.index(True)
    last = len(chosen) - 1 - chosen[::-1].index(True)
    figures = [block.kind is BlockKind.FIGURE for block in blocks]

    def beside_text(index: int) -> bool:  # among the chosen text, or next to it with only figures between
        if index < first:
            return all(figures[index:first])
        return index < last or all(figures[last + 1 : index + 1])

    return [block for index, (block, ok) in enumerate(zip(blocks, chosen, strict=True))
            if ok or (figures[index] and beside_text(index))]


def _chosen(words: list[str], grams: set[tuple[str, ...]], joined: str) -> bool:
    if len(words) < 3:
        return not words or f" {' '.join(words)} " in joined
    own = _trigrams(words)
    return sum(1 for gram in own if gram in grams) >= 0.5 * len(own)


# Which page block each extracted block came from ----------------------------------------------


def _covering(page: list[PageBlock], blocks: list[Block]) -> list[int | None]:
    """For each page block, the index of the extracted block holding its words, or None."""
    owner: dict[tuple[str, ...], int] = {}
    joined = []
    for index, block in enumerate(blocks):
        words = tokens(block.text)
        joined.append(f" {' '.join(words)} ")
        for gram in _trigrams(words):
            owner.setdefault(gram, index)
    covering: list[int | None] = []
    for item in page:
        grams = _trigrams(item.tokens)
        if len(item.tokens) < 3:
            needle = f" {' '.join(item.tokens)} "
            covering.append(next((i for i, text in enumerate(joined) if needle in text), None))
            continue
        votes = Counter(owner[gram] for gram in grams if gram in owner)
        best = votes.most_common(1)
        covering.append(best[0][0] if best and sum(votes.values()) >= 0.5 * len(grams) else None)
    return covering


def _kept_box(page: list[PageBlock], covering: list[int | None]) -> etree._Element | None:
    """The smallest element holding all the prose extraction kept: the box trafilatura chose."""
    kept = [item.element for item, owner in zip(page, covering, strict=True)
            if owner is not None and item.words >= PROSE_WORDS]
    if not kept:
        return None
    common = kept[0]
    for element in kept[1:]:
        while common is not None and not _contains(common, element):
            common = common.getparent()
    return common


def _container(box: etree._Element | None) -> etree._Element | None:
    """The article's container: the nearest article-like element around the box extraction kept."""
    if box is None:
        return None
    common = box
    around = [common]
    for ancestor in common.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        around.append(ancestor)
    # the strongest marking first: a page may split its article element's body into several boxes
    for test in (_is_article, lambda e: bool(_ARTICLE_LIKE.search(e.get("class") or "")), lambda e: e.tag == "main"):
        found = next((element for element in around if test(element)), None)
        if found is not None:
            return found
    return common


def _is_article(element: etree._Element) -> bool:
    return element.tag == "article" or element.get("itemprop") == "articleBody"


def _contains(ancestor: etree._Element, element: etree._Element) -> bool:
    return ancestor is element or any(a is ancestor for a in element.iterancestors())


def _in_furniture(element: etree._Element, container: etree._Element) -> bool:
    for node in (element, *element.iterancestors()):
        if node is container:
            return False
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if node.tag in _FURNITURE_TAGS or FURNITURE.search(names) or node.get("role") in _FURNITURE_ROLES:
            return True
    return True  # outside the container


def _prose(item: PageBlock) -> bool:
    if item.atomic or item.element.tag not in ("p", "div", "blockquote"):
        return False
    if item.words < PROSE_WORDS or not _SENTENCE_END.search(item.text):
        return False
    link_words = sum(len(" ".join(a.text_content().split()).split()) for a in item.element.iter("a"))
    return link_words <= 0.3 * item.words


# Putting it together ---------------------------------------------------------------------------


def account(root: etree._Element, blocks: list[Block], images: ImagePolicy, lean: str | None = None) -> Coverage:
    """The extraction's blocks with lost article text recovered, what was left out, and warnings.

    `lean` is the text-only extraction's text: page blocks it holds that the rich extraction lost
    are recovered too.
    """
    page = page_blocks(root)
    covering = _covering(page, blocks)
    box = _kept_box(page, covering)
    container = _container(box)
    recovered = _recoverable(page, covering, box, container) | _in_lean(page, covering, lean)
    inserted: dict[int, list[Block]] = {}  # extracted block index -> blocks recovered after it
    where = -1
    for item, owner in zip(page, covering, strict=True):
        if owner is not None:
            where = max(where, owner)
        elif item.order in recovered:
            inserted.setdefault(where, []).append(recovered[item.order])
    out = inserted.get(-1, []) + [b for i, block in enumerate(blocks) for b in (block, *inserted.get(i, []))]
    position = {id(block): index for index, block in enumerate(out)}
    left_out: list[tuple[Block | None, str]] = []
    last = -1  # the furthest kept block seen so far: a left-out block is shown after it
    for item, owner in zip(page, covering, strict=True):
        if owner is not None:
            last = max(last, position[id(blocks[owner])])
        elif item.order in recovered:
            last = max(last, position[id(recovered[item.order])])
        else:
            left_out.append((out[last] if last >= 0 else None, item.text))
    return Coverage(out, left_out, cut_short(out, page, container, root), recovered=len(recovered))


def _recoverable(page: list[PageBlock], covering: list[int | None], box: etree._Element | None,
                 container: etree._Element | None) -> dict[int, Block]:
    """Page order -> block, for the container's prose that extraction skipped after its first paragraph.

    Only prose outside the box extraction took counts: inside it, trafilatura saw a paragraph and
    judged it furniture. A single paragraph is not enough either: what follows an article alone is
    mostly an author's bio or a note.
    """
    if container is None or box is None:
        return {}
    first = next((i for i, owner in enumerate(covering) if owner is not None and page[i].words >= PROSE_WORDS), None)
    if first is None:
        return {}
    found: dict[int, Block] = {}
    for item, owner in zip(page[first + 1 :], covering[first + 1 :], strict=True):
        if owner is None and _prose(item) and not _contains(box, item.element) and \
                not _in_furniture(item.element, container):
            block = page_block(item)
            if block is not None:
                found[item.order] = block
    return found if len(found) >= MIN_RECOVERED else {}


_LEAN_TAGS = {"p", "div", "blockquote", "td", "li", "dd", "section", "h2", "h3", "h4", "h5", "h6"}
LEAN_MIN_WORDS = 4


def _in_lean(page: list[PageBlock], covering: list[int | None], lean: str | None) -> dict[int, Block]:
    """Page order -> block, for page text the text-only extraction took and the rich one lost."""
    grams = _trigrams(tokens(lean or ""))
    found: dict[int, Block] = {}
    for item, owner in zip(page, covering, strict=True):
        if owner is not None or item.atomic or item.words < LEAN_MIN_WORDS or item.element.tag not in _LEAN_TAGS:
            continue
        own = _trigrams(item.tokens)
        if sum(1 for gram in own if gram in grams) < 0.6 * len(own):
            continue
        block = _heading_block(item) if item.element.tag.startswith("h") else page_block(item)
        if block is not None:
            found[item.order] = block
    return found


def _heading_block(item: PageBlock) -> Block:
    level = int(item.element.tag[1])
    return Block(kind=BlockKind.HEADING, html=f"<h{level}>{html_lib.escape(item.text, quote=False)}</h{level}>",
                 text=item.text, level=level)


def page_block(item: PageBlock) -> Block | None:
    """A page paragraph as a model block: its inline markup, sanitised; its nested blocks' words dropped."""
    p = etree.Element("p")
    element = item.element
    p.text = element.text
    for child in element:
        if _hidden(child) or _is_block(child):
            continue
        clone = copy.deepcopy(child)
        clone.tail = None
        p.append(clone)
    for child in element:  # the tails of every child, blocks included, are the paragraph's own text
        if child.tail:
            if len(p):
                p[-1].tail = (p[-1].tail or "") + child.tail
            else:
                p.text = (p.text or "") + child.tail
    html = sanitise(etree.tostring(p, encoding="unicode"))
    if not html.startswith("<p"):
        return None
    text = " ".join("".join(parse_xml(f"<div>{html}</div>").itertext()).split())
    if not html.endswith("</p>") or html.count("<p") > 1:  # the sanitiser split it: its words, plainly
        html = f"<p>{html_lib.escape(text, quote=False)}</p>"
    if element.tag == "blockquote":
        html = f"<blockquote>{html}</blockquote>"
        return Block(kind=BlockKind.BLOCKQUOTE, html=html, text=text)
    return Block(kind=BlockKind.PARAGRAPH, html=html, text=text) if text else None


def cut_short(blocks: list[Block], page: list[PageBlock], container: etree._Element | None,
              root: etree._Element) -> list[str]:
    """Why the article looks cut short, as warnings (none when it looks whole)."""
    words = sum(block.words for block in blocks)
    prose = [block for block in blocks if block.kind is BlockKind.PARAGRAPH and block.words >= PROSE_WORDS]
    reasons: list[str] = []
    if prose and _ELLIPSIS.search(prose[-1].text):
        ending = prose[-1].text[-60:].split(" ", 1)[-1]  # from a word's start
        reasons.append(f"its last paragraph ends in an ellipsis (\u201c…{ending}\u201d)")
    notice = next((item.text for item in page if item.words <= 60 and PAYWALL.search(item.text)
                   and not _in_site_frame(item.element)), None)
    if notice:
        reasons.append(f"the page says \u201c{notice[:80]}\u201d")
    if container is not None:
        total = sum(item.words for item in page if _contains(container, item.element) and _prose(item))
        if total >= SHORT_MIN_WORDS and words < SHORT_SHARE * total:
            reasons.append(f"its text is {words} words of the {total} in the page's article")
    if _marked_paid(root) and words < SHORT_MIN_WORDS * 2:
        reasons.append(f"the page marks the article as not free to read and it has only {words} words")
    if not reasons:
        return []
    return [f"the article looks cut short: {'; '.join(reasons)}; check it against the page"]


def _in_site_frame(element: etree._Element) -> bool:
    """In the page's header, menu or footer: a "Sign in" there is the site's, not the article's."""
    return any(node.tag in ("nav", "header", "footer") or node.get("role") in ("navigation", "banner")
               for node in (element, *element.iterancestors()))


def _marked_paid(root: etree._Element) -> bool:
    for script in root.iter("script"):
        if script.get("type") == "application/ld+json" and re.search(
                r'"isAccessibleForFree"\s*:\s*"?false', script.text or "", re.IGNORECASE):
            return True
    return False
