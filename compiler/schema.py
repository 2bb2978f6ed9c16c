"""A small typed schema for the YAML the tool reads: the collection manifest and rule packs.

It replaces pydantic, whose import and model building cost about 0.2 s on every run. In the
style of MkDocs' config options, a schema class declares one `Option` per key; each option
checks one value and converts it, and every problem is collected with its key path
(`articles[2].date`) so the caller reports them all at once.

Conversions follow what pydantic's lax mode accepted for these types, so manifests that were
valid stay valid: a YAML date or an ISO date string for a date, "yes"/"off"/1/0 for a bool, a
whole number written as text for an int. Text fields take only text (a number is refused).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar, overload

T = TypeVar("T")
Loc = tuple[int | str, ...]
# A check run on a converted value, after its type is known to be right (pydantic's "after"
# validators): it returns the value, possibly changed, or raises Invalid.
Check = Callable[[Any, "Run"], Any]


class Invalid(ValueError):
    """A value is wrong; the message says what was expected and what was given."""


class _Reported(Exception):
    """A compound value failed and its parts' problems are already recorded."""


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


@dataclass
class Run:
    """Where validation stands: the key path, the problems so far and the caller's context.

    `data` holds the keys of the enclosing schema validated so far, for a check that depends on
    an earlier key (pydantic's `info.data`); `strip` is the enclosing schema's whitespace rule.
    """

    problems: list[Problem]
    context: Mapping[str, Any] = field(default_factory=dict)
    loc: Loc = ()
    strip: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    def at(self, part: int | str) -> Run:
        # by hand, not dataclasses.replace: this runs for every key of every rule at start-up
        return Run(self.problems, self.context, (*self.loc, part), self.strip, self.data)

    def report(self, message: str) -> None:
        self.problems.append(Problem(self.loc, message))


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


_REQUIRED: Any = object()  # the default of an option that must be given


class Option(Generic[T]):
    """One key: how its value is converted, its default, and checks run on the converted value.

    A mutable default (a list, a nested schema) is made afresh for every object, so no two
    objects share one.
    """

    name = ""
    # What the option takes, for the "should be X, not Y" message.
    expected = "a value"

    def __init__(self, default: T | Callable[[], T] = _REQUIRED, *, checks: Iterable[Check] = ()) -> None:
        self._default = default
        self.checks = tuple(checks)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    # The values live in the object's __dict__, which an option without __set__ does not
    # shadow: reading one costs a plain attribute look-up. These overloads give type checkers
    # the value's type.
    @overload
    def __get__(self, obj: None, owner: type) -> Option[T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> T: ...
    def __get__(self, obj: object | None, owner: type) -> Option[T] | T:
        if obj is None:
            return self
        raise AttributeError(f"{type(obj).__name__}.{self.name} was never set")

    @property
    def required(self) -> bool:
        return self._default is _REQUIRED

    def default(self) -> T:
        return self._default() if callable(self._default) else self._default  # type: ignore[return-value]

    def validate(self, value: Any, run: Run) -> T:
        """The converted, checked value; raises Invalid (or _Reported for a compound value).

        A check may raise any ValueError, as pydantic's validators did: PdfOptions.points does.
        """
        converted = self.convert(value, run)
        for check in self.checks:
            try:
                converted = check(converted, run)
            except ValueError as exc:
                raise exc if isinstance(exc, Invalid) else Invalid(str(exc)) from None
        return converted

    def convert(self, value: Any, run: Run) -> T:
        raise NotImplementedError

    def refuse(self, value: Any) -> Invalid:
        return Invalid(f"should be {self.expected}, not {given(value)}")


class Optional(Option[T | None]):
    """An option that may also be left empty (YAML null); None by default."""

    def __init__(self, inner: Option[T], default: T | None = None, *, checks: Iterable[Check] = ()) -> None:
        super().__init__(default, checks=checks)
        self.inner = inner
        self.expected = inner.expected

    def validate(self, value: Any, run: Run) -> T | None:
        # An empty value is kept as it is; the checks are about a value that was given.
        return None if value is None else super().validate(value, run)

    def convert(self, value: Any, run: Run) -> T | None:
        return self.inner.validate(value, run)


class Str(Option[str]):
    """Text; stripped of surrounding whitespace when the schema says so. Numbers are refused."""

    expected = "text"

    def __init__(self, default: str = _REQUIRED, *, pattern: str | None = None, form: str = "",
                 checks: Iterable[Check] = ()) -> None:
        super().__init__(default, checks=checks)
        self.pattern = re.compile(pattern) if pattern else None
        self.form = form  # the pattern in words, for the message

    def convert(self, value: Any, run: Run) -> str:
        if isinstance(value, bytes):  # YAML's !!binary; pydantic decoded it
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                raise self.refuse(value) from None
        if not isinstance(value, str):
            raise self.refuse(value)
        text = value.strip() if run.strip else value
        if self.pattern is not None and not self.pattern.fullmatch(text):  # the whole text, as pydantic did
            raise Invalid(f"should be {self.form}, not {given(text)}")
        return text


class Bool(Option[bool]):
    expected = "true or false"
    # The spellings pydantic accepted (YAML turns unquoted ones into booleans already).
    WORDS: ClassVar[dict[str, bool]] = {
        "1": True, "on": True, "t": True, "true": True, "y": True, "yes": True,
        "0": False, "off": False, "f": False, "false": False, "n": False, "no": False,
    }

    def convert(self, value: Any, run: Run) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in self.WORDS:
            return self.WORDS[value.lower()]
        raise self.refuse(value)


class Int(Option[int]):
    expected = "a whole number"

    def __init__(self, default: int = _REQUIRED, *, minimum: int | None = None, maximum: int | None = None,
                 checks: Iterable[Check] = ()) -> None:
        super().__init__(default, checks=checks)
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value: Any, run: Run) -> int:
        number = self._whole(value)
        if self.minimum is not None and number < self.minimum:
            raise Invalid(f"should be at least {self.minimum}, not {number}")
        if self.maximum is not None and number > self.maximum:
            raise Invalid(f"should be at most {self.maximum}, not {number}")
        return number

    def _whole(self, value: Any) -> int:
        if isinstance(value, int):  # bool too: pydantic took true as 1
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise self.refuse(value)


