"""anthology: compile saved web articles into clean, credited EPUB, PDF and HTML books.

The public API, for building from Python:

    from compiler import build, load_collection
    summary = build("collection.yaml", formats=("epub", "pdf"), out_dir="out")
    collection = load_collection("collection.yaml")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .resources import TOOL_NAME, __version__

if TYPE_CHECKING:
    from .builders.report import Summary
    from .collection.loading import Collection, load_collection
    from .collection.manifest import Manifest, load_manifest
    from .errors import AnthologyError
    from .model import Article
    from .pipeline import build

# `import compiler` runs before every module of the package, in the CLI and in every worker
# process, so the public names are imported on first use (PEP 562), not here: importing them all
# would load the whole library (about half a second) into processes that need a small part of it.
_LAZY = {
    "build": "compiler.pipeline",
    "Summary": "compiler.builders.report",
    "load_collection": "compiler.collection.loading",
    "Collection": "compiler.collection.loading",
    "load_manifest": "compiler.collection.manifest",
    "Manifest": "compiler.collection.manifest",
    "Article": "compiler.model",
    "AnthologyError": "compiler.errors",
}

__all__ = [
    "TOOL_NAME",
    "AnthologyError",
    "Article",
    "Collection",
    "Manifest",
    "Summary",
    "__version__",
    "build",
    "load_collection",
    "load_manifest",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
