"""The review report: one self-contained HTML page an editor scans to check what a build did.

It opens with a summary table and then, for every article, the metadata found (anything missing
flagged), the attribution note exactly as the books print it, the findings, and the body with
every removed block back in its place, struck through and labelled with its rule id and reason.
Everything is inline (CSS, no images, no script), so the page can be mailed or archived alone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from ..book.attribution import format_date, join_names
from ..book.templating import Renderer
from ..collection.audit import Finding, article_label
from ..collection.loading import Collection
from ..model import Article, Removal

REPORT_SUFFIX = ".report.html"
LEFT_OUT = "left-out"  # Removal.kind of page text the HTML reader's extraction did not take
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r'\balt="([^"]*)"', re.IGNORECASE)


@dataclass
class MetaField:
    label: str
    value: str
    missing: bool = False  # flagged in the report: the attribution needs it


@dataclass
class BodyItem:
    kind: Literal["kept", "removed", "left-out"]
    html: str = ""  # a kept block's XHTML, images replaced by their description
    removal: Removal | None = None
    left_out: list[Removal] = field(default_factory=list)  # a run of page blocks extraction left out, one box

    @property
    def words(self) -> int:
        return sum(len(removal.text.split()) for removal in self.left_out)


@dataclass
class ArticleReport:
    number: int
    id: str
    label: str  # the article's path in the collection folder
    article: Article
    fields: list[MetaField]
    findings: list[Finding]
    section: str = ""  # its part of the report, rendered (templates/report/article.html)

    @property
    def title(self) -> str:
        return self.article.meta.title or self.label

    @cached_property
    def body(self) -> list[BodyItem]:
        """Kept blocks and removals in input order (made only when the section is rendered)."""
        return in_place(self.article)

    @property
    def removed_count(self) -> int:
        """Blocks the rules took out (in_place() shows every removal once)."""
        return sum(1 for removal in self.article.removed if removal.kind != LEFT_OUT)

    @property
    def left_out_words(self) -> int:
        return sum(len(removal.text.split()) for removal in self.article.removed if removal.kind == LEFT_OUT)


@dataclass
class FileWritten:
    path: Path
    size: int


@dataclass
class Summary:
    title: str
    articles: int
    words_kept: int
    words_removed: int
    pages: int | None  # the PDF's page count, when a PDF was built
    warnings: int  # findings at level error or warning, plus the builders' own warnings
    errors: int
    notes: int
    seconds: float
    files: list[FileWritten] = field(default_factory=list)
    build_warnings: list[str] = field(default_factory=list)  # from the builders, not the articles


def summarise(collection: Collection, seconds: float, pages: int | None = None,
              build_warnings: list[str] | None = None, files: list[FileWritten] | None = None) -> Summary:
    findings = collection.findings
    build_warnings = list(build_warnings or [])
    return Summary(
        title=collection.manifest.data.title,
        articles=len(collection.articles),
        words_kept=sum(article.words for article in collection.articles),
        words_removed=sum(article.words_removed for article in collection.articles),
        pages=pages,
        warnings=sum(1 for f in findings if f.level != "note") + len(build_warnings),
        errors=sum(1 for f in findings if f.level == "error"),
        notes=sum(1 for f in findings if f.level == "note"),
        seconds=seconds,
        files=list(files or []),
        build_warnings=build_warnings,
    )


def in_place(article: Article) -> list[BodyItem]:
    """Kept blocks and removals in input order.

    Removal.index and Block.index are both positions in the normaliser's block list; a kept
    block without an index (made by a repair) stays after the block before it.
    """
    pending = sorted(article.removed, key=lambda removal: removal.index)
    items: list[BodyItem] = []
    for block in article.blocks:
        while block.index is not None and pending and pending[0].index < block.index:
            items.append(BodyItem("removed", removal=pending.pop(0)))
        items.append(BodyItem("kept", html=without_images(block.html)))
    items += [BodyItem("removed", removal=removal) for removal in pending]
    return _left_out_runs(items)


def _left_out_runs(items: list[BodyItem]) -> list[BodyItem]:
    """Consecutive blocks extraction left out as one box: a page's menu or footer is many small blocks."""
    out: list[BodyItem] = []
    for item in items:
        if item.removal is None or item.removal.kind != LEFT_OUT:
            out.append(item)
        elif out and out[-1].kind == "left-out":
            out[-1].left_out.append(item.removal)
        else:
            out.append(BodyItem("left-out", left_out=[item.removal]))
    return out