# A date, or a date and time at midnight (which pydantic accepted as that date).
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


class Date(Option[dt.date]):
    expected = "a date written YYYY-MM-DD"

    def convert(self, value: Any, run: Run) -> dt.date:
        if isinstance(value, dt.datetime):  # before date: a datetime is a date too
            if value.time() != dt.time():
                raise Invalid(f"should be a date without a time of day, not {given(value)}")
            return value.date()
        if isinstance(value, dt.date):
            return value
        match = _DATE.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise self.refuse(value)
        try:
            return dt.date.fromisoformat(match[1])
        except ValueError as exc:  # 2024-02-30
            raise Invalid(f"'{value}' is not a date: {exc}") from None


class Choice(Option[str]):
    """One of a few words, exactly as written (pydantic's Literal)."""

    def __init__(self, choices: Iterable[str], default: str = _REQUIRED, *, checks: Iterable[Check] = ()) -> None:
        super().__init__(default, checks=checks)
        self.choices = tuple(choices)
        self.expected = "one of " + ", ".join(f"'{choice}'" for choice in self.choices)

    def convert(self, value: Any, run: Run) -> str:
        if isinstance(value, str) and value in self.choices:
            return value
        raise self.refuse(value)


E = TypeVar("E", bound=enum.Enum)


class EnumOf(Option[E]):
    """A member of an enum, given by its value ("paragraph" for BlockKind.PARAGRAPH)."""

    def __init__(self, kind: type[E], default: E = _REQUIRED, *, checks: Iterable[Check] = ()) -> None:
        super().__init__(default, checks=checks)
        self.kind = kind
        self.expected = "one of " + ", ".join(f"'{member.value}'" for member in kind)

    def convert(self, value: Any, run: Run) -> E:
        try:
            return self.kind(value)
        except (ValueError, TypeError):
            raise self.refuse(value) from None


class ListOf(Option[list[T]]):
    """A list whose items are each checked; a bad item is reported at its index."""

    expected = "a list"

    def __init__(self, item: Option[T], default: list[T] | Callable[[], list[T]] = _REQUIRED, *,
                 min_items: int = 0, checks: Iterable[Check] = ()) -> None:
        if isinstance(default, list):
            default = _copier(default)
        super().__init__(default, checks=checks)
        self.item = item
        self.min_items = min_items

    def convert(self, value: Any, run: Run) -> list[T]:
        # pydantic took any sequence but text and mappings; YAML gives lists (and sets, as !!set)
        if not isinstance(value, list | tuple | set | frozenset):
            raise self.refuse(value)
        items = list(value)
        if len(items) < self.min_items:
            raise Invalid(f"should list at least {self.min_items} item{'s' * (self.min_items > 1)}, not none")
        out, failed = [], False
        for index, item in enumerate(items):
            try:
                out.append(self.item.validate(item, run.at(index)))
            except Invalid as exc:
                run.at(index).report(str(exc))
                failed = True
            except _Reported:
                failed = True
        if failed:
            raise _Reported
        return out


def _copier(default: list[T]) -> Callable[[], list[T]]:
    return lambda: list(default)


class StrDict(Option[dict[str, str]]):
    """A mapping of text to text."""

    expected = "a mapping of names to text"

    def __init__(self, default: dict[str, str] | Callable[[], dict[str, str]] = _REQUIRED, *,
                 checks: Iterable[Check] = ()) -> None:
        if isinstance(default, dict):
            default = dict(default).copy  # a fresh copy for every object
        super().__init__(default, checks=checks)

    def convert(self, value: Any, run: Run) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.refuse(value)
        failed = False
        for key, item in value.items():
            if not isinstance(key, str):
                run.at(str(key)).report(f"the name should be text, not {given(key)}")
                failed = True
            elif not isinstance(item, str):
                run.at(key).report(f"should be text, not {given(item)}")
                failed = True
        if failed:
            raise _Reported
        return dict(value)


