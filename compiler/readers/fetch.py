"""Fetching URL sources over HTTP, each response kept in an on-disk cache in the collection folder.

A response is stored under `.anthology-cache/http/` as two files named by the URL's hash: the
body (with a suffix for its type, so a cached image can be embedded as it is) and a JSON record
of the URL, the final URL after redirects and the headers. The next build asks the server only
whether it changed (ETag / Last-Modified; a 304 answer uses the cache), and an `--offline` build
uses the cache alone and names every URL it lacks. Only the URLs the reader asks for are fetched.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import httpx

from ..errors import InputError
from ..resources import TOOL_NAME, __version__

CACHE_FOLDER = Path(".anthology-cache") / "http"
USER_AGENT = f"{TOOL_NAME}/{__version__} (compiles saved articles into books; fetches only URLs an editor listed)"
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
MAX_PAGE_BYTES = 8 * 1024 * 1024  # as for a saved file: more is not an article
MAX_IMAGE_BYTES = 12 * 1024 * 1024
_SUFFIXES = {"text/html": ".html", "application/xhtml+xml": ".html", "image/png": ".png", "image/jpeg": ".jpg",
             "image/gif": ".gif", "image/webp": ".webp", "image/svg+xml": ".svg"}
_KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-language")


@dataclass
class Response:
    url: str  # as asked for
    final_url: str  # after redirects
    headers: dict[str, str]
    body_path: Path

    @property
    def body(self) -> bytes:
        return self.body_path.read_bytes()

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("'\"")
        return None


class HttpCache:
    """Responses on disk, keyed by a hash of the URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_collection(cls, root: Path) -> HttpCache:
        return cls(root / CACHE_FOLDER)

    @staticmethod
    def key(url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]

    def _record_path(self, url: str) -> Path:
        return self.folder / f"{self.key(url)}.json"

    def load(self, url: str) -> Response | None:
        try:
            record = json.loads(self._record_path(url).read_text(encoding="utf-8"))
            body = self.folder / record["body"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or damaged: as if never fetched
        if record.get("url") != url or not body.is_file():
            return None
        return Response(url=url, final_url=record["final_url"], headers=record["headers"], body_path=body)

    def store(self, url: str, final_url: str, headers: dict[str, str], body: bytes) -> Response:
        self.folder.mkdir(parents=True, exist_ok=True)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        body_path = self.folder / f"{self.key(url)}{_SUFFIXES.get(content_type, '.bin')}"
        _write_atomic(body_path, body)
        record = {"url": url, "final_url": final_url, "headers": headers, "body": body_path.name}
        _write_atomic(self._record_path(url), json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
        return Response(url=url, final_url=final_url, headers=headers, body_path=body_path)


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


class Fetcher:
    """GET with a polite user agent, bounded redirects, a timeout and a size limit, through the cache."""

    def __init__(self, cache: HttpCache, offline: bool = False, client: httpx.Client | None = None) -> None:
        self.cache = cache
        self.offline = offline
        self._client = client

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=TIMEOUT_SECONDS,
                headers={"User-Agent": USER_AGENT}, trust_env=False,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def get(self, url: str, max_bytes: int = MAX_PAGE_BYTES) -> Response:
        cached = self.cache.load(url)
        if self.offline:
            if cached is None:
                raise InputError(f"{url}: not in the cache {self.cache.folder} (--offline); "
                                 "build once without --offline to fetch it")
            return cached
        return self._fetch(url, cached, max_bytes)

    def _fetch(self, url: str, cached: Response | None, max_bytes: int) -> Response:
        headers = _validators(cached)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and cached is not None:
                    return cached
                if response.status_code >= 400:
                    raise InputError(f"{url}: the server answered {response.status_code} {response.reason_phrase}")
                body = _read_limited(response, url, max_bytes)
                kept = {name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers}
                return self.cache.store(url, str(response.url), kept, body)
        except httpx.TooManyRedirects:
            raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects; give the page's final address") from None
        except httpx.TimeoutException:
            raise InputError(f"{url}: no answer within {TIMEOUT_SECONDS:.0f} seconds") from None
        except httpx.HTTPError as exc:
            raise InputError(f"{url}: cannot fetch: {exc}") from None


def _validators(cached: Response | None) -> dict[str, str]:
    if cached is None:
        return {}
    headers = {}
    if "etag" in cached.headers:
        headers["If-None-Match"] = cached.headers["etag"]
    if "last-modified" in cached.headers:
        headers["If-Modified-Since"] = cached.headers["last-modified"]
    return headers


def _read_limited(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(f"{url}: {int(declared)} bytes is over the {max_bytes} byte limit")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(f"{url}: more than {max_bytes} bytes; over the limit for one download")
        chunks.append(chunk)
    return b"".join(chunks)
