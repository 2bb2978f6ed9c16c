"""The schemas on pydantic (compiler/collection/schema.py): its lax conversions, and every problem reported at
once with its key path, a message naming what was expected and what was given, and a did-you-mean
for an unknown key."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Literal

import pytest
from pydantic import ConfigDict, Field, ValidationError, field_validator

from compiler.collection.manifest import ManifestSchema, PdfOptions, RulesConfig
from compiler.collection.schema import Date, Invalid, Schema, SchemaError, StrOrList
from compiler.model import BlockKind
from compiler.normalise.rules import RuleSpec


class Inner(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str
    when: Date | None = None


class Outer(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: str
    count: int = Field(1, ge=0, le=10)
    flag: bool = False
    mode: Literal["a", "b"] = "a"
    kind: BlockKind = BlockKind.PARAGRAPH
    tags: list[str] = Field(default_factory=list)
    items: list[Inner] = Field(default_factory=list)
    inner: Inner = Field(default_factory=lambda: Inner(name="default"))
    labels: dict[str, str] = Field(default_factory=dict)
    pattern: StrOrList | None = None

    @field_validator("count")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise Invalid("must be positive")
        return value


def problems(raw: object, schema: type[Schema] = Outer) -> dict[str, str]:
    with pytest.raises(SchemaError) as caught:
        schema.load(raw)
    return {problem.key: problem.message for problem in caught.value.problems}


def test_valid_values_are_converted_and_text_stripped() -> None:
    outer = Outer.load({"title": "  T  ", "count": " 3 ", "flag": "yes", "kind": "heading", "tags": (" x ",),
                        "items": [{"name": " n ", "when": "2024-02-03"}], "labels": {"a": "b"}, "pattern": ["p"]})
    assert outer.title == "T" and outer.count == 3 and outer.flag is True
    assert outer.kind is BlockKind.HEADING and outer.tags == ["x"] and outer.pattern == ["p"]
    assert outer.items[0].name == "n" and outer.items[0].when == dt.date(2024, 2, 3)
    assert outer.inner.name == "default" and outer.labels == {"a": "b"}


@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
    (dt.datetime(2024, 1, 2), dt.date(2024, 1, 2)),  # a YAML timestamp at midnight
    ("2024-01-02", dt.date(2024, 1, 2)),
    ("2024-01-02T00:00:00", dt.date(2024, 1, 2)),
])
def test_dates_take_yaml_dates_and_iso_text(value: object, expected: dt.date) -> None:
    assert Inner.load({"name": "n", "when": value}).when == expected


@pytest.mark.parametrize(("value", "says"), [
    ("not-a-date", "should be a date written YYYY-MM-DD, not text ('not-a-date')"),
    ("2024-02-30", "is not a date"),
    (dt.datetime(2024, 1, 2, 3), "should be a date without a time of day"),
    (20240102, "should be a date written YYYY-MM-DD, not a number (20240102)"),  # not a Unix time
])
def test_bad_dates_say_what_was_expected_and_given(value: object, says: str) -> None:
    assert says in problems({"name": "n", "when": value}, Inner)["when"]


def test_type_errors_name_the_expected_and_the_given() -> None:
    found = problems({"title": 1984, "count": "many", "flag": "maybe", "mode": "A", "kind": "para", "tags": "x",
                      "labels": {"a": 1}, "pattern": 5})
    assert found == {
        "title": "should be text, not a number (1984)",
        "count": "should be a whole number, not text ('many')",
        "flag": "should be true or false, not text ('maybe')",
        "mode": "should be one of 'a', 'b', not text ('A')",
        "kind": "should be one of 'paragraph', 'heading', 'blockquote', 'list', 'figure', 'separator', 'code', "
                "'table', not text ('para')",
        "tags": "should be a list, not text ('x')",
        "labels.a": "should be text, not a number (1)",
        "pattern": "should be text or a list of text, not a number (5)",
    }


def test_bounds_then_checks_are_applied() -> None:
    assert problems({"title": "t", "count": 11})["count"] == "should be at most 10, not 11"
    assert problems({"title": "t", "count": 0})["count"] == "must be positive"


def test_problems_in_lists_and_nested_schemas_carry_their_key_path() -> None:
    found = problems({"items": [{"name": "ok"}, {"name": 2, "when": "x"}, "text", {"nmae": "n"}],
                      "inner": {"name": "i", "extra": 1}, "pattern": ["a", 1]})
    assert found == {
        "title": "required key is missing",
        "items[1].name": "should be text, not a number (2)",
        "items[1].when": "should be a date written YYYY-MM-DD, not text ('x')",
        "items[2]": "should be a mapping of keys, not text ('text')",
        "items[3].name": "required key is missing",
        "items[3].nmae": "unknown key; did you mean 'name'?",
        "inner.extra": "unknown key; valid keys: name, when",
        "pattern": "should be text or a list of text; [1] is a number (1)",
    }


def test_not_a_mapping_at_the_top() -> None:
    assert problems(["a"]) == {"": "should be a mapping of keys, not a list"}


def test_empty_value_is_refused_unless_optional() -> None:
    assert problems({"title": "t", "tags": None}) == {"tags": "should be a list, not an empty value"}
    assert Outer.load({"title": "t", "pattern": None}).pattern is None


def test_defaults_are_not_shared_between_objects() -> None:
    first, second = Outer.load({"title": "a"}), Outer.load({"title": "b"})
    first.tags.append("x")
    first.labels["k"] = "v"
    first.inner.name = "changed"
    assert second.tags == [] and second.labels == {} and second.inner.name == "default"
    one, two = ManifestSchema.load({"title": "a"}), ManifestSchema.load({"title": "b"})
    one.rules.packs.append("p.yaml")
    assert two.rules is not one.rules and two.rules.packs == [] and two.pdf is not one.pdf
    rule, other = (RuleSpec.load({"id": name, "reason": "r"}) for name in ("a.b", "a.c"))
    assert rule.kinds == other.kinds and rule.kinds is not other.kinds


def test_keyword_construction_validates_and_compares_by_value() -> None:
    assert PdfOptions(page_size="A4") == PdfOptions(page_size="A4") != PdfOptions()
    with pytest.raises(ValidationError, match="font size 40pt is out of range"):
        PdfOptions(font_size="40pt")
    with pytest.raises(ValidationError, match="pack"):
        RulesConfig(pack=["x"])


def test_replace_changes_keys_and_validates_them() -> None:
    options = PdfOptions(page_size="A4")
    assert options.replace(font_size="11pt").font_size.css == "11pt" and options.font_size.css == "11.5pt"
    with pytest.raises(SchemaError, match="bleed"):
        options.replace(bleed="10cm")


def test_objects_pickle_and_keys_are_introspectable() -> None:
    data = ManifestSchema.load({"title": "t", "date": "2020-01-01", "pdf": {"margins": "10mm"}})
    assert pickle.loads(pickle.dumps(data)) == data
    assert Outer.keys()[:3] == ["title", "count", "flag"]


def test_context_reaches_checks() -> None:
    spec = {"id": "a.b", "reason": "r", "match": "(unclosed"}
    with pytest.raises(SchemaError, match="bad regular expression"):
        RuleSpec.load(spec)
    assert RuleSpec.load(spec, context={"shipped": True}).match == "(unclosed"


def test_an_unknown_key_deep_in_a_rule_pack_gets_the_nearest_key() -> None:
    found = problems({"id": "a.b", "reason": "r", "span": {"until": "x", "max_block": 3}}, RuleSpec)
    assert found == {"span.max_block": "unknown key; did you mean 'max_blocks'?"}
