"""`build --watch`: rebuild whenever a file the book is made from changes.

The files are polled (a stat of each, twenty times a second: a few hundred files cost about a
millisecond), which needs no extra package and works the same on every system. An editor's save
changes a file's modification time or size; a rename-into-place save does too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .errors import AnthologyError

POLL_SECONDS = 0.05

State = dict[Path, tuple[int, int] | None]


def watched_files(manifest_path: Path) -> list[Path]:
    """The manifest and, when it loads, every local file it names: articles, rule packs, the
    cover, and the collection's own templates."""
    from .manifest import load_manifest, resolve_in_collection

    files = [manifest_path]
    try:
        manifest = load_manifest(manifest_path)
    except AnthologyError:
        return files  # a broken manifest: wait for it to be saved again
    files += [manifest.resolve(entry) for entry in manifest.entries if entry.url is None]
    data = manifest.data
    files += [resolve_in_collection(manifest, pack) for pack in data.rules.packs]
    if data.cover:
        files.append(resolve_in_collection(manifest, data.cover))
    templates = manifest.root / "templates"
    if templates.is_dir():
        files += sorted(p for p in templates.rglob("*") if p.is_file())
    return list(dict.fromkeys(files))


def snapshot(paths: list[Path]) -> State:
    state: State = {}
    for path in paths:
        try:
            stat = path.stat()
            state[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            state[path] = None  # missing now: its reappearance is a change too
    return state


def watch_collection(manifest_path: Path, rebuild: Callable[[], None], interval: float = POLL_SECONDS) -> None:
    """Build, then build again after each change, until interrupted.

    The state is read before each build, so a file saved while a build runs starts another.
    """
    paths = watched_files(manifest_path)
    state = snapshot(paths)
    rebuild()
    while True:
        time.sleep(interval)
        paths = watched_files(manifest_path) if manifest_path in _changed(state, snapshot([manifest_path])) \
            else paths
        now = snapshot(paths)
        if now != state:
            state = now
            rebuild()


def _changed(before: State, now: State) -> set[Path]:
    return {path for path, value in now.items() if before.get(path) != value}
