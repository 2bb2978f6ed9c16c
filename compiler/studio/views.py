"""What the studio's templates see: each article's state at a glance, its blocks, its fields and
its chapter as the book prints it (the book's own article template)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..audit import Finding, article_label
from ..book import ArticleView
from ..builders.content import PackagedImage, package_body
from ..collection import Collection
from ..manifest import Manifest
from ..model import Article
from ..render import Renderer
from ..report import meta_fields
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
            names = type(entry).keys()  # the schema's keys (a class method, not a dict's)
            keys = {key for key in names if getattr(entry, key) not in (None, [])}
            states.append(ArticleState(number, label, article, by_article.get(label, []), section.title, keys,
                                       list(entry.keep or [])))
    return states


def preview(renderer: Renderer, state: ArticleState, manifest: Manifest, images: dict[str, PackagedImage]) -> str:
    """The chapter as the books print it: title, byline, body and attribution note, the body
    made by the EPUB's own code (links into the saved site unwrapped, images from the collection
    folder only, fitted). Its images are put in `images`, served from /image/NAME."""
    entry = ArticleView(article=state.article, id=f"article-{state.number:02d}", number=state.number,
                        href="", lang=None)
    body, found, _ = package_body(entry, manifest, prefix=f"article-{state.number:02d}-image")
    for image in found:
        images[image.file_name] = image
        body = body.replace(f'src="{image.file_name}"', f'src="/image/{image.file_name}"')
    entry.body = body
    return renderer.render("article.xhtml", entry=entry, layout="fragment.xhtml")
