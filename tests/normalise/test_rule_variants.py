"""Rules describe kinds of block, not one page's sentences.

Each boilerplate line below is put into the head or tail of a small invented article and must be
removed by the named rule; each prose paragraph below talks about newsletters, sharing, social
media or copyright in the article's own voice, stands first or last in the body, and must stay.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.normalise.rules import pattern_gate
from compiler.readers.markdown import parse_blocks

BODY = [
    "The cannery on the north quay closed in 1987, and for thirty years its windows were boarded and its crane rusted.",
    "A cooperative of former workers bought the building last year, and it now smokes fish for the town's restaurants.",
    "The crane has been repainted, though it no longer lifts anything heavier than the cooperative's new sign.",
]
SITE_DATELINE = "Global Research, May 05, 2020"

HEAD = [
    ("Global Research, December 01, 2019", "globalresearch.dateline"),
    ("Mondialisation.ca, 3 août 2019", "globalresearch.mondialisation-dateline"),
    ("[Harbour Watch](#) 30 November 2019", "globalresearch.original-source"),
    ("Updated: 14 February 2023", "generic.published-date"),
    ("By [Noor Haddad](#) | Published March 3, 2022", "generic.byline"),
    ("Veröffentlicht am 12. März 2020", "generic.published-date"),
    ("The Coastal Review, 2 June 2020", "generic.dateline"),
    ("Région : [Afrique subsaharienne](#)", "generic.subjects"),
    ("Filed under: Labour, Housing", "generic.subjects"),
    ("Select a language from the Translate Website menu to read this page in your own language.",
     "generic.translation-notice"),
    ("Visit and follow us on Instagram at @harbour_watch_news.", "generic.social-follow"),
    ("Follow Us on Telegram", "generic.social-follow"),
    ("Click the share button above to email/forward this article to your friends and colleagues.",
     "generic.share-prompt"),
    ("Global Research is a reader-funded media. We do not accept any funding from corporations or governments.",
     "generic.donation-plea"),
    ("To receive the Daily Newsletter (selected articles), [click here](#).", "generic.newsletter"),
    ("Abonnez-vous à notre infolettre hebdomadaire.", "generic.newsletter"),
    ("Síguenos en Telegram y en Mastodon.", "generic.social-follow"),
    ("Featured image is from Wikimedia Commons", "generic.image-credit"),
    ("Photo: Aleksandr Petrov", "generic.image-credit"),
    ("Global Research Wants to Hear From You!", "globalresearch.member-plea"),
]
TAIL = [
    ("Note to readers: Please click the share buttons above or below.", "generic.note-to-readers"),
    ("Share this:", "generic.share-prompt"),
    ("[Twitter](#) [Facebook](#) [Email](#)", "generic.share-prompt"),
    ("Comparte este artículo", "generic.share-prompt"),
    ("This article was originally published on [Dispatch Weekly](#).", "generic.original-source"),
    ("Source: [Harbour Watch](#)", "generic.original-source"),
    ("Fuente original: [El Salto Diario](#)", "generic.original-source"),
    ("Originally published at [Common Dreams](#) under a Creative Commons license.", "generic.original-source"),
    ("La source originale de cet article est [Le Quotidien du Port](#)", "generic.original-source"),
    ("Copyright © Mira Solberg, Dispatch Weekly, 2020", "generic.copyright"),
    ("© 2020 Dispatch Weekly. All rights reserved.", "generic.copyright"),
    ("Articles by: [Mira Solberg](#)", "generic.articles-by"),
    ("Tags: fisheries, coastal towns", "generic.subjects"),
    ("[Become a Member of Global Research](#)", "globalresearch.member-plea"),
    ("Disclaimer: The contents of this article are of sole responsibility of the author(s).", "generic.disclaimer"),
    ("The views expressed in this article are solely those of the author.", "generic.disclaimer"),
    ("Avis de non-responsabilité : les opinions exprimées n’engagent que leurs auteurs.", "generic.disclaimer"),
    ("Order your copy of the book here", "generic.product-advert"),
    ("For media inquiries: press@example.org", "generic.media-contact"),
    ("Pour toute demande de presse : presse@example.org", "generic.media-contact"),
    ("Leave a comment below and tell us what you think.", "generic.comment-plea"),
    ("This work is licensed under CC BY-NC-ND 4.0.", "generic.licence"),
    ("Permalink: https://example.org/2020/cannery", "generic.permalink"),
    ("Haz una donación para que sigamos investigando.", "generic.donation-plea"),
    ("Support independent media: chip in what you can.", "generic.donation-plea"),
]
PROSE = [
    "The ministry's newsletter, which reaches every school in the region, did not mention the closures this spring.",
    "Reporters who follow US policy on Twitter noticed the change before the embassy announced it to anyone at all.",
    "She shared the article with colleagues, and within a week it had been forwarded to every union branch around.",
    "In its note to readers, the paper admitted it had never sent a reporter to the valley in ten whole years.",
    "The union asked members to donate to the strike fund, and raised eleven thousand euros in a single weekend.",
    "Copyright law, the judge said, was never meant to protect a landlord's private list of his tenants' complaints.",
    "Sources: interviews with eleven fishermen and the port authority's records, released under a public records law.",
    "The cooperative posts each day's catch on Instagram, and restaurants in the capital now order from it directly.",
]


def visible(line: str) -> str:
    """The line as a reader sees it (link markup dropped)."""
    return line.replace("[", "").replace("](#)", "")


@pytest.mark.parametrize(("line", "rule"), HEAD, ids=[f"{rule}:{line[:30]}" for line, rule in HEAD])
def test_head_boilerplate(write_article, normalise_file, line: str, rule: str) -> None:  # type: ignore[no-untyped-def]
    head = ["The Cannery Reopens"] if rule == "generic.byline" else ["The Cannery Reopens", "By Mira Solberg"]
    if rule.startswith("globalresearch.") and "dateline" not in rule:
        head.append(SITE_DATELINE)
    article = normalise_file(write_article(*head, line, *BODY))
    hits = [r for r in article.removed if r.text and (visible(line) in r.text or r.text in visible(line))]
    assert hits and hits[0].rule == rule, article.removed
    assert article.body_text.startswith(BODY[0])


@pytest.mark.parametrize(("line", "rule"), TAIL, ids=[f"{rule}:{line[:30]}" for line, rule in TAIL])
def test_tail_boilerplate(write_article, normalise_file, line: str, rule: str) -> None:  # type: ignore[no-untyped-def]
    head = ["The Cannery Reopens", "By Mira Solberg"]
    if rule.startswith("globalresearch."):
        head.append(SITE_DATELINE)
    article = normalise_file(write_article(*head, *BODY, line))
    hits = [r for r in article.removed if r.text and r.text in visible(line)]
    assert hits and hits[0].rule == rule, article.removed
    assert article.body_text.endswith(BODY[-1])


@pytest.mark.parametrize("where", ["first", "last"])
@pytest.mark.parametrize("prose", PROSE, ids=[p[:30] for p in PROSE])
def test_the_articles_own_prose_stays(write_article, normalise_file, prose: str, where: str) -> None:  # type: ignore[no-untyped-def]
    body = [prose, *BODY] if where == "first" else [*BODY, prose]
    article = normalise_file(write_article("The Cannery Reopens", "By Mira Solberg", *body))
    assert [b.text for b in article.blocks] == body
    assert article.meta.copyright is None
    assert article.meta.original_source is None


def test_metadata_from_variant_lines(write_article, normalise_file) -> None:  # type: ignore[no-untyped-def]
    article = normalise_file(write_article(
        "The Cannery Reopens", "By Mira Solberg", "Veröffentlicht am 12. März 2020", *BODY,
        "Source: [Harbour Watch](#)", "This work is licensed under CC BY-NC-ND 4.0.",
    ))
    assert article.meta.date is not None and article.meta.date.isoformat() == "2020-03-12"
    assert article.meta.original_source is not None and article.meta.original_source.name == "Harbour Watch"
    assert article.meta.licence == "CC BY-NC-ND 4.0"


def test_rule_gates_never_turn_away_a_block_the_pattern_matches(rules) -> None:  # type: ignore[no-untyped-def]
    """A rule tests cheap required words before its regex; that must only save time, never change
    an answer. Checked on every block of every article the project has, plus the variant lines."""
    here = Path(__file__).resolve().parent
    paths = [*(here.parents[1] / "tests" / "fixtures" / "articles").glob("*.md"), *here.glob("golden/*/input.md")]
    texts = [b.text for p in paths for b in parse_blocks(p.read_text(encoding="utf-8"))]
    texts += [line for line, _ in HEAD + TAIL] + PROSE + [t.upper() for t in texts]
    checked = 0
    for pack in rules.packs:
        for rule in pack.rules:
            for pattern in rule.match:
                gate = pattern_gate(pattern)
                if gate is None:
                    continue
                for text in texts:
                    if pattern.search(text):
                        checked += 1
                        assert gate.admits(text.lower()), (rule.id, pattern.pattern, text)
    assert checked > 100


def test_original_outlet_and_its_licence_from_one_line(write_article, normalise_file) -> None:  # type: ignore[no-untyped-def]
    article = normalise_file(write_article(
        "The Cannery Reopens", "By Mira Solberg", *BODY,
        "Originally published at [Common Dreams](#) under a Creative Commons license.",
    ))
    assert article.meta.original_source is not None
    assert article.meta.original_source.name == "Common Dreams"
    assert article.meta.licence == "Creative Commons license"


def test_byline_with_a_publication_date(write_article, normalise_file) -> None:  # type: ignore[no-untyped-def]
    byline = "By [Noor Haddad](#) | Published March 3, 2022"
    article = normalise_file(write_article("The Cannery Reopens", byline, *BODY))
    assert article.meta.authors == ["Noor Haddad"]
    assert article.meta.date is not None and article.meta.date.isoformat() == "2022-03-03"
