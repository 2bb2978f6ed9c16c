"""An article of the seed's shape, written for the project (tests/fixtures/articles/gr_republished_split.md),
through `anthology normalise` and the library: so a clone without ../shared still tests what the seed
tests (tests/normalise/test_seed.py) — a promotional head and tail, byline and dateline, an
original-source line, paragraphs the scrape cut mid-sentence, dead links."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.commands.normalise import article_json

NAME = "gr_republished_split.md"
HEAD_PHRASES = ["Global Research, March", "Northshore Weekly 2 March", "Region:", "Theme:",
                "Coastal Industries Dossier", "In-depth Report", "Translate Website", "40 languages",
                "weekly newsletter", "click here", "northshore_archive"]
TAIL_PHRASES = ["Note to readers", "share buttons", "email lists", "Crosspost", "The Ebb and the Mill", "ISBN",
                "978-1", "Second printing", "List Price", "Special Price", "Click to order",
                "original source of this article", "Copyright", "Facebook page", "Become a Member", "Articles by",
                "Disclaimer", "sole responsibility", "copyrighted material", "fair use", "media inquiries",
                "press@northshore.example"]
# Four paragraphs the "scrape" cut in two; each phrase spans a cut.
REJOINED = ["how the money was moved", "before it came to rest", "told that the transfers were routine",
            "when it would otherwise adjourn"]
BODY_PARAGRAPHS = 8  # twelve lines of text between head and tail, four of them cut in two


@pytest.fixture(scope="module", params=["cli", "library"])
def data(request: pytest.FixtureRequest, article_path: Callable[[str], Path],
         normalise_file: Callable[[Path], Any]) -> dict[str, Any]:
    path = article_path(NAME)
    if request.param == "library":
        return article_json(normalise_file(path))
    result = CliRunner().invoke(main, ["normalise", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_metadata_comes_from_the_byline_dateline_and_source_lines(data: dict[str, Any]) -> None:
    assert data["title"] == "Tidal Mill Workers Win Back Their Pensions After a Decade in Court"
    assert data["authors"] == ["Maren Holm"]
    assert data["date"] == "2020-03-03"
    assert data["publisher"] == "Global Research"
    assert data["original_source"]["name"] == "Northshore Weekly"
    assert data["original_source"]["date"] == "2020-03-02"
    assert data["copyright"] == "Copyright © Maren Holm, Northshore Weekly, 2020"
    assert data["language"] == "en"
    for subject in ("Europe", "Labour", "Law and Justice", "Coastal Industries Dossier", "TIDAL MILLS"):
        assert subject in data["subjects"]


def test_body_starts_and_ends_with_the_authors_words(data: dict[str, Any]) -> None:
    assert data["body_text"].startswith("For eleven years")
    assert data["body_text"].endswith("as it does every year.")
    assert data["body_html"].startswith("<p>For eleven years")
    assert data["body_html"].endswith("as it does every year.</p>")


@pytest.mark.parametrize("phrase", HEAD_PHRASES + TAIL_PHRASES)
def test_no_promotional_block_is_left(data: dict[str, Any], phrase: str) -> None:
    assert phrase.lower() not in data["body_text"].lower()
    assert phrase.lower() not in data["body_html"].lower()


@pytest.mark.parametrize("phrase", REJOINED)
def test_paragraphs_cut_mid_sentence_are_whole(data: dict[str, Any], phrase: str) -> None:
    assert any(phrase in paragraph for paragraph in data["body_text"].split("\n\n")), phrase
    plain = [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>.*?</p>", data["body_html"], flags=re.DOTALL)]
    assert any(phrase in paragraph for paragraph in plain), phrase


def test_paragraph_count(data: dict[str, Any]) -> None:
    assert len(data["body_text"].split("\n\n")) == BODY_PARAGRAPHS
    assert data["body_html"].count("<p>") == BODY_PARAGRAPHS


def test_dead_links_are_unwrapped_and_emphasis_kept(data: dict[str, Any]) -> None:
    for field in ("body_text", "body_html"):
        assert "](#)" not in data[field]
        assert 'href="#"' not in data[field]
    assert "held almost nothing." in data["body_text"]
    assert "<em>Ledger</em>" in data["body_html"]
    assert "*" not in data["body_text"]


def test_every_removal_names_its_rule(data: dict[str, Any]) -> None:
    rules = {r["rule"] for r in data["removed"]}
    assert {"generic.title", "generic.byline", "globalresearch.dateline", "globalresearch.original-source",
            "generic.copyright", "generic.product-advert", "generic.fair-use", "generic.media-contact"} <= rules
    texts = " ".join(r["text"] for r in data["removed"])
    for phrase in ("Translate Website", "weekly newsletter", "The Ebb and the Mill", "fair use"):
        assert phrase in texts


def test_attribution_names_author_outlets_and_dates(data: dict[str, Any]) -> None:
    for part in ("Maren Holm", "Northshore Weekly", "2 March 2020", "Global Research", "3 March 2020"):
        assert part in data["attribution"]
