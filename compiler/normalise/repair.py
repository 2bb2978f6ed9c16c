"""Scrape damage repair: dead links, paragraphs split mid-sentence, empty blocks, spacing."""

from __future__ import annotations

import re

from ..model import Block, BlockKind
from .dates import is_dateline

_DEAD_LINK = re.compile(r'<a href="(?:#[^"]*)?">(.*?)</a>', re.DOTALL)
# characters a finished sentence (or a quotation, list or aside) ends with; a set lookup on the
# last character, because a regex anchored at the end still tries every position of the text
_SENTENCE_END = frozenset(""".!?:;…"”’»)]—–-""")
# words a sentence cannot end on: a paragraph ending with one was cut by the scrape
_DANGLING = {
    "a", "an", "the", "of", "to", "and", "or", "but", "in", "on", "for", "with", "by", "as", "at",
    "from", "that", "which", "who", "whose", "his", "her", "their", "its", "our", "is", "was",
    "were", "are", "be", "been", "this", "these", "those", "into", "than", "then", "when", "while",
    "if", "because", "about", "over", "under", "between", "after", "before", "only", "not",
}


def unwrap_dead_links(block: Block) -> Block:
    if "<a " not in block.html:
        return block
    block.html = _DEAD_LINK.sub(r"\1", block.html)
    block.lines = [_DEAD_LINK.sub(r"\1", line) for line in block.lines]
    return block


def _cut_mid_sentence(first: Block, second: Block) -> bool:
    if first.kind is not BlockKind.PARAGRAPH or second.kind is not BlockKind.PARAGRAPH:
        return False
    if not first.text or not second.text or first.text.rstrip()[-1:] in _SENTENCE_END:
        return False
    if is_dateline(first.text):  # a line of its own ("The Post, 1 May 2024"), not a sentence cut short
        return False
    last_word = re.sub(r"\W+$", "", first.text.split()[-1])
    starts_lower = second.text[0].islower() or (second.text[0] in "“\"‘'" and second.text[1:2].islower())
    return starts_lower or last_word.lower() in _DANGLING or first.text.rstrip().endswith(",")


def rejoin_split_paragraphs(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if out and _cut_mid_sentence(out[-1], block):
            previous = out[-1]
            previous.html = f"{previous.html[: -len('</p>')]} {block.html[len('<p>') :]}"
            previous.text = f"{previous.text} {block.text}"
            previous.lines, previous.line_texts = [], []
            continue
        out.append(block)
    return out


def tidy_spacing(block: Block) -> Block:
    block.text = " ".join(block.text.replace("\u00a0", " ").split())
    return block


def repair(blocks: list[Block]) -> list[Block]:
    blocks = [tidy_spacing(unwrap_dead_links(block)) for block in blocks]
    blocks = [b for b in blocks if b.text or b.kind in (BlockKind.SEPARATOR, BlockKind.FIGURE)]
    return rejoin_split_paragraphs(blocks)
