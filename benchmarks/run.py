"""Big anthologies built as a user builds them, beside the tools and renders they are measured against.

For each length mix of articles (short: 300-600 words, mixed, long: 1,500+; benchmarks/synth.py) a
synthetic collection is written to a temporary folder, and each measured build runs in its own
subprocess in a plain environment: no SOURCE_DATE_EPOCH (a row that sets it says so), timed by the
wall clock, with the peak RSS of the largest process it ran (getrusage RUSAGE_CHILDREN; for our
parallel PDF the biggest worker or the parent).

Rows for each mix (150 articles unless --articles says otherwise):
- epub: pandoc --toc on the same Markdown (pypandoc-binary's pandoc), the baseline; ours cold
  (--no-cache); reading and normalising the articles alone, as the cold build loads them (its
  share of the cold build is printed); ours again with nothing changed; ours after one article's text changed (a new
  process); `--watch` from saving one article to the new EPUB in place (benchmarks/watching.py,
  median of five saves; run for the mixed book).
- pdf: a single WeasyPrint render of the same book (its one-document HTML and stylesheets,
  written beforehand, untimed; the timed process imports only WeasyPrint); a plain single render
  of the chapters alone (title and body of each article) with a simple stylesheet, the speed of
  WeasyPrint on the words without our page furniture; pandoc -> Typst on the same Markdown (the
  `typst` package), the speed users know exists; ours cold (empty cache); ours with nothing
  changed; ours after one article's text changed.
- memory: our PDF of --memory articles (mixed), cold, for its peak.

Ratios are printed beside the rows they are targets for. "per word" divides each render's time
by the words it laid out (the book's text, the chapters' text). The ratio builds (pandoc and ours
cold; the single render and ours cold) run in turn --repeats times and show the median.

Before anything is timed the package is byte-compiled (compileall), as pip does when it installs
it: otherwise every measured process of a checkout just edited would compile the source first.

    pip install '.[bench]' && python benchmarks/run.py [--articles 150] [--mixes short,mixed,long]
        [--memory 600] [--repeats 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synth import write_collection
from watching import watch_rebuild

REPO = Path(__file__).resolve().parents[1]

# Untimed: the book as the single render sees it (one HTML document, print.css, page.css), and its
# chapters alone in a plain document, written once; with the words each lays out.
PREPARE = """
import datetime as dt, html, json, sys
from pathlib import Path
import lxml.html
from compiler.builders import BuildContext
from compiler.builders.pdf.builder import single_document
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.book.templating import Renderer
from compiler.resources import templates_dir
collection = load_collection(load_manifest(Path(sys.argv[1])))
context = BuildContext(Renderer("pdf", collection.manifest.root), dt.datetime.now(tz=dt.UTC), False)
book, sheets = single_document(collection, context)
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "book.html").write_text(book, encoding="utf-8")
for number, text in enumerate(sheets):
    (out / f"sheet{number}.css").write_text(text, encoding="utf-8")
chapters = "".join(f"<section><h1>{html.escape(a.meta.title or '')}</h1>{a.body_html}</section>"
                   for a in collection.articles)
head = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Chapters</title></head>"
plain = f"{head}<body>{chapters}</body></html>"
(out / "plain.html").write_text(plain, encoding="utf-8")
def words(text):
    return len(lxml.html.document_fromstring(text.encode("utf-8")).text_content().split())
root = collection.manifest.root.resolve()
(out / "render.json").write_text(json.dumps({"base_url": root.as_uri() + "/", "sheets": len(sheets),
                                             "roots": [str(root), str(templates_dir())],
                                             "book_words": words(book), "plain_words": words(plain)}),
                                 encoding="utf-8")
"""

# Timed: plain WeasyPrint, nothing of ours imported. The fetcher is confined to the same folders
# as the build's (file: URLs inside them, data: URLs), with the same base URL, so images resolve.
SINGLE = """
import json, sys
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher
folder = Path(sys.argv[1])
plan = json.loads((folder / "render.json").read_text(encoding="utf-8"))
roots = [Path(root) for root in plan["roots"]]

