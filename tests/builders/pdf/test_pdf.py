"""The PDF of a sectioned collection holding the seed: outline, contents, furniture, text, fonts."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from pdf_fixtures import (
    EPOCH,
    MM,
    Built,
    all_text,
    build,
    font_descriptor,
    fonts_of,
    outline,
    squash,
    write_book,
)

from compiler.book.attribution import attribution_text

BACK_MATTER = ("Contents", "Sources and permissions", "Colophon")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("book")
    return build(write_book(folder / "collection"), folder / "out")


@pytest.fixture(scope="module")
def reader(book: Built) -> pypdf.PdfReader:
    return book.reader


@pytest.fixture(scope="module")
def text(reader: pypdf.PdfReader) -> str:
    """All the book's text, without whitespace."""
    return squash(all_text(reader))


def article_entries(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    return [entry for entry in outline(reader) if entry[0] > 0]


def test_outline_nests_each_article_under_its_section_in_book_order(book: Built, reader: pypdf.PdfReader) -> None:
    entries = outline(reader)
    top = [title for depth, title, _ in entries if depth == 0]
    assert top == ["Contents", "Coast", "Inland", "Sources and permissions", "Colophon"]
    expected = [article.meta.title for article in book.collection.articles]
    assert [title for _, title, _ in article_entries(reader)] == expected
    # Each article sits right after its own section's entry.
    titles = [title for _, title, _ in entries]
    for section in book.collection.sections:
        start = titles.index(section.title)
        assert titles[start + 1 : start + 1 + len(section.articles)] == [a.meta.title for a in section.articles]
    pages = [page for _, _, page in entries]
    assert pages == sorted(pages), "outline order must follow the page order"


def contents_numbers(reader: pypdf.PdfReader, contents_page: int, titles: list[str]) -> dict[str, int]:
    """The page number printed after each title (and its dotted leader) on the contents page."""
    text = " ".join(reader.pages[contents_page].extract_text().split())
    numbers = {}
    for title in titles:
        at = text.index(title)
        match = re.match(r"[\s.]*(\d+)", text[at + len(title) :])
        assert match, f"no page number after {title!r} in: {text}"
        numbers[title] = int(match[1])
    return numbers


def test_contents_prints_the_page_each_article_starts_on(book: Built, reader: pypdf.PdfReader) -> None:
    contents_page = next(page for _, title, page in outline(reader) if title == "Contents")
    entries = article_entries(reader)
    printed = contents_numbers(reader, contents_page, [title for _, title, _ in entries])
    # The numbers printed are the pages' labels: arabic from 1 where the body opens.
    labels = reader.page_labels
    assert printed == {title: int(labels[index]) for _, title, index in entries}
    # The article's title is really on that page, and the page before holds no part of it.
    for _, title, index in entries:
        assert squash(title) in squash(reader.pages[index].extract_text())


def test_contents_leaders_are_the_same_on_section_and_article_rows(reader: pypdf.PdfReader) -> None:
    contents = next(page for _, title, page in outline(reader) if title == "Contents")
    runs: list[tuple[str, str]] = []
    reader.pages[contents].extract_text(
        visitor_text=lambda text, cm, tm, font, size: runs.append((text, str(font.get("/BaseFont")) if font else "")))
    leaders = {font for text, font in runs if ". . ." in text}
    # One regular face for every leader: a section title's bold stops at the title.
    assert len(leaders) == 1 and "Bold" not in next(iter(leaders)), runs


def test_every_article_starts_on_a_new_page_with_its_byline_and_ends_with_its_note(
    book: Built, reader: pypdf.PdfReader, text: str
) -> None:
    entries = article_entries(reader)
    starts = [index for _, _, index in entries]
    assert len(set(starts)) == len(starts)
    for article in book.collection.articles:
        note = squash(attribution_text(article.meta))
        # Once under the article, once on the Sources and permissions page.
        assert text.count(note) == 2, article.meta.title
        assert squash(f"By {article.meta.authors[0]}") in text


def test_removed_boilerplate_does_not_reach_the_pdf(book: Built, text: str) -> None:
    removed = [r.text for a in book.collection.articles for r in a.removed if r.kind == "remove" and len(r.text) > 25]
    assert len(removed) >= 5, "the seed and the test article carry boilerplate the rules remove"
    leaked = [line for line in removed if squash(line) in text]
    assert leaked == []
    assert "newsletter" not in text.lower()


def test_running_heads_and_page_numbers(book: Built, reader: pypdf.PdfReader) -> None:
    title_page = reader.pages[0].extract_text()
    assert "Harbour and Garden" in title_page
    assert not re.search(r"\d", title_page), "the title page carries no page number"
    entries = article_entries(reader)
    sources = next(page for _, title, page in outline(reader) if title == "Sources and permissions")
    starts = [index for _, _, index in entries] + [sources]
    checked = 0
    for (_, title, start), end in zip(entries, starts[1:], strict=True):
        for index in range(start + 1, end):
            lines = reader.pages[index].extract_text().splitlines()
            if len(lines) < 5:
                continue  # a blank page or the note alone
            number = int(reader.page_labels[index])  # the folio: from 1 where the body opens
            head = "Harbour and Garden" if index % 2 == 1 else title[:30]  # left-hand (even) pages
            assert head in "\n".join(lines[:2] + lines[-2:]), (number, lines[:2])
            assert str(number) in (lines[0].split() + lines[-1].split()), (number, lines[0], lines[-1])
            checked += 1
        # No running head over an article's opening page.
        opening = reader.pages[start].extract_text()
        assert "Harbour and Garden" not in opening
    assert checked >= 6


def test_page_size_defaults_to_a5(reader: pypdf.PdfReader) -> None:
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(148 * MM, abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(210 * MM, abs=0.05)


def test_every_font_is_embedded_and_the_body_is_the_book_face(reader: pypdf.PdfReader) -> None:
    fonts = fonts_of(reader)
    assert fonts
    missing = [
        str(font.get("/BaseFont"))
        for font in fonts
        if not any(key in font_descriptor(font) for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    ]
    assert missing == []
    # EB Garamond, shipped with the package (templates/fonts), not whatever serif the machine has.
    assert any("EBGaramond" in str(font.get("/BaseFont")).replace("-", "") for font in fonts)


def test_metadata_comes_from_the_manifest_and_source_date_epoch(reader: pypdf.PdfReader) -> None:
    info = reader.metadata
    assert info is not None
    assert info.title == "Harbour and Garden"
    assert info.author == "Edith Editor"
    assert info.subject == "An anthology built by the PDF tests"
    assert info["/Keywords"] == "harbours, gardens"
    assert info.creation_date is not None and int(info.creation_date.timestamp()) == EPOCH
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_articles_carry_their_own_language_for_hyphenation(book: Built, reader: pypdf.PdfReader) -> None:
    # The German article is hyphenated by German rules: the text breaks inside a German
    # compound somewhere, which English patterns would not do for these words.
    german = next(index for _, title, index in article_entries(reader) if title == "Der Garten im Winter")
    text = "\n".join(reader.pages[i].extract_text() for i in range(german, german + 2))
    assert re.search("[a-zäöüß][-\u2010\u00ad]\n[a-zäöüß]", text), text[:500]


def test_same_inputs_give_byte_identical_pdfs(book: Built, tmp_path: Path) -> None:
    again = build(book.collection.manifest.path, tmp_path / "again")
    assert again.path.read_bytes() == book.path.read_bytes()


def test_the_seeds_quoted_passages_print_with_curly_quotes(text: str) -> None:
    # The seed quotes its witnesses with straight marks; the other articles quote nothing.
    assert '"' not in text
    assert text.count("“") >= 5 and text.count("“") == text.count("”")


def test_the_front_matter_is_numbered_in_roman_and_the_body_from_1(reader: pypdf.PdfReader) -> None:
    labels = reader.page_labels
    coast = next(page for _, title, page in outline(reader) if title == "Coast")  # the first part opens the body
    assert labels[:coast] == ["i", "ii", "iii", "iv"][:coast]
    assert labels[coast:coast + 3] == ["1", "2", "3"]
    contents = next(page for _, title, page in outline(reader) if title == "Contents")
    assert reader.pages[contents].extract_text().split()[-1] == labels[contents]  # its folio: iii


def test_the_title_pages_verso_is_the_copyright_page(reader: pypdf.PdfReader) -> None:
    verso = " ".join(reader.pages[1].extract_text().split())
    assert "Harbour and Garden" in verso and "Edited by Edith Editor" in verso
    assert "Published by Small Test Press" in verso
    assert not re.search(r"\b[ivx]+\b\s*$", verso), "the copyright page carries no folio"


def test_every_part_and_article_opens_on_a_right_hand_page(book: Built, reader: pypdf.PdfReader) -> None:
    openings = [(title, page) for depth, title, page in outline(reader) if title not in BACK_MATTER]
    assert len(openings) == len(book.collection.articles) + len(book.collection.sections)
    assert [(title, page % 2) for title, page in openings] == [(title, 0) for title, _ in openings]  # odd pages


def test_the_colophon_names_no_tool_and_no_identifier(reader: pypdf.PdfReader) -> None:
    colophon = next(page for _, title, page in outline(reader) if title == "Colophon")
    text = reader.pages[colophon].extract_text()
    assert "anthology" not in text.lower() and "urn:" not in text
    assert "Set in EB Garamond" in " ".join(text.split())
