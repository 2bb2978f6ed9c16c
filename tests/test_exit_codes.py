"""Exit codes: the README and docs/exit-codes.md agree with compiler/errors.py, and an error the
tool did not expect is still one line and its own code; `-v` gives the traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler import errors
from compiler.cli import main

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| (\d+) \| `(\w+)` \|", re.MULTILINE)


def documented(page: Path) -> dict[int, str]:
    return {int(code): name for code, name in ROW.findall(page.read_text(encoding="utf-8"))}


def test_readme_and_docs_list_the_same_codes_as_the_error_classes() -> None:
    classes = {value.exit_code: value.__name__ for value in vars(errors).values()
               if isinstance(value, type) and issubclass(value, errors.AnthologyError)}
    assert len(classes) == len([v for v in vars(errors).values()
                                if isinstance(v, type) and issubclass(v, errors.AnthologyError)]), "a code is shared"
    assert documented(ROOT / "README.md") == classes
    assert documented(ROOT / "docs" / "exit-codes.md") == classes


def test_readme_documents_strict() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--strict" in readme and "| 3 | `StrictWarningsError` |" in readme


def small(folder: Path) -> Path:
    folder.mkdir()
    (folder / "one.md").write_text("# A Title\n\nBy Ana Lopes\n\nA paragraph of prose long enough to be the "
                                    "body of this small article about nothing much.\n", encoding="utf-8")
    manifest = folder / "collection.yaml"
    manifest.write_text("title: T\noutput: t\narticles:\n  - path: one.md\n", encoding="utf-8")
    return manifest


def explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the flux capacitor\nfailed")


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug inside the library: reading a collection raises an exception no one planned for."""
    monkeypatch.setattr("compiler.pipeline.load_collection", explode)


def test_unexpected_exception_is_one_line_and_exit_70(tmp_path: Path, broken: None) -> None:
    result = CliRunner().invoke(main, ["build", str(small(tmp_path / "c")), "-o", str(tmp_path / "out")])
    assert result.exit_code == errors.InternalError.exit_code == 70
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: internal error (RuntimeError: the flux capacitor failed)")
    assert "-v" in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_verbose_shows_the_unexpected_exception(tmp_path: Path, broken: None) -> None:
    result = CliRunner().invoke(main, ["-v", "build", str(small(tmp_path / "c")), "-o", str(tmp_path / "out")])
    assert isinstance(result.exception, RuntimeError)  # raised through to Python, which prints the traceback
    assert "internal error" not in result.output


def test_interrupt_is_one_line_and_exit_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("compiler.pipeline.load_collection", interrupt)
    result = CliRunner().invoke(main, ["build", str(small(tmp_path / "c")), "-o", str(tmp_path / "out")])
    assert result.exit_code == errors.BuildInterrupted.exit_code == 130
    assert result.stderr.startswith("error: interrupted") and len(result.stderr.splitlines()) == 1


def test_usage_errors_keep_clicks_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(small(tmp_path / "c")), "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_verbose_traceback_from_the_installed_command(tmp_path: Path) -> None:
    """-v on a real process prints Python's traceback for a typed error too."""
    missing = tmp_path / "nowhere.yaml"
    quiet = CliRunner().invoke(main, ["build", str(missing)])
    loud = subprocess.run([sys.executable, "-m", "compiler", "-v", "build", str(missing)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert quiet.exit_code == errors.ManifestError.exit_code
    assert quiet.stderr.strip() == f"error: {missing}: collection file not found"
    assert loud.returncode != 0
    assert "Traceback (most recent call last)" in loud.stderr and "ManifestError" in loud.stderr
