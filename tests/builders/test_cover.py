"""The drawn cover: a palette PNG whose flat colours are exactly the chosen palette's."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from compiler.builders.cover import MARGIN, PALETTES, SIZE, CoverText, render_cover


def test_drawn_cover_keeps_its_flat_colours_exact() -> None:
    text = CoverText("Harbour Lights and Other Essays", "Writing from the coast", ["Ana Lopes", "Bo Chen"])
    image = Image.open(io.BytesIO(render_cover(text)))
    assert image.size == SIZE and image.mode == "P"
    ground, ink, accent = PALETTES[hashlib.sha256(text.title.encode()).digest()[0] % len(PALETTES)]
    rgb = image.convert("RGB")
    assert rgb.getpixel((5, 5)) == ground
    assert rgb.getpixel((SIZE[0] // 2, 306)) == accent  # the rule above the title
    colours = {colour for _, colour in rgb.getcolors(1 << 16)}
    assert ink in colours  # the inside of the title's strokes
    # the anti-aliased edges are blends of the ground with the ink or the accent, nothing else
    for colour in colours:
        assert any(_between(ground, end, colour) for end in (ink, accent)), colour
    assert rgb.getpixel((MARGIN - 5, 306)) == ground


def _between(a: tuple[int, ...], b: tuple[int, ...], colour: tuple[int, ...]) -> bool:
    return all(min(x, y) <= c <= max(x, y) for x, y, c in zip(a, b, colour, strict=True))


def test_no_line_of_the_drawn_cover_is_one_word_alone() -> None:
    from PIL import ImageDraw

    from compiler.builders.cover import _font, _wrap

    draw = ImageDraw.Draw(Image.new("L", SIZE))
    font = _font("bold", 120)
    width = SIZE[0] - 2 * MARGIN
    # Filling each line in turn leaves "Harbours" alone on the last line at this size.
    title = "Letters from Five Harbours"
    lines = _wrap(draw, title, font, width)
    assert " ".join(lines) == title and len(lines) >= 2
    assert lines == ["Letters from", "Five Harbours"]
    assert all(draw.textlength(line, font=font) <= width for line in lines)


def test_the_drawn_cover_is_set_in_the_book_face_only() -> None:
    from compiler.book.fonts import book_type
    from compiler.builders.cover import FACES

    shipped = {path.name for path, _, _ in book_type().faces}
    assert set(FACES.values()) <= shipped
