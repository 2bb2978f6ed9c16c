"""The normaliser's stages in order: detect the sites whose packs apply; then, pass after pass until
nothing more goes, read the page's structure and its evidence for the metadata, run the rule packs
and drop what either found as boilerplate; repair the scrape damage; settle the title and language.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from ..model import Article, ArticleMeta, Block, Removal
from .engine import run_rules, split_packed_lines
from .evidence import apply_page_evidence
from .furniture import EXTRACTED, Kind
from .language import detect_language
from .repair import rejoin_split_paragraphs, repair
from .rules import Pack, Rule, RuleSet, rule_set
from .structure import read_structure

_EDGE_BLOCKS = 25  # how far into the head and tail a site's signature is looked for
_MAX_PASSES = 4  # each pass removes something or stops; real articles settle in two


def detect_sites(article: Article, rules: RuleSet) -> list[Pack]:
    """The site packs whose signature is in the article's head, tail or source URL."""
    blocks = article.blocks
    edges = "\n".join(b.text for b in blocks[:_EDGE_BLOCKS] + blocks[-_EDGE_BLOCKS:])
    lowered = edges.lower()
    host = urlparse(article.meta.source or "").hostname or ""
    found = []
    for pack in rules.sites:
        assert pack.spec.detect is not None
        by_host = any(host == h or host.endswith("." + h) for h in pack.spec.detect.hosts)
        if by_host or pack.signed(edges, lowered):
            found.append(pack)
    return found


def active_rules(packs: list[Pack], rules: RuleSet) -> list[Rule]:
    return [rule for pack in packs for rule in pack.rules if rule.id not in rules.disabled]


def normalise(article: Article, rules: RuleSet | None = None) -> Article:
    rules = rules or rule_set()
    packs = detect_sites(article, rules) + rules.generic
    article.sites = [pack.id for pack in packs]
    active = active_rules(packs, rules)

    blocks = engine_input(article.blocks, active)
    kept, removals = _clean(blocks, active, article.meta, rules.disabled)
    article.blocks = repair(kept)
    article.removed.extend(removals)

    meta = article.meta
    if not meta.title and article.source_path is not None:
        meta.title = Path(article.source_path).stem.replace("_", " ").replace("-", " ").strip().capitalize()
    if not meta.language:
        meta.language = detect_language(article.body_text)
    if meta.original_source and meta.publisher and _same_outlet(meta.original_source.name, meta.publisher):
        meta.original_source = None  # the site saved from is where it first appeared
    return article


def _clean(
    blocks: list[Block], active: list[Rule], meta: ArticleMeta, disabled: frozenset[str]
) -> tuple[list[Block], list[Removal]]:
    """Read the page's structure, run the rules, take out what either found; again until nothing goes.

    Taking out the furniture can bring blocks to the article's edge that were inside it before:
    without another pass, normalising the output again would remove more.
    """
    removals: list[Removal] = []
    for number in range(_MAX_PASSES):
        page = read_structure(blocks, meta, settled=number > 0)
        apply_page_evidence(page, blocks, meta)
        marks = {id(blocks[i]): (kind, blocks[i].text) for i, kind in page.marks.items() if kind.id not in disabled}
        rules = active if number == 0 else [rule for rule in active if not rule.spec.first]
        kept, found = _remove_until_stable(blocks, rules, meta, page.prose_bounds(blocks))
        kept, marked = _remove_marked(kept, marks)
        removals += found + marked
        if not found and not marked:
            break
        blocks = rejoin_split_paragraphs(kept)
    return blocks, sorted(removals, key=lambda removal: removal.index)


def _remove_marked(
    blocks: list[Block], marks: dict[int, tuple[Kind, str]]
) -> tuple[list[Block], list[Removal]]:
    """Take out the blocks the page's structure marked as furniture, which no rule took first.

    A block the rules' passes joined to the next since it was marked is not what was marked: the
    next pass looks at it again.
    """
    kept: list[Block] = []
    removals: list[Removal] = []
    for block in blocks:
        kind, text = marks.get(id(block), (None, None))
        if kind is None or text != block.text:
            kept.append(block)
            continue
        assert block.index is not None
        removals.append(Removal(rule=kind.id, reason=kind.reason, text=block.text, index=block.index,
                                kind="extract" if kind.id in EXTRACTED else "remove", block=block))
    return kept, removals


def engine_input(blocks: list[Block], active: list[Rule]) -> list[Block]:
    """The blocks the rules see: packed metadata lines split, cut paragraphs joined.

    A paragraph the scrape cut in two is joined before the rules look at it, so the rules and
    the body's bounds see the text the book will print, and a second run finds nothing new.
    """
    return rejoin_split_paragraphs(split_packed_lines(blocks, active))


def _remove_until_stable(
    blocks: list[Block], active: list[Rule], meta: ArticleMeta, prose: tuple[Block, Block] | None = None
) -> tuple[list[Block], list[Removal]]:
    """Run the rules again on what they kept until nothing more goes.

    Taking out a plea can join two runs of prose it kept apart, which moves where the body
    starts and puts other blocks in the head or tail. Without another pass, normalising the
    output again would remove more: the normaliser would not be idempotent.
    """
    rules, removals, memo = active, [], {}
    for _ in range(_MAX_PASSES):
        blocks, found = run_rules(blocks, rules, meta, memo, prose)
        removals += found
        if not found:
            break
        rules = [rule for rule in active if not rule.spec.first]  # the first line was seen on pass one
        # A removal can bring together the two halves of a cut paragraph, which the book joins:
        # the next pass looks at the joined text, as normalising the output again would. A joined
        # block is changed in place, so what the memo knew of it is forgotten.
        count = len(blocks)
        blocks = rejoin_split_paragraphs(blocks)
        if len(blocks) != count:
            memo = {}
    return blocks, sorted(removals, key=lambda removal: removal.index)


def _same_outlet(a: str | None, b: str | None) -> bool:
    return bool(a and b) and "".join(a.lower().split()) == "".join(b.lower().split())  # type: ignore[union-attr]
