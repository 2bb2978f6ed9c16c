"""Turning the text a rule captured into typed metadata: dates, names, subjects."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import ArticleMeta, OriginalSource
from .byline import looks_like_person, parse_byline
from .dates import parse_date

__all__ = ["FIELDS", "assign", "check_value", "parse_date", "split_list", "split_names"]

def split_names(text: str) -> list[str]:
    """The person names in a byline: dates, roles, outlets and accounts left out (see byline.py)."""
    return [name for name in parse_byline(text).names if looks_like_person(name)]


def split_list(text: str) -> list[str]:
    return [part.strip(" .") for part in re.split(r"\s*[,;|]\s*", text) if part.strip(" .")]


def _set(attr: str) -> Callable[[ArticleMeta, str], bool]:
    def setter(meta: ArticleMeta, value: str) -> bool:
        if not getattr(meta, attr):
            setattr(meta, attr, value)
        return True

    return setter


def _set_date(meta: ArticleMeta, value: str) -> bool:
    date = parse_date(value, meta.language)
    if date is None:
        return False
    if meta.date is None:
        meta.date = date
    return True


def _set_authors(meta: ArticleMeta, value: str) -> bool:
    names = split_names(value)
    if not names:
        return False
    if not meta.authors:
        meta.authors = names
    return True


def _add_subjects(meta: ArticleMeta, value: str) -> bool:
    for subject in split_list(value):
        if subject not in meta.subjects:
            meta.subjects.append(subject)
    return True


def _original(attr: str) -> Callable[[ArticleMeta, str], bool]:
    def setter(meta: ArticleMeta, value: str) -> bool:
        source = meta.original_source or OriginalSource()
        if attr == "date":
            parsed = parse_date(value, meta.language)
            if parsed is None:
                return False
            source.date = source.date or parsed
        elif not getattr(source, attr):
            setattr(source, attr, value)
        meta.original_source = source
        return True

    return setter


# Each setter fills a field only when it is still empty (the first rule to speak wins) and
# answers False when the captured text is not a value of that kind, so the rule does not match.
FIELDS: dict[str, Callable[[ArticleMeta, str], bool]] = {
    "title": _set("title"),
    "subtitle": _set("subtitle"),
    "authors": _set_authors,
    "date": _set_date,
    "publisher": _set("publisher"),
    "publisher_url": _set("publisher_url"),
    "copyright": _set("copyright"),
    "licence": _set("licence"),
    "language": _set("language"),
    "subjects": _add_subjects,
    "original_source.name": _original("name"),
    "original_source.date": _original("date"),
    "original_source.url": _original("url"),
}


def check_value(field_name: str, value: str, language: str | None) -> bool:
    """Would this captured text make a value of the field? (Dates must parse, names exist.)"""
    if field_name in ("date", "original_source.date"):
        return parse_date(value, language) is not None
    if field_name == "authors":
        return bool(split_names(value))
    return bool(value.strip())


def assign(meta: ArticleMeta, field_name: str, value: str) -> None:
    value = " ".join(value.split())
    if value:
        FIELDS[field_name](meta, value)
