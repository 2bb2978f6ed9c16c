"""The parts of the parallel PDF path that need no layout: page plan, furniture chunks, the
stylesheet the body pieces get, and the linker's file structure."""

from __future__ import annotations

import io

import pypdf
import pytest

from compiler.builders.pdf_link import MARK, Output, Page, Positioned, Unit, link
from compiler.builders.pdf_parallel import Piece, chunks, place, without_margin_boxes


def pieces(*wants_right: bool) -> list[Piece]:
    return [Piece(f"p{i}", "<section></section>", right) for i, right in enumerate(wants_right)]


def test_a_piece_that_opens_on_a_right_hand_page_gets_a_blank_before_an_even_start() -> None:
    placed, total = place(pieces(False, True, False, True), [1, 3, 2, 1])
    assert [(item.start, item.blank_before) for item in placed] == [(1, False), (3, True), (6, False), (9, True)]
    assert total == 9


def test_furniture_chunks_cover_every_piece_once_and_never_open_on_a_blank_page() -> None:
    wants = [i % 3 == 0 for i in range(40)]
    placed, _ = place(pieces(*wants), [5 + i % 4 for i in range(40)])
    runs = chunks(placed, pages=20)
    assert [i for run in runs for i in run] == list(range(40))
    assert len(runs) > 3
    for run in runs[1:]:
        assert not placed[run[0]].blank_before
        assert placed[run[0]].start - placed[runs[runs.index(run) - 1][0]].start >= 20


def test_chunk_bounds_depend_only_on_page_positions() -> None:
    """A rebuild that moves no page must find the same chunks (and so the cached furniture)."""
    counts = [6, 7, 6, 6, 7] * 8
    first, _ = place(pieces(*[False] * 40), counts)
    again, _ = place(pieces(*[False] * 40), list(counts))
    assert chunks(first) == chunks(again)


def test_body_pieces_lose_the_margin_boxes_and_nothing_else() -> None:
    css = """
@page { size: A5; margin: 20mm; @top-left { content: string(title); font-style: italic; } }
@page :right { margin-left: 19mm; @bottom-right { content: counter(page); } margin-right: 15mm; }
@page chapter:nth(1 of chapter) { @top-right { content: none; } }
p { widows: 2; }
"""
    stripped = without_margin_boxes(css)
    for gone in ("@top-left", "@bottom-right", "@top-right", "counter(page)", "string(title)"):
        assert gone not in stripped
    for kept in ("size: A5", "margin: 20mm", "margin-left: 19mm", "margin-right: 15mm",
                 "@page chapter:nth(1 of chapter)", "p { widows: 2; }"):
        assert kept in stripped


def test_a_stylesheet_without_margin_boxes_comes_back_unchanged() -> None:
    css = ("/* page.css */\n@page { size: A5; }\n@font-face { font-family: X; src: url(x.ttf); }\n"
           "html { font-size: 10pt; }\n")
    assert without_margin_boxes(css) is css


