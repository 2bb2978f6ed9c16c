"""Web edition: the whole anthology as one self-contained, responsive HTML file.

Every page comes from the shared templates in templates/base, rendered with
`layout="fragment.xhtml"` as the PDF builder does, and joined by templates/html/book.html. The
CSS is inline (book.css plus templates/html/web.css); images in the collection folder are
embedded as data: URIs and any other image is replaced by its description, so the file opens
anywhere, offline, and fetches nothing.
"""

from __future__ import annotations

import base64
from typing import IO

from ..book.view import ArticleView, BookView, anchor_href, book_pages, book_view
from ..collection.loading import Collection
from . import register
from .base import BuildContext, Builder
from .content import package_body


@register
class HtmlBuilder(Builder):
    name = "html"
    suffix = ".html"
    template_folder = "html"

    def write(self, collection: Collection, stream: IO[bytes], context: BuildContext) -> None:
        book = book_view(collection, context.build_date, href=anchor_href, warn=context.warn)
        for entry in book.articles:
            entry.body = _inline_body(entry, collection, context)
        stream.write(book_html(context, book).encode("utf-8"))


def _inline_body(entry: ArticleView, collection: Collection, context: BuildContext) -> str:
    """The body as the EPUB ships it (dead links unwrapped), with its images as data: URIs."""
    body, images, warnings = package_body(entry, collection.manifest, prefix=f"{entry.id}-image")
    for warning in warnings:
        context.warn(warning.replace("the EPUB leaves", "the web edition leaves"))
    for image in images:
        uri = f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"
        body = body.replace(f'src="{image.file_name}"', f'src="{uri}"')
    return body


def book_html(context: BuildContext, book: BookView) -> str:
    """Every page of the book, in reading order, in one HTML document with its CSS inline."""
    pages = book_pages(context.renderer.render, book)
    css = context.renderer.read_static("book.css") + "\n" + context.renderer.read_static("web.css")
    return context.renderer.render("book.html", book=book, pages=pages, css=css)
