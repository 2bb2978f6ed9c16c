"""The executor's judgement of where an article's own words are, and the metadata parsers.

Articles here are tiny invented scrapes written inline; each expectation is read off them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from compiler.model import Block, BlockKind
from compiler.normalise.metadata import parse_date, split_names
from compiler.normalise.repair import rejoin_split_paragraphs

BODY = [
    "The harbour master has kept a log of every ship entering the bay since 1998, written by hand in ledgers.",
    "Historians at the county archive want to digitise the ledgers before the ink fades, and ask for volunteers.",
    "Each volunteer transcribes one month at a time, and the first three years are already online to search.",
]


def test_a_long_title_does_not_pull_the_head_into_the_body(write_article, normalise_file) -> None:  # type: ignore[no-untyped-def]
    title = "What the Harbour Master's Ledgers Tell Us About Thirty Years of Shipping in the Bay"
    assert len(title.split()) >= 12
    article = normalise_file(write_article(
        title, "By Agnieszka Nowak", "The Bay Herald, May 3, 2021", "Tags: shipping, archives",
        "Subscribe to our newsletter for weekly updates from the bay.", *BODY,
    ))
    assert article.meta.title == title
    assert article.meta.authors == ["Agnieszka Nowak"]
    assert article.meta.publisher == "The Bay Herald"
    assert article.body_text.startswith("The harbour master has kept a log")
    assert "Subscribe" not in article.body_text


def test_an_unknown_long_block_among_the_tail_does_not_shield_known_boilerplate(
    write_article, normalise_file  # type: ignore[no-untyped-def]
) -> None:
    blurb = "Our bookshop stocks every title mentioned in this series, and members get a discount on a first parcel."
    article = normalise_file(write_article(
        "The Ledgers of the Bay", "By Agnieszka Nowak", *BODY, "*",
        "Note to readers: we read every letter, and publish a selection each month.",
        "Comment on this story on our Facebook page.",
        blurb,
        "© 2021 The Bay Herald",
        "Disclaimer: the views of contributors are their own.",
    ))
    removed = {r.rule for r in article.removed}
    assert {"generic.note-to-readers", "generic.social-follow", "generic.copyright", "generic.disclaimer"} <= removed
    assert "Note to readers" not in article.body_text
    assert "Facebook" not in article.body_text
    assert article.meta.copyright == "© 2021 The Bay Herald"
    # the blurb is nothing any rule knows, so it stays: the normaliser only removes what a rule names
    assert article.body_text.endswith(blurb)


def test_the_articles_own_sentences_about_newsletters_and_social_media_stay(
    write_article, normalise_file  # type: ignore[no-untyped-def]
) -> None:
    first = ("When the harbour board's newsletter reached subscribers in March, it announced that the ledgers "
             "would be thrown away.")
    last = ("Volunteers now post a page a day on Instagram, and the board's own account follows them, which they "
            "take as a kind of apology.")
    article = normalise_file(write_article("The Ledgers of the Bay", "By Agnieszka Nowak", first, *BODY, last))
    assert article.body_text.startswith(first)
    assert article.body_text.endswith(last)
    assert [r.rule for r in article.removed] == ["generic.title", "generic.byline"]


def test_a_section_break_inside_the_body_is_kept(write_article, normalise_file) -> None:  # type: ignore[no-untyped-def]
    article = normalise_file(write_article("The Ledgers of the Bay", BODY[0], "* * *", BODY[1], BODY[2]))
    assert [b.kind for b in article.blocks] == [
        BlockKind.PARAGRAPH, BlockKind.SEPARATOR, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("November 16, 2021", dt.date(2021, 11, 16)),
        ("Global Research, March 04, 2019", dt.date(2019, 3, 4)),
        ("Sept. 4, 2019", dt.date(2019, 9, 4)),
        ("16 November 2021", dt.date(2021, 11, 16)),
        ("2021-11-16", dt.date(2021, 11, 16)),
        ("Mondialisation.ca, 16 novembre 2021", dt.date(2021, 11, 16)),
        ("1er décembre 2020", dt.date(2020, 12, 1)),
        ("3 août 2019", dt.date(2019, 8, 3)),
        ("15 de marzo de 2022", dt.date(2022, 3, 15)),
        ("martes, 1 de febrero de 2022", dt.date(2022, 2, 1)),
        ("16. November 2021", dt.date(2021, 11, 16)),
        ("12. März 2020", dt.date(2020, 3, 12)),
        ("7 settembre 2018", dt.date(2018, 9, 7)),
        ("9 de dezembro de 2017", dt.date(2017, 12, 9)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["Theme: Intelligence", "no date here", "31 February 2021", ""])
def test_parse_date_refuses_what_is_no_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By Jane Okafor and Rahul Mehta", ["Jane Okafor", "Rahul Mehta"]),
        ("By A. Smith, B. Jones and C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
        ("Por María José Peña y Tomás Ibarra", ["María José Peña", "Tomás Ibarra"]),
        ("Par Élise Marchand et Paul Roux", ["Élise Marchand", "Paul Roux"]),
        ("By Zoë Ångström-Núñez", ["Zoë Ångström-Núñez"]),
        ("By Jane Roe, PhD", ["Jane Roe"]),
        ("By A. Smith, MD, and B. Jones", ["A. Smith", "B. Jones"]),
        ("By Martin Luther King, Jr.", ["Martin Luther King Jr."]),
    ],
)
def test_split_names(text: str, expected: list[str]) -> None:
    assert split_names(text) == expected


def _p(text: str) -> Block:
    return Block(kind=BlockKind.PARAGRAPH, html=f"<p>{text}</p>", text=text)


def test_rejoin_joins_only_paragraphs_cut_mid_sentence() -> None:
    blocks = rejoin_split_paragraphs([
        _p("The ledgers were kept in the"),
        _p("tower room until 2004."),
        _p("They were moved after a flood."),
        _p("Nobody knows who saved them"),
        Block(kind=BlockKind.HEADING, html="<h2>the archive</h2>", text="the archive", level=2),
    ])
    assert [b.text for b in blocks] == [
        "The ledgers were kept in the tower room until 2004.",
        "They were moved after a flood.",
        "Nobody knows who saved them",
        "the archive",
    ]
    assert blocks[0].html == "<p>The ledgers were kept in the tower room until 2004.</p>"
