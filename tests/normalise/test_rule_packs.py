"""Loading rule packs: the shipped ones without compiling their regexes, a collection's own with
every regex checked, so that a broken pattern is reported with its file before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.errors import RulePackError
from compiler.model import Block, BlockKind
from compiler.normalise.rules import builtin_packs, load_pack
from compiler.readers.markdown import parse_blocks
from compiler.resources import rules_dir

SHIPPED = sorted(rules_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_every_shipped_pattern_compiles(path: Path) -> None:
    """The shipped packs skip the regex check at load (it was most of the loading time): it is here."""
    pack = load_pack(path)  # as a collection's own pack: every regex checked
    patterns = [*pack.detect_text, *(p for rule in pack.rules for p in [*rule.match, *rule.unless, *rule.until])]
    assert all(pattern.pattern for pattern in patterns)


def test_a_regex_is_compiled_when_first_searched_with() -> None:
    path = rules_dir() / "generic.yaml"
    pack = load_pack(path, shipped=True)
    rule = next(rule for rule in pack.rules if rule.id == "generic.copyright")
    assert rule.match._compiled == [None]
    block = Block(kind=BlockKind.PARAGRAPH, html="<p>Copyright © 2021 A. Writer</p>", text="Copyright © 2021 A. Writer")
    assert rule.matches_text(Block(kind=BlockKind.PARAGRAPH, html="<p>Prose.</p>", text="Prose.")) is None
    assert rule.match._compiled == [None]  # its required words turned the block away first
    assert rule.matches_text(block) is not None
    assert rule.match._compiled[0] is not None


def test_shipped_packs_load_without_compiling() -> None:
    packs = [load_pack(path, shipped=True) for path in SHIPPED]
    patterns = [p for pack in packs for rule in pack.rules for p in (rule.match, rule.unless, rule.until)]
    patterns += [pack.detect_text for pack in packs]
    assert all(p._compiled == [None] * len(p) for p in patterns)
    assert [pack.id for pack in builtin_packs()][-1] == "generic"


@pytest.mark.parametrize(
    ("where", "pack"),
    [
        ("rules[0].match", "rules:\n  - id: house.a\n    reason: r\n    match: '(unclosed'\n"),
        ("rules[0].unless", "rules:\n  - id: house.a\n    reason: r\n    unless: '[unclosed'\n"),
        ("rules[0].span.until", "rules:\n  - id: house.a\n    reason: r\n    match: a\n    span: {until: '(?P<x'}\n"),
        ("detect.text", "detect: {text: '*oops'}\nrules:\n  - id: house.a\n    reason: r\n    match: a\n"),
    ],
)
def test_a_collection_pack_with_a_bad_regex_is_refused_at_load(tmp_path: Path, where: str, pack: str) -> None:
    path = tmp_path / "house.yaml"
    path.write_text(f"id: house\nname: House\n{pack}", encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    assert any(where in problem and "bad regular expression" in problem for problem in caught.value.problems)


def test_span_ends_are_found_past_their_gates() -> None:
    """A span's `until` patterns are searched only in blocks holding their required words; that
    must never miss a block the pattern matches. Checked on every block the project's articles
    and golden cases have, as written and in capitals, for every shipped `until` pattern."""
    here = Path(__file__).resolve().parent
    paths = [*(here.parents[1] / "tests" / "fixtures" / "articles").glob("*.md"), *here.glob("golden/*/input.md")]
    texts = [b.text for p in paths for b in parse_blocks(p.read_text(encoding="utf-8"))]
    texts += ["Price: $9.95", "List price : 12 €", "Click here to order", "Tap to download", "Order now!", "buy today",
              "Cliquez ici pour commander", "Haga clic aquí para comprar", "https://example.org/a", "www.example.org/b"]
    texts += [text.upper() for text in texts]
    rules = [rule for path in SHIPPED for rule in load_pack(path, shipped=True).rules if len(rule.until)]
    assert rules
    checked = 0
    for rule in rules:
        for text in texts:
            if any(pattern.search(text) for pattern in rule.until):
                checked += 1
                assert rule.ends_span(text, text.lower()), (rule.id, text)
    assert checked > 10
