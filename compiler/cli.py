"""The `anthology` command: parse options, call the library, map typed errors to exit codes."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import gc
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .collection.audit import LEVELS, Finding
from .commands.normalise import article_json, article_text
from .errors import (
    AnthologyError,
    BuildInterrupted,
    EpubCheckError,
    InputError,
    InternalError,
    RightsError,
    StrictWarningsError,
)
from .model import Article
from .resources import __version__

if TYPE_CHECKING:
    from .book.templating import Renderer
    from .builders.base import BuildContext, Builder
    from .builders.report import FileWritten, Summary
    from .cache import Session
    from .collection.loading import Collection
    from .commands.console import Progress


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
    from .collection.loading import load_article
    from .normalise import rule_set

    if not file.exists():
        raise InputError(f"{file}: file not found")
    article = load_article(file, rule_set())
    if as_json:
        click.echo(json.dumps(article_json(article), ensure_ascii=False, indent=2))
    else:
        click.echo(article_text(article))


@main.command()
@click.argument("collection", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail when there are warnings, not only errors.")
@click.option("--epubcheck/--no-epubcheck", "with_epubcheck", default=True, show_default=True,
              help="Build the EPUB in a temporary folder and run EPUBCheck on it (needs Java).")
@click.option("--offline", is_flag=True,
              help="Use only the cached copies of URL sources (.anthology-cache/http); fetch nothing.")
@_handle_errors
def check(collection: Path, strict: bool, with_epubcheck: bool, offline: bool) -> None:
    """Validate a collection and every article without building; list what needs attention."""
    from .collection.loading import load_collection
    from .collection.manifest import load_manifest

    loaded = load_collection(load_manifest(collection), offline=offline)
    for section in loaded.sections:
        if section.title:
            click.echo(f"== {section.title}")
        for article in section.articles:
            click.echo(_article_line(article))
    click.echo("")
    for line in findings_table(loaded.findings):
        click.echo(line)
    epub_errors = _epubcheck_lines(loaded) if with_epubcheck else []
    _finish_check(collection, loaded.findings, epub_errors, strict)


def findings_table(findings: list[Finding]) -> list[str]:
    """Findings grouped by article, one line each: ARTICLE  LEVEL  MESSAGE."""
    if not findings:
        return ["No warnings."]
    width = max(len("article"), *(len(finding.where) for finding in findings))
    lines = [f"{'article':<{width}}  {'level':<7}  warning", f"{'-' * width}  {'-' * 7}  {'-' * 7}"]
    previous = None
    for finding in sorted(findings, key=lambda f: (f.where, LEVELS.index(f.level))):
        name = finding.where if finding.where != previous else ""
        lines.append(f"{name:<{width}}  {finding.level:<7}  {finding.message}")
        previous = finding.where
    return lines


def _epubcheck_lines(collection: Collection) -> list[str]:
    from .commands.check import run_epubcheck

    result = run_epubcheck(collection)
    click.echo("")
    if not result.ran:
        click.echo(f"EPUBCheck: not run: {result.skipped_because}")
        return []
    click.echo(f"EPUBCheck: {len(result.errors)} error(s), {len(result.warnings)} warning(s)")
    for message in result.errors + result.warnings:
        click.echo(f"  {message}")
    return result.errors


def _finish_check(where: Path, findings: list[Finding], epub_errors: list[str], strict: bool) -> None:
    errors = [f for f in findings if f.level == "error"]
    warnings = [f for f in findings if f.level == "warning"]
    notes = len(findings) - len(errors) - len(warnings)
    click.echo(f"\n{len(errors)} error(s), {len(warnings)} warning(s), {notes} note(s)")
    if errors:
        raise RightsError(f"{where}: {len(errors)} error(s)", [f.line for f in errors])
    if epub_errors:
        raise EpubCheckError(f"{where}: EPUBCheck found errors", [f"EPUBCheck: {e}" for e in epub_errors])
    if strict and warnings:
        raise StrictWarningsError(f"{where}: {len(warnings)} warning(s) with --strict")


@main.command()
@click.argument("collection", type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, default=("epub",), show_default=True,
              help="Output format; repeat for several (epub, pdf, html, cover).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the books into.")
@click.option("--strict", is_flag=True, help="Fail, writing nothing more, when there are warnings.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; warnings and errors only.")
@click.option("--no-cache", is_flag=True,
              help="Redo every article's work, ignoring and not updating the collection's .anthology-cache/work.")
@click.option("--offline", is_flag=True,
              help="Use only the cached copies of URL sources (.anthology-cache/http); fetch nothing.")
@click.option("--watch", is_flag=True,
              help="Keep running after the build and rebuild whenever the manifest, an article, a rule pack or "
                   "a template changes (Ctrl-C stops).")
@_handle_errors
def build(collection: Path, formats: tuple[str, ...], out_dir: Path, strict: bool, quiet: bool,
          no_cache: bool, offline: bool, watch: bool) -> None:
    """Build a collection into one book per --format, written to OUT/<name>.<suffix>, and a review report."""
    from .builders import builder_for

    # Every format name is checked before any work, so a typo costs nothing.
    builders = [builder_for(name) for name in dict.fromkeys(formats)]
    request = BuildRequest(collection, builders, out_dir, strict, quiet, no_cache, offline)
    if watch:
        _watch(request)
        return
    summary = _build_collection(request)
    if not quiet:
        _print_summary(summary)


@dataclass
class BuildRequest:
    """One `build` command's options, kept for every rebuild of `--watch`."""

    collection: Path
    builders: list[Builder]
    out_dir: Path
    strict: bool
    quiet: bool
    no_cache: bool
    offline: bool


