"""Saved HTML pages of three layouts, through `anthology normalise --json` as an editor runs it.

Each fixture in tests/fixtures/html/ was written for these tests; the expectations below come from
what the pages say (their visible text, their meta tags and structured data), not from output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from compiler.cli import main
from compiler.collection.loading import load_article
from compiler.model import BlockKind
from compiler.normalise import rule_set

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "html"


@pytest.fixture(scope="module")
def pages() -> dict[str, dict[str, Any]]:
    """Each page's `normalise --json` output, read once."""
    out = {}
    for name in ("blog", "news", "republisher"):
        result = CliRunner().invoke(main, ["normalise", str(PAGES / f"{name}.html"), "--json"])
        assert result.exit_code == 0, result.output
        out[name] = json.loads(result.stdout)
    return out


def _order(text: str, *phrases: str) -> list[int]:
    positions = [text.find(phrase) for phrase in phrases]
    assert all(p >= 0 for p in positions), [ph for ph, p in zip(phrases, positions, strict=True) if p < 0]
    return positions


def test_blog_keeps_its_body_in_order_with_structure(pages: dict[str, dict[str, Any]]) -> None:
    page = pages["blog"]
    text, html = page["body_text"], page["body_html"]
    positions = _order(text, "For ninety years a painted board", "Reading the board", "Six feet, when",
                       "Old Tamsin Kerr", "The board tells you", "The survey of 1958", "Albert Penhale")
    assert positions == sorted(positions)
    assert "<h2>Reading the board</h2>" in html
    assert "<ul><li>Six feet, when the larger crabbers can cross the bar</li>" in html
    assert "<blockquote><p>The board tells you" in html
    assert "<th>Year</th>" in html and "<td>1953</td>" in html
    assert '<a href="https://saltmarsh-notes.example/tag/sign-writers/">Albert Penhale</a>' in html
    alt = "The painted tide board on the quay wall at half tide"
    assert f'<figure><img src="blog_files/tide-gauge.png" alt="{alt}"/>' in html
    assert "<figcaption>The board at half tide, photographed from the slipway.</figcaption>" in html


def test_blog_furniture_and_comments_are_gone(pages: dict[str, dict[str, Any]]) -> None:
    text = pages["blog"]["body_text"]
    for furniture in ("Recent Posts", "About this blog", "Leave a Reply", "Dennis Rowe", "paint is peeling",
                      "Post navigation", "Proudly powered", "Share this", "Subscribe to our free newsletter",
                      "A blog about the estuary", "Related:"):
        assert furniture not in text, furniture


def test_blog_metadata(pages: dict[str, dict[str, Any]]) -> None:
    page = pages["blog"]
    assert page["title"] == "The Tide Gauge at Pellow Quay"
    assert page["authors"] == ["Maren Tollefsen"]
    assert page["date"] == "2021-09-14"
    assert page["publisher"] == "Saltmarsh Notes"
    assert page["language"] == "en"
    assert page["original_source"] is None
    assert page["attribution"] == (
        "“The Tide Gauge at Pellow Quay” by Maren Tollefsen. First published by Saltmarsh Notes on "
        "14 September 2021. Source: https://saltmarsh-notes.example/2021/09/tide-gauge-pellow-quay/"
    )


def test_news_site_body_and_boxes(pages: dict[str, dict[str, Any]]) -> None:
    page = pages["news"]
    text, html = page["body_text"], page["body_html"]
    positions = _order(text, "The company that runs the car ferries", "Cables under the pier",
                       "First boat delivered", "Islanders who depend")
    assert positions == sorted(positions)
    assert "<ol><li>First boat delivered in spring 2025</li>" in html
    for furniture in ("Breaking:", "Skip to content", "Morning Briefing", "Sign up for our free newsletter",
                      "More from News", "School ferry timetable", "Share this story", "Facebook",
                      "Northport Media Ltd", "Read more:", "please donate", "Pier repairs to cost"):
        assert furniture not in text, furniture
    rules = {removal["rule"] for removal in page["removed"]}
    assert {"generic.related-links", "generic.donation-plea"} <= rules


