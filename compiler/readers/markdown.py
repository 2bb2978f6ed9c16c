"""Markdown and plain-text scrapes, parsed with markdown-it-py into body blocks.

Raw HTML in the input is not passed through (markdown-it's `html` option is off), so the
markup in every block is markdown-it's own, escaped output. For speed, the runs of lines that
can only be paragraphs, and the links and emphasis in them (simple_inline.py), are read here
the way markdown-it reads them; tests/normalise/test_reader.py holds the two to the same blocks.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, mdTrim
from markdown_it.rules_core import StateCore, text_join
from markdown_it.rules_core import inline as parse_inline
from markdown_it.token import Token

from ..model import Article, ArticleMeta, Block, BlockKind
from .simple_inline import holds_any, simple_lines
from .text import read_text

_md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "typographer": False}).enable("table")
# Inline parsing is half of markdown-it's time, and most paragraphs of a scrape are plain prose:
# `_parse` runs it only on the inline content that holds a character some inline rule acts on
# and whose markup simple_inline does not write itself.
_md.disable(["inline", "text_join"])
# With the `html` option off these two rules only answer "no"; without them nothing is asked.
_md.disable(["html_block", "html_inline"])
_INLINE_MARKUP = "\\`*_[]!<&"

# What markdown-it's block parser sees first: its own newline normalising, then two constructs
# that reach across blank lines; the characters that start a line of something else than a
# paragraph (with digits, an ordered list item).
_NEWLINES = re.compile(r"\r\n?")
_FENCE_OR_REFERENCE = re.compile(r"^[ \t]*(?:```|~~~)|\]:", re.MULTILINE)
_NOT_PARAGRAPH = frozenset("#>-+*_=|:`~<")
_ORDERED_ITEM = re.compile(r"\d{1,9}[.)](?:[ \t]|$)")

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


# A line that is only a date written day first ("14. 7. 2024, 08:12 Uhr", "3. März 2020") starts
# the way an ordered list item does; a scrape means the date, so its dot is escaped.
_DATE_LINE = re.compile(
    r"^(\d{1,2})\.(?=[ \t]+(?:\d{1,2}\.[ \t]*\d{4}|[^\W\d_]{3,10}\.?[ \t]+\d{4})"
    r"(?:,?[ \t]*\d{1,2}[:.]\d{2}(?:[ \t]*(?:uhr|h))?)?[ \t]*$)",
    re.MULTILINE | re.IGNORECASE,
)


def parse_blocks(text: str) -> list[Block]:
    """The body blocks of a Markdown text, as markdown-it reads it.

    A scrape is mostly paragraphs between blank lines, and markdown-it's block parser spends as
    long on each as on a table. A run of lines that can only be a paragraph is read here; the
    runs between them (lists, headings, quotes, rules, tables, code) go to markdown-it. A text
    with a code fence or a link reference definition, which reach across blank lines, goes to
    markdown-it whole. tests/normalise/test_reader.py compares the two ways on generated texts.
    """
    text = _NEWLINES.sub("\n", text).replace("\0", "\ufffd")  # as markdown-it's first step does
    text = _DATE_LINE.sub(r"\1\\.", text)
    if _reaches_across_blank_lines(text):
        return _token_blocks(text)
    lines = text.split("\n")
    blocks: list[Block] = []
    others: int | None = None  # the first line of the run of lines markdown-it is to read
    for start, end in _line_runs(lines):
        if not _paragraph_run(lines, start, end):
            others = start if others is None else others
            continue
        if others is not None:
            blocks += _token_blocks("\n".join(lines[others:start]), others)
            others = None
        quick = _quick_paragraph(mdTrim("\n".join(lines[start:end])), start + 1)
        blocks += quick if quick is not None else _token_blocks("\n".join(lines[start:end]), start)
    if others is not None:
        blocks += _token_blocks("\n".join(lines[others:]), others)
    return blocks


def _reaches_across_blank_lines(text: str) -> bool:
    """Might the text hold a code fence or a link reference definition?"""
    if "```" not in text and "~~~" not in text and "]:" not in text:
        return False  # three substring tests: far quicker than the line-by-line regex on a whole text
    return _FENCE_OR_REFERENCE.search(text) is not None


def _line_runs(lines: list[str]) -> list[tuple[int, int]]:
    """(first, after last) of each run of lines that are not blank to markdown-it (spaces and tabs)."""
    runs: list[tuple[int, int]] = []
    start = None
    for number, line in enumerate(lines):
        if line.strip(" \t"):
            start = number if start is None else start
        elif start is not None:
            runs.append((start, number))
            start = None
    if start is not None:
        runs.append((start, len(lines)))
    return runs


def _paragraph_run(lines: list[str], start: int, end: int) -> bool:
    """Can markdown-it read these lines (a run between blank lines) only as one paragraph?

    Its first line is not indented, and no line starts the way a heading, quote, list, rule,
    setext underline, table row, fence or HTML block starts.
    """
    if lines[start][0] in " \t":
        return False
    for line in lines[start:end]:
        first = line.lstrip(" \t")[0]
        if first in _NOT_PARAGRAPH or (first.isdigit() and _ORDERED_ITEM.match(line.lstrip(" \t"))):
            return False
    return True


def _quick_paragraph(content: str, source_line: int) -> list[Block] | None:
    """The block of a paragraph whose inline markup this module writes itself (none when it holds
    only spaces), or None when markdown-it must parse it."""
    if not holds_any(content, _INLINE_MARKUP):
        block = _plain_paragraph(content, source_line)
    else:
        simple = simple_lines(content)
        if simple is None:
            return None
        block = _paragraph_block(*simple, source_line)
    return [block] if block is not None else []


def _token_blocks(text: str, first_line: int = 0) -> list[Block]:
    """The blocks markdown-it reads in these lines (`first_line` of the whole text)."""
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
    for block in blocks:
        if block.source_line is not None:
            block.source_line += first_line
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
            marked_up = holds_any(token.content, _INLINE_MARKUP)
            simple = simple_lines(token.content) if marked_up else None
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
        if simple:
            return _paragraph_block(*simple, _line(opening))
        return _plain_paragraph(inline.content, _line(opening))
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
    return _paragraph_block(lines, texts, _line(opening))


def _plain_paragraph(content: str, source_line: int | None) -> Block | None:
    raw = content.split("\n")
    texts = [" ".join(line.split()) for line in raw]  # split() takes no-break spaces too
    return _paragraph_block([escapeHtml(line.strip()) for line in raw], texts, source_line)


def _paragraph_block(lines: list[str], texts: list[str], source_line: int | None) -> Block | None:
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
        source_line=source_line,
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
