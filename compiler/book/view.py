"""What the page templates see: a collection arranged as a book, the same for every format.

Builders differ only in where a page lives (`href`): the EPUB gives each article its own
document (`article-03.xhtml`), a single-document format links to an anchor (`#article-03`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import TYPESET_BLOCKS, LastBuild
from ..collection.audit import article_label
from ..collection.loading import Collection
from ..collection.manifest import ManifestSchema
from ..model import Article, ArticleMeta
from ..resources import TOOL_NAME, __version__
from .figures import tidy_figures
from .fonts import book_type
from .notes import with_notes
from .typography import Remembered, typeset_article, typeset_text

# Fixed namespace so that the derived identifier never changes between builds or machines.
_IDENTIFIER_NAMESPACE = uuid.UUID("6f1d6d0e-3a57-4d7c-9a53-6e0a1c7b2f41")

Href = Callable[[str], str]


def document_href(page_id: str) -> str:
    return f"{page_id}.xhtml"


def anchor_href(page_id: str) -> str:
    return f"#{page_id}"


@dataclass
class ArticleView:
    article: Article
    id: str  # "article-03": the document name stem, or the anchor in a single document
    number: int  # 1-based position in the book
    href: str
    lang: str | None  # the article's language when it differs from the book's, else None
    body: str = ""  # the body XHTML as this format ships it (images and links rewritten); see book_view

    def __post_init__(self) -> None:
        if not self.body:
            self.body = self.article.body_html

    @property
    def meta(self) -> ArticleMeta:
        return self.article.meta

    @property
    def title(self) -> str:
        return self.article.meta.title or f"Article {self.number}"


@dataclass
class SectionView:
    title: str | None  # None when the manifest has no sections
    id: str
    href: str
    articles: list[ArticleView]


@dataclass
class BookView:
    title: str
    subtitle: str | None
    editors: list[str]
    language: str
    publisher: str | None
    rights: str | None
    isbn: str | None
    edition: str | None
    colophon: str | None
    typeface: str  # the face the book is set in, named in the colophon
    description: str | None
    subjects: list[str]
    identifier: str
    date: dt.date  # the book's publication date: the manifest's, else the build date
    build_date: dt.datetime
    tool: str
    version: str
    sections: list[SectionView] = field(default_factory=list)
    hrefs: dict[str, str] = field(default_factory=dict)  # front and back matter page id -> href

    @property
    def articles(self) -> list[ArticleView]:
        return [entry for section in self.sections for entry in section.articles]

    @property
    def body_start(self) -> str | None:
        """The id of the piece the body opens with (the first part, else the first article):
        page 1 of a printed book."""
        for section in self.sections:
            if section.title:
                return section.id
            if section.articles:
                return section.articles[0].id
        return None

    @property
    def has_sections(self) -> bool:
        return any(section.title for section in self.sections)

    @property
    def authors(self) -> list[str]:
        """Every article author once, in order of first appearance."""
        return list(dict.fromkeys(name for entry in self.articles for name in entry.meta.authors))

    @property
    def creators(self) -> list[str]:
        """Who the book is by: its editors, or its authors when nobody edited it."""
        return self.editors or self.authors


def derived_identifier(data: ManifestSchema) -> str:
    """A stable URN from the title and editors, so rebuilding never makes a new book."""
    key = "\n".join([data.title, *data.editors])
    return f"urn:uuid:{uuid.uuid5(_IDENTIFIER_NAMESPACE, key)}"


def book_view(collection: Collection, build_date: dt.datetime, href: Href = document_href,
              warn: Callable[[str], None] | None = None) -> BookView:
    data = collection.manifest.data

    def typeset(text: str | None) -> str | None:
        # The editors' own words (title page, copyright page, colophon, covers) get the same
        # quotes and dashes as the articles: "the water's edge" prints with an apostrophe.
        return typeset_text(text, data.language) if text and data.typography else text

    book = BookView(
        title=typeset(data.title) or data.title,
        subtitle=typeset(data.subtitle),
        editors=list(data.editors),
        language=data.language,
        publisher=data.publisher,
        rights=typeset(data.rights),
        isbn=data.isbn,
        edition=typeset(data.edition),
        colophon=typeset(data.colophon),
        typeface=book_type().family,
        description=typeset(data.description),
        subjects=list(data.subjects),
        identifier=data.identifier or derived_identifier(data),
        date=data.date or build_date.date(),
        build_date=build_date,
        tool=TOOL_NAME,
        version=__version__,
    )
    book.hrefs = {name: href(name) for name in ("cover", "titlepage", "copyright", "contents", "sources", "colophon")}
    number = 0
    # Typeset blocks by their text, from the last build's: a rebuild typesets only what changed.
    kept = LastBuild[str](collection.cache if collection.cache else None, TYPESET_BLOCKS, data.language)
    for index, section in enumerate(collection.sections, start=1):
        entries = []
        for article in section.articles:
            number += 1
            page_id = f"article-{number:02d}"
            article = as_printed(article, data, page_id, collection.manifest.root, warn, kept.get)
            lang = article.meta.language if _differs(article.meta.language, data.language) else None
            entries.append(ArticleView(article=article, id=page_id, number=number, href=href(page_id), lang=lang))
        section_id = f"section-{index:02d}"
        book.sections.append(SectionView(title=typeset(section.title), id=section_id, href=href(section_id),
                                         articles=entries))
    kept.keep()
    return book


def as_printed(article: Article, data: ManifestSchema, page_id: str, root: Path,
               warn: Callable[[str], None] | None = None, remembered: Remembered | None = None) -> Article:
    """The article as every format prints it: typeset (unless the manifest turns typography off),
    its figures tidied, its notes made real notes with ids under `page_id`."""
    if data.typography:
        article = typeset_article(article, data.language, remembered) if remembered else \
            typeset_article(article, data.language)
    return with_notes(tidy_figures(article, article_label(article, root), warn), page_id)


def article_page_inputs(book: BookView, entry: ArticleView) -> tuple[str | bytes, ...]:
    """Everything the shipped article.xhtml (and the layout, macros and filters it uses) reads
    of the book and the entry: what a kept page (render.Pieces) is known by, with its format's own."""
    return (entry.id, str(entry.number), entry.lang or "", book.language, book.title, book.body_start or "",
            repr(entry.meta), hashlib.sha256(entry.body.encode("utf-8")).digest())


def _differs(language: str | None, book_language: str) -> bool:
    return bool(language) and (language or "").lower() != book_language.lower()


def book_pages(render: Callable[..., str], book: BookView) -> list[str]:
    """Every page of the book in reading order, each a bare <section> (the fragment layout),
    for the formats that join them into one document (PDF, web edition)."""
    common = {"book": book, "layout": "fragment.xhtml", "stylesheet": None}
    pages = [render(f"{name}.xhtml", **common) for name in ("titlepage", "copyright", "contents")]
    for section in book.sections:
        if section.title:
            pages.append(render("part.xhtml", section=section, **common))
        pages.extend(render("article.xhtml", entry=entry, **common) for entry in section.articles)
    pages += [render("sources.xhtml", **common), render("colophon.xhtml", **common)]
    return pages
