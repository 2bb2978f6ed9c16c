"""The Markdown reader's shortcut (plain paragraphs skip markdown-it's inline parser) must give
exactly the blocks that full parsing gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


def full_parse(text: str) -> list[dict[str, object]]:
    """The blocks markdown-it gives when it reads the whole text, inline markup and all."""
    full = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "typographer": False}).enable("table")
    original = markdown._parse
    try:
        markdown._parse = full.parse  # type: ignore[assignment]
        return [vars(b) for b in markdown._token_blocks(text)]
    finally:
        markdown._parse = original


@pytest.mark.parametrize(("name", "text"), CASES, ids=[name for name, _ in CASES])
def test_shortcut_gives_the_blocks_full_parsing_gives(name: str, text: str) -> None:
    assert [vars(b) for b in markdown.parse_blocks(text)] == full_parse(text)


def test_plain_paragraph_lines_and_escaping() -> None:
    [block] = markdown.parse_blocks("Copyright © A & B\nGlobal Research, 2021 <tag>\n")
    assert block.kind is BlockKind.PARAGRAPH
    assert block.text == "Copyright © A & B Global Research, 2021 <tag>"
    assert block.html == "<p>Copyright © A &amp; B Global Research, 2021 &lt;tag&gt;</p>"
    assert block.line_texts == ["Copyright © A & B", "Global Research, 2021 <tag>"]
    assert block.lines == ["Copyright © A &amp; B", "Global Research, 2021 &lt;tag&gt;"]


# Fragments that make links and emphasis or nearly make them (SIMPLE), and ones whose paragraph
# the shortcut leaves to markdown-it (OTHER): each generated text is read both ways and must give
# the same blocks.
SIMPLE = [
    "word", "Word", " ", "  ", "\n", "\u00a0", "\t", "\u2003", ",", ".", "!", "?", "'", '"', "(", ")", "-", "—", "“",
    "”", "§", "中", "é", "&", ":", "#", "~", "*", "**", "***", "_", "__", "[a](#)", "[Two words](https://example.org/a_b*c)",
    "[ x! ](y(z)", "[a](b)c", "[a *b*](c)", "[*a*](b)", "[_x_ y](z)", "[a*](b)", "[**](c)", "[@a_b](#)", "a_b",
    "2 * 3", ")*", "*(", "_.", "._", "][", "[]()",
]
OTHER = ["[x](y z)", "[x](<y>)", "[x](javascript:alert)", '[x](y "t")', "[x][y]", "[x]", "![x](y)", "&amp;", "&#42;",
         "\\*", "`", "<", "*[a](b)*"]
PARAGRAPHS = st.one_of(
    st.lists(st.sampled_from(SIMPLE), min_size=1, max_size=12).map("".join),
    st.lists(st.sampled_from(SIMPLE + OTHER), min_size=1, max_size=12).map("".join),
)


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(st.lists(PARAGRAPHS, min_size=1, max_size=3))
def test_simple_markup_gives_what_markdown_it_gives(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    assert [vars(b) for b in markdown.parse_blocks(text)] == full_parse(text)


# Lines that start every kind of block markdown-it knows, or nearly do, for whole texts: the
# reader reads plain paragraph runs itself and must give what markdown-it gives for the text.
LINES = [
    "Plain line", "word and *em* text", "[a](#) link", "", "", "", " ", "\t", "\u00a0", "\u3000", "\r", "\0", "- item",
    "* item", "+ item", "-", "*", "1. one", "2) two", "2021. was", "1.5 million", "# Heading", "#nohash", "  # h",
    "> quote", "    > q", "    code", "  indented", "\tTab", "```", "~~~ py", "|a|b|", "|-|-|", "a | b", ":---", "---",
    "===", "***", "___", "- - -", "[r]: /u", "[r]", "<div>", "  - nested", "\\# escaped", "![i](p.png)", "5 * 3",
    "Word\u2028sep", "\x0c", "x\r\ny",
]
TEXTS = st.lists(st.one_of(st.sampled_from(LINES), PARAGRAPHS.map(lambda p: p.replace("\n", " "))), max_size=14)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(TEXTS, st.sampled_from(["", "\n", "\n\n", "  "]))
def test_paragraph_runs_read_as_markdown_it_reads_them(lines: list[str], end: str) -> None:
    text = "\n".join(lines) + end
    assert [vars(b) for b in markdown.parse_blocks(text)] == full_parse(text)