def unit(pages: int, label: bytes) -> Unit:
    """A unit whose pages draw one shared stream (local id pages + 1) and use one font object."""
    font = pages + 2
    parts = [Page(b"/MediaBox [0 0 100 200]\n", b"/Font <</F1 \x00%d\x00>>\n" % font, b"", [pages + 1])
             for _ in range(pages)]
    objects = [(pages + 1, b"<<", b"BT /F1 12 Tf (" + label + b") Tj ET"),
               (font, b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>", None)]
    return Unit(parts, objects, font, b"/Title (Linked)\n", b"(en)")


def furniture(pages: int) -> Unit:
    parts = [Page(b"/MediaBox [0 0 100 200]\n", b"", b"", stream=b"0 0 m 10 10 l S") for _ in range(pages)]
    return Unit(parts, [], pages, b"", b"")


@pytest.fixture()
def linked() -> pypdf.PdfReader:
    stream = io.BytesIO()
    bodies = [Positioned(unit(1, b"one"), 0, lambda page: 0.0), Positioned(unit(2, b"two"), 2, lambda page: 5.0)]
    layers = [Positioned(furniture(4), 0, lambda page: 0.0)]
    link(Output(stream), bodies, layers, [1], 4, [(1, "One", 0, 0.0, 200.0), (2, "Two", 2, 5.0, 200.0)],
         {"two": (3, 5.0, 100.0)}, b"\x01" * 16)
    return pypdf.PdfReader(io.BytesIO(stream.getvalue()), strict=True)


def test_the_linked_file_reads_strictly_with_every_object_in_place(linked: pypdf.PdfReader) -> None:
    assert len(linked.pages) == 4
    assert [page.extract_text().strip() for page in linked.pages] == ["one", "", "two", "two"]
    for page in linked.pages:  # the furniture form is on every page, the blank one included
        assert "/AnthologyFurniture" in page["/Resources"]["/XObject"]
    assert linked.metadata.title == "Linked"
    assert linked.trailer["/Root"]["/Lang"] == "en"
    assert linked.trailer["/ID"][0].original_bytes == b"\x01" * 16


def test_the_linked_outline_nests_by_level_and_destinations_point_at_their_pages(linked: pypdf.PdfReader) -> None:
    one, children = linked.outline
    assert one.title == "One" and linked.get_destination_page_number(one) == 0
    assert [child.title for child in children] == ["Two"]
    assert linked.get_destination_page_number(children[0]) == 2
    assert linked.get_destination_page_number(linked.named_destinations["two"]) == 3


def test_objects_packed_over_several_object_streams_are_each_found() -> None:
    """More small objects than one object stream holds: each is read back from its own stream
    at its own index (the outline entries here, in order)."""
    from compiler.builders.pdf_link import PACKED_PER_STREAM

    count = PACKED_PER_STREAM * 2 + 7
    stream = io.BytesIO()
    marks = [(1, f"Entry {n}", n % 2, 0.0, 200.0) for n in range(count)]
    link(Output(stream), [Positioned(unit(2, b"two"), 0, lambda page: 0.0)], [Positioned(furniture(2), 0,
         lambda page: 0.0)], [], 2, marks, {}, b"\x03" * 16)
    reader = pypdf.PdfReader(io.BytesIO(stream.getvalue()), strict=True)
    assert len({place for place, _ in reader.xref_objStm.values()}) >= 3
    assert [entry.title for entry in reader.outline] == [f"Entry {n}" for n in range(count)]
    assert [reader.get_destination_page_number(entry) for entry in reader.outline] == [n % 2 for n in range(count)]


def _job(tmp_path: object, furniture: bool) -> object:
    from pathlib import Path

    from compiler.builders.pdf_parallel import BODY_CSS, Job

    root = Path(str(tmp_path))
    css = ("@page { size: A6; margin: 15mm; @bottom-right { content: counter(page); } "
           "@top-left { content: string(title); } }\nh1 { string-set: title content(); }\n")
    html = ('<html><body><section id="a"><h1>Furniture test</h1>'
            + "<p>Words on a page that wrap over lines.</p>" * 40 + "</section></body></html>")
    sheets = [css] if furniture else [without_margin_boxes(css), BODY_CSS]
    return Job(html, sheets, root.as_uri() + "/", [root], {}, furniture=furniture, build=f"test-{furniture}")


def test_a_body_job_makes_no_margin_boxes_and_writes_the_same_pdf(tmp_path: object,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    import weasyprint.layout

    from compiler.builders import pdf_parallel

    made: list[object] = []
    original = weasyprint.layout.make_margin_boxes

    def counting(*args: object) -> object:
        made.append(args[1])
        return original(*args)

    monkeypatch.setattr(weasyprint.layout, "make_margin_boxes", counting)
    body = _job(tmp_path, furniture=False)
    skipped = pdf_parallel.render_job(body)
    assert made == []  # not even the styles of the sixteen boxes were computed
    assert weasyprint.layout.make_margin_boxes is counting  # put back after the job
    monkeypatch.setattr(pdf_parallel, "_margin_boxes", lambda wanted: contextlib.nullcontext())
    full = pdf_parallel.render_job(body)
    assert len(made) == full.pages > 1
    # The same bytes with and without: every box of a body page is `content: none` anyway.
    assert skipped.checksum == full.checksum and skipped.pages == full.pages


def test_a_furniture_job_still_makes_its_margin_boxes(tmp_path: object) -> None:
    from compiler.builders import pdf_parallel

    layer = pdf_parallel.render_job(_job(tmp_path, furniture=True))
    assert layer.pages > 1
    import zlib

    for page in layer.unit.pages:
        drawn = zlib.decompress(page.stream) if b"FlateDecode" in page.stream_head else page.stream
        assert b"BT" in drawn  # text on every page: its number at least


def test_text_that_looks_like_a_reference_or_a_mark_stays_text(tmp_path: object) -> None:
    """References are found in WeasyPrint's objects, never in their text: a title reading like
    one ("1 0 R") or holding the NUL bytes the marks are made of keeps its words."""
    from compiler.builders import pdf_parallel

    job = _job(tmp_path, furniture=False)
    job.metadata = {"title": "Volume \x0012\x00 (1 0 R)"}
    rendered = pdf_parallel.render_job(job)
    assert MARK.search(rendered.unit.info) is None
    assert b"(Volume \\00012\\000 \\(1 0 R\\))" in rendered.unit.info
    job.metadata = {"title": "Volume 12 (1 0 R)"}
    rendered = pdf_parallel.render_job(job)
    stream = io.BytesIO()
    layer = Positioned(furniture(rendered.pages), 0, lambda page: 0.0)
    link(Output(stream), [Positioned(rendered.unit, 0, lambda page: 0.0)], [layer], [], rendered.pages, [], {},
         b"\x02" * 16)
    assert pypdf.PdfReader(io.BytesIO(stream.getvalue()), strict=True).metadata.title == "Volume 12 (1 0 R)"
