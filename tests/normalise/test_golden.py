"""Golden cases: one folder per rule id under golden/ (a rule of a shipped pack, or a kind of
page furniture in compiler.normalise.furniture.KINDS), each a small invented article holding
the kind of block the rule targets, and an expect.yaml written by hand:

- removed: [{rule, text}] — a block that rule must have taken out, and a bit of its text
- meta: fields of `anthology normalise --json` that must have these values
- body_has / body_lacks: phrases that must remain in / be gone from the body
- html_has: markup that must be in the body's XHTML
- sites: the packs that must have been applied, in order
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.commands.normalise import article_json
from compiler.normalise.furniture import KINDS
from compiler.resources import rules_dir

GOLDEN = Path(__file__).resolve().parent / "golden"

KEYS = {"removed", "meta", "body_has", "body_lacks", "html_has", "sites"}
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())


def shipped_rule_ids() -> set[str]:
    ids = set()
    for path in rules_dir().glob("*.yaml"):
        pack = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids.update(rule["id"] for rule in pack["rules"])
    return ids


def test_every_rule_has_a_golden_case() -> None:
    ids = shipped_rule_ids()
    assert len(ids) >= 25
    missing = sorted(ids - {case.name for case in CASES})
    assert not missing, f"rules without a golden case in {GOLDEN}: {missing}"


def furniture_kind_ids() -> set[str]:
    return {kind.id for kind in KINDS}


def test_every_furniture_kind_has_a_golden_case() -> None:
    ids = furniture_kind_ids()
    assert len(ids) == len(KINDS), "two kinds of furniture share an id"
    assert not ids & shipped_rule_ids(), f"ids both a rule's and a kind's: {sorted(ids & shipped_rule_ids())}"
    missing = sorted(ids - {case.name for case in CASES})
    assert not missing, f"kinds of furniture without a golden case in {GOLDEN}: {missing}"


def test_every_golden_case_names_a_rule() -> None:
    stale = sorted({case.name for case in CASES} - shipped_rule_ids() - furniture_kind_ids())
    assert not stale, f"golden cases for rules that do not exist: {stale}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path, normalise_file) -> None:  # type: ignore[no-untyped-def]
    expect: dict[str, Any] = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))
    assert set(expect) <= KEYS, f"unknown keys in {case}/expect.yaml: {set(expect) - KEYS}"
    assert expect.get("removed"), "a golden case must show its rule removing something"

    article = normalise_file(case / "input.md")
    data = article_json(article)

    for wanted in expect["removed"]:
        assert wanted["rule"] == case.name or wanted["rule"] in {r["rule"] for r in data["removed"]}
        hits = [r for r in data["removed"] if r["rule"] == wanted["rule"] and wanted["text"] in r["text"]]
        assert hits, f"{wanted['rule']} did not remove a block with {wanted['text']!r}: {data['removed']}"
    assert case.name in {r["rule"] for r in data["removed"]}

    assert_body_and_meta(expect, data)
    if "sites" in expect:
        assert article.sites == expect["sites"]
    assert data["body_text"], "the article's own words must survive"


def assert_body_and_meta(expect: dict[str, Any], data: dict[str, Any]) -> None:
    """The metadata, the phrases the body keeps and lacks, and the markup it has, as expect.yaml says."""
    for field, value in (expect.get("meta") or {}).items():
        assert data[field] == value, f"{field}: {data[field]!r} != {value!r}"
    for phrase in expect.get("body_has") or []:
        assert phrase in data["body_text"], phrase
    for phrase in expect.get("body_lacks") or []:
        assert phrase.lower() not in data["body_text"].lower(), phrase
        assert phrase.lower() not in data["body_html"].lower(), phrase
    for markup in expect.get("html_has") or []:
        assert markup in data["body_html"], markup
