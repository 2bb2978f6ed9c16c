"""The `anthology` command: parse options, call the library, print, map typed errors to exit codes.

Each command imports the part of the library it runs when it runs (the library takes about half a
second to import, WeasyPrint a second more), so `anthology --help` and `--version` stay quick.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import sys
from collections.abc import Callable
from functools import cache, partial, wraps
from pathlib import Path
from typing import Any

import click

from .builders import BUILDERS
from .errors import AnthologyError, BuildInterrupted, InternalError
from .resources import __version__

COLLECTION = click.argument("collection", type=click.Path(path_type=Path))
OFFLINE = click.option("--offline", is_flag=True,
                       help="Use only the cached copies of URL sources (.anthology-cache/http); fetch nothing.")
# The builders' table names its formats without importing them (WeasyPrint stays unloaded).
FORMATS = click.Choice(sorted(BUILDERS), case_sensitive=False)


def _handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print an AnthologyError as its one-line problems and exit with its code.

    Anything else is a bug or an interruption: it gets one line and its own exit code too, so
    an editor never faces a raw traceback; `-v` shows the traceback of every kind.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own usage errors and exits keep their codes and messages
        except (Exception, KeyboardInterrupt) as exc:
            if ctx.find_root().params.get("verbose"):
                raise
            error = _as_anthology_error(exc)
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(error.exit_code)

    return wrapper


def _as_anthology_error(exc: BaseException) -> AnthologyError:
    if isinstance(exc, AnthologyError):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        return BuildInterrupted("interrupted; files written before were left as they were, nothing half-written")
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return InternalError(f"internal error ({detail}); this is a bug in anthology: run with -v to see the traceback "
                         "and report it")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anthology")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for errors.")
def main(verbose: bool) -> None:
    """Compile saved web articles into clean, credited EPUB, PDF and HTML books."""
    _leave_objects_at_exit()


@cache
def _leave_objects_at_exit() -> None:
    """At exit, Python's collector would walk every object the command made just before the
    operating system takes the memory back: a seventh of a small rebuild. Frozen at exit,
    they are left alone (files are closed by then: every output is written and closed first)."""
    atexit.register(gc.freeze)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@_handle_errors
def normalise(file: Path, as_json: bool) -> None:
    """Clean one saved article and print it with its metadata."""
    from .commands.normalise import normalise_file  # deferred: the library

    click.echo(normalise_file(file, as_json))


@main.command()
@COLLECTION
@click.option("--strict", is_flag=True, help="Fail when there are warnings, not only errors.")
@click.option("--epubcheck/--no-epubcheck", "with_epubcheck", default=True, show_default=True,
              help="Build the EPUB in a temporary folder and run EPUBCheck on it (needs Java).")
@OFFLINE
@_handle_errors
def check(collection: Path, strict: bool, with_epubcheck: bool, offline: bool) -> None:
    """Validate a collection and every article without building; list what needs attention."""
    from .commands.check import check_collection, check_lines, raise_for_problems  # deferred: the library

    result = check_collection(collection, offline, with_epubcheck)
    for line in check_lines(result):
        click.echo(line)
    raise_for_problems(result, collection, strict)


@main.command()
@COLLECTION
@click.option("-f", "--format", "formats", type=FORMATS, multiple=True, default=("epub",), show_default=True,
              help="Output format; repeat for several.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the books into.")
@click.option("--strict", is_flag=True, help="Fail, writing nothing more, when there are warnings.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; warnings and errors only.")
@click.option("--no-cache", is_flag=True,
              help="Redo every article's work, ignoring and not updating the collection's .anthology-cache/work.")
@OFFLINE
@click.option("--watch", is_flag=True,
              help="Keep running after the build and rebuild whenever the manifest, an article, a rule pack or "
                   "a template changes (Ctrl-C stops).")
@_handle_errors
def build(collection: Path, formats: tuple[str, ...], out_dir: Path, strict: bool, quiet: bool,
          no_cache: bool, offline: bool, watch: bool) -> None:
    """Build a collection into one book per --format, written to OUT/<name>.<suffix>, and a review report."""
    from .commands.console import Progress, summary_lines  # deferred: the library
    from .pipeline import build as build_books  # deferred: the library

    run = partial(build_books, collection, formats, out_dir, strict=strict, no_cache=no_cache, offline=offline,
                  warn=lambda warning: click.echo(f"warning: {warning}", err=True))
    if watch:
        from .commands.watch import watch_builds  # deferred: watchfiles, only when watching

        watch_builds(collection, lambda session: run(session=session), quiet)
        return
    progress = Progress(enabled=not quiet)
    try:
        summary = run(progress=progress.step, steps=progress.expect)
    finally:
        progress.close()
    if not quiet:
        for line in summary_lines(summary, styled=sys.stdout.isatty()):
            click.echo(line)


@main.command()
@COLLECTION
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 to listen on; 0 picks a free one.")
@click.option("--no-browser", is_flag=True, help="Print the address but do not open a browser.")
@_handle_errors
def review(collection: Path, port: int, no_browser: bool) -> None:
    """Open the review studio: check and correct every article in the browser (Ctrl-C stops)."""
    from .studio import serve  # deferred: the studio's server

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how the studio is meant to end
        serve(collection, port, open_browser=not no_browser, announce=click.echo)
    click.echo("review studio stopped", err=True)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_handle_errors
def init(folder: Path) -> None:
    """Create a collection folder with a commented collection.yaml and a sample article."""
    from .commands.init import create_collection  # deferred: the library

    written = create_collection(folder)
    for path in written:
        click.echo(f"created {path}")
    manifest = folder / "collection.yaml"
    click.echo(f"\nBuild it with:  anthology build {manifest} --format epub --format pdf --format html")


@main.command()
@_handle_errors
def schema() -> None:
    """Print the collection file's JSON Schema, for completion and checking in a text editor."""
    from .collection.manifest import collection_json_schema  # deferred: pydantic and the manifest

    click.echo(json.dumps(collection_json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("collection", type=click.Path(exists=True, path_type=Path))
@_handle_errors
def clean(collection: Path) -> None:
    """Remove the collection's cache of per-article work (the next build redoes everything)."""
    from .cache import clean as clean_cache  # deferred: the library

    root = collection if collection.is_dir() else collection.parent
    removed = clean_cache(root)
    for path in removed:
        click.echo(f"removed {path}")
    if not removed:
        click.echo(f"no cache in {root}")