def test_news_site_metadata(pages: dict[str, dict[str, Any]]) -> None:
    page = pages["news"]
    assert page["title"] == "Ferry Operator Orders Two Battery Boats for the Sound"
    assert page["subtitle"] == "The two vessels are due in 2025."
    assert page["authors"] == ["Oskar Lindqvist", "Priya Raman"]
    assert page["date"] == "2023-03-02"
    assert page["publisher"] == "The Northport Courier"
    assert page["original_source"] is None
    assert "by Oskar Lindqvist and Priya Raman. First published by The Northport Courier on 2 March 2023." in (
        page["attribution"])


def test_republisher_byline_beats_structured_data_and_outlet_is_the_original_source(
        pages: dict[str, dict[str, Any]]) -> None:
    page = pages["republisher"]
    assert page["authors"] == ["Ines Marwick"]  # JSON-LD names the outlet "Valley Ledger" as author
    assert page["original_source"]["name"] == "Valley Ledger"
    assert page["publisher"] == "The Relay Review"
    assert page["licence"] == "Creative Commons BY-NC-ND 4.0"
    assert page["date"] == "2022-10-18"
    assert page["attribution"].startswith(
        "“Why the Orchard Co-op Pays Its Pickers by the Hour” by Ines Marwick. First published by Valley Ledger. "
        "Republished by The Relay Review on 18 October 2022. Licence: Creative Commons BY-NC-ND 4.0."
    )


def test_republisher_boilerplate_is_gone(pages: dict[str, dict[str, Any]]) -> None:
    text = pages["republisher"]["body_text"]
    assert text.startswith("When the apple growers of the upper valley")
    assert text.endswith("eight of the last ten years.")
    for furniture in ("October 18, 2022", "reader-supported", "originally published", "licensed under",
                      "writes about farming", "Most read", "non-profit newsroom", "Donate"):
        assert furniture not in text, furniture


def hostile_page(folder: Path, base: str = "http://127.0.0.1:9", other: str = "http://localhost:9") -> Path:
    """The hostile fixture with its addresses filled in (a closed port: nothing may be fetched anyway)."""
    text = (PAGES / "hostile.html").read_text(encoding="utf-8")
    path = folder / "hostile.html"
    path.write_text(text.replace("{BASE}", base).replace("{OTHER}", other), encoding="utf-8")
    return path


def test_every_block_is_well_formed_xhtml(tmp_path: Path) -> None:
    rules = rule_set()
    paths = [PAGES / f"{name}.html" for name in ("blog", "news", "republisher")] + [hostile_page(tmp_path)]
    for path in paths:
        article = load_article(path, rules)
        for block in article.blocks:
            element = etree.fromstring(block.html)  # raises on anything that is not well-formed XML
            assert element.tag == {BlockKind.PARAGRAPH: "p", BlockKind.HEADING: f"h{block.level}",
                                   BlockKind.LIST: element.tag, BlockKind.BLOCKQUOTE: "blockquote",
                                   BlockKind.FIGURE: "figure", BlockKind.TABLE: "table"}.get(block.kind, element.tag)


HOSTILE_MARKERS = ("HOSTILE_", "script", "onerror", "onclick", "onload", "javascript:", "style=", "iframe",
                   "<form", "<input", "<object", "/etc/passwd", "file:", "<base", "<meta", "<link", "refresh",
                   "@import", "tracker.png", "127.0.0.1", "localhost", "<svg")


def test_hostile_page_keeps_its_words_and_none_of_its_attacks(tmp_path: Path) -> None:
    article = load_article(hostile_page(tmp_path), rule_set())
    html = article.body_html
    for marker in HOSTILE_MARKERS:
        assert marker.lower() not in html.lower(), marker
    assert article.meta.authors == ["Ruth Okafor"]
    assert "a lost tourist" in article.body_text and "the sailing stayed in the timetable" in article.body_text
    assert "drawing pin.</p>" in html  # the tracking image is gone, the sentence intact
