"""Jinja2 templates through an override chain: collection → format → base.

A collection folder may hold `templates/<format>/` and `templates/base/` to replace any
template; otherwise the package's `templates/<format>/` and then `templates/base/` are used.
Every format renders the same base templates, so each visible piece is written once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .attribution import attribution_parts, attribution_text, format_date, join_names
from .resources import templates_dir


class Renderer:
    def __init__(self, template_folder: str, collection_root: Path | None = None) -> None:
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
        )
        self.env.globals.update(
            attribution_parts=attribution_parts,
            attribution_text=attribution_text,
        )
        self.env.filters.update(long_date=format_date, names=join_names)

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)

    def read_static(self, name: str) -> str:
        """A non-template file (a stylesheet) found through the same chain."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        raise FileNotFoundError(name)
