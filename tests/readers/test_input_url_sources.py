"""URL sources: the fetcher, its cache and the manifest's `url:` key, against a server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from input_server import Resource, serve

from compiler.collection.manifest import load_manifest
from compiler.errors import InputError, ManifestError
from compiler.readers.fetch import MAX_REDIRECTS, Fetcher, HttpCache
from compiler.readers.url import read_url

PAGE = ("<html lang='en'><head><title>Gulls</title></head><body><article><h1>Gulls</h1>"
        "<p class='byline'>By Edda Brun</p><p>{text}</p><p>{text}</p></article></body></html>")
TEXT = ("The herring gulls on the harbour roofs have learned to open the fishmongers' bins, "
        "and nobody knows who taught them.")


def _page(text: str = TEXT) -> bytes:
    return PAGE.format(text=text).encode("utf-8")


def test_second_fetch_revalidates_and_a_304_uses_the_cache(tmp_path: Path) -> None:
    with serve({"/gulls": Resource(_page(), etag='"g1"')}) as server:
        cache = HttpCache(tmp_path / "cache")
        first = Fetcher(cache).get(f"{server.base}/gulls")
        second = Fetcher(cache).get(f"{server.base}/gulls")
        offline = Fetcher(cache, offline=True).get(f"{server.base}/gulls")
    assert first.body == second.body == offline.body == _page()
    assert [r.status for r in server.requests] == [200, 304]
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"g1"'
    user_agent = server.requests[0].headers["user-agent"]
    assert user_agent.startswith("anthology/") and any(ch.isdigit() for ch in user_agent)


def test_a_changed_page_replaces_the_cached_copy(tmp_path: Path) -> None:
    resources = {"/gulls": Resource(_page(), etag='"g1"')}
    with serve(resources) as server:
        cache = HttpCache(tmp_path / "cache")
        Fetcher(cache).get(f"{server.base}/gulls")
        resources["/gulls"] = Resource(_page("Changed text of the gull story, rewritten by its author."), etag='"g2"')
        assert b"Changed text" in Fetcher(cache).get(f"{server.base}/gulls").body


def test_redirects_are_followed_and_bounded(tmp_path: Path) -> None:
    resources = {"/old": Resource(b"", status=301, location="/gulls"), "/gulls": Resource(_page())}
    for hop in range(MAX_REDIRECTS + 2):
        resources[f"/loop{hop}"] = Resource(b"", status=302, location=f"/loop{hop + 1}")
    with serve(resources) as server:
        fetcher = Fetcher(HttpCache(tmp_path / "cache"))
        response = fetcher.get(f"{server.base}/old")
        assert response.final_url == f"{server.base}/gulls"
        with pytest.raises(InputError, match="redirects"):
            fetcher.get(f"{server.base}/loop0")
        assert len([p for p in server.paths() if p.startswith("/loop")]) == MAX_REDIRECTS + 1


def test_size_limit_and_http_errors(tmp_path: Path) -> None:
    with serve({"/big": Resource(b"x" * 5000)}) as server:
        fetcher = Fetcher(HttpCache(tmp_path / "cache"))
        with pytest.raises(InputError, match="limit"):
            fetcher.get(f"{server.base}/big", max_bytes=1000)
        with pytest.raises(InputError, match="404"):
            fetcher.get(f"{server.base}/absent")
    assert not list((tmp_path / "cache").glob("*.json"))  # nothing half-fetched is cached


def test_read_url_makes_an_article_from_the_page(tmp_path: Path) -> None:
    with serve({"/gulls": Resource(_page())}) as server:
        article = read_url(f"{server.base}/gulls", tmp_path, Fetcher(HttpCache.for_collection(tmp_path)))
    assert article.meta.authors == ["Edda Brun"] and article.meta.source == f"{server.base}/gulls"
    assert TEXT in article.body_text
    assert list((tmp_path / ".anthology-cache" / "http").glob("*.html"))


@pytest.mark.parametrize(("entry", "message"), [
    ("  - url: https://example.org/a\n    path: a.md\n", "exactly one of 'path'"),
    ("  - title: Neither\n", "exactly one of 'path'"),
    ("  - url: ftp://example.org/a\n", "not a web address"),
])
def test_manifest_wants_exactly_one_of_path_and_url(tmp_path: Path, entry: str, message: str) -> None:
    (tmp_path / "a.md").write_text("A\n\nText.\n", encoding="utf-8")
    manifest = tmp_path / "collection.yaml"
    manifest.write_text(f"title: T\narticles:\n  - path: a.md\n{entry}", encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    assert any(f"{manifest}:4: articles[1]" in p and message in p for p in caught.value.problems), caught.value.problems


def test_a_collection_of_urls_only_is_valid(tmp_path: Path) -> None:
    manifest = tmp_path / "collection.yaml"
    manifest.write_text("title: T\narticles:\n  - url: https://example.org/a\n", encoding="utf-8")
    assert load_manifest(manifest).entries[0].url == "https://example.org/a"
