"""Properties of the normaliser on generated articles (hypothesis).

Articles are generated from a small grammar of what a scrape looks like: a title, prose
paragraphs, headings, lists, separators, images, and boilerplate lines of the kinds the rule
packs target (bylines, datelines, pleas, share rows, copyright, licence, source and tag lines),
sometimes packed two to a paragraph, plus arbitrary unicode. Four properties:

1. It never raises, on generated articles and on any text at all.
2. It is idempotent. "Its own output" is the article as the book shows it: the title found
   (or, failing that, the one made from the file name), as a heading, then the kept body
   blocks. Normalising that again finds the same title and keeps every body block, with the
   same text: nothing the first pass kept looks like boilerplate to a second pass, and a second
   pass finds no new damage to repair. This is asked of articles that have a body, a paragraph
   of prose at least BODY_ANCHOR_WORDS long: without one the engine guesses the body from
   position alone (everything after the first line), and removing the head moves that line.
3. Nothing is removed that no rule names: every removal's rule is a rule of a pack that ran,
   not disabled, and that rule's test accepts the removed block (or the block closes a span
   that an accepted block of the same rule opened).
4. Every removal is accounted for: the words of the blocks the engine saw equal the words
   kept plus the words of the removals, and no block is both kept and removed.

Each property runs at least 500 examples (the "properties" profile, below); all of them
together take about half a minute.
"""

from __future__ import annotations

import copy
import os
import string
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from compiler.model import Article, ArticleMeta, Block, BlockKind
from compiler.normalise import furniture, normalise, rule_set
from compiler.normalise.engine import BODY_ANCHOR_WORDS
from compiler.normalise.stages import active_rules, detect_sites
from compiler.normalise.stages import engine_input as normalise_engine_input
from compiler.readers.markdown import parse_blocks

# The 500 examples are drawn from a fixed seed, so the README's test command gives the same answer
# on every machine and a landing never depends on luck. Hunting for new counterexamples is a
# developer's run with new seeds: ANTHOLOGY_PROPERTIES=hunt python -m pytest tests/normalise/test_properties.py
# (each one found goes in as an @example).
settings.register_profile("properties", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.register_profile("hunt", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A quicker profile for local runs: ANTHOLOGY_PROPERTIES=quick python -m pytest tests/normalise/test_properties.py
settings.register_profile("quick", max_examples=50, deadline=None)
PROFILE = settings.get_profile(os.environ.get("ANTHOLOGY_PROPERTIES", "properties"))

RULES = rule_set()

# --- the grammar ------------------------------------------------------------------------------

WORDS = ["harbour", "ferry", "lantern", "council", "archive", "letter", "winter", "market", "library", "volunteer",
         "tide", "shelf", "roof", "the", "a", "of", "and", "to", "in", "was", "were", "they", "she", "he", "it", "on",
         "for", "with"]
NAMES = ["Maren Holt", "Ana Lopes", "Tomas Berg", "Ines Duarte", "Kofi Mensah", "Li Wei"]
OUTLETS = ["The Harbour Post", "Weekly Lantern", "Northern Ledger", "Tide Review"]
MONTHS = ["January", "March", "May", "July", "September", "December"]

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=70).map(" ".join)
sentence = st.builds(lambda w, end: w.capitalize() + end, words, st.sampled_from([".", ".", "?", "!", ",", ""]))
prose = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
name = st.sampled_from(NAMES)
outlet = st.sampled_from(OUTLETS)
date = st.builds(lambda m, d, y: f"{m} {d}, {y}", st.sampled_from(MONTHS), st.integers(1, 28), st.integers(1995, 2025))

BOILERPLATE = st.one_of(
    st.builds("By {}".format, name),
    st.builds("By {} and {}".format, name, name),
    st.builds("{}, {}".format, outlet, date),
    st.builds("Published: {}".format, date),
    st.builds("Copyright © {} {}".format, st.integers(1995, 2025), outlet),
    st.builds("© {} {}. All rights reserved.".format, st.integers(1995, 2025), outlet),
    st.builds("Source: {}".format, outlet),
    st.builds("This article was originally published in {} on {}.".format, outlet, date),
    st.builds("Tags: {}, {}".format, st.sampled_from(WORDS), st.sampled_from(WORDS)),
    st.just("Subscribe to our newsletter for weekly stories from the harbour."),
    st.just("Follow us on Mastodon and Bluesky."),
    st.just("Please share this article with your friends."),
    st.just("Share this: Facebook Twitter Email"),
    st.just("Support independent journalism: donate today."),
    st.just("This work is licensed under a Creative Commons Attribution 4.0 International License."),
    st.just("Disclaimer: the views of contributors are their own."),
    st.just("Related articles"),
    st.just("Click here to read more"),
)
unicode_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60)


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "x"


