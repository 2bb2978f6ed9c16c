"""Normalised articles kept in the work cache (cache.ARTICLE), by what normalising one reads:
the article's file, the collection's rule packs and the rules it switches off."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import ARTICLE, WorkCache, fingerprint, key
from ..model import Article
from ..readers import read_article
from .audit import packed_shingles
from .manifest import Manifest, resolve_in_collection

if TYPE_CHECKING:
    from ..normalise import RuleSet


@dataclass(frozen=True)
class RuleSources:
    """What a collection's rule set is compiled from (besides the shipped packs, which are code)."""

    packs: tuple[Path, ...]  # the collection's own pack files, resolved
    disable: frozenset[str]  # rule ids switched off

    @classmethod
    def of(cls, manifest: Manifest) -> RuleSources:
        rules = manifest.data.rules
        return cls(tuple(resolve_in_collection(manifest, p) for p in rules.packs), frozenset(rules.disable))

    def compiled(self) -> RuleSet:
        from ..normalise import rule_set  # deferred: the rule packs' schema, only when some article is normalised

        return rule_set(list(self.packs), sorted(self.disable))


class ArticleCache:
    """Normalised articles of one collection (with their text's shingles, for the duplicate
    finder), keyed by the file, the rule sources and the tool's code."""

    def __init__(self, cache: WorkCache, manifest: Manifest,
                 memory: dict[str, tuple[Article, bytes]] | None = None) -> None:
        """`memory` holds articles already read in this process (cache.Session); they are shared
        between builds, so nothing may change them."""
        self.cache = cache
        self.memory = memory if memory is not None else {}
        self.used: set[str] = set()  # keys looked up by this build
        # The rule packs' bytes are hashed once per build, not once per article. The shingles are
        # stored as machine ints: a cache folder carried to a machine of the other byte order is not read.
        self.rules = fingerprint(RuleSources.of(manifest), sys.byteorder)

    def lookup(self, path: Path) -> tuple[str | None, Article | None, bytes | None]:
        """The key of a file's normalised article, and the article and its text's shingles
        (compiler/collection/audit.py) when the cache holds them.

        Anything but a regular file (a URL source has its own cache) has no key: always read afresh.
        """
        if not path.is_file():
            return None, None, None
        # The manifest's paths are resolved already (manifest.resolve_path); the key holds the file's bytes.
        found_key = key(ARTICLE, path, self.rules)
        self.used.add(found_key)
        if found_key in self.memory:
            return found_key, *self.memory[found_key]
        found = self.cache.get(ARTICLE, found_key)
        if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], Article)
                and isinstance(found[1], bytes)):
            return found_key, None, None
        self.memory[found_key] = found
        return found_key, *found

    def store(self, article_key: str | None, article: Article, text_shingles: bytes) -> None:
        if article_key is not None:
            self.cache.put(ARTICLE, article_key, (article, text_shingles))
            self.memory[article_key] = (article, text_shingles)

    def normalised(self, path: Path, rules: RuleSet) -> Article:
        article_key, article, _ = self.lookup(path)
        if article is None:
            from ..normalise import normalise  # deferred: the stages, only for an article the cache lacks

            article = normalise(read_article(path), rules)
            self.store(article_key, article, packed_shingles(article.body_text))
        return article
