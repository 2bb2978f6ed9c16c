"""Typography of a published book on the model's text: quotes, apostrophes, dashes, ellipses and
the spaces each language sets around punctuation (rules as data: compiler/book/typography.yaml).

Applied when the book is made from the normalised articles (book.book_view), so every format
gets it. Text inside code, preformatted text, URLs and quoted markup (`<a href="x">` written out
in a paragraph) is left as typed. Running the pass twice changes nothing more than once.

No library fits: smartypants, the usual choice, knows only English quotes and has not been
released since 2016; the decisions below are its decisions (a quote after a space opens, one
after a letter closes, one between letters is an apostrophe), the marks come from the data.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from lxml import etree

from ..model import Article
from ..readers.xmlsafe import parse_xml

_DATA = Path(__file__).with_name("typography.yaml")

# Elements whose text is code or machine text, never typeset.
_VERBATIM = {"code", "pre", "kbd", "samp", "var", "tt", "script", "style", "math", "svg"}

# Runs of a text left as typed: URLs, e-mail addresses, markup written out as text.
_PROTECTED = re.compile(r"(?:https?|ftp)://\S+|www\.\S+\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|<[^<>\n]{1,200}>")

# A block with none of these has nothing to typeset (most paragraphs have some).
_CANDIDATES = re.compile(r"['\"]|&quot;|&#39;|&#34;|--|\.\s?\.\s?\.| - |[:;!?«»]")

_OPENERS = set("([{<“‘«‹„‚—–-/")  # a quote mark after these (or a space) opens
_ELISIONS = re.compile(r"'(?=(?:tis|twas|em|n|cause|til|\d\ds)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    quotes: tuple[str, str, str, str]
    dash: str  # "closed" or "spaced"
    quote_space: str = ""
    space_before: dict[str, str] = field(default_factory=dict)


@functools.cache
def _table() -> tuple[Rules, dict[str, Rules]]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))

    def rules(item: dict) -> Rules:
        return Rules(tuple(item["quotes"]), item["dash"], item.get("quote_space", ""),  # type: ignore[arg-type]
                     dict(item.get("space_before", {})))

    return rules(data["default"]), {code: rules(item) for code, item in data["languages"].items()}


def rules_for(language: str | None) -> Rules:
    default, languages = _table()
    primary = (language or "").split("-")[0].lower()
    return languages.get(primary, default)


# ---- Plain text ----------------------------------------------------------------------------


@dataclass
class _State:
    """What the text before a run says about the run's first characters."""

    previous: str = " "
    open_single: bool = False
    open_double: bool = False


def typeset_text(text: str, language: str | None, state: _State | None = None) -> str:
    """`text` with the language's typography; URLs, addresses and written-out markup untouched."""
    state = state or _State()
    rules = rules_for(language)
    out = []
    at = 0
    for match in _PROTECTED.finditer(text):
        out.append(_typeset_run(text[at:match.start()], rules, state))
        out.append(match[0])
        state.previous = match[0][-1]
        at = match.end()
    out.append(_typeset_run(text[at:], rules, state))
    return "".join(out)


def _typeset_run(text: str, rules: Rules, state: _State) -> str:
    if not text:
        return text
    text = re.sub(r"(?<!\.)\.\.\.(?!\.)|(?<=\S) ?\. \. \.", "…", text)
    text = _dashes(text, rules)
    text = _ELISIONS.sub("’", text)
    text = _quotes(text, rules, state)
    text = _spaces(text, rules)
    state.previous = text[-1]
    return text


def _dashes(text: str, rules: Rules) -> str:
    text = text.replace("---", "—")
    if rules.dash == "closed":
        text = re.sub(r"(?<=\S) --? (?=\S)|(?<=\w)--(?=\w)", "—", text)
        return re.sub(r" ?-- ?", "—", text)
    text = re.sub(r"(?<=\S) -{1,2} (?=\S)|(?<=\w)--(?=\w)", " – ", text)
    return text.replace("--", "–")


