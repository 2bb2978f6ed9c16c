"""The book's PDF put together from its pieces' PDFs with pikepdf (qpdf).

Each piece (pdf/pieces.py) arrives as the PDF WeasyPrint wrote for it, with its page count,
bookmarks and anchors. The body pages go into the book in order, with a blank page wherever a
piece must open on a right-hand page; each page of furniture (running heads, page numbers, crop
marks) becomes a form XObject drawn over its body page, and is the whole of a blank page. A piece
laid out as if it opened on a right-hand page but opening on a left-hand one has its drawing and
its link rectangles shifted to the left page's margins. Then the outline, the named destinations
(the links between pieces point at names), the page labels and the document information.

Nothing here reads a content stream: pages, fonts and images are copied as they were written.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO


@dataclass
class Placed:
    """A piece's PDF at its place in the book."""

    pdf: bytes
    first: int  # index of its first page in the book
    blank_before: bool  # a blank page (furniture only) comes just before it
    shift: Callable[[int], float]  # page index within the piece → sideways shift (points)


Mark = tuple[int, str, int, float, float]  # level, label, page index, left, top


def assemble(stream: IO[bytes], bodies: Sequence[Placed], layers: Sequence[tuple[bytes, int]], total: int,
             outline: list[Mark], destinations: dict[str, tuple[int, float, float]],
             info: dict[str, str], body_start: int | None = None) -> None:
    """Write the book to `stream`. `layers` are the furniture PDFs with the index of their first
    page, one page of furniture for every page of the book; outline entries and destinations point
    at page indices; `info` is added to the first piece's document information; `body_start` is
    the page index where arabic page numbers start (/PageLabels)."""
    # deferred: pikepdf (qpdf) is needed only when a book's pieces are put together
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    book = pikepdf.new()
    opened: list[pikepdf.Pdf] = []  # kept open until the book is written: its pages are copied lazily

    def read(data: bytes) -> pikepdf.Pdf:
        opened.append(pikepdf.open(io.BytesIO(data)))
        return opened[-1]

    furniture: list[pikepdf.Page | None] = [None] * total
    for data, first in layers:
        for index, page in enumerate(read(data).pages):
            furniture[first + index] = page

    def form(index: int) -> pikepdf.Object:
        page = furniture[index]
        if page is None:
            raise ValueError(f"no furniture for page {index + 1}")
        drawn = page.as_form_xobject()
        drawn.BBox = page.MediaBox  # qpdf bounds the form by the trim box; crop marks lie outside it
        return book.copy_foreign(drawn)

    save, restore = book.make_stream(b"q\n"), book.make_stream(b"Q\n")
    shifts: dict[float, pikepdf.Object] = {}
    draws: list[pikepdf.Object] = []  # "draw the furniture of the piece's page n", shared by every piece
    for body in bodies:
        if body.blank_before:
            book.pages.append(furniture[body.first - 1])
        piece = read(body.pdf)
        for index, page in enumerate(piece.pages):
            book.pages.append(page)
            copied = book.pages[-1]
            # The pages of a piece share one resource dictionary: each page's furniture gets its own name.
            name = Name(f"/AnthologyFurniture{index}")
            resources = copied.Resources
            if Name.XObject not in resources:
                resources.XObject = Dictionary()
            resources.XObject[name] = form(body.first + index)
            dx = body.shift(index)
            if dx and dx not in shifts:
                shifts[dx] = book.make_stream(b"q 1 0 0 1 %s 0 cm\n" % _number(dx))
            for annotation in copied.get(Name.Annots, ()) if dx else ():
                left, bottom, right, top = (float(value) for value in annotation.Rect)
                annotation.Rect = Array([left + dx, bottom, right + dx, top])
            # Its own drawing between q and Q (shifted on a left-hand page), then the furniture.
            if index == len(draws):
                draws.append(book.make_stream(b"q %s Do Q\n" % str(name).encode()))
            draw = draws[index]
            contents = copied.obj.Contents
            own = list(contents) if isinstance(contents, Array) else [contents]
            copied.obj.Contents = Array([shifts[dx] if dx else save, *own, restore, draw])
    if len(book.pages) != total:
        raise ValueError(f"the pieces make {len(book.pages)} pages, not {total}")
    if destinations:
        tree = pikepdf.NameTree.new(book)
        for name in sorted(destinations):
            page, left, top = destinations[name]
            tree[name] = Array([book.pages[page].obj, Name.XYZ, left, top, 0])
        book.Root.Names = Dictionary(Dests=tree.obj)
    if outline:
        _outline(book, outline)
    if body_start:
        book.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.r), body_start, Dictionary(S=Name.D)]))
    if bodies:
        first = opened[len(layers)]
        for key, value in first.docinfo.items():
            book.docinfo[key] = value
        if Name.Lang in first.Root:
            book.Root.Lang = first.Root.Lang
    for key, text in info.items():
        book.docinfo[Name("/" + key)] = String(text)
    # deterministic_id: the /ID is a digest of the file, so the same pieces make the same bytes.
    book.save(stream, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
              stream_decode_level=pikepdf.StreamDecodeLevel.none)
    for pdf in opened:
        pdf.close()


def _outline(book: object, marks: list[Mark]) -> None:
    """Bookmarks nested by level as WeasyPrint nests them: under the last one of a lower level."""
    import pikepdf  # deferred, as in assemble()

    with book.open_outline() as outline:  # type: ignore[attr-defined]
        stack: list[tuple[int, pikepdf.OutlineItem]] = []
        for level, label, page, left, top in marks:
            item = pikepdf.OutlineItem(label, page, pikepdf.PageLocation.XYZ, left=left, top=top, zoom=0)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


def _number(value: float) -> bytes:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-", "-0") else "0").encode()
