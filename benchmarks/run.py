"""Big anthologies side by side: our builds against pandoc and a naive WeasyPrint render.

For each size, a synthetic collection (benchmarks/synth.py) is written to a temporary folder and
each measured build runs in its own subprocess, timed by the wall clock, with the peak RSS of
the largest process it ran (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss; for our parallel PDF
that is the biggest worker or the parent, whichever is larger). Rows:

- epub cold / warm: `anthology build -f epub` with an empty work cache, and again with it full;
  pandoc: the same articles' Markdown to EPUB with --toc (pypandoc-binary's bundled pandoc);
- pdf cold: `anthology build -f pdf` with an empty cache, normalising included; naive: a plain
  single WeasyPrint render (`HTML(...).write_pdf`) of the same book: its one-document HTML and
  stylesheets are written beforehand, untimed, and the timed process imports only WeasyPrint;
- rebuild: after a word is added to one article's body text, with the cache (EPUB and PDF); and
  for the PDF after that article's title changes too (contents, sources and running heads follow).
- watch: `anthology build --watch` left running; from saving one article to the new EPUB in place
  (benchmarks/watching.py, the median of five saves).
- build server: the EPUB rebuild again, as a new `anthology build` process that hands the build
  to the server the previous build left (compiler/server.py); the median of five edits, each
  timed until the command exits (the five are printed too). Its peak memory is the server's
  (VmHWM), not the small command's. Every other row is built with ANTHOLOGY_SERVER=off, so that
  it measures the build the row names.

The builds whose ratio is a target (pandoc and ours cold; the naive render and ours cold, up to
150 articles) are run in turn three times, and each row shows its median: on this machine one
run of the same build can take a fifth more or less than the next (the naive 150-article render
has taken 50 to 70 s). Every time is printed. Other rows run once, except the two rebuilds kept
in memory (median of five).

Before anything is timed the package is byte-compiled (compileall), as pip does when it
installs it: otherwise, with PYTHONDONTWRITEBYTECODE set or a checkout just edited, every
measured process would compile the tool's source first.

    pip install '.[bench]' && python benchmarks/run.py [--articles 30,150,600] [--json out.json]
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
from watching import peak_mb, watch_rebuild

from compiler.server import answering_pid

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1700000000"
# Runs of each build in a ratio target (see side_by_side); PDF pairs above 150 articles run once,
# as the naive render of 600 articles alone takes five minutes.
EPUB_REPEATS = 3
PDF_REPEATS = 3

# Untimed: the book as the single render sees it (one HTML document, print.css, page.css), written once.
NAIVE_PREPARE = """
import datetime as dt, json, sys
from pathlib import Path
from compiler.builders import BuildContext
from compiler.builders.pdf import single_document
from compiler.collection import load_collection
from compiler.manifest import load_manifest
from compiler.render import Renderer
from compiler.resources import templates_dir
collection = load_collection(load_manifest(Path(sys.argv[1])))
context = BuildContext(Renderer("pdf", collection.manifest.root), dt.datetime.fromtimestamp(0, tz=dt.UTC), True)
html, sheets = single_document(collection, context)
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "book.html").write_text(html, encoding="utf-8")
for number, text in enumerate(sheets):
    (out / f"sheet{number}.css").write_text(text, encoding="utf-8")
root = collection.manifest.root.resolve()
(out / "render.json").write_text(json.dumps({"base_url": root.as_uri() + "/", "sheets": len(sheets),
                                             "roots": [str(root), str(templates_dir())]}), encoding="utf-8")
