"""Body text of saved pages: our HTML path against plain trafilatura, on trafilatura's evaluation set.

The set is trafilatura's own public benchmark (its repository's tests/evaldata.json and the
pages under tests/eval/): for each page, snippets the main text must hold ("with") and
snippets of furniture it must not ("without"). Both extractors run on the same pages in one
run and are scored as trafilatura's tests/evaluate.py scores them: a snippet counts when its
whitespace-normalised text is a substring of the whitespace-normalised result; precision,
recall, accuracy and F1 over all snippets. The data is fetched, never kept in this repository.

    python benchmarks/extraction.py DATASET_DIR [--limit N] [--show-misses N]

DATASET_DIR holds evaldata.json and eval/ (a checkout's tests/ folder). "ours" is what a
build prints: read_page (extraction, recovery of what extraction left out, metadata) then the
normaliser, then the article's body text; "chapter" is the chapter as the book prints it: the
title and subtitle of its heading, then the body (the set's annotators count a page's headline
and standfirst as its text, and the normaliser moves those into the heading).
"trafilatura" is trafilatura.extract with the
settings evaluate.py uses (no comments, tables, no formatting, the full algorithm).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
if TYPE_CHECKING:
    from compiler.model import Article


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    seconds: float = 0.0
    errors: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (file, "missed"/"kept", snippet)

    def add(self, item: dict[str, list[str]], result: str | None, name: str) -> None:
        text = norm(result or "")
        for snippet in item["with"]:
            found = norm(snippet) in text
            self.tp += found
            self.fn += not found
            if not found:
                self.misses.append((name, "missed", snippet))
        for snippet in item["without"]:
            found = norm(snippet) in text
            self.fp += found
            self.tn += not found
            if found:
                self.misses.append((name, "kept", snippet))

    def scores(self) -> tuple[float, float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        accuracy = (self.tp + self.tn) / total if total else 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0
        return precision, recall, accuracy, f1


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)  # both of our rows read the same page once
def _article(data: bytes, source: str) -> Article:
    from compiler.normalise import normalise, rule_set
    from compiler.readers.html import read_page

    return normalise(read_page(data, source), rule_set())


def ours(data: bytes, source: str) -> str:
    """The article's body text, as the book prints it under the chapter heading."""
    return _article(data, source).body_text


def ours_headed(data: bytes, source: str) -> str:
    """The chapter as printed: the title and subtitle found for the heading, then the body."""
    article = _article(data, source)
    return "\n\n".join(part for part in (article.meta.title, article.meta.subtitle, article.body_text) if part)


def plain_trafilatura(data: bytes, source: str) -> str | None:
    import trafilatura

    return trafilatura.extract(data, include_comments=False, include_tables=True, include_formatting=False)


EXTRACTORS: dict[str, Callable[[bytes, str], str | None]] = {
    "ours": ours, "chapter": ours_headed, "trafilatura": plain_trafilatura}


def load(dataset: Path) -> dict[str, dict]:
    index = dataset / "evaldata.json"
    if not index.is_file():
        raise SystemExit(f"{index}: not found (DATASET_DIR must hold evaldata.json and eval/)")
    return json.loads(index.read_text(encoding="utf-8"))


def run(dataset: Path, limit: int | None, names: list[str]) -> dict[str, Score]:
    items = sorted(load(dataset).items())[:limit]
    scores = {name: Score() for name in names}
    for _url, item in items:
        path = dataset / "eval" / item["file"]
        if not path.is_file():
            continue
        data = path.read_bytes()
        for name, score in scores.items():
            extract = EXTRACTORS[name]
            started = time.perf_counter()
            try:
                result = extract(data, path.name)
            except Exception as error:  # a miss for every snippet of the page, as in evaluate.py
                result = None
                score.errors += 1
                if score.errors == 1:  # the first one named, so a crash is looked into
                    print(f"{name}: {path.name}: {type(error).__name__}: {error}", file=sys.stderr)
            score.seconds += time.perf_counter() - started
            score.add(item, result, path.name)
    return scores


def table(scores: dict[str, Score], pages: int) -> str:
    lines = [f"{pages} pages", f"{'':<12} {'precision':>9} {'recall':>7} {'accuracy':>8} {'F1':>6}"
             f" {'tp':>5} {'fp':>5} {'fn':>5} {'tn':>5} {'errors':>6} {'time':>7}"]
    for name, score in scores.items():
        precision, recall, accuracy, f1 = score.scores()
        lines.append(f"{name:<12} {precision:9.3f} {recall:7.3f} {accuracy:8.3f} {f1:6.3f}"
                     f" {score.tp:5d} {score.fp:5d} {score.fn:5d} {score.tn:5d} {score.errors:6d}"
                     f" {score.seconds:6.1f}s")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, help="folder with evaldata.json and eval/")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by URL)")
    parser.add_argument("--only", nargs="*", default=None, help="only these extractors (default: all)")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N",
                        help="print up to N snippets where the chapter differs from trafilatura")
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)  # trafilatura logs every page it finds little in
    pages = len(sorted(load(args.dataset))[: args.limit])
    scores = run(args.dataset, args.limit, args.only or list(EXTRACTORS))
    print(table(scores, pages))
    if not {"ours", "chapter", "trafilatura"} <= set(scores):
        return 0
    precision, _, _, f1 = scores["chapter"].scores()
    their_precision, _, _, their_f1 = scores["trafilatura"].scores()
    verdict = "meets" if f1 >= their_f1 and precision > their_precision else "misses"
    print(f"\nchapter vs trafilatura: F1 {f1:.3f} vs {their_f1:.3f}, precision {precision:.3f} vs {their_precision:.3f}"
          f" ({verdict} the target: F1 at least trafilatura's, precision higher)")
    if args.show_misses:
        theirs = set(scores["trafilatura"].misses)
        only_ours = [miss for miss in scores["chapter"].misses if miss not in theirs]
        only_theirs = [miss for miss in theirs if miss not in set(scores["chapter"].misses)]
        for label, misses in (("worse than trafilatura", only_ours), ("better than trafilatura", only_theirs)):
            print(f"\n{label}: {len(misses)}")
            for name, kind, snippet in sorted(misses)[: args.show_misses]:
                print(f"  {name}: {kind}: {snippet[:100]!r}")
    return 0 if verdict == "meets" else 2


if __name__ == "__main__":
    sys.exit(main())
