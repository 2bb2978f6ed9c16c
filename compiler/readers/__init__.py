"""Readers turn one input (a file, or a URL through readers.url) into an Article: a registry keyed by name."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..errors import InputError
from ..model import Article
from .html import HtmlReader
from .markdown import MarkdownReader


class Reader(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def read(self, path: Path) -> Article: ...


READERS: dict[str, Reader] = {reader.name: reader for reader in (MarkdownReader(), HtmlReader())}


def reader_for(path: Path) -> Reader:
    suffix = path.suffix.lower()
    for reader in READERS.values():
        if suffix in reader.suffixes:
            return reader
    known = ", ".join(sorted(s for r in READERS.values() for s in r.suffixes))
    raise InputError(f"{path}: no reader for '{suffix or 'files without a suffix'}'; known: {known}")


def read_article(path: Path) -> Article:
    return reader_for(path).read(path)
