"""A build killed part-way replaces nothing: the previous book keeps its bytes, and whatever
temporary file a SIGKILL leaves is swept by the next build.

The build runs as a real `anthology build` process on a collection big enough to take a while.
The test waits until the process has opened its temporary `.part` file beside the book (so it
is mid-write, not still reading articles), then sends the signal.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.errors import BuildInterrupted

# Enough that writing the book takes a good part of a second (EPUB) or seconds (PDF): the signal
# lands while the temporary file is open. A PDF is slower to lay out, so it gets fewer articles.
ARTICLES = {"epub": 12, "pdf": 3}
FIRST, SECOND = "1700000000", "1710000000"  # two build dates, so the two builds differ in bytes
WORDS = ["harbour", "reading", "room", "lamp", "winter", "roof", "volunteer", "shelf", "book", "evening", "tide",
         "ferry", "lantern", "market", "street", "council", "library", "archive", "letter", "map"]


def write_collection(folder: Path, articles: int) -> Path:
    folder.mkdir(parents=True)
    entries = []
    for number in range(articles):
        pick = random.Random(number).choice  # seeded: the same collection every run, no two articles alike
        paragraphs = [" ".join(pick(WORDS) for _ in range(60)).capitalize() + "." for _ in range(25)]
        text = f"# Essay number {number}\n\nBy Writer {number}\n\nThe Harbour Post, May 2, 2023\n\n"
        (folder / f"a{number:02d}.md").write_text(text + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        entries.append(f"  - path: a{number:02d}.md\n")
    manifest = folder / "collection.yaml"
    manifest.write_text("title: Big Book\noutput: big\narticles:\n" + "".join(entries), encoding="utf-8")
    return manifest


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """For each format, a collection and an output folder holding its book built on FIRST."""
    found = {}
    for fmt, articles in ARTICLES.items():
        folder = tmp_path_factory.mktemp(f"interrupted-{fmt}")
        manifest = write_collection(folder / "c", articles)
        build(manifest, folder / "out", fmt, FIRST)
        found[fmt] = (manifest, folder / "out")
    return found


def build(manifest: Path, out: Path, fmt: str, epoch: str) -> None:
    result = CliRunner().invoke(main, ["build", str(manifest), "-o", str(out), "-f", fmt, "-q"],
                                env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, result.output


def listing(out: Path) -> dict[str, tuple[int, int, str]]:
    return {path.name: (path.stat().st_size, path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
            for path in sorted(out.iterdir())}


def parts(out: Path, book: str) -> list[Path]:
    return sorted(out.glob(f".{book}.*.part"))


def start_and_wait_for_part(manifest: Path, out: Path, fmt: str, log: Path) -> subprocess.Popen[bytes]:
    """A real build process, returned once its temporary file for the book exists."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SECOND}
    # Output goes to files, not pipes: a pipe nobody reads while we poll would block the build.
    process = subprocess.Popen([sys.executable, "-m", "compiler", "build", str(manifest), "-o", str(out), "-f", fmt,
                                "-q"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not parts(out, f"big.{fmt}"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            pytest.fail(f"the build ended (or hung) before writing its book: {log.read_text(errors='replace')}")
        time.sleep(0.002)
    return process


@pytest.mark.parametrize("fmt", ["epub", "pdf"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_killed_build_leaves_the_previous_book_and_no_lasting_litter(
        books: dict[str, tuple[Path, Path]], tmp_path: Path, fmt: str, sig: signal.Signals) -> None:
    manifest, built = books[fmt]
    out = tmp_path / "out"
    shutil.copytree(built, out)  # copy2: the same bytes and mtimes
    before = listing(out)

    log = tmp_path / "build.log"
    process = start_and_wait_for_part(manifest, out, fmt, log)
    try:
        os.kill(process.pid, sig)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:  # it ignored the signal: end it so no build lingers
            process.kill()
            process.wait()
        with contextlib.suppress(ProcessLookupError):  # and any worker it started, in its own session
            os.killpg(process.pid, signal.SIGKILL)
    stderr = log.read_bytes()

    leftovers = parts(out, f"big.{fmt}")
    if sig == signal.SIGINT:
        assert process.returncode == BuildInterrupted.exit_code, stderr
        assert b"error: interrupted" in stderr and b"Traceback" not in stderr
        assert leftovers == [], "an interrupted build removes its temporary file"
        assert listing(out) == before
        return
    assert process.returncode == -signal.SIGKILL
    assert leftovers, "the process was killed mid-write, so its temporary file is still there"
    assert {name: v for name, v in listing(out).items() if not name.endswith(".part")} == before

    build(manifest, out, fmt, SECOND)  # the next build sweeps what a killed one left
    assert parts(out, f"big.{fmt}") == []
    after = listing(out)
    assert after[f"big.{fmt}"][2] != before[f"big.{fmt}"][2], "the killed build would have changed the book"
