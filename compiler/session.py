"""What a long-running `anthology build --watch` keeps in memory between builds.

A single build reads its unchanged articles from the work cache on disk; a watching process
also keeps them, the duplicate finder's counts and the compiled templates in memory, so that a
rebuild after an edit to one article redoes that article's work and little else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .book.templating import Renderer
    from .collection.audit import TextIndex
    from .model import Article
    from .normalise import RuleSet


@dataclass
class Session:
    # normalised articles and their packed shingles (audit.packed_shingles), by work-cache key; never changed once made
    articles: dict[str, tuple[Article, bytes]] = field(default_factory=dict)
    texts: TextIndex | None = None  # made from the work cache's pair counts by the first build
    renderers: dict[str, Renderer] = field(default_factory=dict)  # by template folder
    rules: dict[str, RuleSet] = field(default_factory=dict)  # the compiled rule set, by its packs' digest

    def keep_only(self, keys: set[str]) -> None:
        """Forget articles that are no longer in the book (or whose file changed)."""
        self.articles = {key: article for key, article in self.articles.items() if key in keys}
