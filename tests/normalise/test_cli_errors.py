"""`anthology normalise` on input it cannot use: a non-zero exit and one line naming the file."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.errors import InputError

INPUT_ERROR = InputError.exit_code


def run(path: Path, *options: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["normalise", str(path), *options])


def assert_one_line_error(result, path: Path, words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == INPUT_ERROR, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}")
    assert words in lines[0]
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("options", [(), ("--json",)])
def test_missing_file(tmp_path: Path, options: tuple[str, ...]) -> None:
    path = tmp_path / "nowhere.md"
    assert_one_line_error(run(path, *options), path, "not found")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    assert_one_line_error(run(path, "--json"), path, "empty")


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text(" \n\n\t\n\u00a0\n", encoding="utf-8")
    assert_one_line_error(run(path), path, "empty")


def test_folder_named_like_an_article(tmp_path: Path) -> None:
    path = tmp_path / "folder.md"
    path.mkdir()
    assert_one_line_error(run(path), path, "folder")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.md"
    path.write_text("A title\n\nSome words of an article that nobody may read.\n", encoding="utf-8")
    path.chmod(0)
    try:
        assert_one_line_error(run(path), path, "cannot read")
    finally:
        path.chmod(0o600)


def test_image_saved_as_markdown(tmp_path: Path) -> None:
    path = tmp_path / "picture.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_one_line_error(run(path, "--json"), path, "binary")


def test_compressed_data_without_nul_bytes_saved_as_markdown(tmp_path: Path) -> None:
    data = zlib.compress(os.urandom(6000), 9).replace(b"\x00", b"\x01")
    path = tmp_path / "archive.md"
    path.write_bytes(data)
    assert_one_line_error(run(path), path, "binary")


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "article.docx"
    path.write_text("A title\n\nSome words.\n", encoding="utf-8")
    assert_one_line_error(run(path), path, "no reader")


def test_all_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "pleas.md"
    path.write_text(
        "\n\n".join([
            "Support Our Work",
            "Subscribe to our newsletter for weekly updates from the newsroom.",
            "Follow us on Twitter and Instagram.",
            "Please share this article with your friends.",
            "© 2023 The Weekly Lantern",
            "Disclaimer: the views of contributors are their own.",
        ]),
        encoding="utf-8",
    )
    assert_one_line_error(run(path, "--json"), path, "nothing is left")


def test_windows_1252_text_is_read_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    body = "Le caf\xe9 du port a rouvert ses portes apr\xe8s trois ann\xe9es de travaux, pour les p\xeacheurs."
    path.write_bytes(f"Le caf\xe9 du port\n\n{body}\n\n{body}\n".encode("cp1252"))
    result = run(path, "--json")
    assert result.exit_code == 0, result.output
    assert "après trois années" in result.stdout


def test_errors_from_the_installed_command(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "compiler", "normalise", str(path), "--json"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == INPUT_ERROR
    assert done.stdout == ""
    assert done.stderr.strip() == f"error: {path}: the article file is empty"
