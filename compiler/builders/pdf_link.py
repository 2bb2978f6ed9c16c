"""Pieces of a book, laid out apart, linked into one PDF the way a linker joins object files.

A worker turns the PDF WeasyPrint generated for one piece (its pydyf objects, before they are
written) into a `Unit`: every object its pages need, serialised once, with each reference to
another object left as a numbered mark (`\\x00<id>\\x00`, which no serialised dictionary can
contain: a NUL byte in a string is written as `\\000`, and stream data is kept apart). Page
dictionaries, their link annotations and the furniture's pages are kept in parts, because the
assembly changes them: a page gets its place in the book's page tree, the furniture drawn over
it and, on a left-hand page, a shift.

The parent then writes the book straight to the output file (`link`): each object with its
marks replaced by object numbers in the book, each page put together from its parts, then the
page tree, outline, named destinations and the cross-reference table. Nothing is parsed in the
parent and it never holds the laid-out book: linking is copying bytes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

MARK = re.compile(rb"\x00(\d+)\x00")
FURNITURE = b"/AnthologyFurniture"
_PAGE_PARTS = {"Type", "Parent", "Contents", "Resources", "Annots"}


@dataclass
class Annotation:
    id: int  # its local id
    entries: bytes  # its dictionary's entries but /Rect
    rect: list[float]


@dataclass
class Page:
    """A page's dictionary in parts (entries with reference marks)."""

    head: bytes  # entries but /Type, /Parent, /Contents, /Resources and /Annots (boxes, /Group…)
    resources: bytes  # the resource dictionary's entries but /XObject
    xobjects: bytes  # the /XObject dictionary's entries
    contents: list[int] = field(default_factory=list)  # local ids of its content streams
    annotations: list[Annotation] = field(default_factory=list)
    stream_head: bytes = b""  # furniture only: the content stream's entries but /Length (its /Filter)
    stream: bytes = b""  # furniture only: the content stream's data, as encoded


@dataclass
class Unit:
    """One laid-out PDF, relocatable. Local ids 1..len(pages) are its pages, in order."""

    pages: list[Page]
    objects: list[tuple[int, bytes, bytes | None]]  # local id, dictionary or value, stream data
    size: int  # the highest local id
    info: bytes  # the document information dictionary's entries
    lang: bytes  # the catalog's /Lang entry, serialised, or b""


# ---- In the worker: a PDF to a unit ---------------------------------------------------------

# How pydyf writes a reference (WeasyPrint stores every reference as this, as one value).
_REFERENCE = re.compile(rb"(\d+) 0 R")
_STREAM_START = b">>\nstream\n"
_STREAM_END = b"\nendstream"