def _quotes(text: str, rules: Rules, state: _State) -> str:
    open_double, close_double, open_single, close_single = rules.quotes
    out = list(text)
    # Only the quote marks change; each is decided by the character before it as set (an earlier
    # mark already curled) and the one after it. Looking at them alone spares a walk over every letter.
    for found in _STRAIGHT_QUOTES.finditer(text):
        index = found.start()
        char = found[0]
        previous = out[index - 1] if index else state.previous
        # A run can end where inline markup starts (`"<em>`): the text goes on after it.
        following = text[index + 1] if index + 1 < len(text) else "x"
        if char == '"':
            # Chinese and Japanese set no space before a quotation: there the count decides.
            opens = _opens(previous, following) or (_ideographic(previous) and not state.open_double)
            char, state.open_double = (open_double, True) if opens else (close_double, False)
        elif char == "'":
            if previous.isalnum() and following.isalnum():
                char = "’"  # inside a word: don't, l'aube
            elif _opens(previous, following):
                char, state.open_single = open_single, True
            elif state.open_single:
                char, state.open_single = close_single, False
            else:
                char = "’"  # the end of a word: the boys' books
        out[index] = char
    return "".join(out)


_STRAIGHT_QUOTES = re.compile("[\"']")


def _ideographic(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def _opens(previous: str, following: str) -> bool:
    return (previous.isspace() or previous in _OPENERS) and not following.isspace()


def _spaces(text: str, rules: Rules) -> str:
    if rules.quote_space:
        space = rules.quote_space
        open_double, close_double = rules.quotes[0], rules.quotes[1]
        text = re.sub(f"{re.escape(open_double)}[ \u00a0\u202f]?", open_double + space, text)
        text = re.sub(f"[ \u00a0\u202f]?{re.escape(close_double)}", space + close_double, text)
    for mark, space in rules.space_before.items():
        # After a word or a closing mark, before a space or the end: not inside 10:30 or "?!".
        after = r"(?=\s|$|[»”)\]])" if mark == ":" else r"(?=\s|$|[»”)\]!?;:])"
        text = re.sub(rf"(?<=[\w»”)\]…])[ \u00a0\u202f]?{re.escape(mark)}{after}", space + mark, text)
    return text


# ---- XHTML ---------------------------------------------------------------------------------


def typeset_html(html: str, language: str | None, state: _State | None = None) -> str:
    """One block's XHTML with its text typeset; the same string when nothing changed."""
    if not _CANDIDATES.search(html):
        return html
    root = parse_xml(f"<div>{html}</div>")
    state = state or _State()
    changed = _walk(root, language, state)
    if not changed:
        return html
    return (root.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in root)


def _walk(element: etree._Element, language: str | None, state: _State) -> bool:
    changed = False
    language = element.get("lang") or element.get("{http://www.w3.org/XML/1998/namespace}lang") or language
    if element.text:
        new = typeset_text(element.text, language, state)
        changed |= new != element.text
        element.text = new
    for child in element:
        if isinstance(child.tag, str) and child.tag.split("}")[-1] in _VERBATIM:
            state.previous = "x"  # code reads as a word to the quote after it
        elif isinstance(child.tag, str):
            changed |= _walk(child, language, state)
        if child.tail:
            new = typeset_text(child.tail, language, state)
            changed |= new != child.tail
            child.tail = new
    return changed


# ---- Articles ------------------------------------------------------------------------------


Remembered = Callable[[Hashable, Callable[[], str]], str]


def _fingerprint(value: str) -> bytes:
    """A short key for a text (a remembered result is looked up by it, not by the whole text)."""
    return hashlib.blake2b(value.encode("utf-8"), digest_size=16).digest()


def _fresh(key: Hashable, make: Callable[[], str]) -> str:
    return make()


def typeset_article(article: Article, language: str, remembered: Remembered = _fresh) -> Article:
    """A copy of the article with its title, subtitle and every block typeset in its language
    (the article's own, else the book's); the normalised article is left as it was.

    `remembered(key, make)` may hand back what an earlier build made for the same key (a
    cache.LastBuild's get): a rebuild then typesets only the blocks that changed.
    """
    language = article.meta.language or language

    def html(value: str) -> str:
        return remembered((language, "html", _fingerprint(value)), lambda: _block_html(value, language))

    def text(value: str | None) -> str | None:
        if not value:
            return value
        return remembered((language, "text", _fingerprint(value)), lambda: typeset_text(value, language))

    meta = replace(article.meta, title=text(article.meta.title), subtitle=text(article.meta.subtitle))
    blocks = [replace(block, html=html(block.html), text=text(block.text) or "", lines=[], line_texts=[])
              for block in article.blocks]
    return replace(article, meta=meta, blocks=blocks)


# Every format of one build typesets the same blocks: the second finds them here.
@functools.lru_cache(maxsize=16384)
def _block_html(html: str, language: str) -> str:
    return typeset_html(html, language)
