"""The one executor that runs rule packs over an article's blocks.

It works in three steps. First it finds the body: the long blocks that no rule claims, wherever
they stand, in the longest run of them that boilerplate does not cut apart. Blocks before the
first of them are the *head* (title, byline, dateline, pleas), blocks after the last are the
*tail* (adverts, copyright, disclaimers). Then each block is given to the first rule, in pack
order, that matches it in its zone. Last, the matched blocks leave the body, their facts go to
the metadata, and each is recorded with its rule id.
"""

from __future__ import annotations

import html as html_lib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ..model import ArticleMeta, Block, BlockKind, Removal
from .metadata import assign, check_value
from .rules import Rule, Screen

BODY_ANCHOR_WORDS = 12  # a block this long that no rule claims is the author's prose
ISLAND_GAP = 2  # this many claimed blocks between two long blocks part them into separate runs
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
        if self.body_start > self.body_end:  # no body at all: every block is both head and tail
            return zone != "body"
        where = self.zone_of(index)
        return zone == "any" or zone == where or (zone == "edge" and where != "body")


class _Texts:
    """Each block's word count and lower-cased text, computed once for all the rules' tests."""

    def __init__(self, blocks: list[Block], rules: list[Rule]) -> None:
        self.blocks = blocks
        self.rules = rules
        self.words = [block.words for block in blocks]
        self.lowered = [block.text.lower() for block in blocks]
        self.found: dict[tuple[int, int], re.Match[str]] = {}  # (rule number, id(block)) -> its match
        self.spans: dict[tuple[int, int], list[int]] = {}  # (block index, id(rule)) -> the span's blocks

    def match(self, number: int, index: int) -> re.Match[str] | None:
        block = self.blocks[index]
        known = self.found.get((number, id(block)))
        if known is not None:
            return known
        return self.rules[number].matches_text(block, self.words[index], self.lowered[index])


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


def find_zones(blocks: list[Block], claimed: set[int], words: list[int] | None = None) -> Zones:
    """The body is the longest run of unclaimed long blocks not cut apart by boilerplate.

    A long block that no rule knows can stand among the site's pleas (an advert's blurb, a
    twelve-word title): it is an island. Anchors with `ISLAND_GAP` or more claimed blocks between
    them belong to different runs, and the run with the most words is the article.
    `words` holds each block's word count when the caller has counted them.
    """
    if words is None:
        words = [block.words for block in blocks]
    anchors = [
        i
        for i, block in enumerate(blocks)
        if i not in claimed and words[i] >= BODY_ANCHOR_WORDS and block.kind is not BlockKind.HEADING
    ]
    if not anchors:  # a short article: any unclaimed block with words after the first line
        anchors = [i for i in range(len(blocks)) if i not in claimed and i > 0 and words[i]]
    if not anchors:
        return Zones(body_start=len(blocks), body_end=len(blocks) - 1)
    runs: list[list[int]] = [[anchors[0]]]
    for previous, index in pairwise(anchors):
        between = sum(1 for i in range(previous + 1, index) if i in claimed)
        if between >= ISLAND_GAP:
            runs.append([])
        runs[-1].append(index)
    body = max(runs, key=lambda run: sum(words[i] for i in run))
    return Zones(body_start=body[0], body_end=body[-1])


# id(block) -> id of the first rule (not a `first` one) whose text test accepts it, or None
MatchMemo = dict[int, str | None]
# a rule that may take blocks of some kind and length: its number, itself and its screen
Candidate = tuple[int, Rule, Screen | None]


class _Candidates:
    """The rules that may take a block of a given kind and length, in rule order.

    Most of an article is long prose that only a few rules may take, and each kind of block has
    its own rules; looking those up skips testing the rest. A rule's answer on length changes
    only at its limits (min_words, max_words + 1, and 1 for `empty`), so the lengths between two
    neighbouring limits share one list, built the first time a block of that class is seen.
    """

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        limits = {1} | {rule.spec.min_words for rule in rules}
        self.limits = sorted(limits | {rule.max_words + 1 for rule in rules})
        self._lists: dict[tuple[BlockKind, int, bool], tuple[Candidate, ...]] = {}

    def of(self, kind: BlockKind, words: int, first: bool) -> tuple[Candidate, ...]:
        key = (kind, bisect_right(self.limits, words), first)
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = tuple(
                (number, rule, rule.screen)
                for number, rule in enumerate(self.rules)
                if rule.takes(kind, words) and (first or not rule.spec.first)
            )
        return found


_candidates = lru_cache(maxsize=64)(_Candidates)


