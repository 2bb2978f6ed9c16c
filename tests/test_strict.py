"""`anthology build --strict`: each kind of warning is printed and counted without it, and fails
the build with it, leaving the earlier book as it was."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from compiler.cli import main
from compiler.errors import StrictWarningsError

TITLE = "# The Reading Room\n\n"
BYLINE = "By Maren Holt\n\n"
DATELINE = "The Weekly Lantern, March 3, 2022\n\n"
PROSE = ("The reading room on the harbour opened its doors again after a long winter of repairs to its "
         "leaking roof and its windows.\n\n")
PLEAS = (
    "Subscribe to our newsletter and never miss a story from the harbour desk or the council chamber.\n\n"
    "Please share this article with your friends, your family and your neighbours on every network.\n\n"
    "Support independent journalism: donate today so that the lantern stays lit for another year.\n\n"
)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8cf00000301010018dd8db00000000049454e44ae426082")


@dataclass(frozen=True)
class Warned:
    id: str
    article: str  # the article's text
    fmt: str
    says: str  # what the warning line must say


def _with_outside_image(folder: Path) -> None:
    (folder.parent / "elsewhere.png").write_bytes(PNG)


CASES = [
    Warned("no-author", TITLE + DATELINE + PROSE, "epub", "no author found"),
    Warned("no-date", TITLE + BYLINE + PROSE, "epub", "no publication date found"),
    Warned("rules-removed-most", TITLE + BYLINE + DATELINE + PROSE + PLEAS, "epub", "rules removed more words"),
    Warned("one-rule-removed-half", TITLE + BYLINE + DATELINE + PROSE + (PLEAS.split("\n\n")[0] + "\n\n") * 4, "epub",
           "rule generic.newsletter removed more than half of the article's words"),
    Warned("image-not-found", TITLE + BYLINE + DATELINE + PROSE + "![A chart](chart.png)\n", "epub",
           "image 'chart.png' is not a file in the collection folder"),
    Warned("refused-resource", TITLE + BYLINE + DATELINE + PROSE + "![A map](../elsewhere.png)\n", "pdf",
           "refused to load"),
]
SETUP: dict[str, Callable[[Path], None]] = {"refused-resource": _with_outside_image}


def build(folder: Path, out: Path, fmt: str, *options: str) -> Result:
    return CliRunner().invoke(main, ["build", str(folder / "collection.yaml"), "-o", str(out), "-f", fmt, *options],
                              env={"SOURCE_DATE_EPOCH": "1700000000"})


def collection(folder: Path, article: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "one.md").write_text(article, encoding="utf-8")
    (folder / "collection.yaml").write_text("title: Small Book\noutput: small\narticles:\n  - path: one.md\n",
                                            encoding="utf-8")
    return folder


def state(out: Path) -> dict[str, tuple[int, str]]:
    return {p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest()) for p in sorted(out.iterdir())}


def test_the_clean_article_has_no_warnings(tmp_path: Path) -> None:
    """The cases below differ from this article by one thing each, so each warning is theirs."""
    result = build(collection(tmp_path / "c", TITLE + BYLINE + DATELINE + PROSE), tmp_path / "out", "epub")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.stderr
    assert re.search(r"^\s*warnings\s+0$", result.stdout, re.MULTILINE), result.stdout


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_warning_is_counted_without_strict_and_fails_with_it(case: Warned, tmp_path: Path) -> None:
    folder = collection(tmp_path / "c", case.article)
    SETUP.get(case.id, lambda _: None)(folder)
    out = tmp_path / "out"

    relaxed = build(folder, out, case.fmt)
    assert relaxed.exit_code == 0, relaxed.output
    warnings = [line for line in relaxed.stderr.splitlines() if line.startswith("warning: ")]
    assert any(case.says in line for line in warnings), relaxed.stderr
    counted = re.search(r"^\s*warnings\s+(\d+)$", relaxed.stdout, re.MULTILINE)
    assert counted and int(counted[1]) == len(warnings), relaxed.stdout
    earlier = state(out)

    strict = build(folder, out, case.fmt, "--strict")
    assert strict.exit_code == StrictWarningsError.exit_code, strict.output
    assert case.says in strict.stderr
    assert any(line.startswith("error: ") and "--strict" in line for line in strict.stderr.splitlines())
    assert state(out) == earlier, "a failed --strict build replaced or added a file"