"""

# Timed: plain WeasyPrint, nothing of ours imported. The fetcher is confined to the same folders
# as the build's (file: URLs inside them, data: URLs), with the same base URL, so images resolve.
NAIVE = """
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
html.write_pdf(str(folder / "naive.pdf"), stylesheets=sheets, font_config=fonts)
"""


def environment(server: Path | None = None) -> dict[str, str]:
    """What every measured command runs with; `server`: the folder for a build server's socket."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(REPO), "ANTHOLOGY_SERVER": "off"}
    if server is not None:
        env |= {"ANTHOLOGY_SERVER": "on", "XDG_RUNTIME_DIR": str(server)}
    return env


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one command run in a fresh process group of its own."""
    runner = [sys.executable, "-c",
              "import resource, subprocess, sys, time, json\n"
              "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
              "s = time.perf_counter() - t\n"
              "print(json.dumps([s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))", *command]
    finished = subprocess.run(runner, cwd=cwd, env=env or environment(), capture_output=True, text=True)
    if finished.returncode != 0:  # the command's own messages, not only the runner's traceback
        raise RuntimeError(f"{' '.join(command)} failed:\n{finished.stderr[-3000:]}")
    output = finished.stdout
    seconds, peak = json.loads(output.strip().splitlines()[-1])
    return seconds, peak


def anthology(manifest: Path, fmt: str, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "compiler", "build", str(manifest), "-f", fmt, "-o", str(out), "-q", *extra]


def pandoc_command(folder: Path) -> list[str] | None:
    try:
        import pypandoc
    except ImportError:
        return None
    articles = sorted(str(p) for p in (folder / "articles").glob("*.md"))
    return [pypandoc.get_pandoc_path(), "--toc", "-o", str(folder / "pandoc.epub"), "--metadata",
            "title=A Synthetic Anthology", *articles]


def middle_article(folder: Path) -> Path:
    articles = sorted((folder / "articles").glob("*.md"))
    return articles[len(articles) // 2]


def touch_one_article(folder: Path) -> None:
    """A typo fixed in the middle article: one word added to its first paragraph of body text
    (after the title, byline, date line and newsletter plea that synth.py writes)."""
    article = middle_article(folder)
    blocks = article.read_text(encoding="utf-8").split("\n\n")
    at = next(i for i in range(4, len(blocks)) if " the " in blocks[i] and blocks[i][0] not in "#>")
    blocks[at] = blocks[at].replace(" the ", " the very ", 1)
    article.write_text("\n\n".join(blocks), encoding="utf-8")


def retitle_one_article(folder: Path) -> None:
    """The middle article's title changed: its contents entry, source note and running heads too."""
    article = middle_article(folder)
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(": How ", ": Why and how ", 1), encoding="utf-8")


def bench(count: int, work: Path) -> dict[str, tuple[float, float]]:
    folder = work / f"n{count}"
    manifest = write_collection(folder, count)
    out = folder / "out"
    rows: dict[str, tuple[float, float]] = {}
    pandoc = pandoc_command(folder)
    ours_epub = anthology(manifest, "epub", out, "--no-cache")
    if pandoc:
        rows["epub: pandoc --toc"], rows["epub: ours, cold (no cache)"] = side_by_side(
            "epub cold", lambda: measure(pandoc, folder), lambda: measure(ours_epub, folder), EPUB_REPEATS)
    else:
        rows["epub: ours, cold (no cache)"] = measure(ours_epub, folder)
    naive = folder / "naive"
    subprocess.run([sys.executable, "-c", NAIVE_PREPARE, str(manifest), str(naive)], check=True, env=environment(),
                   stdout=subprocess.DEVNULL)

    def cold_pdf() -> tuple[float, float]:
        subprocess.run([sys.executable, "-m", "compiler", "clean", str(manifest)], check=True, env=environment(),
                       stdout=subprocess.DEVNULL)
        return measure(anthology(manifest, "pdf", out), folder)

    rows["pdf: naive single render"], rows["pdf: ours, cold (empty cache)"] = side_by_side(
        "pdf cold", lambda: measure([sys.executable, "-c", NAIVE, str(naive)], folder), cold_pdf,
        PDF_REPEATS if count <= 150 else 1)
    rows["epub: ours, warm cache"] = measure(anthology(manifest, "epub", out), folder)
    touch_one_article(folder)
    rows["pdf: ours, rebuild after 1 article changed"] = measure(anthology(manifest, "pdf", out), folder)
    touch_one_article(folder)
    rows["epub: ours, rebuild, 1 changed, server off"] = measure(anthology(manifest, "epub", out), folder)
    rows["epub: ours, --watch, 1 article saved"] = watch_rebuild(manifest, out, environment())
    rows["epub: ours, rebuild, 1 changed, build server"] = served_rebuild(manifest, out, work / "run")
    retitle_one_article(folder)
    rows["pdf: ours, rebuild after 1 article retitled"] = measure(anthology(manifest, "pdf", out), folder)
    return rows


