"""The one model in the middle: readers return it, the normaliser cleans it, builders accept it.

Nothing downstream of a reader looks at raw input. Every block carries sanitised XHTML (a
well-formed fragment, one element) and its plain text, so rules match on text and builders
emit markup without re-parsing the source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    BLOCKQUOTE = "blockquote"
    LIST = "list"
    FIGURE = "figure"
    SEPARATOR = "separator"
    CODE = "code"
    TABLE = "table"


@dataclass
class Block:
    """One body block.

    `html` is a single sanitised XHTML element (`<p>…</p>`, `<h2>…</h2>`, `<ul>…</ul>`…).
    `text` is its plain text on one line. `lines` holds, for a paragraph the source wrote over
    several lines, each line's inline XHTML: a scrape often packs two metadata lines into one
    paragraph, and the normaliser splits such a paragraph when its lines mean different things.
    """

    kind: BlockKind
    html: str
    text: str
    level: int = 0  # heading level (1-6); 0 for other kinds
    lines: list[str] = field(default_factory=list)
    line_texts: list[str] = field(default_factory=list)
    source_line: int | None = None  # 1-based line in the input, for diagnostics
    index: int | None = None  # position in the normaliser's block list (as Removal.index); None before it runs

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class OriginalSource:
    """Where the article first appeared, when that is not where it was saved from."""

    name: str | None = None
    date: dt.date | None = None
    url: str | None = None


@dataclass
class ArticleMeta:
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    date: dt.date | None = None  # publication date of this copy (at `publisher`)
    publisher: str | None = None  # the site this copy was saved from
    publisher_url: str | None = None
    original_source: OriginalSource | None = None
    copyright: str | None = None
    licence: str | None = None
    permission: str | None = None  # the rights holder's permission to reprint, when there is no licence
    language: str | None = None
    subjects: list[str] = field(default_factory=list)
    source: str | None = None  # the input path or URL
    url: str | None = None  # the web address of this copy, when known


@dataclass
class Removal:
    """A block the normaliser took out of the body, and the rule that did it."""

    rule: str
    reason: str
    text: str
    index: int  # position of the block in the reader's block list
    kind: str = "remove"  # "remove" (boilerplate) or "extract" (metadata moved to the meta)
    # the block itself, so that an editor's `keep:` can put it back where it stood
    block: Block | None = field(default=None, repr=False, compare=False)


@dataclass
class Article:
    meta: ArticleMeta
    blocks: list[Block]
    removed: list[Removal] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)  # rule packs applied, generic last
    warnings: list[str] = field(default_factory=list)
    source_path: Path | None = None

    # Counted once: the audit, the summary and the report each ask, and an article is not
    # changed once the normaliser has returned it (a build changes only a copy's metadata).
    @cached_property
    def words(self) -> int:
        return sum(block.words for block in self.blocks)

    @cached_property
    def words_removed(self) -> int:
        """Words of boilerplate taken out (metadata lines moved to the meta do not count)."""
        return sum(len(removal.text.split()) for removal in self.removed if removal.kind == "remove")

    @property
    def body_html(self) -> str:
        return "\n".join(block.html for block in self.blocks)

    @property
    def body_text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks if block.text)
