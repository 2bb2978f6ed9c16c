"""No author the normaliser finds carries what a byline glues onto names.

A byline often comes with a date or time, "Updated …"/"Posted …", a role ("Staff Writer",
"reporter"), an outlet ("| Site", "/ Original to …") or a handle ("@name"). None of it may reach
an author: the chapter heading, the contents, the attribution note and the book's creator
metadata all print the authors. Checked on every golden case, on the bundled example collection,
and (when it is beside the repository) on the development corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from shared_data import shared_file

from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.model import Article

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GOLDEN = HERE / "golden"
EXAMPLE = REPO / "collections" / "example" / "collection.yaml"
CORPUS = REPO.parent / "shared" / "corpus"

_MONTHS = """
january february march april may june july august september october november december
feb apr jun jul aug sep sept oct nov dec
enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
januar februar märz juni juli oktober dezember
"""
_WEEKDAYS = """
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat
lunes martes miércoles jueves viernes sábado domingo
montag dienstag mittwoch donnerstag freitag samstag sonntag
"""
MONTHS, WEEKDAYS = _MONTHS.split(), _WEEKDAYS.split()
# ("jan", "mar", "mai" and "sun" are left out: they are names and surnames too)
WORDS = ("updated", "posted", "staff", "writer", "reporter")
SYMBOLS = ("|", "/", "@")
_CALENDAR = re.compile(r"\b(?:" + "|".join(map(re.escape, MONTHS + WEEKDAYS)) + r")\b", re.IGNORECASE)


def what_is_wrong(name: str) -> str | None:
    """Why a name is not clean, or None."""
    if re.search(r"\d", name):
        return "a digit"
    found = _CALENDAR.search(name)
    if found:
        return f"a month or weekday name ({found.group(0)!r})"
    lowered = name.lower()
    for word in WORDS:
        if word in lowered:
            return f"{word!r}"
    for symbol in SYMBOLS:
        if symbol in name:
            return f"{symbol!r}"
    if not name.strip() or name != name.strip():
        return "blank or untrimmed"
    return None


def problems(articles: Iterable[tuple[str, Article]]) -> list[str]:
    found = []
    for label, article in articles:
        for name in article.meta.authors:
            wrong = what_is_wrong(name)
            if wrong:
                found.append(f"{label}: author {name!r} holds {wrong}")
    return found


@pytest.mark.parametrize(("name", "why"), [
    ("Jane Roe Updated Nov 13", "a digit"), ("Jane Roe 2019-11-18T20:51:19Z", "a digit"),
    ("Jane Roe, Staff Writer", "'staff'"), ("Jane Roe | Harbour News", "'|'"), ("@janeroe", "'@'"),
    ("Jane Roe / Original to Harbour News", "'/'"), ("Posted by Jane Roe", "'posted'"),
    ("Jane Roe Tuesday", "a month or weekday name ('Tuesday')"), ("Jane Roe, reporter", "'reporter'"),
])
def test_the_check_itself_finds_what_it_looks_for(name: str, why: str) -> None:
    assert what_is_wrong(name) == why


@pytest.mark.parametrize("name", ["Jane Roe", "Siobhán Ó Ceallaigh", "Trần Minh Hà", "Katherine O’Dwyer",
                                  "Marisol Quiñones-Ruiz", "Augusta Mayhew", "Sunniva Wedderburn",
                                  "Jan Kowalczyk", "Sun Li"])
def test_the_check_itself_passes_names(name: str) -> None:
    assert what_is_wrong(name) is None


GOLDEN_CASES = sorted(p for p in GOLDEN.iterdir() if (p / "input.md").is_file())


def test_no_golden_case_gives_an_author_with_a_date_role_outlet_or_handle(
    normalise_file: Callable[[Path], Article],
) -> None:
    articles = [(case.name, normalise_file(case / "input.md")) for case in GOLDEN_CASES]
    assert sum(1 for _, article in articles if article.meta.authors) >= 40, "the golden cases name authors"
    found = problems(articles)
    assert not found, "\n".join(found)


def test_no_author_in_the_example_collection_carries_a_date_role_outlet_or_handle(
    normalise_file: Callable[[Path], Article],
) -> None:
    manifest = load_manifest(EXAMPLE)
    collection = load_collection(manifest)
    built = [(article.source_path.name if article.source_path else "?", article) for article in collection.articles]
    raw = [(f"{path.name} (as normalised)", normalise_file(path))
           for path in (manifest.resolve(entry) for entry in manifest.entries if entry.path)]
    assert any(article.meta.authors for _, article in built)
    found = problems(built + raw)
    assert not found, "\n".join(found)


def corpus_inputs() -> list[Path]:
    cases = CORPUS / "cases"
    return sorted(path for path in cases.glob("*/input.*") if path.suffix in (".md", ".html", ".htm", ".txt"))


def test_acceptance_no_author_in_the_development_corpus_carries_a_date_role_outlet_or_handle(
    normalise_file: Callable[[Path], Article],
) -> None:
    shared_file(CORPUS / "score.py", "the development corpus of many outlets' saved articles, whose authors "
                                     "this checks")
    inputs = corpus_inputs()
    assert inputs, f"no input files under {CORPUS / 'cases'}"
    articles = [(path.parent.name, normalise_file(path)) for path in inputs]
    assert sum(1 for _, article in articles if article.meta.authors) >= len(inputs) // 2
    found = problems(articles)
    assert not found, "\n".join(found)

