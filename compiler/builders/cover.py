"""A generated cover: title, subtitle and editors set large on a plain ground.

Used when the manifest names no cover image. The same book always gives the same PNG bytes
(no timestamps or random choices), so reproducible builds stay byte-identical.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..book.attribution import join_names
from ..book.fonts import fonts_dir
from ..errors import BuildError

if TYPE_CHECKING:  # Pillow is imported when a cover is drawn, not by every build
    from PIL import Image, ImageDraw, ImageFont

# The book face (templates/fonts), so the cover is set in the same family as the book.
FACES = {"bold": "EBGaramond-Bold.ttf", "italic": "EBGaramond-Italic.ttf", "regular": "EBGaramond-Regular.ttf"}
SIZE = (1200, 1800)  # 2:3, the common e-book cover ratio
MARGIN = 110

# Dark grounds with light ink: high contrast that survives thumbnails and greyscale screens.
PALETTES = [
    ((28, 44, 66), (246, 240, 226), (222, 176, 92)),
    ((64, 30, 38), (246, 238, 228), (214, 160, 120)),
    ((24, 58, 52), (240, 244, 236), (196, 210, 140)),
    ((40, 40, 44), (244, 244, 240), (210, 120, 80)),
]


@dataclass
class CoverText:
    title: str
    subtitle: str | None
    editors: list[str]


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont  # deferred: Pillow, needed only when a cover is drawn

    path = fonts_dir() / FACES[name]
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        raise BuildError(
            f"{path}: the book face for the generated cover is missing from the installation; reinstall "
            "anthology or give a 'cover:' image in the collection file"
        ) from None


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return _no_lone_word(draw, lines, font, width)


def _no_lone_word(draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont,
                  width: int) -> list[str]:
    """A last line of one word takes the word before it along, as a typesetter would."""
    if len(lines) < 2 or " " in lines[-1] or " " not in lines[-2]:
        return lines
    head, moved = lines[-2].rsplit(" ", 1)
    last = f"{moved} {lines[-1]}"
    if draw.textlength(last, font=font) > width:
        return lines
    return [*lines[:-2], head, last]


def _fit(draw: ImageDraw.ImageDraw, text: str, name: str, sizes: range, width: int, max_lines: int) -> tuple:
    """The largest font size at which `text` wraps into `max_lines` lines that all fit."""
    for size in sizes:
        font = _font(name, size)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= max_lines and all(draw.textlength(line, font=font) <= width for line in lines):
            return font, lines
    font = _font(name, sizes[-1])
    return font, _wrap(draw, text, font, width)


def _draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, top: int,
                leading: float = 1.18) -> int:
    """Centre each line; return the y below the last one."""
    step = int(font.size * leading)
    for line in lines:
        x = (SIZE[0] - draw.textlength(line, font=font)) / 2
        draw.text((x, top), line, font=font, fill=255)
        top += step
    return top


def render_cover(text: CoverText) -> bytes:
    from PIL import Image, ImageDraw  # deferred: Pillow, needed only when a cover is drawn

    digest = hashlib.sha256(text.title.encode("utf-8")).digest()
    ground, ink, accent = PALETTES[digest[0] % len(PALETTES)]
    # Ink and accent are drawn as coverage masks and the cover written as a 256-colour PNG of
    # their blends with the ground: one byte a pixel to compress instead of three, which halves
    # the time of drawing the cover (compressing was three quarters of it), and flat colours
    # stay exact.
    ink_mask, accent_mask = Image.new("L", SIZE, 0), Image.new("L", SIZE, 0)
    draw, accent_draw = ImageDraw.Draw(ink_mask), ImageDraw.Draw(accent_mask)
    width = SIZE[0] - 2 * MARGIN

    accent_draw.rectangle((MARGIN, 300, SIZE[0] - MARGIN, 312), fill=255)
    font, lines = _fit(draw, text.title, "bold", range(150, 59, -6), width, 5)
    y = _draw_lines(draw, lines, font, 390)
    if text.subtitle:
        font, lines = _fit(draw, text.subtitle, "italic", range(70, 35, -4), width, 3)
        _draw_lines(draw, lines, font, y + 50, leading=1.3)
    if text.editors:
        font, lines = _fit(draw, f"Edited by {join_names(text.editors)}", "regular", range(64, 31, -4),
                           width, 3)
        bottom = SIZE[1] - 180 - int(font.size * 1.25) * (len(lines) - 1)
        accent_draw.rectangle((MARGIN, bottom - 70, SIZE[0] - MARGIN, bottom - 64), fill=255)
        _draw_lines(accent_draw, lines, font, bottom, leading=1.25)

    image = _in_palette(ink_mask, accent_mask, ground, ink, accent)
    out = io.BytesIO()
    # optimize=False and no metadata chunks: the bytes depend on the pixels alone.
    image.save(out, format="PNG", optimize=False, compress_level=6)  # 9 is 7% smaller at twice the time
    return out.getvalue()


def _in_palette(ink_mask: Image.Image, accent_mask: Image.Image, ground: tuple, ink: tuple,
                accent: tuple) -> Image.Image:
    """Colours 0-127 blend the ground into the ink, 128-255 into the accent (the two never
    overlap); each mask's coverage picks its shade, at half the precision the eye could miss."""
    from PIL import ImageChops  # deferred: Pillow, needed only when a cover is drawn

    index = ImageChops.add(ink_mask.point(lambda a: a >> 1), accent_mask.point(lambda a: 128 + (a >> 1) if a else 0))
    shades = [*_blends(ground, ink), *_blends(ground, accent)]
    index.putpalette([channel for colour in shades for channel in colour])  # now a "P" image
    return index


def _blends(ground: tuple, colour: tuple, steps: int = 128) -> list[tuple[int, ...]]:
    return [tuple(round(g + (c - g) * k / (steps - 1)) for g, c in zip(ground, colour, strict=True))
            for k in range(steps)]


def cover_alt(text: CoverText) -> str:
    """What the generated cover shows, as alternative text."""
    parts = [f"Cover: {text.title}"]
    if text.subtitle:
        parts.append(text.subtitle)
    if text.editors:
        parts.append(f"edited by {join_names(text.editors)}")
    return ", ".join(parts) + "."
