"""Visible bylines into person names.

A byline on a real page carries much more than names: dates and times, "Updated …", reading
times, job titles, the outlet or agency, handles, CMS accounts. Everything here works from the
*kind* of text (its shape and a small vocabulary), never from one site's wording, so that a byline
from an outlet nobody has seen yet still comes out as names. Outlets found on the way are kept
(they become the publisher or the original source), never returned as authors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .dates import MONTHS, numeric_date, parse_date


@dataclass
class Byline:
    names: list[str] = field(default_factory=list)
    date: dt.date | None = None
    outlets: list[str] = field(default_factory=list)  # agencies, publications, "Original to …" sources
    roles: list[str] = field(default_factory=list)  # job titles and credits split off the names


# --- vocabulary -------------------------------------------------------------------------------

# Full month names in the languages parse_date reads; abbreviations ("Jan", "Mar") are given
# names and surnames too, so they only count as months next to a number.
# "marco" (março without its cedilla) is far more often Marco the name.
_FULLMONTHS = {name for name in MONTHS if len(name) > 4} | {"may", "june", "july", "juni", "juli", "mai", "mayo"}
_FULLMONTHS -= {"marco"}
# Months that are also common given names: allowed as a name's first word ("April Ryan", "Mai Tran").
_GIVEN_NAMEMONTHS = {"april", "avril", "abril", "may", "mai", "june", "juni", "julio", "august", "augusta"}
_WEEKDAYS = {
    "monday tuesday wednesday thursday friday saturday sunday",
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "lunes martes miércoles miercoles jueves viernes sábado sabado domingo",
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag",
    "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira",
}
_WEEKDAY_NAMES = {word for line in _WEEKDAYS for word in line.split()}
_WEEKDAY_ABBR = ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"]

# Words that name a job or a credit, never part of a person's name.
_ROLE_WORDS = {
    "writer", "writers", "reporter", "reporters", "editor", "editors", "correspondent", "correspondents",
    "columnist", "columnists", "contributor", "contributors", "contributing", "staff", "journalist",
    "journalists", "producer", "photographer", "analyst", "commentator", "critic", "blogger", "author",
    "fellow", "intern", "chief", "bureau", "desk", "newsroom", "redakteur", "redakteurin", "autor",
    "autorin", "korrespondent", "korrespondentin", "periodista", "redactor", "redactora", "corresponsal",
    "journaliste", "rédacteur", "rédactrice", "giornalista", "jornalista", "editor-at-large", "anchor",
    "host", "presenter", "researcher", "lecturer", "professor", "director", "founder", "cofounder",
}
# Words that say "when", glued to bylines by CMS templates.
_EVENT_WORDS = {
    "updated", "update", "posted", "published", "modified", "edited", "revised", "aktualisiert",
    "veröffentlicht", "actualizado", "publicado", "publié", "publie", "aggiornato", "pubblicato", "atualizado",
}
# Words that mark a publication or an institution rather than a person.
_OUTLET_WORDS = {
    "news", "report", "review", "journal", "magazine", "press", "daily", "weekly", "monthly", "quarterly",
    "gazette", "tribune", "herald", "dispatch", "ledger", "courier", "chronicle", "bulletin", "digest",
    "media", "network", "radio", "television", "tv", "agency", "times", "observer", "telegraph", "sentinel",
    "inquirer", "examiner", "monitor", "university", "institute", "foundation", "center", "centre",
    "project", "inc", "ltd", "llc", "gmbh", "newsletter", "blog", "podcast", "zeitung", "periódico",
    "diario", "journalism", "newspaper", "wire", "service", "services", "online", "magazin",
}
# ("More" and "Read" are surnames too, so they are not here.)
_JUNK_WORDS = {"subscribe", "newsletter", "follow", "share", "comments", "comment", "email", "print"}
# Accounts a CMS shows when nobody typed a name.
_CMS_ACCOUNTS = {
    "admin", "administrator", "editor", "editors", "staff", "webmaster", "guest", "team", "newsroom",
    "wpengine", "root", "user", "author", "editorial", "desk", "web desk", "news desk", "staff writer",
    "editorial staff", "editorial team", "the editors", "site admin", "anonymous", "unknown", "redaktion",
    "redacción", "rédaction", "redazione", "redação",
}
# News agencies and large outlets that appear alone in a byline; a page's own names come in
# through `known_outlets`.
_AGENCIES = {
    "associated press", "ap", "the associated press", "reuters", "thomson reuters", "afp", "agence france-presse",
    "agence france presse", "bloomberg", "bloomberg news", "the conversation", "dpa", "deutsche presse-agentur",
    "efe", "agencia efe", "europa press", "ansa", "xinhua", "kyodo", "kyodo news", "upi", "united press international",
    "pa", "pa media", "press association", "ips", "inter press service", "epd", "kna", "apa", "sda", "anp",
    "belga", "tass", "yonhap", "aap", "cnn", "bbc", "npr", "fox news", "propublica", "cbs news", "nbc news",
    "abc news", "al jazeera", "the guardian", "guardian", "the new york times", "the washington post",
}
# Words of running text that are no part of a name (particles like "de", "y", "van" are not here).
_FUNCTION_WORDS = {
    "and", "or", "the", "of", "for", "with", "in", "on", "at", "by", "to", "from", "is", "a", "an", "our", "your",
    "this", "that", "und", "et",
}
# Honorifics are no part of the name a book credits.
_HONORIFIC = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|mx|herr|frau|sr|sra|mme)\.?\s+(?=\S+\s+\S)", re.IGNORECASE)
# Degrees as they are written after a name; case matters, for "Ma" and "Md" are names.
_DEGREES = {
    "PhD", "Ph.D", "Ph.D.", "PHD", "DPhil", "MD", "M.D", "M.D.", "MPH", "MSc", "MA", "M.A.", "MBA", "JD", "J.D.", "LLM",
    "RN", "MFA", "MS", "BSc",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"}
# Particles written in lower case inside a name given in capitals. Italian "Di"/"Della" and a
# "La"/"Le" of their own ("Le Guin") keep their capital; "la" after "de" ("de la Roche") does not.
_PARTICLES = {
    "de", "del", "der", "den", "da", "das", "do", "dos", "du", "des", "van", "von", "ter", "ten", "zu", "bin",
    "binti", "ibn", "y", "e", "af", "av",
}
_SECOND_PARTICLES = {"la", "le", "las", "los", "der", "den"}


def _key(text: str) -> str:
    """Compare names of outlets ignoring case, punctuation and spacing."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


