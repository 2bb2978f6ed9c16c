"""Shared fixtures: books built once per session, EPUBCheck run on them, one headless browser.

A JVM start costs seconds, so each EPUB is built once and checked once; the tests then read
the report and the zip many times.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import launch
from click.testing import CliRunner
from epub_helpers import EXAMPLE, Book, build_epub, epubcheck_command, seed_collection
from shared_data import SEED, shared_file
from workflow_fixtures import WorkflowBuild, write_collection

from compiler.book import templating as render
from compiler.cli import main


@pytest.fixture(scope="session")
def example_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    path, collection, warnings = build_epub(EXAMPLE, tmp_path_factory.mktemp("example"))
    return Book(path, collection, warnings)


@pytest.fixture(scope="session")
def seed_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    seed = shared_file(SEED, "the seed article, built into an EPUB as an acceptance check")
    manifest = seed_collection(tmp_path_factory.mktemp("seed-collection"), seed)
    path, collection, warnings = build_epub(manifest, tmp_path_factory.mktemp("seed-out"))
    return Book(path, collection, warnings)


@pytest.fixture(scope="session")
def shape_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    """The project's article of the seed's shape, built into an EPUB: what seed_book checks, in every clone."""
    manifest = seed_collection(tmp_path_factory.mktemp("shape-collection"))
    path, collection, warnings = build_epub(manifest, tmp_path_factory.mktemp("shape-out"))
    return Book(path, collection, warnings)


@pytest.fixture(scope="session")
def epubcheck_reports(example_book: Book, shape_book: Book, tmp_path_factory: pytest.TempPathFactory,
                      request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    """EPUBCheck's JSON report for each session EPUB (the seed's only when ../shared is there);
    the JVMs run at once."""
    folder = tmp_path_factory.mktemp("epubcheck")
    books = {"example": example_book.path, "shape": shape_book.path}
    if SEED.is_file():  # the acceptance check; test_epubcheck_finds_nothing says when it is absent
        books["seed"] = request.getfixturevalue("seed_book").path
    running = {}
    for name, epub in books.items():
        report = folder / f"{name}.json"
        process = subprocess.Popen(epubcheck_command(epub, report), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        running[name] = (process, report)
    reports = {}
    for name, (process, report) in running.items():
        output, _ = process.communicate(timeout=300)
        assert report.is_file(), f"EPUBCheck wrote no report for {name}: {output.decode(errors='replace')}"
        reports[name] = json.loads(report.read_text(encoding="utf-8"))
    return reports


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test."""
    with launch() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def workflow_build(tmp_path_factory: pytest.TempPathFactory) -> WorkflowBuild:
    """The harbour collection built once in all three formats, with its review report."""
    folder = tmp_path_factory.mktemp("workflow")
    manifest = write_collection(folder / "collection")
    out = folder / "out"
    result = CliRunner().invoke(main, ["build", str(manifest), "-f", "epub", "-f", "pdf", "-f", "html", "-o", str(out)],
                                env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.exit_code == 0, result.output
    return WorkflowBuild(manifest, out, result.stdout, result.stderr)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every template rendered (render.Renderer.render), in order."""
    names: list[str] = []
    real = render.Renderer.render

    def counting(self: render.Renderer, name: str, **context: object) -> str:
        names.append(name)
        return real(self, name, **context)

    monkeypatch.setattr(render.Renderer, "render", counting)
    return names
