"""PDF builder: the shared page templates in one document, laid out by WeasyPrint.

Every page (title page, contents, part dividers, articles, sources, colophon) is rendered from
templates/base with `layout="fragment.xhtml"`, joined into templates/pdf/book.xhtml, and styled
by templates/pdf/print.css plus page.css, which carries the manifest's `pdf:` options. The page
furniture (running heads, page numbers, contents page numbers, the outline) is all print CSS.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import urljoin

from ...book.fonts import FontFace, book_faces, language_rules, missing_characters, missing_glyphs_warning, stack_css
from ...book.notes import as_footnotes
from ...book.view import BookView, anchor_href, book_pages, book_view
from ...collection.audit import article_label
from ...collection.loading import Collection
from ...collection.manifest import PdfOptions, resolve_in_collection
from ...errors import ManifestError
from ...model import Article
from ...resources import templates_dir
from .. import register
from ..base import BuildContext, Builder
from ..images import pdf_image_sources
from .document import drop_attachments, set_metadata
from .pieces import Workers, write_in_pieces

if TYPE_CHECKING:  # weasyprint takes a second to import: only a PDF build that lays out a page pays for it
    pass


@register
class PdfBuilder(Builder):
    name = "pdf"
    suffix = ".pdf"
    template_folder = "pdf"
    # True: lay the book out piece by piece on every core (pdf/pieces.py); False: in one render;
    # None: as in_pieces() decides from the book's length.
    parallel: bool | None = None

    def write(self, collection: Collection, stream: IO[bytes], context: BuildContext) -> None:
        options = collection.manifest.data.pdf
        root = collection.manifest.root.resolve()
        pieces = in_pieces(collection) if self.parallel is None else self.parallel
        if pieces and not options.pdf_variant:  # a PDF/A or PDF/UA file is tagged as one document
            # A build with no cache, or one that read articles afresh, will lay out their pieces; a
            # rebuild that read none starts all the workers if a piece must be laid out (a template).
            cache = collection.cache
            fresh = cache.misses if cache is not None and cache.misses > 0 else None
            with Workers(early=cache is None or fresh is not None, expected=fresh) as workers:
                book, css = prepare(collection, context)
                write_in_pieces(collection, book, css, stream, context, workers)
            return
        book, css = prepare(collection, context)
        # deferred: WeasyPrint takes a second to import; a rebuild whose pieces are all cached never needs it
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from .fetcher import ConfinedFetcher, weasyprint_warnings  # deferred: it imports WeasyPrint

        fetcher = ConfinedFetcher([root, templates_dir()], context.warn)
        fonts = FontConfiguration()
        with weasyprint_warnings(context.warn, fetcher):
            stylesheets = [
                CSS(string=text, font_config=fonts, url_fetcher=fetcher)
                for text in (context.renderer.read_static("print.css"), css)
            ]
            html = HTML(string=book_html(context, book), base_url=root.as_uri() + "/", url_fetcher=fetcher)
            document = html.render(stylesheets=stylesheets, font_config=fonts)
            drop_attachments(document, context.warn)
            set_metadata(document, book, context)
            context.pages = len(document.pages)
            pages = enumerate(document.pages)
            opening = next((index for index, page in pages if book.body_start in page.anchors), None)
            document.write_pdf(stream, pdf_variant=options.pdf_variant, finisher=_labelled(opening))


# A book of fewer words than this is laid out in one render. The pieces' own costs (two workers
# each importing WeasyPrint, the furniture laid out apart, the contents twice, putting the file
# together) are repaid only when there is enough text to share among the cores, and one render
# grows faster than its text (twice the words, 2.4x the time from 20 to 40 articles). Measured with
# benchmarks/pdf_paths.py (short mix, cold, 2 cores that other work shared, median of 3): CPU
# seconds of the build process + its workers, and the wall clock; pieces on 2 free cores is
# estimated as the build process's CPU + half its workers'.
#   articles  words   one render: CPU / wall   pieces: CPU / wall   pieces, 2 free cores (est.)
#          3   1640        2.05 / 1.89 (min)     0.64+2.73 / 3.33      2.01
#          8   4161        2.15 / 2.56 (min)     0.69+2.80 / 2.16      2.09
#         20  10233        4.17 / 4.99 (min)     0.87+5.33 / 8.11      3.54
#         40  20137        9.78 / 10.08 (min)    1.09+8.04 / 9.44      5.11
# Up to 8 articles one render costs 40% less CPU for the same wall clock at best; from 20 the
# pieces take the lead on free cores (and rebuild only what changed).
SINGLE_RENDER_BELOW = 6000


def in_pieces(collection: Collection) -> bool:
    """Whether the book is laid out in pieces (pdf/pieces.py) rather than in one render."""
    return sum(article.words for article in collection.articles) >= SINGLE_RENDER_BELOW


def _labelled(opening: int | None) -> Callable[[object, object], None]:
    """A finisher adding /PageLabels (roman front matter, arabic from the body's first page)."""

    def finish(document: object, pdf: object) -> None:
        import pydyf  # deferred: WeasyPrint's PDF objects, loaded with it

        if opening:
            pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([  # type: ignore[attr-defined]
                0, pydyf.Dictionary({"S": "/r"}), opening, pydyf.Dictionary({"S": "/D"})])})

    return finish