def _first_matches(
    blocks: list[Block], rules: list[Rule], texts: _Texts, first_index: int, memo: MatchMemo
) -> dict[int, int]:
    """For each block whose text some rule accepts (in any zone), the number of the first such rule.

    A block's answer does not depend on the other blocks, so a later pass over the kept blocks
    reads it from `memo` instead of testing every rule again.
    """
    numbers = {rule.id: number for number, rule in enumerate(rules)}
    candidates = _candidates(tuple(rules))
    found: dict[int, int] = {}
    for index, (block, words, lowered) in enumerate(zip(blocks, texts.words, texts.lowered, strict=True)):
        if index != first_index and id(block) in memo:
            known = memo[id(block)]
            if known is not None and known in numbers:
                found[index] = numbers[known]
            continue
        number = _first_match(block, lowered, candidates.of(block.kind, words, index == first_index), texts)
        if number is not None:
            found[index] = number
        if index != first_index:
            memo[id(block)] = rules[number].id if number is not None else None
    return found


def _first_match(block: Block, lowered: str, candidates: tuple[Candidate, ...], texts: _Texts) -> int | None:
    """The number of the first candidate whose text test accepts the block, its match kept in `texts`."""
    for number, rule, screen in candidates:
        # the screen inlined: this loop runs for every block and rule an article has
        if screen is not None and not lowered.startswith(screen.starts):
            for option in screen.holds:
                if option in lowered:
                    break
            else:
                continue
        found = rule.search_text(block, lowered)
        if found is not None:
            texts.found[number, id(block)] = found
            return number
    return None


def _claimed(texts: _Texts, first_matches: dict[int, int]) -> set[int]:
    claimed = set(first_matches)
    for index, number in first_matches.items():
        if texts.rules[number].spec.span:
            claimed.update(_span(texts, index, texts.rules[number]))
    return claimed


def _span(texts: _Texts, start: int, rule: Rule) -> list[int]:
    """The blocks after `start` up to and including the first matching `until`, if near enough."""
    key = (start, id(rule))
    if key not in texts.spans:  # asked once for the zones and again for the removals
        texts.spans[key] = _find_span(texts, start, rule)
    return texts.spans[key]


def _find_span(texts: _Texts, start: int, rule: Rule) -> list[int]:
    assert rule.spec.span is not None
    limit = min(len(texts.blocks), start + 1 + rule.spec.span.max_blocks)
    for end in range(start + 1, limit):
        if rule.ends_span(texts.blocks[end].text, texts.lowered[end]):
            return list(range(start + 1, end + 1))
    return []


def run_rules(
    blocks: list[Block], rules: list[Rule], meta: ArticleMeta, memo: MatchMemo | None = None,
    prose: tuple[Block, Block] | None = None,
) -> tuple[list[Block], list[Removal]]:
    """Run the rules over the blocks; `prose` is the first and last block of the article's prose as the
    page's structure shows it, which bounds the body the rules see (comments after it are not body)."""
    texts = _Texts(blocks, rules)
    first_index = next((i for i, b in enumerate(blocks) if b.text.strip()), 0)
    first_matches = _first_matches(blocks, rules, texts, first_index, {} if memo is None else memo)
    zones = _within(find_zones(blocks, _claimed(texts, first_matches), texts.words), blocks, prose)
    taken: dict[int, Hit] = {}
    for index, first_number in first_matches.items():  # no rule before the first match can match
        if index in taken:
            continue
        for number in range(first_number, len(rules)):
            hit = _try(texts, number, index, zones, first_index, meta)
            if hit is None:
                continue
            taken[index] = hit
            rule = rules[number]
            if rule.spec.span:
                for extra in _span(texts, index, rule):
                    taken.setdefault(extra, Hit(rule=rule, index=extra, fields={}))
            break

    removals: list[Removal] = []
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        hit = taken.get(index)
        # a later pass sees only the kept blocks; they keep the position they had on the first
        if block.index is None:
            block.index = index  # the review report shows removals in place between kept blocks
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
                index=block.index,
                kind="extract" if hit.fields else "remove",
                block=block,
            )
        )
    return kept, removals


def _within(zones: Zones, blocks: list[Block], prose: tuple[Block, Block] | None) -> Zones:
    if prose is None or zones.body_start > zones.body_end:
        return zones
    positions = {id(block): i for i, block in enumerate(blocks)}
    first, last = positions.get(id(prose[0])), positions.get(id(prose[1]))
    if first is None or last is None or first > last:
        return zones
    start, end = max(zones.body_start, first), min(zones.body_end, last)
    return Zones(body_start=start, body_end=end) if start <= end else zones


def _try(texts: _Texts, number: int, index: int, zones: Zones, first_index: int, meta: ArticleMeta) -> Hit | None:
    rule = texts.rules[number]
    spec = rule.spec
    if spec.first and index != first_index:
        return None
    if not zones.allows(spec.zone, index):
        return None
    found = texts.match(number, index)
    if found is None:
        return None
    block = texts.blocks[index]
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
