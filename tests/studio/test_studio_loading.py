"""The review studio serves its page before the articles are read: the list at once, each row and
the open article's pane as its article is read, the collection-wide checks once all are in; and
nothing it started outlives it.

The first tests run the studio's own application on 127.0.0.1 in this process, with the reading of
one article held back until the test lets it go (so what the page shows meanwhile is certain,
whatever the machine's speed), and drive the page in headless Chromium."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from studio_fixtures import NEWSLETTER, write_studio_collection
from test_no_survivors import marked

from compiler.studio import _listening
from compiler.studio import loading as loading_module
from compiler.studio.app import StudioApp
from compiler.studio.state import Studio

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synth import write_collection

WAIT = 60_000  # ms


@dataclass
class HeldStudio:
    manifest: Path
    url: str
    studio: Studio
    release: threading.Event  # lets the held article be read

    @property
    def text(self) -> str:
        return self.manifest.read_text(encoding="utf-8")


@pytest.fixture
def held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldStudio]:
    """The studio with the third article (lanterns.html) held back until `release` is set."""
    manifest = write_studio_collection(tmp_path / "quay")
    release = threading.Event()
    read_alone = loading_module.normalise_here

    def held_back(path: Path, rules: Any) -> Any:
        if path.name == "lanterns.html":
            assert release.wait(WAIT / 1000), "the test never let the article go"
        return read_alone(path, rules)

    monkeypatch.setattr(loading_module, "normalise_here", held_back)
    studio = Studio(manifest)
    app = StudioApp(studio)
    sock = _listening(0)
    port = sock.getsockname()[1]
    app.listening_on(port)
    studio.start_loading()
    server = uvicorn.Server(uvicorn.Config(app.asgi(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield HeldStudio(manifest, f"http://127.0.0.1:{port}/", studio, release)
    finally:
        release.set()
        server.should_exit = True
        thread.join(timeout=20)
        studio.stop_loading()
        sock.close()


def statuses(page: Any) -> list[str]:
    return page.eval_on_selector_all("tr.article-row", "rows => rows.map(r => r.dataset.status)")


def test_the_list_comes_first_and_fills_in_as_the_articles_are_read(browser: Any, held: HeldStudio) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(held.url)
        # Every article is listed in book order at once, the held one as not read yet.
        assert page.locator("tr.article-row").count() == 3
        page.wait_for_function("() => [...document.querySelectorAll('tr.article-row')]"
                               ".slice(0, 2).every(r => r.dataset.status === 'read')", timeout=WAIT)
        assert statuses(page) == ["read", "read", "pending"]
        assert page.get_attribute("nav.articles", "data-complete") == "false"
        assert page.get_attribute("nav.articles", "data-ready") is not None
        held_row = page.locator('tr.article-row[data-article="3"]')
        assert held_row.locator(".title a").inner_text() == "articles/lanterns.html"  # its path, until read
        assert "reading" in held_row.inner_text()
        first = page.locator('tr.article-row[data-article="1"]')
        assert first.locator(".title a").inner_text() == "Reading the Tide Tables"
        assert first.locator('[data-missing="licence"]').count() == 1

        # The first article can be worked on already: its pane, its blocks, its preview.
        page.wait_for_selector('main#pane[data-status="read"] li.block', timeout=WAIT)
        assert "Read on its own so far" in page.inner_text("main#pane .provisional")
        assert "By Ann Example" in page.inner_text(".preview")
        page.locator("li.block", has_text=NEWSLETTER).locator('button[data-action="toggle"]').click()
        page.wait_for_selector(f'li.block[data-state="kept"]:has-text("{NEWSLETTER[:40]}")', timeout=WAIT)
        assert "keep:\n      - Subscribe to our newsletter" in held.text
        assert NEWSLETTER in page.inner_text(".preview")
        assert held.studio.loaded is None  # still reading: the correction went in before the whole collection

        # A rule for a whole site needs the whole collection: refused until it is in, nothing written.
        token = page.get_attribute('meta[name="studio-token"]', "content")
        note = page.locator("li.block[data-state='removed']").first.get_attribute("data-block")
        refused = httpx.post(held.url + "api/site-rule/preview", json={"article": 1, "block": note},
                             headers={"X-Studio-Token": token})
        assert refused.status_code == 422 and "still reading the articles" in refused.json()["error"][0]

        held.release.set()
        page.wait_for_selector('nav.articles[data-complete="true"]', timeout=WAIT)
        assert statuses(page) == ["checked", "checked", "checked"]
        assert page.locator('tr.article-row[data-article="3"] .title a').inner_text() == "Lanterns on the Breakwater"
        # The open pane follows with the collection's checks, the correction kept.
        page.wait_for_selector('main#pane[data-status="checked"] li.block', timeout=WAIT)
        assert page.locator("main#pane .provisional").count() == 0
        assert page.locator("li.block", has_text=NEWSLETTER).get_attribute("data-state") == "kept"
        assert held.studio.loaded is not None
    finally:
        page.close()


def test_an_article_opened_before_it_is_read_gets_its_pane_when_it_is(browser: Any, held: HeldStudio) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(held.url + "?article=3")
        assert page.get_attribute("main#pane", "data-pending") == "true"
        assert page.locator("main#pane li.block").count() == 0
        assert page.locator('tr.article-row[data-article="3"]').get_attribute("class").split().count("current") == 1
        held.release.set()
        page.wait_for_selector("main#pane li.block", timeout=WAIT)
        assert page.get_attribute("main#pane", "data-pending") is None
        assert page.locator("main#pane h2").inner_text().endswith("Lanterns on the Breakwater")
        assert "Children on the quay" in page.inner_text(".preview")
        assert page.evaluate("window.articleScriptRan") is None
        page.wait_for_selector('nav.articles[data-complete="true"]', timeout=WAIT)
    finally:
        page.close()


def test_an_article_the_page_asks_for_is_read_before_the_others(tmp_path: Path) -> None:
    manifest = write_studio_collection(tmp_path / "quay")
    studio = Studio(manifest)
    studio.wanted.append(studio.manifest.resolve(studio.manifest.entries[2]))
    from compiler.studio.loading import Loader

    loader = Loader(studio)
    order: list[str] = []
    loader.todo = [studio.manifest.resolve(entry) for entry in studio.manifest.entries]
    while (path := loader._next()) is not None:
        order.append(path.name)
    assert order == ["lanterns.html", "tide-tables.md", "net-lofts.md"]


def test_a_cold_start_stopped_by_ctrl_c_leaves_no_worker(tmp_path: Path) -> None:
    """Enough articles for the worker processes; Ctrl-C while (probably) still reading them."""
    manifest = write_collection(tmp_path / "many", 40, words=800)
    value = uuid.uuid4().hex
    env = {**os.environ, "ANTHOLOGY_SURVIVOR_MARK": value}
    process = subprocess.Popen([sys.executable, "-m", "compiler", "review", str(manifest), "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        url = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())
        assert url, process.stderr.read() if process.stderr else ""
        page = httpx.get(url[0], timeout=60)
        assert page.status_code == 200 and page.text.count('class="article-row') == 40
        state = httpx.get(url[0] + "api/states?since=0", timeout=60).json()
        if not state["done"]:
            assert len(marked(value)) >= 2  # the studio and its workers, reading
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and "review studio stopped" in stderr
    assert "Traceback" not in stderr
    assert marked(value) == []


def test_the_studio_s_connections_send_without_nagle_s_delay() -> None:
    """asyncio turns Nagle's algorithm off only on sockets made for IPPROTO_TCP: without it each
    answer (headers, then body, in two writes) waited for the browser's delayed acknowledgement."""
    import socket

    sock = _listening(0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        client = socket.create_connection(sock.getsockname(), timeout=10)
        accepted, _ = sock.accept()
        with client, accepted:
            assert accepted.proto == socket.IPPROTO_TCP  # what asyncio looks at for each connection
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        sock.close()
