"""Small books: the PDF laid out in one render or in pieces, cold, for the rule in compiler/builders/pdf/builder.py.

For each size a synthetic collection (benchmarks/synth.py, short mix) is built with --no-cache
in a process of its own, the two paths in turn, --repeats times. Each row gives the wall clock
and the CPU seconds of the build process and of its workers: on a machine that other work shares,
the CPU seconds say what each path costs even when the wall clock is noisy.

    python benchmarks/pdf_paths.py [--sizes 3,8,20,40] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from synth import write_collection

REPO = Path(__file__).resolve().parents[1]

BUILD = """
import json, os, resource, sys, time
started = time.perf_counter()
from compiler.builders.pdf.builder import PdfBuilder
PdfBuilder.parallel = sys.argv[1] == "pieces"
from compiler.cli import main
main(["build", sys.argv[2], "-f", "pdf", "-o", sys.argv[3], "-q", "--no-cache"], standalone_mode=False)
me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([time.perf_counter() - started, me.ru_utime + me.ru_stime, workers.ru_utime + workers.ru_stime]))
"""


def run(path: str, manifest: Path, out: Path) -> tuple[float, float, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run([sys.executable, "-c", BUILD, path, str(manifest), str(out)], env=env, check=True,
                          capture_output=True, text=True)
    wall, own, workers = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, own, workers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,8,20,40")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'articles':>8} {'words':>6} {'path':<7} {'wall s':>7} {'own cpu':>8} {'workers cpu':>12}")
    with tempfile.TemporaryDirectory(prefix="anthology-paths-") as work:
        for size in (int(n) for n in args.sizes.split(",")):
            manifest = write_collection(Path(work) / str(size), size, mix="short")
            words = sum(len(p.read_text(encoding="utf-8").split()) for p in (manifest.parent / "articles").glob("*.md"))
            rows: dict[str, list[tuple[float, float, float]]] = {"single": [], "pieces": []}
            for _ in range(args.repeats):
                for path in rows:
                    rows[path].append(run(path, manifest, manifest.parent / f"out-{path}"))
            for path, samples in rows.items():
                wall, own, workers = (statistics.median(column) for column in zip(*samples, strict=True))
                print(f"{size:>8} {words:>6} {path:<7} {wall:7.2f} {own:8.2f} {workers:12.2f}", flush=True)
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
