"""The least time any build of ours could take on this machine, beside the cold-build targets.

benchmarks/run.py measures what our builds take. This script measures what they cannot avoid,
so that a target no design can meet shows as such:

- the start-up: Python importing our package and, for the PDF, the layout engine (before any work);
- reading and normalising the articles, timed inside one process on one core (no pool);
- WeasyPrint parsing, laying out and writing the same book (its one-document HTML and
  stylesheets, as run.py's single render) timed inside one process, after its imports and the
  stylesheets' parsing: however a parallel build cuts the book, its cores together parse and lay
  out these pages.

The floor of a cold build on N cores is start-up + (normalising + layout) / N: every core busy
from the first instant to the last, no piece costing more than its share of the single render,
no furniture, contents or linking at all. It is set beside the single render, the plain render
of the chapters and pandoc, as the targets of issue 19 are, and beside ours, measured in the
same run. For the EPUB the floor is start-up + normalising / N (writing the book counted as free).

    python benchmarks/floor.py [--articles 150] [--mixes short,long]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from run import PLAIN, PREPARE, SINGLE, anthology, clean, environment, measure, pandoc_command
from synth import write_collection

# Inside one process: the seconds of WeasyPrint's parsing, layout and writing of the book, after its
# imports and the stylesheets' parsing (what any build of this book on any number of cores must do in all).
LAYOUT = SINGLE.replace("html = HTML(", "import time\nstarted = time.perf_counter()\nhtml = HTML(") + (
    "\nprint(time.perf_counter() - started)\n")
assert "started = " in LAYOUT

# Inside one process, on one core: the articles read and normalised, without the work cache.
NORMALISING = """
import sys, time
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
manifest = load_manifest(sys.argv[1])
started = time.perf_counter()
load_collection(manifest)
print(time.perf_counter() - started)
"""

START_UP = "import compiler.cli, compiler.collection.loading, compiler.builders.pdf.builder, weasyprint"
EPUB_START_UP = "import compiler.cli, compiler.collection.loading, compiler.builders.epub"


def inner_seconds(script: str, *args: str, one_core: bool = False) -> float:
    """What a script prints as its own timing (its last line)."""
    command = [sys.executable, "-c", script, *args]
    if one_core:
        command = ["taskset", "-c", "0", *command]
    done = subprocess.run(command, check=True, env=environment(), capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def floor_of(mix: str, count: int, work: Path, cores: int) -> dict[str, float]:
    folder = work / f"{mix}-{count}"
    manifest = write_collection(folder, count, mix=mix)
    prepared = folder / "single"
    subprocess.run([sys.executable, "-c", PREPARE, str(manifest), str(prepared)], check=True, env=environment(),
                   stdout=subprocess.DEVNULL)
    words = json.loads((prepared / "render.json").read_text(encoding="utf-8"))
    row: dict[str, float] = {}
    row["start-up"], _ = measure([sys.executable, "-c", START_UP], folder)
    row["start-up, epub"], _ = measure([sys.executable, "-c", EPUB_START_UP], folder)
    row["normalising, one core"] = inner_seconds(NORMALISING, str(manifest), one_core=True)
    row["single render: parsing, layout, writing"] = inner_seconds(LAYOUT, str(prepared))
    row["single render"], _ = measure([sys.executable, "-c", SINGLE, str(prepared)], folder)
    row["plain render of the chapters"], _ = measure([sys.executable, "-c", PLAIN, str(prepared)], folder)
    clean(manifest)
    row["ours, pdf cold"], _ = measure(anthology(manifest, "pdf", folder / "out"), folder)
    pandoc = pandoc_command(folder)
    if pandoc:
        row["pandoc epub"], _ = measure(pandoc, folder)
    row["ours, epub cold"], _ = measure(anthology(manifest, "epub", folder / "out", "--no-cache"), folder)
    row["pdf floor"] = row["start-up"] + (row["normalising, one core"]
                                          + row["single render: parsing, layout, writing"]) / cores
    row["epub floor"] = row["start-up, epub"] + row["normalising, one core"] / cores
    row["book words"], row["plain words"] = words["book_words"], words["plain_words"]
    return row


def report(name: str, row: dict[str, float], cores: int) -> list[str]:
    per_word_plain = row["plain render of the chapters"] / row["plain words"]
    lines = [f"{name}: {cores} cores"]
    for key in ("start-up", "start-up, epub", "normalising, one core", "single render: parsing, layout, writing",
                "single render", "plain render of the chapters", "ours, pdf cold", "pdf floor", "pandoc epub",
                "ours, epub cold", "epub floor"):
        if key in row:
            lines.append(f"  {key:<42} {row[key]:7.2f} s")
    for what in ("pdf floor", "ours, pdf cold"):
        single = row[what] / row["single render"]
        per_word = (row[what] / row["book words"]) / per_word_plain
        lines.append(f"  {what:<42} {single:.2f}x the single render (target <= 0.55x), "
                     f"{per_word:.2f}x the plain render per word (target <= 0.6x)")
    if "pandoc epub" in row:
        for what in ("epub floor", "ours, epub cold"):
            lines.append(f"  {what:<42} {row[what] / row['pandoc epub']:.2f}x pandoc (target <= 0.2x)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--mixes", default="short,long")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="anthology-floor-") as work:
        for mix in args.mixes.split(","):
            row = floor_of(mix, args.articles, Path(work), cores)
            print("\n".join(report(f"{mix} {args.articles}", row, cores)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
