"""Saved HTML pages: nothing lost silently, and metadata chosen from the page's evidence.

Every page here was written for these tests (tests/fixtures/html/ or the small pages built
below); each expectation follows from what the page shows or declares.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import trafilatura

from compiler.model import Article
from compiler.normalise import normalise, rule_set
from compiler.readers.html import LEFT_OUT_RULE, read_page

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
SPLIT_BODY = [
    "The harbour board voted on Tuesday to take back the printing of ferry timetables",
    "Board members said passengers had complained for years",
    "Under the new arrangement the board will publish a timetable each season",
    "The operator's manager, Idris Pennock, said the company would comply",
    "Fishermen who share the quay with the ferries welcomed the vote",
    "The first board timetable takes effect in March",
]
PROSE = (
    "The parish council met on Thursday evening to hear the case for a second footbridge over the mill race, "
    "which floods the lower lane every winter and cuts the school off from the houses on the far bank."
)


def read(name: str) -> Article:
    path = PAGES / name
    return normalise(read_page(path.read_bytes(), str(path)), rule_set())


def page(head: str, body: str, lang: str = "en") -> Article:
    html = f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'
    return normalise(read_page(html.encode(), "page.html"), rule_set())


def left_out(article: Article) -> list[str]:
    return [r.text for r in article.removed if r.kind == "left-out"]


# Nothing lost silently ----------------------------------------------------------------------------


def test_the_fixture_reproduces_extraction_stopping_at_the_advert() -> None:
    """Plain trafilatura keeps only the part before the advert: the page tests what it should."""
    extracted = trafilatura.extract((PAGES / "split-body.html").read_text(encoding="utf-8")) or ""
    assert SPLIT_BODY[2] in extracted
    assert SPLIT_BODY[3] not in extracted


def test_nothing_after_a_mid_body_advert_is_lost() -> None:
    article = read("split-body.html")
    text = article.body_text
    positions = [text.find(sentence) for sentence in SPLIT_BODY]
    assert -1 not in positions and positions == sorted(positions)
    for furniture in ("Advertisement", "Get the Courier every morning", "All rights reserved", "Home News"):
        assert furniture not in text
    assert not any("cut short" in warning for warning in article.warnings)


def test_text_extraction_left_out_is_recorded_in_place_and_counted() -> None:
    article = read("split-body.html")
    removals = {r.text: r for r in article.removed if r.kind == "left-out"}
    assert {"Home News Sport Letters", "Advertisement", "Get the Courier every morning",
            "About us Contact"} <= set(removals)
    assert all(r.rule == LEFT_OUT_RULE and r.reason == "left out by extraction" for r in removals.values())
    # the advert is shown between the third and the fourth paragraph, the menu before everything
    index = {block.text[:40]: block.index for block in article.blocks}
    third, fourth = index[SPLIT_BODY[2][:40]], index[SPLIT_BODY[3][:40]]
    assert third is not None and fourth is not None
    assert third <= removals["Advertisement"].index < fourth
    assert removals["Home News Sport Letters"].index < min(i for i in index.values() if i is not None)
    rule_words = sum(len(r.text.split()) for r in article.removed if r.kind == "remove")
    left_words = sum(len(text.split()) for text in removals)
    assert article.words_removed == rule_words + left_words
    assert left_words >= 10  # the menu's four words, the advert's label and the box's five at least


def test_a_paywalled_teaser_is_warned_and_named() -> None:
    article = read("teaser.html")
    assert article.body_text.endswith("what the farm was for…")
    warning = next(w for w in article.warnings if "cut short" in w)
    assert "ellipsis" in warning and "Subscribe to continue reading" in warning
    assert "not free to read" in warning


def test_a_body_far_shorter_than_the_article_element_is_warned() -> None:
    """Extraction took one short box; the article element holds much more prose in boxes marked as asides."""
    kept = f"<div class='article-body'><p>{PROSE}</p><p>{PROSE.replace('Thursday', 'Friday')}</p></div>"
    hidden = "".join(f"<div class='related-box'><p>{PROSE.replace('mill race', f'weir number {n}')}</p></div>"
                     for n in range(6))
    article = page("<title>Footbridge</title>", f"<article><h1>Footbridge</h1>{kept}{hidden}</article>")
    assert any("cut short" in w and "words of the" in w for w in article.warnings), article.warnings


def test_left_out_text_is_in_the_json_output_and_the_summary_counts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from compiler.cli import main

    result = CliRunner().invoke(main, ["normalise", str(PAGES / "split-body.html"), "--json"])
    assert result.exit_code == 0, result.output
    removed = json.loads(result.stdout)["removed"]
    assert {"rule": LEFT_OUT_RULE, "text": "Advertisement"} in removed


# Metadata from evidence -----------------------------------------------------------------------------


BODY = f"<article><h1>{{h1}}</h1>{{byline}}<p>{PROSE}</p><p>{PROSE.replace('Thursday', 'Monday')}</p></article>"


def article_page(head: str, h1: str, byline: str = "", lang: str = "en") -> Article:
    return page(head, BODY.format(h1=h1, byline=byline), lang)


@pytest.mark.parametrize(
    ("head", "h1", "title"),
    [
        # the visible headline, confirmed by the tab title once the site's name is cut
        ('<title>A second footbridge for the mill race | Parish Pump</title>'
         '<meta property="og:title" content="You will not believe what the parish did next">'
         '<meta property="og:site_name" content="Parish Pump">',
         "A second footbridge for the mill race", "A second footbridge for the mill race"),
        # the site's name in front, with a dash
        ('<title>Parish Pump - A second footbridge for the mill race</title>'
         '<meta property="og:site_name" content="Parish Pump">',
         "A second footbridge for the mill race", "A second footbridge for the mill race"),
        # a headline with its own dash stays whole: the page's name is something else
        ('<title>Footbridge - the case for and against | Parish Pump</title>'
         '<meta property="og:site_name" content="Parish Pump">',
         "Footbridge - the case for and against", "Footbridge - the case for and against"),
        # the h1 is the site's logo: the tab title without the site's name wins
        ('<title>A second footbridge for the mill race — Parish Pump</title>'
         '<meta property="og:site_name" content="Parish Pump">',
         "Parish Pump", "A second footbridge for the mill race"),
        # the social title carries the site's name; the visible headline agrees with what is left
        ('<title>Parish Pump</title>'
         '<meta property="og:title" content="A second footbridge for the mill race | Parish Pump">'
         '<meta property="og:site_name" content="Parish Pump">',
         "A second footbridge for the mill race", "A second footbridge for the mill race"),
    ],
)
def test_title_is_chosen_from_the_candidates_without_the_site_name(head: str, h1: str, title: str) -> None:
    assert article_page(head, h1).meta.title == title


def test_json_ld_organisation_author_becomes_the_original_source() -> None:
    head = ('<title>Footbridge | Parish Pump</title><meta property="og:site_name" content="Parish Pump">'
            '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
            ' "headline": "Footbridge", "datePublished": "2023-03-01T08:00:00Z",'
            ' "dateModified": "2023-05-09T10:00:00Z",'
            ' "author": [{"@type": "Organization", "name": "Fenland Water Desk"}],'
            ' "publisher": {"@type": "Organization", "name": "Parish Pump"}}</script>')
    meta = article_page(head, "Footbridge", '<p class="byline">By Ada Strand</p>').meta
    assert meta.authors == ["Ada Strand"]
    assert meta.original_source is not None and meta.original_source.name == "Fenland Water Desk"
    assert meta.publisher == "Parish Pump"
    assert str(meta.date) == "2023-03-01"  # datePublished, not dateModified


def test_an_agency_in_the_byline_is_the_original_source_and_names_are_recased() -> None:
    head = '<title>Footbridge</title><meta property="og:site_name" content="The Fen Gazette">'
    byline = '<p class="byline">By ANNA KOVAC and PIET DE VRIES Associated Press</p>'
    meta = article_page(head, "Footbridge", byline).meta
    assert meta.authors == ["Anna Kovac", "Piet de Vries"]
    assert meta.original_source is not None and meta.original_source.name == "Associated Press"


def test_a_cms_account_and_a_staff_account_are_no_authors() -> None:
    head = ('<title>Footbridge</title><meta name="author" content="admin">'
            '<meta property="og:site_name" content="Parish Pump">')
    assert article_page(head, "Footbridge").meta.authors == []
    staff = article_page(head, "Footbridge", '<p class="byline">Posted by Parish Pump Editors</p>').meta
    assert staff.authors == []


def test_the_sites_own_initials_in_a_dateline_are_not_an_original_source() -> None:
    head = ('<title>Footbridge | Fenland Press Service</title>'
            '<meta property="og:site_name" content="Fenland Press Service">'
            '<meta property="og:url" content="https://www.fpsnews.example/2023/04/footbridge/">')
    byline = '<p class="byline">By Keira Mbeki-Lund<br>ELY, Apr 18 2023 (FPS)</p>'
    meta = article_page(head, "Footbridge", byline).meta
    assert meta.authors == ["Keira Mbeki-Lund"]
    assert meta.original_source is None
    assert str(meta.date) == "2023-04-18"


def test_a_canonical_link_to_another_site_is_the_original_address() -> None:
    head = ('<title>Footbridge</title><meta property="og:site_name" content="Parish Pump">'
            '<meta property="og:url" content="https://parishpump.example/footbridge">'
            '<link rel="canonical" href="https://fenlandwater.example/stories/footbridge">'
            '<script type="application/ld+json">{"@type": "Article", "headline": "Footbridge",'
            ' "author": {"@type": "Organization", "name": "Fenland Water Desk"}}</script>')
    meta = article_page(head, "Footbridge", '<p class="byline">By Ada Strand</p>').meta
    assert meta.url == "https://parishpump.example/footbridge"
    assert meta.original_source is not None
    assert meta.original_source.url == "https://fenlandwater.example/stories/footbridge"


def test_no_date_is_guessed_from_a_copyright_line() -> None:
    body_end = "<footer><p>© 2024 Parish Pump. All rights reserved.</p></footer>"
    meta = page("<title>Footbridge</title>", BODY.format(h1="Footbridge", byline="") + body_end).meta
    assert meta.date is None


def test_a_time_element_marked_as_the_update_is_not_the_date() -> None:
    byline = ('<p class="byline">By Ada Strand <time class="updated" datetime="2023-06-02">June 2</time> '
              '<time class="published" datetime="2023-05-30">May 30</time></p>')
    assert str(article_page("<title>Footbridge</title>", "Footbridge", byline).meta.date) == "2023-05-30"


SPANISH = (
    "El consejo del pueblo se reunió el jueves por la noche para escuchar los argumentos a favor de una segunda "
    "pasarela sobre el canal del molino, que inunda el camino de abajo cada invierno y deja la escuela aislada "
    "de las casas de la otra orilla. Los vecinos llevaron fotografías de las últimas crecidas y una carta firmada "
    "por más de doscientas familias que piden que la obra se haga antes del próximo invierno."
)


def test_the_texts_language_wins_over_a_wrong_declaration() -> None:
    body = f"<article><h1>La pasarela</h1><p>{SPANISH}</p><p>{SPANISH}</p></article>"
    assert page("<title>La pasarela</title>", body, lang="en").meta.language == "es"


def test_a_declared_language_the_text_agrees_with_stays() -> None:
    assert article_page("<title>Footbridge</title>", "Footbridge", lang="en-GB").meta.language == "en"


def test_a_sites_membership_buttons_in_its_header_are_no_paywall() -> None:
    header = "<header><p>Already a member? Sign in</p><p>Subscribe now to keep reading every story</p></header>"
    article = page("<title>Footbridge</title>", header + BODY.format(h1="Footbridge", byline=""))
    assert not any("cut short" in warning for warning in article.warnings), article.warnings


def test_keep_puts_back_text_extraction_left_out_where_it_stood(tmp_path: Path) -> None:
    from compiler.collection.loading import load_collection
    from compiler.collection.manifest import load_manifest

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "ferries.html").write_bytes((PAGES / "split-body.html").read_bytes())
    (tmp_path / "collection.yaml").write_text(
        "title: Quay Notes\neditors: [Ida Editor]\noutput: quay\ndistribution: private\narticles:\n"
        "  - path: articles/ferries.html\n    keep:\n      - \"Get the Courier every morning\"\n", encoding="utf-8")
    article = load_collection(load_manifest(tmp_path / "collection.yaml")).articles[0]
    text = article.body_text
    assert SPLIT_BODY[2] in text and SPLIT_BODY[3] in text
    assert text.index(SPLIT_BODY[2]) < text.index("Get the Courier every morning") < text.index(SPLIT_BODY[3])
    assert "Get the Courier every morning" not in left_out(article)


def test_an_image_not_saved_with_the_page_leaves_the_body_and_its_caption_is_left_out() -> None:
    remote = ('<figure><img src="https://cdn.example/bridge.jpg" alt="The old plank bridge">'
              "<figcaption>The plank bridge in February. Photo: Parish Pump archive</figcaption></figure>")
    local = ('<figure><img src="footbridge_files/weir.png" alt="The weir in spate">'
             "<figcaption>The weir in spate, from the lower lane.</figcaption></figure>")
    second = PROSE.replace("Thursday", "Monday")
    body = f"<article><h1>Footbridge</h1><p>{PROSE}</p>{remote}<p>{second}</p>{local}</article>"
    article = page("<title>Footbridge</title>", body)
    assert "Photo: Parish Pump archive" not in article.body_text
    assert "The old plank bridge" not in article.body_text and "cdn.example" not in article.body_html
    assert "The plank bridge in February. Photo: Parish Pump archive" in left_out(article)
    assert '<img src="footbridge_files/weir.png" alt="The weir in spate"/>' in article.body_html
    assert "The weir in spate, from the lower lane." in article.body_text


def test_the_text_only_extraction_decides_which_rich_blocks_are_the_articles() -> None:
    from compiler.model import Block, BlockKind
    from compiler.readers.coverage import lean_choice

    def block(kind: BlockKind, text: str) -> Block:
        return Block(kind=kind, html=f"<p>{text}</p>", text=text)

    second = PROSE.replace("Thursday", "Monday")
    blocks = [block(BlockKind.PARAGRAPH, PROSE), block(BlockKind.HEADING, "More on this"),
              block(BlockKind.LIST, "Weir repairs delayed again Lower lane closed for a week"),
              block(BlockKind.FIGURE, "The weir in spate"), block(BlockKind.PARAGRAPH, second),
              block(BlockKind.FIGURE, "A map of the parish"), block(BlockKind.PARAGRAPH, "Print this page"),
              block(BlockKind.FIGURE, "A banner for the shop")]
    chosen = lean_choice(blocks, f"{PROSE}\n{second}\n")
    # figures among the chosen text or right beside it stay; one beyond the furniture goes
    assert [b.text for b in chosen] == [PROSE, "The weir in spate", second, "A map of the parish"]
    assert lean_choice(blocks, None) == blocks  # no text-only extraction: nothing is dropped
