"""Decoding of saved text files: the bytes are checked before anything parses them."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError

MAX_INPUT_BYTES = 8 * 1024 * 1024  # a long article is ~100 KB; more is not an article


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            megabytes, limit = size // (1024 * 1024), MAX_INPUT_BYTES // (1024 * 1024)
            raise InputError(f"{path}: {megabytes} MB is over the {limit} MB limit for one article")
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not an article file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    text = decode(data, path)
    if not text.strip():
        raise InputError(f"{path}: the article file is empty")
    return text


def decode(data: bytes, path: Path) -> str:
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, encoding in boms:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: looks like a binary file, not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Saved pages that are not UTF-8 are almost always Windows-1252 (a superset of Latin-1).
        text = data.decode("cp1252", errors="replace")
    if _looks_binary(text[:4096]):
        raise InputError(f"{path}: looks like a binary file, not a text article")
    return text


_ODD_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")  # control characters text does not use
BINARY_SHARE = 0.02  # text has almost none of them; compressed or image data has many


def _looks_binary(sample: str) -> bool:
    return bool(sample) and len(_ODD_CHARACTERS.findall(sample)) / len(sample) > BINARY_SHARE
