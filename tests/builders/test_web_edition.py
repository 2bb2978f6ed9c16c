"""`--format html`: one self-contained, responsive page built from the shared templates."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

from browser_helpers import open_file
from workflow_fixtures import HARBOUR_BODY, WorkflowBuild, write_collection

from compiler.book.attribution import attribution_text
from compiler.book.templating import Renderer
from compiler.builders import BUILDERS, BuildContext, builder_for
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.pipeline import write_format

# A 1x1 PNG, written for the test.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_html_is_registered_with_its_suffix_and_templates() -> None:
    builder = BUILDERS["html"]
    assert (builder.suffix, builder.template_folder) == (".html", "html")


def test_page_holds_every_article_note_and_credit(workflow_build: WorkflowBuild, browser: Any) -> None:
    opened = open_file(browser, workflow_build.file(".html"))
    page = opened.page
    assert opened.requests == [workflow_build.file(".html").resolve().as_uri()]
    titles = page.eval_on_selector_all(".contents-entry .contents-title", "els => els.map(e => e.innerText)")
    assert titles == ["Who Owns the Slipway?", "Who Owns the Slipway?", "Lamps on the Pier"]
    # Every in-page link leads somewhere on the page.
    dangling = page.eval_on_selector_all(
        'a[href^="#"]', "els => els.filter(a => !document.getElementById(a.hash.slice(1))).map(a => a.href)"
    )
    assert dangling == []
    collection = load_collection(load_manifest(workflow_build.manifest))
    notes = page.eval_on_selector_all(".article .attribution-text", "els => els.map(e => e.innerText)")
    assert [" ".join(n.split()) for n in notes] == [attribution_text(a.meta) for a in collection.articles]
    assert page.eval_on_selector_all("#sources .source", "els => els.length") == 3
    assert HARBOUR_BODY[4] in " ".join(page.inner_text("#article-01 .article-body").split())


def test_page_is_self_contained_and_fits_a_phone(workflow_build: WorkflowBuild, browser: Any) -> None:
    html = workflow_build.file(".html").read_text(encoding="utf-8")
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert 'name="viewport"' in html
    phone = open_file(browser, workflow_build.file(".html"), width=360).page
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.evaluate("getComputedStyle(document.body).maxWidth") != "none"


def test_local_images_are_embedded_and_remote_ones_left_out(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path, articles=("post",))
    (tmp_path / "articles" / "slip.png").write_bytes(PIXEL)
    article = tmp_path / "articles" / "harbour-post.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        HARBOUR_BODY[1], f"{HARBOUR_BODY[1]}\n\n![The mended slipway](slip.png)\n\n![A chart](https://charts.example/t.png)"
    ), encoding="utf-8")
    collection = load_collection(load_manifest(manifest))
    context = BuildContext(Renderer("html", collection.manifest.root), dt.datetime(2024, 1, 1, tzinfo=dt.UTC), True)
    html = write_format(builder_for("html"), collection, tmp_path / "out", context).read_text(encoding="utf-8")
    assert f'src="data:image/png;base64,{base64.b64encode(PIXEL).decode()}"' in html
    assert 'alt="The mended slipway"' in html
    assert "charts.example" not in html and "[Image" not in html and "A chart" not in html  # left out
    assert any("t.png" in warning and "web edition" in warning for warning in context.warnings)
