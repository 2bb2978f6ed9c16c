"""Bad input, one row each, through the real `anthology build`: a clear error, a non-zero exit, and
the output folder exactly as it was (an earlier book stays, nothing new or half-written appears).

Every row starts from a copy of one good collection whose book was already built into `out/`,
breaks one thing, runs the CLI, and compares the listing, sizes, mtimes and bytes of `out/`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from compiler.cli import main
from compiler.errors import AnthologyError, BuildError, InputError, InternalError, ManifestError, RulePackError

EPOCH = "1700000000"
MANIFEST = "title: Small Book\neditors: [Ed Itor]\noutput: small\narticles:\n  - path: one.md\n"
GOOD_ARTICLE = (
    "# The Reading Room\n\nBy Maren Holt\n\nThe Weekly Lantern, March 3, 2022\n\n"
    "The reading room on the harbour opened its doors again after a long winter of repairs to its roof.\n\n"
    "Volunteers carried the boxes of books back up the stairs, one shelf at a time, until late evening.\n"
)
# A PNG's signature and header, as a browser saves an image under the wrong name.
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(
    range(256)
) * 8


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def set_manifest(folder: Path, text: str) -> None:
    write(folder / "collection.yaml", text)


def add_article(folder: Path, name: str, text: str | bytes) -> None:
    """Write `name` and make it the collection's only article."""
    if isinstance(text, bytes):
        (folder / name).write_bytes(text)
    else:
        write(folder / name, text)
    set_manifest(folder, MANIFEST.replace("path: one.md", f"path: {name}"))


Setup = Callable[[Path], list[str]]  # breaks the collection folder; returns extra CLI options


@dataclass(frozen=True)
class Case:
    id: str
    setup: Setup
    error: type[AnthologyError]
    names: str  # the error line must name this (a file, a key path or an option value)
    also: str = ""  # and say this (the place in the file, or what to do)


def _yaml_syntax(folder: Path) -> list[str]:
    # line 6: four spaces, "title: " and "The Harbour" put the second colon at column 23
    set_manifest(folder, MANIFEST + "    title: The Harbour: A History\n")
    return []


def _wrong_types(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST.replace("editors: [Ed Itor]", "editors: {name: Ed Itor}"))
    return []


def _unknown_key(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST + "colour: blue\n")
    return []


def _unknown_article_key(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST + "    author: Maren Holt\n")
    return []


def _empty_articles(folder: Path) -> list[str]:
    set_manifest(folder, "title: Small Book\noutput: small\narticles: []\n")
    return []


def _missing_title(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST.replace("title: Small Book\n", ""))
    return []


def _not_a_mapping(folder: Path) -> list[str]:
    set_manifest(folder, "- one.md\n- two.md\n")
    return []


def _manifest_not_utf8(folder: Path) -> list[str]:
    (folder / "collection.yaml").write_bytes(MANIFEST.replace("Ed Itor", "Ed It\xf6r").encode("latin-1"))
    return []


def _missing_file(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST.replace("one.md", "gone.md"))
    return []


def _directory_as_article(folder: Path) -> list[str]:
    (folder / "chapter.md").mkdir()
    set_manifest(folder, MANIFEST.replace("one.md", "chapter.md"))
    return []


def _binary_article(folder: Path) -> list[str]:
    add_article(folder, "photo.md", PNG_BYTES)
    return []


def _empty_article(folder: Path) -> list[str]:
    add_article(folder, "blank.md", b"")
    return []


def _whitespace_article(folder: Path) -> list[str]:
    add_article(folder, "spaces.md", "\n \n\t\n\u00a0\n")
    return []


def _all_boilerplate(folder: Path) -> list[str]:
    pleas = [
        "Support Independent Reporting",
        "Subscribe to our newsletter and never miss a story from the harbour desk.",
        "Follow us on Mastodon and Bluesky.",
        "Please share this article with your friends.",
        "© 2024 The Weekly Lantern",
    ]
    add_article(folder, "pleas.md", "\n\n".join(pleas) + "\n")
    return []


def _unknown_suffix(folder: Path) -> list[str]:
    add_article(folder, "essay.odt", "A title\n\nSome words of the essay.\n")
    return []


