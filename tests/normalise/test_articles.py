"""The project's own articles (tests/fixtures/articles/): other years' Global Research
boilerplate, Mondialisation.ca in French, and outlets that only the generic pack knows.

Each expectation is read off the article file by hand.
"""

from __future__ import annotations

import re

import pytest

from compiler.commands.normalise import article_json
from compiler.model import Article


@pytest.fixture(scope="module")
def load(normalise_file, article_path):  # type: ignore[no-untyped-def]
    cache: dict[str, Article] = {}

    def get(name: str) -> Article:
        if name not in cache:
            cache[name] = normalise_file(article_path(name))
        return cache[name]

    return get


def rules_of(article: Article) -> list[str]:
    return [removal.rule for removal in article.removed]


def assert_gone(article: Article, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase.lower() not in article.body_text.lower(), phrase
        assert phrase.lower() not in article.body_html.lower(), phrase


def assert_kept(article: Article, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase in article.body_text, phrase


# --- Global Research, 2019: "Translate Website" button, two authors, free-book advert ------------


def test_2019_two_authors_and_original_outlet(load) -> None:  # type: ignore[no-untyped-def]
    data = article_json(load("gr_2019_translate_button.md"))
    assert data["title"] == "The Quiet Privatisation of Europe's Rural Water Boards"
    assert data["authors"] == ["Halvard Brekke", "Priya Raman"]
    assert data["date"] == "2019-03-04"
    assert data["publisher"] == "Global Research"
    assert data["original_source"] == {"name": "Counterpoint Review", "date": "2019-03-02", "url": None}
    assert data["copyright"] == "Copyright © Halvard Brekke and Priya Raman, Counterpoint Review, 2019"
    assert data["subjects"] == ["Europe", "Global Economy", "Environment"]
    assert data["language"] == "en"


def test_2019_boilerplate_removed(load) -> None:  # type: ignore[no-untyped-def]
    article = load("gr_2019_translate_button.md")
    assert article.body_text.startswith("Across the farming valleys")
    assert article.body_text.endswith("whether to follow them.")
    assert_gone(
        article,
        "27 languages", "below the author", "share button", "email/forward", "Note to readers",
        "Crosspost", "Free Copy", "Commons Under Siege", "freely available", "Click here to download",
        "original source", "Copyright", "Facebook page", "Become a Member", "Articles by", "Disclaimer",
        "fair use", "media inquiries",
    )
    for rule in ("generic.translation-notice", "generic.share-prompt", "generic.note-to-readers",
                 "generic.product-advert", "globalresearch.member-plea", "generic.fair-use"):
        assert rule in rules_of(article)


def test_2019_structure_survives(load) -> None:  # type: ignore[no-untyped-def]
    article = load("gr_2019_translate_button.md")
    html = article.body_html
    assert "<h2>How the consolidation works</h2>" in html
    assert "<h2>What the tariffs show</h2>" in html
    assert re.search(r"<ul>\s*<li>the debts are transferred", html)
    assert html.count("<li>") == 3
    assert re.search(r"<blockquote>\s*<p>We were told it was the only way", html)
    # the bullet list does not swallow or get swallowed by the paragraph before it
    assert "three features recur in almost every case we examined:</p>" in html.lower()


# --- Global Research, 2022: the site is the original publisher, non-ASCII name -------------------


def test_2022_site_is_original_publisher(load) -> None:  # type: ignore[no-untyped-def]
    data = article_json(load("gr_2022_original_publisher.md"))
    assert data["authors"] == ["Zoë Ångström-Núñez"]
    assert data["date"] == "2022-08-09"
    assert data["publisher"] == "Global Research"
    assert data["original_source"] is None
    assert data["copyright"] == "Copyright © Zoë Ångström-Núñez, Global Research, 2022"
    assert "First published by Global Research on 9 August 2022" in data["attribution"]
    assert "Republished" not in data["attribution"]


def test_2022_pleas_removed(load) -> None:  # type: ignore[no-untyped-def]
    article = load("gr_2022_original_publisher.md")
    assert_gone(
        article,
        "Wants to Hear From You", "Visit and follow us", "Instagram, Twitter and Telegram",
        "reader-funded", "recurring donation", "Click the share button", "Featured image", "Photo by the author",
        "Articles by", "Disclaimer",
    )
    assert "generic.image-credit" in rules_of(article)
    assert "generic.donation-plea" in rules_of(article)


def test_body_sentences_about_newsletters_instagram_and_notes_to_readers_are_kept(load) -> None:  # type: ignore[no-untyped-def]
    article = load("gr_2022_original_publisher.md")
    assert article.body_text.startswith("When the port authority of Vilanova sent its quarterly newsletter")
    assert_kept(
        article,
        "In a note to readers published last spring",
        "The cooperative keeps an Instagram account",
        "posting their landings on Instagram and hoping that somebody at the ministry follows the account.",
    )
    assert len(article.blocks) == 5


# --- no byline ------------------------------------------------------------------------------------


def test_no_byline(load) -> None:  # type: ignore[no-untyped-def]
    article = load("gr_no_byline.md")
    data = article_json(article)
    assert data["title"] == "Parliament Extends Emergency Powers for a Fourth Time"
    assert data["authors"] == []
    assert data["date"] == "2021-01-12"
    assert data["publisher"] == "Global Research"
    assert data["original_source"] is None
    assert data["subjects"] == ["Law and Justice", "Police State & Civil Rights", "CIVIL LIBERTIES"]
    assert article.body_text.startswith("The national assembly voted on Tuesday")
    assert article.body_text.endswith("against any threat to public health.")
    assert len(article.blocks) == 4
    assert_gone(article, "Daily Newsletter", "click here", "Facebook", "Disclaimer")
    assert data["attribution"].startswith("“Parliament Extends Emergency Powers for a Fourth Time”.")


# --- Mondialisation.ca, in French -----------------------------------------------------------------


def test_french_article(load) -> None:  # type: ignore[no-untyped-def]
    article = load("mondialisation_fr.md")
    data = article_json(article)
    assert data["title"] == "Les cantines scolaires face à la hausse des prix alimentaires"
    assert data["authors"] == ["Élise Marchand-Lefèvre"]
    assert data["date"] == "2021-11-16"
    assert data["publisher"] == "Mondialisation.ca"
    assert data["original_source"] is None
    assert data["copyright"] == "Copyright © Élise Marchand-Lefèvre, Mondialisation.ca, 2021"
    assert data["language"] == "fr"
    assert data["subjects"] == ["Europe", "Économie", "Pauvreté et inégalités sociales"]
    assert article.body_text.startswith("Dans les communes rurales")
    assert article.body_text.endswith("lors de la crise de 2008.")
    assert "<h2>Des menus revus à la baisse</h2>" in article.body_html
    assert_gone(
        article,
        "Région", "lettre d’information", "cliquez ici", "Suivez-nous", "source originale", "Articles Par",
        "non-responsabilité", "accorde la permission", "utilisation équitable", "Contact média",
    )
    assert "globalresearch" in article.sites


# --- outlets that only the generic pack knows -----------------------------------------------------


def test_other_outlet_english(load) -> None:  # type: ignore[no-untyped-def]
    article = load("other_outlet_en.md")
    data = article_json(article)
    assert article.sites == ["generic"]
    assert data["title"] == "Inside the Tenants' Union That Beat a Landlord Giant"
    assert data["authors"] == ["Jane Okafor", "Rahul Mehta"]
    assert data["date"] == "2022-03-03"
    assert data["publisher"] == "The Harbour Ledger"
    assert data["original_source"] is None
    assert data["copyright"] == "© 2022 The Harbour Ledger"
    assert data["licence"] is not None and "Creative Commons Attribution 4.0" in data["licence"]
    assert data["subjects"] == ["housing", "labour", "organising"]
    assert article.body_text.startswith("For three winters the heating")
    assert article.body_text.endswith("and the rent freeze holds.")
    html = article.body_html
    assert "<h2>What the tenants asked for</h2>" in html
    assert "<ol>" in html and html.count("<li>") == 3
    assert re.search(r"<blockquote>\s*<p>The reports said the boilers", html)
    assert_gone(article, "Sign up", "newsletter", "Related:", "1970s", "donate", "Creative Commons", "©")


def test_other_outlet_spanish(load) -> None:  # type: ignore[no-untyped-def]
    article = load("other_outlet_es.md")
    data = article_json(article)
    assert article.sites == ["generic"]
    assert data["title"] == "El puerto que nadie quiere dragar"
    assert data["authors"] == ["María José Peña", "Tomás Ibarra"]
    assert data["date"] == "2022-03-15"
    assert data["publisher"] is None
    assert data["language"] == "es"
    assert data["copyright"] == "© 2022 El Faro Cívico. Todos los derechos reservados."
    assert data["subjects"] == ["puertos", "medio ambiente", "economía local"]
    assert article.body_text.startswith("Desde hace seis años")
    assert article.body_text.endswith("sigue sin barcos.")
    assert len(article.blocks) == 3
    assert_gone(article, "Publicado", "Etiquetas", "boletín", "Síguenos", "Comparte", "donación", "derechos")


# --- all of them ------------------------------------------------------------------------------------

ALL = [
    "gr_2019_translate_button.md", "gr_2022_original_publisher.md", "gr_no_byline.md",
    "gr_republished_split.md",  # the seed's shape: tests/normalise/test_seed_shape.py
    "mondialisation_fr.md", "other_outlet_en.md", "other_outlet_es.md",
]


@pytest.mark.parametrize("name", ALL)
def test_no_dead_links_dividers_or_escapes(load, name: str) -> None:  # type: ignore[no-untyped-def]
    article = load(name)
    for text in (article.body_text, article.body_html):
        assert "](#)" not in text and 'href="#"' not in text and "\\" not in text
    assert "<hr" not in article.body_html  # the page's dividers are layout, not the article's


def test_every_fixture_is_listed(article_path) -> None:  # type: ignore[no-untyped-def]
    folder = article_path(ALL[0]).parent
    assert sorted(p.name for p in folder.glob("*.md")) == sorted(ALL)
