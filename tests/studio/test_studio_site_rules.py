"""How the studio writes a site rule: which site an article is from, and the rule's pattern."""

from __future__ import annotations

import re

from compiler.model import Article, ArticleMeta
from compiler.studio.site_rules import site_of, text_pattern


def test_the_pattern_takes_the_same_text_whatever_its_spacing_case_and_numbers() -> None:
    pattern = re.compile(text_pattern("© 2023 The Harbour Post. (All rights reserved.)"), re.IGNORECASE)
    assert pattern.search("© 2024 the  Harbour Post. (All rights reserved.)")
    assert not pattern.search("© 2024 The Harbour Post. (All rights reserved.) Reprinted with thanks.")
    assert not pattern.search("© 2024 The Harbour Posts (All rights reserved.)")


def test_a_site_is_its_host_else_its_publisher() -> None:
    fetched = Article(ArticleMeta(source="https://www.quayside.example/2024/tides", publisher="Quayside"), [])
    assert (site_of(fetched).slug, site_of(fetched).detect) == ("quayside-example", {"hosts": ["quayside.example"]})
    saved = Article(ArticleMeta(source="articles/tides.md", publisher="The Quayside Courier"), [])
    assert (site_of(saved).slug, site_of(saved).detect) == ("the-quayside-courier", {"text": r"The\ Quayside\ Courier"})
    assert site_of(Article(ArticleMeta(source="articles/tides.md"), [])) is None
