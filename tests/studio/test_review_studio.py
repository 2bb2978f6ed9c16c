"""The review studio (`anthology review`), run as the command and driven in headless Chromium:
corrections reach the collection file (comments kept) and the books; bad values and foreign
requests change nothing; an article's script never runs."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pypdf
import pytest
from studio_fixtures import LOFT_BODY, NEWSLETTER, SITE_NOTE, TIDE_BODY, write_studio_collection

START_TIMEOUT = 60


@dataclass
class RunningStudio:
    manifest: Path
    process: subprocess.Popen[str]
    url: str

    @property
    def text(self) -> str:
        return self.manifest.read_text(encoding="utf-8")


def start_studio(manifest: Path) -> RunningStudio:
    process = subprocess.Popen([sys.executable, "-m", "compiler", "review", str(manifest), "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        process.kill()
        pytest.fail(f"the studio printed no address: {line!r} {process.communicate()[1]}")
    return RunningStudio(manifest, process, found[0])


def stop_studio(studio: RunningStudio) -> tuple[int, str]:
    studio.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    _, stderr = studio.process.communicate(timeout=20)
    return studio.process.returncode, stderr


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[RunningStudio]:
    running = start_studio(write_studio_collection(tmp_path / "quay"))
    yield running
    if running.process.poll() is None:
        stop_studio(running)


def open_checked(page: Any, url: str) -> None:
    """Open the studio's page and wait until every article is read and the open one's pane has
    the collection-wide checks (the page fills in as the studio reads the articles)."""
    page.goto(url)
    page.wait_for_selector('nav.articles[data-complete="true"]', timeout=START_TIMEOUT * 1000)
    page.wait_for_selector('main#pane[data-status="checked"] section.article', timeout=START_TIMEOUT * 1000)


@pytest.fixture
def page(browser: Any, studio: RunningStudio) -> Iterator[Any]:
    opened = browser.new_page(viewport={"width": 1440, "height": 900})
    open_checked(opened, studio.url)
    yield opened
    opened.close()


def block(page: Any, text: str) -> Any:
    return page.locator("li.block", has_text=text)


def wait_state(page: Any, text: str, state: str) -> None:
    page.wait_for_selector(f'li.block[data-state="{state}"]:has-text("{text[:40]}")')


def test_the_page_shows_every_article_its_blocks_and_its_fields(page: Any) -> None:
    rows = page.locator("tr.article-row")
    assert rows.count() == 3
    assert rows.nth(0).locator(".title a").inner_text() == "Reading the Tide Tables"
    assert rows.nth(0).locator('[data-missing="licence"]').count() == 1  # the second entry gives one
    assert rows.nth(1).locator('[data-missing="licence"]').count() == 0
    assert rows.nth(2).locator('[data-missing="date"]').count() == 1  # the saved page says no date
    states = page.eval_on_selector_all("li.block", "items => items.map(i => [i.dataset.block, i.dataset.state])")
    assert [state for _, state in states] == ["removed"] * 4 + ["kept"] * 5
    assert len({ident for ident, _ in states}) == len(states)  # ids are unique
    assert block(page, NEWSLETTER).get_attribute("data-rule") == "generic.newsletter"
    assert page.locator('li.block button[data-action="toggle"]').count() == len(states)
    assert page.input_value('input[name="title"]') == "Reading the Tide Tables"
    assert page.input_value('input[name="authors"]') == "Ann Example"
    assert page.input_value('input[name="date"]') == "2024-03-03"
    preview = page.inner_text(".preview")
    assert "By Ann Example" in preview and TIDE_BODY[0][:50] in preview and NEWSLETTER not in preview
    assert "First published by The Quayside Courier on 3 March 2024" in preview  # the attribution note


def assert_comments_kept(text: str) -> None:
    for line in ("# Quay Notes: the review studio's test collection.", "editors: [Ida Editor]   # the book's editor",
                 "  # Two essays from the Quayside Courier.", "  - path: articles/net-lofts.md  # saved a week later"):
        assert line in text


def test_the_preview_shows_the_article_s_own_image_and_nothing_from_elsewhere(page: Any, studio: RunningStudio) -> None:
    image = page.locator(".preview img")
    assert image.get_attribute("alt") == "A hand-drawn tide chart"
    assert page.evaluate("document.querySelector('.preview img').naturalWidth") == 40
    source = image.get_attribute("src")
    assert source.startswith("/image/")
    assert httpx.get(studio.url.rstrip("/") + source).content == (studio.manifest.parent / "articles" /
                                                                  "tide-chart.png").read_bytes()
    for path in ("image/tide-chart.png", "image/..%2Fcollection.yaml", "static/..%2F..%2Fcollection.yaml",
                 "static/page.html"):
        assert httpx.get(studio.url + path).status_code == 404


def book_texts(folder: Path) -> tuple[str, str]:
    epub = next(folder.glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        pages = " ".join(archive.read(name).decode() for name in archive.namelist() if name.endswith(".xhtml"))
    pdf = pypdf.PdfReader(io.BytesIO(next(folder.glob("*.pdf")).read_bytes()))
    return " ".join(pages.split()), " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def test_restoring_and_removing_blocks_reach_the_manifest_and_both_books(page: Any, studio: RunningStudio) -> None:
    block(page, NEWSLETTER).locator('button[data-action="toggle"]').click()
    wait_state(page, NEWSLETTER, "kept")
    assert "Kept by the editor" in block(page, NEWSLETTER).inner_text()
    block(page, TIDE_BODY[1]).locator('button[data-action="toggle"]').click()
    wait_state(page, TIDE_BODY[1], "removed")
    text = studio.text
    assert re.search(r"  - path: articles/tide-tables\.md\n    keep:\n      - Subscribe to our newsletter", text)
    assert "    drop:\n      - Nobody remembers who first wrote the tables" in text
    assert_comments_kept(text)
    assert page.inner_text(".preview").count("Subscribe to our newsletter") == 1
    assert "Nobody remembers" not in page.inner_text(".preview")

    page.uncheck('input[name="format"][value="epub"]')
    page.check('input[name="format"][value="epub"]')
    page.click('button[data-action="build"]')
    page.wait_for_selector(".status.saved:has-text('Built')", timeout=180_000)
    log = page.inner_text("#build-log")
    assert "Built " in log or "built" in log.lower()
    epub_text, pdf_text = book_texts(studio.manifest.parent / "out")
    for book in (epub_text, pdf_text):
        assert "Subscribe to our newsletter for weekly news" in book
        assert "Nobody remembers who first wrote" not in book
        assert "Visitors photograph the window" in book


def test_editing_author_and_date_updates_the_preview_and_the_manifest(page: Any, studio: RunningStudio) -> None:
    page.fill('input[name="authors"]', "Ann Example, Cy Second")
    page.press('input[name="authors"]', "Tab")
    page.wait_for_selector(".preview .byline:has-text('Cy Second')")
    assert "By Ann Example and Cy Second" in " ".join(page.inner_text(".preview .byline").split())
    page.fill('input[name="date"]', "2024-04-01")
    page.press('input[name="date"]', "Tab")
    page.wait_for_selector(".preview .attribution:has-text('1 April 2024')")
    text = studio.text
    entry = ("  - path: articles/tide-tables.md\n    authors:\n      - Ann Example\n      - Cy Second\n"
             "    date: 2024-04-01\n")
    assert entry in text
    assert_comments_kept(text)


def test_an_impossible_date_writes_nothing_and_shows_the_cli_error(page: Any, studio: RunningStudio) -> None:
    before = studio.text
    page.fill('input[name="date"]', "2023-02-30")
    page.press('input[name="date"]', "Tab")
    page.wait_for_selector(".status.error")
    shown = page.inner_text(".status")
    resolved = studio.manifest.resolve()
    assert shown == (f"error: {resolved}:8: articles[0].date: '2023-02-30' is not a date: day is out of range "
                     "for month")
    assert studio.text == before


def test_a_request_without_the_token_is_refused(page: Any, studio: RunningStudio) -> None:
    before = studio.text
    version = page.get_attribute('meta[name="studio-version"]', "content")
    ident = block(page, NEWSLETTER).get_attribute("data-block")
    body = {"version": version, "article": 1, "block": ident}
    for headers in ({}, {"X-Studio-Token": "guessed"}):
        answer = httpx.post(studio.url + "api/toggle", json=body, headers=headers)
        assert answer.status_code == 403
    named = httpx.post(studio.url + "api/field", json={**body, "key": "title", "value": "Pwned"},
                       headers={"X-Studio-Token": page.get_attribute('meta[name="studio-token"]', "content"),
                                "Host": "attacker.example"})
    assert named.status_code == 421  # a page of another site rebinding its name to 127.0.0.1
    assert studio.text == before


def test_a_file_edited_meanwhile_is_reloaded_not_overwritten(page: Any, studio: RunningStudio) -> None:
    studio.manifest.write_text(studio.text.replace("title: Quay Notes", "title: Quay Notes, Revised"),
                               encoding="utf-8")
    page.fill('input[name="subtitle"]', "A subtitle typed after the edit")
    with page.expect_navigation():
        page.press('input[name="subtitle"]', "Tab")
    assert "Quay Notes, Revised" in page.inner_text("header h1")
    assert "A subtitle typed" not in studio.text and "title: Quay Notes, Revised" in studio.text


def test_a_site_rule_removes_the_same_block_from_the_other_article(page: Any, studio: RunningStudio) -> None:
    block(page, SITE_NOTE).locator('button[data-action="toggle"]').click()
    wait_state(page, SITE_NOTE, "removed")
    assert block(page, SITE_NOTE).get_attribute("data-rule") == "manifest.drop"
    block(page, SITE_NOTE).locator('button[data-action="site-rule"]').click()
    page.wait_for_selector(".site-rule")
    listed = page.locator(".site-rule li")
    assert sorted(listed.evaluate_all("items => items.map(i => i.dataset.article)")) == ["1", "2"]
    page.click('.site-rule button[data-action="save-rule"]')
    page.wait_for_selector(f'li.block[data-rule^="the-quayside-courier."]:has-text("{SITE_NOTE}")')
    pack = studio.manifest.parent / "rules" / "the-quayside-courier.yaml"
    assert pack.is_file()
    text = studio.text
    assert "rules:\n  packs:\n    - rules/the-quayside-courier.yaml\n" in text
    assert "drop:" not in text  # the rule does the snippet's work now
    page.click('tr.article-row[data-article="2"] a')
    note = block(page, SITE_NOTE)
    assert note.get_attribute("data-state") == "removed"
    assert note.get_attribute("data-rule").startswith("the-quayside-courier.")
    assert SITE_NOTE not in page.inner_text(".preview") and LOFT_BODY[0][:40] in page.inner_text(".preview")


def test_an_article_script_never_runs(page: Any, studio: RunningStudio) -> None:
    page.click('tr.article-row[data-article="3"] a')
    page.wait_for_selector(".preview .article-title:has-text('Lanterns on the Breakwater')")
    assert "Children on the quay" in page.inner_text(".preview")
    assert page.evaluate("window.articleScriptRan") is None
    assert page.title() == "Review: Quay Notes"
    assert page.locator("main script, main [onclick], main [onerror]").count() == 0
    page.click("main li.block >> nth=1")  # the paragraph that carried onclick
    assert page.evaluate("window.articleScriptRan") is None


def test_ctrl_c_stops_the_studio_cleanly(tmp_path: Path) -> None:
    running = start_studio(write_studio_collection(tmp_path / "quay"))
    assert httpx.get(running.url).status_code == 200
    started = time.monotonic()
    code, stderr = stop_studio(running)
    assert code == 0 and "review studio stopped" in stderr
    assert time.monotonic() - started < 10
    with pytest.raises(httpx.ConnectError):
        httpx.get(running.url)


def test_the_build_button_builds_the_chosen_formats_with_the_cli_summary(page: Any, studio: RunningStudio) -> None:
    page.uncheck('input[name="format"][value="epub"]')
    page.uncheck('input[name="format"][value="pdf"]')
    page.check('input[name="format"][value="html"]')
    page.click('button[data-action="build"]')
    page.wait_for_selector(".status.saved:has-text('Built html')", timeout=120_000)
    out = studio.manifest.parent / "out"
    assert sorted(path.name for path in out.iterdir()) == ["quay.html", "quay.report.html"]
    log = page.inner_text("#build-log").splitlines()
    summary = next(i for i, line in enumerate(log) if line.startswith("Built Quay Notes in "))
    assert log[summary + 1].split() == ["articles", "3"]
    assert any(line.strip().startswith(str(out / "quay.html")) for line in log[summary:])


def test_near_duplicates_and_missing_facts_are_flagged_in_the_list(browser: Any, tmp_path: Path) -> None:
    from workflow_fixtures import write_collection

    running = start_studio(write_collection(tmp_path / "harbour"))
    opened = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        open_checked(opened, running.url)
        rows = opened.locator("tr.article-row")
        flags = rows.evaluate_all("rows => rows.map(r => [...r.querySelectorAll('.flag')].map(f => f.textContent))")
        assert ["near-duplicate" in row for row in flags] == [True, True, False]  # the post and the weekly
        assert "no author" in flags[2] and "no date" in flags[2]  # the orphan
        assert "no licence" not in flags[0]  # the post carries its CC licence
    finally:
        opened.close()
        stop_studio(running)


def test_a_missing_collection_or_a_busy_port_is_one_line_and_an_exit_code(tmp_path: Path,
                                                                          studio: RunningStudio) -> None:
    missing = subprocess.run([sys.executable, "-m", "compiler", "review", str(tmp_path / "none.yaml"), "--no-browser"],
                             capture_output=True, text=True, timeout=60)
    assert (missing.returncode, missing.stderr) == (4, f"error: {tmp_path / 'none.yaml'}: collection file not found\n")
    port = studio.url.rsplit(":", 1)[1].strip("/")
    busy = subprocess.run([sys.executable, "-m", "compiler", "review", str(studio.manifest), "--no-browser",
                           "--port", port], capture_output=True, text=True, timeout=60)
    assert busy.returncode == 1
    assert busy.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use; give another --port\n"


def test_the_preview_is_set_in_the_book_face(page: Any, studio: RunningStudio) -> None:
    # The face the books use, loaded by the page (its Content-Security-Policy lets fonts come from the studio).
    family = page.evaluate("getComputedStyle(document.querySelector('.preview')).fontFamily")
    assert family.startswith('"EB Garamond"')
    page.evaluate("document.fonts.load('16px \"EB Garamond\"')")
    assert page.evaluate("document.fonts.check('16px \"EB Garamond\"')")
    font = httpx.get(studio.url + "font/EBGaramond-Regular.ttf")
    assert font.status_code == 200 and font.content[:4] == b"\x00\x01\x00\x00"  # a TrueType file
    assert httpx.get(studio.url + "font/fonts.yaml").status_code == 404  # only the faces' files
