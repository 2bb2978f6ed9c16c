"""The build pipeline: manifest → collection → every format → review report, each file written atomically.

`build()` is what `anthology build` runs and what a Python caller calls (`from compiler import build`).
It prints nothing: progress messages and warnings go to the callbacks it is given.

The module is not called `build.py`: importing a submodule `compiler.build` would set the package's
attribute `build` to the module, so `from compiler import build` would return the module instead of
this function once anything had imported the pipeline.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .book.templating import Renderer
from .builders import BuildContext, Builder, builder_for
from .builders.base import build_date_from_env
from .builders.report import REPORT_SUFFIX, FileWritten, Summary, render_report, report_path, summarise
from .cache import WorkCache
from .collection.loading import Collection, load_collection
from .collection.manifest import load_manifest
from .errors import BuildError, RightsError, StrictWarningsError

if TYPE_CHECKING:
    from .cache import Session

Report = Callable[[str], None]  # takes one message: a progress step or a warning


def build(collection: Path | str, formats: Iterable[str] = ("epub",), out_dir: Path | str = Path("out"), *,
          strict: bool = False, no_cache: bool = False, offline: bool = False, progress: Report | None = None,
          steps: Callable[[int], None] | None = None, warn: Report | None = None,
          session: Session | None = None) -> Summary:
    """Build the collection file `collection` into one book per format in `out_dir`, and its review report.

    `progress` is called with a message as each step starts; `steps` once, before the first, with how many
    steps there are (a progress bar's length). `warn` is called with every warning (the articles' and the
    builders'). With `strict`, a warning stops the build: nothing more is written, and a book whose builder
    warned is discarded, leaving any earlier one in place. A watching `session` keeps work in memory.
    """
    started = time.monotonic()
    step, warn = progress or _ignore, warn or _ignore
    formats = (formats,) if isinstance(formats, str) else formats  # build(path, formats="pdf") means one format
    # Every format name is checked before any work, so a typo costs nothing.
    builders = [builder_for(name) for name in dict.fromkeys(name.lower() for name in formats)]
    where, out_dir = Path(collection), Path(out_dir)
    manifest = load_manifest(where)
    if steps is not None:
        steps(len(manifest.entries) + len(builders) + 1)
    cache = WorkCache.for_collection(manifest.root, enabled=not no_cache)
    loaded = load_collection(manifest, progress=lambda path: step(f"reading {path}"), cache=cache, offline=offline,
                             session=session)
    _stop_on_findings(loaded, strict, where, warn)
    name = loaded.manifest.output_name
    sweep_partial_outputs(out_dir, [f"{name}{b.suffix}" for b in builders] + [f"{name}{REPORT_SUFFIX}"])
    files, pages, build_warnings = _write_formats(builders, loaded, out_dir, strict, step, warn, session)
    step("writing the review report")
    summary = summarise(loaded, time.monotonic() - started, pages, build_warnings, files)
    text = render_report(loaded, summary, renderer("report", loaded, session))
    report = write_file(report_path(out_dir, loaded), text.encode("utf-8"))
    summary.files.append(FileWritten(report, report.stat().st_size))
    summary.seconds = time.monotonic() - started
    return summary


def _ignore(message: str) -> None:
    """No callback given: the message is not wanted (warnings are still counted in the Summary)."""


def _stop_on_findings(collection: Collection, strict: bool, where: Path, warn: Report) -> None:
    """Report the collection's warnings; with `strict`, stop on them (rights problems first)."""
    for warning in collection.warnings:
        warn(warning)
    if not strict:
        return
    errors = [finding.line for finding in collection.findings if finding.level == "error"]
    if errors:
        raise RightsError(f"{where}: {len(errors)} rights problem(s) with --strict; nothing was written", errors)
    _stop_if_strict(collection.warnings, strict, where)


def _stop_if_strict(warnings: list[str], strict: bool, where: Path) -> None:
    if strict and warnings:
        raise StrictWarningsError(f"{where}: {len(warnings)} warning(s) with --strict; nothing more was written")


def _write_formats(builders: list[Builder], collection: Collection, out_dir: Path, strict: bool, step: Report,
                   warn: Report, session: Session | None) -> tuple[list[FileWritten], int | None, list[str]]:
    """Write every format; return the files written, the PDF's page count and the builders' warnings."""
    build_date, reproducible = build_date_from_env()
    files, pages, build_warnings = [], None, []
    for builder in builders:
        step(f"writing {builder.name.upper()}")
        context = BuildContext(renderer(builder.template_folder, collection, session), build_date, reproducible)
        target = _write_checked(builder, collection, out_dir, context, strict, warn)
        files.append(FileWritten(target, target.stat().st_size))
        build_warnings += [f"{builder.name}: {w}" for w in context.warnings]
        if builder.name == "pdf":
            pages = context.pages
    return files, pages, build_warnings


def _write_checked(builder: Builder, collection: Collection, out_dir: Path, context: BuildContext, strict: bool,
                   warn: Report) -> Path:
    """Write one format, reporting its builder's warnings; with `strict`, they discard the new book."""

    def warn_or_stop(target: Path) -> None:
        warnings = [f"{builder.name}: {w}" for w in context.warnings]
        for warning in warnings:
            warn(warning)
        _stop_if_strict(warnings, strict, target)

    return write_format(builder, collection, out_dir, context, before_keeping=warn_or_stop)


def renderer(template_folder: str, collection: Collection, session: Session | None = None) -> Renderer:
    """The format's renderer; a watching session keeps one, with its compiled templates, per format."""
    if session is None:
        return Renderer.for_collection(template_folder, collection)
    kept = session.renderers.get(template_folder)
    if kept is None or kept.collection_root != collection.manifest.root:
        kept = session.renderers[template_folder] = Renderer.for_collection(template_folder, collection)
    return kept


def write_format(builder: Builder, collection: Collection, out_dir: Path, context: BuildContext,
               before_keeping: Callable[[Path], None] | None = None) -> Path:
    """Write one format to OUT/<name><suffix> atomically and return its path.

    `before_keeping` runs once the book is written but before it replaces the earlier one: raising
    there (as --strict does on a builder's warning) discards the new book and keeps the earlier.
    """
    target = out_dir / f"{collection.manifest.output_name}{builder.suffix}"
    with atomic_output(target) as stream:
        builder.write(collection, stream, context)
        if before_keeping is not None:
            before_keeping(target)
    return target


def write_file(target: Path, data: bytes) -> Path:
    """Write bytes atomically (the review report, an edited collection file)."""
    with atomic_output(target) as stream:
        stream.write(data)
    return target


@contextmanager
def atomic_output(target: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside `target`, renamed over it only when writing finished.

    A failed or interrupted build leaves the previous file in place; the temporary file is
    removed on failure, and its name (`.<name>.*.part`) lets a later build sweep leftovers.
    """
    # Ctrl-C is held while the file is made and named: arriving in between, it would leave a
    # file nobody knows the name of. It is delivered at once after, inside the clean-up below.
    held = _hold_interrupts()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # closed by the `with handle` below; it must outlive this block to be renamed
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False
        )
    except OSError as exc:
        _release_interrupts(held)
        raise BuildError(f"{target.parent}: cannot write the output folder: {exc.strerror or exc}") from None
    temp = Path(handle.name)
    try:
        _release_interrupts(held)
        with handle:
            yield handle
            _writing(target, lambda: (handle.flush(), os.fsync(handle.fileno())))
        _writing(target, lambda: (os.chmod(temp, 0o644), os.replace(temp, target)))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


def _hold_interrupts() -> set[signal.Signals] | None:
    if not hasattr(signal, "pthread_sigmask"):  # not on POSIX: nothing to hold with
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)


def _release_interrupts(held: set[signal.Signals] | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _writing(target: Path, step: Callable[[], object]) -> None:
    """Run a step of finishing the file; a full disk or a read-only folder is a BuildError."""
    try:
        step()
    except OSError as exc:
        raise BuildError(f"{target}: cannot write the output: {exc.strerror or exc}") from None


def sweep_partial_outputs(out_dir: Path, names: list[str]) -> None:
    """Remove temporary files a killed earlier build left behind."""
    for name in names:
        for leftover in out_dir.glob(f".{name}.*.part"):
            leftover.unlink(missing_ok=True)
