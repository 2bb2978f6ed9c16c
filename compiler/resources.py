"""Find the package's data (rule packs, templates) in a checkout and in an installed wheel."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE_DIR = Path(str(files("compiler")))


def rules_dir() -> Path:
    return PACKAGE_DIR / "rules"


def templates_dir() -> Path:
    # A wheel carries the top-level templates/ folder inside the package (see pyproject.toml);
    # a checkout or an editable install finds it beside the package.
    packaged = PACKAGE_DIR / "templates"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "templates"
