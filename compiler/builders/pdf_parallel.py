"""The PDF laid out piece by piece on every core, then assembled page by page.

One WeasyPrint render of a whole book uses one core and holds every laid-out page in memory.
Here the book is cut into pieces (title page, contents, each part divider, each article,
sources, colophon), as in templates/pdf/book.xhtml:

1. Every piece's body is laid out in a worker process with the page furniture (running heads,
   page numbers) and crop marks switched off, always starting on a right-hand page. Page
   counts, anchors and bookmarks come back with the PDF bytes; unchanged pieces come from the
   work cache. The contents page shows literal page numbers (`data-page`), rendered last.
2. Start pages follow from the counts, with a blank page wherever print.css asks a piece to
   open on a right-hand page (`right_hand_start`, and the contents).
3. The furniture is laid out on its own: a skeleton of the book (each piece's opening tag and
   heading, then empty pages) through the same print.css, in chunks on the workers, each chunk
   told its first page number and side. The same stylesheet gives the same running heads,
   numbers and blank pages a single render gives.
4. pypdf stacks each furniture page over its body page (a body piece that opens on a left-hand
   page is shifted to the left page's margins) and adds the outline, named destinations and
   metadata. Pages are copied one at a time; no process holds the laid-out book.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..cache import WorkCache, code_fingerprint, digest
from ..errors import BuildError

if TYPE_CHECKING:
    from ..book import BookView
    from ..collection import Collection
    from .base import BuildContext

MARGIN_BOXES = [f"{edge}-{where}" for edge in ("top", "bottom") for where in ("left", "center", "right")] + [
    f"{edge}-{where}" for edge in ("left", "right") for where in ("top", "middle", "bottom")
] + ["top-left-corner", "top-right-corner", "bottom-left-corner", "bottom-right-corner"]
_NO_BOXES = " ".join(f"@{box} {{ content: none !important; }}" for box in MARGIN_BOXES)

# Body pieces: no furniture and no crop marks (the furniture layer draws those, on the right side).
BODY_CSS = "\n".join(
    f"@page{selector} {{ marks: none; {_NO_BOXES} }}" for selector in ("", ":left", ":right", ":first", ":blank")
) + "\nhtml { break-before: right; }\n"

# The contents shows the start pages it is given, not target-counter() across documents.
CONTENTS_CSS = """
.contents-entry > a::after, .contents-back a::after, .contents-section > a::after {
  content: leader(". ") attr(data-page);
}
"""

FURNITURE_CSS = "body * { visibility: hidden; }\n.furniture-break { break-before: page; }\n"

_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')
_CONTENTS_LINK = re.compile(r'<a href="#([^"]+)"')
_FIRST_HEADING = re.compile(r"^(.*?</h1>)", re.DOTALL)


@dataclass
class Piece:
    """One part of the book laid out on its own."""

    name: str  # the anchor it opens with: titlepage, contents, section-01, article-03, sources…
    fragment: str  # its page template rendered with layout="fragment.xhtml"
    wants_right: bool  # print.css opens it on a right-hand page
    whole_skeleton: bool = False  # a one-page piece whose furniture skeleton is the piece itself


@dataclass
class Rendered:
    """A piece's body pages as laid out by a worker."""

    pdf: bytes
    pages: int
    bookmarks: list[tuple[int, str, int, float, float]]  # level, label, page, left, top
    anchors: dict[str, tuple[int, float, float]]  # name → page, left, top (its first page)
    placeholders: list[str]  # anchors added only so that links out of the piece keep their target
    warnings: list[str] = field(default_factory=list)


@dataclass
class Job:
    """What a worker needs to lay out one document: all plain data, so it pickles."""

    html: str
    stylesheets: list[str]
    base_url: str
    roots: list[Path]
    metadata: dict[str, object]
    placeholders: list[str] = field(default_factory=list)


def render_job(job: Job) -> Rendered:
    """In a worker: lay out one document and write it as PDF (bytes)."""
    import pypdf
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from .fetcher import ConfinedFetcher, weasyprint_warnings

    warnings: list[str] = []
    fetcher = ConfinedFetcher(job.roots, warnings.append)
    fonts = FontConfiguration()
    with weasyprint_warnings(warnings.append, fetcher):
        sheets = [CSS(string=text, font_config=fonts, url_fetcher=fetcher) for text in job.stylesheets]
        document = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=fonts)
        _apply_metadata(document, job.metadata, warnings)
        raw = [(level, label) for page in document.pages for level, label, _, _ in page.bookmarks]
        stream = io.BytesIO()
        document.write_pdf(stream)
    data = stream.getvalue()
    reader = pypdf.PdfReader(io.BytesIO(data))
    marks = [(raw[i][0], raw[i][1], page, left, top) for i, (page, left, top) in enumerate(_outline(reader))]
    anchors = {}
    for name, dest in reader.named_destinations.items():
        anchors[str(name)] = (reader.get_destination_page_number(dest), float(dest.left or 0), float(dest.top or 0))
    return Rendered(data, len(reader.pages), marks, anchors, job.placeholders, warnings)