_AGENCY_KEYS = {_key(name) for name in _AGENCIES}


# --- dates, times and other "when" text ---------------------------------------------------------

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((re.escape(w) for w in [*_WEEKDAY_NAMES, *_WEEKDAY_ABBR]), key=len, reverse=True))
_WD = rf"(?:(?:{_WEEKDAY_ALT})\.?,?\s+(?:the\s+)?)?"
_TZ = r"(?:\s*\(?(?-i:[ECMPAH][SD]?T|UTC|GMT|CES?T|BST|IST)(?:[+-]\d{1,2})?\)?)?"
_TIME = rf"(?:\b(?:at|um|à|a las|alle|às)\s+)?\b\d{{1,2}}(?:[:.h]\d{{2}}){{1,2}}\s*(?:[ap]\.?\s?m\.?|uhr|h)?{_TZ}"
_TIME_AMPM = rf"(?:\b(?:at)\s+)?\b\d{{1,2}}\s*[ap]\.?m\b\.?{_TZ}"
_ISO_DATETIME = r"\b\d{4}-\d{2}-\d{2}(?:[T\s]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_NUMERIC = r"\b\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}\b\.?"
_MONTH_FIRST = rf"{_WD}\b(?:{_MONTH_ALT})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"
_MONTH_YEAR = rf"\b(?:{_MONTH_ALT})\.?,?\s+\d{{4}}\b"
_DAY_FIRST = (
    rf"{_WD}\b\d{{1,2}}(?:st|nd|rd|th|er|º|°|\.)?\s+(?:of\s+|de\s+)?(?:{_MONTH_ALT})\b\.?"
    rf"(?:,?\s+(?:de\s+|del\s+)?\d{{4}}\b)?"
)
_DATE = re.compile("|".join([_ISO_DATETIME, _NUMERIC, _MONTH_FIRST, _DAY_FIRST, _MONTH_YEAR]), re.IGNORECASE)
_CLOCK = re.compile(f"{_TIME}|{_TIME_AMPM}", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|months?|years?|yrs?)\s+ago\b"
    r"|\b(?:vor|hace|il y a|há)\s+\d+\s+\w+|\b(?:yesterday|today|just now|gestern|heute|ayer|hoy|hier)\b",
    re.IGNORECASE,
)
_READING_TIME = re.compile(
    r"\b\d+\s*(?:-\s*)?(?:min(?:ute)?s?|minuten?|minutos?|minuti)\b\.?\s*(?:read|reading|de lectura|lesezeit|"
    r"lectura|de lecture|di lettura|de leitura)?\b"
    r"|\b(?:est\.?\s+)?(?:reading time|read time|lesezeit|tiempo de lectura|temps de lecture)\s*:?",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"(?<!originally )(?<!first )\b(?:last\s+)?(?:updated|update|posted|published|modified|edited|revised|"
    r"aktualisiert|veröffentlicht|actualizado|publicado|publié|mis à jour|aggiornato|pubblicato|atualizado)"
    r"(?:\s+(?:on|at|am|el|le|il|em))?\b:?",
    re.IGNORECASE,
)
_UPDATE_BEFORE = re.compile(
    r"(?:updated|update|modified|edited|revised|aktualisiert|actualizado|mis à jour|aggiornato|atualizado)"
    r"(?:\s+(?:on|at|am|el|le|il|em))?\s*:?\s*$",
    re.IGNORECASE,
)


