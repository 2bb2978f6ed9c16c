"""The collection after a correction to one article's entry, without loading it all again.

A toggle or a field edit changes one entry of the collection file (its keep:/drop: snippets or an
override). Loading the whole collection again for it (every file hashed, every article
finished, every site's repeats and every article's findings worked out again) is most of a
correction's time on a big collection. What truly depends on one entry is: that article
(finished again from its normalised text, which is in memory), the repeats of its site (before
and after the change, when the change moves it to another site: its blocks are evidence for the
site's other articles), and the collection's findings, worked out with the duplicate finder's
remembered counts (only the changed text's pairs are counted again). Everything else is the
previous collection's, as the CLI would make it again from the same inputs.

The same steps as compiler/collection/loading.py's load_collection, in the same order;
tests/studio/test_studio_incremental.py checks the result against a whole load after each correction.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ..cache import Session, WorkCache
from ..collection.articles import ArticleCache
from ..collection.audit import audit
from ..collection.loading import Collection, CollectionSection, editor_keeps, finish_article
from ..collection.manifest import Manifest
from ..model import Article
from ..normalise.site_repeats import RULE as RULE_REPEATED
from ..normalise.site_repeats import remove_site_repeats, site_of


@dataclass
class Finished:
    """Each article normalised and finished (keep:/drop:, overrides, language), before the site
    repeats: what a correction starts from. Shared, never changed."""

    raws: list[tuple[Article, bytes]]  # normalised alone, with its shingles, by article number
    articles: list[Article]


def finish(raw: Article, path: Path, number: int, manifest: Manifest) -> Article:
    entry = manifest.entries[number - 1]
    article = finish_article(raw, str(path), entry, manifest)
    if not article.meta.language:
        article.meta.language = manifest.data.language
    return article


def finished(collection: Collection, session: Session, cache: WorkCache) -> Finished | None:
    """The articles of a collection loaded whole, before its site repeats; None when one of them
    is not in memory (a URL source, a file changed since), so a correction loads it whole."""
    manifest = collection.manifest
    if not cache.enabled or any(entry.url is not None for entry in manifest.entries):
        return None
    lookup = ArticleCache(cache, manifest, session.articles)
    raws: list[tuple[Article, bytes]] = []
    for entry in manifest.entries:
        path = manifest.resolve(entry)
        key, article, shingles = lookup.lookup(path)
        if key is None or key not in session.articles or article is None or shingles is None:
            return None
        raws.append((article, shingles))
    articles = [finish(raw, manifest.resolve(entry), number, manifest)
                for number, ((raw, _), entry) in enumerate(zip(raws, manifest.entries, strict=True), start=1)]
    return Finished(raws, articles)


def corrected(before: Collection, done: Finished, manifest: Manifest, number: int,
              session: Session, cache: WorkCache) -> tuple[Collection, Finished] | None:
    """The collection once entry `number` is as `manifest` (the collection file after the
    correction) says, all else unchanged; raises InputError as a whole load would."""
    if len(manifest.entries) != len(before.manifest.entries) or manifest.entries[number - 1].url is not None:
        return None
    raw, _ = done.raws[number - 1]
    path = manifest.resolve(manifest.entries[number - 1])
    article = finish(raw, path, number, manifest)
    articles = [*done.articles]
    old_site = site_of(articles[number - 1])
    articles[number - 1] = article
    # The site repeats are worked out again for the sites the change touches, on fresh copies
    # (they take blocks out); the other articles are the previous collection's, repeats and all.
    touched = {old_site, site_of(article)} - {None}
    repeats = RULE_REPEATED not in manifest.data.rules.disable
    result: list[Article] = []
    for index, (finished_article, previous) in enumerate(zip(articles, before.articles, strict=True)):
        if index == number - 1 or (repeats and site_of(finished_article) in touched):
            result.append(dataclasses.replace(finished_article))
        else:
            result.append(previous)
    sections, start = [], 0
    for section in manifest.sections:
        sections.append(CollectionSection(title=section.title, articles=result[start:start + len(section.entries)]))
        start += len(section.entries)
    collection = Collection(manifest=manifest, sections=sections, cache=cache)
    if repeats:
        again = [a for a in result if site_of(a) in touched]
        remove_site_repeats(again, editor_keeps(manifest, sections))
    if session.texts is not None:
        # as load_collection indexes it: the text as finished, the shingles the normaliser made
        session.texts.add(article.body_text, done.raws[number - 1][1])
    collection.findings = audit(collection, session.texts)
    return collection, Finished(done.raws, articles)
