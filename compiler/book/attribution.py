"""The attribution note: one paragraph, written here once, used by every output."""

from __future__ import annotations

import datetime as dt

from ..model import ArticleMeta


def format_date(date: dt.date | None) -> str:
    return f"{date.day} {date.strftime('%B')} {date.year}" if date else ""


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def attribution_parts(meta: ArticleMeta) -> list[str]:
    """The sentences of the note, in reading order; each is plain text."""
    title = f"“{meta.title}”" if meta.title else "This article"
    byline = f" by {join_names(meta.authors)}" if meta.authors else ""
    parts = [f"{title}{byline}."]
    source = meta.original_source
    if source and source.name:
        when = f" on {format_date(source.date)}" if source.date else ""
        parts.append(f"First published by {source.name}{when}.")
        if meta.publisher:
            republished = f" on {format_date(meta.date)}" if meta.date else ""
            parts.append(f"Republished by {meta.publisher}{republished}.")
    elif meta.publisher:
        when = f" on {format_date(meta.date)}" if meta.date else ""
        parts.append(f"First published by {meta.publisher}{when}.")
    elif meta.date:
        parts.append(f"Published on {format_date(meta.date)}.")
    if meta.copyright:
        parts.append(meta.copyright.rstrip(".") + ".")
    if meta.licence:
        parts.append(f"Licence: {meta.licence.rstrip('.')}.")
    if meta.permission:
        parts.append(f"Permission: {meta.permission.rstrip('.')}.")
    url = (source.url if source and source.url else None) or meta.url or _url(meta.source)
    if url:
        parts.append(f"Source: {url}")
    return parts


def _url(source: str | None) -> str | None:
    return source if source and source.startswith(("http://", "https://")) else None


def attribution_text(meta: ArticleMeta) -> str:
    return " ".join(attribution_parts(meta))
