"""The parts of the parallel PDF path that need no layout (page plan, furniture chunks, the
stylesheet the body pieces get, the assembly of pieces' PDFs), a worker's own job, and the rule that
chooses one render or pieces."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pikepdf
import pypdf
import pytest
from pdf_fixtures import build

from compiler.builders.pdf.merge import Placed, assemble
from compiler.builders.pdf.pieces import Piece, chunks, place, without_margin_boxes

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from synth import write_collection


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


def piece(*labels: str) -> bytes:
    """A PDF whose pages print their label at x=10 and share one resource dictionary, as
    WeasyPrint's do; the first page links to the name "two"."""
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    resources = pdf.make_indirect(Dictionary(Font=Dictionary(F1=font), XObject=Dictionary()))
    for label in labels:
        page = pdf.add_blank_page(page_size=(100, 200))
        page.obj.Resources = resources
        page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 100 Td (%s) Tj ET" % label.encode())
    first = pdf.pages[0]
    first.obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([10, 90, 40, 110]), Dest=String("two")))]))
    pdf.docinfo[Name.Title] = "Assembled"
    pdf.Root.Lang = String("en")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def furniture(pages: int) -> bytes:
    """Furniture pages: a stroke and the page's number at x=50, crop marks outside the trim box."""
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(100, 200))
        page.obj.TrimBox = Array([5, 5, 95, 195])
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(b"0 0 m 3 3 l S BT /F1 9 Tf 50 20 Td (f%d) Tj ET" % number)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def lefts(page: pypdf.PageObject) -> dict[str, float]:
    """Each string drawn on the page → where it starts on the page (x, points)."""
    found: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found[text.strip()] = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]

    page.extract_text(visitor_text=visit)
    return found


def assembled(shift: float = 0.0, title: str | None = None) -> bytes:
    """Pieces "one" (1 page) and "two" (2 pages) with a blank page between them; "two" shifted by
    `shift` on its first page and back on its second, as a piece opening on a left-hand page is."""
    stream = io.BytesIO()
    bodies = [Placed(piece("one"), 0, False, lambda page: 0.0),
              Placed(piece("two", "two-b"), 2, True, lambda page: shift if page % 2 == 0 else -shift)]
    info = {"CreationDate": "D:20260131120000+00'00"} | ({"Title": title} if title else {})
    assemble(stream, bodies, [(furniture(2), 0), (furniture(2), 2)], 4,
             [(1, "One", 0, 0.0, 200.0), (2, "Two", 2, 5.0, 200.0)], {"two": (3, 5.0, 100.0)}, info, 2)
    return stream.getvalue()


def test_the_assembled_file_has_every_page_with_its_furniture_in_place() -> None:
    reader = pypdf.PdfReader(io.BytesIO(assembled()), strict=True)
    assert [lefts(page) for page in reader.pages] == [
        {"one": 10.0, "f1": 50.0}, {"f2": 50.0}, {"two": 10.0, "f1": 50.0}, {"two-b": 10.0, "f2": 50.0}]
    for page in reader.pages[::2]:  # the furniture form keeps the crop marks outside the trim box
        forms = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
        boxes = [list(map(float, form["/BBox"])) for form in forms if form["/Subtype"] == "/Form"]
        assert boxes and all(box == [0, 0, 100, 200] for box in boxes)
    assert reader.metadata.title == "Assembled"
    assert reader.metadata["/CreationDate"] == "D:20260131120000+00'00"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert [reader.page_labels[i] for i in range(4)] == ["i", "ii", "1", "2"]


def test_a_shifted_piece_moves_its_drawing_and_its_links_but_not_the_furniture() -> None:
    reader = pypdf.PdfReader(io.BytesIO(assembled(shift=-7.5)))
    assert lefts(reader.pages[2]) == {"two": 2.5, "f1": 50.0}
    assert lefts(reader.pages[3]) == {"two-b": 17.5, "f2": 50.0}
    assert [float(v) for v in reader.pages[2]["/Annots"][0].get_object()["/Rect"]] == [2.5, 90, 32.5, 110]
    assert [float(v) for v in reader.pages[0]["/Annots"][0].get_object()["/Rect"]] == [10, 90, 40, 110]


def test_the_assembled_outline_nests_by_level_and_links_reach_their_names() -> None:
    reader = pypdf.PdfReader(io.BytesIO(assembled()))
    one, children = reader.outline
    assert one.title == "One" and reader.get_destination_page_number(one) == 0
    assert [child.title for child in children] == ["Two"]
    assert reader.get_destination_page_number(children[0]) == 2
    assert reader.get_destination_page_number(reader.named_destinations["two"]) == 3
    link = reader.pages[0]["/Annots"][0].get_object()
    assert reader.get_destination_page_number(reader.named_destinations[link["/Dest"]]) == 3


def test_the_same_pieces_make_the_same_bytes_and_another_book_another_id() -> None:
    first, again, other = assembled(), assembled(), assembled(title="Another")
    assert first == again
    ids = [pypdf.PdfReader(io.BytesIO(data)).trailer["/ID"][0] for data in (first, other)]
    assert ids[0] != ids[1]


