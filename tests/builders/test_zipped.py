"""The zip writer that takes deflated entries writes what zipfile writes, and keeps its work."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from compiler.builders import zipped
from compiler.builders.zipped import Deflated, DeflateMemo, deflate, stored, write_zip
from compiler.cache import WorkCache

STAMP = (2023, 11, 14, 22, 13, 20)
ENTRIES = [("mimetype", b"application/epub+zip"), ("EPUB/content.opf", b"<package/>" * 50),
           ("EPUB/empty.xhtml", b""), ("EPUB/images/caf\u00e9.png", bytes(range(256)) * 40),
           ("EPUB/text.xhtml", "Prose with ‘quotes’ and more prose. ".encode() * 400)]


def with_zipfile(level: int) -> bytes:
    """The same entries as Python's zipfile writes them (as anthology wrote EPUBs before)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in ENTRIES:
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, content, compresslevel=level)
    return out.getvalue()


def test_written_bytes_are_zipfiles() -> None:
    for level in (1, 6, 9):
        out = io.BytesIO()
        write_zip(out, [(name, stored(data) if name == "mimetype" else deflate(data, level))
                        for name, data in ENTRIES], STAMP)
        assert out.getvalue() == with_zipfile(level)
        with zipfile.ZipFile(out) as archive:
            assert archive.testzip() is None
            assert [(i.filename, archive.read(i)) for i in archive.infolist()] == ENTRIES


def test_memo_deflates_only_new_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deflated: list[bytes] = []

    def counting(content: bytes, level: int) -> Deflated:
        deflated.append(content)
        return deflate(content, level)

    monkeypatch.setattr(zipped, "deflate", counting)
    first = DeflateMemo(WorkCache.for_collection(tmp_path), 6)
    for _, data in ENTRIES[1:]:
        first.deflate(data)
    first.keep()
    assert len(deflated) == 4
    changed = ENTRIES[4][1] + b" One more sentence."
    again = DeflateMemo(WorkCache.for_collection(tmp_path), 6)
    assert again.deflate(ENTRIES[1][1]) == deflate(ENTRIES[1][1], 6)
    assert again.deflate(changed) == deflate(changed, 6)
    assert deflated[4:] == [changed]  # the unchanged entry came from the last build
    again.keep()
    assert len(DeflateMemo(WorkCache.for_collection(tmp_path), 6).last.known) == 2  # what the last build used
