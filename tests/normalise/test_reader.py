"""The Markdown reader's shortcut (plain paragraphs skip markdown-it's inline parser) must give
exactly the blocks that full parsing gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from compiler.model import BlockKind
from compiler.readers import markdown

HERE = Path(__file__).resolve().parent
SAMPLES = {
    "breaks": "A line with a hard break  \nand a soft\nbreak\u00a0\n\u00a0\nthen & and < > \" 'quotes'\n",
    "markup": (
        "x\n\n    indented code\n\n> quote with *emphasis*\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "Line one\nLine two\n\n# Heading\n\nSetext\n===\n\n![a picture](pic.png)\n\n[ref]: https://example.org\n\n"
        "see [ref] and \\$5 and 3 * 4 and `code`\n\n*\n\n1. first\n2. second\n"
    ),
}


def texts() -> list[tuple[str, str]]:
    files = sorted((HERE.parents[1] / "tests" / "fixtures" / "articles").glob("*.md"))
    files += sorted((HERE / "golden").glob("*/input.md"))
    return [*SAMPLES.items(), *((f"{p.parent.name}/{p.name}", p.read_text(encoding="utf-8")) for p in files)]


CASES = texts()


@pytest.mark.parametrize(("name", "text"), CASES, ids=[name for name, _ in CASES])
def test_shortcut_gives_the_blocks_full_parsing_gives(name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = markdown.parse_blocks(text)
    full = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "typographer": False}).enable("table")
    monkeypatch.setattr(markdown, "_parse", full.parse)
    slow = markdown.parse_blocks(text)
    assert [vars(b) for b in fast] == [vars(b) for b in slow]


def test_plain_paragraph_lines_and_escaping() -> None:
    [block] = markdown.parse_blocks("Copyright © A & B\nGlobal Research, 2021 <tag>\n")
    assert block.kind is BlockKind.PARAGRAPH
    assert block.text == "Copyright © A & B Global Research, 2021 <tag>"
    assert block.html == "<p>Copyright © A &amp; B Global Research, 2021 &lt;tag&gt;</p>"
    assert block.line_texts == ["Copyright © A & B", "Global Research, 2021 <tag>"]
    assert block.lines == ["Copyright © A &amp; B", "Global Research, 2021 &lt;tag&gt;"]
