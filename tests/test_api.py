"""The public API: `from compiler import build, load_collection` does from Python what the command does,
and `import compiler` (and `anthology --help`) stays light."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import compiler
import compiler.pipeline
from compiler import build, load_collection
from compiler.errors import StrictWarningsError

TITLE = "The Lamps of the Harbour Reading Room"


def small_collection(folder: Path, byline: str = "By Ana Lopes\n\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lamps.md").write_text(
        f"# {TITLE}\n\n{byline}The Harbour Post, May 2, 2023\n\n"
        "The reading room kept its lamps lit through the long winter evenings, and the volunteers "
        "who tended them wrote down every visitor's name in a ledger by the door.\n",
        encoding="utf-8",
    )
    manifest = folder / "collection.yaml"
    manifest.write_text("title: Harbour Essays\noutput: harbour\narticles:\n  - path: lamps.md\n", encoding="utf-8")
    return manifest


def test_build_from_python_writes_the_epub_and_the_review_report(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    manifest = small_collection(tmp_path / "c")
    messages: list[str] = []
    steps: list[int] = []
    summary = build(manifest, formats=("epub",), out_dir=tmp_path / "out", progress=messages.append,
                    steps=steps.append)

    epub, report = tmp_path / "out" / "harbour.epub", tmp_path / "out" / "harbour.report.html"
    assert [f.path for f in summary.files] == [epub, report]
    with zipfile.ZipFile(epub) as book:
        assert book.testzip() is None
        assert any(TITLE in book.read(name).decode("utf-8", "replace") for name in book.namelist())
    assert TITLE in report.read_text(encoding="utf-8")
    assert summary.title == "Harbour Essays" and summary.articles == 1 and summary.warnings == 0
    assert messages == ["reading lamps.md", "writing EPUB", "writing the review report"]
    assert steps == [len(messages)]


def test_build_reports_warnings_to_the_callback_and_strict_writes_nothing(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c", byline="")  # no author: a warning
    warnings: list[str] = []
    summary = build(str(manifest), out_dir=str(tmp_path / "relaxed"), warn=warnings.append)
    assert any("no author" in warning for warning in warnings), warnings
    assert summary.warnings == len(warnings)

    with pytest.raises(StrictWarningsError):
        build(manifest, out_dir=tmp_path / "strict", strict=True)
    assert not (tmp_path / "strict").exists()


def test_load_collection_takes_the_path_of_a_collection_file(tmp_path: Path) -> None:
    manifest = small_collection(tmp_path / "c")
    for given in (manifest, str(manifest), compiler.load_manifest(manifest)):
        collection = load_collection(given)
        assert isinstance(collection, compiler.Collection)
        assert [article.meta.title for article in collection.articles] == [TITLE]
        assert isinstance(collection.articles[0], compiler.Article)


def test_every_public_name_resolves_and_build_is_the_function() -> None:
    # The pipeline module is imported (at the top of this file): it must not shadow the function.
    for name in compiler.__all__:
        assert getattr(compiler, name) is not None, name
    assert compiler.build is compiler.pipeline.build
    assert callable(compiler.build)
    assert compiler.__version__ == compiler.resources.__version__
    with pytest.raises(AttributeError):
        _ = compiler.no_such_name


def python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


def test_import_compiler_loads_no_part_of_the_library() -> None:
    loaded = python("import sys, compiler; print(compiler.__version__, "
                    "sorted(m for m in sys.modules if m.startswith('compiler.')))")
    assert loaded == f"{compiler.__version__} ['compiler.resources']"


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_do_not_import_weasyprint_or_the_library(option: str) -> None:
    code = ("import sys\nfrom compiler.cli import main\ntry:\n    main([" + repr(option) + "])\n"
            "except SystemExit:\n    pass\n"
            "print('weasyprint' in sys.modules, 'compiler.collection.loading' in sys.modules)")
    assert python(code).splitlines()[-1] == "False False"