def _apply_metadata(document: object, metadata: dict[str, object], warnings: list[str]) -> None:
    from .pdf import drop_attachments

    meta = document.metadata  # type: ignore[attr-defined]
    for name, value in metadata.items():
        setattr(meta, name, value)
    drop_attachments(document, warnings.append)  # type: ignore[arg-type]


def _outline(reader: object) -> list[tuple[int, float, float]]:
    """(page, left, top) of every outline entry in document order."""
    found: list[tuple[int, float, float]] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((reader.get_destination_page_number(item),  # type: ignore[attr-defined]
                              float(item.left or 0), float(item.top or 0)))

    walk(reader.outline)  # type: ignore[attr-defined]
    return found


# ---- Building the jobs ---------------------------------------------------------------------


def with_placeholders(fragment: str) -> tuple[str, list[str]]:
    """The fragment with an empty anchor for each link target it does not hold itself.

    WeasyPrint warns about (and drops) a link to an anchor outside its document; with the
    placeholder the link is written, and the assembly points its name at the real place.
    """
    own = set(_ID.findall(fragment))
    missing = list(dict.fromkeys(target for target in _HREF.findall(fragment) if target not in own))
    if not missing:
        return fragment, []
    spans = "".join(f'<span id="{escape(name)}"></span>' for name in missing)
    at = fragment.index(">", fragment.index("<section")) + 1
    return f'{fragment[:at]}<div style="position: absolute">{spans}</div>{fragment[at:]}', missing


def numbered_contents(fragment: str, starts: dict[str, int], placeholder: str | None = None) -> str:
    """The contents fragment with each entry's start page as `data-page` on its link."""

    def number(match: re.Match[str]) -> str:
        page = placeholder or str(starts.get(match[1], 0))
        return f'<a data-page="{page}" href="#{match[1]}"'

    return _CONTENTS_LINK.sub(number, fragment)


def skeleton(piece: Piece, pages: int) -> str:
    """The piece's opening and heading, then empty pages to its length: what the furniture needs."""
    if piece.whole_skeleton:
        return piece.fragment
    match = _FIRST_HEADING.match(piece.fragment)
    head = match[1] if match else piece.fragment[: piece.fragment.index(">") + 1]
    return head + '<div class="furniture-break"></div>' * (pages - 1) + "</section>"


# ---- Page plan -----------------------------------------------------------------------------


@dataclass
class Placed:
    piece: Piece
    start: int  # 1-based page number of its first page
    blank_before: bool


def place(pieces: list[Piece], counts: list[int]) -> tuple[list[Placed], int]:
    """Start pages, with a blank page before a piece that must open on a right-hand (odd) page."""
    placed, page = [], 1
    for piece, count in zip(pieces, counts, strict=True):
        blank = piece.wants_right and page % 2 == 0
        page += blank
        placed.append(Placed(piece, page, blank))
        page += count
    return placed, page - 1


def chunks(placed: list[Placed], total: int, parts: int) -> list[list[int]]:
    """Piece indices in runs of about total/parts pages, cut only where no blank page comes first.

    A chunk is its own document; WeasyPrint adds no blank before a document's first page, so a
    chunk may not begin with one.
    """
    target = max(1, total // max(parts, 1))
    runs: list[list[int]] = [[]]
    first_page = 1
    for index, item in enumerate(placed):
        if runs[-1] and not item.blank_before and item.start - first_page >= target:
            runs.append([])
            first_page = item.start
        runs[-1].append(index)
    return runs


def workers() -> int:
    return os.cpu_count() or 1


def pool(size: int) -> Executor:
    import multiprocessing

    # fork: the workers start with weasyprint already imported; each job is independent.
    return ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("fork"))