def _build_collection(request: BuildRequest, session: Session | None = None, watching: bool = False) -> Summary:
    """Read, check and write every format and the review report; returns what the summary shows."""
    from .builders.base import sweep_partial_outputs
    from .builders.report import REPORT_SUFFIX, FileWritten, summarise, write_report
    from .cache import WorkCache
    from .collection.loading import load_collection
    from .collection.manifest import load_manifest
    from .commands.console import Progress

    started = time.monotonic()
    builders, out_dir = request.builders, request.out_dir
    manifest = load_manifest(request.collection)
    progress = Progress(len(manifest.entries) + len(builders) + 1, enabled=not request.quiet and not watching)
    try:
        cache = WorkCache.for_collection(manifest.root, enabled=not request.no_cache)
        loaded = load_collection(manifest, progress=lambda path: progress.step(f"reading {path}"), cache=cache,
                                 offline=request.offline, session=session)
        _report_findings(loaded, request.strict, request.collection)
        name = loaded.manifest.output_name
        sweep_partial_outputs(out_dir, [f"{name}{b.suffix}" for b in builders] + [f"{name}{REPORT_SUFFIX}"])
        files, pages, build_warnings = _build_formats(builders, loaded, out_dir, request.strict, progress, session)
        progress.step("writing the review report")
        summary = summarise(loaded, time.monotonic() - started, pages, build_warnings, files)
        report = write_report(loaded, summary, out_dir, _renderer("report", loaded, session))
    finally:
        progress.close()
    summary.files.append(FileWritten(report, report.stat().st_size))
    summary.seconds = time.monotonic() - started
    return summary


def _watch(request: BuildRequest) -> None:
    """Build, then rebuild on every change until Ctrl-C; a failed build is reported and watching goes on."""
    from .cache import Session
    from .commands.watch import watch_collection

    session = Session()

    def rebuild() -> None:
        try:
            summary = _build_collection(request, session, watching=True)
        except AnthologyError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            click.echo("build failed; fix it and save, or press Ctrl-C to stop", err=True)
            return
        if not request.quiet:
            written = ", ".join(str(f.path) for f in summary.files)
            click.echo(f"built {written} in {summary.seconds:.2f} s; watching for changes (Ctrl-C stops)")

    try:
        watch_collection(request.collection, rebuild)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)  # the normal way to end: exit 0


def _renderer(template_folder: str, collection: Collection, session: Session | None) -> Renderer:
    """The format's renderer; a watching session keeps one, with its compiled templates, per format."""
    from .book.templating import Renderer

    if session is None:
        return Renderer.for_collection(template_folder, collection)
    renderer = session.renderers.get(template_folder)
    if renderer is None or renderer.collection_root != collection.manifest.root:
        renderer = session.renderers[template_folder] = Renderer.for_collection(template_folder, collection)
    return renderer


