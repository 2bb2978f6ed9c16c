"""EPUB 3 builder: every page rendered from the shared templates, packaged with ebooklib.

ebooklib writes the package document (OPF) and the container; this module owns everything
else. Pages are rendered and checked for well-formedness before anything is written, ebooklib
writes into memory, and the zip is then re-packed with fixed timestamps and a stable order
(mimetype first, stored) into the stream the atomic writer gave us. So a failing page leaves
no file, and the same inputs with the same SOURCE_DATE_EPOCH give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from ebooklib import epub
from lxml import etree

from ..book.attribution import join_names
from ..book.fonts import book_type, font_face_css, subset_face
from ..book.view import ArticleView, BookView, article_page_inputs, book_view
from ..cache import EPUB_COVER, EPUB_FONT, WorkCache, key
from ..collection.loading import Collection
from ..collection.manifest import resolve_in_collection
from ..errors import BuildError
from ..readers.xmlsafe import parse_xml
from . import register
from .base import BuildContext, Builder
from .content import PackagedImage, package_body
from .cover import CoverText, cover_alt, render_cover
from .zipped import Deflated, DeflateMemo, deflate, stored, write_zip

XHTML = "application/xhtml+xml"
STYLESHEET = "css/book.css"
COVER_MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                     ".webp": "image/webp"}
A11Y_CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
# zlib's default: within a few per cent of the smallest file at a third of level 9's time.
COMPRESS_LEVEL = 6


@dataclass
class Page:
    """One XHTML document of the book."""

    id: str
    file_name: str
    content: bytes
    in_spine: bool = True
    properties: list[str] = field(default_factory=list)


@dataclass
class Cover:
    file_name: str
    media_type: str
    data: bytes
    alt: str


@register
class EpubBuilder(Builder):
    name = "epub"
    suffix = ".epub"
    template_folder = "epub"

    def write(self, collection: Collection, stream: IO[bytes], context: BuildContext) -> None:
        book = book_view(collection, context.build_date, warn=context.warn)
        images = _package_articles(book, collection, context)
        cover = _cover(book, collection)
        pages = _render_pages(book, context, cover)
        described = all(image.described for image in images)
        package = _package(book, pages, images, cover, context, described)
        _embed_fonts(package, pages, collection.cache or None)
        buffer = io.BytesIO()
        # ebooklib's zip is only read back by repack(), which compresses: level 0 spares deflating twice.
        writer = epub.EpubWriter(buffer, package, {"mtime": book.build_date, "raise_exceptions": True,
                                                   "epub3_pages": False, "epub3_landmark": False, "compresslevel": 0})
        writer.process()
        writer.write()
        opf = f"{package.FOLDER_NAME}/content.opf"
        fix_opf = {opf: lambda data: with_package_language(data, book.language)}
        repack(buffer.getvalue(), stream, book.build_date, fix_opf, DeflateMemo(collection.cache, COMPRESS_LEVEL))


def _package_articles(book: BookView, collection: Collection, context: BuildContext) -> list[PackagedImage]:
    """Rewrite each body for the package: local images embedded, the rest made inert."""
    images: list[PackagedImage] = []
    for entry in book.articles:
        body, found, warnings = package_body(entry, collection.manifest, prefix=f"images/{entry.id}")
        entry.body = _note_semantics(body)
        images += found
        for warning in warnings:
            context.warn(warning)
    return images


# EPUB 3 structural semantics beside the DPUB-ARIA roles compiler/book/notes.py writes.
_NOTE_TYPES = {'role="doc-noteref"': 'epub:type="noteref" role="doc-noteref"',
               'role="doc-endnotes"': 'epub:type="endnotes" role="doc-endnotes"',
               '<li class="endnote"': '<li class="endnote" epub:type="endnote"'}


def _note_semantics(body: str) -> str:
    if 'role="doc-noteref"' not in body:
        return body
    for plain, typed in _NOTE_TYPES.items():
        body = body.replace(plain, typed)
    return body


def _cover(book: BookView, collection: Collection) -> Cover:
    manifest = collection.manifest
    if manifest.data.cover:
        path = resolve_in_collection(manifest, manifest.data.cover)
        media_type = COVER_MEDIA_TYPES.get(path.suffix.lower())
        if media_type is None:
            raise BuildError(
                f"{manifest.path}: cover: {path.name} is not a PNG, JPEG, GIF or WebP image; "
                "convert it or remove 'cover:'"
            )
        return Cover(f"images/cover{path.suffix.lower()}", media_type, path.read_bytes(),
                     f"Cover of {book.title}.")
    text = CoverText(title=book.title, subtitle=book.subtitle, editors=book.editors)
    return Cover("images/cover.png", "image/png", _generated_cover(text, collection), cover_alt(text))


def _generated_cover(text: CoverText, collection: Collection) -> bytes:
    """The drawn cover, kept in the work cache: drawing and compressing it is a tenth of a rebuild."""
    cache = collection.cache
    drawn = key(EPUB_COVER, text)  # what render_cover is given, whole
    found = cache.get(EPUB_COVER, drawn) if cache is not None else None
    if isinstance(found, bytes):
        return found
    image = render_cover(text)
    if cache is not None:
        cache.put(EPUB_COVER, drawn, image)
    return image


def _render_pages(book: BookView, context: BuildContext, cover: Cover) -> list[Page]:
    render = context.renderer.render
    common = {"book": book, "stylesheet": STYLESHEET}
    # The pages about the whole book are kept by all of the book's parts they show; an edit to
    # one article's text leaves them as they were.
    kept_book = context.renderer.pieces("book")
    outline = _book_inputs(book, cover) if kept_book else ()

    def book_page(page_id: str, template: str, in_spine: bool = True, properties: list[str] | None = None,
                  **extra: object) -> Page:
        def fresh() -> str:
            return _checked(page_id, render(template, **extra, **common))

        # No page shows when the book was built: every page stays kept from one build to the next.
        text = kept_book.piece((page_id, template, *outline), fresh) if kept_book else fresh()
        return Page(page_id, f"{page_id}.xhtml", text.encode("utf-8"), in_spine, properties or [])

    pages = [
        book_page("cover", "cover.xhtml", image=cover.file_name, alt=cover.alt),
        book_page("nav", "nav.xhtml", in_spine=False, properties=["nav"], first_body_href=_first_body_href(book)),
        book_page("titlepage", "titlepage.xhtml"),
        book_page("copyright", "copyright.xhtml"),
        book_page("contents", "contents.xhtml"),
    ]
    kept = context.renderer.pieces("article.xhtml")
    for section in book.sections:
        if section.title:
            pages.append(book_page(section.id, "part.xhtml", section=section))
        for entry in section.articles:
            def article_page(entry: ArticleView = entry) -> str:
                return _checked(entry.id, render("article.xhtml", entry=entry, **common))

            text = kept.piece((*article_page_inputs(book, entry), STYLESHEET), article_page) if kept else article_page()
            pages.append(Page(entry.id, f"{entry.id}.xhtml", text.encode("utf-8"), True, []))
    pages.append(book_page("sources", "sources.xhtml"))
    pages.append(book_page("colophon", "colophon.xhtml"))
    for pieces in (kept, kept_book):
        if pieces:
            pieces.keep()
    return pages


def _book_inputs(book: BookView, cover: Cover) -> tuple[str, ...]:
    """Everything the shipped pages about the whole book read: its own fields, and each
    section's and article's title, place and metadata (contents, navigation, sources)."""
    fields = {name: value for name, value in vars(book).items() if name not in ("sections", "build_date")}
    parts = [repr(fields), STYLESHEET, cover.file_name, cover.alt]
    for section in book.sections:
        parts.append(repr((section.title, section.id, section.href)))
        parts += [repr((entry.id, entry.number, entry.href, entry.lang, entry.meta)) for entry in section.articles]
    return (hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest(),)


def _first_body_href(book: BookView) -> str:
    first = book.sections[0]
    return first.href if first.title else first.articles[0].href


def _checked(page_id: str, text: str) -> str:
    try:
        parse_xml(text.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        # A reading system refuses a malformed document, so stop before anything is written.
        raise BuildError(f"{page_id}.xhtml: the rendered page is not well-formed XHTML: {exc}") from None
    return text


def _embed_fonts(package: epub.EpubBook, pages: list[Page], cache: WorkCache | None) -> None:
    """The book face, cut down to the characters the book uses, and the rules that load it.

    A reading system without the face would set the book in its own default; a whole face is
    half a megabyte per style, the glyphs one book uses a few dozen kilobytes. Scripts the face
    lacks (Japanese, Arabic…) are left to the reading system's fonts, chosen by each article's
    `lang`.
    """
    text = "".join(sorted(set("".join(page.content.decode("utf-8") for page in pages))))
    faces = []
    for index, (path, weight, style) in enumerate(book_type().faces, start=1):
        subset = key(EPUB_FONT, path, text)  # what subset_face reads: the face's file (its bytes) and the text
        data = cache.get(EPUB_FONT, subset) if cache is not None else None
        if not isinstance(data, bytes):
            data = subset_face(path, text)
            if cache is not None:
                cache.put(EPUB_FONT, subset, data)
        name = f"fonts/{path.stem}.ttf"
        package.add_item(epub.EpubItem(uid=f"font-{index}", file_name=name, media_type="font/ttf", content=data))
        faces.append((f"../{name}", weight, style))
    css = package.get_item_with_id("css")
    css.content = font_face_css(faces).encode() + css.content


def _package(book: BookView, pages: list[Page], images: list[PackagedImage], cover: Cover,
             context: BuildContext, described: bool) -> epub.EpubBook:
    package = epub.EpubBook()
    _metadata(package, book, described)
    css = context.renderer.read_static("book.css") + "\n" + context.renderer.read_static("epub.css")
    package.add_item(epub.EpubItem(uid="css", file_name=STYLESHEET, media_type="text/css", content=css.encode()))
    cover_item = epub.EpubCover(uid="cover-image", file_name=cover.file_name)
    # Typed before it is added: ebooklib would guess an untyped item's type, loading the
    # system's MIME tables (a sixtieth of a second) to do it.
    cover_item.content, cover_item.media_type = cover.data, cover.media_type
    package.add_item(cover_item)
    # EPUB 2 reading systems find the cover through this meta.
    package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    for index, image in enumerate(images, start=1):
        package.add_item(epub.EpubItem(uid=f"image-{index:03d}", file_name=image.file_name,
                                       media_type=image.media_type, content=image.data))
    spine: list[epub.EpubItem] = []
    for page in pages:
        item = epub.EpubItem(uid=page.id, file_name=page.file_name, media_type=XHTML, content=page.content)
        item.properties = page.properties
        package.add_item(item)
        if page.in_spine:
            spine.append(item)
    ncx = context.renderer.render("ncx.xml", book=book, points=ncx_points(book))
    package.add_item(epub.EpubItem(uid="ncx", file_name="toc.ncx", media_type="application/x-dtbncx+xml",
                                   content=ncx.encode("utf-8")))
    package.spine = spine
    package.guide = [
        {"type": "cover", "title": "Cover", "href": "cover.xhtml"},
        {"type": "title-page", "title": "Title page", "href": "titlepage.xhtml"},
        {"type": "toc", "title": "Contents", "href": "contents.xhtml"},
        {"type": "text", "title": "Start of content", "href": _first_body_href(book)},
    ]
    return package


@dataclass
class NcxPoint:
    id: str
    order: int
    label: str
    href: str
    children: list[NcxPoint] = field(default_factory=list)


def ncx_points(book: BookView) -> list[NcxPoint]:
    """The NCX mirror of nav.xhtml's table of contents; play order follows reading order."""
    counter = itertools.count(1)

    def point(page_id: str, label: str, href: str) -> NcxPoint:
        return NcxPoint(f"nav-{page_id}", next(counter), label, href)

    points = [point("titlepage", "Title page", book.hrefs["titlepage"]),
              point("contents", "Contents", book.hrefs["contents"])]
    for section in book.sections:
        if section.title:
            parent = point(section.id, section.title, section.href)
            parent.children = [point(entry.id, entry.title, entry.href) for entry in section.articles]
            points.append(parent)
        else:
            points.extend(point(entry.id, entry.title, entry.href) for entry in section.articles)
    points.append(point("sources", "Sources and permissions", book.hrefs["sources"]))
    points.append(point("colophon", "Colophon", book.hrefs["colophon"]))
    return points


