"""Material the repository does not ship: ../shared beside it (the seed article, the corpus).

Tests that read it are acceptance checks on that data. `.ci/run` runs them with
ANTHOLOGY_SHARED_DATA=required, where the data is present and its absence is a failure; in a
plain clone they are skipped with one line saying what is absent and what it is for. The
project's own fixtures (tests/fixtures/articles/gr_republished_split.md: the seed's shape,
written for the project) cover the same behaviours in every clone.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_479af0124a485854.txt"
REQUIRED = os.environ.get("ANTHOLOGY_SHARED_DATA") == "required"


def shared_file(path: Path, purpose: str) -> Path:
    """`path` when it is there; else the test fails (REQUIRED) or is skipped, saying why in one line."""
    if path.is_file():
        return path
    message = f"{path} is absent (data beside the repository, not shipped with it): {purpose}"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message, allow_module_level=True)