def _dot_dot_path(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST.replace("one.md", "../../etc/passwd"))
    return []


def _absolute_path(folder: Path) -> list[str]:
    outside = folder.parent / "elsewhere.md"
    write(outside, GOOD_ARTICLE)
    set_manifest(folder, MANIFEST.replace("one.md", str(outside)))
    return []


def _escaping_symlink(folder: Path) -> list[str]:
    outside = folder.parent / "private" / "diary.md"
    write(outside, GOOD_ARTICLE)
    (folder / "linked.md").symlink_to(outside)
    set_manifest(folder, MANIFEST.replace("one.md", "linked.md"))
    return []


def _escaping_rule_pack(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST + "rules:\n  packs: [../../etc/hostname]\n")
    return []


def _duplicate_entries(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST + "  - path: ./one.md\n")
    return []


def _huge_article(folder: Path) -> list[str]:
    paragraph = ("The harbour reading room kept its lamps lit through the long winter evenings. " * 40) + "\n\n"
    with (folder / "huge.md").open("w", encoding="utf-8") as stream:
        while stream.tell() < 20 * 1024 * 1024:
            stream.write(paragraph)
    set_manifest(folder, MANIFEST.replace("one.md", "huge.md"))
    return []


def _out_under_a_file(folder: Path) -> list[str]:
    blocker = folder.parent / "not-a-folder"
    blocker.write_text("a regular file where the output's parent folder should be\n", encoding="utf-8")
    return ["--out", str(blocker / "books")]


def _manifest_missing(folder: Path) -> list[str]:
    (folder / "collection.yaml").unlink()
    return []


def _manifest_is_a_folder(folder: Path) -> list[str]:
    (folder / "collection.yaml").unlink()
    (folder / "collection.yaml").mkdir()
    return []


def _unknown_disabled_rule(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST + "rules:\n  disable: [generic.no-such-rule]\n")
    return []


def _bad_rule_pack(folder: Path) -> list[str]:
    write(folder / "house.yaml", "id: house\nname: House rules\nrules:\n  - id: house.plea\n"
          "    reason: pleas\n    match: '(unclosed'\n")
    set_manifest(folder, MANIFEST + "rules:\n  packs: [house.yaml]\n")
    return []


def _bad_pdf_option(folder: Path) -> list[str]:
    set_manifest(folder, MANIFEST + "pdf:\n  page_size: A9\n")
    return []


def _cover_not_an_image(folder: Path) -> list[str]:
    write(folder / "cover.txt", "a cover, described in words\n")
    set_manifest(folder, MANIFEST + "cover: cover.txt\n")
    return []


def _bad_source_date_epoch(folder: Path) -> list[str]:
    os.environ["SOURCE_DATE_EPOCH"] = "yesterday"  # restored by the test's monkeypatch
    return []


