"""Readers turn one input (a file, or a URL through readers.url) into an Article: a registry keyed by name.

A reader's module is imported when a file of its kind is first read: a rebuild that finds every
article in the work cache reads nothing, and a Markdown collection never loads the HTML reader
(lxml.html, the sanitiser).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import InputError
from ..model import Article


class Reader(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def read(self, path: Path) -> Article: ...


@dataclass(frozen=True)
class LazyReader:
    """A reader's name and suffixes, and where its class is: the module is imported on first read."""

    name: str
    suffixes: tuple[str, ...]
    module: str
    class_name: str

    def read(self, path: Path) -> Article:
        return _loaded(self.module, self.class_name).read(path)


_INSTANCES: dict[tuple[str, str], Reader] = {}


def _loaded(module: str, class_name: str) -> Reader:
    key = (module, class_name)
    if key not in _INSTANCES:
        _INSTANCES[key] = getattr(importlib.import_module(module, __name__), class_name)()
    return _INSTANCES[key]


READERS: dict[str, LazyReader] = {reader.name: reader for reader in (
    LazyReader("markdown", (".md", ".markdown", ".txt", ".text"), ".markdown", "MarkdownReader"),
    LazyReader("html", (".html", ".htm"), ".html", "HtmlReader"),
)}


def reader_for(path: Path) -> Reader:
    suffix = path.suffix.lower()
    for reader in READERS.values():
        if suffix in reader.suffixes:
            return reader
    known = ", ".join(sorted(s for r in READERS.values() for s in r.suffixes))
    raise InputError(f"{path}: no reader for '{suffix or 'files without a suffix'}'; known: {known}")


def read_article(path: Path) -> Article:
    return reader_for(path).read(path)
