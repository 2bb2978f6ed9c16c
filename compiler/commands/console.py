"""What `build` shows while it works and when it ends: a progress bar and a one-screen summary.

A build that finishes within a second shows no progress at all; past that, a terminal gets a
click progress bar naming the current step, and anything else (a log, a pipe, CI) gets one plain
line per step. `--quiet` turns both the progress and the summary off.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

import click

from ..builders.report import Summary

PROGRESS_DELAY = 1.0  # seconds before any progress is shown


class Progress:
    """Steps of a build with a known total; call `step(label)` as each one starts.

    The total may be told later, with `expect(total)`, before the first step: the build knows it
    once the collection file is read.
    """

    def __init__(self, total: int = 0, enabled: bool = True, stream: IO[str] | None = None,
                 delay: float = PROGRESS_DELAY) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr  # as click.echo(err=True) finds it (a test runner swaps it)
        self.delay = delay
        self.started = time.monotonic()
        self.done = 0
        self.bar: Any = None  # click's ProgressBar, made once the delay has passed
        self.terminal = _isatty(self.stream)

    def expect(self, total: int) -> None:
        self.total = total

    def step(self, label: str) -> None:
        if self.enabled and time.monotonic() - self.started >= self.delay:
            self._show(label)
        self.done += 1

    def _show(self, label: str) -> None:
        if not self.terminal:
            click.echo(f"[{self.done + 1}/{self.total}] {label}", file=self.stream)
            return
        if self.bar is None:
            self.bar = click.progressbar(length=self.total, label="Building", file=self.stream,
                                         item_show_func=lambda item: item, show_pos=True)
            self.bar.__enter__()
            self.bar.update(self.done)
        self.bar.update(1, current_item=label)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB"):
        if value < 1000:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def summary_lines(summary: Summary, styled: bool) -> list[str]:
    """The end-of-build summary; `styled` adds bold and colour for a terminal."""

    def bold(text: str) -> str:
        return click.style(text, bold=True) if styled else text

    warnings = str(summary.warnings)
    if styled and summary.warnings:
        warnings = click.style(warnings, fg="yellow", bold=True)
    rows = [
        ("articles", str(summary.articles)),
        ("words kept", f"{summary.words_kept:,}"),
        ("words removed", f"{summary.words_removed:,}"),
        ("warnings", warnings),
    ]
    if summary.pages is not None:
        rows.insert(3, ("pages (PDF)", str(summary.pages)))
    lines = [bold(f"Built {summary.title} in {summary.seconds:.1f} s")]
    lines += [f"  {name:<16}{value}" for name, value in rows]
    lines.append("  files" if summary.files else f"  {'files':<16}none")
    width = max((len(str(f.path)) for f in summary.files), default=0)
    lines += [f"    {f.path!s:<{width}}  {human_size(f.size):>9}" for f in summary.files]
    return lines
