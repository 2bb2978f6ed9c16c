"""The attribution note: one paragraph, written here once, used by every output."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..model import ArticleMeta


def format_date(date: dt.date | None) -> str:
    return f"{date.day} {date.strftime('%B')} {date.year}" if date else ""


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


PartKind = Literal["title", "first-published", "republished", "published", "copyright", "licence", "permission",
                   "source"]


@dataclass(frozen=True)
class AttributionPart:
    """One sentence of the note: what it says (`kind`), its plain text, and for the source the
    web address a template links (None when the source is not a web address)."""

    kind: PartKind
    text: str
    url: str | None = None


def attribution_parts(meta: ArticleMeta) -> list[AttributionPart]:
    """The sentences of the note, in reading order."""
    title = f"“{meta.title}”" if meta.title else "This article"
    byline = f" by {join_names(meta.authors)}" if meta.authors else ""
    parts = [AttributionPart("title", f"{title}{byline}.")]
    source = meta.original_source
    if source and source.name:
        when = f" on {format_date(source.date)}" if source.date else ""
        parts.append(AttributionPart("first-published", f"First published by {source.name}{when}."))
        if meta.publisher:
            republished = f" on {format_date(meta.date)}" if meta.date else ""
            parts.append(AttributionPart("republished", f"Republished by {meta.publisher}{republished}."))
    elif meta.publisher:
        when = f" on {format_date(meta.date)}" if meta.date else ""
        parts.append(AttributionPart("first-published", f"First published by {meta.publisher}{when}."))
    elif meta.date:
        parts.append(AttributionPart("published", f"Published on {format_date(meta.date)}."))
    if meta.copyright:
        parts.append(AttributionPart("copyright", meta.copyright.rstrip(".") + "."))
    if meta.licence:
        parts.append(AttributionPart("licence", f"Licence: {meta.licence.rstrip('.')}."))
    if meta.permission:
        parts.append(AttributionPart("permission", f"Permission: {meta.permission.rstrip('.')}."))
    url = (source.url if source and source.url else None) or meta.url or _web_address(meta.source)
    if url:
        parts.append(AttributionPart("source", f"Source: {url}", url if _web_address(url) else None))
    return parts


def _web_address(source: str | None) -> str | None:
    return source if source and source.startswith(("http://", "https://")) else None


def attribution_text(meta: ArticleMeta) -> str:
    return " ".join(part.text for part in attribution_parts(meta))
