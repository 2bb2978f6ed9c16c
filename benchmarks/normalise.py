"""How many articles `anthology` reads and normalises per second, in one process.

Two figures: the seed article alone (../shared/seeds beside the repository, ~12 KB, the size of
a real saved article) and the seed with the project's fixture articles in turn. Each run
normalises N articles after one warm-up pass, so imports, rule-pack loading and the language
model are not counted. Each figure is by the wall clock, with the rate per second of this
process's CPU time beside it (what it would be on an otherwise idle machine), and the CPU time
one article takes to read and to normalise. The target is at least 100 seed-sized articles per
second.

    python benchmarks/normalise.py [-n 500]
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import cycle, islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
FIXTURES = sorted((REPO / "tests" / "fixtures" / "articles").glob("*.md"))
TARGET = 100.0


def rate(paths: list[Path], count: int) -> tuple[float, float, float, float]:
    """Articles per second by the clock and by this process's CPU time (other load excluded),
    and the CPU milliseconds one article spends being read and being normalised."""
    from compiler.normalise import normalise, rule_set
    from compiler.readers import read_article

    rules = rule_set()
    for path in paths:  # warm-up: lazy imports, compiled patterns, the language model
        normalise(read_article(path), rules)
    reading = normalising = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    for path in islice(cycle(paths), count):
        started = time.process_time()
        article = read_article(path)
        read = time.process_time()
        normalise(article, rules)
        reading, normalising = reading + read - started, normalising + time.process_time() - read
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return count / wall, count / cpu, reading / count * 1000, normalising / count * 1000


def describe(paths: list[Path]) -> str:
    size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
    return f"{len(paths)} file{'s' if len(paths) > 1 else ''}, {size:.1f} KB average"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--articles", type=int, default=500, help="articles per figure (default 500)")
    args = parser.parse_args()

    runs = [("seed", SEEDS), ("seed + fixtures", SEEDS + FIXTURES)] if SEEDS else [("fixtures", FIXTURES)]
    figures = []
    for name, paths in runs:
        if not paths:
            continue
        wall, cpu, reading, normalising = rate(paths, args.articles)
        figures.append(wall)
        detail = f"{args.articles} articles; {describe(paths)}"
        print(f"{name:>16}: {wall:5.0f} articles/s ({cpu:.0f}/s of CPU time)  [{detail}]")
        print(f"{'':>16}  CPU per article: {reading:.2f} ms reading, {normalising:.2f} ms normalising")
    if not figures:
        print("no articles found to normalise", file=sys.stderr)
        return 1
    print(f"target: {TARGET:.0f} articles/s for seed-sized articles")
    return 0 if figures[0] >= TARGET else 2


if __name__ == "__main__":
    sys.exit(main())
