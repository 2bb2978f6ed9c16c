"""Shared fixtures: the example and seed EPUBs built once per session, and EPUBCheck run on them.

A JVM start costs seconds, so each EPUB is built once and checked once; the tests then read
the report and the zip many times.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from epub_helpers import EXAMPLE, SEED, Book, build_epub, epubcheck_command, seed_collection


@pytest.fixture(scope="session")
def example_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    path, collection, warnings = build_epub(EXAMPLE, tmp_path_factory.mktemp("example"))
    return Book(path, collection, warnings)


@pytest.fixture(scope="session")
def seed_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    if not SEED.is_file():
        pytest.fail(f"seed article not found at {SEED}: tests need ../shared/seeds beside the repo")
    manifest = seed_collection(tmp_path_factory.mktemp("seed-collection"))
    path, collection, warnings = build_epub(manifest, tmp_path_factory.mktemp("seed-out"))
    return Book(path, collection, warnings)


@pytest.fixture(scope="session")
def epubcheck_reports(example_book: Book, seed_book: Book,
                      tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """EPUBCheck's JSON report for each session EPUB; both JVMs run at once."""
    folder = tmp_path_factory.mktemp("epubcheck")
    books = {"example": example_book.path, "seed": seed_book.path}
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
