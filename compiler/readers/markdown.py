"""Markdown and plain-text scrapes, parsed with markdown-it-py into body blocks.

Raw HTML in the input is not passed through (markdown-it's `html` option is off), so the
markup in every block is markdown-it's own, escaped output.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore, text_join
from markdown_it.rules_core import inline as parse_inline
from markdown_it.token import Token

from ..model import Article, ArticleMeta, Block, BlockKind
from .text import read_text

_md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "typographer": False}).enable("table")
# Inline parsing is half of markdown-it's time, and most paragraphs of a scrape are plain prose:
# `_parse` runs it only on the inline content that holds a character some inline rule acts on.
_md.disable(["inline", "text_join"])
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<&]")

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
    """markdown-it's tokens; a top-level paragraph of plain text is left unparsed (children None)."""
    env: dict[str, object] = {}
    tokens = _md.parse(text, env)
    marked = []
    for previous, token in pairwise(tokens):
        if token.type != "inline":
            continue
        if previous.type == "paragraph_open" and previous.level == 0 and not _INLINE_MARKUP.search(token.content):
            token.children = None
        else:
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
    if inline.children is None:  # plain text: its lines are the source's lines
        return _plain_paragraph(inline.content, opening)
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
    texts = [" ".join(line.replace("\u00a0", " ").split()) for line in raw]
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
