"""URL sources: a page listed in the manifest, fetched (or taken from the cache) and read as HTML.

The images of the article's own text are fetched too, when they are on the page's own site,
and cached beside the page; the body then names the cached file by its path in the collection
folder, so the builders embed it like an image saved beside an article. Nothing else the page
names (scripts, styles, frames, tracking pixels on other hosts, a <base> elsewhere) is fetched.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlparse

from ..errors import InputError
from ..model import Article
from .fetch import MAX_IMAGE_BYTES, Fetcher
from .html import page_article, parse_page

HTML_TYPES = ("", "text/html", "application/xhtml+xml", "text/plain")


def read_url(url: str, root: Path, fetcher: Fetcher) -> Article:
    response = fetcher.get(url)
    if response.content_type not in HTML_TYPES:
        raise InputError(f"{url}: is {response.content_type}, not a web page")
    page = parse_page(response.body, url, response.charset)
    base = response.final_url
    cached, warnings = _fetch_images(page.extracted, base, root, fetcher)
    article = page_article(page, url, lambda src: cached.get(urljoin(base, src.strip())))
    article.meta.url = article.meta.url or base
    article.warnings.extend(warnings)
    return article


def _fetch_images(extracted: object, base: str, root: Path, fetcher: Fetcher) -> tuple[dict[str, str], list[str]]:
    """Image URL -> cached file (path in the collection folder), for the article's own images."""
    site = urlparse(base).hostname
    cached: dict[str, str] = {}
    warnings: list[str] = []
    for graphic in extracted.iter("graphic"):  # type: ignore[attr-defined]
        address = urljoin(base, (graphic.get("src") or "").strip())
        parts = urlparse(address)
        if parts.scheme not in ("http", "https") or parts.hostname != site or address in cached:
            continue  # another site's image (a tracker, a CDN we were not asked about) stays unfetched
        try:
            response = fetcher.get(address, MAX_IMAGE_BYTES)
        except InputError as exc:
            warnings.append(f"{base}: image not included: {exc.problems[0]}")
            continue
        if not response.content_type.startswith("image/"):
            warnings.append(f"{base}: image not included: {address} is {response.content_type or 'not an image'}")
            continue
        cached[address] = response.body_path.resolve().relative_to(root.resolve()).as_posix()
    return cached, warnings
