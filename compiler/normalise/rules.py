"""Rule packs: site knowledge as data, run by one executor.

A pack is a YAML file (`compiler/rules/*.yaml`, or a collection's own) holding a detector and
an ordered list of rules. A rule describes a *kind* of block (where it may stand, what its text
looks like, how long it may be) and either removes it as boilerplate or moves its facts into the
article's metadata. Rule ids are stable: the audit, the review report and `rules.disable` use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Literal, NamedTuple, get_args

import yaml
from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from ..collection.schema import Invalid, Schema, SchemaError, StrOrList, given
from ..errors import RulePackError
from ..model import Block, BlockKind
from ..resources import rules_dir
from .furniture import KINDS
from .metadata import FIELDS
from .site_repeats import RULE as REPEATED_RULE

Zone = Literal["head", "tail", "edge", "body", "any"]
ZONES: tuple[str, ...] = get_args(Zone)
TEXT_KINDS = [BlockKind.PARAGRAPH, BlockKind.HEADING]


def _patterns(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# Boilerplate changes case from year to year; a rule that cares can say (?-i:…).
FLAGS = re.IGNORECASE
# YAML's C parser when PyYAML was built with it: a few times quicker than the pure-Python one
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


GATE_MIN_CHARS = 2  # a required string shorter than this is in nearly every paragraph


class Gate(NamedTuple):
    """Lower-case strings one of which every text a pattern matches holds (at its start, when
    the pattern is anchored there). A substring test on the lower-cased block is far cheaper than
    a case-insensitive regex search, and most blocks hold none of a rule's words."""

    options: tuple[str, ...]
    at_start: bool

    def admits(self, lowered: str) -> bool:
        if self.at_start:
            return lowered.startswith(self.options)
        return any(option in lowered for option in self.options)


def pattern_gate(pattern: re.Pattern[str]) -> Gate | None:
    return source_gate(pattern.pattern, pattern.flags)


# Gates by pattern, for every rule set of this process. Reading a pattern's gate means parsing
# it, which for the first article a process normalises costs more than the article itself;
# a build hands in the gates of the last one (see known_gates), as they depend on nothing else.
_GATES: dict[tuple[str, int], Gate | None] = {}


def known_gates() -> dict[tuple[str, int], Gate | None]:
    return dict(_GATES)


def learn_gates(found: object) -> None:
    """Gates worked out by an earlier process (known_gates()); anything else is ignored."""
    if isinstance(found, dict):
        _GATES.update((key, gate) for key, gate in found.items()
                      if isinstance(key, tuple) and (gate is None or isinstance(gate, Gate)))


def source_gate(source: str, flags: int = FLAGS) -> Gate | None:
    """The gate of a pattern read from its source, without compiling it."""
    key = (source, flags)
    if key not in _GATES:
        _GATES[key] = _read_gate(source, flags)
    return _GATES[key]


def _read_gate(source: str, flags: int) -> Gate | None:
    try:
        items = list(re._parser.parse(source, flags))  # type: ignore[attr-defined]
    except Exception:  # a private module; without it every block is simply searched
        return None
    if items and str(items[0][0]) == "AT" and str(items[0][1]) == "AT_BEGINNING":
        leading = _leading(items[1:])
        if leading:
            return Gate(leading, at_start=True)
    options = _required(items)
    if options and min(len(option) for option in options) >= GATE_MIN_CHARS:
        return Gate(options, at_start=False)
    return None


def _leading(items: list[tuple[object, object]]) -> tuple[str, ...] | None:
    """Strings one of which every match of this sequence starts with."""
    if not items:
        return None
    op, arg = items[0]
    name = str(op)
    if name == "LITERAL":
        run = []
        for op, arg in items:
            if str(op) != "LITERAL":
                break
            run.append(chr(arg).lower())  # type: ignore[arg-type]
        return ("".join(run),)
    if name == "SUBPATTERN":
        return _leading(list(arg[3]))  # type: ignore[index]
    if name == "BRANCH":
        branches = [_leading(list(seq)) for seq in arg[1]]  # type: ignore[index]
        return tuple(sorted({o for b in branches for o in b})) if all(branches) else None  # type: ignore[union-attr]
    if name == "IN" and all(str(kind) == "LITERAL" for kind, _ in arg):  # type: ignore[attr-defined]
        return tuple(sorted({chr(code).lower() for _, code in arg}))  # type: ignore[attr-defined]
    return None


