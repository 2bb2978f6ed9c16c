"""The collection as evidence: what a site prints under every article is its boilerplate."""

from __future__ import annotations

from pathlib import Path

from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.model import Block, BlockKind
from compiler.normalise.site_repeats import RULE, masked

SITE_BOX = ("The Allotment Post is written by volunteers on Fenwick Lane; bring a cutting to the "
            "Saturday swap and take one home.")
PROSE = {
    "beans": [
        "The runner beans went in late this year, a full fortnight after the frost dates the old hands swear by.",
        "Marguerite Oduya, who has kept plot nine since 1998, says the soil remembers a cold spring for months.",
        "By August the rows had caught up, and the committee counted more pods than in any year since the flood.",
    ],
    "water": [
        "The standpipe by the east gate failed twice in June, and the queue for the other one ran past the sheds.",
        "Plot holders voted to share a rota for the long hoses rather than wait for the council to send a plumber.",
        "Nobody expected the rota to last, but it has outlived two chairs of the committee and one drought.",
    ],
}


def _article(title: str, author: str, date: str, paragraphs: list[str], box: str = SITE_BOX) -> str:
    head = f"# {title} | The Allotment Post\n\n> ## Excerpt\n> {paragraphs[0]}\n\n---\n\n# {title}\n\n"
    byline = f"By {author}\n\n{date}\n\n"
    return head + byline + "\n\n".join([paragraphs[0], box, *paragraphs[1:]]) + "\n"


def _collection(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in articles.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    entries = "\n".join(f"  - path: {name}.md" for name in articles)
    manifest = folder / "collection.yaml"
    manifest.write_text(f"title: Plots\neditors: [Ed]\narticles:\n{entries}\n", encoding="utf-8")
    return manifest


def test_a_box_two_articles_of_one_site_share_is_removed_from_both(tmp_path: Path) -> None:
    manifest = _collection(tmp_path / "c", {
        "beans": _article("Late Beans, Full Rows", "Iwan Petrakis", "June 3, 2024", PROSE["beans"]),
        "water": _article("The Hose Rota", "Lotte Brandvold", "July 9, 2024", PROSE["water"]),
    })
    collection = load_collection(load_manifest(manifest))
    for article in collection.articles:
        assert "bring a cutting" not in article.body_text
        assert [r.rule for r in article.removed if "bring a cutting" in r.text] == [RULE]
        assert article.meta.publisher == "The Allotment Post"
    beans, water = collection.articles
    assert all(sentence in beans.body_text for sentence in PROSE["beans"])  # nothing of the article lost
    assert all(sentence in water.body_text for sentence in PROSE["water"])
    assert beans.words_removed >= len(SITE_BOX.split())  # counted with the other removals


def test_one_article_alone_keeps_the_box(tmp_path: Path) -> None:
    manifest = _collection(tmp_path / "c", {
        "beans": _article("Late Beans, Full Rows", "Iwan Petrakis", "June 3, 2024", PROSE["beans"]),
    })
    (article,) = load_collection(load_manifest(manifest)).articles
    assert "bring a cutting" in article.body_text  # no other article says it: it may be the author's


def test_a_syndicated_copy_is_not_taken_for_the_sites_boilerplate(tmp_path: Path) -> None:
    copy = _article("Late Beans, Full Rows", "Iwan Petrakis", "June 3, 2024", PROSE["beans"])
    manifest = _collection(tmp_path / "c", {"beans": copy, "beans-again": copy.replace("June 3", "June 4")})
    first, second = load_collection(load_manifest(manifest)).articles
    for article in (first, second):
        assert all(sentence in article.body_text for sentence in PROSE["beans"])
        assert RULE not in {r.rule for r in article.removed}


def test_names_dates_and_numbers_are_masked_before_comparing() -> None:
    def block(text: str) -> Block:
        return Block(kind=BlockKind.PARAGRAPH, html=f"<p>{text}</p>", text=text)

    one = block("Get an email whenever Iwan Petrakis publishes a new post on 3 June 2024.")
    two = block("Get an email whenever Lotte Brandvold publishes a new post on 9 July 2023.")
    assert masked(one) == masked(two)
    assert masked(block("Thank you, Iwan Petrakis.")) is None  # too little left once masked


def test_the_editors_keep_beats_the_collections_repeats(tmp_path: Path) -> None:
    manifest = _collection(tmp_path / "c", {
        "beans": _article("Late Beans, Full Rows", "Iwan Petrakis", "June 3, 2024", PROSE["beans"]),
        "water": _article("The Hose Rota", "Lotte Brandvold", "July 9, 2024", PROSE["water"]),
    })
    text = manifest.read_text(encoding="utf-8").replace(
        "  - path: beans.md\n", "  - path: beans.md\n    keep: ['bring a cutting to the Saturday swap']\n")
    manifest.write_text(text, encoding="utf-8")
    beans, water = load_collection(load_manifest(manifest)).articles
    assert "bring a cutting" in beans.body_text  # the editor kept it here
    assert "bring a cutting" not in water.body_text  # and the site's repeat still goes elsewhere
