"""Every script prints: the book face shipped with the package, system Noto fonts for the scripts
it lacks, one warning per article for characters no font has, and `lang` (and `dir`) per article.

The collection (tests/fixtures/scripts) holds English, French, Japanese, Arabic and Russian
articles written for these tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdf
import pytest
from epub_helpers import NS, Book, build_fixture_epub, epubcheck_command
from pdf_fixtures import Built, all_text, build, font_descriptor, fonts_of, ink_lines, squash

from compiler.book.fonts import book_type, family_stack, missing_characters, package_for
from compiler.pipeline import write_format

SCRIPTS = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"

# A few words of each article, as the reader should find them in the PDF's text.
WORDS = {
    "ja": ["港町の朝市", "夜明け前の港では", "観光客が増えた今も"],
    "ar": ["ميناء", "الصيادين", "القديم"],
    "ru": ["Северная", "гавань", "зимой", "Смотритель"],
    "fr": ["Douarnenez", "s’éveille", "conserveuse"],  # typeset: the apostrophe is curly
    "en": ["Lighthouse", "Keeper", "ledger"],
}


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("scripts")
    shutil.copytree(SCRIPTS, folder / "c")
    return build(folder / "c" / "collection.yaml", folder / "out")


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Book:
    return build_fixture_epub(SCRIPTS, tmp_path_factory.mktemp("scripts-epub"))


def _page_fonts(page: pypdf.PageObject) -> set[str]:
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources else None
    if not fonts:
        return set()
    names = [str(ref.get_object().get("/BaseFont")) for ref in fonts.get_object().values()]
    return {name.split("+")[-1].replace("-", "") for name in names}


def _article_page(reader: pypdf.PdfReader, word: str) -> pypdf.PageObject:
    for page in reader.pages:
        if word in squash(page.extract_text()) and "Contents" not in page.extract_text():
            return page
    raise AssertionError(f"no page holds {word!r}")


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_pdf_text_holds_each_script(pdf: Built, language: str) -> None:
    text = squash(all_text(pdf.reader))
    for word in WORDS[language]:
        assert squash(word) in text, (language, word)


def test_no_glyph_is_missing_and_no_warning_about_fonts(pdf: Built) -> None:
    assert "\ufffd" not in all_text(pdf.reader)
    assert not [w for w in pdf.warnings if "font" in w or "glyph" in w], pdf.warnings


def test_every_font_is_embedded(pdf: Built) -> None:
    fonts = fonts_of(pdf.reader)
    unembedded = [str(font.get("/BaseFont")) for font in fonts
                  if not any(key in font_descriptor(font) for key in ("/FontFile", "/FontFile2", "/FontFile3"))]
    assert fonts and unembedded == []


def test_names_in_scripts_without_italic_are_upright_not_slanted(pdf: Built) -> None:
    # The contents sets authors in italic; 山田花子 and سمير حداد were slanted by the renderer
    # (a font named "…-Oblique"), as no italic of their faces exists.
    names = {str(font.get("/BaseFont")) for font in fonts_of(pdf.reader)}
    assert not [name for name in names if "Oblique" in name], names


@pytest.mark.parametrize(("word", "family"), [
    ("Lighthouse", "EBGaramond"),  # the book face, shipped with the package
    ("Douarnenez", "EBGaramond"),
    ("Смотритель", "EBGaramond"),  # it has Cyrillic
    ("夜明け前の港では", "NotoSerifCJKJP"),  # the Japanese design for a Japanese article
    ("الصيادين", "NotoNaskhArabic"),
])
def test_each_article_is_set_in_a_font_for_its_script(pdf: Built, word: str, family: str) -> None:
    fonts = _page_fonts(_article_page(pdf.reader, squash(word)))
    assert any(name.startswith(family) for name in fonts), fonts
    assert not any(name.startswith("DejaVu") for name in fonts), fonts


def test_a_character_no_font_has_is_one_warning_naming_the_article(tmp_path: Path) -> None:
    shutil.copytree(SCRIPTS, tmp_path / "c")
    with (tmp_path / "c" / "russian.md").open("a", encoding="utf-8") as article:
        article.write("\nОн отмечал бури знаком \ue000 и ещё одним \uf8ff, которых нет ни в одном шрифте.\n")
    built = build(tmp_path / "c" / "collection.yaml", tmp_path / "out")
    about = [w for w in built.warnings if "U+E000" in w or "notdef" in w or "glyph" in w]
    assert len(about) == 1, built.warnings
    assert about[0].startswith("russian.md: ")
    assert "U+E000" in about[0] and "U+F8FF" in about[0] and "2 of its character(s)" in about[0]


def test_the_package_that_would_print_a_character_is_named() -> None:
    assert package_for("あ") == "fonts-noto-cjk"
    assert package_for("漢") == "fonts-noto-cjk"
    assert package_for("ب") == "fonts-noto-core"
    assert package_for("א") == "fonts-noto-core"
    assert package_for("\U0001F9A0") == "fonts-noto-color-emoji"
    assert package_for("\ue000") is None  # private use: no package has it


def test_the_book_face_covers_latin_greek_and_cyrillic_and_no_fallback_is_asked() -> None:
    assert missing_characters("Ωραίο «été» — Жёлтый 1984…") == []


def test_an_article_language_puts_its_design_first() -> None:
    kind = book_type()
    assert family_stack()[0] == kind.family
    for language, family in [("ja", "Noto Serif CJK JP"), ("ja-JP", "Noto Serif CJK JP"), ("ko", "Noto Serif CJK KR"),
                             ("zh", "Noto Serif CJK SC"), ("zh-TW", "Noto Serif CJK TC")]:
        stack = family_stack(language=language)
        assert stack[:2] == [kind.family, family], (language, stack[:3])
    # The manifest's own family goes before the book face.
    assert family_stack(["Gentium"], "ja")[:3] == ["Gentium", kind.family, "Noto Serif CJK JP"]
    # A right-to-left script's face goes before both: its spaces and punctuation are its own.
    for language, family in [("ar", "Noto Naskh Arabic"), ("fa", "Noto Naskh Arabic"), ("he", "Noto Serif Hebrew")]:
        assert family_stack(["Gentium"], language)[:3] == [family, "Gentium", kind.family], language


def test_right_to_left_lines_end_at_the_right_margin_and_indent_on_the_right(pdf: Built) -> None:
    # WeasyPrint ended each justified Arabic line with a word space of the book face, short of the
    # margin, and put a paragraph's indent on its left. Measured in the ink of the drawn page:
    # the attribution's rule spans the text block.
    page = next(index for index, page in enumerate(pdf.reader.pages)
                if "الصيادين" in page.extract_text() and "Contents" not in page.extract_text())
    bands = ink_lines(pdf.path, page)
    rule = next(band for band in bands if band[1] - band[0] <= 2 and band[3] - band[2] > 300)
    byline = next(index for index, band in enumerate(bands) if band[0] > bands[0][1] + 5)
    # The text of each line, not the dots above and below it; between the byline and the rule.
    lines = [band for band in bands[byline + 1:bands.index(rule)] if band[1] - band[0] >= 10]
    assert len(lines) == 5, lines  # two paragraphs, of three lines and two
    indent = 1.2 * 11.5 * 150 / 72  # 1.2em of the body's 11.5pt
    assert [rule[3] - right for _, _, _, right in lines] == pytest.approx([0, 0, 0, indent, 0], abs=2.5)
    assert rule[3] - bands[byline][3] == pytest.approx(0, abs=2.5)  # the byline lines up with the title
    assert rule[3] - bands[0][3] == pytest.approx(0, abs=2.5)


def test_the_faces_ship_with_the_package_under_their_licence() -> None:
    kind = book_type()
    assert len(kind.faces) == 4
    assert {(weight, style) for _, weight, style in kind.faces} == {(400, "normal"), (400, "italic"),
                                                                   (700, "normal"), (700, "italic")}
    for path, _, _ in kind.faces:
        assert path.is_file()
    assert "SIL Open Font License" in (kind.regular.parent / "OFL.txt").read_text(encoding="utf-8")


# ---- EPUB ----------------------------------------------------------------------------------


def test_the_epub_passes_epubcheck(epub: Book, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    subprocess.run(epubcheck_command(epub.path, report), capture_output=True, timeout=300, check=False)
    messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    assert [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")] == []


@pytest.mark.parametrize(("number", "language", "direction"),
                         [(2, "fr", None), (3, "ja", None), (4, "ar", "rtl"), (5, "ru", None)])
def test_each_epub_article_declares_its_language(epub: Book, number: int, language: str,
                                                 direction: str | None) -> None:
    page = epub.page(f"article-{number:02d}.xhtml")
    body = page.find(".//x:div[@class='article-body']", NS)
    title = page.find(".//x:h1", NS)
    for element in (body, title):
        assert element.get("lang") == language
        assert element.get("{http://www.w3.org/XML/1998/namespace}lang") == language
        assert element.get("dir") == direction


def test_the_epub_embeds_the_book_face_cut_to_the_glyphs_it_uses(epub: Book) -> None:
    from io import BytesIO

    from fontTools.ttLib import TTFont

    fonts = [name for name in epub.names if name.startswith("EPUB/fonts/")]
    assert len(fonts) == 4
    css = epub.read("EPUB/css/book.css").decode()
    assert len(re.findall(r"@font-face \{ font-family: \"EB Garamond\"", css)) == 4
    regular = epub.read("EPUB/fonts/EBGaramond-Regular.ttf")
    full = book_type().regular
    assert len(regular) < full.stat().st_size / 4
    cmap = TTFont(BytesIO(regular)).getBestCmap()
    assert {ord(c) for c in "Lighthouseé«»ёС"} <= set(cmap)  # used by the book
    assert not {ord(c) for c in "ßŵЖ"} & set(cmap)  # no text of the book uses them
    manifest = epub.opf.find("opf:manifest/opf:item[@href='fonts/EBGaramond-Regular.ttf']", NS)
    assert manifest is not None and manifest.get("media-type") == "font/ttf"


def test_the_web_editions_contents_keeps_names_without_italic_upright(tmp_path: Path, browser: Any) -> None:
    import datetime as dt

    from browser_helpers import open_file

    from compiler.book.templating import Renderer
    from compiler.builders import BuildContext, builder_for
    from compiler.collection.loading import load_collection
    from compiler.collection.manifest import load_manifest

    shutil.copytree(SCRIPTS, tmp_path / "c")
    collection = load_collection(load_manifest(tmp_path / "c" / "collection.yaml"))
    context = BuildContext(Renderer("html", collection.manifest.root), dt.datetime(2024, 1, 1, tzinfo=dt.UTC), True)
    page = open_file(browser, write_format(builder_for("html"), collection, tmp_path / "out", context)).page
    styles = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.contents-authors')]
        .map(e => [e.textContent, getComputedStyle(e).fontStyle]))""")
    assert styles == {"Ruth Calder": "italic", "Claire Dubois": "italic", "山田花子": "normal", "سمير حداد": "normal",
                      "Анна Петрова": "italic"}
