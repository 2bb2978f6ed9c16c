"""Plain renderings of one normalised article: the JSON and text that `anthology normalise` prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..book.attribution import attribution_text
from ..collection.loading import load_article
from ..errors import InputError
from ..model import Article
from ..normalise import rule_set


def normalise_file(path: Path, as_json: bool = False) -> str:
    """What `anthology normalise` prints: one saved article cleaned, as text or as a JSON object."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    article = load_article(path, rule_set())
    return json.dumps(article_json(article), ensure_ascii=False, indent=2) if as_json else article_text(article)


def article_json(article: Article) -> dict[str, Any]:
    meta = article.meta
    source = meta.original_source
    return {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "authors": list(meta.authors),
        "date": meta.date.isoformat() if meta.date else None,
        "publisher": meta.publisher,
        "original_source": (
            {"name": source.name, "date": source.date.isoformat() if source.date else None, "url": source.url}
            if source
            else None
        ),
        "copyright": meta.copyright,
        "licence": meta.licence,
        "language": meta.language,
        "subjects": list(meta.subjects),
        "body_html": article.body_html,
        "body_text": article.body_text,
        "removed": [{"rule": r.rule, "text": r.text} for r in article.removed],
        "attribution": attribution_text(meta),
    }


def article_text(article: Article) -> str:
    meta = article.meta
    lines = [meta.title or "(untitled)"]
    if meta.subtitle:
        lines.append(meta.subtitle)
    if meta.authors:
        lines.append("By " + ", ".join(meta.authors))
    lines += ["", article.body_text, "", "—", attribution_text(meta)]
    if article.removed:
        lines += ["", f"Removed or moved to metadata ({len(article.removed)} blocks):"]
        lines += [f"  [{r.rule}] {r.text[:100]}" for r in article.removed]
    return "\n".join(lines)
