"""Numbered notes made real: `[1]`-style markers (or superscript numbers) in an article's text and
its "Notes" (or "References", "Footnotes"…) section become linked note references and endnotes
with links back, on the book's copy of the article (book.book_view), so every format has them.

The EPUB marks them up as EPUB 3 `noteref` / `endnotes` (builders/epub.py); the PDF moves each
note to the foot of the page of its marker (`float: footnote`, as_footnotes here, print.css).
An article is changed only when every note of its notes section has a marker before it: a
section of references cited by name, or markers without notes, stay as they were.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from lxml import etree

from ..model import Article, Block, BlockKind
from ..readers.xmlsafe import parse_xml

_HEADINGS = re.compile(r"(?:end|foot)?notes?|references|sources and notes|anmerkungen|fußnoten|références|notas",
                       re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)]|\^(\d{1,3}))\s+")
_ITEM_HTML = re.compile(r"^(<p[^>]*>)\s*(?:\[\d{1,3}\]|\d{1,3}[.)]|\^\d{1,3})\s*")
_MARKER = re.compile(r"\[(\d{1,3})\]|<sup>\s*\[?(\d{1,3})\]?\s*</sup>")
_TAG = re.compile(r"(<[^>]+>)")
_VERBATIM = {"code", "pre", "a", "kbd", "samp"}


def with_notes(article: Article, page_id: str) -> Article:
    """The article with linked notes, or the same article when it has no notes to link."""
    found = _notes_section(article.blocks)
    if found is None:
        return article
    start, end, notes = found
    numbers = set(notes)
    body = article.blocks[:start]
    seen: set[int] = set()
    linked = [_link_markers(block, numbers, seen, page_id) for block in body]
    if seen != numbers:
        return article
    first = article.blocks[start]
    section = _endnotes(notes, page_id, first.text if first.kind == BlockKind.HEADING else "Notes")
    blocks = [*linked, Block(BlockKind.LIST, section, " ".join(_plain(text) for text in notes.values())),
              *article.blocks[end:]]
    return replace(article, blocks=blocks)


# A saved newsletter's notes (Substack and the like): a paragraph holding only the note's number,
# linked back to its marker, then the note's paragraphs; the markers link to "#footnote-N".
_NUMBER_PARAGRAPH = re.compile(r'<p><a href="[^"]*#(?:footnote-anchor|fnref)[-:]?(\d{1,3})"[^>]*>\s*\1\s*</a></p>')
_LINK_MARKER = re.compile(r'<a href="[^"]*#(?:footnote|fn)[-:]?(\d{1,3})"[^>]*>')


def _notes_section(blocks: list[Block]) -> tuple[int, int, dict[int, str]] | None:
    """(heading index, index after the notes, number → note XHTML) of the last notes section."""
    for start, block in enumerate(blocks):
        if _NUMBER_PARAGRAPH.fullmatch(block.html):
            return _numbered_paragraphs(blocks, start)
    for start in range(len(blocks) - 1, -1, -1):
        block = blocks[start]
        if block.kind == BlockKind.HEADING and _HEADINGS.fullmatch(block.text.strip().rstrip(":").strip()):
            notes, end = _note_items(blocks, start + 1)
            if notes and list(notes) == list(range(1, len(notes) + 1)):
                return start, end, notes
            return None
    return None


def _numbered_paragraphs(blocks: list[Block], start: int) -> tuple[int, int, dict[int, str]] | None:
    notes: dict[int, list[str]] = {}
    at = start
    while at < len(blocks) and blocks[at].kind == BlockKind.PARAGRAPH:
        number = _NUMBER_PARAGRAPH.fullmatch(blocks[at].html)
        if number:
            notes[int(number[1])] = []
        elif notes:
            notes[list(notes)[-1]].append(_inner(parse_xml(blocks[at].html)))
        at += 1
    if not notes or list(notes) != list(range(1, len(notes) + 1)) or not all(notes.values()):
        return None
    return start, at, {number: " ".join(parts) for number, parts in notes.items()}


def _note_items(blocks: list[Block], at: int) -> tuple[dict[int, str], int]:
    notes: dict[int, str] = {}
    while at < len(blocks):
        block = blocks[at]
        if block.kind == BlockKind.LIST and block.html.startswith("<ol"):
            root = parse_xml(block.html)
            first = int(root.get("start", "1") or 1)
            for offset, item in enumerate(root.iterfind("li")):
                notes[first + offset] = _inner(item)
        elif block.kind == BlockKind.PARAGRAPH and (match := _ITEM.match(block.text)):
            number = int(next(group for group in match.groups() if group))
            html = _ITEM_HTML.sub(r"\1", block.html, count=1)
            notes[number] = _inner(parse_xml(html))
        else:
            break
        at += 1
    return notes, at


def _inner(element: etree._Element) -> str:
    return (escape(element.text or "", quote=False)
            + "".join(etree.tostring(child, encoding="unicode") for child in element)).strip()


def _link_markers(block: Block, numbers: set[int], seen: set[int], page_id: str) -> Block:
    if block.kind in (BlockKind.CODE, BlockKind.HEADING):
        return block
    parts = _TAG.split(block.html)
    inside = 0
    out = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if part.startswith("<"):
            name = re.match(r"</?\s*(\w+)", part)
            tag = name[1].lower() if name else ""
            link = _LINK_MARKER.fullmatch(part) if tag == "a" and not inside else None
            if link and index + 2 < len(parts) and parts[index + 1].strip() == link[1] and parts[index + 2] == "</a>":
                number = int(link[1])
                if number in numbers and number not in seen:
                    out.append(_reference(number, page_id, seen))
                    index += 3
                    continue
            if tag == "sup" and not part.startswith("</") and index + 2 < len(parts) and not inside:
                candidate = "".join(parts[index:index + 3])
                match = _MARKER.fullmatch(candidate)
                if match and int(match[2]) in numbers and int(match[2]) not in seen:
                    out.append(_reference(int(match[2]), page_id, seen))
                    index += 3
                    continue
            if tag in _VERBATIM:
                inside += -1 if part.startswith("</") else (0 if part.endswith("/>") else 1)
            out.append(part)
        elif inside:
            out.append(part)
        else:
            out.append(_MARKER.sub(lambda m: _bracketed(m, numbers, seen, page_id), part))
        index += 1
    html = "".join(out)
    return block if html == block.html else replace(block, html=html)


def _bracketed(match: re.Match[str], numbers: set[int], seen: set[int], page_id: str) -> str:
    number = int(match[1] or match[2])
    if number not in numbers or number in seen:
        return match[0]  # a second citation of the same note stays as text
    return _reference(number, page_id, seen)


def _reference(number: int, page_id: str, seen: set[int]) -> str:
    seen.add(number)
    return (f'<sup class="noteref"><a href="#{page_id}-note-{number}" id="{page_id}-ref-{number}" '
            f'role="doc-noteref">{number}</a></sup>')


def _endnotes(notes: dict[int, str], page_id: str, heading: str) -> str:
    items = "".join(
        f'<li class="endnote" id="{page_id}-note-{number}"><p>{text} '
        f'<a class="note-back" href="#{page_id}-ref-{number}" role="doc-backlink" '
        f'aria-label="Back to note {number} in the text">↑</a></p></li>'
        for number, text in notes.items())
    return (f'<section class="notes" role="doc-endnotes"><h2 class="notes-title">{escape(heading, quote=False)}</h2>'
            f'<ol class="notes-list">{items}</ol></section>')


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def as_footnotes(body: str) -> str:
    """For print: each note set at its marker as a footnote (print.css floats it to the foot of
    the page, numbered there), the endnotes section left out."""
    if 'class="notes"' not in body or 'class="noteref"' not in body:
        return body
    root = parse_xml(f"<div>{body}</div>")
    notes = {item.get("id"): item for item in root.iter("li") if item.get("class") == "endnote"}
    for sup in list(root.iter("sup")):
        link = sup.find("a")
        if sup.get("class") != "noteref" or link is None:
            continue
        item = notes.get((link.get("href") or "").lstrip("#"))
        if item is None:
            continue
        paragraph = item.find("p")
        source = paragraph if paragraph is not None else item
        note = etree.Element("span", {"class": "footnote", "id": link.get("id", "")})
        note.text = source.text
        for child in source:
            if child.get("class") != "note-back":  # the link back has no use on paper
                note.append(child)
        if len(note):
            note[-1].tail = (note[-1].tail or "").rstrip() or None
        else:
            note.text = (note.text or "").rstrip()
        note.tail = sup.tail
        sup.getparent().replace(sup, note)
    for section in list(root.iter("section")):
        if section.get("class") == "notes":
            section.getparent().remove(section)
    return (escape(root.text or "", quote=False)
            + "".join(etree.tostring(child, encoding="unicode") for child in root))
