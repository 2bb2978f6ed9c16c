"""The review studio on a big collection: how long `anthology review` takes to start, and how
long a correction takes to come back as the updated preview.

A synthetic collection (benchmarks/synth.py, 150 articles by default) is written to a temporary
folder. Rows:

- start, cold: `anthology review --no-browser` started with an empty work cache and no compiled
  templates (the first time a collection is opened: every article must be normalised), timed
  from starting the command to (1) its page served: the list of articles, (2) the first article
  usable: its pane, with its blocks and its preview, received as the page's script asks for it,
  and (3) every article read and the whole collection checked (the page's list complete);
- start, warm: the same with the work cache a build or an earlier studio left (the usual case);
  the median of three;
- toggle: one block removed, then restored (a `drop:` snippet written, then taken out), each
  timed from sending the request to receiving the article's new pane with its preview, as the
  page's script does (one connection kept open, as a browser keeps it); the median of twenty,
  on ten different articles, once every article is read;
- field edit: an article's subtitle set and cleared the same way; the median of twenty.

    python benchmarks/studio.py [--articles 150] [--words 1500]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from synth import write_collection

ROUNDS = 10
START_TARGET = 2.0
TOGGLE_TARGET = 0.5


@dataclass
class Start:
    process: subprocess.Popen[str]
    url: str
    page: float  # seconds from the command's start to its page served
    first: float  # ... to the first article's pane (blocks and preview) received
    complete: float  # ... to every article read and the collection checked


def start(manifest: Path, env: dict[str, str], client: httpx.Client) -> Start:
    """The studio's process, its address and its times, as a browser opening it sees them."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "compiler", "review", str(manifest), "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    found = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())
    if not found:
        process.kill()
        raise SystemExit(f"the studio did not start: {process.communicate()[1]}")
    url = found[0]
    page = client.get(url)
    page.raise_for_status()
    page_seconds = time.perf_counter() - started
    if 'data-pending="true"' in page.text:  # the first article is not read yet: the script asks for it
        pane = client.get(url + "api/pane?article=1")
        pane.raise_for_status()
        shown = pane.json()["pane"]
    else:
        shown = page.text
    if 'data-block="' not in shown or 'class="preview"' not in shown:
        raise SystemExit("the first article's pane has no blocks or no preview")
    first_seconds = time.perf_counter() - started
    since = re.search(r'data-sequence="(\d+)"', page.text)
    sequence = since[1] if since else "0"
    while 'data-complete="true"' not in page.text:
        state = client.get(url + f"api/states?since={sequence}").json()
        if state["complete"]:
            break
        if state["done"]:
            raise SystemExit(f"the collection did not load: {state['problems']}")
        sequence = state["sequence"]
        time.sleep(0.05)
    return Start(process, url, page_seconds, first_seconds, time.perf_counter() - started)


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(2)  # Ctrl-C
    process.wait(timeout=30)


def page_state(client: httpx.Client, url: str, article: int) -> tuple[str, str, str]:
    """The token, the file's version and the id of the article's first kept body block."""
    html = client.get(f"{url}?article={article}").text
    token = re.search(r'name="studio-token" content="([^"]+)"', html)
    version = re.search(r'name="studio-version" content="([^"]+)"', html)
    kept = re.search(r'data-block="(b\d+)" data-state="kept"', html)
    assert token and version and kept
    return token[1], version[1], kept[1]


def timed_post(client: httpx.Client, url: str, path: str, token: str,
               body: dict[str, object]) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    answer = client.post(url + path, json=body, headers={"X-Studio-Token": token})
    seconds = time.perf_counter() - started
    if answer.status_code != 200 or "preview" not in answer.json().get("pane", ""):
        raise SystemExit(f"{path} failed ({answer.status_code}): {answer.text[:300]}")
    return seconds, answer.json()


def corrections(client: httpx.Client, url: str, articles: int) -> tuple[list[float], list[float]]:
    toggles: list[float] = []
    edits: list[float] = []
    for round_number in range(ROUNDS):
        article = 1 + (round_number * 37 + 11) % articles
        token, version, block = page_state(client, url, article)
        for _ in range(2):  # remove, then restore
            seconds, answer = timed_post(client, url, "api/toggle", token,
                                         {"version": version, "article": article, "block": block})
            toggles.append(seconds)
            version = str(answer["version"])
        for value in ("A subtitle for the benchmark", ""):
            seconds, answer = timed_post(client, url, "api/field", token, {"version": version, "article": article,
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
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as folder, httpx.Client(timeout=120) as client:
        env["XDG_CACHE_HOME"] = str(Path(folder) / "xdg-cache")  # compiled templates start cold too
        manifest = write_collection(Path(folder) / "collection", args.articles, words=args.words)
        shutil.rmtree(manifest.parent / ".anthology-cache", ignore_errors=True)
        cold = start(manifest, env, client)
        stop(cold.process)
        warm_runs = []
        for _ in range(3):
            warm_runs.append(start(manifest, env, client))
            if len(warm_runs) < 3:
                stop(warm_runs[-1].process)
        try:
            toggles, edits = corrections(client, warm_runs[-1].url, args.articles)
        finally:
            stop(warm_runs[-1].process)
    print(f"{args.articles} articles of about {args.words} words")
    print(f"start, cold:  page {cold.page:.2f} s, first article usable {cold.first:.2f} s (target < {START_TARGET} s), "
          f"every article read and checked {cold.complete:.2f} s  (empty work cache)")
    for name in ("page", "first", "complete"):
        runs = ", ".join(f"{getattr(run, name):.2f}" for run in warm_runs)
        label = {"page": "page", "first": "first article usable", "complete": "every article read"}[name]
        print(f"start, warm:  {label} {statistics.median(getattr(run, name) for run in warm_runs):.2f} s  "
              f"(median of {runs})")
    print(f"toggle:       {statistics.median(toggles):.3f} s  (median of {len(toggles)}, slowest "
          f"{max(toggles):.3f}; target < {TOGGLE_TARGET} s)")
    print(f"field edit:   {statistics.median(edits):.3f} s  (median of {len(edits)}, slowest {max(edits):.3f})")


if __name__ == "__main__":
    main()
