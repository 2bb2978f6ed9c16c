"""The seed article (saved from Global Research) through `anthology normalise` and the library.

Expectations were written by reading the seed: its head (title, byline, dateline, original
source, topic lines, three pleas) and tail (note to readers, book advert, source and copyright
lines, site links, disclaimer, fair-use notice, media contact) must leave the body, and the
four paragraphs the scrape cut mid-sentence must be whole again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from shared_data import SEED, shared_file

from compiler.cli import main
from compiler.commands.normalise import article_json

# The whole module is an acceptance check on data the repository does not ship: one line when it is absent.
shared_file(SEED, "the seed article, normalised as an acceptance check "
                  "(test_seed_shape.py checks the same on the project's own article)")

JSON_KEYS = {
    "title", "subtitle", "authors", "date", "publisher", "original_source", "copyright", "licence",
    "language", "subjects", "body_html", "body_text", "removed", "attribution",
}

# Distinctive bits of every block of the promotional head and tail.
HEAD_PHRASES = [
    "Global Research, November",
    "World Socialist Web Site 15",
    "Region:",
    "Middle East & North Africa",
    "Theme:",
    "NATO War Agenda",
    "In-depth Report",
    "Translate Website",
    "51 languages",
    "Daily Newsletter",
    "click here",
    "crg_globalresearch",
]
TAIL_PHRASES = [
    "Note to readers",
    "share buttons",
    "email lists",
    "Crosspost",
    "Mark Taliano",
    "Voices from Syria",
    "ISBN",
    "978-0",
    "Expanded edition",
    "List Price",
    "Special Price",
    "Click to order",
    "original source of this article",
    "Copyright",
    "Facebook page",
    "Become a Member",
    "Articles by",
    "Disclaimer",
    "sole responsibility",
    "cross-post Global Research articles",
    "copyrighted material",
    "fair use",
    "media inquiries",
    "publications@globalresearch.ca",
]
# The scrape cut four paragraphs mid-sentence; each of these spans a cut.
REJOINED = [
    "the “US military drone",
    "saw only a large crowd",
    "Independent Inspector General's office.",
    "committed as the product of",
]
BODY_PARAGRAPHS = 26  # 30 paragraphs between the head and tail of the seed, four of them cut in two


@pytest.fixture(scope="module")
def cli_json(seed_path: Path) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["normalise", str(seed_path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def lib_json(seed_path: Path, normalise_file) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return article_json(normalise_file(seed_path))


@pytest.fixture(scope="module", params=["cli", "library"])
def data(request: pytest.FixtureRequest) -> dict[str, Any]:
    return request.getfixturevalue("cli_json" if request.param == "cli" else "lib_json")


def test_json_has_exactly_the_documented_keys(data: dict[str, Any]) -> None:
    assert set(data) == JSON_KEYS
    for removal in data["removed"]:
        assert set(removal) == {"rule", "text"}


def test_metadata(data: dict[str, Any]) -> None:
    assert data["title"] == "Whistleblowers Expose US-led Coalition Mass Murder of Women, Children in Syria"
    assert data["authors"] == ["Alex Lantier"]
    assert data["date"] == "2021-11-16"
    assert data["publisher"] == "Global Research"
    assert data["original_source"]["name"] == "World Socialist Web Site"
    assert data["original_source"]["date"] == "2021-11-15"
    assert data["copyright"] == "Copyright © Alex Lantier, World Socialist Web Site, 2021"
    assert data["language"] == "en"
    assert data["subtitle"] is None
    assert data["licence"] is None


def test_subjects_come_from_the_topic_lines(data: dict[str, Any]) -> None:
    for subject in ("Middle East & North Africa", "USA", "Intelligence", "Law and Justice", "SYRIA"):
        assert subject in data["subjects"]


def test_body_starts_and_ends_with_the_authors_words(data: dict[str, Any]) -> None:
    assert data["body_text"].startswith("Nearly three years ago")
    assert data["body_text"].endswith("must be prosecuted.")
    assert data["body_html"].startswith("<p>Nearly three years ago")
    assert data["body_html"].endswith("must be prosecuted.</p>")


@pytest.mark.parametrize("phrase", HEAD_PHRASES + TAIL_PHRASES)
def test_no_promotional_block_is_left(data: dict[str, Any], phrase: str) -> None:
    assert phrase.lower() not in data["body_text"].lower()
    assert phrase.lower() not in data["body_html"].lower()


@pytest.mark.parametrize("phrase", REJOINED)
def test_paragraphs_cut_by_the_scrape_are_whole(data: dict[str, Any], phrase: str) -> None:
    paragraphs = data["body_text"].split("\n\n")
    assert any(phrase in paragraph for paragraph in paragraphs), phrase
    html_paragraphs = re.findall(r"<p>.*?</p>", data["body_html"], flags=re.DOTALL)
    plain = [re.sub(r"<[^>]+>", "", p).replace("&quot;", '"') for p in html_paragraphs]
    assert any(phrase in paragraph for paragraph in plain), phrase


def test_paragraph_count(data: dict[str, Any]) -> None:
    assert len(data["body_text"].split("\n\n")) == BODY_PARAGRAPHS
    assert data["body_html"].count("<p>") == BODY_PARAGRAPHS


def test_no_dead_links_or_markdown_left(data: dict[str, Any]) -> None:
    for field in ("body_text", "body_html"):
        assert "](#)" not in data[field]
        assert 'href="#"' not in data[field]
        assert "\\" not in data[field]
    assert "*" not in data["body_text"]
    assert "[" not in data["body_text"]
    assert "<em>Times</em>" in data["body_html"]  # emphasis survives as markup


def test_every_removal_names_a_rule(data: dict[str, Any]) -> None:
    rules = {r["rule"] for r in data["removed"]}
    assert all(re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+", rule) for rule in rules)
    assert {"generic.title", "generic.byline", "globalresearch.dateline", "generic.copyright"} <= rules
    texts = " ".join(r["text"] for r in data["removed"])
    for phrase in ("Translate Website", "Daily Newsletter", "Voices from Syria", "fair use"):
        assert phrase in texts


def test_attribution_names_author_outlets_and_dates(data: dict[str, Any]) -> None:
    note = data["attribution"]
    for part in ("Alex Lantier", "World Socialist Web Site", "15 November 2021", "Global Research", "16 November 2021"):
        assert part in note


def test_text_output_shows_the_removals(seed_path: Path) -> None:
    result = CliRunner().invoke(main, ["normalise", str(seed_path)])
    assert result.exit_code == 0
    first_line = result.stdout.splitlines()[0]
    assert first_line == "Whistleblowers Expose US-led Coalition Mass Murder of Women, Children in Syria"
    assert "[generic.translation-notice]" in result.stdout