def unit_of(pdf: Any, furniture: bool = False) -> Unit:
    """The unit of a PDF as WeasyPrint generated it (a pydyf.PDF, not yet written); `furniture`:
    keep each page's content stream in the page (the assembly draws it as a form) instead of as
    an object of its own.

    The objects are serialised here, straight from WeasyPrint's own: the PDF is never written
    out and read back, and nothing is parsed.
    """
    import pydyf

    objects = pdf.objects  # an object's number is its index
    ids: dict[int, int] = {}  # object number → local id
    fresh = itertools.count(1)  # local ids, handed out in order
    queue: list[int] = []
    special: set[int] = set()  # pages and annotations: the assembly writes those itself

    def register(number_: int, generic: bool = True) -> int:
        local = ids.get(number_)
        if local is None:
            local = ids[number_] = next(fresh)
            if generic and number_ not in special:
                queue.append(number_)
        return local

    def dump(value: Any) -> bytes:
        if isinstance(value, bytes):
            reference = _REFERENCE.fullmatch(value)
            return b"\x00%d\x00" % register(int(reference[1])) if reference else value
        if isinstance(value, str):
            return value.encode("ascii")
        if isinstance(value, pydyf.String):
            return text_string(value.string)
        if isinstance(value, dict):
            return b"<<" + entries(value) + b">>"
        if isinstance(value, list):
            return b"[" + b" ".join(dump(item) for item in value) + b"]"
        if isinstance(value, pydyf.Stream):
            raise ValueError("a stream can only be referred to")
        if isinstance(value, int | float):
            return number(value) if isinstance(value, float) else b"%d" % value
        return value.data  # another pydyf object, written as pydyf writes it

    def entries(dictionary: dict[str, Any], skip: Iterable[str] = ()) -> bytes:
        skipped = set(skip)
        return b"".join(b"/" + (key if isinstance(key, bytes) else key.encode("ascii")) + b" " + dump(value) + b"\n"
                        for key, value in dictionary.items() if key not in skipped)

    def stream(value: Any) -> tuple[bytes, bytes]:
        """A stream's dictionary entries (but /Length) and its data as pydyf encodes it."""
        extra = dict(value.extra)
        value.extra = {}  # only /Filter and /Length before the data: found by their position
        try:
            written = value.data
        finally:
            value.extra = extra
        data = written[written.index(_STREAM_START) + len(_STREAM_START):-len(_STREAM_END)]
        extra.pop("Length", None)
        if value.compress:
            extra["Filter"] = "/FlateDecode"
        return entries(extra), data

    numbers = _page_numbers(pdf)
    pages = [objects[n] for n in numbers]
    for n in numbers:  # pages first: their ids are 1..n
        special.add(n)
        register(n, generic=False)
    annotations = [[int(_REFERENCE.fullmatch(ref)[1]) for ref in page.get("Annots", ())] for page in pages]
    for page_annotations in annotations:
        for n in page_annotations:
            special.add(n)
            register(n, generic=False)
    parts = []
    for page, page_annotations in zip(pages, annotations, strict=True):
        resources = _target(objects, page["Resources"])
        part = Page(entries(page, _PAGE_PARTS), entries(resources, ("XObject",)), entries(resources.get("XObject", {})))
        contents = _REFERENCE.fullmatch(page["Contents"])
        if furniture:
            part.stream_head, part.stream = stream(objects[int(contents[1])])
        else:
            part.contents = [register(int(contents[1]))]
            for n in page_annotations:
                annotation = objects[n]
                rect = [float(v) for v in annotation.get("Rect", [])]
                part.annotations.append(Annotation(ids[n], entries(annotation, ("Rect",)), rect))
        parts.append(part)
    serialised = []
    done = 0
    while done < len(queue):
        value = objects[queue[done]]
        done += 1
        if isinstance(value, pydyf.Stream):
            head, data = stream(value)
            serialised.append((ids[value.number], b"<<" + head, data))
        else:
            serialised.append((ids[value.number], dump(value), None))
    lang = dump(pdf.catalog["Lang"]) if "Lang" in pdf.catalog else b""
    return Unit(parts, serialised, next(fresh) - 1, entries(pdf.info), lang)


def _page_numbers(pdf: Any) -> list[int]:
    return [int(_REFERENCE.fullmatch(reference)[1]) for reference in pdf.page_references]


def _page_indices(pdf: Any) -> dict[int, int]:
    """Each page's object number → its index in the document."""
    return {number_: index for index, number_ in enumerate(_page_numbers(pdf))}


def _target(objects: list[Any], value: Any) -> Any:
    """What a value stands for: the object it refers to, or itself."""
    reference = _REFERENCE.fullmatch(value) if isinstance(value, bytes) else None
    return objects[int(reference[1])] if reference else value


def destinations_of(pdf: Any) -> dict[str, tuple[int, float, float]]:
    """The PDF's named destinations: name → page index, left, top."""
    pages = _page_indices(pdf)
    names = _target(pdf.objects, pdf.catalog.get("Names", {}))
    dests = _target(pdf.objects, names.get("Dests", {}))
    listed = dests.get("Names", [])
    found = {}
    for name, destination in zip(listed[::2], listed[1::2], strict=True):
        found[name.string] = _place(pages, destination)
    return found


def outline_of(pdf: Any) -> list[tuple[int, float, float]]:
    """(page index, left, top) of every outline entry, in document order."""
    pages = _page_indices(pdf)
    found: list[tuple[int, float, float]] = []

    def walk(first: Any) -> None:
        entry = _target(pdf.objects, first) if first is not None else None
        while entry is not None:
            found.append(_place(pages, entry["Dest"]))
            walk(entry.get("First"))
            following = entry.get("Next")
            entry = _target(pdf.objects, following) if following is not None else None

    if "Outlines" in pdf.catalog:
        walk(_target(pdf.objects, pdf.catalog["Outlines"]).get("First"))
    return found


