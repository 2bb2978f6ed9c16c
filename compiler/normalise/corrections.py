"""The editor's corrections of one article: `keep:` and `drop:` snippets in its manifest entry.

A snippet names a block by a piece of its text. `keep` puts back a block the normaliser removed,
where it stood; `drop` removes a block it kept, recorded like a rule's removal under the id
`manifest.drop`. Snippets match whatever the case, spacing and quote marks, so an editor can
copy them from the book or the review report. A snippet that matches no block of the article
is an error: a correction that silently does nothing would leave the book wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..model import Article, Block, Removal

DROP_RULE = "manifest.drop"
DROP_REASON = "Removed by the editor (drop: in the collection file)"
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                         "\u00a0": " ", "\u202f": " "})


def comparable(text: str) -> str:
    """Text as snippets are matched: NFKC, plain quotes, one space, no case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(re.sub(r"[*_`\\]", "", text).split()).casefold()


def apply_corrections(article: Article, keep: Sequence[str], drop: Sequence[str]) -> list[tuple[str, int, str]]:
    """Apply the snippets; return (list name, position, snippet) of each that matched no block."""
    unmatched: list[tuple[str, int, str]] = []
    article.removed = list(article.removed)  # the cached article shares these lists: leave them as they are
    kept = {id(block): block for block in article.blocks}
    restored: list[Block] = []
    for number, snippet in enumerate(keep):
        wanted = comparable(snippet)
        removals = [r for r in article.removed if r.block is not None and wanted in comparable(r.text)]
        if not removals and not any(wanted in comparable(block.text) for block in article.blocks):
            unmatched.append(("keep", number, snippet))
        for removal in removals:
            article.removed.remove(removal)
            assert removal.block is not None
            restored.append(removal.block)
    dropped: list[Removal] = []
    for number, snippet in enumerate(drop):
        wanted = comparable(snippet)
        matches = [block for block in article.blocks if wanted in comparable(block.text)]
        if not matches and not any(wanted in comparable(r.text) for r in article.removed):
            unmatched.append(("drop", number, snippet))
        for block in matches:
            if kept.pop(id(block), None) is not None:
                dropped.append(Removal(rule=DROP_RULE, reason=DROP_REASON, text=block.text,
                                       index=block.index if block.index is not None else -1, block=block))
    blocks = [*kept.values(), *restored]
    article.blocks = sorted(blocks, key=lambda block: block.index if block.index is not None else -1)
    article.removed = sorted(article.removed + dropped, key=lambda removal: removal.index)
    return unmatched
