"""Output formats in a registry keyed by name: `--format` choices come from here.

Each format's module is imported the first time the format is asked for, so an EPUB build
never pays for importing WeasyPrint (about a second).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

from ..errors import BuildError
from .base import BuildContext, Builder

# format name → the module (in this package) that defines it and registers it on import
FORMAT_MODULES = {"cover": "pdf.print_cover", "epub": "epub", "html": "html", "pdf": "pdf.builder"}

_registered: dict[str, type[Builder]] = {}


def register(builder: type[Builder]) -> type[Builder]:
    _registered[builder.name] = builder
    return builder


class Registry(Mapping[str, type[Builder]]):
    """Builder classes by format name, each module imported on first use."""

    def __getitem__(self, name: str) -> type[Builder]:
        if name not in _registered and name in FORMAT_MODULES:
            import_module(f"{__name__}.{FORMAT_MODULES[name]}")
        return _registered[name]

    def __iter__(self) -> Iterator[str]:
        return iter(FORMAT_MODULES)

    def __len__(self) -> int:
        return len(FORMAT_MODULES)


BUILDERS = Registry()


def builder_for(name: str) -> Builder:
    try:
        return BUILDERS[name]()
    except KeyError:
        raise BuildError(f"unknown format '{name}'; valid formats: {', '.join(sorted(BUILDERS))}") from None


__all__ = ["BUILDERS", "BuildContext", "Builder", "builder_for", "register"]
