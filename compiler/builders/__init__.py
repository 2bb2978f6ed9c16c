"""Output formats in a registry keyed by name: `--format` choices come from here."""

from __future__ import annotations

from ..errors import BuildError
from .base import BuildContext, Builder

BUILDERS: dict[str, type[Builder]] = {}


def register(builder: type[Builder]) -> type[Builder]:
    BUILDERS[builder.name] = builder
    return builder


def builder_for(name: str) -> Builder:
    try:
        return BUILDERS[name]()
    except KeyError:
        raise BuildError(f"unknown format '{name}'; valid formats: {', '.join(sorted(BUILDERS))}") from None


__all__ = ["BUILDERS", "BuildContext", "Builder", "builder_for", "register"]

# Each format module registers itself on import.
from . import epub, html, pdf  # noqa: E402, F401
