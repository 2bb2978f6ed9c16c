"""What the studio's templates see: each article's state at a glance, its blocks, its fields and
its chapter as the book prints it (the book's own article template)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..book.templating import Renderer
from ..book.view import ArticleView, as_printed
from ..builders.content import PackagedImage, package_body
from ..builders.report import meta_fields
from ..collection.audit import Finding, article_findings, article_label
from ..collection.loading import (
    Collection,
    finish_article,  # the CLI's own keep:/drop: and overrides
)
from ..collection.manifest import ArticleEntry, Manifest
from ..errors import InputError
from ..model import Article
from .blocks import SourceBlock, source_blocks


@dataclass
class Field:
    key: str  # the manifest key, the input's name
    label: str
    value: str
    overridden: bool  # the manifest sets it (else it is what the page says)


@dataclass
class ArticleState:
    number: int
    label: str  # its path in the collection folder
    article: Article
    findings: list[Finding]
    section: str | None
    entry_keys: set[str] = field(default_factory=set)  # keys the manifest entry sets
    keep: list[str] = field(default_factory=list)  # the entry's keep: snippets
    # normalised alone, while the collection's other articles are still being read: without the
    # collection-wide evidence (blocks its site repeats, near-duplicates)
    provisional: bool = False

    @property
    def status(self) -> str:
        return "read" if self.provisional else "checked"

    @property
    def title(self) -> str:
        return self.article.meta.title or self.label

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level != "note"]

    @property
    def missing(self) -> list[str]:
        """What the attribution needs and nobody gave: author, date, licence."""
        wanted = {"Authors": "author", "Date": "date", "Licence": "licence"}
        return [wanted[f.label] for f in meta_fields(self.article) if f.label in wanted and f.missing]

    @property
    def duplicate(self) -> bool:
        return any(f.code == "near-duplicate" for f in self.findings)

    @cached_property
    def blocks(self) -> list[SourceBlock]:
        return source_blocks(self.article, self.keep)

    @property
    def fields(self) -> list[Field]:
        meta = self.article.meta
        source = meta.original_source
        values = {
            "title": meta.title or "",
            "subtitle": meta.subtitle or "",
            "authors": ", ".join(meta.authors),
            "date": meta.date.isoformat() if meta.date else "",
            "original_source.name": source.name or "" if source else "",
            "original_source.date": source.date.isoformat() if source and source.date else "",
            "original_source.url": source.url or "" if source else "",
            "licence": meta.licence or "",
            "permission": meta.permission or "",
        }
        labels = {"original_source.name": "First published in", "original_source.date": "First published on",
                  "original_source.url": "First published at"}
        return [Field(key, labels.get(key, key.capitalize()), value,
                      key in self.entry_keys or key.split(".")[0] in self.entry_keys)
                for key, value in values.items()]


@dataclass
class Pending:
    """An article not read yet, or that cannot be used (`problems`, the CLI's error lines)."""

    number: int
    label: str
    section: str | None
    problems: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.label

    @property
    def status(self) -> str:
        return "failed" if self.problems else "pending"


def _keys(entry: ArticleEntry) -> set[str]:
    names = type(entry).keys()  # the schema's keys (a class method, not a dict's)
    return {key for key in names if getattr(entry, key) not in (None, [])}


def provisional_state(manifest: Manifest, number: int, section: str | None, outcome: Article | InputError | None,
                      problems: list[str]) -> ArticleState | Pending:
    """Article `number` normalised alone, with its entry's keep:/drop: and overrides, as the
    collection will have it before the collection-wide steps; Pending when not read (yet)."""
    entry = manifest.entries[number - 1]
    label = entry.path or entry.url or ""
    if outcome is None:
        return Pending(number, label, section, problems)
    if isinstance(outcome, InputError):
        return Pending(number, label, section, [f"error: {problem}" for problem in outcome.problems])
    path = manifest.resolve(entry)
    try:
        article = finish_article(outcome, str(path), entry, manifest)
    except InputError as exc:
        return Pending(number, label, section, [f"error: {problem}" for problem in exc.problems])
    if not article.meta.language:
        article.meta.language = manifest.data.language
    label = article_label(article, manifest.root)
    findings = article_findings(article, label, manifest.data.distribution == "public")
    return ArticleState(number, label, article, findings, section, _keys(entry), list(entry.keep or []),
                        provisional=True)


def article_states(collection: Collection) -> list[ArticleState]:
    root = collection.manifest.root
    by_article: dict[str, list[Finding]] = {}
    for finding in collection.findings:
        by_article.setdefault(finding.where, []).append(finding)
    labels = {article_label(article, root) for article in collection.articles}
    for finding in collection.findings:
        if finding.code == "near-duplicate":  # told on the copy; the first of the pair is shown it too
            for label in labels - {finding.where}:
                if label in finding.message:
                    by_article.setdefault(label, []).append(finding)
    states = []
    entries = collection.manifest.entries
    number = 0
    for section in collection.sections:
        for article in section.articles:
            number += 1
            label = article_label(article, root)
            entry = entries[number - 1]
            states.append(ArticleState(number, label, article, by_article.get(label, []), section.title,
                                       _keys(entry), list(entry.keep or [])))
    return states


def preview(renderer: Renderer, state: ArticleState, manifest: Manifest, images: dict[str, PackagedImage]) -> str:
    """The chapter as the books print it: title, byline, body and attribution note, the body
    made by the EPUB's own code (links into the saved site unwrapped, images from the collection
    folder only, fitted). Its images are put in `images`, served from /image/NAME."""
    page_id = f"article-{state.number:02d}"
    article = as_printed(state.article, manifest.data, page_id, manifest.root)
    entry = ArticleView(article=article, id=page_id, number=state.number, href="", lang=None)
    body, found, _ = package_body(entry, manifest, prefix=f"article-{state.number:02d}-image")
    for image in found:
        images[image.file_name] = image
        body = body.replace(f'src="{image.file_name}"', f'src="/image/{image.file_name}"')
    entry.body = body
    return renderer.render("article.xhtml", entry=entry, layout="fragment.xhtml")
