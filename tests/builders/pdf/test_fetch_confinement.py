"""Every URL a build asks for is recorded: WeasyPrint is served only files in the collection
folder, the package's templates and data: URLs, and no build of any format makes an HTTP
request, whatever the article names.

The fetcher is wrapped so that each call appends a line to a log file (the PDF builder may lay
pages out in forked worker processes, whose memory the test cannot see, but whose writes it can).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from compiler.builders.pdf.fetcher import ConfinedFetcher
from compiler.cli import main
from compiler.resources import templates_dir

MARKER = b"CONFINEMENT-MARKER-93be"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8cf00000301010018dd8db00000000049454e44ae426082")


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG + MARKER)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Recorder", (_Recorder,), {"requests": requests}))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A log of every URL the confined fetcher is asked for: 'served URL' or 'refused URL'."""
    log = tmp_path / "fetches.log"
    log.touch()
    original = ConfinedFetcher.fetch

    def fetch(self: ConfinedFetcher, url: str, headers: dict[str, str] | None = None) -> object:
        try:
            response = original(self, url, headers)
        except Exception:
            _append(log, f"refused {url}")
            raise
        _append(log, f"served {url}")
        return response

    monkeypatch.setattr(ConfinedFetcher, "fetch", fetch)
    return log


def _append(log: Path, line: str) -> None:
    with log.open("a", encoding="utf-8") as stream:  # one short write: whole lines, even from several workers
        stream.write(line[:500].replace("\n", " ") + "\n")


def hostile_collection(folder: Path, base: str) -> Path:
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "inside.png").write_bytes(PNG)
    outside = folder.parent / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PNG + MARKER)
    (folder / "pics" / "escape.png").symlink_to(outside / "secret.png")
    article = "\n\n".join([
        "# Harbour Pictures", "By Maren Holt", "The Weekly Lantern, March 3, 2022",
        "The reading room on the harbour opened its doors again after a long winter of repairs to its roof.",
        "![The reading room](pics/inside.png)",
        "![Outside by dots](../outside/secret.png)",
        "![Outside by a link](pics/escape.png)",
        f"![Absolute](file://{outside}/secret.png)",
        f"![Remote]({base}/remote.png)",
        f"A [link to the site]({base}/page) and an autolink <{base}/auto>.",
        "Volunteers carried the boxes of books back up the stairs, one shelf at a time, until late evening.",
    ])
    (folder / "one.md").write_text(article + "\n", encoding="utf-8")
    manifest = folder / "collection.yaml"
    manifest.write_text("title: Pictures\noutput: pictures\narticles:\n  - path: one.md\n", encoding="utf-8")
    return manifest


def allowed(url: str, roots: list[Path]) -> bool:
    if url.startswith("data:"):
        return True
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    real = Path(unquote(parts.path)).resolve()
    return any(real.is_relative_to(root.resolve()) for root in roots)


def test_pdf_fetches_only_inside_and_no_format_touches_the_network(
        tmp_path: Path, server: tuple[str, list[str]], recorded: Path) -> None:
    base, requests = server
    manifest = hostile_collection(tmp_path / "c", base)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(manifest), "-o", str(out), "-f", "pdf", "-f", "epub", "-f", "html",
                                       "-q"], env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.exit_code == 0, result.output

    fetches = recorded.read_text(encoding="utf-8").splitlines()
    served = [line.split(" ", 1)[1] for line in fetches if line.startswith("served ")]
    refused = [line.split(" ", 1)[1] for line in fetches if line.startswith("refused ")]
    assert any(url.endswith("/pics/inside.png") for url in served), fetches  # the fetcher really was used
    outside = [url for url in served if not allowed(url, [tmp_path / "c", templates_dir()])]
    assert outside == [], outside
    for name in ("secret.png", "escape.png", "remote.png"):
        assert any(name in url for url in refused), (name, fetches)
    assert requests == [], "a build made HTTP requests"
    for book in out.glob("pictures.*"):
        assert MARKER not in book.read_bytes(), book.name