def side_by_side(what: str, first: Callable[[], tuple[float, float]], second: Callable[[], tuple[float, float]],
                 repeats: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Two builds whose ratio is a target, run in turn `repeats` times: each keeps its median
    time and its largest peak. Every time is printed."""
    firsts, seconds = [], []
    for _ in range(repeats):
        firsts.append(first())
        seconds.append(second())
    if repeats > 1:
        pairs = " / ".join(f"{a:.2f}, {b:.2f}" for (a, _), (b, _) in zip(firsts, seconds, strict=True))
        print(f"  ({what}, in turn: {pairs} s)", flush=True)
    return _best(firsts), _best(seconds)


def _best(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s for s, _ in samples), max(m for _, m in samples)


def served_rebuild(manifest: Path, out: Path, run_dir: Path, saves: int = 5) -> tuple[float, float]:
    """A build leaves a server (untimed); then, five times, one article changes and the next
    `anthology build` is timed: the median, as for --watch. The memory is the server's peak."""
    run_dir.mkdir(mode=0o700, exist_ok=True)
    env = environment(run_dir)
    subprocess.run(anthology(manifest, "epub", out), check=True, env=env, stdout=subprocess.DEVNULL)
    pid = server_pid(run_dir)
    times = []
    for _ in range(saves):
        touch_one_article(manifest.parent)
        times.append(measure(anthology(manifest, "epub", out), manifest.parent, env)[0])
    print(f"  (build server, {saves} rebuilds: {', '.join(f'{t:.2f}' for t in times)} s)", flush=True)
    seconds, peak = statistics.median(times), peak_mb(pid)
    subprocess.run([sys.executable, "-c", "from compiler.server import stop_servers; stop_servers()"], check=True,
                   env=env)
    return seconds, peak


def server_pid(run_dir: Path) -> int:
    """The server's pid, from the kernel's record of who listens on its socket."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for path in (run_dir / "anthology").glob("server-*.sock"):
            pid = answering_pid(str(path))
            if pid is not None:
                return pid
        time.sleep(0.02)
    raise RuntimeError("the build left no server")


def table(results: dict[int, dict[str, tuple[float, float]]]) -> list[str]:
    lines = [f"{'articles':>8}  {'build':<44} {'seconds':>8} {'peak MB':>8}  ratio"]
    for count, rows in results.items():
        ratios = _ratios(rows)
        for name, (seconds, peak) in rows.items():
            lines.append(f"{count:>8}  {name:<44} {seconds:8.2f} {peak:8.0f}  {ratios.get(name, '')}")
    return lines


def _ratios(rows: dict[str, tuple[float, float]]) -> dict[str, str]:
    def ratio(a: str, b: str, target: str) -> str:
        if a in rows and b in rows:
            return f"{rows[a][0] / rows[b][0]:.2f}x {b.split(': ')[1]} (target {target})"
        return ""

    return {
        "epub: ours, cold (no cache)": ratio("epub: ours, cold (no cache)", "epub: pandoc --toc", "<= 0.25x"),
        "epub: ours, warm cache": ratio("epub: ours, warm cache", "epub: pandoc --toc", "<= 0.25x"),
        "pdf: ours, cold (empty cache)": ratio("pdf: ours, cold (empty cache)", "pdf: naive single render", "<= 0.6x"),
        "pdf: ours, rebuild after 1 article changed": ratio("pdf: ours, rebuild after 1 article changed",
                                                            "pdf: ours, cold (empty cache)", "<= 0.15x"),
        "epub: ours, rebuild, 1 changed, server off": "(for comparison: the target is the default, below)",
        "epub: ours, --watch, 1 article saved": "(target <= 0.5 s)",
        "epub: ours, rebuild, 1 changed, build server": "(target <= 0.5 s)",
        "pdf: ours, rebuild after 1 article retitled": ratio("pdf: ours, rebuild after 1 article retitled",
                                                             "pdf: ours, cold (empty cache)", "<= 0.15x"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="30,150,600", help="comma-separated sizes (default 30,150,600)")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results.json")
    args = parser.parse_args()
    results: dict[int, dict[str, tuple[float, float]]] = {}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "compiler")], check=True,
                   stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="anthology-bench-") as work:
        for count in (int(n) for n in args.articles.split(",")):
            results[count] = bench(count, Path(work))
            print("\n".join(table({count: results[count]})[1:] if len(results) > 1 else table(results)), flush=True)
    print("\n" + "\n".join(table(results)))
    print(f"\n{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {time.perf_counter() - started:.0f} s")
    args.json.write_text(json.dumps({str(k): {name: {"seconds": s, "peak_mb": m} for name, (s, m) in rows.items()}
                                     for k, rows in results.items()}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
