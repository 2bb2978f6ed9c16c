"""A PDF rebuild with nothing changed, in a shell without SOURCE_DATE_EPOCH, lays out no article again:
the build's time reaches only what prints it (the colophon) and the file's /Info dates."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from compiler.builders import pdf_parallel
from compiler.builders.pdf import PdfBuilder
from compiler.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
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
    # The file still says when it was made: this build, not the one the pieces came from.
    dates = [pypdf.PdfReader(path).metadata["/CreationDate"] for path in (first, again)]
    assert dates[0] != dates[1]
    assert pypdf.PdfReader(again).metadata["/ModDate"] == dates[1]