def render_all(jobs: list[Job], cache: WorkCache | None, keys: list[str], executor: Executor | None) -> list[Rendered]:
    """Every job's result, from the cache or laid out (on the executor when there is one)."""
    results: list[Rendered | None] = [cache.get("pdf-piece", key) if cache else None for key in keys]
    todo = [i for i, found in enumerate(results) if not isinstance(found, Rendered)]
    if executor is not None and len(todo) > 1:
        fresh = list(executor.map(render_job, [jobs[i] for i in todo], chunksize=1))
    else:
        fresh = [render_job(jobs[i]) for i in todo]
    for index, result in zip(todo, fresh, strict=True):
        results[index] = result
        if cache is not None:
            cache.put("pdf-piece", keys[index], result)
    return [result for result in results if isinstance(result, Rendered)]


def job_key(job: Job, salt: str) -> str:
    return digest(code_fingerprint(), salt, job.html, *job.stylesheets, job.base_url, repr(job.metadata),
                  _local_files_state(job.html))


def _local_files_state(html: str) -> str:
    """Size and time of every local file the HTML names, so a replaced image is laid out again."""
    from urllib.parse import unquote, urlparse

    states = []
    for url in sorted(set(re.findall(r'(?:src|href)="(file:[^"]+)"', html))):
        try:
            stat = Path(unquote(urlparse(url).path)).stat()
            states.append(f"{url} {stat.st_size} {stat.st_mtime_ns}")
        except OSError:
            states.append(f"{url} missing")
    return "\n".join(states)


# ---- Assembly ------------------------------------------------------------------------------


def shift_annotations(page: object, dx: float) -> None:
    """Move a shifted page's link rectangles with its content."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    for annot in page.get("/Annots") or []:  # type: ignore[attr-defined]
        annot = annot.get_object()
        rect = annot.get("/Rect")
        if rect is not None:
            annot[NameObject("/Rect")] = ArrayObject(
                FloatObject(float(v) + (dx if i % 2 == 0 else 0)) for i, v in enumerate(rect))


def _stream(writer: object, data: bytes) -> object:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)  # type: ignore[attr-defined]


def _form(writer: object, page: object) -> object:
    """A page of the furniture layer as a form XObject, its compressed content copied as it is."""
    from pypdf.generic import NameObject, StreamObject

    source = page["/Contents"].get_object()  # type: ignore[index]
    form = StreamObject()
    form._data = source._data
    if "/Filter" in source:
        form[NameObject("/Filter")] = source["/Filter"]
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = page["/MediaBox"].clone(writer)  # type: ignore[index]
    form[NameObject("/Resources")] = page["/Resources"].clone(writer)  # type: ignore[index]
    return writer._add_object(form)  # type: ignore[attr-defined]


def stack(writer: object, page: object, furniture: object, dx: float) -> None:
    """Draw the furniture page over a body page (moved `dx` sideways) without parsing either's content.

    pypdf's merge_page and add_transformation parse whole content streams, which costs more
    than laying the page out; wrapping streams in `q … Q` and drawing a form is enough here.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    contents = page["/Contents"]  # type: ignore[index]
    original = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    if dx:
        original = [_stream(writer, f"q 1 0 0 1 {dx:.4f} 0 cm\n".encode()), *original, _stream(writer, b"Q\n")]
        shift_annotations(page, dx)
    else:
        original = [_stream(writer, b"q\n"), *original, _stream(writer, b"Q\n")]
    # WeasyPrint shares one resource dictionary among a document's pages: each page gets its own copy.
    resources = DictionaryObject(page["/Resources"].get_object())  # type: ignore[index]
    xobjects = DictionaryObject(resources["/XObject"].get_object()) if "/XObject" in resources else DictionaryObject()
    xobjects[NameObject("/AnthologyFurniture")] = _form(writer, furniture)
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources  # type: ignore[index]
    page[NameObject("/Contents")] = ArrayObject([*original, _stream(writer, b"q /AnthologyFurniture Do Q\n")])  # type: ignore[index]


@dataclass
class Book:
    """Everything the assembly needs, in page order."""

    placed: list[Placed]
    bodies: list[Rendered]
    furniture: list[Rendered]  # one per chunk
    chunk_of: list[int]  # piece index → chunk index
    chunk_first_page: list[int]  # chunk index → its first page number
    left_shift: float  # points to move a right-hand layout onto a left-hand page


