"""A deterministic zip writer that takes entries already deflated.

Python's zipfile compresses every entry it writes, and a rebuild of a large EPUB changes few of
its entries: compressing all of them again was a tenth of a rebuild. Here each entry's deflated
bytes are kept from the last build (in the work cache, by a digest of the entry's content) and
written as they are. The bytes written are those zipfile writes for the same entries (a test
compares them): local headers, data, central directory, end record; no data descriptors, no
extra fields, Unix permissions 0644 and one timestamp for every entry.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from typing import IO

from ..cache import DEFLATED_ENTRIES, LastBuild, WorkCache

VERSION = 20  # "2.0": deflate, what zipfile writes as both made-by and needed-to-extract
UNIX = 3
PERMISSIONS = 0o644 << 16
UTF8_NAMES = 0x800

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Deflated:
    crc: int
    size: int  # of the content
    data: bytes  # raw deflate stream (or the content itself, stored)
    stored: bool = False


def deflate(content: bytes, level: int) -> Deflated:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate, as zip wants
    return Deflated(zlib.crc32(content), len(content), compressor.compress(content) + compressor.flush())


def stored(content: bytes) -> Deflated:
    return Deflated(zlib.crc32(content), len(content), content, stored=True)


class DeflateMemo:
    """Entries deflated by the last build, by a digest of their content: deflating depends on
    nothing else, so an entry found here is never stale (kept as cache.LastBuild keeps things)."""

    def __init__(self, cache: WorkCache | None, level: int) -> None:
        self.level = level
        self.last: LastBuild[Deflated] = LastBuild(cache, DEFLATED_ENTRIES, str(level))

    def deflate(self, content: bytes) -> Deflated:
        key = hashlib.sha256(content).digest()
        return self.last.get(key, lambda: deflate(content, self.level))

    def keep(self) -> None:
        self.last.keep()


def write_zip(stream: IO[bytes], entries: list[tuple[str, Deflated]], stamp: tuple[int, ...]) -> None:
    """Write the entries, in order, each dated `stamp` (year, month, day, hour, minute, second)."""
    year, month, day, hour, minute, second = stamp
    date = (year - 1980) << 9 | month << 5 | day
    time = hour << 11 | minute << 5 | second // 2
    central: list[bytes] = []
    offset = 0
    for name, entry in entries:
        encoded, flags = _name(name)
        method = 0 if entry.stored else zlib.DEFLATED
        fields = (VERSION, 0, flags, method, time, date, entry.crc, len(entry.data), entry.size, len(encoded), 0)
        header = _LOCAL.pack(b"PK\x03\x04", *fields) + encoded
        stream.write(header)
        stream.write(entry.data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", VERSION, UNIX, VERSION, 0, flags, method, time, date,
                                     entry.crc, len(entry.data), entry.size, len(encoded), 0, 0, 0, 0,
                                     PERMISSIONS, offset) + encoded)
        offset += len(header) + len(entry.data)
    directory = b"".join(central)
    stream.write(directory)
    stream.write(_END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0))


def _name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), UTF8_NAMES
