"""The package's identity (name, version) and where its data is (rule packs, templates), in a checkout
and in an installed wheel."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__version__ = "0.1.0"  # read by the build backend too (pyproject.toml: tool.hatch.version)
TOOL_NAME = "anthology"

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
