"""From a validated manifest to a Collection: every article read, normalised and overridden."""

from __future__ import annotations

import copy
import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import RULE_GATES, TEXT_PAIRS, WorkCache, fingerprint, key
from ..errors import InputError
from ..model import Article, Block, OriginalSource
from ..normalise.corrections import apply_corrections, comparable
from ..normalise.site_repeats import RULE as RULE_REPEATED
from ..normalise.site_repeats import remove_site_repeats
from ..readers import read_article
from .articles import ArticleCache, RuleSources
from .audit import Finding, TextIndex, audit
from .manifest import ArticleEntry, Manifest, load_manifest
from .parallel import normalise_files

if TYPE_CHECKING:
    from ..cache import Session
    from ..normalise import RuleSet
    from ..readers.fetch import Fetcher

Progress = Callable[[str], None]


@dataclass
class CollectionSection:
    title: str | None
    articles: list[Article]


@dataclass
class Collection:
    manifest: Manifest
    sections: list[CollectionSection]
    findings: list[Finding] = field(default_factory=list)  # see compiler/collection/audit.py
    cache: WorkCache | None = None  # the work cache it was loaded with; builders keep their pieces there too

    @property
    def warnings(self) -> list[str]:
        """Findings a build reports: errors and warnings, not notes."""
        return [finding.line for finding in self.findings if finding.level != "note"]

    @property
    def articles(self) -> list[Article]:
        return [article for section in self.sections for article in section.articles]


class LazyRules:
    """The collection's rule set, compiled on first use: a rebuild whose articles all come from
    the work cache never pays for compiling the packs. A watching session keeps it for as long
    as the packs and the disabled rules stay the same."""

    def __init__(self, manifest: Manifest, session: Session | None = None, cache: WorkCache | None = None) -> None:
        self.manifest = manifest
        self.session = session
        self.cache = cache if cache is not None and cache.enabled else None
        self._rules: RuleSet | None = None
        self._gates_known = 0

    def __call__(self) -> RuleSet:
        if self._rules is None:
            # deferred: the rule packs' schema and the stages, only when some article is normalised
            from ..normalise.rules import known_gates, learn_gates

            if self.cache is not None:
                learn_gates(self.cache.get(RULE_GATES, key(RULE_GATES)))
                self._gates_known = len(known_gates())
            sources = RuleSources.of(self.manifest)
            if self.session is None:
                self._rules = sources.compiled()
            else:
                known = fingerprint(sources)  # the packs by their bytes: an edited pack is compiled again
                if known not in self.session.rules:
                    self.session.rules = {known: sources.compiled()}
                self._rules = self.session.rules[known]
        return self._rules

    def keep_gates(self) -> None:
        """Keep the rules' gates for the next build, when this one worked out new ones."""
        if self._rules is None or self.cache is None:
            return
        from ..normalise.rules import known_gates  # loaded already: the rules were compiled

        gates = known_gates()
        if len(gates) > self._gates_known:
            self.cache.put(RULE_GATES, key(RULE_GATES), gates)  # one entry: the gates any build worked out


def load_article(path: Path, rules: RuleSet, entry: ArticleEntry | None = None,
                 cache: ArticleCache | None = None) -> Article:
    from ..normalise import normalise  # deferred: the stages, only for an article the cache lacks

    article = cache.normalised(path, rules) if cache is not None else normalise(read_article(path), rules)
    return finish_article(article, str(path), entry)


def finish_article(article: Article, where: str, entry: ArticleEntry | None,
                   manifest: Manifest | None = None) -> Article:
    """A normalised article as the book takes it: the editor's `keep:`/`drop:` and overrides applied.

    The studio finishes an article it has read alone with this too, so both see the same result."""
    # A copy with its own metadata: the cached article (shared between builds of a session) is not changed.
    # It shares the blocks and removals, so its word counts are the cached one's, counted once.
    counts = {"words": article.words, "words_removed": article.words_removed}
    article = dataclasses.replace(article, meta=copy.copy(article.meta))
    if entry is not None and (entry.keep or entry.drop):
        _correct(article, where, entry, manifest)  # new lists of blocks: counted again
    else:
        article.__dict__.update(counts)  # where cached_property keeps them
    if entry is not None:
        apply_overrides(article, entry)
    if not article.blocks:
        raise InputError(f"{where}: nothing is left of the article once boilerplate is removed")
    return article


def _correct(article: Article, where: str, entry: ArticleEntry, manifest: Manifest | None) -> None:
    """The editor's `keep:` and `drop:` snippets; one that matches no block is an error naming it."""
    unmatched = apply_corrections(article, entry.keep or [], entry.drop or [])
    if unmatched:
        problems = [
            f"{manifest.where(entry, f'{name}[{number}]') if manifest else where}: matches no block of {where}: "
            f"{snippet[:60]!r}; copy a piece of the block's text from the review report"
            for name, number, snippet in unmatched
        ]
        raise InputError(problems[0], problems)


def load_url_article(entry: ArticleEntry, root: Path, rules: RuleSet, fetcher: Fetcher,
                     manifest: Manifest | None = None) -> Article:
    """A URL source, fetched or taken from the collection's HTTP cache (`--offline`: the cache only)."""
    from ..normalise import normalise  # deferred: the stages, as in load_article
    from ..readers.url import read_url  # deferred: the HTTP client, only for a collection with URL sources

    assert entry.url is not None
    return finish_article(normalise(read_url(entry.url, root, fetcher), rules), entry.url, entry, manifest)


