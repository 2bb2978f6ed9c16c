"""What every render of the book puts in its PDF besides the pages: the document's metadata,
and no attached files. The single render (builder.py) and the pieces (pieces.py) both use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...book.view import BookView
from ...errors import BuildError
from ...resources import TOOL_NAME, __version__
from ..base import BuildContext

if TYPE_CHECKING:  # weasyprint takes a second to import: only a build that lays out a page pays for it
    from weasyprint.document import Document


def drop_attachments(document: Document, warn: Callable[[str], None]) -> None:
    """A book embeds no files: attachment links from an article are left out.

    The fetcher would refuse an outside file anyway; this keeps even an inside one (a stray
    manuscript in the collection folder) from being carried inside the PDF unseen.
    """
    count = len(document.metadata.attachments)
    document.metadata.attachments = []
    for page in document.pages:
        kept = [link for link in page.links if link[0] != "attachment"]
        count += len(page.links) - len(kept)
        page.links = kept
    if count:
        warn(f'pdf: left out {count} attachment link(s) (rel="attachment"): a book embeds no files')


def set_metadata(document: Document, book: BookView, context: BuildContext) -> None:
    """Title, creators, subject, keywords, dates and language, from the book, not the pages."""
    for name, value in metadata_fields(book, context).items():
        setattr(document.metadata, name, value)


def metadata_fields(book: BookView, context: BuildContext) -> dict[str, object]:
    """The document metadata as WeasyPrint's DocumentMetadata attributes."""
    if not book.title:
        raise BuildError("pdf: the book has no title")
    stamp = context.build_date.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return {"title": book.title, "authors": list(book.creators), "description": book.description or book.subtitle,
            "keywords": list(book.subjects), "generator": f"{TOOL_NAME} {__version__}", "created": stamp,
            "modified": stamp, "lang": book.language}
