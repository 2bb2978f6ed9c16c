"""The studio's preview is the chapter as the books print it: typeset, with its notes made notes."""

from __future__ import annotations

import shutil
from pathlib import Path

from compiler.book.templating import Renderer
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.studio.views import ArticleState, preview

NOTES = Path(__file__).resolve().parents[1] / "fixtures" / "notes"


def test_the_preview_typesets_the_text_and_links_the_notes(tmp_path: Path) -> None:
    shutil.copytree(NOTES, tmp_path / "c")
    article_file = tmp_path / "c" / "tides.md"
    text = article_file.read_text(encoding="utf-8")
    # A typed quotation and a typed dash, as a saved page may have them.
    typed = 'The pilots said "never" -- and meant it.'
    article_file.write_text(text.replace("By Morwenna Hale\n", f"By Morwenna Hale\n\n{typed}\n"), encoding="utf-8")
    manifest = load_manifest(tmp_path / "c" / "collection.yaml")
    article = load_collection(manifest).articles[0]
    state = ArticleState(1, "tides.md", article, [], None)
    shown = preview(Renderer("html", manifest.root), state, manifest, {})
    assert "said \u201cnever\u201d" in shown and "\u2014" in shown  # curly quotes, a dash
    assert "&quot;never&quot;" not in shown and " -- " not in shown
    assert shown.count('class="noteref"') == 10  # the ten markers, linked to their notes
    assert 'id="article-01-note-10"' in shown