def assemble(book: Book, stream: IO[bytes], reproducible_id: str) -> int:
    """Write the book to `stream`; returns its page count."""
    import pypdf
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    writer = pypdf.PdfWriter()
    furniture = [pypdf.PdfReader(io.BytesIO(chunk.pdf)) for chunk in book.furniture]
    destinations: dict[str, tuple[int, float, float]] = {}
    marks: list[tuple[int, str, int, float, float]] = []
    for index, item in enumerate(book.placed):
        layer = furniture[book.chunk_of[index]]
        offset = book.chunk_first_page[book.chunk_of[index]]
        if item.blank_before:
            writer.add_page(layer.pages[item.start - 1 - offset])
        first = len(writer.pages)
        _add_body(writer, book.bodies[index], layer, item.start - offset, item.start % 2 == 0, book.left_shift)
        _collect(book.bodies[index], first, book.left_shift if item.start % 2 == 0 else 0.0, destinations, marks)
    _destinations(writer, destinations)
    _outline_tree(writer, marks)
    source = pypdf.PdfReader(io.BytesIO(book.bodies[0].pdf))
    writer.add_metadata({key: value for key, value in (source.metadata or {}).items()})
    lang = source.trailer["/Root"].get("/Lang")
    if lang is not None:
        writer._root_object[NameObject("/Lang")] = lang
    stamp = ByteStringObject(bytes.fromhex(reproducible_id[:32]))
    writer._ID = ArrayObject([stamp, stamp])
    writer.write(stream)
    return len(writer.pages)


def _add_body(writer: object, body: Rendered, layer: object, first_index: int, starts_left: bool,
              shift: float) -> None:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(body.pdf))
    for number, page in enumerate(reader.pages):
        added = writer.add_page(page)  # type: ignore[attr-defined]
        on_left = starts_left != (number % 2 == 1)
        stack(writer, added, layer.pages[first_index + number], shift if on_left else 0.0)  # type: ignore[attr-defined]


def _collect(body: Rendered, first: int, dx: float, destinations: dict[str, tuple[int, float, float]],
             marks: list[tuple[int, str, int, float, float]]) -> None:
    placeholders = set(body.placeholders)
    for name, (page, left, top) in body.anchors.items():
        if name not in placeholders and name not in destinations:  # the first holder wins, as in one document
            destinations[name] = (first + page, left + _dx(dx, page), top)
    for level, label, page, left, top in body.bookmarks:
        marks.append((level, label, first + page, left + _dx(dx, page), top))


def _dx(dx: float, page: int) -> float:
    """The shift for a page of a piece that opens on a left-hand page: every other page."""
    return dx if page % 2 == 0 else 0.0


def _destinations(writer: object, destinations: dict[str, tuple[int, float, float]]) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

    names = ArrayObject()
    for name in sorted(destinations):
        page, left, top = destinations[name]
        names.append(TextStringObject(name))
        names.append(ArrayObject([writer.pages[page].indirect_reference, NameObject("/XYZ"),  # type: ignore[attr-defined]
                                  FloatObject(left), FloatObject(top), NumberObject(0)]))
    tree = DictionaryObject({NameObject("/Names"): names})
    root = writer._root_object  # type: ignore[attr-defined]
    root[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): writer._add_object(tree)})  # type: ignore[attr-defined]


def _outline_tree(writer: object, marks: Iterable[tuple[int, str, int, float, float]]) -> None:
    """Nest bookmarks by level as WeasyPrint does: under the last one of a lower level."""
    from pypdf.generic import Fit

    stack: list[tuple[int, object]] = []
    for level, label, page, left, top in marks:
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        item = writer.add_outline_item(title=label, page_number=page, parent=parent, fit=Fit.xyz(left, top, 0))  # type: ignore[attr-defined]
        stack.append((level, item))


# ---- The build -----------------------------------------------------------------------------


def book_pieces(render: object, book: BookView, right_hand_start: bool) -> list[Piece]:
    """The pieces in reading order, as book_html in pdf.py joins them."""
    def page(name: str, **extra: object) -> str:
        return render(f"{name}.xhtml", book=book, layout="fragment.xhtml", stylesheet=None, **extra)  # type: ignore[operator]

    pieces = [Piece("titlepage", page("titlepage"), False, whole_skeleton=True),
              Piece("contents", page("contents"), True)]
    for section in book.sections:
        if section.title:
            pieces.append(Piece(section.id, page("part", section=section), right_hand_start, whole_skeleton=True))
        pieces.extend(Piece(entry.id, page("article", entry=entry), right_hand_start) for entry in section.articles)
    pieces += [Piece("sources", page("sources"), False), Piece("colophon", page("colophon"), False)]
    return pieces