BLOCK = st.one_of(
    prose,
    prose,
    BOILERPLATE,
    BOILERPLATE,
    st.builds(lambda a, b: f"{a}\n{b}", BOILERPLATE, BOILERPLATE),  # two facts packed in one paragraph
    st.builds(lambda level, w: f"{'#' * level} {w}", st.integers(1, 4), words),
    st.lists(words, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {item}" for item in items)),
    st.sampled_from(["* * *", "---", "*"]),
    st.builds("![{}](pictures/{}.png)".format, words, st.sampled_from(string.ascii_lowercase)),
    st.builds("> {}".format, prose),
    unicode_text.map(_one_line),
    st.builds(lambda w: f"[{w}](https://example.org/{len(w)})", words),
)

title_line = st.one_of(st.none(), words, st.builds("# {}".format, words))
articles = st.builds(
    lambda title, blocks: "\n\n".join(([title] if title else []) + blocks) + "\n",
    title_line,
    st.lists(BLOCK, min_size=0, max_size=14),
)
# An article with a body: at least one paragraph long enough to be the author's prose
# (BODY_ANCHOR_WORDS), wherever it stands among the other blocks.
long_paragraph = st.lists(st.sampled_from(WORDS), min_size=BODY_ANCHOR_WORDS, max_size=90).map(
    lambda w: " ".join(w).capitalize() + ".")
articles_with_a_body = st.builds(
    lambda title, blocks, body, at: "\n\n".join(([title] if title else []) + blocks[:at] + [body] + blocks[at:]) + "\n",
    title_line,
    st.lists(BLOCK, min_size=0, max_size=14),
    long_paragraph,
    st.integers(0, 14),
)


# --- helpers ----------------------------------------------------------------------------------


SOURCE = Path("saved-article.md")  # every real article has a path (or URL); its name is the last resort title


def article_from(text: str) -> Article:
    return Article(meta=ArticleMeta(source=str(SOURCE)), blocks=parse_blocks(text), source_path=SOURCE)


def engine_input(article: Article) -> list[Block]:
    """The blocks the engine works on, as `normalise` computes them."""
    packs = detect_sites(article, RULES) + RULES.generic
    return normalise_engine_input(copy.deepcopy(article.blocks), active_rules(packs, RULES))


def as_shown(article: Article) -> Article:
    """The article as the book shows it: its title as a heading, then its kept blocks."""
    blocks = copy.deepcopy(article.blocks)
    for block in blocks:
        block.index = None
    if article.meta.title:
        title = article.meta.title
        heading = Block(kind=BlockKind.HEADING, html=f"<h1>{title}</h1>", text=title, level=1)
        blocks.insert(0, heading)
    return Article(meta=ArticleMeta(source=str(SOURCE)), blocks=blocks, source_path=SOURCE)


def words_in(blocks: list[Block]) -> int:
    return sum(len(block.text.split()) for block in blocks)


# --- the properties ---------------------------------------------------------------------------


@PROFILE
@given(st.one_of(articles, st.text()))
def test_never_raises(text: str) -> None:
    normalise(article_from(text), RULES)


@PROFILE
@given(articles_with_a_body)
# Found by a run with a new seed: a plea between a cut-off dateline and the next paragraph; once
# it went, the two were joined into a long block that moved the body, and a second run removed
# the article's first plea too.
@example("Harbour harbour harbour harbour harbour harbour harbour harbour harbour harbour harbour harbour.\n\n"
         "![harbour](pictures/a.png)\n\nHarbour.\n\n"
         "Subscribe to our newsletter for weekly stories from the harbour.\n\n"
         "Share this: Facebook Twitter Email\n\nThe Harbour Post, January 1, 1995\n\n"
         "Subscribe to our newsletter for weekly stories from the harbour.\n\n"
         "[harbour harbour harbour harbour harbour harbour](https://example.org/47)\n")
def test_idempotent_on_its_own_output(text: str) -> None:
    first = normalise(article_from(text), RULES)
    shown = as_shown(first)
    second = normalise(shown, RULES)
    assert second.meta.title == first.meta.title
    assert [r.text for r in second.removed] == ([first.meta.title] if first.meta.title else [])
    assert [(b.kind, b.text) for b in second.blocks] == [(b.kind, b.text) for b in first.blocks]


# The kinds of furniture a block's own form tells, and the test each block it takes must pass;
# the others are found from the page's structure (where the block stands), not from the block.
KIND_TESTS = {
    furniture.BUTTON.id: furniture.is_button_row,
    furniture.COUNTER.id: furniture.is_counter,
    furniture.FORM.id: furniture.is_form,
    furniture.ADVERT.id: furniture.is_advert_label,
    furniture.LINK_LIST.id: furniture.is_link_list,
    furniture.TAGS.id: furniture.is_tag_line,
    furniture.CALL_TO_ACTION.id: lambda block: furniture.is_call_to_action(block, edge=True),
}
STRUCTURE_KINDS = {kind.id for kind in furniture.KINDS} - set(KIND_TESTS)


@PROFILE
@given(articles)
def test_every_removal_is_by_a_rule_that_matches_it(text: str) -> None:
    article = article_from(text)
    seen = engine_input(article)
    packs = detect_sites(article, RULES) + RULES.generic
    rules = {rule.id: rule for rule in active_rules(packs, RULES)}
    normalise(article, RULES)
    accepted: dict[int, str] = {}
    for removal in sorted(article.removed, key=lambda r: r.index):
        block = seen[removal.index]
        if removal.text != block.text:  # a paragraph the scrape cut in two, joined once what stood between went
            assert removal.text.startswith(block.text + " "), (removal.text, block.text)
            assert removal.block is not None
            block = removal.block
        if removal.rule in KIND_TESTS or removal.rule in STRUCTURE_KINDS:
            # a kind of furniture told by the block's own form must hold of the block
            test = KIND_TESTS.get(removal.rule)
            assert test is None or test(block), (removal.rule, block.text)
            continue
        rule = rules.get(removal.rule)
        assert rule is not None, f"{removal.rule} is not an active rule"
        if rule.matches_text(block) is not None:
            accepted[removal.index] = rule.id
            continue
        assert rule.spec.span is not None, f"{rule.id} does not match {block.text!r}"
        opener = max((i for i, rid in accepted.items() if rid == rule.id and i < removal.index), default=None)
        assert opener is not None and removal.index - opener <= rule.spec.span.max_blocks, (rule.id, block.text)


@PROFILE
@given(articles)
def test_every_removal_is_accounted_for(text: str) -> None:
    article = article_from(text)
    seen = engine_input(article)
    normalise(article, RULES)
    removed = [r.index for r in article.removed]
    kept = [b.index for b in article.blocks]
    assert len(set(removed)) == len(removed)
    assert set(removed).isdisjoint(kept)
    assert all(0 <= i < len(seen) for i in removed + [i for i in kept if i is not None])
    assert words_in(seen) == article.words + sum(len(r.text.split()) for r in article.removed)