def _place(pages: dict[int, int], destination: Any) -> tuple[int, float, float]:
    """An /XYZ destination array (page reference, /XYZ, left, top, zoom) as page index, left, top."""
    page, _, left, top, *_ = destination
    return pages[int(_REFERENCE.fullmatch(page)[1])], float(left or 0), float(top or 0)


def fingerprint(unit: Unit) -> str:
    """A digest of everything the unit writes: the book's /ID is made from these."""
    import hashlib
    import pickle

    return hashlib.sha256(pickle.dumps(unit, protocol=5)).hexdigest()


# ---- In the parent: units to the book -------------------------------------------------------


def number(value: float) -> bytes:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-", "-0") else "0").encode()


def text_string(text: str) -> bytes:
    """A PDF string as pydyf writes it, but a NUL byte, which would read as a mark, as \\000."""
    import pydyf

    return pydyf.String(text).data.replace(b"\x00", b"\\000")


# Objects without a stream go into compressed object streams of this many (PDF 1.5): a book's
# thousands of small dictionaries (pages, fonts' width arrays) take a fifth of the room.
PACKED_PER_STREAM = 200


class Output:
    """PDF objects written in order to a binary stream, numbered as reserved.

    An object without a stream is packed into an object stream with its neighbours; so the
    cross-reference is a stream too, each entry saying where an object is: at an offset in the
    file (type 1) or at an index in an object stream (type 2).
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        # object number → its cross-reference entry: (1, offset, 0) or (2, object stream, index)
        self.where: list[tuple[int, int, int] | None] = [None]
        self.position = 0
        self.pending: list[bytes] = []
        self.pending_size = 0
        self.packed: list[tuple[int, bytes]] = []  # objects waiting for their object stream
        self.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def write(self, data: bytes) -> None:
        # Collected and written a megabyte at a time: the temporary file's writes go through Python.
        self.pending.append(data)
        self.pending_size += len(data)
        self.position += len(data)
        if self.pending_size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.stream.write(b"".join(self.pending))
        self.pending, self.pending_size = [], 0

    def reserve(self, count: int = 1) -> int:
        """The first of `count` new object numbers."""
        first = len(self.where)
        self.where.extend([None] * count)
        return first

    def put(self, number_: int, body: bytes, stream: bytes | None = None) -> None:
        """One object; `body` is its dictionary or value, without /Length when it has a stream."""
        if stream is None:
            self.packed.append((number_, body))
            if len(self.packed) >= PACKED_PER_STREAM:
                self._pack()
            return
        self.where[number_] = (1, self.position, 0)
        self.write(b"%d 0 obj\n%s/Length %d>>\nstream\n" % (number_, body, len(stream)))
        self.write(stream)
        self.write(b"\nendstream\nendobj\n")

    def _pack(self) -> None:
        """The waiting objects as one compressed object stream."""
        import zlib

        at = self.reserve()
        header, bodies, offset = [], [], 0
        for index, (number_, body) in enumerate(self.packed):
            self.where[number_] = (2, at, index)
            header.append(b"%d %d" % (number_, offset))
            bodies.append(body)
            offset += len(body) + 1
        first = b" ".join(header) + b"\n"
        data = zlib.compress(first + b"\n".join(bodies) + b"\n", 6)
        self.put(at, b"<</Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(self.packed), len(first)), data)
        self.packed = []

    def new_stream(self, data: bytes) -> int:
        at = self.reserve()
        self.put(at, b"<<", data)
        return at

    def finish(self, root: int, info: int, identifier: bytes) -> None:
        """The cross-reference stream, which is the trailer too; unused numbers are free entries."""
        import zlib

        if self.packed:
            self._pack()
        xref = self.reserve()
        self.where[xref] = (1, self.position, 0)
        width = max(4, (self.position.bit_length() + 7) // 8)
        free = (0, 0, 0xFFFF)  # object 0, the head of the free list, and every unused number
        rows = [b"%c%s%s" % (kind, field.to_bytes(width, "big"), last.to_bytes(2, "big"))
                for kind, field, last in (found or free for found in self.where)]
        hexid = identifier.hex().encode()
        data = zlib.compress(b"".join(rows), 6)
        self.write(b"%d 0 obj\n<</Type /XRef /Size %d /W [1 %d 2] /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>]"
                   b" /Filter /FlateDecode /Length %d>>\nstream\n"
                   % (xref, len(self.where), width, root, info, hexid, hexid, len(data)))
        self.write(data)
        self.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % self.where[xref][1])
        self.flush()


class Placement:
    """A unit's local ids as object numbers in the book: its pages are given, the rest reserved."""

    def __init__(self, output: Output, unit: Unit, pages: list[int]) -> None:
        self.pages = pages
        self.count = len(unit.pages)
        self.base = output.reserve(max(unit.size - self.count, 0)) - self.count - 1

    def __call__(self, local: int) -> int:
        return self.pages[local - 1] if local <= self.count else self.base + local

    def relocate(self, data: bytes) -> bytes:
        return MARK.sub(lambda match: b"%d 0 R" % self(int(match[1])), data)

    def write_objects(self, output: Output, unit: Unit) -> None:
        for local, body, stream in unit.objects:
            output.put(self(local), self.relocate(body), stream)