def _required(items: list[tuple[object, object]]) -> tuple[str, ...] | None:
    """Strings one of which every match of this sequence holds: the most selective set found."""
    best: tuple[str, ...] | None = None
    run: list[str] = []

    def consider(options: tuple[str, ...] | None) -> None:
        nonlocal best
        if options and (best is None or min(map(len, options)) > min(map(len, best))):
            best = options

    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(arg).lower())  # type: ignore[arg-type]
            continue
        consider(("".join(run),) if run else None)
        run = []
        if name == "SUBPATTERN":
            consider(_required(list(arg[3])))  # type: ignore[index]
        elif name == "BRANCH":
            branches = [_required(list(seq)) for seq in arg[1]]  # type: ignore[index]
            if all(branches):
                consider(tuple(sorted({option for branch in branches for option in branch})))  # type: ignore[union-attr]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[0] >= 1:  # type: ignore[index]
            consider(_required(list(arg[2])))  # type: ignore[index]
    consider(("".join(run),) if run else None)
    return best


class Screen(NamedTuple):
    """A rule's test of the lower-cased text before any regex: the text starts with one of
    `starts` or holds one of `holds`. It exists only when every pattern of the rule has a gate."""

    starts: tuple[str, ...]
    holds: tuple[str, ...]

    def admits(self, lowered: str) -> bool:
        return lowered.startswith(self.starts) or any(option in lowered for option in self.holds)


def _fewest(options: set[str]) -> set[str]:
    """The options, less those that hold another: a text holding "donate" holds "donat"."""
    return {option for option in options if not any(other != option and other in option for other in options)}


class Patterns:
    """A rule's or a detector's regexes, each compiled the first time it is searched with.

    Compiling every pattern of every pack was most of the time a rule set took to load, while
    an article needs few of them: a rule's required words usually turn a block away first, and
    a site pack's rules are never tried on another site's articles.
    """

    def __init__(self, sources: list[str]) -> None:
        self.sources = tuple(sources)
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def __iter__(self) -> Iterator[re.Pattern[str]]:
        return (self[number] for number in range(len(self.sources)))

    def __getitem__(self, number: int) -> re.Pattern[str]:
        compiled = self._compiled[number]
        if compiled is None:
            compiled = self._compiled[number] = re.compile(self.sources[number], FLAGS)
        return compiled

    def found_in(self, text: str) -> bool:
        """Is any of the patterns found in `text`?"""
        return bool(self.sources) and any(pattern.search(text) for pattern in self)


def _check_regexes(cls: type, value: str | list[str] | None, info: ValidationInfo) -> str | list[str] | None:
    """Refuse a pack whose regex does not compile, naming the pattern.

    The shipped packs are loaded with context {"shipped": True} and skip this: compiling each of
    their patterns at load was most of the loading time, and tests/normalise/test_rule_packs.py
    compiles every one of them.
    """
    if (info.context or {}).get("shipped"):
        return value
    for pattern in _patterns(value):
        try:
            re.compile(pattern, FLAGS)  # with the flags it is used with: re's cache keeps it
        except re.error as exc:
            raise Invalid(f"bad regular expression {pattern!r}: {exc}") from None
    return value


