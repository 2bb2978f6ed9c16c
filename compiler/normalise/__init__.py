"""The normaliser: detect the site, extract metadata, drop boilerplate, repair, audit.

Each stage is a small named function over the one model (stages.py runs them in order); site
knowledge lives in rule packs (rules.py reads them, engine.py runs them).

The package itself is light: `normalise`, `rule_set` and `RuleSet` load the stages and the rule
packs' schema on first use (a sixth of a second), so a rebuild whose articles all come from the
work cache, which still runs the collection's stages here (site_repeats, corrections), never
loads them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .rules import RuleSet, rule_set
    from .stages import normalise

__all__ = ["RuleSet", "normalise", "rule_set"]

_DEFINED_IN = {"normalise": ".stages", "rule_set": ".rules", "RuleSet": ".rules"}


def __getattr__(name: str) -> Any:
    if name not in _DEFINED_IN:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_DEFINED_IN[name], __name__), name)
    globals()[name] = value  # found directly from now on
    return value
