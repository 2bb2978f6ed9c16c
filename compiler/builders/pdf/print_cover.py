"""Print cover (`--format cover`): back, spine and front on one sheet for print-on-demand.

The sheet is the interior's trim size (`pdf.page_size`) twice, plus the spine, plus 0.125 in of
bleed on each outer edge. The spine is the interior's page count times the thickness of the
paper the manifest names (`print.paper`). The page count is the interior's own: the PDF is laid
out to learn it (from the work cache when the PDF format was built too). The design is
templates/pdf/print-cover.xhtml, set in the book face; the front is the manifest's cover image
when it gives one, else the generated design's colours and type.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import IO

from ...book.fonts import book_faces, stack_css
from ...book.view import book_view
from ...collection.loading import Collection
from ...collection.manifest import PdfOptions, PrintOptions, resolve_in_collection
from ...resources import templates_dir
from .. import register
from ..base import BuildContext, Builder
from ..cover import PALETTES
from .builder import PdfBuilder
from .fetcher import ConfinedFetcher, weasyprint_warnings

BARCODE_ZONE = (2.0, 1.2)  # inches, white, at the foot of the back by the spine


@dataclass(frozen=True)
class Sheet:
    """The cover's geometry, in inches."""

    trim_width: float
    trim_height: float
    spine: float
    bleed: float = PrintOptions.BLEED_INCHES

    @property
    def width(self) -> float:
        return 2 * self.trim_width + self.spine + 2 * self.bleed

    @property
    def height(self) -> float:
        return self.trim_height + 2 * self.bleed

    @property
    def spine_text(self) -> bool:
        return self.spine > PrintOptions.MIN_SPINE_TEXT_INCHES

    @property
    def spine_left(self) -> float:
        return self.bleed + self.trim_width

    @property
    def front_left(self) -> float:
        return self.spine_left + self.spine


def sheet_for(pdf: PdfOptions, paper: PrintOptions, pages: int) -> Sheet:
    width, height = (side.points / 72 for side in (pdf.page_size.width, pdf.page_size.height))
    return Sheet(width, height, paper.spine_inches(pages))


@register
class CoverBuilder(Builder):
    name = "cover"
    suffix = ".cover.pdf"
    template_folder = "pdf"  # the interior's templates: its page count is laid out with them

    def write(self, collection: Collection, stream: IO[bytes], context: BuildContext) -> None:
        write_cover(collection, stream, context, interior_pages(collection, context))


def interior_pages(collection: Collection, context: BuildContext) -> int:
    """The interior's page count, from laying it out (its warnings are the PDF format's to give)."""

    inner = BuildContext(renderer=context.renderer, build_date=context.build_date, reproducible=context.reproducible)
    PdfBuilder().write(collection, io.BytesIO(), inner)
    assert inner.pages is not None
    return inner.pages


def write_cover(collection: Collection, stream: IO[bytes], context: BuildContext, pages: int) -> None:
    from weasyprint import CSS, HTML  # deferred: a second to import; only the cover's own render needs it
    from weasyprint.text.fonts import FontConfiguration  # deferred, as above

    data = collection.manifest.data
    root = collection.manifest.root.resolve()
    sheet = sheet_for(data.pdf, data.print, pages)
    book = book_view(collection, context.build_date)
    image = resolve_in_collection(collection.manifest, data.cover).as_uri() if data.cover else None
    ground, ink, accent = PALETTES[hashlib.sha256(data.title.encode("utf-8")).digest()[0] % len(PALETTES)]
    html = context.renderer.render(
        "print-cover.xhtml", book=book, sheet=sheet, image=image, faces=book_faces(), family=stack_css(),
        colours={"ground": _rgb(ground), "ink": _rgb(ink), "accent": _rgb(accent)}, barcode=BARCODE_ZONE)
    fetcher = ConfinedFetcher([root, templates_dir()], context.warn)
    fonts = FontConfiguration()
    with weasyprint_warnings(context.warn, fetcher):
        document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=[CSS(string="", font_config=fonts)], font_config=fonts)
        document.metadata.title = f"{data.title}: cover"
        document.metadata.authors = list(book.creators)
        stamp = context.build_date.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        document.metadata.created = document.metadata.modified = stamp
        document.write_pdf(stream)


def _rgb(colour: tuple[int, int, int]) -> str:
    return "rgb({}, {}, {})".format(*colour)
