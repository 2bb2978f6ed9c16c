"""Figures as a book prints them, on the book's copy of each article (book.book_view): an image
a reader could not include is left out (no "[Image: …]" line in the book), with a warning
naming the article and the image; a caption the page also printed as the next paragraph
prints once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..model import Article, Block, BlockKind

_PLACEHOLDER_BLOCK = re.compile(r'^<p class="image-omitted">')
_PLACEHOLDER_SPAN = re.compile(r'<span class="image-omitted">([^<]*)</span>')
_CAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def tidy_figures(article: Article, where: str, warn: Callable[[str], None] | None) -> Article:
    """The article without image placeholders and repeated captions (the same article when it
    has neither)."""
    blocks: list[Block] = []
    left_out: list[str] = []
    previous: Block | None = None
    for block in article.blocks:
        before, previous = previous, block
        if _PLACEHOLDER_BLOCK.match(block.html):
            left_out.append(block.text)
            continue
        if 'class="image-omitted"' in block.html:
            left_out += _PLACEHOLDER_SPAN.findall(block.html)
            block = replace(block, html=_PLACEHOLDER_SPAN.sub("", block.html))
        if before is not None and block.kind == BlockKind.PARAGRAPH and _repeats_caption(before, block):
            continue
        blocks.append(block)
    if len(blocks) == len(article.blocks) and not left_out:
        return article
    if warn is not None:
        for description in left_out:
            shown = description.strip() or "an image without a description"
            warn(f"{where}: left out an image the page did not include ({shown}); save it beside the article "
                 "and refer to it there to print it")
    return replace(article, blocks=blocks)


def _repeats_caption(figure: Block, paragraph: Block) -> bool:
    if figure.kind != BlockKind.FIGURE:
        return False
    caption = _CAPTION.search(figure.html)
    if caption is None:
        return False
    text = " ".join(_TAGS.sub("", caption[1]).split())
    return bool(text) and text == " ".join(paragraph.text.split())
