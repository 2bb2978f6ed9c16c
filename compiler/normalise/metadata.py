"""Turning the text a rule captured into typed metadata: dates, names, subjects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ..model import ArticleMeta, OriginalSource

# Month names and abbreviations in the languages the rule packs read (en, fr, es, de, it, pt);
# no spelling means two different months, so one table serves them all.
_MONTH_NAMES = [
    "january jan janvier janv enero ene januar jänner gennaio gen janeiro",
    "february feb février fevrier févr fevr febrero febr februar febbraio fevereiro fev",
    "march mar mars marzo märz maerz mär março marco",
    "april apr avril avr abril abr aprile",
    "may mai mayo maggio maio",
    "june jun juin junio juni giugno junho",
    "july jul juillet juil julio juli luglio julho",
    "august aug août aout agosto ago",
    "september sep sept septembre septiembre setiembre settembre setembro",
    "october oct octobre octubre oktober okt ottobre ott outubro",
    "november nov novembre noviembre novembro",
    "december dec décembre decembre déc diciembre dic dezember dez dicembre dezembro",
]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([^\W\d_]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
# "16 November 2021", "16 novembre 2021", "1er mai 2020", "15 de marzo de 2022", "16. November 2021"
_DAY_MONTH_YEAR = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th|er|º|°)?\.?\s+(?:of\s+|de\s+)?([^\W\d_]{3,10})\.?,?\s+(?:de\s+|del\s+)?(\d{4})\b"
)


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


# After a comma in a byline these are part of the name before, or a degree, not another author.
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_DEGREES = {"phd", "ph.d", "dphil", "md", "m.d", "mph", "msc", "ma", "mba", "jd", "llm", "rn"}


def split_names(text: str) -> list[str]:
    text = re.sub(r"^(?:by|par|por|von|di)\s+", "", text.strip(), flags=re.IGNORECASE)
    names: list[str] = []
    for piece in _NAME_SPLIT.split(text):
        piece = piece.strip(" .\u00a0")
        key = piece.lower().rstrip(".")
        if key in _DEGREES or not piece:
            continue
        if key in _NAME_SUFFIXES and names:
            names[-1] = f"{names[-1]} {piece}"
        elif len(piece) <= 80:
            names.append(piece)
    return names


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
