"""Jinja2 templates through an override chain: collection → format → base.

A collection folder may hold `templates/<format>/` and `templates/base/` to replace any
template; otherwise the package's `templates/<format>/` and then `templates/base/` are used.
Every format renders the same base templates, so each visible piece is written once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

from ..cache import TEMPLATE_PIECES, LastBuild, WorkCache, fingerprint
from ..resources import templates_dir
from .attribution import attribution_parts, attribution_text, format_date, join_names

if TYPE_CHECKING:
    from ..collection.loading import Collection


# Options that change the compiled code; the compiled-template folder is named after them.
SYNTAX = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


class Renderer:
    def __init__(self, template_folder: str, collection_root: Path | None = None,
                 compiled_folder: Path | None = None) -> None:
        """`compiled_folder` keeps the compiled templates between runs (Jinja checks each one
        against its source, so an edited template is compiled again)."""
        self.collection_root = collection_root
        self.work_cache: WorkCache | None = None  # where pieces() keeps the last build's pieces
        self._pieces: dict[str, Pieces] = {}
        search: list[Path] = []
        if collection_root is not None:
            search += [collection_root / "templates" / template_folder, collection_root / "templates" / "base"]
        search += [templates_dir() / template_folder, templates_dir() / "base"]
        self.template_folder = template_folder
        self.search_path = [p for p in search if p.is_dir()]
        self.env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(p)) for p in self.search_path]),
            autoescape=select_autoescape(["html", "xhtml", "xml", "j2"], default_for_string=True),
            undefined=StrictUndefined,
            bytecode_cache=_compiled_cache(compiled_folder),
            **SYNTAX,
        )
        self.env.globals.update(
            attribution_parts=attribution_parts,
            attribution_text=attribution_text,
        )
        self.env.filters.update(long_date=format_date, names=join_names, tied=tie_last_words)

    @classmethod
    def for_collection(cls, template_folder: str, collection: Collection) -> Renderer:
        """A renderer with the collection's template overrides.

        Compiled templates are kept in the user's cache folder, as Python keeps compiled modules:
        Jinja checks each against its source, so they are not per-collection work and serve
        `--no-cache` builds too."""
        renderer = cls(template_folder, collection.manifest.root, compiled_templates_folder())
        renderer.work_cache = collection.cache if collection.cache is not None and collection.cache.enabled else None
        return renderer

    @property
    def own_templates(self) -> bool:
        """Whether the collection overrides any template of this format (or the base ones)."""
        root = self.collection_root
        return root is not None and any(folder.is_relative_to(root) for folder in self.search_path)

    def pieces(self, name: str) -> Pieces | None:
        """The rendered pieces called `name` (an article's page…) kept from the last build, or
        None when the collection has its own templates: those may read anything from the
        context, and a piece is known only by what its caller says it was rendered from."""
        if self.own_templates:
            return None
        templates = sorted(path for folder in self.search_path for path in folder.iterdir() if path.is_file())
        shipped = fingerprint(templates)  # by their bytes: a template edited since the last build
        if name not in self._pieces or self._pieces[name].fingerprint != shipped:
            self._pieces[name] = Pieces(self.work_cache, f"{self.template_folder}/{name}", shipped)
        return self._pieces[name]

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)

    def read_static(self, name: str) -> str:
        """A non-template file (a stylesheet) found through the same chain."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        raise FileNotFoundError(name)


class Pieces:
    """Pieces of a page set rendered by the last build (each article's page, its section of the
    review report), by a digest of everything they were rendered from, so that a rebuild
    renders only what changed. They are kept in the work cache (cache.LastBuild); a watching
    session's renderer also keeps them in memory.
    """

    def __init__(self, cache: WorkCache | None, name: str, templates: str) -> None:
        self.fingerprint = templates  # of the template files the pieces are rendered with
        self.last: LastBuild[str] = LastBuild(cache, TEMPLATE_PIECES, name)

    def piece(self, rendered_from: tuple[object, ...], render: Callable[[], str]) -> str:
        """The piece rendered from these values (the template's context, as its caller knows it)."""
        return self.last.get(fingerprint(self.fingerprint, rendered_from), render)

    def keep(self) -> None:
        self.last.keep()


def compiled_templates_folder() -> Path:
    """$XDG_CACHE_HOME/anthology/templates-…, else ~/.cache/anthology/templates-…, one folder per
    version of Jinja and set of compile options (a compiled template is only checked against
    its source)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    tag = hashlib.sha256(f"{jinja2.__version__} {sorted(SYNTAX.items())}".encode()).hexdigest()[:12]
    return Path(base) / "anthology" / f"templates-{tag}"


def _compiled_cache(folder: Path | None) -> BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only collection folder: compile every time
        return None
    return FileSystemBytecodeCache(str(folder))


def tie_last_words(text: str | None) -> str | None:
    """The text with its last two words joined by a no-break space, so that a title or a blurb
    never ends with one word alone on its last line (the print cover)."""
    if not text:
        return text
    head, space, last = text.rstrip().rpartition(" ")
    # Two words are left free to break: tied, a long pair in the title's size could overflow.
    return f"{head}\u00a0{last}" if space and " " in head.strip() and len(last) < 16 else text
