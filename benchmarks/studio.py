"""The review studio on a big collection: how long `anthology review` takes to start, and how
long a correction takes to come back as the updated preview.

A synthetic collection (benchmarks/synth.py, 150 articles by default) is written to a temporary
folder. Rows:

- start, cold: from starting `anthology review --no-browser` to the first page served, with an
  empty work cache (every article normalised; the first time a collection is opened);
- start, warm: the same with the work cache a build or an earlier studio left (the usual case);
  the median of three;
- toggle: one block removed, then restored (a `drop:` snippet written, then taken out), each
  timed from sending the request to receiving the article's new pane with its preview, as the
  page's script does; the median of ten, on ten different articles;
- field edit: an article's subtitle set and cleared the same way; the median of ten.

    python benchmarks/studio.py [--articles 150] [--words 1500]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from synth import write_collection

ROUNDS = 10
START_TARGET = 2.0
TOGGLE_TARGET = 0.5


def start(manifest: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str, float]:
    """The studio's process, its address and the seconds until its page was served."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "compiler", "review", str(manifest), "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    found = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())
    if not found:
        process.kill()
        raise SystemExit(f"the studio did not start: {process.communicate()[1]}")
    page = httpx.get(found[0], timeout=60)
    page.raise_for_status()
    return process, found[0], time.perf_counter() - started


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(2)  # Ctrl-C
    process.wait(timeout=30)


def page_state(url: str, article: int) -> tuple[str, str, str]:
    """The token, the file's version and the id of the article's first kept body block."""
    html = httpx.get(f"{url}?article={article}").text
    token = re.search(r'name="studio-token" content="([^"]+)"', html)
    version = re.search(r'name="studio-version" content="([^"]+)"', html)
    kept = re.search(r'data-block="(b\d+)" data-state="kept"', html)
    assert token and version and kept
    return token[1], version[1], kept[1]


def timed_post(url: str, path: str, token: str, body: dict[str, object]) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    answer = httpx.post(url + path, json=body, headers={"X-Studio-Token": token}, timeout=60)
    seconds = time.perf_counter() - started
    if answer.status_code != 200 or "preview" not in answer.json().get("pane", ""):
        raise SystemExit(f"{path} failed ({answer.status_code}): {answer.text[:300]}")
    return seconds, answer.json()


def corrections(url: str, articles: int) -> tuple[list[float], list[float]]:
    toggles: list[float] = []
    edits: list[float] = []
    for round_number in range(ROUNDS):
        article = 1 + (round_number * 37 + 11) % articles
        token, version, block = page_state(url, article)
        for _ in range(2):  # remove, then restore
            seconds, answer = timed_post(url, "api/toggle", token,
                                         {"version": version, "article": article, "block": block})
            toggles.append(seconds)
            version = str(answer["version"])
        for value in ("A subtitle for the benchmark", ""):
            seconds, answer = timed_post(url, "api/field", token, {"version": version, "article": article,
                                                                    "key": "subtitle", "value": value})
            edits.append(seconds)
            version = str(answer["version"])
    return toggles, edits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--words", type=int, default=1500)
    args = parser.parse_args()
    env = {**os.environ, "ANTHOLOGY_SERVER": "off"}
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as folder:
        env["XDG_CACHE_HOME"] = str(Path(folder) / "xdg-cache")  # compiled templates start cold too
        manifest = write_collection(Path(folder) / "collection", args.articles, words=args.words)
        process, _, cold = start(manifest, env)
        stop(process)
        warm_runs = []
        for _ in range(3):
            process, url, seconds = start(manifest, env)
            warm_runs.append(seconds)
            if len(warm_runs) < 3:
                stop(process)
        try:
            toggles, edits = corrections(url, args.articles)
        finally:
            stop(process)
    warm = statistics.median(warm_runs)
    print(f"{args.articles} articles of about {args.words} words")
    print(f"start, cold:  {cold:.2f} s  (empty work cache)")
    runs = ", ".join(f"{s:.2f}" for s in warm_runs)
    print(f"start, warm:  {warm:.2f} s  (median of {runs}; target < {START_TARGET} s)")
    print(f"toggle:       {statistics.median(toggles):.3f} s  (median of {len(toggles)}, slowest "
          f"{max(toggles):.3f}; target < {TOGGLE_TARGET} s)")
    print(f"field edit:   {statistics.median(edits):.3f} s  (median of {len(edits)}, slowest {max(edits):.3f})")


if __name__ == "__main__":
    main()