def apply_overrides(article: Article, entry: ArticleEntry) -> None:
    """The editor's word beats what the page says."""
    meta = article.meta
    for name in ("title", "subtitle", "date", "licence", "permission", "copyright", "language", "publisher"):
        value = getattr(entry, name)
        if value is not None:
            setattr(meta, name, value)
    if entry.authors is not None:
        meta.authors = list(entry.authors)
    if entry.original_source is not None:
        given = entry.original_source
        meta.original_source = OriginalSource(name=given.name, date=given.date, url=given.url)
    if entry.source_url is not None:
        meta.url = entry.source_url


def load_collection(manifest: Manifest | Path | str, progress: Progress | None = None, cache: WorkCache | None = None,
                    offline: bool = False, session: Session | None = None) -> Collection:
    """Read and normalise every article; report every unreadable one before stopping.

    `manifest` is a loaded Manifest or the path of a collection file, loaded (and checked) first.

    `progress` is called with each article's path before it is read (the CLI's progress bar).
    With a `cache`, an article whose file, rule packs and tool are unchanged is not normalised
    again; the others are normalised on every core (see compiler/collection/parallel.py). A watching
    `session` also keeps articles and duplicate counts in memory between builds.
    """
    if not isinstance(manifest, Manifest):
        manifest = load_manifest(Path(manifest))
    rules = LazyRules(manifest, session, cache)
    memory = session.articles if session is not None else None
    if session is None:
        texts = _text_index(cache)
    else:
        if session.texts is None:
            session.texts = _text_index(cache, remember_pairs=True)
        texts = session.texts
    articles_cache = ArticleCache(cache, manifest, memory) if cache is not None and cache.enabled else None
    files = [manifest.resolve(entry) for entry in manifest.entries if entry.url is None]
    normalised = iter(normalise_files(files, rules, articles_cache))
    fetcher: Fetcher | None = None
    sections: list[CollectionSection] = []
    problems: list[str] = []
    for section in manifest.sections:
        articles: list[Article] = []
        for entry in section.entries:
            if progress is not None:
                progress(entry.path or entry.url or "")
            try:
                if entry.url is not None:
                    fetcher = fetcher or _url_fetcher(manifest.root, offline)
                    article = load_url_article(entry, manifest.root, rules(), fetcher, manifest)
                else:
                    path, result, text_shingles = next(normalised)
                    if isinstance(result, InputError):
                        raise result
                    article = finish_article(result, str(path), entry, manifest)
                    if text_shingles is not None:
                        texts.add(article.body_text, text_shingles)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            if not article.meta.language:
                article.meta.language = manifest.data.language  # on the copy finish_article made
            articles.append(article)
        sections.append(CollectionSection(title=section.title, articles=articles))
    if session is not None and articles_cache is not None:
        session.keep_only(articles_cache.used)  # an edited article's earlier versions are let go
    rules.keep_gates()
    if fetcher is not None:
        fetcher.close()
    if problems:
        raise InputError(f"{manifest.path}: {len(problems)} article(s) cannot be used", problems)
    collection = Collection(manifest=manifest, sections=sections, cache=cache)
    if RULE_REPEATED not in manifest.data.rules.disable:
        remove_site_repeats(collection.articles, editor_keeps(manifest, sections))
    remembered = texts.digests
    collection.findings = audit(collection, texts)
    if cache is not None and cache.enabled and texts.digests != remembered:
        cache.put(TEXT_PAIRS, _pairs_key(), texts.remembered)
    return collection


def editor_keeps(manifest: Manifest, sections: list[CollectionSection]) -> Callable[[Article, Block], bool] | None:
    """Whether the editor's `keep:` names a block of an article (the collection's repeats leave it)."""
    snippets: dict[int, list[str]] = {}
    for section, loaded in zip(manifest.sections, sections, strict=True):
        for entry, article in zip(section.entries, loaded.articles, strict=False):
            if entry.keep:
                snippets[id(article)] = entry.keep
    if not snippets:
        return None
    wanted = {number: [comparable(snippet) for snippet in found] for number, found in snippets.items()}
    return lambda article, block: any(s in comparable(block.text) for s in wanted.get(id(article), ()))


def _text_index(cache: WorkCache | None, remember_pairs: bool = False) -> TextIndex:
    """The duplicate finder's index, with the last build's pair counts when the cache has them:
    after one article changes, only its pairs are counted again. (A session remembers its counts
    even without a cache, for its own next build.)"""
    if cache is None or not cache.enabled:
        return TextIndex(remember_pairs=remember_pairs)
    return TextIndex(remember_pairs=True, known=cache.get(TEXT_PAIRS, _pairs_key()))


def _pairs_key() -> str:
    # One entry per collection (the cache folder is the collection's), replaced when the book
    # changes; the counts are known by the texts' digests, so an entry is never stale for them.
    return key(TEXT_PAIRS, sys.byteorder)  # the counts are machine ints


def _url_fetcher(root: Path, offline: bool) -> Fetcher:
    from ..readers.fetch import Fetcher, HttpCache  # httpx is imported only for collections with URLs

    return Fetcher(HttpCache.for_collection(root), offline=offline)
