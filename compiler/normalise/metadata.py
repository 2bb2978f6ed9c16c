"""Turning the text a rule captured into typed metadata: dates, names, subjects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ..model import ArticleMeta, OriginalSource

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def parse_date(text: str, language: str | None = None) -> dt.date | None:
    """A calendar date written the ways bylines write it; None when there is none."""
    text = text.strip()
    for pattern, order in ((_ISO, "ymd"), (_MONTH_DAY_YEAR, "mdy"), (_DAY_MONTH_YEAR, "dmy")):
        found = pattern.search(text)
        if not found:
            continue
        parts = dict(zip(order, found.groups(), strict=True))
        month = int(parts["m"]) if parts["m"].isdigit() else _MONTHS.get(parts["m"].lower())
        if month is None:
            continue
        try:
            return dt.date(int(parts["y"]), month, int(parts["d"]))
        except ValueError:
            continue
    return _parse_other_language(text, language)


def _parse_other_language(text: str, language: str | None) -> dt.date | None:
    if not re.search(r"\d{4}", text):
        return None
    import dateparser  # slow to import; only needed for dates not in English

    languages = [language] if language and language != "en" else ["fr", "es", "de", "it", "pt", "nl"]
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"}
    try:
        parsed = dateparser.parse(text, languages=languages, settings=settings)  # type: ignore[arg-type]
    except Exception:  # dateparser raises assorted errors on odd input; no date is the answer
        return None
    return parsed.date() if parsed else None


_NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+&\s+|\s+et\s+|\s+y\s+|\s+und\s+|;\s*)\s*")


def split_names(text: str) -> list[str]:
    text = re.sub(r"^(?:by|par|por|von|di)\s+", "", text.strip(), flags=re.IGNORECASE)
    names = [n.strip(" .\u00a0") for n in _NAME_SPLIT.split(text)]
    return [n for n in names if n and len(n) <= 80]


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
