"""Every block of an article's source in order, kept or not, as the studio shows and toggles them.

A block's id is its position in the reader's block list (Block.index, Removal.index), so it
stays the same whatever the corrections: a toggle never renumbers the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..builders.report import in_place
from ..model import Article
from ..normalise.corrections import comparable

SNIPPET_WORDS = 8  # a snippet this long is usually unique in an article and still readable in the YAML


def normalised(text: str) -> str:
    """Text as keep:/drop: snippets are matched (whatever the case, spacing and quote marks)."""
    return comparable(text)


@dataclass
class SourceBlock:
    id: str  # "b12": the block's position in the source, the page's data-block
    state: str  # kept | removed | left-out
    text: str
    html: str  # sanitised XHTML (a kept block) or the escaped text of a removed one
    rule: str = ""
    reason: str = ""
    kind: str = ""  # the removal's kind: remove (boilerplate), extract (moved to the metadata), left-out
    kept_by_editor: bool = False  # a `keep:` snippet of the entry names it

    @property
    def teachable(self) -> bool:
        """Boilerplate the editor or a rule removed: it may become a rule for the whole site."""
        return self.state == "removed" and self.kind == "remove" and bool(self.text.strip())

    def snippet(self, others: list[SourceBlock]) -> str:
        """The shortest opening of this block's text (SNIPPET_WORDS words or more) found in no other block."""
        words = " ".join(self.text.split()).split(" ")
        rest = [normalised(block.text) for block in others if block is not self]
        for count in range(min(SNIPPET_WORDS, len(words)), len(words) + 1):
            candidate = " ".join(words[:count])
            if not any(normalised(candidate) in text for text in rest):
                return candidate
        return " ".join(words)


def source_blocks(article: Article, keep: list[str] | None = None) -> list[SourceBlock]:
    """The article's blocks in source order; `keep` (the entry's snippets) marks the ones the editor kept."""
    blocks: list[SourceBlock] = []
    kept = iter(article.blocks)
    for position, item in enumerate(in_place(article)):
        if item.kind == "kept":
            block = next(kept)
            ident = f"b{block.index}" if block.index is not None else f"r{position}"
            blocks.append(SourceBlock(ident, "kept", block.text, item.html))
        else:
            removal = item.removal
            assert removal is not None
            state = "left-out" if removal.kind == "left-out" else "removed"
            blocks.append(SourceBlock(f"b{removal.index}", state, removal.text, f"<p>{escape(removal.text)}</p>",
                                      removal.rule, removal.reason, removal.kind))
    if keep:
        snippets = [normalised(snippet) for snippet in keep]
        for block in blocks:
            text = normalised(block.text)
            block.kept_by_editor = block.state == "kept" and any(snippet in text for snippet in snippets)
    return blocks
