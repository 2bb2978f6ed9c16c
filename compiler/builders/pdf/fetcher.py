"""A WeasyPrint URL fetcher that reads only from allowed folders and data: URLs.

WeasyPrint's default fetcher follows any URL a document names: `file:///etc/passwd` in a
`<link rel="attachment">` ends up embedded in the PDF, and `http://` URLs reach the network.
Articles are untrusted input, so every URL goes through here: a file is served only when its
real path (symlinks resolved) lies inside one of the allowed roots; anything else is refused
with a warning naming it, and the refusal is an ordinary fetch error, so WeasyPrint leaves the
resource out and goes on.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

# Every WeasyPrint render of the book (pdf.py, and each worker of pieces.py) imports this
# module before laying out a page; the footnote fix must be in place in all of them.
from . import footnote_pages  # noqa: F401

Warn = Callable[[str], None]


class RefusedURL(ValueError):
    """A URL the confined fetcher will not open."""


class ConfinedFetcher(URLFetcher):
    """Serve `file:` URLs under `roots` and `data:` URLs; refuse everything else."""

    def __init__(self, roots: list[Path], warn: Warn) -> None:
        # Only data: ever reaches urllib (see fetch); no redirects, no network handlers used.
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
        self.roots = [root.resolve() for root in roots]
        self.warn = warn
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._file(url)
        raise self._refuse(url, "only files inside the collection folder may be used, not network URLs")

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "file URLs on another host are not allowed")
        path = Path(url2pathname(unquote(parts.path)))
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise self._refuse(url, "file not found") from None
        if not any(real.is_relative_to(root) for root in self.roots):
            raise self._refuse(url, "it is outside the collection folder")
        if not real.is_file():
            raise self._refuse(url, "not a file")
        content_type = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
        return URLFetcherResponse(real.as_uri(), body=real.read_bytes(), headers={"Content-Type": content_type})

    def _refuse(self, url: str, why: str) -> RefusedURL:
        shown = url if len(url) <= 200 else url[:200] + "…"
        if shown not in self.refused:
            self.refused.append(shown)
            self.warn(f"pdf: refused to load {shown}: {why}")
        return RefusedURL(f"refused: {shown}")


class _WarningHandler(logging.Handler):
    """Turn WeasyPrint's log records into build warnings.

    WeasyPrint reports what it could not render (unknown CSS, a broken image) on its logger,
    which has no handler by default, so without this those problems would be invisible.
    """

    def __init__(self, warn: Warn, fetcher: ConfinedFetcher) -> None:
        super().__init__(level=logging.WARNING)
        self.warn_callback = warn
        self.fetcher = fetcher
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # A refused URL was already reported, with the reason, by the fetcher.
        if any(url in message for url in self.fetcher.refused) or message in self.seen:
            return
        # One per string without a glyph, naming neither article nor remedy: pdf.py's
        # warn_missing_glyphs has said, once per article, which characters and what package.
        if message.startswith(".notdef glyph rendered"):
            return
        self.seen.add(message)
        self.warn_callback(f"pdf: {message}")


@contextmanager
def weasyprint_warnings(warn: Warn, fetcher: ConfinedFetcher) -> Iterator[None]:
    """Route the 'weasyprint' logger's warnings to `warn` for the duration of a build."""
    logger = logging.getLogger("weasyprint")
    handler = _WarningHandler(warn, fetcher)
    level = logger.level
    # Its level is unset by default, so a quiet root logger would drop these before the handler.
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