@dataclass
class Positioned:
    """A unit's pages at their place in the book."""

    unit: Unit
    first: int  # index of its first page in the book
    shift: Callable[[int], float]  # page index within the unit → sideways shift (points)


def link(output: Output, bodies: list[Positioned], layers: list[Positioned], blanks: list[int], total: int,
         outline: list[tuple[int, str, int, float, float]], destinations: dict[str, tuple[int, float, float]],
         identifier: bytes, info: bytes = b"", body_start: int | None = None) -> None:
    """Write the book: `layers` are the furniture, one page for every page of the book; `blanks`
    the pages that only have furniture; outline entries and destinations point at page indices;
    `body_start` is the page index where arabic page numbers start (/PageLabels)."""
    pages = [output.reserve() for _ in range(total)]
    tree = output.reserve()
    forms: list[int] = [0] * total
    heads: list[bytes] = [b""] * total
    for layer in layers:
        at = Placement(output, layer.unit, pages[layer.first:layer.first + len(layer.unit.pages)])
        at.write_objects(output, layer.unit)
        for index, page in enumerate(layer.unit.pages):
            form = forms[layer.first + index] = output.reserve()
            heads[layer.first + index] = at.relocate(page.head)
            box = _media_box(page.head)
            resources = b"<<" + at.relocate(page.resources) + b"/XObject <<" + at.relocate(page.xobjects) + b">>>>"
            output.put(form, b"<</Type /XObject /Subtype /Form /BBox %s /Resources %s\n%s" % (
                box, resources, at.relocate(page.stream_head)), page.stream)
    draw = output.new_stream(b"q " + FURNITURE + b" Do Q\n")
    save, restore = output.new_stream(b"q\n"), output.new_stream(b"Q\n")
    shifts: dict[float, int] = {}
    for index in blanks:
        output.put(pages[index], b"<</Type /Page /Parent %d 0 R\n%s/Resources <</XObject <<%s %d 0 R>>>>\n"
                   b"/Contents %d 0 R>>" % (tree, heads[index], FURNITURE, forms[index], draw))
    for body in bodies:
        at = Placement(output, body.unit, pages[body.first:body.first + len(body.unit.pages)])
        at.write_objects(output, body.unit)
        for index, page in enumerate(body.unit.pages):
            dx = body.shift(index)
            if dx and dx not in shifts:
                shifts[dx] = output.new_stream(b"q 1 0 0 1 %s 0 cm\n" % number(dx))
            opening = shifts[dx] if dx else save
            contents = b" ".join(b"%d 0 R" % at(local) for local in page.contents)
            annotations = []
            for annotation in page.annotations:
                rect = [value + (dx if i % 2 == 0 else 0.0) for i, value in enumerate(annotation.rect)]
                output.put(at(annotation.id), b"<<" + at.relocate(annotation.entries) + b"/Rect [%s]>>"
                           % b" ".join(number(value) for value in rect))
                annotations.append(b"%d 0 R" % at(annotation.id))
            resources = b"<<%s/XObject <<%s%s %d 0 R>>>>" % (
                at.relocate(page.resources), at.relocate(page.xobjects), FURNITURE, forms[body.first + index])
            # Its own content between q and Q (shifted on a left-hand page), then the furniture.
            drawing = b"[%d 0 R %s %d 0 R %d 0 R]" % (opening, contents, restore, draw)
            links = b"\n/Annots [%s]" % b" ".join(annotations) if annotations else b""
            output.put(pages[body.first + index], b"<</Type /Page /Parent %d 0 R\n%s/Resources %s\n/Contents %s%s>>"
                       % (tree, at.relocate(page.head), resources, drawing, links))
    output.put(tree, b"<</Type /Pages /Count %d /Kids [%s]>>" % (total, b" ".join(b"%d 0 R" % p for p in pages)))
    catalog = [b"/Type /Catalog /Pages %d 0 R" % tree]
    if outline:
        catalog.append(b"/Outlines %d 0 R" % _write_outline(output, outline, pages))
    if destinations:
        catalog.append(b"/Names <</Dests %d 0 R>>" % _write_destinations(output, destinations, pages))
    if body_start:
        catalog.append(page_labels(body_start))
    first = bodies[0].unit if bodies else None
    if first is not None and first.lang:
        catalog.append(b"/Lang " + first.lang)
    root = output.reserve()
    output.put(root, b"<<" + b"\n".join(catalog) + b">>")
    info_number = output.reserve()
    output.put(info_number, b"<<" + (first.info if first is not None else b"") + info + b">>")
    output.finish(root, info_number, identifier)


