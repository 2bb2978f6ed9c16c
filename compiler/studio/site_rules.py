"""Teach the site: a block the editor removed becomes a rule of the collection's own pack for that
site, so the same block goes from every article of the site, recorded with the rule's id.

The pack is `rules/<site>.yaml` in the collection folder, listed under `rules.packs`. The site is
recognised as the shipped packs recognise theirs (docs/rule-packs.md): by the host of an article
fetched from a web address, else by its publisher's name near the top or bottom of the article.
Before anything is written, the rule is run over the whole collection and the blocks it would
take are shown.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..collection.articles import RuleSources
from ..collection.audit import article_label
from ..collection.schema import SchemaError
from ..model import Article
from ..normalise import normalise
from ..normalise.rules import Pack, PackSpec, Rule, RuleSet
from ..pipeline import write_file
from ..readers import read_article
from . import manifest_edit
from .blocks import SourceBlock, normalised, source_blocks
from .state import Refused, Studio

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap as Map

PACK_FOLDER = "rules"


@dataclass
class Site:
    slug: str  # the pack's id and file name
    name: str
    detect: dict[str, Any]


def site_of(article: Article) -> Site | None:
    source = article.meta.source or ""
    host = urlparse(source).hostname if source.startswith(("http://", "https://")) else None
    if host:
        host = host.removeprefix("www.")
        return Site(_slug(host), host, {"hosts": [host]})
    publisher = article.meta.publisher
    if publisher and _slug(publisher):
        return Site(_slug(publisher), publisher, {"text": re.escape(publisher)})
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")


def text_pattern(text: str) -> str:
    """The whole block's text as a regex: its words in order, any whitespace between, and any
    number where it has one (the same footer says © 2023 on one article and © 2024 on the next)."""
    words = (re.sub(r"[0-9]+", lambda _: r"\d+", re.escape(word)) for word in text.split())
    return "^" + r"\s+".join(words) + "$"


class SiteRules:
    def __init__(self, studio: Studio) -> None:
        self.studio = studio

    def _target(self, number: int, block_id: str) -> tuple[Article, SourceBlock, Site]:
        self.studio.collection  # noqa: B018 -- a rule for the whole site is tried on the whole collection: loaded
        article = self.studio.article(number)
        block = next((b for b in source_blocks(article) if b.id == block_id), None)
        if block is None or not block.teachable:
            raise Refused([f"error: block {block_id} of article {number} is not a removed block"])
        site = site_of(article)
        if site is None:
            raise Refused([f"error: {article_label(article, self.studio.root)}: the site is not known (no web "
                           "address and no publisher); give the article a publisher first"])
        return article, block, site

    def _pack_path(self, site: Site) -> Path:
        return self.studio.root / PACK_FOLDER / f"{site.slug}.yaml"

    def _rule(self, site: Site, block: SourceBlock) -> dict[str, Any]:
        existing = self._existing_ids(site)
        base = _slug(" ".join(block.text.split()[:5])) or "block"
        name, count = base, 1
        while f"{site.slug}.{name}" in existing:
            count += 1
            name = f"{base}-{count}"
        words = len(block.text.split())
        return {"id": f"{site.slug}.{name}", "reason": f"Removed from every {site.name} article in the review studio",
                "zone": "any", "max_words": words + 5, "match": text_pattern(block.text)}

    def _existing_ids(self, site: Site) -> set[str]:
        path = self._pack_path(site)
        if not path.is_file():
            return set()
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        return {str(rule.get("id")) for rule in data.get("rules") or [] if isinstance(rule, dict)}

    def preview(self, number: int, block_id: str) -> dict[str, Any]:
        _, block, site = self._target(number, block_id)
        rule = self._rule(site, block)
        matches = self._matches(site, rule)
        if not any(m["number"] == number for m in matches):
            raise Refused([f"error: a rule for {site.name} would not take this block from its own article"])
        return {"site": site.name, "rule": rule, "pack": f"{PACK_FOLDER}/{site.slug}.yaml", "matches": matches}

    def _matches(self, site: Site, rule: dict[str, Any]) -> list[dict[str, Any]]:
        """Every block of the collection the rule would take, normalising each article with it."""
        rules = self._rules_with(site, rule)
        found = []
        manifest = self.studio.collection.manifest
        pattern = re.compile(rule["match"], re.IGNORECASE)
        for number, entry in enumerate(manifest.entries, start=1):
            if entry.url is not None:
                continue  # a fetched page is read from the HTTP cache by a build, not here
            if not any(pattern.search(block.text) for block in source_blocks(self.studio.article(number))):
                continue  # no block with that text: nothing to normalise again
            article = normalise(read_article(manifest.resolve(entry)), rules)
            for removal in article.removed:
                if removal.rule == rule["id"]:
                    current = self.studio.article(number)
                    found.append({"number": number, "title": current.meta.title or article_label(current),
                                  "block": f"b{removal.index}", "text": removal.text})
        return found

    def _rules_with(self, site: Site, rule: dict[str, Any]) -> RuleSet:
        raw = self._pack_data(site)
        raw["rules"] = [*raw.get("rules", []), rule]
        try:
            spec = PackSpec.validate(raw)
        except SchemaError as exc:
            raise Refused([f"error: {self._pack_path(site)}: {p.key}: {p.message}" for p in exc.problems]) from None
        pack = Pack(spec=spec, rules=[Rule(spec=r, pack=spec.id) for r in spec.rules], origin="studio")
        current = RuleSources.of(self.studio.collection.manifest).compiled()
        others = [p for p in current.packs if p.origin != str(self._pack_path(site).resolve())
                  and p.origin != str(self._pack_path(site))]
        return RuleSet(packs=[pack, *others], disabled=current.disabled)

    def _pack_data(self, site: Site) -> dict[str, Any]:
        path = self._pack_path(site)
        if path.is_file():
            return dict(YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {})
        return {"id": site.slug, "name": site.name, "description": "Written by the review studio",
                "detect": site.detect, "rules": []}

    def save(self, version: str, number: int, block_id: str) -> str:
        preview = self.preview(number, block_id)
        rule, site = preview["rule"], site_of(self.studio.article(number))
        assert site is not None
        path = self._pack_path(site)
        before = path.read_text(encoding="utf-8") if path.is_file() else None
        write_file(path, _with_rule(before, self._pack_data(site), rule).encode("utf-8"))
        texts = {normalised(m["text"]) for m in preview["matches"]}
        try:
            return self.studio.apply_text(version, lambda text: _listed(text, preview["pack"], texts))
        except BaseException:
            if before is None:  # nothing half-written: the pack goes back as it was
                path.unlink(missing_ok=True)
            else:
                write_file(path, before.encode("utf-8"))
            raise


def _with_rule(before: str | None, fresh: dict[str, Any], rule: dict[str, Any]) -> str:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    if before is None:
        data: Map = CommentedMap(fresh)
        data["rules"] = CommentedSeq()
    else:
        data = yaml.load(before)
    data["rules"].append(CommentedMap(rule))
    out = io.StringIO()
    if before is None:
        out.write("# A rule pack the review studio wrote (docs/review-studio.md); edit it as any pack.\n")
    yaml.dump(data, out)
    return out.getvalue()


def _listed(text: str, pack: str, texts: set[str]) -> str:
    """The collection file with the pack under rules.packs, and the drop: snippets the rule now
    does the work of taken out (the rule records those blocks under its own id)."""

    def change(data: Map) -> None:
        rules = data.get("rules")
        if not isinstance(rules, dict):
            data["rules"] = rules = CommentedMap()
        packs = rules.get("packs")
        if not isinstance(packs, list):
            rules["packs"] = packs = CommentedSeq()
        if pack not in packs:
            packs.append(pack)
        for entry in manifest_edit.entries(data):
            drops = entry.get("drop")
            if isinstance(drops, list):
                gone = [s for s in drops if any(normalised(str(s)) in t for t in texts)]
                manifest_edit.remove_snippets("drop", gone)(entry)

    return manifest_edit.edited_top(text, change)
