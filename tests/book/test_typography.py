"""The typography pass: each language's quotes, apostrophes, dashes, ellipses and spaces, on the
book's copy of the articles, never inside code, URLs or markup; twice is the same as once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.book.typography import typeset_html, typeset_text
from compiler.book.view import book_view
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest

NNBSP, NBSP = "\u202f", "\u00a0"

# (language, as typed, as a book sets it): sentences written for these tests.
CASES = [
    ("en", 'She said "the tide is turning" and left.', "She said “the tide is turning” and left."),
    ("en", "The keeper's log and the boys' boats", "The keeper’s log and the boys’ boats"),
    ("en", "He called it 'the long watch' in his notes.", "He called it ‘the long watch’ in his notes."),
    ("en", "The pier -- rebuilt twice -- still stands.", "The pier—rebuilt twice—still stands."),
    ("en", "Oak, then concrete - then nothing.", "Oak, then concrete—then nothing."),
    ("en", "We waited... and waited.", "We waited… and waited."),
    ("en", "'Tis the season of '90s rock 'n' roll.", "’Tis the season of ’90s rock ’n’ roll."),
    ("en", "A well-known pre- and post-war pier, 1990-2000.", "A well-known pre- and post-war pier, 1990-2000."),
    ("en", '"Stay," she said, "until the boats come in."', "“Stay,” she said, “until the boats come in.”"),
    ("fr", "Le port s'éveille avant l'aube : les chalutiers rentrent.",
     f"Le port s’éveille avant l’aube{NBSP}: les chalutiers rentrent."),
    ("fr", "« Nous avons toujours vendu ici », dit-elle.", f"«{NNBSP}Nous avons toujours vendu ici{NNBSP}», dit-elle."),
    ("fr", 'Elle répond "jamais" sans hésiter.', f"Elle répond «{NNBSP}jamais{NNBSP}» sans hésiter."),
    ("fr", "Qui s'en souvient encore ? Personne ; sauf elle!",
     f"Qui s’en souvient encore{NNBSP}? Personne{NNBSP}; sauf elle{NNBSP}!"),
    ("fr", "Le marché ouvre à 10:30 -- pas avant.", "Le marché ouvre à 10:30 – pas avant."),
    ("de", 'Er sagte "Guten Morgen" und ging.', "Er sagte „Guten Morgen“ und ging."),
    ("de", "Sie nannte es 'den Winter' - ohne Zweifel.", "Sie nannte es ‚den Winter‘ – ohne Zweifel."),
    ("es", 'Dijo "buenos días" al pescador.', "Dijo «buenos días» al pescador."),
    ("ru", 'Он сказал "доброе утро" - и ушёл...', "Он сказал «доброе утро» – и ушёл…"),
    ("ja", '彼女は"おはよう"と言った。', "彼女は“おはよう”と言った。"),
]


@pytest.mark.parametrize(("language", "typed", "expected"), CASES)
def test_each_language_is_set_by_its_own_rules(language: str, typed: str, expected: str) -> None:
    assert typeset_text(typed, language) == expected


@pytest.mark.parametrize(("language", "typed", "expected"), CASES)
def test_twice_is_the_same_as_once(language: str, typed: str, expected: str) -> None:
    assert typeset_text(expected, language) == expected


@given(st.text(alphabet="ab '\"-.:;!?«»\u202f\u00a0é1<>/", max_size=40), st.sampled_from(["en", "fr", "de", "ja"]))
def test_twice_is_the_same_as_once_for_any_text(text: str, language: str) -> None:
    once = typeset_text(text, language)
    assert typeset_text(once, language) == once


def test_code_urls_and_markup_are_left_as_typed() -> None:
    html = ('<p>Run <code>echo "it\'s" -- done...</code> then see https://example.org/a"b--c... and '
            '&lt;a href="x"&gt; as "text".</p>')
    assert typeset_html(html, "en") == (
        '<p>Run <code>echo "it\'s" -- done...</code> then see https://example.org/a"b--c... and '
        '&lt;a href="x"&gt; as “text”.</p>')
    pre = '<pre>x = "a" -- y...</pre>'
    assert typeset_html(pre, "fr") == pre


def test_attributes_are_never_changed_and_quotes_span_inline_markup() -> None:
    html = '<p>The "<em>Harbour</em>" <a href="https://example.org/?q=\'a\'">keeper\'s</a> note</p>'
    assert typeset_html(html, "en") == ('<p>The “<em>Harbour</em>” <a href="https://example.org/?q=\'a\'">keeper’s</a>'
                                        " note</p>")


def test_an_element_in_another_language_gets_that_language() -> None:
    html = '<p>He quoted <span lang="fr">"Qui vive ?"</span> and "left".</p>'
    french = f"«{NNBSP}Qui vive{NNBSP}?{NNBSP}»"
    assert typeset_html(html, "en") == f'<p>He quoted <span lang="fr">{french}</span> and “left”.</p>'


def _write(folder: Path, extra: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "quai.md").write_text(
        "# Le quai d'hiver\n\nPar Claire Dubois\n\n"
        "Le port s'éveille : « Nous avons toujours vendu ici », dit-elle ; qui s'en souvient ?\n\n"
        "Le code `a = \"b\"` reste tel quel.\n", encoding="utf-8")
    (folder / "pier.md").write_text(
        "# The Keeper's Pier\n\nBy Ann Whitcombe\n\n"
        'The keeper said "the pier will outlast us" -- and it did...\n', encoding="utf-8")
    manifest = folder / "collection.yaml"
    manifest.write_text("title: Quays\nsubtitle: The water's edge -- in two languages\neditors: [Ed]\n"
                        "rights: \"'Quays' (c) the editors\"\ncolophon: Set by the editors...\n"
                        "language: en\narticles:\n"
                        "  - path: pier.md\n  - path: quai.md\n    language: fr\n" + extra, encoding="utf-8")
    return manifest


def test_the_book_view_typesets_each_article_in_its_language(tmp_path: Path) -> None:
    collection = load_collection(load_manifest(_write(tmp_path / "c")))
    pier, quai = book_view(collection, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)).articles
    assert pier.title == "The Keeper’s Pier"
    assert "The keeper said “the pier will outlast us”—and it did…" in pier.body
    assert quai.title == "Le quai d’hiver"
    assert f"Le port s’éveille{NBSP}: «{NNBSP}Nous avons toujours vendu ici{NNBSP}», dit-elle{NNBSP};" in quai.body
    assert "<code>a = &quot;b&quot;</code>" in quai.body
    # The normalised article itself is not changed: only the book's copy.
    assert collection.articles[0].meta.title == "The Keeper's Pier"


def test_the_editors_words_are_typeset_in_the_books_language(tmp_path: Path) -> None:
    collection = load_collection(load_manifest(_write(tmp_path / "c")))
    book = book_view(collection, dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert book.subtitle == "The water’s edge—in two languages"
    assert book.rights == "‘Quays’ (c) the editors"
    assert book.colophon == "Set by the editors…"
    off = load_collection(load_manifest(_write(tmp_path / "off", "typography: false\n")))
    assert book_view(off, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)).subtitle == "The water's edge -- in two languages"


def test_the_manifest_can_turn_it_off(tmp_path: Path) -> None:
    collection = load_collection(load_manifest(_write(tmp_path / "c", "typography: false\n")))
    pier, quai = book_view(collection, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)).articles
    assert pier.title == "The Keeper's Pier"
    assert "The keeper said &quot;the pier will outlast us&quot; -- and it did..." in pier.body
    assert "« Nous" in quai.body
