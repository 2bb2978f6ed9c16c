"""What the tool's own shortcuts in front of libraries save in a cold EPUB build.

Two parts of the reader and normaliser answer before a library is asked: the inline writer
(compiler/readers/simple_inline.py) before markdown-it, and the common-word counter
(compiler/normalise/language.py, by_common_words) before py3langid. A shortcut is kept only if
it saves more than a tenth of a cold EPUB build. Each variant builds the same synthetic
collection with an empty cache, in its own process, in turn with the others, three times;
the median is shown. A variant switches a shortcut off by making it answer "ask the library".

    python benchmarks/shortcuts.py [--articles 150] [--mix mixed] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synth import write_collection

REPO = Path(__file__).resolve().parents[1]

# Run in the timed process before the build: the forked normalising workers inherit the change.
VARIANTS = {
    "as shipped": "",
    "markdown-it for every paragraph": "import compiler.readers.markdown as m; m.simple_lines = lambda *a, **k: None",
    "py3langid for every article": "import compiler.normalise.language as l; l.by_common_words = lambda s: None",
}
BUILD = "import sys\n{patch}\nfrom compiler.cli import main\nmain(args=sys.argv[1:], prog_name='anthology')\n"


def build_seconds(patch: str, manifest: Path, out: Path) -> float:
    command = [sys.executable, "-c", BUILD.format(patch=patch), "build", str(manifest), "-f", "epub", "-o", str(out),
               "-q", "--no-cache"]
    started = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--mix", default="mixed")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="anthology-shortcuts-") as work:
        manifest = write_collection(Path(work) / "c", args.articles, mix=args.mix)
        times: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(args.repeats):
            for name, patch in VARIANTS.items():
                times[name].append(build_seconds(patch, manifest, Path(work) / "out"))
    base = statistics.median(times["as shipped"])
    print(f"cold EPUB build, {args.articles} articles ({args.mix}), median of {args.repeats}:")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"  {name:<34} {median:6.2f} s  ({(median - base) / median:+.0%} of that build saved by the shortcut)"
              f"  [{', '.join(f'{t:.2f}' for t in samples)}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
