"""The `build --watch` rebuild, for benchmarks/run.py: from saving one article to the new EPUB.

The watcher is started on the collection and left to finish its first build. Then, a few
times, one article's text is changed and the clock runs until the EPUB in the output folder is
replaced (the build writes it by renaming a finished file into place, so the new modification
time means the whole book is there). The figure is the median; watchfiles' wait for a burst of
saves to end (compiler/commands/watch.py, QUIET_MS) is inside it. Peak memory is the watcher's own (VmHWM).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = 5
TIMEOUT = 600.0


def watch_rebuild(manifest: Path, out: Path, env: dict[str, str]) -> tuple[float, float]:
    """Median seconds from saving one article to the rebuilt EPUB, and the watcher's peak RSS (MB)."""
    epub = out / "synthetic.epub"
    before = epub.stat().st_mtime_ns if epub.exists() else None
    watcher = subprocess.Popen([sys.executable, "-m", "compiler", "build", str(manifest), "-f", "epub", "-o", str(out),
                                "-q", "--watch"], env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_for_new(epub, before, watcher)
        time.sleep(1.0)  # the report is written after the book
        articles = sorted((manifest.parent / "articles").glob("*.md"))
        times = []
        for round_number in range(ROUNDS):
            article = articles[(round_number * 37 + 11) % len(articles)]
            before = epub.stat().st_mtime_ns
            started = time.perf_counter()
            article.write_text(article.read_text(encoding="utf-8").replace(" the ", " the plainly ", 1),
                               encoding="utf-8")
            _wait_for_new(epub, before, watcher)
            times.append(time.perf_counter() - started)
            time.sleep(1.0)
        return statistics.median(times), peak_mb(watcher.pid)
    finally:
        watcher.terminate()
        watcher.wait()


def _wait_for_new(epub: Path, before: int | None, watcher: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if epub.exists() and epub.stat().st_mtime_ns != before:
            return
        if watcher.poll() is not None:
            raise RuntimeError(f"the watcher exited with {watcher.returncode}")
        time.sleep(0.002)
    raise RuntimeError(f"{epub} was not rebuilt within {TIMEOUT:.0f} s")


def peak_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


if __name__ == "__main__":  # python benchmarks/watching.py COLLECTION.yaml OUT
    seconds, peak = watch_rebuild(Path(sys.argv[1]), Path(sys.argv[2]), {**os.environ, "SOURCE_DATE_EPOCH": "1"})
    print(f"{seconds:.3f} s, {peak:.0f} MB")
