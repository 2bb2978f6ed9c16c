"""Footnotes kept on the page of their call, as `footnote-policy: line` asks (print.css).

WeasyPrint (66 to 70) honours `footnote-policy: line` when a note does not fit below its own
line: the line moves to the next page with its note. But when a later line overflows the page
and breaking before it would leave fewer lines of its paragraph than `orphans`, WeasyPrint first
moves the page's notes already set to the next page to make room (its `_linebox_layout`,
"report footnotes"), so notes end up a page after their calls (Kozea/WeasyPrint#2432 describes
that choice). A book wants the paragraph moved instead, as it would be without notes.

That choice is made in one expression of `_linebox_layout`:
`report = not context.in_column and can_break_now and not could_break_before`. Nothing else
decides it, so the switch here is narrow: `LayoutContext.in_column` becomes a property that
answers True to that one function, and only while a note on the page asks for `line` or `block`.
Everything else (real columns, page breaks, the footnote area) reads the stored value. A
WeasyPrint whose `_linebox_layout` no longer reads `in_column` is left alone; the notes tests
(tests/book/test_notes.py) then show whether it still needs this.
"""

from __future__ import annotations

import sys
from typing import Any

from weasyprint.layout import LayoutContext
from weasyprint.layout import block as _block

_KEPT = ("line", "block")  # footnote-policy values that put a note on its call's page


def _applies() -> bool:
    code = getattr(getattr(_block, "_linebox_layout", None), "__code__", None)
    return (code is not None and "in_column" in code.co_names
            and not isinstance(getattr(LayoutContext, "in_column", None), property))


def _get(self: Any) -> bool:
    if self.__dict__.get("_in_column", False):
        return True
    # Only the orphans rule of _linebox_layout is answered differently (see the module's doc).
    if sys._getframe(1).f_code is _LINEBOX:
        return any(note.style["footnote_policy"] in _KEPT for note in self.current_page_footnotes)
    return False


def _set(self: Any, value: bool) -> None:
    self.__dict__["_in_column"] = value


if _applies():
    _LINEBOX = _block._linebox_layout.__code__
    LayoutContext.in_column = property(_get, _set)  # type: ignore[attr-defined]
    APPLIED = True
else:
    APPLIED = False