def _metadata(package: epub.EpubBook, book: BookView, described: bool) -> None:
    package.set_identifier(book.identifier)
    package.set_title(book.title)
    package.set_language(book.language)
    package.set_unique_metadata("OPF", "generator", "", {"name": "generator", "content": f"{book.tool} {book.version}"})
    role = "edt" if book.editors else "aut"
    for index, name in enumerate(book.creators, start=1):
        package.add_author(name, role=role, uid=f"creator-{index:02d}")
    contributors = [name for name in book.authors if name not in book.creators]
    for index, name in enumerate(contributors, start=1):
        uid = f"contributor-{index:02d}"
        package.add_metadata("DC", "contributor", name, {"id": uid})
        package.add_metadata(None, "meta", "aut", {"refines": f"#{uid}", "property": "role",
                                                  "scheme": "marc:relators"})
    package.add_metadata("DC", "date", book.date.isoformat())
    for name, value in (("publisher", book.publisher), ("rights", book.rights), ("description", book.description)):
        if value:
            package.add_metadata("DC", name, value)
    for subject in book.subjects:
        package.add_metadata("DC", "subject", subject)
    _accessibility(package, book, described)


def _accessibility(package: epub.EpubBook, book: BookView, described: bool) -> None:
    """EPUB Accessibility 1.1 metadata describing this book as built, not an aspiration.

    The cover is always an image, so the book is always partly visual. `described` says whether
    every image has a text alternative; only then is text alone sufficient.
    """

    def meta(prop: str, value: str) -> None:
        package.add_metadata(None, "meta", value, {"property": prop})

    meta("schema:accessMode", "textual")
    meta("schema:accessMode", "visual")
    meta("schema:accessModeSufficient", "textual" if described else "textual,visual")
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if described:
        features.append("alternativeText")
    for feature in features:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", _summary(described))
    if described:  # without text alternatives the book would not meet WCAG 2.1 AA
        meta("dcterms:conformsTo", A11Y_CONFORMANCE)
        meta("a11y:certifiedBy", book.publisher or join_names(book.editors) or f"{book.tool} {book.version}")


