"""`build --watch`: each save is rebuilt, and every rebuild equals a fresh build of the same files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdf_fixtures import write_flat

EPOCH = "1700000000"
WAIT = 60.0  # seconds; a rebuild of this small book takes well under one


class Watcher:
    """`anthology build --watch` in a subprocess, its stderr collected line by line."""

    def __init__(self, manifest: Path, out: Path) -> None:
        self.epub = out / "small-book.epub"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "compiler", "build", str(manifest), "-f", "epub", "-o", str(out), "--watch"],
            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, text: str, after: int = 0) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            found = [line for line in self.lines[after:] if text in line]
            if found:
                return found[0]
            assert self.process.poll() is None, f"the watcher stopped: {self.lines}"
            time.sleep(0.02)
        raise AssertionError(f"no line with {text!r} in {self.lines}")

    def rebuild_after(self, change: callable) -> None:  # type: ignore[valid-type]
        """Make a change and wait for the build it starts to finish."""
        seen = len(self.lines)
        time.sleep(0.05)  # a different modification time from the previous save on any file system
        change()
        self.wait_for_line("built ", after=seen)


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return " ".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xhtml"))


def fresh_build(manifest: Path, out: Path) -> bytes:
    subprocess.run([sys.executable, "-m", "compiler", "build", str(manifest), "-f", "epub", "-o", str(out), "-q",
                    "--no-cache"], env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=True)
    return (out / "small-book.epub").read_bytes()


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Watcher, Path]]:
    manifest = write_flat(tmp_path / "book", "", articles=3)
    watcher = Watcher(manifest, tmp_path / "out")
    watcher.wait_for_line("built ")
    yield watcher, manifest
    if watcher.process.poll() is None:
        watcher.process.kill()
        watcher.process.wait()


def test_each_save_is_rebuilt_exactly_as_a_fresh_build(watching: tuple[Watcher, Path], tmp_path: Path) -> None:
    watcher, manifest = watching
    article = manifest.parent / "a2.md"
    watcher.rebuild_after(lambda: article.write_text(
        article.read_text(encoding="utf-8").replace("# Short Piece Number 2", "# A Retitled Second Piece"),
        encoding="utf-8"))
    edited = watcher.epub.read_bytes()
    assert edited == fresh_build(manifest, tmp_path / "fresh-1")
    assert "A Retitled Second Piece" in epub_text(watcher.epub)

    original = manifest.read_text(encoding="utf-8")
    # An override in the manifest, then taken away again: the kept articles must not remember it.
    watcher.rebuild_after(lambda: manifest.write_text(
        original.replace("  - path: a1.md\n", "  - path: a1.md\n    title: Overridden\n    authors: [Someone Else]\n"),
        encoding="utf-8"))
    assert watcher.epub.read_bytes() == fresh_build(manifest, tmp_path / "fresh-2")
    watcher.rebuild_after(lambda: manifest.write_text(original, encoding="utf-8"))
    assert watcher.epub.read_bytes() == fresh_build(manifest, tmp_path / "fresh-3")
    assert watcher.epub.read_bytes() == edited


def test_a_broken_save_is_reported_and_watching_goes_on(watching: tuple[Watcher, Path]) -> None:
    watcher, manifest = watching
    original = manifest.read_text(encoding="utf-8")
    built = watcher.epub.read_bytes()
    seen = len(watcher.lines)
    manifest.write_text(original + "articles: [unclosed\n", encoding="utf-8")
    error = watcher.wait_for_line("error: ", after=seen)
    assert "collection.yaml" in error
    watcher.wait_for_line("build failed", after=seen)
    assert watcher.process.poll() is None, "still watching"
    assert watcher.epub.read_bytes() == built, "the last good book is left in place"
    watcher.rebuild_after(lambda: manifest.write_text(original, encoding="utf-8"))
    watcher.process.send_signal(signal.SIGINT)
    assert watcher.process.wait(timeout=WAIT) == 0
    assert any("stopped watching" in line for line in watcher.lines)
