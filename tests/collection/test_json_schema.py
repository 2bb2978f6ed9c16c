"""`anthology schema`: the collection file's JSON Schema, the same as docs/collection.schema.json,
and one a JSON Schema validator uses as an editor would: it takes the bundled collections and the
starter, and flags what the tool refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from compiler.cli import main

REPO = Path(__file__).resolve().parents[2]
COPY = REPO / "docs" / "collection.schema.json"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def as_json(path: Path) -> Any:
    """The YAML as a JSON document (a YAML date becomes the text it was written as)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_the_docs_copy_is_current(schema: dict[str, Any]) -> None:
    assert json.loads(COPY.read_text(encoding="utf-8")) == schema, "run: anthology schema > docs/collection.schema.json"


@pytest.mark.parametrize("path", [REPO / "collections" / "example" / "collection.yaml",
                                  REPO / "compiler" / "commands" / "starter_files" / "collection.yaml"],
                         ids=["example", "starter"])
def test_the_bundled_collections_are_valid(schema: dict[str, Any], path: Path) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(as_json(path))


@pytest.mark.parametrize(("change", "where"), [
    ({"titel": "Typo"}, "titel"),
    ({"distribution": "everyone"}, "distribution"),
    ({"pdf": {"page_sise": "A4"}}, "page_sise"),
    ({"editors": "Ann"}, "editors"),
])
def test_what_the_tool_refuses_is_flagged(schema: dict[str, Any], change: dict[str, Any], where: str) -> None:
    document = {**as_json(REPO / "collections" / "example" / "collection.yaml"), **change}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert errors and any(where in (error.message + str(list(error.path))) for error in errors)


def test_every_key_has_a_completion(schema: dict[str, Any]) -> None:
    from compiler.collection.manifest import ArticleEntry, ManifestSchema, PdfOptions

    assert set(schema["properties"]) == set(ManifestSchema.keys())
    assert set(schema["$defs"]["ArticleEntry"]["properties"]) == set(ArticleEntry.keys())
    assert set(schema["$defs"]["PdfOptions"]["properties"]) == set(PdfOptions.keys())
