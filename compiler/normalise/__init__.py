"""The normaliser: detect the site, extract metadata, drop boilerplate, repair, audit.

Each stage is a small named function over the one model; site knowledge lives in rule packs.
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

__all__ = ["RuleSet", "normalise", "rule_set"]

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
    page = read_structure(blocks, article.meta)
    apply_page_evidence(page, blocks, article.meta)
    marks = {id(blocks[i]): kind for i, kind in page.marks.items() if kind.id not in rules.disabled}
    kept, removals = _remove_until_stable(blocks, active, article.meta, page.prose_bounds(blocks))
    kept, marked = _remove_marked(kept, marks)
    article.blocks = repair(kept)
    article.removed.extend(sorted(removals + marked, key=lambda removal: removal.index))

    meta = article.meta
    if not meta.title and article.source_path is not None:
        meta.title = Path(article.source_path).stem.replace("_", " ").replace("-", " ").strip().capitalize()
    if not meta.language:
        meta.language = detect_language(article.body_text)
    if meta.original_source and meta.publisher and _same_outlet(meta.original_source.name, meta.publisher):
        meta.original_source = None  # the site saved from is where it first appeared
    return article


def _remove_marked(blocks: list[Block], marks: dict[int, Kind]) -> tuple[list[Block], list[Removal]]:
    """Take out the blocks the page's structure marked as furniture, which no rule took first."""
    kept: list[Block] = []
    removals: list[Removal] = []
    for block in blocks:
        kind = marks.get(id(block))
        if kind is None:
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
