"""Markdown and plain-text scrapes, parsed with markdown-it-py into body blocks.

Raw HTML in the input is not passed through (markdown-it's `html` option is off), so the
markup in every block is markdown-it's own, escaped output.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_core import StateCore, text_join
from markdown_it.rules_core import inline as parse_inline
from markdown_it.token import Token

from ..model import Article, ArticleMeta, Block, BlockKind
from .text import read_text

_md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "typographer": False}).enable("table")
# Inline parsing is half of markdown-it's time, and most paragraphs of a scrape are plain prose:
# `_parse` runs it only on the inline content that holds a character some inline rule acts on.
_md.disable(["inline", "text_join"])
# With the `html` option off these two rules only answer "no"; without them nothing is asked.
_md.disable(["html_block", "html_inline"])
_INLINE_MARKUP = "\\`*_[]!<&"
# `_simple_lines` writes links and emphasis itself; a paragraph with escapes, code, autolinks,
# images or entities goes to markdown-it.
_NOT_SIMPLE = "\\`<"
_IMAGE_OR_ENTITY = re.compile(r"!\[|&(?:#|[A-Za-z][A-Za-z0-9]*;)")
_SIMPLE_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^\s()\[\]<>\\\x00-\x1f\x7f]+)\)")
_DELIMITERS = re.compile(r"([*_])\1*")  # a run of one marker (led by a class: re scans for it quickly)
_EMPHASIS_TAGS = {1: ("<em>", "</em>"), 2: ("<strong>", "</strong>")}

_CONTAINERS = {
    "paragraph_open": BlockKind.PARAGRAPH,
    "heading_open": BlockKind.HEADING,
    "blockquote_open": BlockKind.BLOCKQUOTE,
    "bullet_list_open": BlockKind.LIST,
    "ordered_list_open": BlockKind.LIST,
    "table_open": BlockKind.TABLE,
}
_LEAVES = {"hr": BlockKind.SEPARATOR, "fence": BlockKind.CODE, "code_block": BlockKind.CODE}


class MarkdownReader:
    name = "markdown"
    suffixes = (".md", ".markdown", ".txt", ".text")

    def read(self, path: Path) -> Article:
        text = read_text(path)
        return Article(
            meta=ArticleMeta(source=str(path)),
            blocks=parse_blocks(text),
            source_path=path,
        )


def parse_blocks(text: str) -> list[Block]:
    tokens = _parse(text)
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in _LEAVES:
            blocks.append(_leaf_block(token))
            index += 1
        elif token.type in _CONTAINERS:
            end = _closing_index(tokens, index)
            block = _container_block(tokens[index : end + 1], _CONTAINERS[token.type])
            if block is not None:
                blocks.append(block)
            index = end + 1
        else:
            index += 1
    return blocks


def _parse(text: str) -> list[Token]:
    """markdown-it's tokens; a top-level paragraph of plain text or simple markup is left unparsed
    (children None; `meta["lines"]` holds the simple one's lines)."""
    env: dict[str, object] = {}
    tokens = _md.parse(text, env)
    marked = []
    for previous, token in pairwise(tokens):
        if token.type != "inline":
            continue
        if previous.type == "paragraph_open" and previous.level == 0:
            marked_up = _holds_any(token.content, _INLINE_MARKUP)
            simple = _simple_lines(token.content) if marked_up else None
            if simple is not None or not marked_up:
                token.children = None  # `_paragraph` builds the block from the lines
                token.meta["lines"] = simple
                continue
        marked.append(token)
    state = StateCore(text, _md, env, marked)
    parse_inline(state)
    text_join(state)
    return tokens


def _closing_index(tokens: list[Token], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


def _leaf_block(token: Token) -> Block:
    kind = _LEAVES[token.type]
    html = _md.renderer.render([token], _md.options, {})
    text = token.content.strip() if kind is BlockKind.CODE else ""
    return Block(kind=kind, html=html.strip(), text=text, source_line=_line(token))


def _container_block(tokens: list[Token], kind: BlockKind) -> Block | None:
    first = tokens[0]
    if kind is BlockKind.PARAGRAPH:
        return _paragraph(tokens[1], first)
    html = _md.renderer.render(tokens, _md.options, {}).strip()
    text = " ".join(inline_text(t.children or []) for t in tokens if t.type == "inline")
    if kind is BlockKind.LIST and not text.strip():
        # a lone "*" or "-" line, which scrapes use as a divider, parses as an empty list
        return Block(kind=BlockKind.SEPARATOR, html="<hr />", text="", source_line=_line(first))
    level = int(first.tag[1]) if kind is BlockKind.HEADING else 0
    return Block(kind=kind, html=html, text=" ".join(text.split()), level=level, source_line=_line(first))


def _paragraph(inline: Token, opening: Token) -> Block | None:
    if inline.children is None:  # plain text or simple markup: its lines are the source's lines
        simple = inline.meta.get("lines")
        return _paragraph_block(*simple, opening) if simple else _plain_paragraph(inline.content, opening)
    children = inline.children
    if _is_lone_image(children):
        image = children[0]
        alt = inline_text(image.children or [])
        src = str(image.attrGet("src") or "")
        return Block(
            kind=BlockKind.FIGURE,
            html=_md.renderer.render(
                [Token("figure_open", "figure", 1), inline, Token("figure_close", "figure", -1)],
                _md.options,
                {},
            ).strip(),
            text=alt,
            source_line=_line(opening),
            lines=[src],
        )
    groups: list[list[Token]] = [[]]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            groups.append([])
        else:
            groups[-1].append(child)
    lines = [_md.renderer.renderInline(group, _md.options, {}).strip() for group in groups]
    texts = [" ".join(inline_text(group).split()) for group in groups]
    return _paragraph_block(lines, texts, opening)


def _plain_paragraph(content: str, opening: Token) -> Block | None:
    raw = content.split("\n")
    texts = [" ".join(line.split()) for line in raw]  # split() takes no-break spaces too
    return _paragraph_block([escapeHtml(line.strip()) for line in raw], texts, opening)


def _paragraph_block(lines: list[str], texts: list[str], opening: Token) -> Block | None:
    """A paragraph from its source lines (inline XHTML and plain text), blank lines dropped."""
    lines = [line for line, text in zip(lines, texts, strict=True) if text]
    texts = [text for text in texts if text]
    if not texts:
        return None
    return Block(
        kind=BlockKind.PARAGRAPH,
        html=f"<p>{' '.join(lines)}</p>",
        text=" ".join(texts),
        lines=lines if len(lines) > 1 else [],
        line_texts=texts if len(lines) > 1 else [],
        source_line=_line(opening),
    )


def _holds_any(text: str, characters: str) -> bool:
    # a substring test per character is several times quicker than a regex character class
    return any(map(text.__contains__, characters))


# a scrape's links repeat (a site's own pages, "#" for links the save lost); markdown-it's
# normalisation of one (parse, punycode, percent-encoding) costs more than the rest of its paragraph
_normalise_link = lru_cache(maxsize=4096)(_md.normalizeLink)


def _simple_lines(content: str) -> tuple[list[str], list[str]] | None:
    """Each source line's inline XHTML and plain text, as markdown-it would give them, for a
    paragraph whose markup is only inline links and emphasis; None for anything else.

    markdown-it's inline parser is the slowest part of reading a scrape, and most marked-up
    paragraphs of one hold nothing but `[text](url)` links and `*emphasis*`. Whatever this does
    not follow exactly (nested or line-crossing markup, a marker that could open and close,
    titles, reference links) is left to markdown-it. tests/normalise/test_reader.py compares the
    two on generated paragraphs.
    """
    if _holds_any(content, _NOT_SIMPLE) or (("!" in content or "&" in content) and _IMAGE_OR_ENTITY.search(content)):
        return None
    html: list[str] = []
    text: list[str] = []
    start = 0
    for link in _SIMPLE_LINK.finditer(content):
        href = _normalise_link(link[2])
        if not _md.validateLink(href) or not _emphasis(content, start, link.start(), html, text):
            return None
        html.append(f'<a href="{escapeHtml(href)}">')
        # markdown-it parses the link text as if it ended the paragraph: a marker there has a space after it
        if not _emphasis(content, link.start(1), link.end(1), html, text, limit=link.end(1)):
            return None
        html.append("</a>")
        start = link.end()
    if not _emphasis(content, start, len(content), html, text):
        return None
    lines = [line.strip() for line in "".join(html).split("\n")]
    texts = [" ".join(line.split()) for line in "".join(text).split("\n")]  # split() takes no-break spaces too
    return lines, texts


def _emphasis(content: str, start: int, end: int, html: list[str], text: list[str], limit: int | None = None) -> bool:
    """Add content[start:end] (text between links, or a link's text) with its emphasis; False if
    it is not simple. `limit` is where markdown-it stops looking at the characters after a marker."""
    if content.find("[", start, end) >= 0 or content.find("]", start, end) >= 0:
        return False  # not a link of the simple kind: perhaps a reference, or nested
    opener: re.Match[str] | None = None
    for run in _DELIMITERS.finditer(content, start, end):
        can_open, can_close = _flanking(content, run.start(), run.end(), len(content) if limit is None else limit)
        if can_open == can_close:  # neither: a literal marker; both: markdown-it's harder cases
            if can_open:
                return False
            continue
        if can_open:
            if opener is not None:
                return False  # nested emphasis
            opener = run
            continue
        if not _closes(content, opener, run):
            return False
        opening, closing = _EMPHASIS_TAGS[len(run[0])]
        _text(content, start, opener.start(), html, text)
        html.append(opening)
        _text(content, opener.end(), run.start(), html, text)
        html.append(closing)
        start, opener = run.end(), None
    if opener is not None:
        return False
    _text(content, start, end, html, text)
    return True


def _closes(content: str, opener: re.Match[str] | None, closer: re.Match[str]) -> bool:
    """Does `closer` close `opener` as simple emphasis: the same marker, once or twice, on one line?"""
    if opener is None or opener[0] != closer[0] or len(closer[0]) > 2:
        return False
    return content.find("\n", opener.end(), closer.start()) < 0


def _text(content: str, start: int, end: int, html: list[str], text: list[str]) -> None:
    html.append(escapeHtml(content[start:end]))
    text.append(content[start:end])


def _flanking(content: str, start: int, end: int, limit: int) -> tuple[bool, bool]:
    """Can the run of `*` or `_` at content[start:end] open emphasis, close it? (markdown-it's
    scanDelims, to the letter)"""
    last = content[start - 1] if start > 0 else " "
    following = content[end] if end < limit else " "
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    if content[start] == "*":
        return left, right
    return left and (not right or last_punct), right and (not left or next_punct)


def _is_lone_image(children: list[Token]) -> bool:
    meaningful = [c for c in children if not (c.type == "text" and not c.content.strip())]
    return len(meaningful) == 1 and meaningful[0].type == "image"


def inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(inline_text(child.children or []))
    # non-breaking spaces from the page are whitespace to a reader of plain text
    return "".join(parts).replace("\u00a0", " ")
