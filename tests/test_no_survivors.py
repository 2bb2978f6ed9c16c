"""One process per command: `build` (every format, the PDF's workers included), `check` (with
EPUBCheck's Java) and `normalise` leave nothing running once they exit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from epub_helpers import EXAMPLE

MARKER = "ANTHOLOGY_SURVIVOR_MARK"


def marked(value: str) -> list[int]:
    """Processes whose environment carries MARKER=value (inherited by every child and grandchild,
    even one that left the process group or the session)."""
    wanted = f"{MARKER}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def anthology(*args: str, cwd: Path) -> list[int]:
    """Run one command as a user does (the console script, in a new session) and list its survivors."""
    value = uuid.uuid4().hex
    env = {**os.environ, MARKER: value}
    env.pop("SOURCE_DATE_EPOCH", None)
    script = Path(sys.executable).with_name("anthology")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "compiler"]
    result = subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                            start_new_session=True)
    assert result.returncode == 0, result.stderr
    return marked(value)


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("survivors") / "example"
    shutil.copytree(EXAMPLE.parent, folder)
    return folder


def test_the_marker_finds_a_process_that_is_still_running(tmp_path: Path) -> None:
    value = uuid.uuid4().hex
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"],
                               env={**os.environ, MARKER: value})
    try:
        assert marked(value) == [sleeper.pid]
    finally:
        sleeper.kill()
        sleeper.wait()
    assert marked(value) == []


@pytest.mark.parametrize("args", [
    ["build", "collection.yaml", "-q", "-f", "epub", "-f", "pdf", "-f", "html", "-o", "out"],
    ["build", "collection.yaml", "-q", "-f", "epub", "-f", "pdf", "-o", "out"],  # again: from the cache
    ["check", "collection.yaml"],
    ["normalise", "articles/counting-swifts.md"],
], ids=["build", "rebuild", "check", "normalise"])
def test_a_command_leaves_no_process_running(collection: Path, args: list[str]) -> None:
    assert anthology(*args, cwd=collection) == []
