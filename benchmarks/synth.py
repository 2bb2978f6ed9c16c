"""Synthetic collections for the benchmarks: N articles in the scraped style, boilerplate and all.

Every word is put together here from small invented vocabularies with a seeded random
generator, so a collection is the same on every machine and holds no text from the web.
Each article is a saved page: title, byline, outlet and date line, a newsletter plea, about
`words` words of body in paragraphs (now and then a subheading or a quotation), then share
prompts and a copyright footer, which the generic rule pack removes.

    python benchmarks/synth.py OUT_FOLDER --articles 150 [--sections 5] [--words 1500]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

_SUBJECTS = [
    "the county archive", "a small ferry company", "the allotment society", "the night bus drivers",
    "a village school", "the water board", "three retired surveyors", "the regional orchestra",
    "a cooperative bakery", "the lighthouse keepers' union", "the planning committee", "a cycling club",
    "the museum's volunteers", "a fishing cooperative", "the tram depot", "the hill farmers",
]
_VERBS = [
    "questioned", "rebuilt", "measured", "argued over", "mapped", "repaired", "counted", "defended",
    "documented", "reopened", "funded", "inspected", "photographed", "restored", "studied", "mended",
]
_OBJECTS = [
    "the old canal locks", "every bridge in the district", "a forgotten railway timetable",
    "the harbour wall", "the winter grazing rights", "a row of tidal mills", "the public baths",
    "the river's flood records", "a disused signal box", "the market hall roof", "the parish maps",
    "the reservoir's spillway", "an orchard of rare pears", "the coastal footpath", "the town clock",
]
_CLAUSES = [
    "after years of quiet neglect", "before the spring tides returned", "with money raised at the fair",
    "although nobody had asked them to", "while the council debated the budget", "in a single dry summer",
    "against the advice of the engineers", "once the last tenant had left", "under a borrowed tarpaulin",
    "because the insurers would not", "long after the newspapers lost interest", "with help from the school",
]
_OPENERS = ["", "", "", "In the end, ", "By most accounts, ", "Later that year, ", "Even so, ", "For a while, ",
            "Some say ", "As it happened, "]
_FIRST = ["Ada", "Bram", "Celia", "Dmitri", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaori", "Lior",
          "Maren", "Nils", "Odile", "Pavel", "Quinn", "Rosa", "Soren", "Talia"]
_LAST = ["Ashdown", "Brenner", "Castell", "Dunmore", "Eskola", "Fairlie", "Garroway", "Holm", "Iversen", "Jessop",
         "Kettle", "Lindqvist", "Marrow", "Nyberg", "Orme", "Pellow", "Quarry", "Rusk", "Strand", "Thorne"]
_OUTLETS = ["Harbour Ledger", "The Valley Courier", "Northshore Weekly", "The Lantern Review", "Civic Notes"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def sentence(rng: random.Random, markup: bool = False) -> str:
    """One sentence; with `markup`, now and then its object is a link or emphasised, as in a scrape."""
    thing = rng.choice(_OBJECTS)
    if markup:
        roll = rng.random()
        if roll < 0.08:
            thing = f"[{thing}](https://example.org/{rng.randint(1, 9999)})"
        elif roll < 0.12:
            thing = f"*{thing}*"
    text = f"{rng.choice(_OPENERS)}{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {thing} {rng.choice(_CLAUSES)}"
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, markup=True) for _ in range(sentences))


def article(number: int, words: int = 1500, seed: int = 0) -> str:
    """One saved page in Markdown, about `words` words of body."""
    rng = random.Random(seed * 100_003 + number)
    author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    outlet = rng.choice(_OUTLETS)
    date = f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.randint(2015, 2024)}"
    title = f"Article {number}: How {rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    lines = [f"# {title}", f"By {author}", f"{outlet}, {date}",
             f"Subscribe to the {outlet} newsletter to receive our weekend long reads."]
    written = 0
    while written < words:
        text = paragraph(rng, rng.randint(3, 7))
        roll = rng.random()
        if roll < 0.06:
            lines.append(f"## {sentence(rng)[:-1]}")
        elif roll < 0.12:
            text = f"> {text}"
        lines.append(text)
        written += len(text.split())
    lines += ["Please share this story with your friends and colleagues, and forward it to your email lists.",
              f"Copyright © {author}, {outlet}, {date[-4:]}"]
    return "\n\n".join(lines) + "\n"


# Article lengths by mix: short pieces (300-600 words), long ones (1,500-2,500) or both, at random.
MIXES = {"short": [(300, 600)], "long": [(1500, 2500)], "mixed": [(300, 600), (600, 1500), (1500, 2500)]}


def words_of(number: int, mix: str, seed: int = 0) -> int:
    """The body length of article `number` in a collection of this mix."""
    rng = random.Random(seed * 7_919 + number)
    low, high = rng.choice(MIXES[mix])
    return rng.randint(low, high)


def write_collection(folder: Path, articles: int, sections: int = 5, words: int = 1500, seed: int = 0,
                     extra: str = "", mix: str | None = None) -> Path:
    """A collection folder with `articles` articles in `sections` sections; returns the manifest path.
    Each article has about `words` words of body, or, with a `mix` (MIXES), a length drawn from it."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    per_section = -(-articles // max(sections, 1))
    manifest = ["title: A Synthetic Anthology", "editors: [Bench Editor]", "language: en",
                "rights: Generated for the benchmarks.", "output: synthetic", "sections:"]
    for number in range(1, articles + 1):
        if (number - 1) % per_section == 0:
            manifest += [f"  - title: Part {(number - 1) // per_section + 1}", "    articles:"]
        name = f"articles/a{number:04d}.md"
        length = words_of(number, mix, seed) if mix else words
        (folder / name).write_text(article(number, length, seed), encoding="utf-8")
        manifest.append(f"      - path: {name}")
    path = folder / "collection.yaml"
    path.write_text("\n".join(manifest) + "\n" + extra, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--sections", type=int, default=5)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--mix", choices=sorted(MIXES), help="article lengths drawn from a mix instead of --words")
    args = parser.parse_args()
    print(write_collection(args.folder, args.articles, args.sections, args.words, mix=args.mix))


if __name__ == "__main__":
    main()