def page_labels(opening: int) -> bytes:
    """/PageLabels: roman numerals for the front matter, arabic from 1 at page index `opening`."""
    return b"/PageLabels <</Nums [0 <</S /r>> %d <</S /D>>]>>" % opening


def _media_box(head: bytes) -> bytes:
    match = re.search(rb"/MediaBox (\[[^\]]*\])", head)
    return match[1] if match else b"[0 0 612 792]"


def _destination(page: int, left: float, top: float) -> bytes:
    return b"[%d 0 R /XYZ %s %s 0]" % (page, number(left), number(top))


def _write_destinations(output: Output, destinations: dict[str, tuple[int, float, float]], pages: list[int]) -> int:
    names = []
    for name in sorted(destinations):
        page, left, top = destinations[name]
        names.append(text_string(name) + b" " + _destination(pages[page], left, top))
    tree = output.reserve()
    output.put(tree, b"<</Names [%s]>>" % b"\n".join(names))
    return tree


def _write_outline(output: Output, marks: list[tuple[int, str, int, float, float]], pages: list[int]) -> int:
    """Bookmarks nested by level as WeasyPrint nests them: under the last one of a lower level."""
    root = output.reserve()
    numbers = [output.reserve() for _ in marks]
    parents: list[int] = []  # index of each entry's parent, -1 for the root
    stack: list[tuple[int, int]] = []  # (level, index)
    for index, (level, *_) in enumerate(marks):
        while stack and stack[-1][0] >= level:
            stack.pop()
        parents.append(stack[-1][1] if stack else -1)
        stack.append((level, index))
    children: dict[int, list[int]] = {}
    for index, parent in enumerate(parents):
        children.setdefault(parent, []).append(index)

    def descendants(index: int) -> int:
        return sum(1 + descendants(child) for child in children.get(index, []))

    for index, (_, label, page, left, top) in enumerate(marks):
        siblings = children[parents[index]]
        at = siblings.index(index)
        parts = [b"/Title " + text_string(label),
                 b"/Parent %d 0 R" % (numbers[parents[index]] if parents[index] >= 0 else root),
                 b"/Dest " + _destination(pages[page], left, top)]
        if at > 0:
            parts.append(b"/Prev %d 0 R" % numbers[siblings[at - 1]])
        if at + 1 < len(siblings):
            parts.append(b"/Next %d 0 R" % numbers[siblings[at + 1]])
        if index in children:
            kids = children[index]
            parts.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (numbers[kids[0]], numbers[kids[-1]],
                                                                     descendants(index)))
        output.put(numbers[index], b"<<" + b"\n".join(parts) + b">>")
    top_level = children.get(-1, [])
    output.put(root, b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>" % (
        numbers[top_level[0]], numbers[top_level[-1]], len(marks)))
    return root
