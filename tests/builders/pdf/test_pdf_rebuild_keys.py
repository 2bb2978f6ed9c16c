"""A PDF rebuild with nothing changed, in a shell without SOURCE_DATE_EPOCH, lays out no article again:
the build's time reaches only what prints it (the colophon) and the file's /Info dates; and with
every piece where it was, the book is not put together again: the last build's file is written."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from compiler.builders.pdf import pieces as pdf_parallel
from compiler.builders.pdf.builder import PdfBuilder
from compiler.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from synth import write_collection


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every job laid out, in this process (one worker: no pool)."""
    jobs: list[str] = []
    real = pdf_parallel.render_job

    def recording(job: pdf_parallel.Job) -> pdf_parallel.Rendered:
        jobs.append(job.html)
        return real(job)

    monkeypatch.setattr(pdf_parallel, "render_job", recording)
    monkeypatch.setattr(pdf_parallel, "worker_count", lambda: 1)
    monkeypatch.setattr(PdfBuilder, "parallel", True)  # in pieces, however short the book
    return jobs


def build(manifest: Path, out: Path) -> Path:
    result = CliRunner().invoke(main, ["build", str(manifest), "-q", "-f", "pdf", "-o", str(out)],
                                env={"SOURCE_DATE_EPOCH": None})
    assert result.exit_code == 0, result.output
    return next(out.glob("*.pdf"))


def test_a_rebuild_without_source_date_epoch_lays_out_no_article_again(tmp_path: Path, laid_out: list[str]) -> None:
    manifest = write_collection(tmp_path / "c", articles=4, sections=0, words=200)
    first = build(manifest, tmp_path / "first")
    assert sum('class="article' in html for html in laid_out) >= 4
    time.sleep(1.1)  # a new second: the build's time stamp differs
    laid_out.clear()
    again = build(manifest, tmp_path / "again")
    assert not [html for html in laid_out if 'id="article-' in html]
    # Nothing in it changed: the same file, dated when its content was made.
    assert again.read_bytes() == first.read_bytes()


def test_a_rebuild_puts_the_book_together_again_only_when_a_piece_changed(
        tmp_path: Path, laid_out: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assembled: list[int] = []
    real = pdf_parallel.write_book

    def recording(laid: pdf_parallel.Laid, *args: object, **kwargs: object) -> None:
        assembled.append(laid.total)
        real(laid, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_parallel, "write_book", recording)
    manifest = write_collection(tmp_path / "c", articles=4, sections=0, words=200)
    first = build(manifest, tmp_path / "first")
    time.sleep(1.1)
    again = build(manifest, tmp_path / "again")
    assert len(assembled) == 1 and again.read_bytes() == first.read_bytes()
    article = sorted((tmp_path / "c" / "articles").glob("*.md"))[1]
    article.write_text(article.read_text(encoding="utf-8").replace(" the ", " the very ", 1), encoding="utf-8")
    changed = build(manifest, tmp_path / "changed")
    assert len(assembled) == 2
    assert "the very" in "".join(page.extract_text() for page in pypdf.PdfReader(changed).pages)
    # Made anew, it says so: its dates are this build's, not the first one's.
    dates = [pypdf.PdfReader(path).metadata["/CreationDate"] for path in (first, changed)]
    assert dates[0] != dates[1]
    assert pypdf.PdfReader(changed).metadata["/ModDate"] == dates[1]


def test_a_rebuild_renders_only_the_changed_articles_piece(tmp_path: Path, laid_out: list[str],
                                                           renders: list[str]) -> None:
    names = renders
    manifest = write_collection(tmp_path / "c", articles=4, sections=0, words=200)
    build(manifest, tmp_path / "first")
    assert names.count("article.xhtml") == 4
    article = sorted((tmp_path / "c" / "articles").glob("*.md"))[2]
    article.write_text(article.read_text(encoding="utf-8").replace(" the ", " the very ", 1), encoding="utf-8")
    names.clear()
    changed = build(manifest, tmp_path / "changed")
    assert names.count("article.xhtml") == 1
    assert "the very" in "".join(page.extract_text() for page in pypdf.PdfReader(changed).pages)