def _build_formats(builders: list[Builder], collection: Collection, out_dir: Path, strict: bool, progress: Progress,
                   session: Session | None = None) -> tuple[list[FileWritten], int | None, list[str]]:
    """Write every format; return the files written, the PDF's page count and the builders' warnings."""
    from .builders.base import build_date_from_env
    from .builders.report import FileWritten

    build_date, reproducible = build_date_from_env()
    files, pages, build_warnings = [], None, []
    for builder in builders:
        progress.step(f"writing {builder.name.upper()}")
        target, context = _build_one(builder, collection, out_dir, build_date, reproducible, strict, session)
        files.append(FileWritten(target, target.stat().st_size))
        build_warnings += [f"{builder.name}: {w}" for w in context.warnings]
        if builder.name == "pdf":
            pages = context.pages
    return files, pages, build_warnings


def _print_summary(summary: Summary) -> None:
    from .commands.console import summary_lines

    stdout = click.get_text_stream("stdout")
    for line in summary_lines(summary, styled=stdout.isatty()):
        click.echo(line)


def _report_findings(collection: Collection, strict: bool, where: Path) -> None:
    """Print the collection's warnings; with --strict, stop on them (rights problems first)."""
    for warning in collection.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not strict:
        return
    errors = [finding.line for finding in collection.findings if finding.level == "error"]
    if errors:
        raise RightsError(f"{where}: {len(errors)} rights problem(s) with --strict; nothing was written", errors)
    _report_warnings(collection.warnings, strict, where, echo=False)


def _report_warnings(warnings: list[str], strict: bool, where: Path, echo: bool = True) -> None:
    if echo:
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
    if strict and warnings:
        raise StrictWarningsError(f"{where}: {len(warnings)} warning(s) with --strict; nothing more was written")


def _build_one(builder: Builder, collection: Collection, out_dir: Path, build_date: dt.datetime,
               reproducible: bool, strict: bool, session: Session | None = None) -> tuple[Path, BuildContext]:
    """Write one format atomically; with --strict, a build warning discards the new file."""
    from .builders.base import BuildContext, atomic_output

    context = BuildContext(_renderer(builder.template_folder, collection, session), build_date, reproducible)
    target = out_dir / f"{collection.manifest.output_name}{builder.suffix}"
    with atomic_output(target) as stream:
        builder.write(collection, stream, context)
        # Raised inside the writer's block, so the temporary file is removed and any earlier
        # book stays in place.
        _report_warnings([f"{builder.name}: {w}" for w in context.warnings], strict, target)
    return target, context


@main.command()
@click.argument("collection", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 to listen on; 0 picks a free one.")
@click.option("--no-browser", is_flag=True, help="Print the address but do not open a browser.")
@_handle_errors
def review(collection: Path, port: int, no_browser: bool) -> None:
    """Open the review studio: check and correct every article in the browser (Ctrl-C stops)."""
    from .studio import serve

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how the studio is meant to end
        serve(collection, port, open_browser=not no_browser, announce=click.echo)
    click.echo("review studio stopped", err=True)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_handle_errors
def init(folder: Path) -> None:
    """Create a collection folder with a commented collection.yaml and a sample article."""
    from .commands.init import create_collection

    written = create_collection(folder)
    for path in written:
        click.echo(f"created {path}")
    manifest = folder / "collection.yaml"
    click.echo(f"\nBuild it with:  anthology build {manifest} --format epub --format pdf --format html")


@main.command()
@_handle_errors
def schema() -> None:
    """Print the collection file's JSON Schema, for completion and checking in a text editor."""
    from .collection.manifest import collection_json_schema

    click.echo(json.dumps(collection_json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("collection", type=click.Path(exists=True, path_type=Path))
@_handle_errors
def clean(collection: Path) -> None:
    """Remove the collection's cache of per-article work (the next build redoes everything)."""
    from .cache import clean as clean_cache

    root = collection if collection.is_dir() else collection.parent
    removed = clean_cache(root)
    for path in removed:
        click.echo(f"removed {path}")
    if not removed:
        click.echo(f"no cache in {root}")


def _article_line(article: Article) -> str:
    authors = ", ".join(article.meta.authors) or "(no author)"
    return f"{article.meta.title} — {authors} — {article.words} words kept, {article.words_removed} removed"
