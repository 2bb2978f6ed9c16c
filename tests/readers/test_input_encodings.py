"""Encodings are detected, not assumed; mojibake is repaired; language and foreign-language dates are read.

Every text here is written for the test and encoded at test time, so each case states its bytes.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from compiler.collection.loading import load_article
from compiler.normalise import rule_set

FRENCH = ("Le maire a annoncé hier que la fête du village aurait lieu à la mi-août, malgré les réserves "
          "émises par le comité des fêtes, qui craint la pluie et le manque de bénévoles cette année.")
GERMAN = ("Die Bürgermeisterin hat gestern angekündigt, dass das Straßenfest im Spätsommer stattfindet, "
          "obwohl der Verein über zu wenige Helfer und die hohen Kosten für die Bühne klagt.")
SPANISH = ("El alcalde anunció ayer que la fiesta del pueblo se celebrará a mediados de agosto, pese a las "
           "reservas de la comisión, que teme la lluvia y la falta de voluntarios este año. ¿Quién pagará?")


def _markdown(title: str, byline: str, body: str) -> str:
    second = ("Les habitants attendent la décision du conseil depuis le printemps, "
              "et la plupart disent qu’ils viendront.")
    return f"{title}\n\n{byline}\n\n{body}\n\n{second}\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_markdown_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    text = _markdown("La fête du village", "Par Jeanne Morel, le 3 mars 2022", FRENCH)
    if encoding == "latin-1":
        text = text.replace("’", "'")  # Latin-1 has no curly apostrophe
    path = tmp_path / "article.md"
    path.write_bytes(text.encode(encoding))
    if encoding == "utf-16":
        assert path.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    article = load_article(path, rule_set())
    assert article.meta.title == "La fête du village"
    assert FRENCH in article.body_text
    assert article.meta.authors == ["Jeanne Morel"]
    assert article.meta.date is not None and article.meta.date.isoformat() == "2022-03-03"
    assert article.meta.language == "fr"


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    broken = FRENCH.encode("utf-8").decode("cp1252")  # UTF-8 read as Windows-1252 before it was saved
    assert "fÃªte" in broken
    path = tmp_path / "article.md"
    path.write_text(_markdown("Fête", "By Jeanne Morel", broken), encoding="utf-8")
    assert FRENCH in load_article(path, rule_set()).body_text


def _page(lang_attr: str, charset_meta: str, byline: str, body: str, extra_head: str = "") -> str:
    return (f"<!DOCTYPE html><html{lang_attr}><head>{charset_meta}<title>Une fête</title>{extra_head}</head><body>"
            f"<article><h1>Une fête</h1><p class=\"byline\">{byline}</p><p>{body}</p><p>{body}</p></article>"
            "</body></html>")


HtmlCase = tuple[str, str, str, str, str, str]
CASES: list[HtmlCase] = [
    # (encoding, lang attribute, charset meta, byline, body, expected date)
    ("cp1252", ' lang="fr-FR"', '<meta charset="windows-1252">', "Par Jeanne Morel, le 3 mars 2022", FRENCH,
     "2022-03-03"),
    ("latin-1", ' lang="de"', '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
     "Von Karl Huber, 16. November 2021", GERMAN, "2021-11-16"),
    ("cp1252", "", "", "Por Lucía Ferrer, 15 de marzo de 2022", SPANISH, "2022-03-15"),  # nothing declared
    ("utf-16", "", "", "Par Jeanne Morel, le 1er mai 2020", FRENCH, "2020-05-01"),
]


@pytest.mark.parametrize("case", CASES, ids=["cp1252-declared", "latin1-declared", "cp1252-detected", "utf16-bom"])
def test_html_pages_decode_and_read_language_and_byline_date(tmp_path: Path, case: HtmlCase) -> None:
    encoding, lang_attr, meta, byline, body, date = case
    path = tmp_path / "page.html"
    path.write_bytes(_page(lang_attr, meta, byline, body).encode(encoding))
    article = load_article(path, rule_set())
    assert body in article.body_text
    assert article.meta.date is not None and article.meta.date.isoformat() == date
    expected_language = {FRENCH: "fr", GERMAN: "de", SPANISH: "es"}[body]
    assert article.meta.language == expected_language  # from lang=, else detected from the text
    assert len(article.meta.authors) == 1 and article.meta.authors[0] in byline


def test_og_locale_gives_the_language(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    html = _page("", '<meta charset="utf-8">', "Por Lucía Ferrer", SPANISH,
                 extra_head='<meta property="og:locale" content="es_ES">')
    path.write_text(html, encoding="utf-8")
    assert load_article(path, rule_set()).meta.language == "es"


def test_a_page_declaring_the_wrong_charset_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page("", '<meta charset="utf-8">', "Par Jeanne Morel", FRENCH).encode("cp1252"))
    assert FRENCH in load_article(path, rule_set()).body_text



def test_a_utf8_page_with_one_stray_byte_is_read_as_utf8(tmp_path: Path) -> None:
    """One Windows-1252 byte pasted into a UTF-8 page does not make the whole page another charset."""
    html = (f'<html lang="de"><head><meta charset="utf-8"><title>Das Straßenfest</title></head><body><article>'
            f"<h1>Das Straßenfest</h1><p>{GERMAN}</p><p>{GERMAN}</p><p>Preis: 5 EUR</p></article></body></html>")
    data = html.encode("utf-8").replace(b"5 EUR", b"5 \x80")  # a euro sign in Windows-1252
    path = tmp_path / "page.html"
    path.write_bytes(data)
    article = load_article(path, rule_set())
    assert "Die Bürgermeisterin hat gestern angekündigt, dass das Straßenfest" in article.body_text


def test_a_windows_1252_file_with_few_accents_stays_windows_1252(tmp_path: Path) -> None:
    text = _markdown("A village fête", "By Jeanne Morel, 3 March 2022",
                     "The mayor said the fête would go ahead in August despite the committee's worries about rain.")
    path = tmp_path / "article.md"
    path.write_bytes(text.encode("cp1252"))
    assert load_article(path, rule_set()).meta.title == "A village fête"
