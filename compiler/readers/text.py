"""Decoding of saved text files: the bytes are checked before anything parses them.

The encoding is found, not assumed: a byte-order mark, then what the page or the server
declares, then strict UTF-8, then charset_normalizer's detection. Text that was decoded wrongly
once before it was saved (mojibake such as "cafÃ©") is repaired with ftfy.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # ftfy and charset_normalizer are imported only when a file needs them
    import ftfy

MAX_INPUT_BYTES = 8 * 1024 * 1024  # a long article is ~100 KB; more is not an article


def read_text(path: Path) -> str:
    text = decode(read_bytes(path), path)
    if not text.strip():
        raise InputError(f"{path}: the article file is empty")
    return text


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            megabytes, limit = size // (1024 * 1024), MAX_INPUT_BYTES // (1024 * 1024)
            raise InputError(f"{path}: {megabytes} MB is over the {limit} MB limit for one article")
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not an article file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def decode(data: bytes, path: Path | str, declared: str | None = None) -> str:
    """The text of `data`; `declared` is the charset the server or the page itself names."""
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, encoding in boms:
        if data.startswith(bom):
            return repair_mojibake(data.decode(encoding, errors="replace"))
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: looks like a binary file, not a text article")
    text = _decode_declared(data, declared)
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _nearly_utf8(data) or _detect(data)
    if _looks_binary(text[:4096]):
        raise InputError(f"{path}: looks like a binary file, not a text article")
    return repair_mojibake(text)


MAX_STRAY_BYTES = 1 / 5000  # bytes that are not UTF-8, per character, in a file that otherwise is


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes (a pasted Latin-1 character in a UTF-8 page) is UTF-8.

    Detection on such a file guesses a single-byte charset, which garbles every accented letter
    of the article instead of one character.
    """
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd")
    decoded = sum(1 for char in text if ord(char) > 0x7F) - stray  # characters UTF-8 did decode
    # a Windows-1252 file's accented letters are all stray: only a file mostly UTF-8 passes
    if stray <= max(3, len(text) * MAX_STRAY_BYTES) and decoded >= 10 * stray:
        return text
    return None


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared.strip().strip("'\"")).name
    except LookupError:
        return None  # a misspelt charset: detect instead
    if name == "latin-1" or name == "iso8859-1":
        name = "cp1252"  # as browsers do: pages labelled Latin-1 use Windows-1252's extra characters
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return None  # the declaration is wrong for these bytes


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes  # only for files that are not UTF-8: a slow import

    results = list(from_bytes(data))
    if not results:  # nothing fits: Windows-1252 decodes every byte but five
        return data.decode("cp1252", errors="replace")
    best = results[0]
    # Short texts often fit several single-byte encodings equally well; among those ties the
    # web's commonest legacy encoding is the likeliest (a French "fête" rather than "fęte").
    tied = [m for m in results if m.chaos <= best.chaos + TIE and m.coherence >= best.coherence - TIE]
    western = next((m for m in tied if "cp1252" in m.could_be_from_charset), best)
    return str(western)


TIE = 0.01


@cache
def _fixer_config() -> ftfy.TextFixerConfig:
    import ftfy  # deferred: ftfy is slow to import, and most texts have no mojibake to repair

    # Only encoding repairs: a book keeps its curly quotes, ligatures and full-width characters.
    return ftfy.TextFixerConfig(
        unescape_html=False, uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False,
        fix_line_breaks=False, remove_control_chars=False, normalization=None, explain=False,
    )


_MOJIBAKE_HINT = re.compile("[\u00c2\u00c3\u00c5\u00e2\u00d0\u00d1][\u0080-\u02ff\u2000-\u20ff]")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 before saving; text without the telltale pairs is left alone."""
    if not _MOJIBAKE_HINT.search(text):
        return text  # ftfy is slow on long texts, and most have nothing to repair
    import ftfy  # deferred, as in _fixer_config

    return ftfy.fix_text(text, _fixer_config())


_ODD_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")  # control characters text does not use
BINARY_SHARE = 0.02  # text has almost none of them; compressed or image data has many


def _looks_binary(sample: str) -> bool:
    return bool(sample) and len(_ODD_CHARACTERS.findall(sample)) / len(sample) > BINARY_SHARE