def _date_of(raw: str, language: str | None) -> dt.date | None:
    if re.match(r"\d{4}-\d{2}-\d{2}", raw):  # ISO, with or without a time glued on by "T"
        try:
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            return None
    if re.fullmatch(_NUMERIC, raw):
        return numeric_date(raw, language)
    return parse_date(raw, language)


def _publication_date(text: str, language: str | None) -> dt.date | None:
    """The first date not announced as an update; an update date only when there is nothing else."""
    fallback = None
    for found in _DATE.finditer(text):
        raw = found.group(0)
        date = _date_of(raw.strip(), language)
        if date is None:
            continue
        if not _UPDATE_BEFORE.search(text[max(0, found.start() - 30) : found.start()]):
            return date
        fallback = fallback or date
    return fallback


_WEEKDAY = re.compile(rf"\b(?:{'|'.join(sorted(_WEEKDAY_NAMES, key=len, reverse=True))})\b", re.IGNORECASE)


def _remove_when(text: str) -> str:
    """Replace every date, time, "Updated …" and reading time by a line break (a piece boundary)."""
    for pattern in (_RELATIVE, _READING_TIME, _DATE, _CLOCK, _EVENT):
        text = pattern.sub("\n", text)
    return _WEEKDAY.sub("\n", text)


# --- text clean-up before splitting ------------------------------------------------------------

_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL_OR_HANDLE = re.compile(r"\S*@\S*")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # images (avatars) carry no name we need
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _EMAIL_OR_HANDLE.sub("\n", text)  # handles and e-mail addresses are never names
    text = re.sub(r"[*_`#>]+", " ", text)
    return _unglue(text)


def _unglue(text: str) -> str:
    """Templates glue the next field onto the name: "Jane DoeUNITED NATIONS", "Jane DoeStaff Writer", "Doe5 min"."""
    text = re.sub(r"(?<=[^\W\d_]{2})(?=\d)", " ", text)  # two letters: "2019-11-18T20:51" stays whole
    return " ".join(_unglue_word(word) for word in text.split(" "))


_GLUED_KEYWORDS = _ROLE_WORDS | _EVENT_WORDS | _FULLMONTHS | _JUNK_WORDS


def _unglue_word(word: str) -> str:
    for i in range(2, len(word) - 1):
        if not (word[i - 1].islower() and word[i].isupper()):
            continue
        left, right = word[:i], word[i:]
        stem = re.split(r"[-'’]", left)[-1]
        tail = re.match(r"[^\W\d_]+", right)
        tail_word = tail.group(0).lower() if tail else ""
        # "McDONALD", "DeSHAWN": a short name prefix followed by capitals is one word.
        caps_run = len(stem) > 3 and len(tail_word) >= 2 and right[: len(tail_word)].isupper()
        keyword = tail_word in _GLUED_KEYWORDS
        if caps_run or keyword:
            # a line break: a capitals run after a mixed-case name is then read as its dateline
            return left + "\n" + _unglue_word(right)
    return word


# --- splitting into pieces ---------------------------------------------------------------------

