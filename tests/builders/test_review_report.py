"""The review report, opened in headless Chromium: summary, metadata, notes, removals in place."""

from __future__ import annotations

from typing import Any

import pypdf
import pytest
from browser_helpers import OpenedPage, open_file
from workflow_fixtures import HARBOUR_BODY, ORPHAN, WorkflowBuild

from compiler.book.attribution import attribution_text
from compiler.collection.loading import Collection, load_collection
from compiler.collection.manifest import load_manifest

# The boilerplate written into each page of workflow_fixtures, top to bottom, by the rule that
# should take it out; the body paragraphs stand between the first four and the rest.
POST_HEAD = ["generic.title", "generic.byline", "generic.dateline", "generic.newsletter"]
POST_TAIL = ["generic.share-prompt", "generic.licence", "generic.copyright"]
WEEKLY_HEAD = ["generic.title", "generic.byline", "generic.dateline", "generic.donation-plea"]
WEEKLY_TAIL = ["generic.social-follow", "generic.copyright"]


@pytest.fixture(scope="module")
def report(workflow_build: WorkflowBuild, browser: Any) -> OpenedPage:
    return open_file(browser, workflow_build.file(".report.html"))


@pytest.fixture(scope="module")
def collection(workflow_build: WorkflowBuild) -> Collection:
    return load_collection(load_manifest(workflow_build.manifest))


def words(text: str) -> int:
    return len(text.split())


def summary_value(report: OpenedPage, key: str) -> str:
    return report.page.inner_text(f'.summary td[data-key="{key}"]').strip()


def test_report_is_written_beside_the_books_and_loads_nothing(workflow_build: WorkflowBuild,
                                                              report: OpenedPage) -> None:
    html = workflow_build.file(".report.html").read_text(encoding="utf-8")
    for tag in ("<script", "<link", "<img", "<iframe", "@import"):
        assert tag not in html
    assert report.requests == [workflow_build.file(".report.html").resolve().as_uri()]


def test_summary_counts_come_from_the_articles_and_the_pdf(workflow_build: WorkflowBuild,
                                                           report: OpenedPage) -> None:
    kept = 2 * sum(map(words, HARBOUR_BODY)) + words(ORPHAN.split("\n\n", 1)[1])
    assert summary_value(report, "articles") == "3"
    assert summary_value(report, "words-kept") == f"{kept:,}"
    assert summary_value(report, "pages") == str(len(pypdf.PdfReader(workflow_build.file(".pdf")).pages))
    # The orphan has no author and no date; the weekly is a near-duplicate of the post.
    assert summary_value(report, "warnings") == "3"
    assert summary_value(report, "build-time").endswith(" s")


def body_sequence(report: OpenedPage, article_id: str) -> list[str]:
    """'kept' or the rule id of each item of an article's body, in page order."""
    return report.page.eval_on_selector_all(
        f"#{article_id} .body > div",
        "items => items.map(d => d.classList.contains('kept') ? 'kept' : d.dataset.rule)",
    )


def test_removals_stand_in_place_between_the_kept_paragraphs(report: OpenedPage) -> None:
    kept = ["kept"] * len(HARBOUR_BODY)
    assert body_sequence(report, "a01") == POST_HEAD + kept + POST_TAIL
    assert body_sequence(report, "a02") == WEEKLY_HEAD + kept + WEEKLY_TAIL
    first_kept = report.page.inner_text("#a01 .body > div.kept")
    assert " ".join(first_kept.split()) == HARBOUR_BODY[0]


def test_every_removed_block_is_struck_through_with_its_rule_and_reason(report: OpenedPage,
                                                                        collection: Collection) -> None:
    shown = report.page.eval_on_selector_all(
        ".removal",
        """items => items.map(d => ({
            rule: d.dataset.rule,
            label: d.querySelector('.rule-id').innerText,
            reason: d.querySelector('.reason').innerText,
            text: d.querySelector('.removal-text').innerText,
            line: getComputedStyle(d.querySelector('.removal-text')).textDecorationLine,
        }))""",
    )
    removals = [removal for article in collection.articles for removal in article.removed]
    assert len(shown) == len(removals) == len(POST_HEAD + POST_TAIL + WEEKLY_HEAD + WEEKLY_TAIL) + 1
    for item, removal in zip(shown, removals, strict=True):
        assert item["rule"] == item["label"] == removal.rule
        assert item["reason"] == removal.reason
        assert " ".join(item["text"].split()) == removal.text
        assert "line-through" in item["line"]
    kept_lines = report.page.eval_on_selector_all(
        ".kept", "items => items.map(d => getComputedStyle(d.firstElementChild).textDecorationLine)"
    )
    assert kept_lines and all("line-through" not in line for line in kept_lines)


def test_missing_metadata_is_flagged_and_present_metadata_shown(report: OpenedPage) -> None:
    rows = report.page.eval_on_selector_all(
        "#a03 .metadata tr", "rows => rows.map(r => [r.querySelector('th').innerText, r.className])"
    )
    missing = [label for label, kind in rows if kind == "missing"]
    assert missing == ["Authors", "Date", "Publisher", "Licence"]
    post = dict(report.page.eval_on_selector_all(
        "#a01 .metadata tr", "rows => rows.map(r => [r.querySelector('th').innerText, r.querySelector('td').innerText])"
    ))
    assert post["Authors"] == "Maren Holt" and post["Date"] == "2 May 2023"
    assert post["Licence"] == "Creative Commons CC BY 4.0"


def test_attribution_note_is_shown_as_printed(report: OpenedPage, collection: Collection) -> None:
    for number, article in enumerate(collection.articles, start=1):
        shown = report.page.inner_text(f"#a{number:02d} .note-as-printed .attribution-text")
        assert " ".join(shown.split()) == attribution_text(article.meta)


def test_findings_are_listed_under_their_article(report: OpenedPage) -> None:
    codes = report.page.eval_on_selector_all("#a02 .finding", "items => items.map(i => i.dataset.code)")
    assert "near-duplicate" in codes
    orphan = report.page.eval_on_selector_all("#a03 .finding-warning", "items => items.map(i => i.dataset.code)")
    assert orphan == ["no-author", "no-date"]
