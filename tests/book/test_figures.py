"""Images as a book prints them: a missing image is left out with a warning naming the article
and the image, never a "[Image: …]" line; a caption prints once."""

from __future__ import annotations

from pathlib import Path

from epub_helpers import NS, Book, build_epub
from pdf_fixtures import all_text, build, write_flat

from compiler.book.figures import tidy_figures
from compiler.builders.images import leave_out
from compiler.model import Article, ArticleMeta, Block, BlockKind
from compiler.readers.xmlsafe import parse_xml


def _with_missing_image(folder: Path) -> Path:
    manifest = write_flat(folder, "", articles=1)
    article = folder / "a1.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n\n![The lost photograph of the quay](photos/quay.jpg)\n\n"
                       "The closing paragraph after the picture.\n", encoding="utf-8")
    return manifest


def test_a_missing_image_is_left_out_of_the_pdf_with_one_warning(tmp_path: Path) -> None:
    built = build(_with_missing_image(tmp_path / "c"), tmp_path / "out")
    text = all_text(built.reader)
    assert "[Image" not in text and "lost photograph" not in text
    assert "The closing paragraph after the picture." in " ".join(text.split())
    about = [w for w in built.warnings if "quay.jpg" in w]
    assert len(about) == 1 and "a1.md" in about[0] and "leaves it out" in about[0]


def test_a_missing_image_is_left_out_of_the_epub_with_a_warning(tmp_path: Path) -> None:
    path, _, warnings = build_epub(_with_missing_image(tmp_path / "c"), tmp_path / "out")
    page = Book(path, None, []).page("article-01.xhtml")  # type: ignore[arg-type]
    text = "".join(page.itertext())
    assert "[Image" not in text and "lost photograph" not in text
    assert page.find(".//x:img", NS) is None and page.find(".//x:figure", NS) is None
    assert any("quay.jpg" in w and "a1.md" in w for w in warnings)


def test_an_image_alone_leaves_no_empty_figure_or_paragraph() -> None:
    root = parse_xml('<div><p>Before.</p><figure><img src="x.png" alt="A"/><figcaption>Cap</figcaption></figure>'
                     '<p><img src="y.png" alt="B"/></p><p>Text <img src="z.png" alt="C"/> after.</p></div>')
    for img in list(root.iter("img")):
        leave_out(img)
    assert len(root) == 2
    assert [("".join(p.itertext())) for p in root] == ["Before.", "Text  after."]


def _article(*blocks: Block) -> Article:
    return Article(ArticleMeta(title="T", source="piece.html"), list(blocks))


def test_a_readers_placeholder_is_left_out_with_a_warning_naming_the_article() -> None:
    warnings: list[str] = []
    article = _article(
        Block(BlockKind.PARAGRAPH, "<p>Prose.</p>", "Prose."),
        Block(BlockKind.PARAGRAPH, '<p class="image-omitted">[Image: A share button]</p>', "[Image: A share button]"),
        Block(BlockKind.PARAGRAPH, '<p>Inline <span class="image-omitted">[Image: An icon]</span> text.</p>',
              "Inline [Image: An icon] text."))
    tidied = tidy_figures(article, "piece.html", warnings.append)
    assert [block.html for block in tidied.blocks] == ["<p>Prose.</p>", "<p>Inline  text.</p>"]
    assert len(warnings) == 2 and all(w.startswith("piece.html: left out an image") for w in warnings)
    assert "A share button" in warnings[0] and "An icon" in warnings[1]


def test_a_caption_repeated_as_the_next_paragraph_prints_once() -> None:
    figure = Block(BlockKind.FIGURE, '<figure><img src="a.png" alt="Quay"/><figcaption>The quay at dawn.</figcaption>'
                                     "</figure>", "The quay at dawn.")
    article = _article(figure, Block(BlockKind.PARAGRAPH, "<p>The quay at  dawn.</p>", "The quay at  dawn."),
                       Block(BlockKind.PARAGRAPH, "<p>The quay at dawn.</p>", "The quay at dawn."))
    tidied = tidy_figures(article, "piece.html", None)
    # The paragraph right after the figure goes; a later one saying the same is the author's.
    assert [block.kind for block in tidied.blocks] == [BlockKind.FIGURE, BlockKind.PARAGRAPH]
    unchanged = _article(Block(BlockKind.PARAGRAPH, "<p>Prose.</p>", "Prose."))
    assert tidy_figures(unchanged, "piece.html", None) is unchanged
