"""The attribution note's parts: their kinds and order, the text they join into, and the markup
that links the source from the part's url (never from the sentence's text)."""

from __future__ import annotations

import datetime as dt

import pytest

from compiler.book.attribution import AttributionPart, attribution_parts, attribution_text
from compiler.book.templating import Renderer
from compiler.model import ArticleMeta, OriginalSource

REPUBLISHED = ArticleMeta(
    title="Rivers", authors=["Ann Lee", "Bo Chen"], date=dt.date(2024, 3, 2), publisher="The Republisher",
    original_source=OriginalSource(name="The Original", date=dt.date(2023, 1, 5), url="https://original.example/r"),
    copyright="© 2023 Ann Lee", licence="CC BY 4.0", url="https://republisher.example/r")


def kinds(meta: ArticleMeta) -> list[str]:
    return [part.kind for part in attribution_parts(meta)]


def sentences(meta: ArticleMeta) -> str:
    """The note's sentences as the books' templates write them."""
    template = Renderer("html").env.from_string('{% import "attribution.xhtml" as a %}{{ a.sentences(meta) }}')
    return template.render(meta=meta)


def test_an_original_source_and_a_republisher_in_reading_order() -> None:
    parts = attribution_parts(REPUBLISHED)
    assert [part.kind for part in parts] == ["title", "first-published", "republished", "copyright", "licence",
                                             "source"]
    assert parts[1] == AttributionPart("first-published", "First published by The Original on 5 January 2023.")
    assert parts[2].text == "Republished by The Republisher on 2 March 2024."
    # The original's address is the source, not the republished copy's.
    assert parts[-1] == AttributionPart("source", "Source: https://original.example/r", "https://original.example/r")
    assert all(part.url is None for part in parts[:-1])


def test_an_article_with_only_a_date() -> None:
    parts = attribution_parts(ArticleMeta(date=dt.date(2021, 7, 9)))
    assert parts == [AttributionPart("title", "This article."),
                     AttributionPart("published", "Published on 9 July 2021.")]


def test_a_web_page_source_is_the_source_part_with_its_url() -> None:
    meta = ArticleMeta(title="T", publisher="Site", permission="Reprinted with permission.",
                       source="https://site.example/t")
    parts = attribution_parts(meta)
    assert kinds(meta) == ["title", "first-published", "permission", "source"]
    assert parts[-1].url == "https://site.example/t" and parts[-1].text == "Source: https://site.example/t"
    # A saved file is no source to name.
    assert kinds(ArticleMeta(title="T", source="articles/t.md")) == ["title"]


@pytest.mark.parametrize("meta", [REPUBLISHED, ArticleMeta(date=dt.date(2021, 7, 9)), ArticleMeta(title="T"),
                                  ArticleMeta(title="T", authors=["A"], source="https://site.example/t")])
def test_the_text_is_the_parts_joined(meta: ArticleMeta) -> None:
    assert attribution_text(meta) == " ".join(part.text for part in attribution_parts(meta))


def test_the_text_reads_as_one_paragraph() -> None:
    assert attribution_text(REPUBLISHED) == (
        "“Rivers” by Ann Lee and Bo Chen. First published by The Original on 5 January 2023. "
        "Republished by The Republisher on 2 March 2024. © 2023 Ann Lee. Licence: CC BY 4.0. "
        "Source: https://original.example/r")


def test_the_note_links_the_source_url_of_the_part() -> None:
    html = sentences(REPUBLISHED)
    assert ('<span class="attribution-source">Source: <a class="url" href="https://original.example/r">'
            "https://original.example/r</a></span>") in html
    assert html.count("<a ") == 1


def test_a_sentence_that_only_looks_like_a_source_is_not_linked() -> None:
    # A copyright line reading like a source line is text: only the source part carries a url.
    meta = ArticleMeta(title="T", copyright="Source: https://elsewhere.example/x", url="https://site.example/t")
    html = sentences(meta)
    assert "Source: https://elsewhere.example/x." in html and 'href="https://elsewhere.example' not in html
    assert html.count("<a ") == 1 and 'href="https://site.example/t"' in html


def test_a_source_that_is_no_web_address_is_named_not_linked() -> None:
    meta = ArticleMeta(title="T", original_source=OriginalSource(name="Print Weekly", url="printweekly.example/t"))
    part = attribution_parts(meta)[-1]
    assert part == AttributionPart("source", "Source: printweekly.example/t", None)
    html = sentences(meta)
    assert "Source: printweekly.example/t" in html and "<a " not in html
