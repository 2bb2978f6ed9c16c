"""One headless Chromium for the whole test session, driven by Playwright.

The browser is Debian's chromium (never a Playwright download, which this machine cannot
fetch). Pages are opened with every request recorded, so a test can prove a page loads nothing
but itself.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
INSTALL = "apt-get update && apt-get install -y chromium; pip install '.[test]' (for playwright)"


@contextmanager
def launch() -> Iterator[Any]:
    executable = CHROMIUM if CHROMIUM.is_file() else shutil.which("chromium")
    if not executable:
        pytest.fail(f"Chromium is needed for the browser tests: {INSTALL}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Playwright for Python is needed for the browser tests: {INSTALL}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OpenedPage:
    page: Any  # playwright Page
    requests: list[str] = field(default_factory=list)


def open_file(browser: Any, path: Path, width: int = 1100) -> OpenedPage:
    page = browser.new_page(viewport={"width": width, "height": 900})
    opened = OpenedPage(page)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.goto(path.resolve().as_uri())
    return opened