def prepare(collection: Collection, context: BuildContext) -> tuple[BookView, str]:
    """The book with its images resolved for print, and page.css for the manifest's options."""
    root = collection.manifest.root.resolve()
    book = book_view(collection, context.build_date, href=anchor_href, warn=context.warn)
    for entry in book.articles:
        article = entry.article
        base = article.source_path.resolve().parent if article.source_path else root
        body = as_footnotes(entry.body)  # notes at the foot of their pages
        entry.body = pdf_image_sources(body, base, root, context.warn, article.meta.source or entry.id)
    faces = font_faces(collection)
    warn_missing_glyphs(book, [face.path for face in faces if face.path], context, str(collection.manifest.path), root)
    return book, page_css(context, book, collection.manifest.data.pdf, faces)


def warn_missing_glyphs(book: BookView, own_files: list[Path], context: BuildContext, where: str,
                        root: Path) -> None:
    """One warning per article whose characters no available font prints (they would be boxes),
    and one for the front matter; WeasyPrint's own warning, one per string, is not passed on
    (fetcher.py)."""
    front = " ".join([book.title, book.subtitle or "", book.publisher or "", book.rights or "", *book.editors,
                      *(section.title or "" for section in book.sections)])
    texts = [(article_label(entry.article, root),
              " ".join([entry.title, entry.meta.subtitle or "", *entry.meta.authors, entry.article.body_text]))
             for entry in book.articles]
    # Every character of the book looked up once: in the usual book all are printable, and no
    # article needs looking at on its own.
    if not missing_characters("".join({char for _, text in [("", front), *texts] for char in text}), own_files):
        return
    for label, text in [(where, front), *texts]:
        warning = missing_glyphs_warning(label, text, own_files)
        if warning:
            context.warn(warning)


def single_document(collection: Collection, context: BuildContext) -> tuple[str, list[str]]:
    """The whole book as one HTML document and its stylesheets (print.css, page.css), as the
    single render lays it out; benchmarks/run.py renders this with plain WeasyPrint."""
    book, css = prepare(collection, context)
    return book_html(context, book), [context.renderer.read_static("print.css"), css]


def book_html(context: BuildContext, book: BookView) -> str:
    """Every page of the book, in reading order, in one HTML document."""
    pages = book_pages(context.renderer.render, book)
    return context.renderer.render("book.xhtml", book=book, pages=pages, stylesheet=None)


def page_css(context: BuildContext, book: BookView, options: PdfOptions, faces: list[FontFace]) -> str:
    """The manifest's `pdf:` options as CSS: page box, margins, bleed, fonts."""
    margins = options.page_margins
    families = _family_names(options.font_family) if options.font_family else []
    families += [face.family for face in faces if face.family not in families]
    return context.renderer.render(
        "page.css",
        options=options,
        width=options.page_size.width.css,
        height=options.page_size.height.css,
        margin={"top": margins.top.css, "outer": margins.outer.css, "bottom": margins.bottom.css,
                "inner": margins.inner.css},
        font_faces=[*faces, *book_faces()],
        font_family=stack_css(families),
        language_fonts=language_rules(families),
        nested=book.has_sections,
    )


def _family_names(names: str) -> list[str]:
    # A manifest may list several families ("Gentium, serif"); the generic ones end the stack anyway.
    parts = [part.strip().strip("'\"") for part in names.split(",") if part.strip()]
    return [part for part in parts if part not in ("serif", "sans-serif")]


def font_faces(collection: Collection) -> list[FontFace]:
    """@font-face rules for the manifest's font files, named by the family inside each file."""
    manifest = collection.manifest
    faces = []
    for index, name in enumerate(manifest.data.pdf.font_files):
        where = f"{manifest.path}: pdf.font_files[{index}]"
        try:
            path = resolve_in_collection(manifest, name)
        except ManifestError as exc:
            raise ManifestError(f"{where}: {exc.problems[0].split(': ', 2)[-1]}") from None
        faces.append(_font_face(path, where))
    return faces


def _font_face(path: Path, where: str) -> FontFace:
    from fontTools.ttLib import TTFont, TTLibError  # deferred: only a book with its own font files reads them

    try:
        with TTFont(path, lazy=True) as font:
            names = font["name"]
            family = names.getDebugName(16) or names.getDebugName(1)
            os2 = font["OS/2"]
            weight, italic = int(os2.usWeightClass), bool(os2.fsSelection & 1)
    except (TTLibError, KeyError, OSError) as exc:
        raise ManifestError(f"{where}: {path.name} is not a usable font file ({exc})") from None
    if not family or not re.fullmatch(r"[\w .'-]+", family):
        raise ManifestError(f"{where}: {path.name} has no usable family name")
    return FontFace(family=family, url=path.as_uri(), weight=weight, style="italic" if italic else "normal", path=path)


_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")', re.IGNORECASE)


def local_image_sources(article: Article) -> str:
    """The body with relative image sources made absolute in the article's own folder.

    A Markdown article names its images relative to its file; the PDF is one document whose
    base is the collection folder, so the names are resolved here. The fetcher still decides
    whether each file may be read.
    """
    if article.source_path is None:
        return article.body_html
    base = article.source_path.resolve().parent.as_uri() + "/"

    def absolute(match: re.Match[str]) -> str:
        src = match[2]
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith("#"):
            return match[0]
        return f"{match[1]}{urljoin(base, src)}{match[3]}"

    return _SRC.sub(absolute, article.body_html)


