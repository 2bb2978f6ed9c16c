"""`anthology build`: formats, output folder, warnings, and nothing half-written on failure."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from epub_helpers import EPOCH, EXAMPLE

from compiler.builders import BUILDERS
from compiler.cli import main
from compiler.errors import InputError, ManifestError, StrictWarningsError


def run(*args: str | Path, epoch: int = EPOCH) -> Result:
    return CliRunner().invoke(main, ["build", *map(str, args)], env={"SOURCE_DATE_EPOCH": str(epoch)})


def small_collection(folder: Path, byline: str = "By Ana Lopes\n\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "one.md").write_text(
        f"# One Essay\n\n{byline}The Daily Example, May 2, 2023\n\n"
        "A first paragraph of prose that is long enough to be the body of the essay.\n",
        encoding="utf-8",
    )
    manifest = folder / "collection.yaml"
    manifest.write_text("title: Small Book\neditors: [Ed Itor]\noutput: small\narticles:\n  - path: one.md\n",
                        encoding="utf-8")
    return manifest


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_the_named_epub_and_prints_its_path(tmp_path: Path) -> None:
    result = run(EXAMPLE, "--format", "epub", "--out", tmp_path / "books")
    assert result.exit_code == 0, result.output
    written = tmp_path / "books" / "common-ground.epub"
    assert written.is_file()
    assert str(written) in result.output


def test_default_out_folder_and_title_slug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = small_collection(tmp_path / "c")
    manifest.write_text(manifest.read_text().replace("output: small\n", ""))
    monkeypatch.chdir(tmp_path)
    result = run(manifest, "--format", "epub")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "small-book.epub").is_file()


def test_each_format_given_is_built(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c")
    formats = sorted(BUILDERS)
    args = [arg for name in formats for arg in ("--format", name)]
    result = run(manifest, *args, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    expected = sorted([*(f"small{BUILDERS[name].suffix}" for name in formats), "small.report.html"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == expected


def test_unknown_format_is_a_usage_error_naming_the_valid_ones_and_writes_nothing(tmp_path: Path) -> None:
    result = run(EXAMPLE, "--format", "epub", "--format", "docx", "--out", tmp_path / "out")
    assert result.exit_code == 2  # click's usage error, before any work
    assert "'docx' is not one of" in result.stderr
    for name in ("cover", "epub", "html", "pdf"):
        assert f"'{name}'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_format_names_are_not_case_sensitive(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c")
    upper = run(manifest, "--format", "PDF", "--format", "Epub", "--out", tmp_path / "upper")
    assert upper.exit_code == 0, upper.output
    lower = run(manifest, "--format", "pdf", "--format", "epub", "--out", tmp_path / "lower")
    assert lower.exit_code == 0, lower.output
    assert sorted(p.name for p in (tmp_path / "upper").iterdir()) == ["small.epub", "small.pdf", "small.report.html"]
    for name in ("small.epub", "small.pdf"):
        assert digest(tmp_path / "upper" / name) == digest(tmp_path / "lower" / name)


def build_once(manifest: Path, out: Path) -> Path:
    result = run(manifest, "--format", "epub", "--out", out)
    assert result.exit_code == 0, result.output
    return out / "small.epub"


def test_broken_manifest_leaves_the_earlier_book_in_place(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c")
    earlier = build_once(manifest, tmp_path / "out")
    before = digest(earlier)
    manifest.write_text(manifest.read_text() + "colour: blue\n")
    result = run(manifest, "--format", "epub", "--out", tmp_path / "out", epoch=EPOCH + 60)
    assert result.exit_code == ManifestError.exit_code
    assert "colour" in result.output
    assert digest(earlier) == before
    # the earlier book and its review report, nothing new and nothing half-written
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["small.epub", "small.report.html"]


def test_broken_article_leaves_the_earlier_book_in_place(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c")
    earlier = build_once(manifest, tmp_path / "out")
    before = digest(earlier)
    (tmp_path / "c" / "one.md").write_text("# Only a title\n", encoding="utf-8")
    result = run(manifest, "--format", "epub", "--out", tmp_path / "out", epoch=EPOCH + 60)
    assert result.exit_code == InputError.exit_code
    assert "one.md" in result.output
    assert digest(earlier) == before
    # the earlier book and its review report, nothing new and nothing half-written
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["small.epub", "small.report.html"]


def test_warnings_are_printed_and_strict_fails_on_them(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c", byline="")  # no author: a warning
    relaxed = run(manifest, "--format", "epub", "--out", tmp_path / "relaxed")
    assert relaxed.exit_code == 0
    assert "warning:" in relaxed.output and "no author" in relaxed.output
    strict = run(manifest, "--format", "epub", "--out", tmp_path / "strict", "--strict")
    assert strict.exit_code == StrictWarningsError.exit_code
    assert not list((tmp_path / "strict").glob("*.epub"))


def test_strict_build_warning_discards_the_new_book(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c")
    earlier = build_once(manifest, tmp_path / "out")
    before = digest(earlier)
    article = tmp_path / "c" / "one.md"
    article.write_text(article.read_text() + "\n![A chart](https://example.org/chart.png)\n\nMore prose here.\n")
    result = run(manifest, "--format", "epub", "--out", tmp_path / "out", "--strict", epoch=EPOCH + 60)
    assert result.exit_code == StrictWarningsError.exit_code
    assert "chart.png" in result.output
    assert digest(earlier) == before
    # the earlier book and its review report, nothing new and nothing half-written
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["small.epub", "small.report.html"]


def test_leftover_partial_files_are_swept(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c")
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / ".small.epub.abc123.part"
    leftover.write_bytes(b"half a book")
    unrelated = out / ".other.epub.abc123.part"
    unrelated.write_bytes(b"not ours")
    build_once(manifest, out)
    assert not leftover.exists()
    assert unrelated.exists()