@dataclass
class Setup:
    """What every job of one build shares."""

    document: object  # fragment → the whole HTML document (templates/pdf/book.xhtml)
    stylesheets: list[str]  # print.css, page.css
    base_url: str
    roots: list[Path]
    metadata: dict[str, object]
    cache: WorkCache | None
    salt: str

    def job(self, fragment: str, *extra_css: str, placeholders: bool = True) -> Job:
        missing: list[str] = []
        if placeholders:
            fragment, missing = with_placeholders(fragment)
        html = self.document(fragment)  # type: ignore[operator]
        return Job(html, [*self.stylesheets, *extra_css], self.base_url, self.roots, self.metadata, missing)

    def render(self, jobs: list[Job], executor: Executor | None) -> list[Rendered]:
        keys = [job_key(job, self.salt) for job in jobs]
        return render_all(jobs, self.cache, keys, executor)


def write_in_pieces(collection: Collection, book: BookView, page_css: str, stream: IO[bytes],
                    context: BuildContext) -> None:
    import weasyprint

    from ..resources import templates_dir
    from .pdf import metadata_fields

    options = collection.manifest.data.pdf
    root = collection.manifest.root.resolve()
    renderer = context.renderer
    setup = Setup(
        document=lambda fragment: renderer.render("book.xhtml", book=book, pages=[fragment], stylesheet=None),
        stylesheets=[renderer.read_static("print.css"), page_css],
        base_url=root.as_uri() + "/", roots=[root, templates_dir()],
        metadata=metadata_fields(book, context), cache=collection.cache if collection.cache else None,
        salt=weasyprint.__version__)
    pieces = book_pieces(renderer.render, book, options.right_hand_start)
    with pool(workers()) as executor:
        bodies, placed, total = _lay_out_bodies(setup, pieces, executor)
        furniture, runs = _lay_out_furniture(setup, placed, total, book.title, executor)
    for body in bodies:
        for warning in body.warnings:
            context.warn(warning)
    _, outer, _, inner = (options.points(v) for v in options.margin_values)
    chunk_of = [0] * len(placed)
    for number, run in enumerate(runs):
        for index in run:
            chunk_of[index] = number
    first_pages = [placed[run[0]].start for run in runs]
    plan = Book(placed, bodies, furniture, chunk_of, first_pages, outer - inner)
    context.pages = assemble(plan, stream, digest(*(b.pdf for b in bodies), *(f.pdf for f in furniture)))


def _lay_out_bodies(setup: Setup, pieces: list[Piece], executor: Executor) -> tuple[list[Rendered], list[Placed], int]:
    """Every body, then the contents again with the real numbers until its length settles."""
    at = next(i for i, piece in enumerate(pieces) if piece.name == "contents")
    contents = pieces[at].fragment
    jobs = [setup.job(piece.fragment, BODY_CSS) for piece in pieces]
    jobs[at] = setup.job(numbered_contents(contents, {}, placeholder="000"), BODY_CSS, CONTENTS_CSS)
    bodies = setup.render(jobs, executor)
    for _ in range(4):
        placed, total = place(pieces, [body.pages for body in bodies])
        starts = {item.piece.name: item.start for item in placed}
        job = setup.job(numbered_contents(contents, starts), BODY_CSS, CONTENTS_CSS)
        (bodies[at],) = setup.render([job], None)
        if bodies[at].pages == placed[at + 1].start - placed[at].start - placed[at + 1].blank_before:
            return bodies, placed, total
    raise BuildError("pdf: the contents pages would not settle to one length; build with a single render")


def _lay_out_furniture(setup: Setup, placed: list[Placed], total: int, title: str,
                       executor: Executor) -> tuple[list[Rendered], list[list[int]]]:
    runs = chunks(placed, total, workers() * 2)
    counts = _counts(placed, total)
    quoted = " ".join(title.split()).replace("\\", "\\\\").replace('"', '\\"')
    jobs = []
    for run in runs:
        first = placed[run[0]].start
        side = "right" if first % 2 else "left"
        chunk_css = (f"{FURNITURE_CSS}@page :first {{ counter-increment: page {first}; }}\n"
                     f'html {{ break-before: {side}; string-set: book-title "{quoted}"; }}\n')
        fragment = "".join(skeleton(placed[i].piece, counts[i]) for i in run)
        jobs.append(setup.job(fragment, chunk_css, placeholders=False))
    furniture = setup.render(jobs, executor)
    for run, layer in zip(runs, furniture, strict=True):
        expected = placed[run[-1]].start + counts[run[-1]] - placed[run[0]].start
        if layer.pages != expected:
            raise BuildError(f"pdf: the page furniture came out {layer.pages} pages long, not {expected}; "
                             "a print.css of the collection may break pages differently: build with a single render")
    return furniture, runs


def _counts(placed: list[Placed], total: int) -> list[int]:
    ends = [item.start - item.blank_before for item in placed[1:]] + [total + 1]
    return [end - item.start for item, end in zip(placed, ends, strict=True)]
