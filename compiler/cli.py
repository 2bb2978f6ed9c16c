"""The `anthology` command: parse options, call the library, map typed errors to exit codes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import AnthologyError, InputError, StrictWarningsError
from .model import Article
from .output import article_json, article_text

if TYPE_CHECKING:
    from .builders.base import Builder
    from .collection import Collection


def _handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print an AnthologyError as its one-line problems and exit with its code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except AnthologyError as exc:
            if ctx.find_root().params.get("verbose"):
                raise
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(exc.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anthology")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for errors.")
def main(verbose: bool) -> None:
    """Compile saved web articles into clean, credited EPUB and PDF books."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@_handle_errors
def normalise(file: Path, as_json: bool) -> None:
    """Clean one saved article and print it with its metadata."""
    from .collection import load_article
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
@click.option("--strict", is_flag=True, help="Fail when there are warnings.")
@_handle_errors
def check(collection: Path, strict: bool) -> None:
    """Validate a collection file and normalise every article, without building."""
    from .collection import load_collection
    from .manifest import load_manifest

    loaded = load_collection(load_manifest(collection))
    for section in loaded.sections:
        if section.title:
            click.echo(f"== {section.title}")
        for article in section.articles:
            click.echo(_article_line(article))
    for warning in loaded.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{len(loaded.articles)} articles, {len(loaded.warnings)} warnings")
    if strict and loaded.warnings:
        raise StrictWarningsError(f"{collection}: {len(loaded.warnings)} warning(s) with --strict")


@main.command()
@click.argument("collection", type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, default=("epub",), show_default=True,
              help="Output format; repeat for several (epub, pdf).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the books into.")
@click.option("--strict", is_flag=True, help="Fail, writing nothing more, when there are warnings.")
@_handle_errors
def build(collection: Path, formats: tuple[str, ...], out_dir: Path, strict: bool) -> None:
    """Build a collection into one book per --format, written to OUT/<name>.<suffix>."""
    from .builders import builder_for
    from .builders.base import build_date_from_env, sweep_partial_outputs
    from .collection import load_collection
    from .manifest import load_manifest

    # Every format name is checked before any work, so a typo costs nothing.
    builders = [builder_for(name) for name in dict.fromkeys(formats)]
    loaded = load_collection(load_manifest(collection))
    _report_warnings(loaded.warnings, strict, collection)
    build_date, reproducible = build_date_from_env()
    name = loaded.manifest.output_name
    sweep_partial_outputs(out_dir, [f"{name}{builder.suffix}" for builder in builders])
    for builder in builders:
        target = _build_one(builder, loaded, out_dir, build_date, reproducible, strict)
        click.echo(str(target))


def _report_warnings(warnings: list[str], strict: bool, where: Path) -> None:
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if strict and warnings:
        raise StrictWarningsError(f"{where}: {len(warnings)} warning(s) with --strict; nothing more was written")


def _build_one(builder: Builder, collection: Collection, out_dir: Path, build_date: dt.datetime,
               reproducible: bool, strict: bool) -> Path:
    """Write one format atomically; with --strict, a build warning discards the new file."""
    from .builders.base import BuildContext, atomic_output
    from .render import Renderer

    context = BuildContext(Renderer(builder.template_folder, collection.manifest.root), build_date, reproducible)
    target = out_dir / f"{collection.manifest.output_name}{builder.suffix}"
    with atomic_output(target) as stream:
        builder.write(collection, stream, context)
        # Raised inside the writer's block, so the temporary file is removed and any earlier
        # book stays in place.
        _report_warnings([f"{builder.name}: {w}" for w in context.warnings], strict, target)
    return target


def _article_line(article: Article) -> str:
    authors = ", ".join(article.meta.authors) or "(no author)"
    return f"{article.meta.title} — {authors} — {article.words} words kept, {article.words_removed} removed"


def run() -> None:  # pragma: no cover - console entry for `python -m compiler`
    sys.exit(main())