class StrOrList(Option[str | list[str]]):
    """One piece of text, or a list of them (a pattern or several)."""

    expected = "text or a list of text"

    def convert(self, value: Any, run: Run) -> str | list[str]:
        if isinstance(value, str):
            return value
        if not isinstance(value, list | tuple):
            raise self.refuse(value)
        wrong = [index for index, item in enumerate(value) if not isinstance(item, str)]
        for index in wrong:  # each at its own index, as a list's items are
            run.at(index).report(f"should be text, not {given(value[index])}")
        if wrong:
            raise _Reported
        return list(value)


S = TypeVar("S", bound="Schema")


class Nested(Option[S]):
    """A mapping validated by another schema; its keys' problems carry this key's path."""

    def __init__(self, schema: type[S], default: S | Callable[[], S] = _REQUIRED, *,
                 checks: Iterable[Check] = ()) -> None:
        super().__init__(default, checks=checks)
        self.schema = schema
        self.expected = "a mapping of keys"

    def convert(self, value: Any, run: Run) -> S:
        if isinstance(value, self.schema):
            return value
        if not isinstance(value, dict):
            raise self.refuse(value)
        return self.schema.build(value, run)


class Schema:
    """Declare keys as `Option` class attributes; an object holds one validated value per key.

    Unknown keys are refused with a suggestion. `check` is run on an object whose keys are all
    valid, for rules across keys (pydantic's model validators).
    """

    strip_whitespace: ClassVar[bool] = False  # strip text values (pydantic's str_strip_whitespace)
    options: ClassVar[dict[str, Option[Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = {name: value for name, value in vars(cls).items() if isinstance(value, Option)}
        cls.options = {**cls.options, **declared}  # in declaration order, inherited keys first

    def __init__(self, **values: Any) -> None:
        """Build from keyword values, as a test or a default does; SchemaError if any is wrong."""
        problems: list[Problem] = []
        self._fill(values, Run(problems, strip=self.strip_whitespace))
        if problems:
            raise SchemaError(problems)

    @classmethod
    def validate(cls: type[S], raw: Any, context: Mapping[str, Any] | None = None) -> S:
        """The object for a mapping read from YAML; SchemaError listing every problem."""
        problems: list[Problem] = []
        run = Run(problems, context=context or {})
        try:
            if not isinstance(raw, dict):
                raise Invalid(f"should be a mapping of keys, not {given(raw)}")
            built = cls.build(raw, run)
        except Invalid as exc:
            run.report(str(exc))
        except _Reported:
            pass
        if problems:
            raise SchemaError(problems)
        return built

    @classmethod
    def build(cls: type[S], raw: Mapping[str, Any], run: Run) -> S:
        """Validate `raw` at `run.loc`; problems go to `run`, and _Reported is raised if any."""
        obj = cls.__new__(cls)
        found = len(run.problems)
        obj._fill(raw, Run(run.problems, run.context, run.loc, cls.strip_whitespace, {}))
        if len(run.problems) > found:
            raise _Reported
        return obj

    @classmethod
    def keys(cls) -> list[str]:
        """The keys the schema takes, in declaration order (the docs test reads them)."""
        return list(cls.options)

    def _fill(self, raw: Mapping[str, Any], run: Run) -> None:
        found = len(run.problems)
        for name, option in self.options.items():
            here = run.at(name)
            if name not in raw:
                if option.required:
                    here.report("required key is missing")
                else:
                    self.__dict__[name] = run.data[name] = option.default()
                continue
            try:
                self.__dict__[name] = run.data[name] = option.validate(raw[name], here)
            except Invalid as exc:
                here.report(str(exc))
            except _Reported:
                pass
        for name in raw:
            if name not in self.options:
                run.at(name).report(unknown_key(str(name), self.keys()))
        if len(run.problems) == found:
            try:
                self.check()
            except Invalid as exc:
                run.report(str(exc))

    def check(self) -> None:
        """Rules across keys; raise Invalid. Run only when every key is valid."""

    def replace(self: S, **changes: Any) -> S:
        """A copy with some keys changed, each validated like the original's."""
        values = {name: getattr(self, name) for name in self.options}
        return type(self)(**{**values, **changes})

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.options)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the pydantic models were

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.options)
        return f"{type(self).__name__}({values})"


def unknown_key(name: str, allowed: list[str]) -> str:
    """The message for a key the schema does not take, with the nearest valid key."""
    import difflib  # only a mistyped key needs it

    hint = difflib.get_close_matches(name, allowed, n=1)
    if hint:
        return f"unknown key; did you mean '{hint[0]}'?"
    return f"unknown key; valid keys: {', '.join(sorted(allowed))}"
