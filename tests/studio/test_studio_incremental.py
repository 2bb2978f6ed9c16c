"""A correction to one article's entry reloads only what depends on it (compiler/studio/incremental.py):
after each one, the studio's collection is what loading the written collection file whole gives."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from compiler.collection.loading import Collection, load_collection
from compiler.collection.manifest import load_manifest
from compiler.studio import manifest_edit
from compiler.studio import state as state_module
from compiler.studio.blocks import source_blocks
from compiler.studio.state import Studio

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synth import paragraph

# A short box each site prints in every article: only the collection's repeat finder takes it.
BOX = "The harbour office is open from nine until five on weekdays and closed on holidays."

MANIFEST = """\
title: Repeats   # a book of two sites
sections:
  - title: Quayside
    articles:
      - path: articles/a1.md
      - path: articles/a2.md
      - path: articles/a3.md
  - title: Valley
    articles:
      - path: articles/b1.md
      - path: articles/b2.md
      - path: articles/b3.md  # the second Quayside essay again, under another title
"""


def write_article(folder: Path, name: str, title: str, outlet: str, date: str, seed: int) -> None:
    rng = random.Random(seed)
    body = [paragraph(rng, 4) for _ in range(4)]
    blocks = [f"# {title}", f"By Writer {seed}", f"{outlet}, {date}", *body[:2], BOX, *body[2:]]
    (folder / name).write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


@pytest.fixture
def studio(tmp_path: Path) -> Studio:
    folder = tmp_path / "repeats"
    (folder / "articles").mkdir(parents=True)
    quay, valley = "The Quayside Courier", "The Valley Courier"
    for name, title, outlet, date, seed in [("a1.md", "One", quay, "March 3, 2024", 1),
                                            ("a2.md", "Two", quay, "March 10, 2024", 2),
                                            ("a3.md", "Three", quay, "March 17, 2024", 3),
                                            ("b1.md", "Four", valley, "April 3, 2024", 4),
                                            ("b2.md", "Five", valley, "April 9, 2024", 5),
                                            ("b3.md", "Six", valley, "April 20, 2024", 2)]:
        write_article(folder / "articles", name, title, outlet, date, seed)
    (folder / "collection.yaml").write_text(MANIFEST, encoding="utf-8")
    opened = Studio(folder / "collection.yaml")
    opened.loaded = opened._load(opened.text)  # as the loader leaves it once every article is read
    return opened


def summary(collection: Collection) -> tuple[list[Any], list[str]]:
    articles = [([(block.index, block.text) for block in article.blocks],
                 [(removal.rule, removal.index, removal.text) for removal in article.removed],
                 article.meta.title, article.meta.publisher, article.words, article.words_removed)
                for article in collection.articles]
    return articles, [finding.line for finding in collection.findings]


def whole(studio: Studio) -> Collection:
    """The written collection file loaded whole, as a fresh `anthology build` loads it (no cache)."""
    return load_collection(load_manifest(studio.path, studio.path.read_text(encoding="utf-8")))


def repeated(collection: Collection, number: int) -> list[str]:
    return [r.text for r in collection.articles[number - 1].removed if r.rule == "collection.repeated"]


def block_id(studio: Studio, number: int, text: str) -> str:
    return next(b.id for b in source_blocks(studio.article(number)) if b.text == text)


def test_each_correction_gives_the_collection_a_whole_load_gives(studio: Studio,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before = studio.loaded.collection
    assert all(repeated(before, n) == [BOX] for n in range(1, 7))  # each site repeats the box
    assert any(f.code == "near-duplicate" for f in before.findings)  # b3 is a2 again
    loads: list[int] = []
    load_whole = state_module.load_collection

    def counted(*args: Any, **kwargs: Any) -> Collection:
        loads.append(1)
        return load_whole(*args, **kwargs)

    monkeypatch.setattr(state_module, "load_collection", counted)
    version = studio.version

    def check() -> Collection:
        assert studio.loaded is not None
        assert summary(studio.loaded.collection) == summary(whole(studio))
        return studio.loaded.collection

    # Keep the box in the first article: it stays repeated (removed) in the others.
    version = studio.toggle(version, 1, block_id(studio, 1, BOX))
    now = check()
    assert repeated(now, 1) == [] and repeated(now, 2) == [BOX]
    # Remove a paragraph of the second.
    paragraph_text = studio.article(2).blocks[0].text
    version = studio.toggle(version, 2, block_id(studio, 2, paragraph_text))
    assert paragraph_text not in check().articles[1].body_text
    # The fourth and fifth articles moved to the other site: the box is printed once on their old
    # site now (so the sixth keeps it), and is still repeated on the new one.
    version = studio.apply(version, 4, manifest_edit.set_field("publisher", "The Quayside Courier"))
    assert repeated(check(), 6) == [BOX]
    version = studio.apply(version, 5, manifest_edit.set_field("publisher", "The Quayside Courier"))
    now = check()
    assert repeated(now, 6) == [] and repeated(now, 4) == [BOX] and repeated(now, 5) == [BOX]
    version = studio.set_field(version, 3, "title", "Three, Retitled")
    assert check().articles[2].meta.title == "Three, Retitled"
    version = studio.toggle(version, 2, block_id(studio, 2, paragraph_text))  # the paragraph back
    assert paragraph_text in check().articles[1].body_text
    version = studio.apply(version, 4, manifest_edit.set_field("publisher", ""))
    assert repeated(check(), 6) == [BOX]
    assert loads == []  # none of them loaded the collection whole
    assert "# a book of two sites" in studio.text


def test_a_refused_correction_changes_nothing(studio: Studio) -> None:
    text, loaded = studio.text, studio.loaded
    with pytest.raises(state_module.Refused) as refused:
        studio.set_field(studio.version, 2, "date", "2023-02-30")
    assert "is not a date" in refused.value.lines[0]
    assert studio.path.read_text(encoding="utf-8") == text and studio.loaded is loaded
