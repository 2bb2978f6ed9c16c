"""The print lengths of the manifest's `pdf:` options, parsed once where the manifest is validated.

An editor writes text ("A5", "150mm 220mm", "20mm 15mm", "11.5pt"); the schema turns it into a
typed value here, and every later stage reads that value: points for arithmetic, CSS text for
WeasyPrint. Nothing downstream parses a length again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .schema import Invalid, given

POINTS: dict[str, float] = {"mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72, "pt": 1, "pc": 12, "px": 0.75}
PAGE_SIZES: dict[str, tuple[str, str]] = {
    "a4": ("210mm", "297mm"),
    "a5": ("148mm", "210mm"),
    "a6": ("105mm", "148mm"),
    "b5": ("176mm", "250mm"),
    "letter": ("8.5in", "11in"),
    "6x9in": ("6in", "9in"),
    "5.5x8.5in": ("5.5in", "8.5in"),
    "5x8in": ("5in", "8in"),
}
PAGE_SIZE_NAMES = ("A4", "A5", "A6", "B5", "Letter", "6x9in", "5.5x8.5in", "5x8in")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(mm|cm|in|pt|pc|px)")


def _text(value: Any) -> str:
    """The editor's text without its outer whitespace (as the schema's other text keys)."""
    if not isinstance(value, str):
        raise Invalid(f"should be text, not {given(value)}")
    return value.strip()


@dataclass(frozen=True)
class Length:
    """A length with a unit: its size in points and its CSS text ("12mm")."""

    points: float
    css: str

    def __str__(self) -> str:
        return self.css  # a template writing the value gets CSS

    @classmethod
    def parse(cls, text: str) -> Length:
        """A CSS length with a unit; Invalid naming the expected form."""
        match = _LENGTH.fullmatch(text.strip().lower())
        if not match:
            raise Invalid(f"'{text}' is not a length; write a number and a unit, e.g. 12mm, 0.5in or 10pt")
        number, unit = match[1], match[2]
        return cls(float(number) * POINTS[unit], f"{number}{unit}")

    @classmethod
    def read(cls, value: Any) -> Length:
        """A manifest value: text to parse, or a Length already parsed (a validated copy)."""
        return value if isinstance(value, Length) else cls.parse(_text(value))

    @classmethod
    def millimetres(cls, number: int) -> Length:
        return cls(number * POINTS["mm"], f"{number}mm")


@dataclass(frozen=True)
class PageSize:
    """The trim size of the book's page. `name` is the size as the editor wrote it, for messages."""

    width: Length
    height: Length
    name: str = field(default="", compare=False)

    @classmethod
    def parse(cls, text: str) -> PageSize:
        """A preset name (any case, spaces ignored) or "WIDTH HEIGHT", each side 1in to 1m."""
        preset = PAGE_SIZES.get(re.sub(r"\s+", "", text.lower()))
        if preset:
            return cls(Length.parse(preset[0]), Length.parse(preset[1]), text)
        sides = text.split()
        if len(sides) != 2:
            raise Invalid(f"unknown page size '{text}'; use one of {', '.join(PAGE_SIZE_NAMES)}, "
                          f"or 'WIDTH HEIGHT' like '150mm 220mm'")
        width, height = (cls._side(side) for side in sides)
        return cls(width, height, text)

    @staticmethod
    def _side(text: str) -> Length:
        side = Length.parse(text)
        if not 72 <= side.points <= 3000:
            raise Invalid(f"page side {text} is out of range; give 1in to 1m")
        return side

    @classmethod
    def read(cls, value: Any) -> PageSize:
        """A manifest value: text to parse, or a PageSize already parsed (a validated copy)."""
        return value if isinstance(value, PageSize) else cls.parse(_text(value))


@dataclass(frozen=True)
class Margins:
    """Mirrored margins of a bound book; the inner one is at the spine. `written` is the value as
    the editor wrote it, for messages."""

    top: Length
    outer: Length
    bottom: Length
    inner: Length
    written: str = field(default="", compare=False)

    @classmethod
    def parse(cls, text: str) -> Margins:
        """CSS shorthand of 1 to 4 lengths: "TOP OUTER BOTTOM INNER"."""
        values = text.split()
        if not 1 <= len(values) <= 4:
            raise Invalid("give 1 to 4 lengths: TOP OUTER BOTTOM INNER, e.g. '20mm 15mm 22mm 20mm'")
        lengths = [Length.parse(value) for value in values]
        top, outer, bottom, inner = {
            1: lambda v: (v[0], v[0], v[0], v[0]),
            2: lambda v: (v[0], v[1], v[0], v[1]),
            3: lambda v: (v[0], v[1], v[2], v[1]),
            4: lambda v: tuple(v),
        }[len(lengths)](lengths)
        return cls(top, outer, bottom, inner, text)

    @classmethod
    def read(cls, value: Any) -> Margins:
        """A manifest value: text to parse, or Margins already parsed (a validated copy)."""
        return value if isinstance(value, Margins) else cls.parse(_text(value))

    @classmethod
    def in_proportion(cls, page: PageSize) -> Margins:
        """The default margins: fractions of the page, in whole millimetres."""
        width, height = (side.points * 25.4 / 72 for side in (page.width, page.height))
        top, outer, bottom, inner = (round(mm) for mm in (0.085 * height, 0.1 * width, 0.1 * height, 0.13 * width))
        return cls(*(Length.millimetres(mm) for mm in (top, outer, bottom, inner)))

    def check_room(self, page: PageSize) -> None:
        """Invalid when the margins leave too little of the page for text."""
        if (self.outer.points + self.inner.points > 0.6 * page.width.points
                or self.top.points + self.bottom.points > 0.6 * page.height.points):
            written = self.written or " ".join(side.css for side in (self.top, self.outer, self.bottom, self.inner))
            raise Invalid(f"margins {written} leave too little room for text on a {page.name} page")