def _job(tmp_path: object, furniture: bool) -> object:
    from pathlib import Path

    from compiler.builders.pdf.pieces import BODY_CSS, Job

    root = Path(str(tmp_path))
    css = ("@page { size: A6; margin: 15mm; @bottom-right { content: counter(page); } "
           "@top-left { content: string(title); } }\nh1 { string-set: title content(); }\n")
    html = ('<html><body><section id="a"><h1>Furniture test</h1>'
            + "<p>Words on a page that wrap over lines.</p>" * 40 + "</section></body></html>")
    sheets = [css] if furniture else [without_margin_boxes(css), BODY_CSS]
    return Job(html, sheets, root.as_uri() + "/", [root], {}, furniture=furniture, build=f"test-{furniture}")


def test_a_worker_writes_its_pieces_pdf_with_its_pages_bookmark_and_anchor(tmp_path: object) -> None:
    from compiler.builders.pdf import pieces as pdf_parallel

    body = pdf_parallel.render_job(_job(tmp_path, furniture=False))
    reader = pypdf.PdfReader(io.BytesIO(body.pdf))
    assert body.pages == len(reader.pages) > 1
    assert "Furniture test" in reader.pages[0].extract_text()
    assert "counter" not in reader.pages[1].extract_text() and reader.pages[1].extract_text().strip()
    # The heading's bookmark and the section's anchor where WeasyPrint put them in the piece's own file.
    (level, label, page, left, top), = body.bookmarks
    assert (level, label, page) == (1, "Furniture test", 0)
    outline, = reader.outline
    assert reader.get_destination_page_number(outline) == 0
    assert (round(left, 2), round(top, 2)) == (round(float(outline.left), 2), round(float(outline.top), 2))
    destination = reader.named_destinations["a"]
    assert body.anchors["a"][0] == 0
    assert [round(v, 2) for v in body.anchors["a"][1:]] == [round(float(destination.left), 2),
                                                           round(float(destination.top), 2)]


def test_a_furniture_job_still_makes_its_margin_boxes(tmp_path: object) -> None:
    from compiler.builders.pdf import pieces as pdf_parallel

    layer = pdf_parallel.render_job(_job(tmp_path, furniture=True))
    reader = pypdf.PdfReader(io.BytesIO(layer.pdf))
    assert layer.pages == len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        assert str(number) in page.extract_text()  # its number at least


def test_a_title_that_reads_like_pdf_syntax_stays_text(tmp_path: object) -> None:
    from compiler.builders.pdf import pieces as pdf_parallel

    job = _job(tmp_path, furniture=False)
    title = "Volume 12 (1 0 R) <</A>> \\) é"
    job.metadata = {"title": title}
    rendered = pdf_parallel.render_job(job)
    stream = io.BytesIO()
    layer = pdf_parallel.render_job(_job(tmp_path, furniture=True))
    assemble(stream, [Placed(rendered.pdf, 0, False, lambda page: 0.0)], [(layer.pdf, 0)], rendered.pages, [], {}, {})
    assert pypdf.PdfReader(io.BytesIO(stream.getvalue()), strict=True).metadata.title == title


def test_the_book_s_length_chooses_one_render_or_pieces(tmp_path: Path) -> None:
    from compiler.builders.pdf.builder import SINGLE_RENDER_BELOW, in_pieces
    from compiler.collection.loading import load_collection
    from compiler.collection.manifest import load_manifest

    short = write_collection(tmp_path / "short", articles=2, sections=1, words=SINGLE_RENDER_BELOW // 4)
    long = write_collection(tmp_path / "long", articles=4, sections=1, words=SINGLE_RENDER_BELOW // 3)
    assert not in_pieces(load_collection(load_manifest(short)))
    assert in_pieces(load_collection(load_manifest(long)))


def test_the_builder_takes_the_path_the_rule_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compiler.builders.pdf import builder as pdf

    manifest = write_collection(tmp_path / "c", articles=2, sections=1, words=60)
    taken: list[str] = []
    real = pdf.write_in_pieces

    def in_pieces(*args: object) -> None:
        taken.append("pieces")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf, "write_in_pieces", in_pieces)  # where the builder looks it up
    for rule in (False, True):
        monkeypatch.setattr(pdf, "in_pieces", lambda collection, rule=rule: rule)
        taken.clear()
        built = build(manifest, tmp_path / f"out-{rule}")
        assert taken == (["pieces"] if rule else [])
        assert len(pypdf.PdfReader(built.path).pages) > 4


def test_workers_start_early_only_when_asked_and_lay_out_a_job(tmp_path: object) -> None:
    """Early workers exist before any job and are gone after; late ones start with the first job
    the cache lacks, and lay it out as this process would."""
    from multiprocessing import active_children

    from compiler.builders.pdf.pieces import Workers, render_job

    before = set(active_children())
    with Workers(early=True, size=2):
        started = set(active_children()) - before
        assert len(started) == 2
    assert not any(process.is_alive() for process in started)
    with Workers(early=True, size=2, expected=1):  # a rebuild that read one article afresh
        assert len(set(active_children()) - before) == 1
    job = _job(tmp_path, furniture=False)
    with Workers(early=False, size=2) as late:
        assert late.executor is None and set(active_children()) == before
        laid = late.submit(job).result(timeout=120)
    assert laid.pages == render_job(job).pages and laid.anchors == render_job(job).anchors