# Lines, bars, slashes, bullets, brackets, spaced dashes and sentence ends separate a byline's fields;
# so does "Special to …"/"Original to …" even when glued to the name without punctuation.
_HARD_SPLIT = re.compile(
    r"\s+(?=(?:[Ss]pecial|[Oo]riginal(?:ly)?) (?:to|for|published)\b|[Ff]iled (?:under|in)\b)|"
    r"\n|\s*[|;/·•()\[\]]\s*|\s+[-–—]+\s+|(?<=[a-z]{2})(?<!\bMrs)(?<!\bMme)\.\s+|(?<=[a-z]{2})\.$"
)
# "By", "Analysis by", "Reporting and writing by" and the same in the other languages read here.
_BY_PREFIX = re.compile(
    r"^(?:(?:[^\W\d_]+\s+){0,2}by|par|por|von|(?-i:di|da)|door|texto(?: de)?|testo(?: di)?|texte(?: de)?|text(?: von)?|"
    r"autor(?:in|a)?|author|auteur(?:e|ice)?|autore|un art[ií]culo de|reportage de)\s*:?\s+",
    re.IGNORECASE,
)
_FILED = re.compile(
    r"^(?:in|under|filed (?:in|under)|categor(?:y|ies)|tags?|topics?|section|rubrik)\b:?\s", re.IGNORECASE
)
_CREDIT = re.compile(
    r"^(?:edit(?:ed|ing)|photos?|photograph(?:s|y)|illustrations?|illustrated|translat(?:ed|ion)|fact[- ]checked|"
    r"produced|video|graphics?|design(?:ed)?|fotos?|ilustraci[oó]n|traducci[oó]n)\b(?:\s+by)?\b",
    re.IGNORECASE,
)
_OUTLET_INTRO = re.compile(
    r"^(?:(?:this (?:article|story|piece) (?:was )?)?(?:originally|first) (?:published|appeared|ran)"
    r"(?: (?:at|in|by|on))?|"
    r"original(?:ly)? (?:to|for|from)|special (?:to|for)|source|quelle|fuente|via|courtesy(?: of)?|"
    r"republished (?:from|with permission (?:of|from))|from|for)\s*:?\s+(.+)$",
    re.IGNORECASE,
)
# "… for The Millbrook Sentinel": a capitalised name after "for" (or "at") is where the person works.
_FOR_OUTLET = re.compile(
    r"\s+(?:for|at)\s+((?:the\s+)?[A-Z][\w.&'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z0-9][\w.&'’!-]*)*)"
)
_CLAUSE = re.compile(r"\s+(?:is|was|has been|writes|covers|reports)\s+.*$", re.IGNORECASE)
# Words left over once a date is cut out: "Posted by admin on", "Jane Doe at".
_CONNECTORS = re.compile(r"^(?:(?:on|at|in|am|um|le|el|il|em)\s+)+|(?:\s+(?:on|at|in|am|um|le|el|il|em))+$")
# "with" joins a co-author ("By Jane Roe with Max Poe") or a credit ("with additional reporting by …").
_AND = re.compile(r"\s+(?:and|&|und|et|with|,\s*and)\s+|\s*&\s*", re.IGNORECASE)
_WEAK_AND = re.compile(r"\s+(?:y|e)\s+")  # also a particle: "José Ortega y Gasset"


@dataclass
class _Piece:
    text: str
    after_comma: bool = False  # came after a comma inside its line
    last_in_line: bool = False


def _pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    for chunk in _HARD_SPLIT.split(text):
        parts = [p for p in re.split(r"\s*,\s*", chunk or "") if p.strip(" .:-–—'\"")]
        for i, part in enumerate(parts):
            pieces.append(_Piece(part.strip(), after_comma=i > 0, last_in_line=i == len(parts) - 1))
    return pieces


# --- names -------------------------------------------------------------------------------------

def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", text.casefold()) if w]