def _id_form(pattern: str, form: str) -> classmethod:  # type: ignore[type-arg]
    """A check that an id is written as `pattern` says; the message gives `form` in words."""

    def check(cls: type, value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise Invalid(f"should be {form}, not {given(value)}")
        return value

    return classmethod(check)


class _Spec(Schema):
    """The rule pack schemas: unknown keys are refused; text is kept as written (patterns)."""

    model_config = ConfigDict(extra="forbid")


class SpanSpec(_Spec):
    """Blocks after the matched one that go with it, up to the block `until` matches."""

    until: StrOrList = Field(description="The block that ends the span (removed too).")
    max_blocks: int = Field(12, ge=1, le=60)

    _until = field_validator("until")(classmethod(_check_regexes))  # type: ignore[arg-type]


class RuleSpec(_Spec):
    """One rule: the kind of block it finds, and what it extracts from it."""

    id: str = Field(description="PACK.NAME in lower-case letters, digits and hyphens, e.g. 'generic.copyright'.")
    reason: str
    zone: Zone = "edge"
    match: StrOrList | None = Field(None, description="Any of these regexes found in the block's text.")
    unless: StrOrList | None = Field(None, description="None of these may be found.")
    max_words: int | None = Field(80, description="Boilerplate is short; a long paragraph is the author's.")
    min_words: int = 0
    kinds: list[BlockKind] = Field(default_factory=lambda: list(TEXT_KINDS))
    link_only: bool = Field(False, description="The block's text is nothing but link text.")
    empty: bool = Field(False, description="The block has no text (a divider).")
    first: bool = Field(False, description="Only the first block of the input.")
    span: SpanSpec | None = None
    extract: dict[str, str] = Field(default_factory=dict)

    _id = field_validator("id")(_id_form(r"[a-z0-9-]+\.[a-z0-9-]+", "PACK.NAME in lower-case letters, digits and "
                                         "hyphens, e.g. 'generic.copyright'"))
    _patterns = field_validator("match", "unless")(classmethod(_check_regexes))  # type: ignore[arg-type]

    @field_validator("extract")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise Invalid(f"unknown metadata field(s) {unknown}; valid: {sorted(FIELDS)}")
        return value


class DetectSpec(_Spec):
    """How a site pack knows an article is from its site."""

    text: StrOrList | None = Field(None, description="Found in the head or tail of the article.")
    hosts: list[str] = Field(default_factory=list, description="The source URL's host ends with one of these.")

    _text = field_validator("text")(classmethod(_check_regexes))  # type: ignore[arg-type]


class PackSpec(_Spec):
    """A rule pack file."""

    id: str
    name: str
    description: str = ""
    detect: DetectSpec | None = Field(None, description="No detector: the pack always applies (the generic pack).")
    rules: list[RuleSpec]

    _id = field_validator("id")(_id_form(r"[a-z0-9-]+", "lower-case letters, digits and hyphens, e.g. 'generic'"))


@dataclass(eq=False)  # a rule is itself: hashed by identity, so rule lists can key caches
class Rule:
    spec: RuleSpec
    pack: str

    def __post_init__(self) -> None:
        spec = self.spec
        self.match = Patterns(_patterns(spec.match))
        self.unless = Patterns(_patterns(spec.unless))
        self.until = Patterns(_patterns(spec.span.until) if spec.span else [])
        self.kinds = frozenset(spec.kinds)
        self.max_words = spec.max_words if spec.max_words is not None else 1 << 30

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def gates(self) -> list[Gate | None]:
        """Each match pattern's gate (None: the pattern is always searched)."""
        return [source_gate(source) for source in self.match.sources]

    @cached_property
    def screen(self) -> Screen | None:
        """The words the rule needs, when every pattern needs some: most blocks hold none."""
        gates = self.gates
        if not gates or not all(gates):
            return None
        holds = _fewest({option for gate in gates if not gate.at_start for option in gate.options})  # type: ignore[union-attr]
        starts = {option for gate in gates if gate.at_start for option in gate.options}  # type: ignore[union-attr]
        # a start that holds one of `holds` adds nothing: the text holds that one too
        starts = {option for option in starts if not any(held in option for held in holds)}
        return Screen(tuple(sorted(starts)), tuple(sorted(holds)))

    @cached_property
    def _until_gates(self) -> list[Gate | None]:
        return [source_gate(source) for source in self.until.sources]

    def ends_span(self, text: str, lowered: str) -> bool:
        """Does this block (its text, and that in lower case) end the rule's span?"""
        for number, gate in enumerate(self._until_gates):
            if (gate is None or gate.admits(lowered)) and self.until[number].search(text):
                return True
        return False

    def takes(self, kind: BlockKind, words: int) -> bool:
        """The tests on a block's kind and length alone."""
        spec = self.spec
        return kind in self.kinds and spec.empty == (words == 0) and spec.min_words <= words <= self.max_words

    def matches_text(self, block: Block, words: int | None = None, lowered: str | None = None) -> re.Match[str] | None:
        """The regex part of the test, or a match on the whole text for rules with no regex.

        `words` and `lowered` (the text in lower case) are passed by callers that already have them.
        """
        if not self.takes(block.kind, block.words if words is None else words):
            return None
        if lowered is None:
            lowered = block.text.lower()
        screen = self.screen
        if screen is not None and not screen.admits(lowered):
            return None
        return self.search_text(block, lowered)

    def search_text(self, block: Block, lowered: str) -> re.Match[str] | None:
        """The test after `takes` and the screen: the link test, the patterns and `unless`."""
        if self.spec.link_only and not is_link_only(block):
            return None
        found = self._search(block.text, lowered)
        if found is None or self.unless.found_in(block.text):
            return None
        return found

    def _search(self, text: str, lowered: str) -> re.Match[str] | None:
        if not self.match.sources:
            return _WHOLE.match(text)
        for number, gate in enumerate(self.gates):
            if gate is not None and not gate.admits(lowered):
                continue  # none of the words this pattern needs is in the text
            found = self.match[number].search(text)
            if found:
                return found
        return None


_WHOLE = re.compile(r"(?s).*")
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def is_link_only(block: Block) -> bool:
    if "<a" not in block.html:
        return False  # no link, so no link text (most blocks; the regexes below are not cheap)
    link_text = "".join(_TAG.sub("", m) for m in _LINK.findall(block.html))
    rest = _LINK.sub("", block.html)
    rest = _TAG.sub("", rest)
    return bool(link_text.strip()) and not re.sub(r"[\s,.;:|·•&]+", "", rest)


@dataclass
class Pack:
    spec: PackSpec
    rules: list[Rule]
    origin: str

    def __post_init__(self) -> None:
        self.detect_text = Patterns(_patterns(self.spec.detect.text) if self.spec.detect else [])

    @cached_property
    def _detect_gates(self) -> list[Gate | None]:
        return [source_gate(source) for source in self.detect_text.sources]

    def signed(self, edges: str, lowered_edges: str) -> bool:
        """Is the site's signature in this text? A pattern is searched only when the words it
        needs are there: a case-insensitive search of a whole article is slow, a substring test is not.
        (A gate at the start is not trusted here: a detector may say (?m)^, at any line's start.)"""
        for number, gate in enumerate(self._detect_gates):
            if gate is not None and not gate.admits(lowered_edges) and not gate.at_start:
                continue
            if self.detect_text[number].search(edges):
                return True
        return False

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass
class RuleSet:
    """The packs an article is normalised with: site packs in order, the generic pack last."""

    packs: list[Pack]
    disabled: frozenset[str] = field(default_factory=frozenset)

    @property
    def generic(self) -> list[Pack]:
        return [p for p in self.packs if p.spec.detect is None]

    @property
    def sites(self) -> list[Pack]:
        return [p for p in self.packs if p.spec.detect is not None]


def load_pack(path: Path, shipped: bool = False) -> Pack:
    """One pack from its YAML file; `shipped` (the package's own packs) skips compiling regexes."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # a safe loader
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: cannot read rule pack: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise RulePackError(f"{path}{where}: YAML syntax error in rule pack") from None
    try:
        spec = PackSpec.load(raw, context={"shipped": shipped})
    except SchemaError as exc:
        problems = [f"{path}: {problem.key}: {problem.message}" for problem in exc.problems]
        raise RulePackError(f"{path}: invalid rule pack", problems) from None
    rules = [Rule(spec=rule, pack=spec.id) for rule in spec.rules]
    return Pack(spec=spec, rules=rules, origin=str(path))


@cache
def builtin_packs() -> tuple[Pack, ...]:
    """The packs shipped with the package, site packs first (by file name), generic last."""
    paths = sorted(rules_dir().glob("*.yaml"))
    packs = [load_pack(p, shipped=True) for p in paths]
    _check_unique_ids(packs)
    return tuple(sorted(packs, key=lambda p: p.spec.detect is None))


def rule_set(extra_pack_paths: list[Path] = (), disabled: list[str] = ()) -> RuleSet:  # type: ignore[assignment]
    extra = [load_pack(p) for p in extra_pack_paths]
    # a collection's own packs come first, so they can claim a block before a shipped rule does
    packs = extra + list(builtin_packs())
    _check_unique_ids(packs)
    # the general mechanisms' ids can be switched off like a rule's
    known = {rule.id for pack in packs for rule in pack.rules} | {kind.id for kind in KINDS} | {REPEATED_RULE}
    unknown = sorted(set(disabled) - known)
    if unknown:
        raise RulePackError(f"rules.disable: unknown rule id(s): {', '.join(unknown)}")
    return RuleSet(packs=packs, disabled=frozenset(disabled))


def _check_unique_ids(packs: list[Pack]) -> None:
    seen: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise RulePackError(f"{pack.origin}: rule id {rule.id} is already used in {seen[rule.id]}")
            seen[rule.id] = pack.origin
