"""The collection manifest: typed schema, every problem reported at once with its key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.collection.manifest import load_manifest
from compiler.errors import ManifestError

ARTICLE = "A Title\n\nBy Someone\n\nA first paragraph long enough to be the body of a small article here.\n"


def write(folder: Path, manifest: str, articles: tuple[str, ...] = ("a.md",)) -> Path:
    for name in articles:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    path = folder / "collection.yaml"
    path.write_text(manifest, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    return caught.value.problems


def test_flat_articles_resolve_relative_to_the_collection_file(tmp_path: Path) -> None:
    path = write(tmp_path, "title: Book\neditors: [Ann Editor]\narticles:\n  - path: sub/a.md\n", ("sub/a.md",))
    manifest = load_manifest(path)
    assert manifest.data.title == "Book"
    assert [manifest.resolve(e) for e in manifest.entries] == [(tmp_path / "sub/a.md").resolve()]
    assert manifest.sections[0].title is None
    assert manifest.output_name == "book"


def test_sections_keep_the_written_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "title: Book\nsections:\n  - title: Part Two\n    articles: [{path: b.md}]\n"
        "  - title: Part One\n    articles: [{path: a.md}, {path: c.md}]\n",
        ("a.md", "b.md", "c.md"),
    )
    manifest = load_manifest(path)
    assert [s.title for s in manifest.sections] == ["Part Two", "Part One"]
    assert [e.path for e in manifest.entries] == ["b.md", "a.md", "c.md"]


def test_every_problem_is_reported_at_once_with_key_paths_and_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "title: Book\n"  # line 1
        "editor: [Ann]\n"  # line 2: unknown key
        "articles:\n"
        "  - path: a.md\n"
        "  - path: missing.md\n"  # line 5
        "  - path: a.md\n"  # duplicate
        "  - path: b.md\n"
        "    athors: [X]\n",  # line 8: unknown key in an entry
        ("a.md", "b.md"),
    )
    problems = problems_of(path)
    text = "\n".join(problems)
    assert len(problems) == 4, text
    assert f"{path}:2: editor: unknown key; did you mean 'editors'?" in problems
    assert f"{path}:8: articles[3].athors: unknown key; did you mean 'authors'?" in problems
    assert any(p.startswith(f"{path}:5: articles[1].path: file not found") for p in problems), text
    assert any("articles[2].path: duplicate of articles[0]" in p for p in problems), text


def test_wrong_types_and_missing_title_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, "editors: Ann\narticles:\n  - path: a.md\n    date: not-a-date\n")
    text = "\n".join(problems_of(path))
    assert "title: required key is missing" in text
    assert "editors: should be a list, not text ('Ann')" in text
    assert "articles[0].date: should be a date written YYYY-MM-DD, not text ('not-a-date')" in text


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "collection.yaml"
    path.write_text("title: Book\narticles:\n  - path: [a.md\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:4:")
    assert "YAML syntax error" in problem


def test_empty_article_list_and_both_lists_are_errors(tmp_path: Path) -> None:
    empty = write(tmp_path, "title: Book\narticles: []\n")
    assert any("lists no articles" in p for p in problems_of(empty))
    both = write(tmp_path, "title: Book\narticles: [{path: a.md}]\nsections: [{title: S, articles: [{path: a.md}]}]\n")
    assert any("either 'articles' or 'sections'" in p for p in problems_of(both))


def test_paths_outside_the_collection_are_refused_unless_allowed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(ARTICLE, encoding="utf-8")
    book = tmp_path / "book"
    book.mkdir()
    (book / "link.md").symlink_to(outside)
    path = write(book, "title: Book\narticles:\n  - path: ../outside.md\n  - path: link.md\n", ())
    problems = problems_of(path)
    assert len(problems) == 2
    assert all("outside the collection folder" in p for p in problems)
    path.write_text("title: Book\nallow_outside_paths: true\narticles:\n  - path: ../outside.md\n", encoding="utf-8")
    assert load_manifest(path).entries[0].path == "../outside.md"


def test_a_folder_where_a_file_is_expected(tmp_path: Path) -> None:
    (tmp_path / "folder.md").mkdir()
    path = write(tmp_path, "title: Book\narticles: [{path: folder.md}]\n", ())
    assert any("not a file" in p for p in problems_of(path))


def test_missing_collection_file(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="collection file not found"):
        load_manifest(tmp_path / "nope.yaml")


def test_problems_are_listed_in_the_order_of_the_file(tmp_path: Path) -> None:
    # A missing file (found by the path check) above a bad value and an unknown key (found by the
    # schema): the editor reads them top to bottom, as in the file.
    path = write(tmp_path, "title: Book\narticles:\n  - path: missing.md\n  - path: a.md\n    titel: X\n"
                           "distribution: everyone\n")
    lines = [int(problem.split(":")[1]) for problem in problems_of(path)]
    assert lines == [3, 5, 6]


def test_an_impossible_date_written_without_quotes_is_a_problem_with_its_line(tmp_path: Path) -> None:
    # YAML reads 2023-02-30 as a timestamp and its library cannot build it: the schema must say so
    path = write(tmp_path, "title: T\ndate: 2023-02-30\narticles:\n  - path: a.md\n    date: 2024-13-01\n")
    found = problems_of(path)
    assert found == [f"{path}:2: date: '2023-02-30' is not a date: day is out of range for month",
                     f"{path}:5: articles[0].date: '2024-13-01' is not a date: month must be in 1..12"]
