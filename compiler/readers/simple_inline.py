"""Inline links and emphasis written as markdown-it writes them, for the paragraphs of a scrape
whose only markup they are.

markdown-it's inline parser is the slowest part of reading a scrape, and most marked-up
paragraphs of one hold nothing but `[text](url)` links and `*emphasis*`. `simple_lines` writes
those itself, applying markdown-it's rules for emphasis markers to the letter, and answers None
for anything it does not follow exactly, which markdown-it then parses.
tests/normalise/test_reader.py compares the two on generated paragraphs and texts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it.common.normalize_url import normalizeLink, validateLink
from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace

# A paragraph with escapes, code, autolinks, images or entities goes to markdown-it.
_NOT_SIMPLE = "\\`<"
_IMAGE_OR_ENTITY = re.compile(r"!\[|&(?:#|[A-Za-z][A-Za-z0-9]*;)")
_SIMPLE_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^\s()\[\]<>\\\x00-\x1f\x7f]+)\)")
_DELIMITERS = re.compile(r"([*_])\1*")  # a run of one marker (led by a class: re scans for it quickly)
_EMPHASIS_TAGS = {1: ("<em>", "</em>"), 2: ("<strong>", "</strong>")}


def holds_any(text: str, characters: str) -> bool:
    # a substring test per character is several times quicker than a regex character class
    return any(map(text.__contains__, characters))


# a scrape's links repeat (a site's own pages, "#" for links the save lost); markdown-it's
# normalisation of one (parse, punycode, percent-encoding) costs more than the rest of its paragraph
_normalise_link = lru_cache(maxsize=4096)(normalizeLink)


def simple_lines(content: str) -> tuple[list[str], list[str]] | None:
    """Each source line's inline XHTML and plain text, as markdown-it would give them, for a
    paragraph whose markup is only inline links and emphasis; None for anything else (nested or
    line-crossing markup, a marker that could both open and close, titles, references...)."""
    if holds_any(content, _NOT_SIMPLE) or (("!" in content or "&" in content) and _IMAGE_OR_ENTITY.search(content)):
        return None
    html: list[str] = []
    text: list[str] = []
    start = 0
    for link in _SIMPLE_LINK.finditer(content):
        href = _normalise_link(link[2])
        if not validateLink(href) or not _emphasis(content, start, link.start(), html, text):
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
