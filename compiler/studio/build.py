"""The studio's Build button: `anthology build` run as the CLI runs it, its lines shown as they come.

It is the command itself, in a child process (`python -m compiler build …`), so the
books, the progress lines and the summary are exactly the CLI's; the child ends with its build,
and the studio ends it if the studio is stopped first.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from .state import Refused

FORMATS = ("epub", "pdf", "html")
OUT_FOLDER = "out"  # inside the collection folder: the studio writes nowhere else


class Builds:
    def __init__(self, manifest: Path) -> None:
        self.manifest = manifest
        self.out = manifest.parent / OUT_FOLDER
        self.lock = threading.Lock()
        self.process: subprocess.Popen[str] | None = None
        self.lines: list[str] = []
        self.exit_code: int | None = None
        self.formats: list[str] = []

    def start(self, formats: list[str]) -> None:
        chosen = [name for name in FORMATS if name in formats]
        unknown = sorted(set(formats) - set(FORMATS))
        if unknown or not chosen:
            raise Refused([f"error: choose one or more of {', '.join(FORMATS)} to build"])
        with self.lock:
            if self.running:
                raise Refused(["error: a build is already running"])
            command = [sys.executable, "-m", "compiler", "build", str(self.manifest), "--out", str(self.out)]
            for name in chosen:
                command += ["--format", name]
            self.lines, self.exit_code, self.formats = [], None, chosen
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                            cwd=self.manifest.parent, stdin=subprocess.DEVNULL)
        threading.Thread(target=self._follow, args=(self.process,), daemon=True).start()

    def _follow(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with self.lock:
                self.lines.append(line.rstrip("\n"))
        code = process.wait()
        with self.lock:
            self.exit_code = code

    @property
    def running(self) -> bool:
        return self.process is not None and self.exit_code is None

    def status(self) -> dict[str, Any]:
        with self.lock:
            return {"running": self.running, "lines": list(self.lines), "exit_code": self.exit_code,
                    "formats": self.formats, "started": self.process is not None}

    def stop(self) -> None:
        """End a build still running when the studio stops (nothing keeps running after it)."""
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
