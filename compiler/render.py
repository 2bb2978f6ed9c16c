"""Jinja2 templates through an override chain: collection → format → base.

A collection folder may hold `templates/<format>/` and `templates/base/` to replace any
template; otherwise the package's `templates/<format>/` and then `templates/base/` are used.
Every format renders the same base templates, so each visible piece is written once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

from .attribution import attribution_parts, attribution_text, format_date, join_names
from .resources import templates_dir

if TYPE_CHECKING:
    from .collection import Collection


class Renderer:
    def __init__(self, template_folder: str, collection_root: Path | None = None,
                 compiled_folder: Path | None = None) -> None:
        """`compiled_folder` keeps the compiled templates between runs (Jinja checks each one
        against its source, so an edited template is compiled again)."""
        self.collection_root = collection_root
        search: list[Path] = []
        if collection_root is not None:
            search += [collection_root / "templates" / template_folder, collection_root / "templates" / "base"]
        search += [templates_dir() / template_folder, templates_dir() / "base"]
        self.search_path = [p for p in search if p.is_dir()]
        self.env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(p)) for p in self.search_path]),
            autoescape=select_autoescape(["html", "xhtml", "xml", "j2"], default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_compiled_cache(compiled_folder),
        )
        self.env.globals.update(
            attribution_parts=attribution_parts,
            attribution_text=attribution_text,
        )
        self.env.filters.update(long_date=format_date, names=join_names)

    @classmethod
    def for_collection(cls, template_folder: str, collection: Collection) -> Renderer:
        """A renderer with the collection's template overrides, compiling into its work cache."""
        cache = collection.cache
        compiled = cache.folder / "templates" if cache is not None and cache.folder is not None else None
        return cls(template_folder, collection.manifest.root, compiled)

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)

    def read_static(self, name: str) -> str:
        """A non-template file (a stylesheet) found through the same chain."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        raise FileNotFoundError(name)


def _compiled_cache(folder: Path | None) -> BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only collection folder: compile every time
        return None
    return FileSystemBytecodeCache(str(folder))
