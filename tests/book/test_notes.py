"""Numbered notes become real notes: linked noterefs and endnotes with links back in the EPUB,
footnotes at the foot of their markers' pages in the PDF. The fixture (tests/fixtures/notes)
is an article with ten numbered notes, written for these tests."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from epub_helpers import NS, Book, build_fixture_epub, epubcheck_command
from pdf_fixtures import Built, build

from compiler.book.notes import as_footnotes, with_notes
from compiler.model import Article, ArticleMeta, Block, BlockKind

NOTES = Path(__file__).resolve().parents[1] / "fixtures" / "notes"
EPUB_TYPE = f"{{{NS['epub']}}}type"

# The start of each note, in order.
NOTES_START = ["Harbour Board minutes", "Interview with a", "Compared against the", "The readings fill",
               "The preface to the", "Board minutes for", "The gaps run to", "The constants were",
               "The rule adds an", "Catalogued under"]


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Book:
    return build_fixture_epub(NOTES, tmp_path_factory.mktemp("notes-epub"))


# The fixture as it is, and with a paragraph of N sentences before it, so that markers fall at
# other places on their pages. Without footnote-policy: line (print.css) and builders/
# footnote_pages.py, WeasyPrint 70 set a note on the page after its marker in each of these
# (a marker's line with no room left for its note; notes moved on to keep a paragraph's
# orphans) and left a note out altogether in three of them.
LEADS = [0, 4, 7, 10]
FILLER = "The water rose and fell against the stones of the quay, as it had done every day. "


@pytest.fixture(scope="module", params=[(layout, lead) for lead in LEADS for layout in ("pieces", "single")],
                ids=lambda param: f"{param[0]}-{param[1]}")
def pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    layout, lead = request.param
    folder = tmp_path_factory.mktemp(f"notes-pdf-{layout}-{lead}")
    shutil.copytree(NOTES, folder / "c")
    article = folder / "c" / "tides.md"
    if lead:
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("By Morwenna Hale\n\n", f"By Morwenna Hale\n\n{FILLER * lead}\n\n", 1),
                           encoding="utf-8")
    if layout == "single":  # a PDF/UA file is laid out in one render (pdf.py); the default in pieces
        with (folder / "c" / "collection.yaml").open("a", encoding="utf-8") as manifest:
            manifest.write("pdf:\n  pdf_variant: pdf/ua-1\n")
    return build(folder / "c" / "collection.yaml", folder / "out")


def test_the_epub_has_ten_linked_noterefs_and_endnotes_with_links_back(epub: Book) -> None:
    page = epub.page("article-01.xhtml")
    refs = [a for a in page.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "noteref"]
    assert [a.text for a in refs] == [str(n) for n in range(1, 11)]
    ids = {element.get("id"): element for element in page.iter() if element.get("id")}
    for number, (ref, note_start) in enumerate(zip(refs, NOTES_START, strict=True), start=1):
        note = ids[ref.get("href").lstrip("#")]
        assert note.get(EPUB_TYPE) == "endnote" and note.tag == f"{{{NS['x']}}}li"
        text = " ".join("".join(note.itertext()).split())
        assert text.startswith(note_start), (number, text)
        back = note.find(".//x:a[@role='doc-backlink']", NS)
        assert back is not None and back.get("href") == f"#{ref.get('id')}"
    section = page.find(".//x:section[@role='doc-endnotes']", NS)
    assert section is not None and section.get(EPUB_TYPE) == "endnotes"
    # The notes are no longer plain paragraphs after the text.
    assert "[1]" not in "".join(page.itertext())


def test_the_epub_with_notes_passes_epubcheck(epub: Book, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    subprocess.run(epubcheck_command(epub.path, report), capture_output=True, timeout=300, check=False)
    messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    assert [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")] == []


def _calls(page: pypdf.PageObject) -> list[int]:
    """The footnote calls on a page: numbers set smaller than anything else on it (0.7em,
    raised), as the reader sees them; a note's own number at the foot is 0.8em."""
    runs: list[tuple[str, float]] = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append((text, abs(size * tm[3] * cm[3]))))
    sizes = [size for text, size in runs if text.strip()]
    if not sizes:
        return []
    body = max(set(sizes), key=lambda size: sum(len(text) for text, s in runs if s == size))
    return [int(text) for text, size in runs if text.strip().isdigit() and size < 0.75 * body]


