"""Front matter and page sequence of a published book, in both PDF layouts (pieces and single
render): copyright page on the title's verso, openings on right-hand pages, roman then arabic
page labels that the contents' numbers follow, a colophon in the editors' words."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from pdf_fixtures import Built, build, ink_lines, outline, write_book, write_flat

from compiler.builders.pdf.builder import PdfBuilder
from compiler.collection.manifest import load_manifest
from compiler.errors import ManifestError

FRONT = ("isbn: 978-1-23456-789-7\nedition: Second edition, revised\n"
         "colophon: Chosen and edited by the harbour reading group.\n")


@pytest.fixture(scope="module", params=["pieces", "single"])
def flat(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    # A PDF/UA file is laid out in one render (pdf.py); the other in pieces (pdf/pieces.py), which
    # a book this short would not be by default (pdf.in_pieces).
    variant = "pdf:\n  pdf_variant: pdf/ua-1\n" if request.param == "single" else ""
    folder = tmp_path_factory.mktemp(request.param)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PdfBuilder, "parallel", request.param == "pieces" or None)
        return build(write_flat(folder / "c", FRONT + variant, articles=3), folder / "out")


def _openings(reader: pypdf.PdfReader) -> list[tuple[str, int]]:
    return [(title, page) for _, title, page in outline(reader) if title.startswith("Short Piece")]


def test_the_copyright_page_has_what_the_manifest_gives(flat: Built) -> None:
    verso = " ".join(flat.reader.pages[1].extract_text().split())
    for expected in ("Small Book", "Edited by Ed", "ISBN 978-1-23456-789-7", "Second edition, revised"):
        assert expected in verso


def test_the_copyright_lines_stand_at_the_foot_of_the_page(flat: Built) -> None:
    bands = ink_lines(flat.path, 1, dpi=150)
    height = float(flat.reader.pages[1].mediabox.height) / 72 * 150
    options = flat.collection.manifest.data.pdf
    foot = height - options.page_margins.bottom.points / 72 * 150  # the bottom margin
    # The last line (the ISBN) ends within a line of the text area's foot; the first is far below the top.
    assert foot - 25 < bands[-1][1] <= foot, (bands[-1], foot)
    assert bands[0][0] > height / 2


def test_articles_open_on_odd_pages_numbered_from_1(flat: Built) -> None:
    reader = flat.reader
    openings = _openings(reader)
    assert len(openings) == 3
    assert all(page % 2 == 0 for _, page in openings), openings  # 0-based even: odd page numbers
    labels = reader.page_labels
    first = openings[0][1]
    assert labels[:first] == ["i", "ii", "iii", "iv"][:first]
    assert labels[first] == "1"
    assert [int(labels[page]) for _, page in openings] == [page - first + 1 for _, page in openings]


def test_the_contents_prints_the_labels(flat: Built) -> None:
    reader = flat.reader
    contents = " ".join(reader.pages[2].extract_text().split())
    for title, page in _openings(reader):
        match = re.search(re.escape(title) + r"[\s.]*(\d+)", contents)
        assert match and match[1] == reader.page_labels[page], (title, contents)
    # The folio printed at the foot of a page is its label.
    for _, page in _openings(reader):
        following = reader.pages[page + 1].extract_text().split()
        if following:
            assert reader.page_labels[page + 1] in (following[0], following[-1])


def test_the_colophon_is_the_editors(flat: Built) -> None:
    colophon = next(page for _, title, page in outline(flat.reader) if title == "Colophon")
    text = " ".join(flat.reader.pages[colophon].extract_text().split())
    assert "Chosen and edited by the harbour reading group." in text
    assert "anthology" not in text.lower() and "urn:" not in text


def test_articles_run_on_when_the_manifest_says_so(tmp_path: Path) -> None:
    built = build(write_flat(tmp_path / "c", "pdf:\n  right_hand_start: false\n", articles=3), tmp_path / "out")
    pages = [page for _, page in _openings(built.reader)]
    assert any(page % 2 == 1 for page in pages)  # some open on a left-hand page: no blank pages added


def test_an_isbn_that_is_not_one_is_a_manifest_error(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as raised:
        load_manifest(write_flat(tmp_path / "c", "isbn: 12-34\n", articles=1))
    assert any(re.search(r"isbn: .*'12-34' is not an ISBN", problem) for problem in raised.value.problems)


@pytest.fixture(scope="module", params=["pieces", "single"])
def parted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    # A book in two parts (pdf_fixtures.write_book), in both layouts.
    variant = "pdf:\n  pdf_variant: pdf/ua-1\n" if request.param == "single" else ""
    folder = tmp_path_factory.mktemp(f"parted-{request.param}")
    return build(write_book(folder / "c", pdf_options=variant), folder / "out")


def test_every_part_and_article_opens_on_an_odd_page_in_both_layouts(parted: Built) -> None:
    entries = [(title, page) for _, title, page in outline(parted.reader) if title != "Contents"]
    parts = [section.title for section in parted.collection.sections]
    articles = [article.meta.title for article in parted.collection.articles]
    assert [title for title, _ in entries] == [parts[0], *articles[:2], parts[1], articles[2],
                                                "Sources and permissions", "Colophon"]
    labels = parted.reader.page_labels
    for title, page in entries:
        if title in parts or title in articles:
            assert page % 2 == 0 and int(labels[page]) % 2 == 1, (title, page, labels[page])


def test_every_row_of_the_contents_prints_its_pages_label(parted: Built) -> None:
    reader = parted.reader
    entries = [(title, page) for _, title, page in outline(reader) if title != "Contents"]
    contents = next(page for _, title, page in outline(reader) if title == "Contents")
    text = " ".join(reader.pages[contents].extract_text().split())
    for title, page in entries:  # parts, articles and the back matter
        match = re.search(re.escape(title) + r"[\s.]*(\d+)", text)
        assert match and match[1] == reader.page_labels[page], (title, page, text)