CASES = [
    Case("yaml-syntax", _yaml_syntax, ManifestError, "collection.yaml:6:23:", "YAML syntax error"),
    Case("wrong-type", _wrong_types, ManifestError, "editors", "collection.yaml:2"),
    Case("unknown-key", _unknown_key, ManifestError, "colour", "unknown key"),
    Case("unknown-article-key", _unknown_article_key, ManifestError, "articles[0].author", "authors"),
    Case("empty-articles", _empty_articles, ManifestError, "articles", "add an 'articles:' list"),
    Case("missing-title", _missing_title, ManifestError, "title", "missing"),
    Case("not-a-mapping", _not_a_mapping, ManifestError, "collection.yaml", "mapping"),
    Case("manifest-not-utf8", _manifest_not_utf8, ManifestError, "collection.yaml", "cannot read"),
    Case("manifest-missing", _manifest_missing, ManifestError, "collection.yaml", "not found"),
    Case("manifest-is-a-folder", _manifest_is_a_folder, ManifestError, "collection.yaml", "folder"),
    Case("missing-file", _missing_file, ManifestError, "gone.md", "articles[0].path"),
    Case("directory-as-article", _directory_as_article, ManifestError, "chapter.md", "not a file"),
    Case("binary-article", _binary_article, InputError, "photo.md", "binary"),
    Case("empty-article", _empty_article, InputError, "blank.md", "empty"),
    Case("whitespace-article", _whitespace_article, InputError, "spaces.md", "empty"),
    Case("all-boilerplate", _all_boilerplate, InputError, "pleas.md", "nothing is left"),
    Case("unknown-suffix", _unknown_suffix, InputError, "essay.odt", "no reader"),
    Case("dot-dot-path", _dot_dot_path, ManifestError, "../../etc/passwd", "allow_outside_paths"),
    Case("absolute-path", _absolute_path, ManifestError, "elsewhere.md", "outside the collection folder"),
    Case("escaping-symlink", _escaping_symlink, ManifestError, "linked.md", "outside the collection folder"),
    Case("escaping-rule-pack", _escaping_rule_pack, ManifestError, "rules.packs[0]", "outside"),
    Case("duplicate-entries", _duplicate_entries, ManifestError, "articles[1].path", "duplicate of articles[0]"),
    Case("huge-article", _huge_article, InputError, "huge.md", "MB limit"),
    Case("out-under-a-file", _out_under_a_file, BuildError, "not-a-folder", "cannot write"),
    Case("unknown-disabled-rule", _unknown_disabled_rule, RulePackError, "generic.no-such-rule", "rules.disable"),
    Case("bad-rule-pack", _bad_rule_pack, RulePackError, "house.yaml", "regular expression"),
    Case("bad-pdf-option", _bad_pdf_option, ManifestError, "pdf.page_size", "A9"),
    Case("cover-not-an-image", _cover_not_an_image, BuildError, "cover.txt", "PNG"),
    Case("bad-source-date-epoch", _bad_source_date_epoch, BuildError, "SOURCE_DATE_EPOCH", "yesterday"),
]


Snapshot = dict[str, tuple[int, int, str]]


def snapshot(folder: Path) -> Snapshot:
    """Every file below `folder`, hidden ones too: size, mtime and a digest of its bytes."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns,
                                        hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good collection in `c/` with its book and review report already in `out/`."""
    root = tmp_path_factory.mktemp("good")
    write(root / "c" / "one.md", GOOD_ARTICLE)
    set_manifest(root / "c", MANIFEST)
    result = CliRunner().invoke(main, ["build", str(root / "c" / "collection.yaml"), "-o", str(root / "out"), "-q"],
                                env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.output
    assert (root / "out" / "small.epub").is_file()
    return root


def run_case(case: Case, built: Path, tmp_path: Path) -> tuple[Result, Path, float]:
    shutil.copytree(built / "c", tmp_path / "c", symlinks=True)
    shutil.copytree(built / "out", tmp_path / "out")  # copy2 keeps the mtimes
    extra = case.setup(tmp_path / "c")
    args = ["build", str(tmp_path / "c" / "collection.yaml"), "-o", str(tmp_path / "out"), "-q", *extra]
    started = time.monotonic()
    result = CliRunner().invoke(main, args)
    return result, tmp_path / "out", time.monotonic() - started


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_one_clear_error_and_changes_no_output(
    case: Case, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    before = snapshot(built / "out")
    result, out, seconds = run_case(case, built, tmp_path)

    assert result.exit_code == case.error.exit_code, result.output
    assert result.exit_code not in (0, InternalError.exit_code)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert case.names in errors[0], errors[0]
    assert case.also in errors[0], errors[0]
    assert "Traceback" not in result.output
    assert snapshot(out) == before, "the output folder changed"
    assert seconds < 20, f"took {seconds:.1f}s"


def test_the_table_covers_at_least_twenty_kinds_of_bad_input() -> None:
    assert len(CASES) >= 20
    assert len({case.id for case in CASES}) == len(CASES)


def test_outside_paths_are_read_when_the_manifest_opts_in(built: Path, tmp_path: Path) -> None:
    """The refusal above is the default, not a limit: `allow_outside_paths: true` lifts it."""
    shutil.copytree(built / "c", tmp_path / "c")
    _absolute_path(tmp_path / "c")
    manifest = tmp_path / "c" / "collection.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "allow_outside_paths: true\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(manifest), "-o", str(tmp_path / "out"), "-q"],
                                env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "small.epub").is_file()
