"""Calendar dates as bylines and datelines write them, in the languages the normaliser reads."""

from __future__ import annotations

import datetime as dt
import re

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
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}
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
        month = int(parts["m"]) if parts["m"].isdigit() else MONTHS.get(parts["m"].lower())
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


def numeric_date(text: str, language: str | None) -> dt.date | None:
    """02.27.2024, 27.02.2024, 2024/02/27: the order follows from the numbers, else the language."""
    parts = [int(p) for p in re.findall(r"\d+", text)]
    if len(parts) != 3:
        return None
    if parts[0] > 31:
        year, month, day = parts
    else:
        first, second, year = parts
        year += 2000 if year < 100 else 0
        month_first = first <= 12 and (second > 12 or (language in (None, "en") and first <= 12))
        month, day = (first, second) if month_first else (second, first)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def is_dateline(text: str) -> bool:
    """A short line that is a date (with a time, a place or "Published"), as under a headline."""
    if len(text.split()) > 10 or not re.search(r"\d", text):
        return False
    return parse_date(text) is not None or bool(_NUMERIC_DATE.search(text))


_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
