"""The user guide stays true to the code: every schema key and exit code is documented, and only those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compiler import errors
from compiler.collection import manifest
from compiler.collection.schema import Schema
from compiler.normalise import rules

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = DOCS.parent / "README.md"


def documented_keys(page: Path) -> dict[str, set[str]]:
    """Schema name -> the keys in the first column of the table after its `<!-- schema: X -->` marker."""
    found: dict[str, set[str]] = {}
    current = None
    for line in page.read_text(encoding="utf-8").splitlines():
        marker = re.fullmatch(r"<!-- schema: (\w+) -->", line.strip())
        if marker:
            current = marker[1]
            found[current] = set()
        elif current and line.startswith("| `"):
            found[current].add(re.match(r"\| `([\w.]+)`", line)[1])  # type: ignore[index]
        elif current and line.startswith("#"):
            current = None
    return found


SCHEMAS: list[tuple[str, type[Schema]]] = [
    ("manifest.md", manifest.ManifestSchema),
    ("manifest.md", manifest.ArticleEntry),
    ("manifest.md", manifest.OriginalSourceEntry),
    ("manifest.md", manifest.SectionEntry),
    ("manifest.md", manifest.RulesConfig),
    ("manifest.md", manifest.PdfOptions),
    ("manifest.md", manifest.PrintOptions),
    ("rule-packs.md", rules.PackSpec),
    ("rule-packs.md", rules.DetectSpec),
    ("rule-packs.md", rules.RuleSpec),
    ("rule-packs.md", rules.SpanSpec),
]


@pytest.mark.parametrize(("page", "schema"), SCHEMAS, ids=[schema.__name__ for _, schema in SCHEMAS])
def test_every_schema_key_is_documented_and_nothing_else(page: str, schema: type[Schema]) -> None:
    keys = documented_keys(DOCS / page).get(schema.__name__)
    assert keys is not None, f"docs/{page} has no <!-- schema: {schema.__name__} --> table"
    assert keys == set(schema.keys()), f"docs/{page}, {schema.__name__}"


@pytest.mark.parametrize(("module", "page", "base"), [(manifest, "manifest.md", manifest.Strict),
                                                     (rules, "rule-packs.md", rules._Spec)])
def test_every_schema_has_a_table(module: object, page: str, base: type[Schema]) -> None:
    schemas = {name for name, value in vars(module).items()
               if isinstance(value, type) and issubclass(value, base) and value is not base}
    assert schemas == {schema.__name__ for where, schema in SCHEMAS if where == page}


def test_every_exit_code_is_documented() -> None:
    text = (DOCS / "exit-codes.md").read_text(encoding="utf-8")
    classes = [value for value in vars(errors).values()
               if isinstance(value, type) and issubclass(value, errors.AnthologyError)]
    for error in classes:
        assert f"| {error.exit_code} | `{error.__name__}` |" in text, error.__name__


def test_readme_links_the_guide_and_every_page_exists() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "(docs/README.md)" in readme
    pages = re.findall(r"\]\(docs/([\w-]+\.md)", readme) + re.findall(
        r"\]\(([\w-]+\.md)", (DOCS / "README.md").read_text(encoding="utf-8"))
    assert {"manifest.md", "rule-packs.md", "review-report.md", "review-studio.md", "exit-codes.md"} <= set(pages)
    for page in pages:
        assert (DOCS / page).is_file(), page