class Confined(URLFetcher):
    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise ValueError("refused: " + url)
        elif not url.lower().startswith("data:"):
            raise ValueError("refused: " + url)
        return super().fetch(url, headers)

fetcher = Confined(allow_redirects=False)
fonts = FontConfiguration()
sheets = [CSS(filename=str(folder / f"sheet{n}.css"), font_config=fonts, url_fetcher=fetcher)
          for n in range(plan["sheets"])]
html = HTML(string=(folder / "book.html").read_text(encoding="utf-8"), base_url=plan["base_url"], url_fetcher=fetcher)
html.write_pdf(str(folder / "single.pdf"), stylesheets=sheets, font_config=fonts)
"""

# Timed: the chapters with a simple stylesheet, no running heads, no page numbers, no contents.
PLAIN = """
import sys
from pathlib import Path
from weasyprint import CSS, HTML
folder = Path(sys.argv[1])
simple = CSS(string="@page { size: A5; margin: 18mm 15mm; } body { font-family: 'DejaVu Serif'; font-size: 10.5pt; "
                    "line-height: 1.4; } h1 { break-before: page; font-size: 16pt; } p { margin: 0 0 0.5em; }")
HTML(string=(folder / "plain.html").read_text(encoding="utf-8")).write_pdf(str(folder / "plain.pdf"),
                                                                           stylesheets=[simple])
"""

# Timed: pandoc's Markdown reader and Typst writer, then Typst's own compiler.
TYPST = """
import subprocess, sys
from pathlib import Path
import pypandoc, typst
folder = Path(sys.argv[1])
articles = sorted(str(p) for p in (folder / "articles").glob("*.md"))
subprocess.run([pypandoc.get_pandoc_path(), "-s", "--toc", "-t", "typst", "-o", str(folder / "book.typ"),
                "--metadata", "title=A Synthetic Anthology", *articles], check=True)
typst.compile(str(folder / "book.typ"), output=str(folder / "typst.pdf"))
"""


# The articles read and normalised as a build loads its collection, without the work cache.
NORMALISE = """
import sys
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
load_collection(load_manifest(sys.argv[1]))
"""


def environment() -> dict[str, str]:
    """What every measured command runs with: the user's environment, no SOURCE_DATE_EPOCH."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one command."""
    runner = [sys.executable, "-c",
              "import resource, subprocess, sys, time, json\n"
              "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
              "s = time.perf_counter() - t\n"
              "print(json.dumps([s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))", *command]
    finished = subprocess.run(runner, cwd=cwd, env=environment(), capture_output=True, text=True)
    if finished.returncode != 0:  # the command's own messages, not only the runner's traceback
        raise RuntimeError(f"{' '.join(command)} failed:\n{finished.stderr[-3000:]}")
    seconds, peak = json.loads(finished.stdout.strip().splitlines()[-1])
    return seconds, peak


def anthology(manifest: Path, fmt: str, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "compiler", "build", str(manifest), "-f", fmt, "-o", str(out), "-q", *extra]


def clean(manifest: Path) -> None:
    subprocess.run([sys.executable, "-m", "compiler", "clean", str(manifest)], check=True, env=environment(),
                   stdout=subprocess.DEVNULL)


def pandoc_command(folder: Path) -> list[str] | None:
    try:
        import pypandoc
    except ImportError:
        return None
    articles = sorted(str(p) for p in (folder / "articles").glob("*.md"))
    return [pypandoc.get_pandoc_path(), "--toc", "-o", str(folder / "pandoc.epub"), "--metadata",
            "title=A Synthetic Anthology", *articles]


