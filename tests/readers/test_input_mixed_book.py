"""A collection mixing a Markdown scrape, saved HTML pages and URL sources served on 127.0.0.1.

The book is built once online (EPUB and PDF), checked by EPUBCheck, then rebuilt with --offline
from the HTTP cache alone: the books must be byte-identical and the server must see no request
beyond the listed pages and their own images. Hostile markup reaches neither book.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result
from epub_helpers import epubcheck_command
from input_server import Resource, Server, serve
from PIL import Image

from compiler.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
SERVED = FIXTURES.parent / "served"  # a scrape and a page written for this test
SCRAPE = (SERVED / "dock-scrape.md").read_text(encoding="utf-8")
HARBOUR_PAGE = (SERVED / "harbour.html").read_text(encoding="utf-8")
EPOCH = "1700000000"
MARKERS = ["HOSTILE_", "onerror", "onclick", "javascript:", "iframe", "/etc/passwd", "root:x:0:0", "script-beacon",
           "imported-sheet", "linked-sheet", "refresh-target", "framed-page", "form-target", "object-data",
           "pixel.gif", "tracker.png"]


@dataclass
class Built:
    folder: Path
    server: Server
    first: Result
    second: Result
    requests_after_first: list[str]

    def book(self, run: str, suffix: str) -> bytes:
        return (self.folder / run / f"harbour-reader{suffix}").read_bytes()


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(out, format="PNG")
    return out.getvalue()


def _write_collection(folder: Path, base: str, other: str) -> Path:
    (folder / "pics").mkdir(parents=True)
    (folder / "scrape.md").write_text(SCRAPE, encoding="utf-8")
    (folder / "pics" / "dock.png").write_bytes(_png(80, 50))
    shutil.copytree(FIXTURES, folder / "saved", ignore=shutil.ignore_patterns("hostile.html"))
    hostile = (FIXTURES / "hostile.html").read_text(encoding="utf-8").replace("{BASE}", base).replace("{OTHER}", other)
    (folder / "saved" / "hostile.html").write_text(hostile, encoding="utf-8")
    manifest = folder / "collection.yaml"
    manifest.write_text(
        "title: Harbour Reader\neditors: [Test Editor]\npublisher: Test Press\nlanguage: en\noutput: harbour-reader\n"
        "sections:\n"
        "  - title: Saved\n    articles:\n      - path: scrape.md\n      - path: saved/blog.html\n"
        "      - path: saved/republisher.html\n      - path: saved/hostile.html\n"
        f"  - title: Fetched\n    articles:\n      - url: {base}/articles/harbour\n"
        f"      - url: {base}/articles/night-ferry\n",
        encoding="utf-8",
    )
    return manifest


def _resources(base: str, other: str) -> dict[str, Resource]:
    hostile = (FIXTURES / "hostile.html").read_text(encoding="utf-8").replace("{BASE}", base).replace("{OTHER}", other)
    return {
        "/articles/harbour": Resource(HARBOUR_PAGE.replace("{OTHER}", other).encode("cp1252"),
                                      content_type="text/html; charset=windows-1252", etag='"harbour-1"'),
        "/articles/night-ferry": Resource(hostile.encode("utf-8"), etag='"ferry-1"'),
        "/media/dredger.png": Resource(_png(2400, 1200), content_type="image/png", etag='"dredger-1"'),
    }


def _build(manifest: Path, out: Path, *extra: str) -> Result:
    return CliRunner().invoke(main, ["build", str(manifest), "-f", "epub", "-f", "pdf", "-o", str(out), "-q", *extra],
                              env={"SOURCE_DATE_EPOCH": EPOCH})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    folder = tmp_path_factory.mktemp("mixed")
    resources: dict[str, Resource] = {}
    with serve(resources) as server:
        other = server.base.replace("127.0.0.1", "localhost")  # another host name: its images are not fetched
        resources.update(_resources(server.base, other))
        manifest = _write_collection(folder / "collection", server.base, other)
        first = _build(manifest, folder / "online")
        requests_after_first = server.paths()
        second = _build(manifest, folder / "offline", "--offline")
        yield Built(folder, server, first, second, requests_after_first)


def test_both_builds_succeed(built: Built) -> None:
    assert built.first.exit_code == 0, built.first.output
    assert built.second.exit_code == 0, built.second.output


def test_only_the_listed_pages_and_their_own_images_are_fetched(built: Built) -> None:
    assert sorted(built.requests_after_first) == ["/articles/harbour", "/articles/night-ferry", "/media/dredger.png"]
    assert all("anthology/" in r.headers.get("user-agent", "") for r in built.server.requests)
    assert built.server.paths() == built.requests_after_first, "the --offline build made requests"


def test_offline_rebuild_is_byte_identical(built: Built) -> None:
    for suffix in (".epub", ".pdf"):
        assert built.book("online", suffix) == built.book("offline", suffix), suffix


def test_epubcheck_finds_no_errors_and_no_warnings(built: Built, tmp_path: Path) -> None:
    epub = built.folder / "online" / "harbour-reader.epub"
    report = tmp_path / "report.json"
    subprocess.run(epubcheck_command(epub, report), capture_output=True, timeout=300)
    messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    serious = [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert serious == [], serious


def _epub_texts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_images_are_embedded_with_alt_text_and_captions_and_scaled(built: Built) -> None:
    entries = _epub_texts(built.book("online", ".epub"))
    images = {name: data for name, data in entries.items() if name.endswith(".png") and "cover" not in name}
    assert len(images) == 3, sorted(images)  # the scrape's, the saved blog's, the fetched page's
    sizes = sorted(Image.open(io.BytesIO(data)).size for data in images.values())
    assert sizes == [(64, 40), (80, 50), (1600, 800)]  # the 2400-pixel photograph scaled down
    pages = b"".join(data for name, data in entries.items() if name.endswith(".xhtml")).decode("utf-8")
    for alt in ("The empty fish market at dawn", "The painted tide board on the quay wall at half tide",
                "The dredger at anchor off the breakwater"):
        assert f'alt="{alt}"' in pages, alt
    assert "<figcaption>The dredger at anchor, seen from the breakwater.</figcaption>" in pages
    assert "<figcaption>The board at half tide, photographed from the slipway.</figcaption>" in pages


def test_a_missing_image_is_a_warning_naming_the_article(built: Built) -> None:
    warnings = [line for line in built.first.stderr.splitlines() if "missing.png" in line]
    assert warnings and all("scrape.md" in line for line in warnings), built.first.stderr
    pages = b"".join(_epub_texts(built.book("online", ".epub")).values()).decode("utf-8", errors="replace")
    # Left out of the book: no placeholder line where it stood.
    assert "A photograph that was never saved" not in pages and "[Image" not in pages


def test_the_fetched_pages_are_read_and_credited(built: Built) -> None:
    pages = b"".join(_epub_texts(built.book("online", ".epub")).values()).decode("utf-8", errors="replace")
    assert "Fishermen have complained for months" in pages  # decoded from Windows-1252 as the header said
    assert "Tomasz Wierzbicki" in pages and "Estuary Weekly" in pages
    assert "A seal in the marina" not in pages and "Most read" not in pages


def test_no_hostile_markup_reaches_either_book(built: Built) -> None:
    entries = _epub_texts(built.book("online", ".epub"))
    for name, data in entries.items():
        text = data.decode("utf-8", errors="replace")
        for marker in MARKERS:
            assert marker not in text, (name, marker)
    reader = pypdf.PdfReader(io.BytesIO(built.book("online", ".pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "the sailing stayed in the timetable" in text.replace("\n", " ")
    for marker in MARKERS:
        assert marker not in text, marker
    assert not reader.attachments
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})


def test_offline_names_a_url_missing_from_the_cache(tmp_path: Path) -> None:
    with serve({}) as server:
        manifest = tmp_path / "collection.yaml"
        url = f"{server.base}/never-fetched"
        manifest.write_text(f"title: T\narticles:\n  - url: {url}\n", encoding="utf-8")
        result = CliRunner().invoke(main, ["check", str(manifest), "--offline", "--no-epubcheck"])
        assert server.requests == []
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:") and url in line]
    assert errors and "not in the cache" in errors[0] and "--offline" in errors[0]
