"""`build --watch`: rebuild whenever a file the book is made from changes.

watchfiles reports changes as the kernel does (inotify on Linux), so nothing is polled: the
folders that hold the watched files are watched, and only changes to those files count (the
output folder and the cache may sit in the same folder, and a build writes there). An editor's
save in place, or by renaming a new file over the old, is a change either way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
import watchfiles

from ..cache import Session
from ..collection.manifest import load_manifest, resolve_in_collection
from ..errors import AnthologyError

if TYPE_CHECKING:
    from ..builders.report import Summary

# How long a burst of saves (an editor writing a file, then its backup) is gathered before a rebuild.
QUIET_MS = 20
# How long watchfiles waits before it says nothing changed: the first build waits this long, until
# the folders are watched.
READY_MS = 100

State = dict[Path, tuple[int, int] | None]


def watch_builds(manifest_path: Path, build: Callable[[Session], Summary], quiet: bool) -> None:
    """Build, then rebuild on every change until Ctrl-C; a failed build is reported and watching goes on.

    `build` runs one build with the watching session, which keeps unchanged work in memory.
    """
    session = Session()

    def rebuild() -> None:
        try:
            summary = build(session)
        except AnthologyError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            click.echo("build failed; fix it and save, or press Ctrl-C to stop", err=True)
            return
        if not quiet:
            written = ", ".join(str(f.path) for f in summary.files)
            click.echo(f"built {written} in {summary.seconds:.2f} s; watching for changes (Ctrl-C stops)")

    try:
        watch_collection(manifest_path, rebuild)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)  # the normal way to end: exit 0


def watched_files(manifest_path: Path) -> list[Path]:
    """The manifest and, when it loads, every local file it names: articles, rule packs, the
    cover, and the collection's own templates."""
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


def watch_collection(manifest_path: Path, rebuild: Callable[[], None]) -> None:
    """Build, then build again after each change, until interrupted.

    The first build starts once the folders are watched, so a save during it is not missed;
    changes made while a build runs are gathered by watchfiles' own thread and start another.
    """
    manifest_path = manifest_path.resolve()
    paths = watched_files(manifest_path)
    state: State | None = None  # the files as the last build started with them; None: no build yet
    while True:
        wanted = {str(path) for path in paths}
        folders = sorted({str(path.parent) for path in paths if path.parent.is_dir()})
        watching = False
        for changes in watchfiles.watch(*folders, watch_filter=lambda _, path, wanted=wanted: path in wanted,
                                        recursive=False, step=QUIET_MS, rust_timeout=READY_MS, yield_on_timeout=True,
                                        raise_interrupt=True):
            if not changes and (watching or snapshot(paths) == state):
                watching = True  # an idle timeout, or the first one, with nothing changed since the last build
                continue
            watching = True
            now = watched_files(manifest_path) if state is None or manifest_path in {Path(p) for _, p in changes} \
                else paths
            state = snapshot(now)
            rebuild()
            if now != paths:  # other files (or folders) to watch: start again with them
                paths = now
                break


def snapshot(paths: list[Path]) -> State:
    state: State = {}
    for path in paths:
        try:
            stat = path.stat()
            state[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            state[path] = None  # missing now: its reappearance is a change too
    return state