def touch_one_article(folder: Path) -> None:
    """A typo fixed in the middle article: one word added to its first paragraph of body text
    (after the title, byline, date line and newsletter plea that synth.py writes)."""
    articles = sorted((folder / "articles").glob("*.md"))
    article = articles[len(articles) // 2]
    blocks = article.read_text(encoding="utf-8").split("\n\n")
    at = next(i for i in range(4, len(blocks)) if " the " in blocks[i] and blocks[i][0] not in "#>")
    blocks[at] = blocks[at].replace(" the ", " the very ", 1)
    article.write_text("\n\n".join(blocks), encoding="utf-8")


Row = tuple[float, float]


def side_by_side(what: str, first: Callable[[], Row], second: Callable[[], Row], repeats: int) -> tuple[Row, Row]:
    """Two builds whose ratio is a target, run in turn: each keeps its median time and its largest peak."""
    firsts, seconds = [], []
    for _ in range(repeats):
        firsts.append(first())
        seconds.append(second())
    if repeats > 1:
        pairs = " / ".join(f"{a:.2f}, {b:.2f}" for (a, _), (b, _) in zip(firsts, seconds, strict=True))
        print(f"  ({what}, in turn: {pairs} s)", flush=True)
    return _median(firsts), _median(seconds)


def _median(samples: list[Row]) -> Row:
    return statistics.median(s for s, _ in samples), max(m for _, m in samples)


def bench_mix(mix: str, count: int, work: Path, repeats: int, watch: bool) -> tuple[dict[str, Row], dict[str, int]]:
    folder = work / f"{mix}-{count}"
    manifest = write_collection(folder, count, mix=mix)
    out = folder / "out"
    rows: dict[str, Row] = {}
    pandoc = pandoc_command(folder)

    def cold_epub() -> Row:
        return measure(anthology(manifest, "epub", out, "--no-cache"), folder)

    if pandoc:
        rows["epub: pandoc --toc"], rows["epub: ours, cold"] = side_by_side(
            f"{mix} epub cold", lambda: measure(pandoc, folder), cold_epub, repeats)
    else:
        rows["epub: ours, cold"] = cold_epub()
    # Reading and normalising the articles alone, as a cold build does (on every core), for its share.
    rows["epub: reading and normalising alone"] = measure([sys.executable, "-c", NORMALISE, str(manifest)], folder)
    # The cold rows ignore the cache: one untimed build fills it.
    subprocess.run(anthology(manifest, "epub", out), check=True, env=environment(), stdout=subprocess.DEVNULL)
    rows["epub: ours, rebuild, nothing changed"] = measure(anthology(manifest, "epub", out), folder)
    touch_one_article(folder)
    rows["epub: ours, rebuild, 1 article changed"] = measure(anthology(manifest, "epub", out), folder)
    if watch:
        rows["epub: ours, --watch, 1 article saved"] = watch_rebuild(manifest, out, environment())

    prepared = folder / "single"
    subprocess.run([sys.executable, "-c", PREPARE, str(manifest), str(prepared)], check=True, env=environment(),
                   stdout=subprocess.DEVNULL)
    words = json.loads((prepared / "render.json").read_text(encoding="utf-8"))

    def cold_pdf() -> Row:
        clean(manifest)
        return measure(anthology(manifest, "pdf", out), folder)

    rows["pdf: single WeasyPrint render"], rows["pdf: ours, cold"] = side_by_side(
        f"{mix} pdf cold", lambda: measure([sys.executable, "-c", SINGLE, str(prepared)], folder), cold_pdf, repeats)
    rows["pdf: plain render of the chapters"] = measure([sys.executable, "-c", PLAIN, str(prepared)], folder)
    try:
        rows["pdf: pandoc -> typst (reference)"] = measure([sys.executable, "-c", TYPST, str(folder)], folder)
    except RuntimeError as exc:  # no typst package, or pandoc without its Typst writer
        print(f"  (pandoc -> typst not measured: {str(exc).splitlines()[-1]})", flush=True)
    rows["pdf: ours, rebuild, nothing changed"] = measure(anthology(manifest, "pdf", out), folder)
    touch_one_article(folder)
    rows["pdf: ours, rebuild, 1 article changed"] = measure(anthology(manifest, "pdf", out), folder)
    return rows, {"book": words["book_words"], "plain": words["plain_words"]}


def ratios(rows: dict[str, Row], words: dict[str, int]) -> dict[str, str]:
    def ratio(a: str, b: str, target: float) -> str:
        if a not in rows or b not in rows:
            return ""
        value = rows[a][0] / rows[b][0]
        return f"{value:.2f}x {b.split(': ')[1]} (target <= {target}x: {'met' if value <= target else 'NOT met'})"

    cold = "pdf: ours, cold"
    found = {
        "epub: ours, cold": ratio("epub: ours, cold", "epub: pandoc --toc", 0.2),
        cold: ratio(cold, "pdf: single WeasyPrint render", 0.55),
        "pdf: ours, rebuild, nothing changed": ratio("pdf: ours, rebuild, nothing changed", cold, 0.05),
        "pdf: ours, rebuild, 1 article changed": ratio("pdf: ours, rebuild, 1 article changed", cold, 0.15),
    }
    if "epub: reading and normalising alone" in rows and "epub: ours, cold" in rows:
        share = rows["epub: reading and normalising alone"][0] / rows["epub: ours, cold"][0]
        found["epub: reading and normalising alone"] = f"{share:.0%} of ours, cold (with Python's start-up)"
    for name, limit in (("epub: ours, rebuild, 1 article changed", 0.5), ("epub: ours, --watch, 1 article saved", 0.3)):
        if name in rows:
            found[name] = f"(target <= {limit} s: {'met' if rows[name][0] <= limit else 'NOT met'})"
    if "pdf: plain render of the chapters" in rows and "pdf: ours, cold" in rows:
        per_word = (rows["pdf: ours, cold"][0] / words["book"]) / (rows["pdf: plain render of the chapters"][0]
                                                                  / words["plain"])
        found["pdf: plain render of the chapters"] = (
            f"ours cold per word: {per_word:.2f}x this ({words['book']} / {words['plain']} words; target <= 0.6x: "
            f"{'met' if per_word <= 0.6 else 'NOT met'})")
    return found


def table(results: dict[str, tuple[dict[str, Row], dict[str, int]]]) -> list[str]:
    lines = [f"{'book':<14} {'build':<40} {'seconds':>8} {'peak MB':>8}  ratio"]
    for name, (rows, words) in results.items():
        notes = ratios(rows, words)
        for row, (seconds, peak) in rows.items():
            lines.append(f"{name:<14} {row:<40} {seconds:8.2f} {peak:8.0f}  {notes.get(row, '')}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--mixes", default="short,mixed,long")
    parser.add_argument("--memory", type=int, default=600, help="articles of the PDF whose peak memory is measured")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results.json")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "compiler")], check=True,
                   stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    results: dict[str, tuple[dict[str, Row], dict[str, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="anthology-bench-") as work:
        for mix in args.mixes.split(","):
            results[f"{mix} {args.articles}"] = bench_mix(mix, args.articles, Path(work), args.repeats,
                                                           watch=mix == "mixed")
            print("\n".join(table({f"{mix} {args.articles}": results[f"{mix} {args.articles}"]})), flush=True)
        if args.memory:
            folder = Path(work) / f"memory-{args.memory}"
            manifest = write_collection(folder, args.memory, mix="mixed")
            seconds, peak = measure(anthology(manifest, "pdf", folder / "out"), folder)
            results[f"mixed {args.memory}"] = ({"pdf: ours, cold": (seconds, peak)}, {})
            print(f"mixed {args.memory}: pdf cold {seconds:.2f} s, peak {peak:.0f} MB (target <= 400 MB: "
                  f"{'met' if peak <= 400 else 'NOT met'})", flush=True)
    print("\n" + "\n".join(table(results)))
    print(f"\n{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {time.perf_counter() - started:.0f} s")
    args.json.write_text(json.dumps({book: {name: {"seconds": s, "peak_mb": m} for name, (s, m) in rows.items()}
                                     for book, (rows, _) in results.items()}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
