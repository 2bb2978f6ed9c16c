"""Rule packs: site knowledge as data, run by one executor.

A pack is a YAML file (`compiler/rules/*.yaml`, or a collection's own) holding a detector and
an ordered list of rules. A rule describes a *kind* of block (where it may stand, what its text
looks like, how long it may be) and either removes it as boilerplate or moves its facts into the
article's metadata. Rule ids are stable: the audit, the review report and `rules.disable` use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import RulePackError
from ..model import Block, BlockKind
from ..resources import rules_dir

Zone = Literal["head", "tail", "edge", "body", "any"]
TEXT_KINDS = [BlockKind.PARAGRAPH, BlockKind.HEADING]


def _patterns(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _compile(patterns: list[str]) -> list[re.Pattern[str]]:
    # Boilerplate changes case from year to year; a rule that cares can say (?-i:…).
    return [re.compile(p, re.IGNORECASE) for p in patterns]


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
    try:
        items = list(re._parser.parse(pattern.pattern, pattern.flags))  # type: ignore[attr-defined]
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


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class SpanSpec(_Spec):
    until: str | list[str]  # the block that ends the span (removed too)
    max_blocks: int = Field(12, ge=1, le=60)


class RuleSpec(_Spec):
    id: str = Field(pattern=r"^[a-z0-9-]+\.[a-z0-9-]+$")
    reason: str
    zone: Zone = "edge"
    match: str | list[str] | None = None  # any of these regexes found in the block's text
    unless: str | list[str] | None = None  # none of these may be found
    max_words: int | None = 80  # boilerplate is short; a long paragraph is the author's
    min_words: int = 0
    kinds: list[BlockKind] = Field(default_factory=lambda: list(TEXT_KINDS))
    link_only: bool = False  # the block's text is nothing but link text
    empty: bool = False  # the block has no text (a divider)
    first: bool = False  # only the first block of the input
    span: SpanSpec | None = None
    extract: dict[str, str] = {}

    @field_validator("match", "unless")
    @classmethod
    def _valid_regexes(cls, value: str | list[str] | None) -> str | list[str] | None:
        for pattern in _patterns(value):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return value

    @field_validator("extract")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        from .metadata import FIELDS

        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown metadata field(s) {unknown}; valid: {sorted(FIELDS)}")
        return value


class DetectSpec(_Spec):
    text: str | list[str] | None = None  # found in the head or tail of the article
    hosts: list[str] = []  # the source URL's host ends with one of these


class PackSpec(_Spec):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    description: str = ""
    detect: DetectSpec | None = None  # no detector: the pack always applies (the generic pack)
    rules: list[RuleSpec]


@dataclass(eq=False)  # a rule is itself: hashed by identity, so rule lists can key caches
class Rule:
    spec: RuleSpec
    pack: str
    match: list[re.Pattern[str]]
    unless: list[re.Pattern[str]]
    until: list[re.Pattern[str]]

    def __post_init__(self) -> None:
        self._kinds = frozenset(self.spec.kinds)
        self._max_words = self.spec.max_words if self.spec.max_words is not None else 1 << 30
        self._gates = [pattern_gate(pattern) for pattern in self.match]  # one per pattern, or None
        # the words one of which the rule needs, when every pattern needs some: most blocks hold none
        gated = bool(self._gates) and all(self._gates)
        self._gate = tuple(sorted({o for gate in self._gates for o in gate.options})) if gated else None  # type: ignore[union-attr]

    @property
    def id(self) -> str:
        return self.spec.id

    def matches_text(self, block: Block, words: int | None = None, lowered: str | None = None) -> re.Match[str] | None:
        """The regex part of the test, or a match on the whole text for rules with no regex.

        `words` and `lowered` (the text in lower case) are passed by callers that already have them.
        """
        spec = self.spec
        if block.kind not in self._kinds:
            return None
        if words is None:
            words = block.words
        if spec.empty != (words == 0) or words < spec.min_words or words > self._max_words:
            return None
        if lowered is None:
            lowered = block.text.lower()
        if self._gate is not None:
            for option in self._gate:
                if option in lowered:
                    break
            else:
                return None
        if spec.link_only and not is_link_only(block):
            return None
        found = self._search(block.text, lowered)
        if found is None or any(p.search(block.text) for p in self.unless):
            return None
        return found

    def _search(self, text: str, lowered: str) -> re.Match[str] | None:
        if not self.match:
            return _WHOLE.match(text)
        for pattern, gate in zip(self.match, self._gates, strict=True):
            if gate is not None and not gate.admits(lowered):
                continue  # none of the words this pattern needs is in the text
            found = pattern.search(text)
            if found:
                return found
        return None


_WHOLE = re.compile(r"(?s).*")
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def is_link_only(block: Block) -> bool:
    link_text = "".join(_TAG.sub("", m) for m in _LINK.findall(block.html))
    rest = _LINK.sub("", block.html)
    rest = _TAG.sub("", rest)
    return bool(link_text.strip()) and not re.sub(r"[\s,.;:|·•&]+", "", rest)


_detect_gate = cache(pattern_gate)


@dataclass
class Pack:
    spec: PackSpec
    rules: list[Rule]
    detect_text: list[re.Pattern[str]]

    def signed(self, edges: str, lowered_edges: str) -> bool:
        """Is the site's signature in this text? A pattern is searched only when the words it
        needs are there: a case-insensitive search of a whole article is slow, a substring test is not."""
        for pattern in self.detect_text:
            gate = _detect_gate(pattern)
            if gate is not None and not gate.admits(lowered_edges) and not gate.at_start:
                continue
            if pattern.search(edges):
                return True
        return False
    origin: str

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


def load_pack(path: Path) -> Pack:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: cannot read rule pack: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise RulePackError(f"{path}{where}: YAML syntax error in rule pack") from None
    try:
        spec = PackSpec.model_validate(raw)
    except ValidationError as exc:
        from ..manifest import key_path

        problems = [f"{path}: {key_path(tuple(e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise RulePackError(f"{path}: invalid rule pack", problems) from None
    rules = [
        Rule(
            spec=rule,
            pack=spec.id,
            match=_compile(_patterns(rule.match)),
            unless=_compile(_patterns(rule.unless)),
            until=_compile(_patterns(rule.span.until)) if rule.span else [],
        )
        for rule in spec.rules
    ]
    detect = _compile(_patterns(spec.detect.text)) if spec.detect else []
    return Pack(spec=spec, rules=rules, detect_text=detect, origin=str(path))


@cache
def builtin_packs() -> tuple[Pack, ...]:
    """The packs shipped with the package, site packs first (by file name), generic last."""
    paths = sorted(rules_dir().glob("*.yaml"))
    packs = [load_pack(p) for p in paths]
    _check_unique_ids(packs)
    return tuple(sorted(packs, key=lambda p: p.spec.detect is None))


def rule_set(extra_pack_paths: list[Path] = (), disabled: list[str] = ()) -> RuleSet:  # type: ignore[assignment]
    extra = [load_pack(p) for p in extra_pack_paths]
    # a collection's own packs come first, so they can claim a block before a shipped rule does
    packs = extra + list(builtin_packs())
    _check_unique_ids(packs)
    known = {rule.id for pack in packs for rule in pack.rules}
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