def test_the_pdf_sets_ten_footnotes_at_the_foot_of_their_markers_pages(pdf: Built) -> None:
    reader = pdf.reader
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    calls = {index: _calls(page) for index, page in enumerate(reader.pages)}
    assert sorted(number for numbers in calls.values() for number in numbers) == list(range(1, 11)), calls
    for number, note in enumerate(NOTES_START, start=1):
        marked = [index for index, numbers in calls.items() if number in numbers]
        noted = [index for index, text in enumerate(pages) if re.search(rf"(^| ){number}\. {re.escape(note)}", text)]
        assert noted == marked, (number, marked, noted)  # once, at the foot of its marker's page
    assert not any("↑" in text for text in pages)  # the links back are for screens only
    assert not any(re.search(r"\bNotes\b", text) for text in pages[4:])  # no endnotes section in print


def _article(*blocks: tuple[BlockKind, str, str]) -> Article:
    return Article(ArticleMeta(title="T"), [Block(kind, html, text) for kind, html, text in blocks])


def test_an_article_is_changed_only_when_every_note_has_its_marker() -> None:
    unmarked = _article((BlockKind.PARAGRAPH, "<p>A claim.[1]</p>", "A claim.[1]"),
                        (BlockKind.HEADING, "<h2>Notes</h2>", "Notes"),
                        (BlockKind.PARAGRAPH, "<p>1. First.</p>", "1. First."),
                        (BlockKind.PARAGRAPH, "<p>2. Second, never cited.</p>", "2. Second, never cited."))
    assert with_notes(unmarked, "article-01") is unmarked
    references = _article((BlockKind.PARAGRAPH, "<p>As Smith showed.</p>", "As Smith showed."),
                          (BlockKind.HEADING, "<h2>References</h2>", "References"),
                          (BlockKind.LIST, "<ul><li>Smith, 2001.</li></ul>", "Smith, 2001."))
    assert with_notes(references, "article-01") is references


def test_markers_in_code_and_links_stay_and_superscripts_count() -> None:
    article = _article(
        (BlockKind.PARAGRAPH, '<p>See <code>a[1]</code> and <a href="https://example.org">[1]</a>, '
                              "then the claim<sup>1</sup> and again [1].</p>", "…"),
        (BlockKind.HEADING, "<h2>Footnotes</h2>", "Footnotes"),
        (BlockKind.LIST, "<ol><li>The <em>only</em> note.</li></ol>", "The only note."))
    body = with_notes(article, "article-07").body_html
    assert "<code>a[1]</code>" in body and '<a href="https://example.org">[1]</a>' in body
    assert body.count('role="doc-noteref"') == 1 and "again [1]." in body  # a second citation stays text
    assert '<li class="endnote" id="article-07-note-1"><p>The <em>only</em> note.' in body
    printed = as_footnotes(body)
    assert '<span class="footnote" id="article-07-ref-1">The <em>only</em> note.</span>' in printed
    assert 'class="notes"' not in printed and "doc-backlink" not in printed


def test_a_newsletters_linked_notes_are_linked_too() -> None:
    # As a saved newsletter writes them: markers link to #footnote-N; each note is a paragraph
    # holding its number, linked back, then the note's own paragraph.
    site = "https://letters.example/p/harbour"
    article = _article(
        (BlockKind.PARAGRAPH, f'<p>The quay was rebuilt.<a href="{site}#footnote-1">1</a> Twice.'
                              f'<a href="{site}#footnote-2">2</a></p>', "…"),
        (BlockKind.PARAGRAPH, f'<p><a href="{site}#footnote-anchor-1">1</a></p>', "1"),
        (BlockKind.PARAGRAPH, "<p>In oak, both times.</p>", "In oak, both times."),
        (BlockKind.PARAGRAPH, f'<p><a href="{site}#footnote-anchor-2">2</a></p>', "2"),
        (BlockKind.PARAGRAPH, "<p>Once in 1888.</p>", "Once in 1888."))
    body = with_notes(article, "article-02").body_html
    assert body.count('role="doc-noteref"') == 2 and site not in body
    assert '<h2 class="notes-title">Notes</h2>' in body
    assert '<li class="endnote" id="article-02-note-2"><p>Once in 1888. <a class="note-back"' in body
