"""Site rules that the general mechanisms made unnecessary, kept as cases the mechanisms must meet.

Each folder under covered/ was once a site rule's golden case (its name is the retired rule's
id). The rule is gone because the page's structure and the kinds of furniture remove the same
block; these cases check that they still do, and that the facts the rule moved still reach the
metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_golden import assert_body_and_meta

from compiler.commands.normalise import article_json

COVERED = Path(__file__).resolve().parent / "covered"
CASES = sorted(p for p in COVERED.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_retired_site_rules_block_is_still_removed(case: Path, normalise_file) -> None:  # type: ignore[no-untyped-def]
    expect: dict[str, Any] = yaml.safe_load((case / "expect.yaml").read_text(encoding="utf-8"))
    data = article_json(normalise_file(case / "input.md"))
    for wanted in expect["removed"]:
        assert wanted["text"].lower() not in data["body_text"].lower(), wanted
        assert any(wanted["text"] in removal["text"] for removal in data["removed"]), wanted
    assert_body_and_meta(expect, data)