def without_images(html: str) -> str:
    """Images as their description: the report loads nothing from anywhere."""

    def describe(match: re.Match[str]) -> str:
        alt = _ALT.search(match[0])
        text = f"[Image: {alt[1]}]" if alt and alt[1].strip() else "[Image]"
        return f'<span class="image-omitted">{text}</span>'

    return _IMG.sub(describe, html)


def meta_fields(article: Article) -> list[MetaField]:
    meta = article.meta
    source = meta.original_source
    original = ""
    if source:
        original = ", ".join(part for part in (source.name, format_date(source.date), source.url) if part)
    dated = bool(meta.date or (source and source.date))
    return [
        MetaField("Title", meta.title or "", missing=not meta.title),
        MetaField("Subtitle", meta.subtitle or ""),
        MetaField("Authors", join_names(meta.authors), missing=not meta.authors),
        MetaField("Date", format_date(meta.date), missing=not dated),
        MetaField("Publisher", meta.publisher or "", missing=not meta.publisher and not (source and source.name)),
        MetaField("First published", original),
        MetaField("Licence", meta.licence or "", missing=not meta.licence and not meta.permission),
        MetaField("Permission", meta.permission or ""),
        MetaField("Copyright", meta.copyright or ""),
        MetaField("Language", meta.language or ""),
        MetaField("Web address", meta.url or ""),
        MetaField("Rule packs", ", ".join(article.sites)),
    ]


def article_reports(collection: Collection) -> list[ArticleReport]:
    root = collection.manifest.root
    by_article: dict[str, list[Finding]] = {}
    for finding in collection.findings:
        by_article.setdefault(finding.where, []).append(finding)
    reports = []
    for number, article in enumerate(collection.articles, start=1):
        label = article_label(article, root)
        reports.append(ArticleReport(number, f"a{number:02d}", label, article, meta_fields(article),
                                     by_article.get(label, [])))
    return reports


def render_report(collection: Collection, summary: Summary, renderer: Renderer | None = None) -> str:
    renderer = renderer or Renderer.for_collection("report", collection)
    articles = article_reports(collection)
    kept = renderer.pieces("article.html")
    for entry in articles:
        def section(entry: ArticleReport = entry) -> str:
            return renderer.render("article.html", entry=entry)

        entry.section = kept.piece(_section_inputs(entry), section) if kept else section()
    if kept:
        kept.keep()
    return renderer.render(
        "report.html",
        summary=summary,
        articles=articles,
        lang=collection.manifest.data.language,
        css=renderer.read_static("report.css"),
    )


def _section_inputs(entry: ArticleReport) -> tuple[str | bytes, ...]:
    """Everything the shipped article.html reads: the entry, its article's metadata, findings,
    rule packs, kept blocks (with their positions) and removals."""
    article = entry.article
    blocks = "\x00".join(f"{block.index}\x01{block.html}" for block in article.blocks)
    removed = "\x00".join(f"{r.rule}\x01{r.reason}\x01{r.kind}\x01{r.index}\x01{r.text}" for r in article.removed)
    findings = "\x00".join(f"{f.level}\x01{f.code}\x01{f.message}" for f in entry.findings)
    return (str(entry.number), entry.id, entry.label, repr(article.meta), "\x00".join(article.sites), findings,
            hashlib.sha256(f"{blocks}\x02{removed}".encode()).digest())


def report_path(out_dir: Path, collection: Collection) -> Path:
    return out_dir / f"{collection.manifest.output_name}{REPORT_SUFFIX}"
