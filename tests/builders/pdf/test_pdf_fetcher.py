"""Untrusted article markup cannot make the PDF read outside the collection or use the network."""

from __future__ import annotations

import base64
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from pdf_fixtures import Built, build_collection, decoded_streams, write_flat
from weasyprint.urls import URLFetcherResponse

from compiler.builders.pdf.builder import local_image_sources
from compiler.builders.pdf.fetcher import ConfinedFetcher, RefusedURL
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.model import Article, ArticleMeta, Block, BlockKind

MARKER = b"OUTSIDE-MARKER-5c1e9a"
# A 1x1 PNG, so an image that is allowed really renders.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A collection folder, and beside it an outside folder holding marked files."""
    tmp_path = tmp_path_factory.mktemp("fetch")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(MARKER)
    (outside / "secret.png").write_bytes(PNG + MARKER)
    (outside / "secret.css").write_bytes(b"body { color: red } /* " + MARKER + b" */")
    root = tmp_path / "collection"
    (root / "img").mkdir(parents=True)
    (root / "img/inside.png").write_bytes(PNG)
    (root / "img/link.png").symlink_to(outside / "secret.png")
    return root, outside


def fetcher_for(root: Path) -> tuple[ConfinedFetcher, list[str]]:
    warnings: list[str] = []
    return ConfinedFetcher([root], warnings.append), warnings


def test_fetcher_serves_files_inside_the_folder_and_data_urls(folders: tuple[Path, Path]) -> None:
    root, _ = folders
    fetcher, warnings = fetcher_for(root)
    response = fetcher.fetch((root / "img/inside.png").as_uri())
    assert isinstance(response, URLFetcherResponse)
    assert response.read() == PNG
    assert response.content_type == "image/png"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert warnings == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "{root}/../outside/secret.txt",
        "{root}/img/../../outside/secret.txt",
        "{root}/img/link.png",  # a symlink inside pointing outside
        "{root}/img/missing.png",
        "file://otherhost{root}/img/inside.png",
        "http://127.0.0.1:9/x.css",
        "https://example.invalid/x.png",
        "ftp://example.invalid/x",
    ],
)
def test_fetcher_refuses_everything_else_with_a_warning(folders: tuple[Path, Path], url: str) -> None:
    root, _ = folders
    fetcher, warnings = fetcher_for(root)
    url = url.format(root=root.as_uri() if url.startswith("{root}") else str(root))
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert len(warnings) == 1 and url in warnings[0], warnings


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def http_server() -> Iterator[tuple[str, list[str]]]:
    requests: ClassVar[list[str]] = []
    handler = type("Recorder", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def hostile_markup(base: str, outside: Path) -> list[str]:
    return [
        '<p>Hostile <link rel="attachment" href="file:///etc/passwd"/> markup.</p>',
        f'<p><link rel="attachment" href="{outside.as_uri()}/secret.txt"/>Attach.</p>',
        '<p><a rel="attachment" href="../outside/secret.txt">an annotated attachment</a></p>',
        '<p><a rel="attachment" href="img/inside.png">an inside attachment</a></p>',
        '<figure><img src="../outside/secret.png" alt="dot-dot"/></figure>',
        '<figure><img src="img/link.png" alt="symlink"/></figure>',
        f'<figure><img src="{outside.as_uri()}/secret.png" alt="absolute"/></figure>',
        f'<p><link rel="stylesheet" href="{base}/x.css"/><img src="{base}/y.png" alt="remote"/></p>',
        f'<p><style>@import url("{base}/imported.css"); @import url("../outside/secret.css");</style>Styled.</p>',
        '<p style="colr: red">A typo in a style attribute.</p>',
        '<figure><img src="img/inside.png" alt="allowed"/></figure>',
    ]


@pytest.fixture(scope="module")
def hostile(folders: tuple[Path, Path], http_server: tuple[str, list[str]]) -> Built:
    root, outside = folders
    base, _ = http_server
    collection = load_collection(load_manifest(write_flat(root, "", articles=1)))
    article = collection.articles[0]
    # Straight into the model: this proves the fetcher holds even if a sanitiser lets markup through.
    article.source_path = None
    article.blocks += [Block(kind=BlockKind.PARAGRAPH, html=html, text="x") for html in hostile_markup(base, outside)]
    return build_collection(collection, root.parent / "out")


def test_hostile_article_reaches_nothing_outside(hostile: Built, http_server: tuple[str, list[str]]) -> None:
    _, requests = http_server
    assert requests == [], "the build made HTTP requests"
    data = hostile.path.read_bytes()
    assert not any(MARKER in stream for stream in decoded_streams(data)), "outside bytes are in the PDF"
    assert b"root:x:0:0" not in b"".join(decoded_streams(data))
    reader = hostile.reader
    catalog = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in catalog.get("/Names", {})
    assert "/AF" not in catalog
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"


def test_hostile_article_refusals_and_weasyprint_problems_are_warnings(hostile: Built) -> None:
    warnings = "\n".join(hostile.warnings)
    for refused in ("../outside/secret.png", "img/link.png", "/x.css", "/y.png", "/imported.css", "secret.css"):
        name = refused.rsplit("/", 1)[-1]
        assert any("refused" in w and name in w for w in hostile.warnings), (refused, warnings)
    assert "attachment link" in warnings
    assert "colr" in warnings, "WeasyPrint's own warnings must surface"


def test_hostile_article_still_renders_the_allowed_image(hostile: Built) -> None:
    images = {
        xobject.idnum
        for page in hostile.reader.pages
        for xobject in page["/Resources"].get("/XObject", {}).values()
        if xobject.get_object().get("/Subtype") == "/Image"
    }
    assert len(images) == 1


def test_relative_image_sources_resolve_in_the_article_folder(tmp_path: Path) -> None:
    article = Article(
        meta=ArticleMeta(title="T"),
        blocks=[
            Block(kind=BlockKind.FIGURE, html='<figure><img src="pics/a.png" alt=""/></figure>', text=""),
            Block(kind=BlockKind.FIGURE, html='<figure><img alt="" src="data:image/png;base64,AA"/></figure>', text=""),
            Block(kind=BlockKind.PARAGRAPH, html='<p><a href="pics/a.png">not an image</a></p>', text=""),
        ],
        source_path=tmp_path / "articles/one.md",
    )
    body = local_image_sources(article)
    assert f'src="{(tmp_path / "articles/pics/a.png").as_uri()}"' in body
    assert 'src="data:image/png;base64,AA"' in body
    assert '<a href="pics/a.png">' in body
