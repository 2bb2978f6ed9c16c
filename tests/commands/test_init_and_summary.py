"""`anthology init` from an empty folder to three books, and what `build` prints while and after."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from workflow_fixtures import WorkflowBuild, write_collection

from compiler.cli import main
from compiler.commands.console import Progress, human_size
from compiler.errors import InitError


def test_init_then_build_all_three_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    created = runner.invoke(main, ["init", "demo"])
    assert created.exit_code == 0, created.output
    assert {p.name for p in (tmp_path / "demo").iterdir()} == {"collection.yaml", "articles", ".gitignore"}
    assert "out/" in (tmp_path / "demo" / ".gitignore").read_text(encoding="utf-8").split()
    built = runner.invoke(main, ["build", "demo/collection.yaml", "--format", "epub", "--format", "pdf",
                                 "--format", "html"], env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert built.exit_code == 0, built.output
    # The sample has its author, date and licence; only the editor's placeholder name is pointed out.
    warnings = [line for line in built.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: collection.yaml: editors: 'Your Name' is the starter's placeholder; "
                        "put the real name there"]
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    stem = "shared-things"
    assert names == sorted(f"{stem}{suffix}" for suffix in (".epub", ".pdf", ".html", ".report.html"))


def test_init_refuses_to_overwrite_a_collection(tmp_path: Path) -> None:
    manifest = tmp_path / "collection.yaml"
    manifest.write_text("title: Mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == InitError.exit_code
    assert "already there" in result.stderr
    assert manifest.read_text(encoding="utf-8") == "title: Mine\n"
    assert not (tmp_path / "articles").exists()


def test_init_where_no_folder_can_be_made_is_one_line_and_its_own_code(tmp_path: Path) -> None:
    """The starter files go through the one atomic write; its failure is still init's error."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(blocker / "book")])
    assert result.exit_code == InitError.exit_code
    assert result.stderr.count("\n") == 1 and "cannot create the collection" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_summary_names_every_file_with_its_size(workflow_build: WorkflowBuild) -> None:
    lines = workflow_build.stdout.splitlines()
    assert lines[0].startswith("Built Harbour Notes in ")
    assert "  articles        3" in lines
    assert "  warnings        3" in lines
    for suffix in (".epub", ".pdf", ".html", ".report.html"):
        path = workflow_build.file(suffix)
        (row,) = [line for line in lines if line.strip().startswith(str(path) + " ")]
        assert row.strip().endswith(human_size(path.stat().st_size))


def test_quiet_prints_neither_progress_nor_summary(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path / "c", articles=("post",))
    result = CliRunner().invoke(main, ["build", str(manifest), "-q", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert (tmp_path / "out" / "harbour.report.html").is_file()


def test_progress_off_a_terminal_is_plain_lines_and_only_after_the_delay() -> None:
    quick = io.StringIO()
    progress = Progress(2, stream=quick, delay=60)
    progress.step("reading a.md")
    progress.step("writing EPUB")
    assert quick.getvalue() == ""  # a build under the delay shows nothing
    slow = io.StringIO()
    progress = Progress(2, stream=slow, delay=0)
    progress.step("reading a.md")
    progress.step("writing EPUB")
    progress.close()
    assert slow.getvalue().splitlines() == ["[1/2] reading a.md", "[2/2] writing EPUB"]


def test_human_sizes() -> None:
    assert [human_size(n) for n in (999, 1000, 41_676, 2_500_000)] == ["999 B", "1.0 kB", "41.7 kB", "2.5 MB"]


def test_no_placeholder_warning_once_the_editor_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["init", "demo"]).exit_code == 0
    manifest = tmp_path / "demo" / "collection.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("[Your Name]", "[Ada Quill]"), encoding="utf-8")
    built = runner.invoke(main, ["build", "demo/collection.yaml", "--format", "epub"],
                          env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert built.exit_code == 0, built.output
    assert "placeholder" not in built.stderr and "warning:" not in built.stderr
