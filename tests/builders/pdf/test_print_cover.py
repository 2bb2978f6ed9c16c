"""The print cover (`--format cover`): back, spine and front on one sheet, its width from the
interior's page count and the paper, spine text only on a spine wide enough to hold it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from pdf_fixtures import EPOCH, write_flat

from compiler.book.templating import Renderer
from compiler.builders import BuildContext
from compiler.builders.pdf.print_cover import write_cover
from compiler.cli import main
from compiler.collection.loading import Collection, load_collection
from compiler.collection.manifest import load_manifest

BLEED = 0.125
PAPER = {"white": 0.002252, "cream": 0.0025}


def _collection(folder: Path, extra: str = "") -> Collection:
    manifest = write_flat(folder, "description: Three short pieces about a harbour.\n" + extra, articles=2)
    return load_collection(load_manifest(manifest))


def _cover(collection: Collection, pages: int) -> pypdf.PdfReader:
    context = BuildContext(renderer=Renderer("pdf", collection.manifest.root),
                           build_date=dt.datetime.fromtimestamp(EPOCH, tz=dt.UTC), reproducible=True)
    out = io.BytesIO()
    write_cover(collection, out, context, pages)
    assert context.warnings == []
    return pypdf.PdfReader(out)


def _inches(reader: pypdf.PdfReader) -> tuple[float, float]:
    box = reader.pages[0].mediabox
    return float(box.width) / 72, float(box.height) / 72


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("pages", [24, 180, 496])
def test_the_sheet_is_both_covers_the_spine_and_the_bleed(tmp_path: Path, paper: str, pages: int) -> None:
    collection = _collection(tmp_path / "c", f"pdf:\n  page_size: 6x9in\nprint:\n  paper: {paper}\n")
    width, height = _inches(_cover(collection, pages))
    assert width == pytest.approx(2 * 6 + pages * PAPER[paper] + 2 * BLEED, abs=0.01)
    assert height == pytest.approx(9 + 2 * BLEED, abs=0.01)


def test_the_spine_carries_text_only_when_it_is_wide_enough(tmp_path: Path) -> None:
    collection = _collection(tmp_path / "c")
    # 24 pages of white paper: 0.054 in, too narrow; 200 pages: 0.45 in.
    # The last two words of a line may be joined by a no-break space (book/templating.py: tied).
    narrow = _cover(collection, 24).pages[0].extract_text().replace("\u00a0", " ")
    wide = _cover(collection, 200).pages[0].extract_text().replace("\u00a0", " ")
    assert narrow.count("Small Book") == 1  # the front only
    assert wide.count("Small Book") == 2  # the front and the spine
    for text in (narrow, wide):
        assert "Three short pieces about a harbour." in text  # the blurb, on the back
        assert "Edited by Ed" in text


def test_the_manifests_cover_image_makes_the_front(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "c"
    folder.mkdir()
    Image.new("RGB", (600, 900), (200, 30, 30)).save(folder / "front.png")
    reader = _cover(_collection(folder, "cover: front.png\n"), 24)  # a spine too narrow for text
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    images = [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    assert len(images) == 1
    assert "Small Book" not in reader.pages[0].extract_text()  # the image is the front; nothing drawn over it


def test_build_format_cover_uses_the_interiors_page_count(tmp_path: Path) -> None:
    manifest = write_flat(tmp_path / "c", "print:\n  paper: cream\n", articles=3)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(manifest), "-f", "pdf", "-f", "cover", "-o", str(out)],
                                env={"SOURCE_DATE_EPOCH": str(EPOCH), "ANTHOLOGY_SERVER": "off"})
    assert result.exit_code == 0, result.output
    pages = len(pypdf.PdfReader(out / "small-book.pdf").pages)
    cover = pypdf.PdfReader(out / "small-book.cover.pdf")
    assert len(cover.pages) == 1
    trim_width = 148 / 25.4  # A5, the default page size
    assert _inches(cover)[0] == pytest.approx(2 * trim_width + pages * 0.0025 + 2 * BLEED, abs=0.01)
    fonts = {str(f.get_object()["/BaseFont"]) for f in cover.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("EB-Garamond" in name for name in fonts)  # one family, embedded from the package


def test_a_paper_the_services_do_not_name_is_a_manifest_error(tmp_path: Path) -> None:
    from compiler.errors import ManifestError

    with pytest.raises(ManifestError) as raised:
        load_manifest(write_flat(tmp_path / "c", "print:\n  paper: glossy\n", articles=1))
    assert any("print.paper" in problem for problem in raised.value.problems)


def test_no_line_of_the_title_or_the_blurb_is_one_word_alone(tmp_path: Path) -> None:
    # Both ended on a word alone as first drawn ("Letters from Five / Harbours", "… of this / project.").
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.md").write_text("# A Pier\n\nBy Writer\n\nThe pier was rebuilt twice.\n", encoding="utf-8")
    (folder / "collection.yaml").write_text(
        "title: Letters from Five Harbours\nsubtitle: Essays from the water's edge\neditors: [Lena Ostrova]\n"
        "description: Six short pieces about harbours, in five languages, written for the tests of this project.\n"
        "articles:\n  - path: a.md\n", encoding="utf-8")
    reader = _cover(load_collection(load_manifest(folder / "collection.yaml")), 24)
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines() if line.strip()]
    assert "Harbours" not in lines and "project." not in lines, lines
    assert all(len(line.replace("\u00a0", " ").split()) > 1 for line in lines), lines
