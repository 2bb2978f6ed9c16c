"""Titles without the site's name, and the right title among the ones a page offers.

Every headline and site here is invented for these tests.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.normalise.titles import choose_title, is_label, strip_site_name

HEADLINE = "The Ferry Ran Late Every Day, So the Town Bought It"


@pytest.mark.parametrize("separator", [" | ", " - ", " – ", " — ", " :: ", " · "])
def test_site_suffix_with_each_separator(separator: str) -> None:
    assert strip_site_name(f"{HEADLINE}{separator}Harbour Ledger", ["Harbour Ledger"]) == HEADLINE


@pytest.mark.parametrize("separator", [" | ", " - ", " – ", " — ", " :: ", " · "])
def test_site_prefix_with_each_separator(separator: str) -> None:
    assert strip_site_name(f"Harbour Ledger{separator}{HEADLINE}", ["Harbour Ledger"]) == HEADLINE


@pytest.mark.parametrize(
    ("title", "sites", "expected"),
    [
        # the page's host name matches the name with or without its domain
        (f"{HEADLINE} | Quillpost.com", ["www.quillpost.com"], HEADLINE),
        (f"{HEADLINE} - Quillpost", ["quillpost.com"], HEADLINE),
        (f"{HEADLINE} | Quillpost", ["https://www.quillpost.com/"], HEADLINE),
        # case, punctuation and spacing do not matter; a leading "The" neither
        (f"{HEADLINE} | THE HARBOUR-LEDGER", ["Harbour Ledger"], HEADLINE),
        (f"{HEADLINE} | Harbour Ledger", ["The Harbour Ledger"], HEADLINE),
        # site name and a section on both sides
        (f"Opinion | {HEADLINE} | Harbour Ledger", ["Harbour Ledger", "Opinion"], HEADLINE),
        # two names for the site (og:site_name and the publisher) both go
        (f"{HEADLINE} - Ledger Online - Harbour Media Group", ["Ledger Online", "Harbour Media Group"], HEADLINE),
        # nothing matches: the title is left whole, its own separators and all
        (f"{HEADLINE} - Harbour Ledger", [], f"{HEADLINE} - Harbour Ledger"),
        (f"{HEADLINE} | Harbour Ledger", ["Quillpost"], f"{HEADLINE} | Harbour Ledger"),
        # a site name that holds a separator itself
        (f"{HEADLINE} - Ledger - Harbour Edition", ["Ledger - Harbour Edition"], HEADLINE),
        (f"Ledger :: Harbour Edition | {HEADLINE}", ["Ledger Harbour Edition"], HEADLINE),
        # the author's name in front, when the page names its author
        (f"by Vesna Korhonen | {HEADLINE}", [], HEADLINE),
        # the headline repeats a word of the site's name: the right segment is kept
        ("Harbour Ledger | Ledger Lines Were Drawn", ["Harbour Ledger"], "Ledger Lines Were Drawn"),
        # a title that is only the site name is not emptied
        ("Harbour Ledger", ["Harbour Ledger"], "Harbour Ledger"),
    ],
)
def test_strip_site_name(title: str, sites: list[str], expected: str) -> None:
    assert strip_site_name(title, sites) == expected


def test_byline_and_publication_segments_go() -> None:
    title = "Nobody Reads the Release Notes | by Vesna Korhonen | Civic Tinkerers Weekly | Medium"
    assert strip_site_name(title, ["Medium"]) == "Nobody Reads the Release Notes"
    # the same without "by", when the page tells who the author is
    title = "Nobody Reads the Release Notes | Vesna Korhonen | Civic Tinkerers Weekly"
    assert strip_site_name(title, [], authors=["Vesna Korhonen"]) == "Nobody Reads the Release Notes"
    assert strip_site_name(title, []) == title  # without that evidence nothing is cut


@pytest.mark.parametrize(
    "title",
    [
        "School buses can run on time again — if someone pays the mechanics",
        "Rent strikes – what the tenants learned",
        "Open rates - and why I stopped checking them",
        "Left-leaning towns and right-sized budgets",
    ],
)
def test_title_with_its_own_dash_stays_whole(title: str) -> None:
    assert strip_site_name(title, ["Harbour Ledger", "quillpost.com"]) == title
    assert strip_site_name(f"{title} | Quillpost", ["quillpost.com"]) == title


def test_visible_headline_wins_over_a_different_social_title() -> None:
    candidates = [
        ("og:title", "You Won't Believe What This Town Did With Its Ferry"),
        ("h1", HEADLINE),
        ("title", f"{HEADLINE} | Harbour Ledger"),
    ]
    assert choose_title(candidates, ["Harbour Ledger"]) == HEADLINE


def test_visible_headline_confirmed_by_a_segment_or_a_truncated_tab() -> None:
    assert choose_title([("heading", HEADLINE), ("tab", f"News | {HEADLINE} | Ledger")], []) == HEADLINE
    cut = HEADLINE[:30] + "…"
    assert choose_title([("h1", HEADLINE), ("title", cut)], []) == HEADLINE


def test_unconfirmed_heading_loses_to_the_stripped_tab_title() -> None:
    # a heading that nothing else names (a widget's, a sidebar's) is not trusted over the tab
    candidates = [("heading", "Most Read This Week"), ("tab", f"{HEADLINE} | Harbour Ledger")]
    assert choose_title(candidates, ["Harbour Ledger"]) == HEADLINE


def test_tab_title_preferred_to_social_title_when_no_headline() -> None:
    candidates = [("og:title", "A catchier line for sharing"), ("title", f"{HEADLINE} - Harbour Ledger")]
    assert choose_title(candidates, ["Harbour Ledger"]) == HEADLINE


def test_heading_alone_is_used() -> None:
    assert choose_title([("h1", HEADLINE)]) == HEADLINE


@pytest.mark.parametrize(
    "label",
    ["Harbour Ledger", "HARBOUR LEDGER", "Opinion", "News Analysis", "Harbour Ledger Original",
     "Discover more from Harbour Ledger", "Subscribe to Harbour Ledger", "Home > News > Transport", "quillpost.com"],
)
def test_site_names_and_labels_are_never_titles(label: str) -> None:
    assert is_label(label, ["Harbour Ledger", "quillpost.com"])
    candidates = [("h1", label), ("title", f"{HEADLINE} | Harbour Ledger")]
    assert choose_title(candidates, ["Harbour Ledger", "quillpost.com"]) == HEADLINE


def test_real_headlines_are_not_labels() -> None:
    assert not is_label(HEADLINE, ["Harbour Ledger"])
    assert not is_label("Ferries Return", ["Harbour Ledger"])
    assert not is_label("The Ledger Was Wrong About the Ferry", ["Harbour Ledger"])


def test_nothing_usable() -> None:
    assert choose_title([]) is None
    assert choose_title([("h1", "Harbour Ledger"), ("og:title", "  ")], ["Harbour Ledger"]) is None


def test_whitespace_is_normalised() -> None:
    assert choose_title([("h1", f"  {HEADLINE}\n"), ("title", f"{HEADLINE} | Harbour Ledger")], ["Harbour Ledger"]) == (
        HEADLINE
    )


_WORDS = st.sampled_from(
    ["Ferry", "late", "Harbour", "Ledger", "—", "-", "|", "::", "·", "by", "Town", "Opinion", "the"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=12).map(" ".join))
def test_stripping_only_ever_cuts_ends_and_never_empties(title: str) -> None:
    stripped = strip_site_name(title, ["Harbour Ledger"])
    assert stripped and stripped in " ".join(title.split())
    # with no site name to go by, only a "by …" segment (and what follows it) can be cut
    plain = strip_site_name(title)
    assert plain == " ".join(title.split()) or " by " in f" {title.lower()} "


def test_several_headings_the_confirmed_one_wins() -> None:
    candidates = [
        ("heading", "Most Read This Week"),
        ("h1", HEADLINE),
        ("jsonld", HEADLINE),
        ("og:title", "A catchier line for sharing"),
    ]
    assert choose_title(candidates) == HEADLINE
