"""The `pdf:` options: validated with their key path, and honoured in the built PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pdf_fixtures import MM, REPO, Built, build, fonts_of, outline, write_flat
from weasyprint.pdf import VARIANTS

from compiler.collection.lengths import Margins
from compiler.collection.manifest import PdfOptions, load_manifest
from compiler.errors import ManifestError

INCH = 72.0
DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def manifest_problems(tmp_path: Path, pdf_options: str) -> list[str]:
    path = write_flat(tmp_path, pdf_options, articles=1)
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    return caught.value.problems


@pytest.mark.parametrize(
    ("options", "key", "says"),
    [
        ("pdf:\n  page_size: A3x\n", "pdf.page_size", "unknown page size 'A3x'"),
        ("pdf:\n  page_size: 150 220\n", "pdf.page_size", "is not a length"),
        ("pdf:\n  page_size: 5mm 5mm\n", "pdf.page_size", "out of range"),
        ("pdf:\n  margins: 20mm 15mm 22mm 20mm 9mm\n", "pdf.margins", "1 to 4 lengths"),
        ("pdf:\n  margins: 20 mm wide\n", "pdf.margins", "is not a length"),
        ("pdf:\n  page_size: A6\n  margins: 10mm 40mm\n", "pdf.margins", "too little room"),
        ("pdf:\n  font_size: 40pt\n", "pdf.font_size", "out of range"),
        ("pdf:\n  font_family: 'Evil; } body { display: none'\n", "pdf.font_family", "not a font family"),
        ("pdf:\n  font_files: [fonts/readme.txt]\n", "pdf.font_files", "not a font file"),
        ("pdf:\n  bleed: 5cm\n", "pdf.bleed", "too large"),
        ("pdf:\n  pdf_variant: pdf/z-9\n", "pdf.pdf_variant", "unknown PDF variant"),
        ("pdf:\n  page_sise: A4\n", "pdf.page_sise", "did you mean 'page_size'"),
    ],
)
def test_invalid_options_name_their_key_path(tmp_path: Path, options: str, key: str, says: str) -> None:
    problems = manifest_problems(tmp_path, options)
    assert len(problems) == 1, problems
    where, _, message = problems[0].partition(f": {key}")
    assert where.startswith(str(tmp_path / "collection.yaml") + ":"), problems[0]
    assert says in message, problems[0]


def test_every_offered_variant_is_one_weasyprint_knows() -> None:
    assert set(PdfOptions.PDF_VARIANTS) <= set(VARIANTS)
    assert {"pdf/a-3b", "pdf/ua-1"} <= set(PdfOptions.PDF_VARIANTS)


def test_margins_default_in_proportion_and_shorthand_expands_mirrored() -> None:
    a5, a4 = PdfOptions(), PdfOptions(page_size="A4")
    a5_inner, a4_inner = (o.page_margins.inner.points for o in (a5, a4))
    assert a4_inner > a5_inner
    assert _css(PdfOptions(margins="10mm 12mm").page_margins) == ("10mm", "12mm", "10mm", "12mm")
    assert _css(PdfOptions(margins="10mm 12mm 14mm").page_margins) == ("10mm", "12mm", "14mm", "12mm")


def _css(margins: Margins) -> tuple[str, str, str, str]:
    return margins.top.css, margins.outer.css, margins.bottom.css, margins.inner.css


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Letter with bleed, crop marks and right-hand starts."""
    folder = tmp_path_factory.mktemp("letter")
    options = "pdf:\n  page_size: letter\n  bleed: 3mm\n  crop_marks: true\n  right_hand_start: true\n"
    return build(write_flat(folder / "c", options), folder / "out")


@pytest.fixture(scope="module")
def explicit(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """An explicit size, and a font file from the collection naming its own family."""
    folder = tmp_path_factory.mktemp("explicit")
    font = TTFont(DEJAVU_SANS)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Anthology Test Sans"
        elif record.nameID == 6:
            record.string = "AnthologyTestSans"
    (folder / "c/fonts").mkdir(parents=True)
    font.save(folder / "c/fonts/test-sans.ttf")
    options = "pdf:\n  page_size: 150mm 220mm\n  font_files: [fonts/test-sans.ttf]\n  margins: 15mm\n"
    return build(write_flat(folder / "c", options, articles=1), folder / "out")


def test_letter_with_bleed_has_a_trim_box_of_the_page_size(letter: Built) -> None:
    bleed = 3 * MM
    for page in letter.reader.pages:
        assert float(page.trimbox.width) == pytest.approx(8.5 * INCH, abs=0.05)
        assert float(page.trimbox.height) == pytest.approx(11 * INCH, abs=0.05)
        assert float(page.mediabox.width) == pytest.approx(8.5 * INCH + 2 * bleed, abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(11 * INCH + 2 * bleed, abs=0.05)


def test_right_hand_start_opens_every_article_on_an_odd_page(letter: Built) -> None:
    starts = [index + 1 for depth, title, index in outline(letter.reader) if title.startswith("Short Piece")]
    assert len(starts) == 3
    # Without the option the first piece follows the contents (page 3) on page 4, a left page.
    assert all(number % 2 == 1 for number in starts), starts


def test_explicit_page_size(explicit: Built) -> None:
    for page in explicit.reader.pages:
        assert float(page.mediabox.width) == pytest.approx(150 * MM, abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(220 * MM, abs=0.05)


def test_a_font_file_in_the_collection_becomes_the_body_font(explicit: Built) -> None:
    names = {str(font.get("/BaseFont")).replace("-", "") for font in fonts_of(explicit.reader)}
    assert any(name.endswith("+AnthologyTestSans") for name in names), names
    assert explicit.warnings == []


def test_a4_preset(tmp_path: Path) -> None:
    built = build(write_flat(tmp_path / "c", "pdf:\n  page_size: A4\n", articles=1), tmp_path / "out")
    page = built.reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((210 * MM, 297 * MM), abs=0.05)


def test_a_missing_font_file_is_a_manifest_error_naming_the_key(tmp_path: Path) -> None:
    path = write_flat(tmp_path / "c", "pdf:\n  font_files: [fonts/none.otf]\n", articles=1)
    with pytest.raises(ManifestError, match=r"pdf\.font_files\[0\]: .*not found"):
        build(path, tmp_path / "out")


def test_the_example_collection_builds(tmp_path: Path) -> None:
    example = REPO / "collections/example/collection.yaml"
    built = build(example, tmp_path)
    assert len(outline(built.reader)) >= len(built.collection.articles)
    assert built.reader.pages[0].extract_text().strip()


def test_pdf_a_variant_is_written_with_its_identification(tmp_path: Path) -> None:
    built = build(write_flat(tmp_path / "c", "pdf:\n  pdf_variant: PDF/A-3b\n", articles=1), tmp_path / "out")
    catalog = built.reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in catalog