def _summary(described: bool) -> str:
    parts = [
        "A collection of articles as reflowable text with a heading for each article and section,",
        "a contents page and navigation menu listing every article, and a note after each article",
        "saying who wrote it and where it first appeared.",
    ]
    if described:
        parts.append("Every image, including the cover, has a text description.")
    else:
        parts.append("Some images in the articles have no text description.")
    parts.append("There are no flashing, sound or motion hazards.")
    return " ".join(parts)


def with_package_language(opf: bytes, language: str) -> bytes:
    """Declare the book's language on the package element, which ebooklib leaves out.

    Assistive technology reads the metadata (titles, the accessibility summary) in this language.
    """
    root = parse_xml(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


def repack(data: bytes, stream: IO[bytes], when: dt.datetime,
           transforms: dict[str, Callable[[bytes], bytes]] | None = None, memo: DeflateMemo | None = None) -> None:
    """Copy an EPUB zip into `stream` with every entry stamped `when` and `mimetype` first, stored.

    `transforms` rewrites named entries on the way through; `memo` has the entries the last
    build deflated, so that only changed ones are deflated again.
    """
    transforms = transforms or {}
    entries: list[tuple[str, Deflated]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        for name in ["mimetype", *[n for n in names if n != "mimetype"]]:
            content = source.read(name)
            if name in transforms:
                content = transforms[name](content)
            if name == "mimetype":
                entries.append((name, stored(content)))
            else:
                entries.append((name, memo.deflate(content) if memo else deflate(content, COMPRESS_LEVEL)))
    write_zip(stream, entries, _zip_time(when))
    if memo:
        memo.keep()


def _zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    utc = when.astimezone(dt.UTC)
    if utc.year < 1980:  # the zip format cannot record earlier dates
        return (1980, 1, 1, 0, 0, 0)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