def _in_capitals(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and upper / len(letters) >= 0.75


def _recase_part(part: str, first: bool, after_particle: bool = False) -> str:
    lower = part.lower()
    if not first and (lower in _PARTICLES or (after_particle and lower in _SECOND_PARTICLES)):
        return lower
    if lower.rstrip(".") in {"ii", "iii", "iv"}:
        return part.upper()
    if lower.startswith("mc") and len(part) > 3:
        return "Mc" + part[2:].capitalize()
    return part.capitalize()


def name_case(name: str) -> str:
    """Write a name given in capitals as a name: "JEAN-LUC DE LA ROCHE" -> "Jean-Luc de la Roche"."""
    if not _in_capitals(name):
        return name
    words = []
    for index, word in enumerate(name.split()):
        # split on hyphens and apostrophes, keeping them, so "O’DWYER" and "JEAN-LUC" recase per part
        parts = re.split(r"([-'’])", word)
        after_particle = bool(words) and words[-1] in _PARTICLES
        words.append("".join(_recase_word_part(parts, j, index == 0, after_particle) for j in range(len(parts))))
    return " ".join(words)


def _recase_word_part(parts: list[str], j: int, first_word: bool, after_particle: bool) -> str:
    part = parts[j]
    if part in "-'’":
        return part
    # after an apostrophe a capital follows a one- or two-letter prefix ("O’Dwyer", "D'Angelo"),
    # not a longer stem ("Guivarc'h")
    if j >= 2 and parts[j - 1] in "'’" and len(parts[j - 2]) > 2:
        return part.lower()
    return _recase_part(part, first_word or j > 0, after_particle)


def _trim_piece(text: str) -> str:
    """Quotes, dashes and a closing full stop off a piece; the full stop of an initial or "Jr." stays."""
    text = text.strip(" :-–—'\"“”‘’")
    return text if re.search(r"\b(?:[A-Z]|Jr|Sr)\.$", text) else re.sub(r"\.$", "", text)


def _trim_name(name: str) -> str:
    """Drop degrees and stray punctuation; keep the full stop of an initial or of "Jr."."""
    words = _HONORIFIC.sub("", name.strip(" ,")).split()
    # in a name all in capitals "MA" may be the surname Ma: only a degree after a comma goes then
    while len(words) > 1 and words[-1].strip(",") in _DEGREES and not _in_capitals(" ".join(words[:-1])):
        words.pop()
    if words and words[-1].endswith(".") and not re.fullmatch(r"[^\W\d_]\.|[JS]r\.", words[-1]):
        words[-1] = words[-1].rstrip(".")
    return " ".join(words).strip(" ,")


def _is_outlet(text: str, outlet_keys: set[str]) -> bool:
    key = _key(text)
    if not key:
        return False
    if key in _AGENCY_KEYS or key in outlet_keys:
        return True
    words = _words(text)
    if any(w in _OUTLET_WORDS for w in words) or re.search(r"\.(?:com|org|net|news|de|es|fr|co\.uk)\b", text, re.I):
        return True
    # "The Nation", "The Allotment Post": a capitalised phrase led by "The" is a title, not a person
    return bool(re.match(r"^the\s+[A-Z]", text, re.IGNORECASE)) and text[:1].isupper() and len(words) <= 6


def looks_like_person(name: str) -> bool:
    """Could this text be one person's name as a byline prints it?"""
    name = name.strip()
    words = name.split()
    if not 1 <= len(words) <= 5 or re.search(r"[\d|/@:;,()\[\]<>=+#*_]", name):
        return False
    if not all(any(ch.isalpha() for ch in w) and (w[0].isalpha() or w[0] in "'’") for w in words):
        return False
    if len(words) == 1 and name == name.lower() != name.upper():  # scripts without case are no accounts
        return False  # a CMS account ("admin", "jdoe"), not a name
    if any(w.casefold() in _FUNCTION_WORDS for w in words):
        return False  # "Jane Doe and", "News for the Region": a phrase, not a name
    if name.casefold() in _CMS_ACCOUNTS or _key(name) in _AGENCY_KEYS:
        return False
    tokens = _words(name)
    banned = _ROLE_WORDS | _EVENT_WORDS | _OUTLET_WORDS | _JUNK_WORDS | _WEEKDAY_NAMES
    if any(t in banned for t in tokens):
        return False
    return not any(t in _FULLMONTHS and not (i == 0 and t in _GIVEN_NAMEMONTHS) for i, t in enumerate(tokens))


# --- classification ----------------------------------------------------------------------------

class _Collector:
    """Sorts the pieces of one byline into names, outlets and roles."""

    def __init__(self, outlet_keys: set[str]) -> None:
        self.outlet_keys = outlet_keys
        self.result = Byline()
        self.mixed_case_seen = False
        # "A and B, C": once "and" has closed a list of authors, what follows a comma is not one more
        self.list_closed = False

    def add_outlet(self, text: str) -> None:
        text = text.strip(" .,:;-–—'\"")
        if text and _key(text) not in {_key(o) for o in self.result.outlets}:
            self.result.outlets.append(text)

    def add_role(self, text: str) -> None:
        text = text.strip(" .,:;-–—")
        if text:
            self.result.roles.append(text)

    def add_piece(self, piece: _Piece) -> None:
        if not piece.after_comma:
            self.list_closed = False  # a new line, a new list
        text = _trim_piece(piece.text)
        # ", and C" (serial comma), ", with C": the piece carries on the list of authors
        joined = re.match(r"^(?:and|&|und|et|y|e|with)\s+", text)
        text = self._take_furniture(text[joined.end() :] if joined else text)
        if text:
            self.add_text(text, piece, continues_list=bool(joined))
            self.list_closed |= bool(joined or _AND.search(text))

    def _take_furniture(self, text: str) -> str:
        """Keep what is no name (degree, account, suffix, section, credit, outlet); the rest, "By" taken off."""
        lower = text.lower()
        if not any(ch.isalpha() for ch in text) or text in _DEGREES or lower in _CMS_ACCOUNTS:
            return ""
        if lower in _SUFFIXES:
            self._append_suffix(text)
            return ""
        if _FILED.match(text):
            # "in Politics", "Filed under Transport": the section, not a person; "in Transport by Jane Roe"
            after_by = re.search(r"\sby\s+(\S.*)$", text, re.IGNORECASE)
            text = after_by.group(1) if after_by else ""
        if _CREDIT.match(text):
            self.add_role(text)  # "Photos by …", "Edited by …": credits, not authors
            return ""
        intro = _OUTLET_INTRO.match(text)
        if intro:
            if re.match(r"special", text, re.IGNORECASE):
                self.add_role(text)
            self.add_outlet(intro.group(1))
            return ""
        # also "By" alone on its line, the names on the lines below it
        return _CONNECTORS.sub("", _BY_PREFIX.sub("", text + " ").strip())

    def add_text(self, text: str, piece: _Piece, continues_list: bool = False) -> None:
        text = self._split_trailing_outlet(text)
        closed = self.list_closed and piece.after_comma and not continues_list
        if closed and not self._role_in(text) and not _in_capitals(text):
            self.add_outlet(text)
            return
        # several authors in one piece are judged one by one (in _add_names), not as one outlet
        if not _AND.search(text) and _is_outlet(text, self.outlet_keys) and not self._role_in(text):
            self.add_outlet(text)
            return
        clause = _CLAUSE.search(text)
        if clause:
            self._add_role_text(clause.group(0))
            text = text[: clause.start()]
        for_outlet = _FOR_OUTLET.search(text)
        if for_outlet and not self._role_in(text[: for_outlet.start()]):
            self.add_outlet(for_outlet.group(1))
            text = text[: for_outlet.start()]
        if self._role_in(text) or re.match(r"^(?:a|an|the)\s", text):
            text = self._split_glued_role(text)
            if not text:
                return
        if self._is_dateline(text, piece):
            return
        self._add_names(text)

    def _append_suffix(self, suffix: str) -> None:
        """ "Jane Roe, Jr.": the suffix belongs to the name before it (if that stays a name's length)."""
        if self.result.names and looks_like_person(f"{self.result.names[-1]} {suffix}"):
            self.result.names[-1] = f"{self.result.names[-1]} {suffix}"

    def _split_trailing_outlet(self, text: str) -> str:
        """ "Jane Doe Associated Press": a known agency glued after the name, without a separator."""
        words = text.split()
        for size in range(min(4, len(words) - 2), 0, -1):
            tail = " ".join(words[-size:])
            if _key(tail) in _AGENCY_KEYS or _key(tail) in self.outlet_keys:
                self.add_outlet(tail)
                rest = " ".join(words[:-size])
                return re.sub(r"(?:\s+(?:for|with|at|of|from|in|and|und|et|y|e|&|,))+$", "", rest, flags=re.IGNORECASE)
        return text

    def _add_role_text(self, text: str) -> None:
        self.add_role(text)
        for found in _FOR_OUTLET.finditer(text):
            if re.search(r"\bfor\s", found.group(0), re.IGNORECASE):
                self.add_outlet(found.group(1))

    @staticmethod
    def _role_in(text: str) -> bool:
        return any(w in _ROLE_WORDS or w.split("-")[0] in _ROLE_WORDS for w in re.findall(r"[\w-]+", text.casefold()))

    def _split_glued_role(self, text: str) -> str:
        """ "Jane Doe Senior Correspondent" -> "Jane Doe", the role kept apart; a role alone -> ''."""
        words = text.split()
        is_role = [self._role_in(w) for w in words]
        start = next((i for i, w in enumerate(words) if is_role[i] or w.lower() in {"a", "an", "the"}), len(words))
        if start < len(words) and is_role[start] and all(w.lower() in _ROLE_MODIFIERS for w in words[:start]):
            # "Staff Writer Jane Doe": the title in front, the name after its last role word
            after = len(words) - is_role[::-1].index(True)
            if len(words) - after >= 2 and looks_like_person(" ".join(words[after:])):
                self._add_role_text(" ".join(words[:after]))
                return " ".join(words[after:])
        name_in_capitals = _in_capitals(" ".join(words[:2]))
        # walk back over the role's own modifiers ("Senior", "AP Auto") while two words of name remain
        while start > 2 and _is_role_modifier(words[start - 1], name_in_capitals):
            start -= 1
        if start < 2:
            self._add_role_text(text)
            return ""
        self._add_role_text(" ".join(words[start:]))
        return " ".join(words[:start])

    def _is_dateline(self, text: str, piece: _Piece) -> bool:
        """ "JANE DOE, NAIROBI", "Jane Doe⏎UNITED NATIONS": a place in capitals after a name."""
        if not _in_capitals(text) or not self.result.names:
            return False
        if self.mixed_case_seen:
            return True
        return piece.after_comma and piece.last_in_line and not _AND.search(text)

    def _add_names(self, text: str) -> None:
        for part in _split_authors(text):
            if _CREDIT.match(part):
                self.add_role(part)  # "… with photos by Max Roe"
                continue
            part = _BY_PREFIX.sub("", part + " ").strip()  # "… with additional reporting by Max Roe"
            name = name_case(_trim_name(part))
            if part.lower().strip(".") in _SUFFIXES:
                self._append_suffix(part)
            elif _is_outlet(name, self.outlet_keys):
                self.add_outlet(name)
            elif looks_like_person(name) and name not in self.result.names:
                self.mixed_case_seen |= not _in_capitals(part)
                self.result.names.append(name)


_ROLE_MODIFIERS = {
    "senior", "junior", "chief", "deputy", "associate", "assistant", "managing", "executive", "contributing",
    "national", "foreign", "political", "politics", "science", "health", "business", "sports", "climate", "tech",
    "technology", "auto", "economics", "economy", "investigative", "data", "food", "travel", "legal", "medical",
    "education", "environment", "environmental", "energy", "labor", "labour", "arts", "culture", "music", "film",
    "white", "house", "staff", "opinion", "news", "features", "special", "global", "international", "local",
    "metro", "state", "capitol", "courts", "crime", "investigations", "general", "assignment", "visual",
}


def _is_role_modifier(word: str, name_in_capitals: bool) -> bool:
    """ "Senior", "Political", "AP" before a job title; an acronym only beside a mixed-case name."""
    if word.lower() in _ROLE_MODIFIERS or _key(word) in _AGENCY_KEYS:
        return True
    return word.isupper() and len(word) <= 4 and not name_in_capitals


def _split_authors(text: str) -> list[str]:
    parts: list[str] = []
    for part in _AND.split(text):
        halves = _WEAK_AND.split(part, maxsplit=1)
        # "y"/"e" join two people only when both sides are full names; else it is a particle
        if len(halves) == 2 and all(len(h.split()) >= 2 for h in halves):
            parts.extend(_split_authors(halves[0]) + _split_authors(halves[1]))
        else:
            parts.append(part)
    return [p for p in parts if p.strip()]


def parse_byline(text: str, language: str | None = None, known_outlets: Iterable[str] = ()) -> Byline:
    """Person names, the publication date and the outlets in a byline as a page shows it."""
    collector = _Collector({_key(o) for o in known_outlets if _key(o)})
    plain = _plain(text)
    collector.result.date = _publication_date(plain, language)
    for piece in _pieces(_remove_when(plain)):
        collector.add_piece(piece)
    _single_words_to_outlets(collector)
    return collector.result


def _single_words_to_outlets(collector: _Collector) -> None:
    """A lone capitalised word beside full names is the publication ("Floodline"), not a mononym."""
    names = collector.result.names
    if not any(len(n.split()) >= 2 for n in names):
        return
    for name in [n for n in names if len(n.split()) == 1]:
        names.remove(name)
        collector.add_outlet(name)
