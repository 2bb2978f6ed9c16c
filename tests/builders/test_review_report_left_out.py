"""The review report of a collection with a saved page: what extraction left out, shown in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import OpenedPage, open_file
from click.testing import CliRunner

from compiler.cli import main
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "html" / "split-body.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("left-out")
    (folder / "articles").mkdir()
    shutil.copy(PAGE, folder / "articles" / "ferries.html")
    (folder / "collection.yaml").write_text(
        "title: Quay Notes\neditors: [Ida Editor]\noutput: quay\ndistribution: private\n"
        "articles:\n  - path: articles/ferries.html\n", encoding="utf-8")
    command = ["build", str(folder / "collection.yaml"), "-f", "epub", "-o", str(folder / "out")]
    result = CliRunner().invoke(main, command, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def report(built: Path, browser: Any) -> OpenedPage:
    return open_file(browser, built / "out" / "quay.report.html")


def test_left_out_text_is_shown_in_place_as_left_out_by_extraction(report: OpenedPage) -> None:
    page = report.page
    boxes = page.locator("#a01 .body details.left-out")
    labels = [text.strip() for text in boxes.locator(".left-out-label").all_inner_texts()]
    assert labels and set(labels) == {"left out by extraction"}
    # in reading order: the menu before the headline's paragraphs, the advert between the halves
    sequence = page.eval_on_selector_all(
        "#a01 .body > div.kept, #a01 .body > details.left-out",
        "nodes => nodes.map(n => (n.tagName === 'DETAILS' ? 'LEFT: ' : '') + n.innerText.trim())")
    menu = next(i for i, s in enumerate(sequence) if s.startswith("LEFT:") and "Home News Sport Letters" in s)
    advert = next(i for i, s in enumerate(sequence) if s.startswith("LEFT:") and "Advertisement" in s)
    third = next(i for i, s in enumerate(sequence) if s.startswith("Under the new arrangement"))
    fourth = next(i for i, s in enumerate(sequence) if s.startswith("The operator's manager"))
    assert menu < third < advert < fourth
    # a short run is open, so the words can be read without a click; struck through like removals
    assert boxes.nth(0).get_attribute("open") is not None
    assert page.locator("#a01 details.left-out del.removal-text").first.is_visible()


def test_left_out_words_are_counted_in_the_summary_and_the_article_line(built: Path, report: OpenedPage) -> None:
    article = load_collection(load_manifest(built / "collection.yaml")).articles[0]
    left = sum(len(r.text.split()) for r in article.removed if r.kind == "left-out")
    assert left > 0 and article.words_removed >= left
    summary = report.page.inner_text('.summary td[data-key="words-removed"]').strip()
    assert summary == f"{article.words_removed:,}"
    line = report.page.inner_text("#a01 .article-file")
    assert f"{article.words_removed} removed ({left} of them left out by extraction)" in line
