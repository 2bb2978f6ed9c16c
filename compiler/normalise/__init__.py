"""The normaliser: detect the site, extract metadata, drop boilerplate, repair, audit.

Each stage is a small named function over the one model; site knowledge lives in rule packs.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from ..model import Article, Block
from .engine import run_rules, split_packed_lines
from .language import detect_language
from .repair import repair
from .rules import Pack, Rule, RuleSet, rule_set

__all__ = ["RuleSet", "normalise", "rule_set"]

_EDGE_BLOCKS = 25  # how far into the head and tail a site's signature is looked for


def detect_sites(article: Article, rules: RuleSet) -> list[Pack]:
    """The site packs whose signature is in the article's head, tail or source URL."""
    blocks = article.blocks
    edges = "\n".join(b.text for b in blocks[:_EDGE_BLOCKS] + blocks[-_EDGE_BLOCKS:])
    host = urlparse(article.meta.source or "").hostname or ""
    found = []
    for pack in rules.sites:
        assert pack.spec.detect is not None
        by_host = any(host == h or host.endswith("." + h) for h in pack.spec.detect.hosts)
        if by_host or any(p.search(edges) for p in pack.detect_text):
            found.append(pack)
    return found


def active_rules(packs: list[Pack], rules: RuleSet) -> list[Rule]:
    return [rule for pack in packs for rule in pack.rules if rule.id not in rules.disabled]


def normalise(article: Article, rules: RuleSet | None = None) -> Article:
    rules = rules or rule_set()
    packs = detect_sites(article, rules) + rules.generic
    article.sites = [pack.id for pack in packs]
    active = active_rules(packs, rules)

    blocks: list[Block] = split_packed_lines(article.blocks, active)
    kept, removals = run_rules(blocks, active, article.meta)
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


def _same_outlet(a: str | None, b: str | None) -> bool:
    return bool(a and b) and "".join(a.lower().split()) == "".join(b.lower().split())  # type: ignore[union-attr]
