"""Collections written for the editor's-workflow tests: the review report, check, duplicates, rights.

Every text here was written for these tests. The harbour essay appears twice, as two sites would
carry it: the same paragraphs under different boilerplate, a week apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HARBOUR_BODY = [
    "The old slipway at Carrow Point has been out of use for eleven years, and for most of that time "
    "nobody asked who owned it. The question came up only when a rowing club offered to repair it.",
    "The club's plan was modest: replace the rotten timbers, clear the weed from the rails, and open the "
    "ramp to anyone with a small boat on Saturday mornings. The money would come from members.",
    "What stopped the work for a whole winter was a search through three sets of deeds. The council, the "
    "harbour trust and a family that once ran a boatyard each held a piece of paper about the slipway.",
    "In the end the three agreed to lease it jointly to the club for a peppercorn rent. The timbers went in "
    "over Easter, and on the first open Saturday nineteen boats went down the ramp before noon.",
    "The lesson the club draws is that shared places decay not from neglect but from doubt. When nobody "
    "is sure they may mend a thing, nobody mends it, and the doubt outlasts the timber.",
]

HARBOUR_POST = "\n\n".join([
    "# Who Owns the Slipway?",
    "By Maren Holt",
    "The Harbour Post, May 2, 2023",
    "Subscribe to our newsletter for weekly news from the waterfront.",
    *HARBOUR_BODY,
    "Share this article with your friends on the quay.",
    "This article is licensed under Creative Commons CC BY 4.0.",
    "© 2023 The Harbour Post",
]) + "\n"  # fmt: skip

COASTLINE_WEEKLY = "\n\n".join([
    "# Who Owns the Slipway?",
    "By Maren Holt",
    "Coastline Weekly, May 9, 2023",
    "Please donate to keep Coastline Weekly free for every reader on the coast.",
    *HARBOUR_BODY,
    "Follow us on Mastodon and Instagram for more stories from the shore.",
    "© 2023 Coastline Weekly. All rights reserved.",
]) + "\n"  # fmt: skip

ORPHAN = "\n\n".join([
    "# Lamps on the Pier",
    "Someone has been replacing the broken bulbs on the pier lamps at night, one lamp a week, and "
    "nobody in the town will admit to knowing who it is or where the bulbs come from.",
    "The harbourmaster says he has no budget for lamps and no objection to the mystery, and the "
    "fishermen say the pier has not been this bright since the ferry stopped calling.",
]) + "\n"  # fmt: skip


def write_collection(folder: Path, distribution: str = "private", extra_entries: str = "",
                     articles: tuple[str, ...] = ("post", "weekly", "orphan")) -> Path:
    """The harbour pair and the orphan in a collection folder; returns the manifest path."""
    texts = {"post": ("harbour-post.md", HARBOUR_POST), "weekly": ("coastline-weekly.md", COASTLINE_WEEKLY),
             "orphan": ("lamps.md", ORPHAN)}
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    entries = ""
    for key in articles:
        name, text = texts[key]
        (folder / "articles" / name).write_text(text, encoding="utf-8")
        entries += f"  - path: articles/{name}\n"
    manifest = folder / "collection.yaml"
    manifest.write_text(
        "title: Harbour Notes\neditors: [Ida Editor]\noutput: harbour\n"
        f"distribution: {distribution}\narticles:\n{entries}{extra_entries}",
        encoding="utf-8",
    )
    return manifest


@dataclass
class WorkflowBuild:
    """The harbour collection built by `anthology build` in every format."""

    manifest: Path
    out: Path
    stdout: str
    stderr: str

    def file(self, suffix: str) -> Path:
        return self.out / f"harbour{suffix}"
