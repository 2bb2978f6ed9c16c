"""`anthology check`: validates a collection and normalises every article without building."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from compiler.cli import main
from compiler.errors import InputError, ManifestError, StrictWarningsError

BODY = "This paragraph is the body of the article and it is long enough to count as prose for sure.\n"


def collection(folder: Path, articles: dict[str, str], extra: str = "") -> Path:
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    listed = "".join(f"  - path: {name}\n" for name in articles)
    path = folder / "collection.yaml"
    path.write_text(f"title: Book\n{extra}articles:\n{listed}", encoding="utf-8")
    return path


def test_check_prints_a_line_per_article_with_words_kept_and_removed(tmp_path: Path) -> None:
    path = collection(
        tmp_path,
        {
            "one.md": f"First Title\n\nBy Ann Ashby\n\n{BODY}\nSubscribe to our newsletter for weekly updates.\n",
            "two.md": f"Second Title\n\nBy Bo Lindqvist and Cy Marr\n\nPublished: 3 March 2020\n\n{BODY}",
        },
    )
    result = CliRunner().invoke(main, ["check", "--no-epubcheck", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("First Title — Ann Ashby — 19 words kept, 7 removed")
    assert lines[1].startswith("Second Title — Bo Lindqvist, Cy Marr — 19 words kept")
    # one has no date: a warning in the table, which --strict turns into a failure
    (row,) = [line for line in lines if "no publication date" in line]
    assert row.split()[:2] == ["one.md", "warning"]
    strict = CliRunner().invoke(main, ["check", "--strict", "--no-epubcheck", str(path)])
    assert strict.exit_code == StrictWarningsError.exit_code


def test_check_exits_non_zero_on_a_broken_manifest(tmp_path: Path) -> None:
    path = collection(tmp_path, {"one.md": f"Title\n\n{BODY}"}, extra="titel: Typo\n")
    result = CliRunner().invoke(main, ["check", "--no-epubcheck", str(path)])
    assert result.exit_code == ManifestError.exit_code
    assert "titel: unknown key; did you mean 'title'?" in result.stderr
    assert "Traceback" not in result.output


def test_check_reports_every_unusable_article(tmp_path: Path) -> None:
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    path = collection(tmp_path, {"empty.md": "  \n", "ok.md": f"Title\n\n{BODY}"})
    text = path.read_text(encoding="utf-8") + "  - path: image.md\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-epubcheck", str(path)])
    assert result.exit_code == InputError.exit_code
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any("empty.md: the article file is empty" in line for line in errors)
    assert any("image.md: looks like a binary file" in line for line in errors)


def test_source_url_override_is_the_copy_address_not_a_first_publisher(tmp_path: Path) -> None:
    from compiler.book.attribution import attribution_text
    from compiler.collection.loading import load_collection
    from compiler.collection.manifest import load_manifest

    (tmp_path / "one.md").write_text(f"Title\n\nBy Ann Ashby\n\nThe Ledger, May 2, 2022\n\n{BODY}", encoding="utf-8")
    path = tmp_path / "collection.yaml"
    path.write_text("title: Book\narticles:\n  - path: one.md\n    source_url: https://ledger.example/one\n")
    (article,) = load_collection(load_manifest(path)).articles
    note = attribution_text(article.meta)
    assert "First published by The Ledger on 2 May 2022." in note
    assert "Republished" not in note
    assert note.endswith("Source: https://ledger.example/one")
