"""The page-structure stage (compiler/normalise/structure.py) on invented scrapes.

Each test writes a small saved page in the shape a browser extension saves (site furniture
around an invented article) and checks what the normaliser keeps, removes and moves into the
metadata. Every page holds at least one of the article's own sentences that mentions what
furniture talks about (newsletters, donations, sharing, comments): those must stay.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.commands.normalise import article_json
from compiler.model import Article
from compiler.readers.markdown import parse_blocks

GOLDEN = Path(__file__).resolve().parent / "golden"

Normalise = Callable[[Path], Article]

# --- an invented article, paragraph by paragraph --------------------------------------------------

P1 = ("The reading room above the old corn exchange in Hallowmere has been open every weekday since 1887, "
      "and for most of that time it has been run by whoever was willing to unlock the door at nine.")
P2 = ("Since the library service withdrew its last paid assistant in 2017, that has meant a rota of eleven "
      "volunteers, most of them retired, who also dust the shelves and chase up overdue books by postcard.")
P3 = ("The volunteers share a newsletter with the town's other societies, and each issue asks readers to "
      "donate a book they have finished rather than leave it on a train.")  # a trap: the article's own
P4 = ("The building's owners, a charitable trust, now want to let the upper floor as offices. They say the rent "
      "would pay for a new roof, and that the reading room could move to two rooms at the back.")
P5 = ("The volunteers are not against a new roof. They are against the back rooms, which have no windows on "
      "the square and, they say, no room for the long table where the chess club has met since 1952.")
P6 = ("The trust will decide in the spring. Until then the door will be unlocked at nine, and the comments "
      "book by the entrance, which visitors have signed since the reading room opened, is filling up fast.")
PROSE = [P1, P2, P3, P4, P5, P6]


def first_words(paragraph: str, n: int = 8) -> str:
    return " ".join(paragraph.split()[:n])


@pytest.fixture
def page(tmp_path: Path, normalise_file: Normalise) -> Callable[..., Article]:
    """Write the given lines as a saved page (blank lines between them) and normalise it."""

    def run(*blocks: str, name: str = "page.md") -> Article:
        path = tmp_path / name
        path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        return normalise_file(path)

    return run


def removed(article: Article) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for removal in article.removed:
        out.setdefault(removal.rule, []).append(removal.text)
    return out


def removed_texts(article: Article) -> str:
    return "\n".join(removal.text for removal in article.removed)


def assert_all_prose_kept(article: Article, prose: list[str] = PROSE) -> None:
    for paragraph in prose:
        assert paragraph in article.body_text, f"the article's own paragraph was lost: {paragraph[:60]!r}"


def assert_gone(article: Article, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase.lower() not in article.body_text.lower(), f"furniture kept: {phrase!r}"


HEAD = ["## The Reading Room Above the Corn Exchange", "By Philippa Strand", "March 4, 2024"]


# --- boxes inside the article ------------------------------------------------------------------


def test_a_read_more_box_between_two_paragraphs_goes_and_the_prose_on_both_sides_stays(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        *HEAD, P1, P2, P3,
        "### Read more",
        "-   [The chess club's hundred-year game](https://hallowmere.example/chess/)\n"
        "-   [Who owns the corn exchange?](https://hallowmere.example/corn-exchange/)\n"
        "-   [Postcards from the overdue shelf](https://hallowmere.example/postcards/)",
        P4, P5, P6,
    )
    assert_all_prose_kept(article)
    assert_gone(article, "Read more", "hundred-year game", "Who owns the corn exchange")
    assert "kind.box" in removed(article)
    assert article.body_text.rstrip().endswith("is filling up fast.")


def test_a_plea_box_between_two_paragraphs_goes_and_the_prose_on_both_sides_stays(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        *HEAD, P1, P2, P3,
        "### Support local news",
        "The Hallowmere Chronicle is funded by readers like you. If you value our reporting, please make a "
        "donation today: every gift keeps our journalists in the town hall.",
        "[Donate now](https://hallowmere.example/donate/)",
        P4, P5, P6,
    )
    assert_all_prose_kept(article)
    assert_gone(article, "Support local news", "readers like you", "Donate now")
    kinds = removed(article)
    assert any("readers like you" in text for texts in kinds.values() for text in texts)


def test_a_related_box_inside_the_body_is_not_taken_for_the_articles_end(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        *HEAD, P1, P2,
        "## Related",
        "-   [The lending library's last van](https://hallowmere.example/van/)\n"
        "-   [A century of chess by the window](https://hallowmere.example/chess/)",
        P3, P4, P5, P6,
    )
    assert_all_prose_kept(article)
    assert_gone(article, "lending library's last van")
    assert "page.after-article" not in removed(article)


@pytest.mark.parametrize("heading", [
    "## Donations and debts", "## Comments from the trust", "## More on the trust", "### What the minutes say",
    "## Follow the money",
    "## Support grows for the plan",
    "## Donate or decline?",
    "## Help from the council",
    "## Share and share alike",
    "## Related costs",
])
def test_the_articles_own_section_heading_over_prose_stays(page, heading: str) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, P1, P2, heading, P3, P4, P5, P6)
    assert_all_prose_kept(article)
    assert heading.lstrip("# ") in article.body_text, f"{removed(article)}"


@pytest.mark.parametrize("sentence", [
    "Donations to the reading room have paid for its heating since 2017, when the library service stopped paying "
    "the bills for it.",
    "We asked readers to share their memories of the reading room, and more than two hundred did. Some sent "
    "photographs.",
    "If you subscribe to the parish newsletter, you will know the roof fund has been short for years.",
    "Subscribers to the reading room's newsletter will get a vote at the trust's spring meeting, the chair "
    "confirmed.",
    "Share prices of the trust's investments fell last year, which is partly why it wants the rent from offices "
    "on the upper floor.",
    "Follow the trail of the minutes and you find that the trust first discussed offices in 2019.",
])
def test_the_articles_own_sentences_about_giving_sharing_and_newsletters_stay(page, sentence: str) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, P1, P2, sentence, P3, P4, P5, P6)
    assert_all_prose_kept(article, [*PROSE, sentence])


@pytest.mark.parametrize("box", [
    ["Read more: [Who owns the corn exchange?](https://hallowmere.example/corn-exchange/)"],
    ["Get the Chronicle app: the day's news from Hallowmere on your phone. "
     "[Download it free](https://hallowmere.example/app/)"],
    ["Thanks for signing up!"],
    ["Share this: Facebook | Twitter | Email"],
    ["Please support the Chronicle. We are a small independent newsroom and rely on readers' donations to keep "
     "reporting on Hallowmere. [Donate](https://hallowmere.example/donate/)"],
    ["**DON'T MISS:** [The chess club's hundred-year game](https://hallowmere.example/chess/)"],
    ["### Explore further", "[Corn exchanges of the north](https://hallowmere.example/history/)"],
    ["### The Chronicle Weekly", "Our best stories, every Friday in your inbox.", "Email address",
                  "Subscribe"],
], ids=["read-more-line", "app", "thanks-for-signing-up", "share-row", "plea", "dont-miss", "explore-further",
        "newsletter-form"])
def test_furniture_between_two_paragraphs_goes(page, box: list[str]) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, P1, P2, P3, *box, P4, P5, P6)
    assert_all_prose_kept(article)
    left = [block.text for block in article.blocks if block.text not in PROSE]
    assert not left, f"furniture kept: {left}"


def test_a_figure_its_caption_and_a_pull_quote_between_paragraphs_stay(page) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, P1, P2, "![The long table](https://hallowmere.example/table.jpg)",
                   "The long table where the chess club meets. Photo: Ines Marwood",
                   P3, "> “Nobody is writing it down,” one volunteer said.", P4, P5, P6)
    assert_all_prose_kept(article)
    assert "The long table where the chess club meets" in article.body_text
    assert "Nobody is writing it down" in article.body_text
    assert "<img" in article.body_html


# --- above the headline ------------------------------------------------------------------------


def test_a_navigation_list_above_the_headline_goes(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        "[Skip to content](#main)",
        "[The Hallowmere Chronicle](https://hallowmere.example/)",
        "-   [News](https://hallowmere.example/news/)\n-   [Culture](https://hallowmere.example/culture/)\n"
        "-   [Sport](https://hallowmere.example/sport/)\n-   [Letters](https://hallowmere.example/letters/)\n"
        "-   [Subscribe](https://hallowmere.example/subscribe/)",
        *HEAD, *PROSE,
    )
    data = article_json(article)
    assert data["title"] == "The Reading Room Above the Corn Exchange"
    assert data["authors"] == ["Philippa Strand"]
    assert_all_prose_kept(article)
    assert_gone(article, "Culture", "Letters", "Skip to content", "Hallowmere Chronicle")
    assert article.body_text.startswith(P1[:40])
    assert any("Culture" in text for text in removed(article).get("page.before-title", []))


# --- after the article -------------------------------------------------------------------------

COMMENTS_HEADING = '## 6 comments on "The Reading Room Above the Corn Exchange"'
COMMENTS = [
    "Gwendolen Aske says:", "March 5, 2024 at 7:12 am",
    "I have been a volunteer on the Tuesday rota for six years. Thank you for writing this.",
    "Ferdinand Yelland says:", "March 5, 2024 at 9:30 am",
    "The back rooms flood every winter. Somebody should tell the trust before it signs anything.",
    "### Leave a Reply", "Your email address will not be published. Required fields are marked \\*",
]


def test_comments_after_the_article_go(page) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, *PROSE, COMMENTS_HEADING.replace("6", "2"), *COMMENTS)
    assert_all_prose_kept(article)
    assert_gone(article, "comments on", "Tuesday rota for six years", "back rooms flood", "Leave a Reply",
                "Required fields")
    assert article.body_text.rstrip().endswith("is filling up fast.")


LONG_COMMENT = (
    "I remember the reading room from when I was a boy, when the caretaker kept a paraffin stove by the "
    "long table and let us sit there after school until our parents came back from the mills. It was the "
    "only warm room in the street most winters, and I learned to play chess there from a man who had been "
    "a prisoner of war and never once spoke about it."
)


def long_comments() -> list[str]:
    comments = [COMMENTS_HEADING]
    for n, name in enumerate(["Gwendolen Aske", "Ferdinand Yelland", "Hyacinth Morrow", "Bartram Leese",
                              "Oriel Faraday", "Cosmo Whitlock"]):
        comment = LONG_COMMENT.replace("boy", f"boy of {n + 8}")
        comments += [f"{name} says:", f"March {5 + n}, 2024 at 9:{10 + n} am", comment]
    return [*comments, "### Leave a Reply"]


def test_a_comment_section_longer_than_the_article_is_not_taken_for_the_article(page) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, *PROSE, *long_comments())
    data = article_json(article)
    assert data["title"] == "The Reading Room Above the Corn Exchange"
    assert data["authors"] == ["Philippa Strand"]
    assert_all_prose_kept(article)
    assert article.body_text.startswith(P1[:40])


def test_a_comment_section_longer_than_the_article_goes(page) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, *PROSE, *long_comments())
    assert_all_prose_kept(article)
    assert_gone(article, "paraffin stove", "says:", "Leave a Reply")


def test_three_short_comments_after_a_thoughts_on_heading_go(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        *HEAD, *PROSE,
        '## 3 thoughts on "The Reading Room Above the Corn Exchange"',
        "Gwendolen Aske says:", "March 5, 2024 at 7:12 am",
        "I have been a volunteer on the Tuesday rota for six years, and I can tell you that the back rooms are "
        "damp from October to April. The books will not last a winter in there, let alone the chess sets.",
        "Ferdinand Yelland says:", "March 5, 2024 at 9:30 am",
        "Could the trust not let the ground floor instead? The shop there has been empty since the bank left, "
        "and it would leave the reading room where it has always been, with its windows on the square and "
        "its long table, which is the whole point of the place.",
        "Philippa Strand says:", "March 5, 2024 at 10:02 am",
        "That has been suggested, and the trust says it will look at it before the spring meeting. I will "
        "write about what it decides, and about the ground floor, in the next issue of the newsletter.",
    )
    assert_all_prose_kept(article)
    assert_gone(article, "thoughts on", "Tuesday rota", "empty since the bank left", "says:")


def test_a_page_with_furniture_everywhere_keeps_the_article_and_nothing_else(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        "# Who Keeps the Reading Room Open? | The Hallowmere Chronicle",
        "> ## Excerpt\n> Eleven volunteers have kept a Victorian reading room open for seven years.",
        "---",
        "[Skip to content](#main)",
        "[![The Hallowmere Chronicle](https://hallowmere.example/logo.png)](https://hallowmere.example/)",
        "-   [News](https://hallowmere.example/news/)\n-   [Culture](https://hallowmere.example/culture/)\n"
        "-   [Subscribe](https://hallowmere.example/subscribe/)",
        "[Culture](https://hallowmere.example/culture/)",
        "# Who Keeps the Reading Room Open?",
        STANDFIRST,
        "By [PHILIPPA STRAND](https://hallowmere.example/author/pstrand/), Staff Writer",
        "Updated March 6, 2024, 9:14 a.m.",
        "Published March 4, 2024",
        "4 min read",
        "[Share on Facebook](#) [Share on X](#) [Email](#)",
        P1, P2,
        "Advertisement", "Story continues below advertisement",
        P3,
        "## Sign up for The Chronicle Daily",
        "Get the day's top stories from Hallowmere delivered to your inbox every morning.",
        "Sign up",
        "By signing up, you agree to our privacy policy and terms of use.",
        P4, P5, P6,
        "Share this:", "-   [Facebook](#)\n-   [X](#)\n-   [Email](#)",
        "Like this:", "Like Loading...",
        "## Related",
        "-   [The chess club's hundred-year game](https://hallowmere.example/chess/)\n"
        "-   [Who owns the corn exchange?](https://hallowmere.example/corn-exchange/)",
        "## Leave a Reply",
        "Your email address will not be published. Required fields are marked \\*",
        "Comment \\*", "Name \\*", "Email \\*",
        "Save my name, email, and website in this browser for the next time I comment.",
        "© 2024 The Hallowmere Chronicle. All rights reserved.",
    )
    data = article_json(article)
    assert data["title"] == "Who Keeps the Reading Room Open?"
    assert data["subtitle"] == STANDFIRST
    assert data["authors"] == ["Philippa Strand"]
    assert data["date"] == "2024-03-04"  # published, not updated
    assert data["publisher"] == "The Hallowmere Chronicle"
    assert article.body_text.startswith(P1[:40])
    assert article.body_text.rstrip().endswith("is filling up fast.")
    assert_all_prose_kept(article)
    assert_gone(article, "Excerpt", "Skip to content", "Culture", "min read", "Share on", "Advertisement",
                "Chronicle Daily", "top stories", "privacy policy", "Share this", "Like Loading", "hundred-year game",
                "Leave a Reply", "Required fields", "Save my name", "All rights reserved")
    assert [block.text for block in article.blocks if block.text in PROSE] == PROSE
    from compiler.normalise import normalise

    again = normalise(as_shown(article))  # its own output, normalised again, loses nothing more
    assert [r.text for r in again.removed] == [data["title"]]
    assert [(b.kind, b.text) for b in again.blocks] == [(b.kind, b.text) for b in article.blocks]


# --- the headline, the byline, the standfirst -------------------------------------------------


def test_the_headline_is_the_one_the_tab_title_names_not_the_site_name_heading(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        "# The Reading Room Above the Corn Exchange | The Hallowmere Chronicle",
        "> ## Excerpt\n> Eleven volunteers keep a Victorian reading room open. Its owners want the space back.",
        "---",
        "## The Hallowmere Chronicle",
        "## The Reading Room Above the Corn Exchange",
        "By Philippa Strand", "March 4, 2024",
        *PROSE,
    )
    data = article_json(article)
    assert data["title"] == "The Reading Room Above the Corn Exchange"
    assert "Hallowmere Chronicle" not in (data["title"] or "")
    assert data["authors"] == ["Philippa Strand"]
    assert data["date"] == "2024-03-04"
    assert_all_prose_kept(article)
    assert_gone(article, "Excerpt", "Hallowmere Chronicle")


def test_by_on_its_own_line_with_the_names_under_it(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        "## The Reading Room Above the Corn Exchange",
        "By", "[Philippa Strand](https://hallowmere.example/author/philippa-strand/)", "and",
        "[Teodor Balasz](https://hallowmere.example/author/teodor-balasz/)",
        "March 4, 2024", *PROSE,
    )
    data = article_json(article)
    assert data["authors"] == ["Philippa Strand", "Teodor Balasz"]
    assert data["date"] == "2024-03-04"
    assert_all_prose_kept(article)
    assert_gone(article, "Teodor", "Philippa")


def test_names_joined_by_and_on_one_line(page) -> None:  # type: ignore[no-untyped-def]
    article = page("## The Reading Room Above the Corn Exchange", "Philippa Strand and Teodor Balasz",
                   "4 March 2024", *PROSE)
    data = article_json(article)
    assert data["authors"] == ["Philippa Strand", "Teodor Balasz"]
    assert data["date"] == "2024-03-04"
    assert_all_prose_kept(article)
    assert_gone(article, "Teodor")


def _byline_xfail(reason: str):  # type: ignore[no-untyped-def]
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize("lines", [
    ["[Philippa Strand](https://hallowmere.example/author/pstrand/)", "Culture Reporter", "March 4, 2024"],
    ["By Philippa Strand", "Published 9:14 AM GMT, March 4, 2024"],
    ["Philippa Strand", "@pstrand", "March 4, 2024"],
    ["4 March 2024, 09:14", "Philippa Strand"],
    ["Philippa Strand\nMarch 4, 2024"],
    ["Philippa Strand · 4 min read · Mar 4, 2024"],
    pytest.param(["Words: Philippa Strand", "March 4, 2024"],
                 marks=_byline_xfail("'Words: Name' is removed but gives no author")),
    ["Analysis by Philippa Strand", "March 4, 2024"],
], ids=["name-role-date", "published-time", "handle-line", "date-then-name", "name-date-one-paragraph",
        "medium-dots", "words-colon", "analysis-by"])
def test_byline_shapes_under_the_headline(page, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    article = page("## The Reading Room Above the Corn Exchange", *lines, *PROSE)
    data = article_json(article)
    assert data["authors"] == ["Philippa Strand"]
    assert data["date"] == "2024-03-04"
    assert article.body_text.startswith(P1[:40])
    assert_all_prose_kept(article)


STANDFIRST = ("Eleven volunteers have kept a Victorian reading room open for seven years without a penny of "
              "public money. Now its owners want the space back for offices.")


def test_a_standfirst_under_the_headline_becomes_the_subtitle(page) -> None:  # type: ignore[no-untyped-def]
    article = page("## The Reading Room Above the Corn Exchange", STANDFIRST, "By Philippa Strand",
                   "March 4, 2024", *PROSE)
    data = article_json(article)
    assert data["title"] == "The Reading Room Above the Corn Exchange"
    assert data["subtitle"] == STANDFIRST
    assert data["authors"] == ["Philippa Strand"]
    assert STANDFIRST not in article.body_text
    assert_all_prose_kept(article)


def test_a_headline_printed_twice_is_no_subtitle(page) -> None:  # type: ignore[no-untyped-def]
    article = page("# The Reading Room Above the Corn Exchange", *HEAD, *PROSE)
    data = article_json(article)
    assert data["title"] == "The Reading Room Above the Corn Exchange"
    assert data["subtitle"] is None


def test_a_headline_repeated_as_the_first_paragraph_is_removed(page) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, "The Reading Room Above the Corn Exchange", *PROSE)
    assert article_json(article)["title"] == "The Reading Room Above the Corn Exchange"
    assert article.body_text.startswith(P1[:40])
    assert_all_prose_kept(article)


@pytest.mark.xfail(strict=True, reason="the tab title with ' | Site' becomes the title when the headline under the "
                                       "saver's header is a plain paragraph, and that paragraph stays in the body")
def test_a_tab_title_over_a_headline_written_as_a_paragraph(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        "# The Reading Room Above the Corn Exchange | The Hallowmere Chronicle",
        "> ## Excerpt\n> Eleven volunteers keep a Victorian reading room open.", "---",
        "The Reading Room Above the Corn Exchange", "By Philippa Strand", "March 4, 2024", *PROSE,
    )
    assert article_json(article)["title"] == "The Reading Room Above the Corn Exchange"
    assert article.body_text.startswith(P1[:40])


def test_a_site_suffix_on_the_headline_goes_when_the_page_names_its_site(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        "[The Hallowmere Chronicle](https://hallowmere.example/)",
        "# The Reading Room Above the Corn Exchange - The Hallowmere Chronicle",
        "By Philippa Strand", "March 4, 2024", *PROSE,
        "© 2024 The Hallowmere Chronicle. All rights reserved.",
    )
    assert article_json(article)["title"] == "The Reading Room Above the Corn Exchange"


def test_a_name_and_a_date_on_one_line_split_by_a_bar(page) -> None:  # type: ignore[no-untyped-def]
    article = page("## The Reading Room Above the Corn Exchange", "Philippa Strand | March 4, 2024", *PROSE)
    data = article_json(article)
    assert data["date"] == "2024-03-04"
    assert data["authors"] == ["Philippa Strand"]


def test_names_in_capitals_under_the_headline_are_the_authors(page) -> None:  # type: ignore[no-untyped-def]
    article = page("## The Reading Room Above the Corn Exchange", "PHILIPPA STRAND AND TEODOR BALASZ",
                   "March 4, 2024", *PROSE)
    assert article_json(article)["authors"] == ["Philippa Strand", "Teodor Balasz"]
    assert article.body_text.startswith(P1[:40])


# --- credits -----------------------------------------------------------------------------------


def test_a_credit_line_sets_the_original_source_and_goes(page) -> None:  # type: ignore[no-untyped-def]
    article = page(*HEAD, *PROSE, "This essay first appeared in The Harbour Review in May.")
    data = article_json(article)
    assert data["original_source"] == {"name": "The Harbour Review", "date": None, "url": None}
    assert_gone(article, "first appeared")
    assert any("The Harbour Review" in text for text in removed(article).get("page.credit", []))
    assert_all_prose_kept(article)


REPUBLISHER_NOTE = ("Editor's note: We are grateful to the Upland Almanac for letting us share this essay with "
                    "our readers, and to the author for a few words of introduction she wrote for us.")


def test_a_republishers_note_before_the_byline_and_credit_line_goes(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        "## The Reading Room Above the Corn Exchange", "March 4, 2024", REPUBLISHER_NOTE,
        "By Philippa Strand. This essay was originally published at The Upland Almanac, the quarterly of the "
        "Lune valley societies.",
        *PROSE,
    )
    data = article_json(article)
    assert data["authors"] == ["Philippa Strand"]
    assert data["original_source"]["name"] == "The Upland Almanac"
    assert data["subtitle"] is None
    assert_gone(article, "Editor's note", "originally published")
    assert "page.republisher-note" in removed(article)
    assert_all_prose_kept(article)


def test_a_republishers_note_right_under_the_headline_is_no_subtitle(page) -> None:  # type: ignore[no-untyped-def]
    article = page(
        "## The Reading Room Above the Corn Exchange", REPUBLISHER_NOTE,
        "By Philippa Strand. Originally published at The Upland Almanac.",
        *PROSE,
    )
    data = article_json(article)
    assert data["authors"] == ["Philippa Strand"]
    assert data["original_source"]["name"] == "The Upland Almanac"
    assert data["subtitle"] is None
    assert "page.republisher-note" in removed(article)
    assert_all_prose_kept(article)


def test_posted_on_a_date_by_a_full_name_gives_the_author(page) -> None:  # type: ignore[no-untyped-def]
    article = page("## The Reading Room Above the Corn Exchange",
                   "Posted on March 4, 2024 by [Philippa Strand](https://hallowmere.example/author/pstrand/)",
                   *PROSE)
    data = article_json(article)
    assert data["date"] == "2024-03-04"
    assert data["authors"] == ["Philippa Strand"]


# --- dates ------------------------------------------------------------------------------------


def test_a_day_first_date_at_the_start_of_a_line_is_a_date_not_a_list() -> None:
    blocks = parse_blocks("Vor dem Freibad\n\n14. 7. 2024\n\nDer Verein hat das Bad übernommen.\n")
    assert [block.kind.name for block in blocks] == ["PARAGRAPH", "PARAGRAPH", "PARAGRAPH"]
    assert blocks[1].text == "14. 7. 2024"
    assert "<ol" not in blocks[1].html
    # an ordered list that merely starts with a number stays a list
    listed = parse_blocks("Steps:\n\n14. Fold the map.\n15. Put it away.\n")
    assert listed[-1].kind.name == "LIST"


def test_a_day_first_date_line_under_the_headline_is_the_articles_date(page) -> None:  # type: ignore[no-untyped-def]
    article = page("## The Reading Room Above the Corn Exchange", "Philippa Strand", "14. 7. 2024", *PROSE)
    data = article_json(article)
    assert data["date"] == "2024-07-14"
    assert data["authors"] == ["Philippa Strand"]
    assert "14. 7. 2024" not in article.body_text
    assert_all_prose_kept(article)


# --- idempotence ------------------------------------------------------------------------------


def as_shown(article: Article) -> Article:
    """The article as the book shows it: its title as a heading over the kept blocks (as in
    tests/normalise/test_properties.py)."""
    from compiler.model import ArticleMeta, Block, BlockKind

    blocks = copy.deepcopy(article.blocks)
    for block in blocks:
        block.index = None
    title = article.meta.title or ""
    blocks.insert(0, Block(kind=BlockKind.HEADING, html=f"<h1>{title}</h1>", text=title, level=1))
    return Article(meta=ArticleMeta(source=article.meta.source), blocks=blocks, source_path=article.source_path)


IDEMPOTENCE_CASES = sorted(p for p in GOLDEN.iterdir() if (p / "input.md").is_file())


@pytest.mark.parametrize("case", IDEMPOTENCE_CASES, ids=[c.name for c in IDEMPOTENCE_CASES])
def test_normalising_its_own_output_again_removes_nothing_more(case: Path, normalise_file: Normalise) -> None:
    from compiler.normalise import normalise

    first = normalise_file(case / "input.md")
    second = normalise(as_shown(first))
    assert second.meta.title == first.meta.title
    assert [r.text for r in second.removed] == [first.meta.title]
    assert [(b.kind, b.text) for b in second.blocks] == [(b.kind, b.text) for b in first.blocks]


def test_the_normalise_commands_text_normalised_again_keeps_every_paragraph(tmp_path: Path) -> None:
    """`anthology normalise` prints the title, "By …", the body and the attribution; that text, saved
    as a scrape, loses only its title, its byline and its attribution the second time."""
    source = tmp_path / "page.md"
    source.write_text("\n\n".join([
        "[Skip to content](#main)", "-   [News](https://h.example/news/)\n-   [Letters](https://h.example/letters/)",
        *HEAD, P1, P2, "### Read more", "-   [The chess club's hundred-year game](https://h.example/chess/)",
        P3, P4, P5, P6, "Share this:", "[Facebook](#) [Email](#)",
    ]) + "\n", encoding="utf-8")
    first = CliRunner().invoke(main, ["normalise", str(source)])
    assert first.exit_code == 0, first.output
    head, rest = first.output.split("\n\n", 1)
    body = rest.split("\n\n—\n", 1)[0]
    assert "hundred-year game" not in body and "Facebook" not in body
    again = tmp_path / "again.md"
    again.write_text(f"## {head.splitlines()[0]}\n\n{head.splitlines()[-1]}\n\n{body}\n", encoding="utf-8")
    second = CliRunner().invoke(main, ["normalise", "--json", str(again)])
    assert second.exit_code == 0, second.output
    import json

    data = json.loads(second.output)
    assert data["title"] == "The Reading Room Above the Corn Exchange"
    assert data["authors"] == ["Philippa Strand"]
    assert data["body_text"].split("\n\n") == body.split("\n\n")
    assert {r["rule"] for r in data["removed"]} <= {"generic.title", "page.title", "generic.byline", "page.byline"}
