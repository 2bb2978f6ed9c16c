"""The one executor that runs rule packs over an article's blocks.

It works in three steps. First it finds the body: the long blocks that no rule claims, wherever
they stand. Blocks before the first of them are the *head* (title, byline, dateline, pleas),
blocks after the last are the *tail* (adverts, copyright, disclaimers). Then each block is given
to the first rule, in pack order, that matches it in its zone. Last, the matched blocks leave the
body, their facts go to the metadata, and each is recorded with its rule id.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from ..model import ArticleMeta, Block, BlockKind, Removal
from .metadata import assign, check_value
from .rules import Rule

BODY_ANCHOR_WORDS = 12  # a block this long that no rule claims is the author's prose
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"')


@dataclass
class Zones:
    body_start: int
    body_end: int  # inclusive

    def zone_of(self, index: int) -> str:
        if index < self.body_start:
            return "head"
        if index > self.body_end:
            return "tail"
        return "body"

    def allows(self, zone: str, index: int) -> bool:
        where = self.zone_of(index)
        return zone == "any" or zone == where or (zone == "edge" and where != "body")


@dataclass
class Hit:
    rule: Rule
    index: int
    fields: dict[str, str]


def split_packed_lines(blocks: list[Block], rules: list[Rule]) -> list[Block]:
    """Split a paragraph whose source lines are separate facts ("Source: …" / "Copyright © …")."""
    out: list[Block] = []
    for block in blocks:
        if len(block.lines) > 1 and len(block.lines) <= 12 and block.words <= 150:
            pieces = [
                Block(kind=BlockKind.PARAGRAPH, html=f"<p>{line}</p>", text=text, source_line=block.source_line)
                for line, text in zip(block.lines, block.line_texts, strict=True)
            ]
            if any(rule.matches_text(piece) for piece in pieces for rule in rules):
                out.extend(pieces)
                continue
        out.append(block)
    return out


def find_zones(blocks: list[Block], rules: list[Rule]) -> Zones:
    claimed = _claimed_anywhere(blocks, rules)
    anchors = [
        i
        for i, block in enumerate(blocks)
        if i not in claimed and block.words >= BODY_ANCHOR_WORDS and block.kind is not BlockKind.HEADING
    ]
    if not anchors:  # a short article: any unclaimed block with words after the first line
        anchors = [i for i, block in enumerate(blocks) if i not in claimed and i > 0 and block.words]
    if not anchors:
        return Zones(body_start=len(blocks), body_end=len(blocks) - 1)
    return Zones(body_start=anchors[0], body_end=anchors[-1])


def _claimed_anywhere(blocks: list[Block], rules: list[Rule]) -> set[int]:
    claimed: set[int] = set()
    for index, block in enumerate(blocks):
        for rule in rules:
            if rule.spec.first or not rule.matches_text(block):
                continue
            claimed.add(index)
            if rule.spec.span:
                claimed.update(_span(blocks, index, rule))
            break
    return claimed


def _span(blocks: list[Block], start: int, rule: Rule) -> list[int]:
    """The blocks after `start` up to and including the first matching `until`, if near enough."""
    assert rule.spec.span is not None
    limit = min(len(blocks), start + 1 + rule.spec.span.max_blocks)
    for end in range(start + 1, limit):
        if any(p.search(blocks[end].text) for p in rule.until):
            return list(range(start + 1, end + 1))
    return []


def run_rules(blocks: list[Block], rules: list[Rule], meta: ArticleMeta) -> tuple[list[Block], list[Removal]]:
    zones = find_zones(blocks, rules)
    first_index = next((i for i, b in enumerate(blocks) if b.text.strip()), 0)
    taken: dict[int, Hit] = {}
    for index, block in enumerate(blocks):
        if index in taken:
            continue
        for rule in rules:
            hit = _try(rule, block, index, zones, first_index, meta)
            if hit is None:
                continue
            taken[index] = hit
            if rule.spec.span:
                for extra in _span(blocks, index, rule):
                    taken.setdefault(extra, Hit(rule=rule, index=extra, fields={}))
            break

    removals: list[Removal] = []
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        hit = taken.get(index)
        if hit is None:
            kept.append(block)
            continue
        for field_name, value in hit.fields.items():
            assign(meta, field_name, value)
        removals.append(
            Removal(
                rule=hit.rule.id,
                reason=hit.rule.spec.reason,
                text=block.text,
                index=index,
                kind="extract" if hit.fields else "remove",
            )
        )
    return kept, removals


def _try(rule: Rule, block: Block, index: int, zones: Zones, first_index: int, meta: ArticleMeta) -> Hit | None:
    spec = rule.spec
    if spec.first and index != first_index:
        return None
    if not zones.allows(spec.zone, index):
        return None
    found = rule.matches_text(block)
    if found is None:
        return None
    fields = {name: _fill(template, found, block) for name, template in spec.extract.items()}
    fields = {name: value for name, value in fields.items() if value}
    if any(not check_value(name, value, meta.language) for name, value in fields.items()):
        return None  # e.g. a "date" that is no date: this block is not what the rule describes
    return Hit(rule=rule, index=index, fields=fields)


def _fill(template: str, found: re.Match[str], block: Block) -> str:
    groups = {k: (v or "") for k, v in found.groupdict().items()}
    link = _HREF.search(block.html)
    groups["link"] = html_lib.unescape(link.group(1)) if link else ""
    groups["text"] = block.text
    try:
        return template.format(**groups).strip()
    except (KeyError, IndexError):
        return ""
