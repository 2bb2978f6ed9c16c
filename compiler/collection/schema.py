"""The typed schemas of the YAML the tool reads (the collection manifest, rule packs), on pydantic.

pydantic converts and checks every value in its lax mode (a YAML date or an ISO date string for a
date, "yes"/"off"/1/0 for a bool, a whole number written as text for an int; text fields take
only text) and finds every problem in one pass. This module turns its errors into the tool's:
each problem has its key path (`articles[2].date`) and a message that names what was expected
and what was given, and an unknown key gets its nearest valid key ("did you mean 'title'?").
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError, WithJsonSchema

Loc = tuple[int | str, ...]


class Invalid(ValueError):
    """A value is wrong; the message says what was expected and what was given."""


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str

    @property
    def key(self) -> str:
        return key_path(self.loc)


class SchemaError(ValueError):
    """Every problem found in one value, each with its key path."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.key}: {p.message}" if p.loc else p.message for p in problems))
        self.problems = problems


def key_path(loc: Loc) -> str:
    """("articles", 2, "date") -> "articles[2].date"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def given(value: Any) -> str:
    """A value as a user would name it in a message: its kind, and the value when short."""
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
             tuple: "a list", dict: "a mapping", dt.date: "a date", dt.datetime: "a date and time"}
    if value is None:
        return "an empty value"
    kind = kinds.get(type(value), type(value).__name__)
    if isinstance(value, list | tuple | dict):
        return kind
    text = repr(value) if isinstance(value, str) else str(value)
    return f"{kind} ({text if len(text) <= 40 else text[:37] + '...'})"


# ---- Value types pydantic has no lax form of that keeps the old promises ---------------------

# A date, or a date and time at midnight (which a YAML timestamp may be).
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def _date(value: Any) -> dt.date:
    # pydantic's own date takes a number as a Unix time; a manifest's 20240102 is a mistake, not 1970.
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        if value.time() != dt.time():
            raise Invalid(f"should be a date without a time of day, not {given(value)}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise Invalid(f"should be a date written YYYY-MM-DD, not {given(value)}")
    try:
        return dt.date.fromisoformat(match[1])
    except ValueError as exc:  # 2024-02-30
        raise Invalid(f"'{value}' is not a date: {exc}") from None


Date = Annotated[dt.date, PlainValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]


def _str_or_list(value: Any) -> str | list[str]:
    if isinstance(value, str):
        return value
    if not isinstance(value, list | tuple):
        raise Invalid(f"should be text or a list of text, not {given(value)}")
    wrong = [f"[{index}] is {given(item)}" for index, item in enumerate(value) if not isinstance(item, str)]
    if wrong:
        raise Invalid(f"should be text or a list of text; {', '.join(wrong)}")
    return list(value)


# One piece of text, or a list of them (a pattern or several).
StrOrList = Annotated[str | list[str], PlainValidator(_str_or_list),
                      WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]


# ---- The schema base and its errors ---------------------------------------------------------

S = TypeVar("S", bound="Schema")


class Schema(BaseModel):
    """A pydantic model whose problems are reported as SchemaError; unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")

    # No __init__ of its own: pydantic would call it for every nested value (and any error there
    # would lose its key path). Built from keywords, a schema raises pydantic's ValidationError.

    @classmethod
    def load(cls: type[S], raw: Any, context: Mapping[str, Any] | None = None) -> S:
        """The object for a mapping read from YAML; SchemaError listing every problem."""
        if not isinstance(raw, dict):
            raise SchemaError([Problem((), f"should be a mapping of keys, not {given(raw)}")])
        try:
            return cls.model_validate(raw, context=dict(context or {}))
        except ValidationError as exc:
            raise SchemaError(problems_of(exc, cls)) from None

    @classmethod
    def keys(cls) -> list[str]:
        """The keys the schema takes, in declaration order (the docs test reads them)."""
        return list(cls.model_fields)

    def replace(self: S, **changes: Any) -> S:
        """A copy with some keys changed, each validated like the original's; SchemaError if one is wrong."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        try:
            return type(self).model_validate({**values, **changes})
        except ValidationError as exc:
            raise SchemaError(problems_of(exc, type(self))) from None


def problems_of(error: ValidationError, schema: type[BaseModel]) -> list[Problem]:
    return [Problem(tuple(item["loc"]), _message(item, schema)) for item in error.errors(include_url=False)]


_EXPECTED = {
    "string_type": "text", "string_unicode": "text",
    "bool_type": "true or false", "bool_parsing": "true or false",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "list_type": "a list", "dict_type": "a mapping of keys", "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}


def _message(item: Any, schema: type[BaseModel]) -> str:
    kind, value, context = item["type"], item.get("input"), item.get("ctx") or {}
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return unknown_key(str(item["loc"][-1]), _model_at(schema, tuple(item["loc"][:-1])))
    if kind in _EXPECTED:
        return f"should be {_EXPECTED[kind]}, not {given(value)}"
    if kind in ("literal_error", "enum"):  # pydantic says "'a', 'b' or 'c'"
        choices = re.sub(r" or (?=[^']*'[^']*'$)", ", ", str(context.get("expected", "")))
        return f"should be one of {choices}, not {given(value)}"
    if kind == "greater_than_equal":
        return f"should be at least {context['ge']}, not {value}"
    if kind == "less_than_equal":
        return f"should be at most {context['le']}, not {value}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        least = context.get("min_length", 1)
        return f"should list at least {least} item{'s' * (least > 1)}, not none"
    if kind in ("value_error", "assertion_error") and "error" in context:
        return str(context["error"])
    return str(item["msg"])


def _model_at(schema: type[BaseModel], loc: Loc) -> list[str]:
    """The keys of the model found at `loc` (its fields' annotations followed through lists and
    optional values), for the did-you-mean hint."""
    current: Any = schema
    for part in loc:
        if isinstance(part, int):
            continue  # a list's item: the annotation already names the item's model
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _inner_model(current.model_fields[part].annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list, typing.Annotated):
        for argument in typing.get_args(annotation):
            found = _inner_model(argument)
            if found is not None:
                return found
    return None


def unknown_key(name: str, allowed: list[str]) -> str:
    """The message for a key the schema does not take, with the nearest valid key."""
    import difflib  # only a mistyped key needs it

    hint = difflib.get_close_matches(name, allowed, n=1)
    if hint:
        return f"unknown key; did you mean '{hint[0]}'?"
    return f"unknown key; valid keys: {', '.join(sorted(allowed))}"
