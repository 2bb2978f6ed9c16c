"""Pieces kept from the last build (article pages, report sections): a rebuild renders only what
changed, and gives exactly what a build from nothing gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from epub_helpers import EPOCH
from pdf_fixtures import article_text

from compiler.book import templating as render
from compiler.cli import main

BUILD_TIME = re.compile(rb'data-key="build-time">[^<]*<')


def build(manifest: Path, out: Path, *extra: str, epoch: int = EPOCH) -> dict[str, bytes]:
    result = CliRunner().invoke(main, ["build", str(manifest), "-q", "-o", str(out), *extra],
                                env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert result.exit_code == 0, result.output
    # the report says how long the build took; nothing else may differ
    return {path.name: BUILD_TIME.sub(b"", path.read_bytes()) for path in sorted(out.iterdir())}


TOPICS = ["harbour", "tram", "orchard", "library", "bridge", "market"]


def write_flat(folder: Path, articles: int) -> Path:
    """Articles that share no passage (shared ones would be near-duplicates, whose findings name
    both articles: editing one would rightly change the other's report section)."""
    folder.mkdir(parents=True)
    entries = ""
    for number, topic in enumerate(TOPICS[:articles], start=1):
        body = "\n\n".join(f"Paragraph {n} about the {topic}: the {topic} of {n * number} winters and "
                           f"{n + number} keepers, written down in the {topic} ledger." for n in range(1, 8))
        (folder / f"a{number}.md").write_text(article_text(f"The {topic.title()}", f"Writer {number}", body),
                                              encoding="utf-8")
        entries += f"  - path: a{number}.md\n"
    manifest = folder / "collection.yaml"
    manifest.write_text(f"title: Small Book\neditors: [Ed]\narticles:\n{entries}", encoding="utf-8")
    return manifest


def test_a_rebuild_renders_only_the_changed_articles_pieces(tmp_path: Path, renders: list[str]) -> None:
    manifest = write_flat(tmp_path / "book", articles=4)
    build(manifest, tmp_path / "first")
    assert renders.count("article.xhtml") == 4 and renders.count("article.html") == 4
    second = tmp_path / "book" / "a2.md"
    second.write_text(second.read_text(encoding="utf-8").replace(" the ", " the very ", 1), encoding="utf-8")
    renders.clear()
    rebuilt = build(manifest, tmp_path / "again")
    assert renders.count("article.xhtml") == 1 and renders.count("article.html") == 1
    assert not {"contents.xhtml", "sources.xhtml", "nav.xhtml"} & set(renders)  # no title or credit changed
    assert rebuilt == build(manifest, tmp_path / "fresh", "--no-cache")


def test_a_finding_or_an_override_renders_the_piece_again(tmp_path: Path, renders: list[str]) -> None:
    manifest = write_flat(tmp_path / "book", articles=3)
    build(manifest, tmp_path / "first")
    text = manifest.read_text(encoding="utf-8")
    # A date for one article: its page's attribution note, and its report section (one finding fewer).
    manifest.write_text(text.replace("  - path: a3.md\n", "  - path: a3.md\n    date: 2021-03-04\n"), encoding="utf-8")
    renders.clear()
    rebuilt = build(manifest, tmp_path / "again")
    assert renders.count("article.xhtml") == 1 and renders.count("article.html") == 1
    assert b"4 March 2021" in rebuilt["small-book.report.html"]
    assert rebuilt == build(manifest, tmp_path / "fresh", "--no-cache")
    # A new title for another: no finding changes, only what the metadata shows.
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("  - path: a1.md\n", "  - path: a1.md\n    title: Harbour Nights\n"),
                        encoding="utf-8")
    renders.clear()
    rebuilt = build(manifest, tmp_path / "retitled")
    assert renders.count("article.xhtml") == 1 and renders.count("article.html") == 1
    assert {"contents.xhtml", "sources.xhtml", "nav.xhtml"} <= set(renders)  # a title shows in all three
    assert b"Harbour Nights" in rebuilt["small-book.report.html"]
    assert rebuilt == build(manifest, tmp_path / "fresh-retitled", "--no-cache")


def test_nothing_is_kept_with_the_collections_own_templates(tmp_path: Path, renders: list[str]) -> None:
    manifest = write_flat(tmp_path / "book", articles=2)
    own = tmp_path / "book" / "templates" / "report"
    own.mkdir(parents=True)
    article_html = render.templates_dir() / "report" / "article.html"
    (own / "article.html").write_text(article_html.read_text(encoding="utf-8"), encoding="utf-8")
    build(manifest, tmp_path / "first")
    # The collection's template reads something no key covers: every build renders it again.
    (own / "article.html").write_text("<article>{{ entry.article.meta.title }} by hand</article>", encoding="utf-8")
    renders.clear()
    rebuilt = build(manifest, tmp_path / "again")
    assert renders.count("article.html") == 2
    assert b"by hand" in rebuilt["small-book.report.html"]


def test_a_new_build_time_renders_no_page_again(tmp_path: Path, renders: list[str]) -> None:
    manifest = write_flat(tmp_path / "book", articles=2)
    build(manifest, tmp_path / "first")
    renders.clear()
    an_hour_later = EPOCH + 3600  # the same day: the book's date (the build's, as it has none) stays
    rebuilt = build(manifest, tmp_path / "again", epoch=an_hour_later)
    # No page shows the build time (the colophon did once): every page is kept.
    assert [name for name in renders if name.endswith(".xhtml")] == []
    assert rebuilt == build(manifest, tmp_path / "fresh", "--no-cache", epoch=an_hour_later)


def test_a_rebuild_typesets_only_the_changed_articles_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compiler.book import typography

    manifest = write_flat(tmp_path / "book", articles=3)
    first = tmp_path / "book" / "a1.md"
    first.write_text(first.read_text(encoding="utf-8") + '\n\nShe said "enough" -- and left...\n', encoding="utf-8")
    typeset: list[str] = []
    real = typography.typeset_html

    def counting(html: str, language: str | None, state: object = None) -> str:
        typeset.append(html)
        return real(html, language, state)  # type: ignore[arg-type]

    monkeypatch.setattr(typography, "typeset_html", counting)
    typography._block_html.cache_clear()  # blocks typeset by an earlier test of this process
    built = build(manifest, tmp_path / "first")
    assert len(typeset) == 8 * 3 + 1  # seven paragraphs and a title line per article, and the new one
    second = tmp_path / "book" / "a2.md"
    second.write_text(second.read_text(encoding="utf-8").replace(" the ", " the very ", 1), encoding="utf-8")
    typeset.clear()
    typography._block_html.cache_clear()
    rebuilt = build(manifest, tmp_path / "again")
    assert len(typeset) == 1 and "the very" in typeset[0]
    assert rebuilt != built
    assert rebuilt == build(manifest, tmp_path / "fresh", "--no-cache")
