"""The parallel, cached PDF path gives the book a single WeasyPrint render gives.

Page count, outline (titles, depth, pages), the numbers printed on the contents page, every
page's extracted text (running heads and page numbers included) and where its links go are
compared, for a sectioned collection with and without right_hand_start, and for a rebuild
served from the work cache.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pypdf
import pytest
from pdf_fixtures import EPOCH, outline, squash

from compiler.book.templating import Renderer
from compiler.builders import BuildContext
from compiler.builders.pdf.builder import PdfBuilder
from compiler.cache import WorkCache
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.pipeline import write_format

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from synth import write_collection


def build(manifest: Path, out: Path, parallel: bool, cache: bool) -> tuple[Path, int | None]:
    collection = load_collection(load_manifest(manifest), cache=WorkCache.for_collection(manifest.parent, cache))
    context = BuildContext(Renderer("pdf", collection.manifest.root), dt.datetime.fromtimestamp(EPOCH, tz=dt.UTC),
                           True)
    builder = PdfBuilder()
    builder.parallel = parallel
    return write_format(builder, collection, out, context), context.pages


def page_texts(path: Path) -> list[list[str]]:
    """Each page's lines of text, in order; blank lines are left out (the assembled furniture is a
    form XObject, after which pypdf's extraction adds a line break)."""
    return [[line for line in page.extract_text().splitlines() if line.strip()] for page in pypdf.PdfReader(path).pages]


@pytest.fixture(scope="module", params=[False, True], ids=["flow", "right-hand-start"])
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("equivalence")
    extra = "pdf:\n  right_hand_start: true\n" if request.param else "pdf:\n  right_hand_start: false\n"
    manifest = write_collection(folder / "c", articles=6, sections=2, words=300, extra=extra)
    single, single_pages = build(manifest, folder / "single", parallel=False, cache=False)
    parallel, parallel_pages = build(manifest, folder / "parallel", parallel=True, cache=True)
    assert single_pages == parallel_pages == len(pypdf.PdfReader(single).pages)
    return manifest, single, parallel


def test_same_pages_outline_and_text(pair: tuple[Path, Path, Path]) -> None:
    _, single, parallel = pair
    one, many = pypdf.PdfReader(single), pypdf.PdfReader(parallel)
    assert len(many.pages) == len(one.pages)
    assert outline(many) == outline(one)
    assert page_texts(parallel) == page_texts(single)
    assert many.metadata == one.metadata


def test_the_linked_file_reads_strictly(pair: tuple[Path, Path, Path]) -> None:
    _, _, parallel = pair
    reader = pypdf.PdfReader(parallel, strict=True)
    assert len(reader.xref[0]) > len(reader.pages)
    for number in reader.xref[0]:  # every object the cross-reference table lists is where it says
        assert reader.get_object(number) is not None, number
    # The small dictionaries (pages, fonts, outline…) are packed into compressed object streams.
    assert len(reader.xref_objStm) > len(reader.pages)
    for number in reader.xref_objStm:
        assert reader.get_object(number) is not None, number


def links(reader: pypdf.PdfReader) -> list[list[tuple[int | str, list[int]]]]:
    """Each page's links: the page each one goes to (or the web address) and where it sits (to the point)."""
    found = []
    for page in reader.pages:
        here: list[tuple[int | str, list[int]]] = []
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            rect = [round(float(v)) for v in annotation["/Rect"]]
            if "/Dest" not in annotation:  # a link out of the book
                here.append((str(annotation["/A"]["/URI"]), rect))
                continue
            target = reader.named_destinations[annotation["/Dest"]]
            here.append((reader.get_destination_page_number(target), rect))
        found.append(here)
    return found


def text_lefts(path: Path) -> list[int | None]:
    """The left edge of each page's leftmost text, to the point: where the page's margins put it."""
    lefts = []
    for page in pypdf.PdfReader(path).pages:
        found: list[float] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            if text.strip():
                found.append(tm[4] * cm[0] + cm[4])  # noqa: B023  (used before the next page)

        page.extract_text(visitor_text=visit)
        lefts.append(round(min(found)) if found else None)
    return lefts


def test_every_page_is_set_within_the_same_margins(pair: tuple[Path, Path, Path]) -> None:
    _, single, parallel = pair
    assert text_lefts(parallel) == text_lefts(single)


def test_links_go_to_the_same_pages_from_the_same_places(pair: tuple[Path, Path, Path]) -> None:
    _, single, parallel = pair
    expected = links(pypdf.PdfReader(single))
    assert any(expected), "the contents page has links"
    assert links(pypdf.PdfReader(parallel)) == expected


def test_contents_numbers_are_the_pages_articles_start_on(pair: tuple[Path, Path, Path]) -> None:
    _, _, parallel = pair
    reader = pypdf.PdfReader(parallel)
    entries = [(title, page) for depth, title, page in outline(reader) if title.startswith("Article")]
    contents = " ".join(" ".join(page.extract_text().split()) for page in reader.pages[2:4])
    for title, index in entries:
        after = contents[contents.index(title[:40]) :]
        number = next(word for word in after.replace(".", " ").split() if word.isdigit())
        assert int(number) == int(reader.page_labels[index]), title  # the label: from 1 where the body opens
        assert squash(title) in squash(reader.pages[index].extract_text())


def test_rebuild_from_cache_is_byte_identical_and_follows_a_change(pair: tuple[Path, Path, Path],
                                                                   tmp_path: Path) -> None:
    manifest, _, parallel = pair
    again, _ = build(manifest, tmp_path / "again", parallel=True, cache=True)
    assert again.read_bytes() == parallel.read_bytes()
    article = manifest.parent / "articles" / "a0003.md"
    original = article.read_text(encoding="utf-8")
    try:
        article.write_text(original.replace("# Article 3:", "# Article 3 (revised):"), encoding="utf-8")
        changed, _ = build(manifest, tmp_path / "changed", parallel=True, cache=True)
        fresh, _ = build(manifest, tmp_path / "fresh", parallel=False, cache=False)
        assert page_texts(changed) == page_texts(fresh)
        assert outline(pypdf.PdfReader(changed)) == outline(pypdf.PdfReader(fresh))
    finally:
        article.write_text(original, encoding="utf-8")


def test_rebuild_after_an_article_grows_renumbers_what_follows(pair: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """The rebuild first lays out the contents with the last build's numbers; when an article
    gets longer those are wrong, and the contents and the furniture after it must follow."""
    manifest, _, parallel = pair
    before = len(pypdf.PdfReader(parallel).pages)
    article = manifest.parent / "articles" / "a0002.md"
    original = article.read_text(encoding="utf-8")
    paragraphs = original.split("\n\n")
    try:
        article.write_text("\n\n".join(paragraphs[:6] + paragraphs[4:-2] * 3 + paragraphs[-2:]), encoding="utf-8")
        changed, _ = build(manifest, tmp_path / "changed", parallel=True, cache=True)
        fresh, _ = build(manifest, tmp_path / "fresh", parallel=False, cache=False)
        assert len(pypdf.PdfReader(changed).pages) > before
        assert page_texts(changed) == page_texts(fresh)
        assert outline(pypdf.PdfReader(changed)) == outline(pypdf.PdfReader(fresh))
    finally:
        article.write_text(original, encoding="utf-8")
