"""Articles read and normalised on every core, in manifest order.

Normalising is pure work on one file, so the articles the work cache does not hold are shared
among forked worker processes. The rule set is compiled once, before the fork, and the workers
inherit it. A few articles are normalised in this process: starting workers would cost more.
The result is the same either way (tests/collection/test_parallel_normalise.py builds both ways).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Article
from ..readers import read_article
from .audit import packed_shingles

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ..normalise import RuleSet
    from .articles import ArticleCache

MIN_PARALLEL = 8  # below this many articles to normalise, one process is quicker

# The rule set of the build in progress, set before the workers fork (they inherit it).
_WORKER_RULES: RuleSet | None = None

Outcome = Article | InputError
Shingles = bytes  # audit.packed_shingles()


def normalise_files(paths: list[Path], rules: Callable[[], RuleSet], cache: ArticleCache | None = None
                    ) -> Iterator[tuple[Path, Outcome, Shingles | None]]:
    """Each path with its normalised article (or the InputError that stopped it) and the
    shingles of its text (compiler/collection/audit.py), in order.

    `rules` is called only when some article is not in the cache.
    """
    found = [cache.lookup(path) if cache is not None else (None, None, None) for path in paths]
    todo = [path for path, (_, article, _) in zip(paths, found, strict=True) if article is None]
    fresh = _normalise_all(todo, rules) if todo else iter(())
    for path, (key, article, text_shingles) in zip(paths, found, strict=True):
        if article is None:
            result, text_shingles = next(fresh)
            if cache is not None and isinstance(result, Article) and text_shingles is not None:
                cache.store(key, result, text_shingles)
            yield path, result, text_shingles
        else:
            yield path, article, text_shingles


def _normalise_all(paths: list[Path], rules: Callable[[], RuleSet]) -> Iterator[tuple[Outcome, Shingles | None]]:
    global _WORKER_RULES
    _WORKER_RULES = rules()
    count = min(worker_count(), len(paths) // (MIN_PARALLEL // 2))
    if count < 2 or len(paths) < MIN_PARALLEL:
        yield from (_outcome(_normalise_path(path)) for path in paths)
        return
    # The first article here: the rule patterns it needs are compiled (on first use) once, before
    # the fork, instead of once in every worker.
    first = _outcome(_normalise_path(paths[0]))
    with start_pool(count) as pool:
        chunk = max(1, min(8, len(paths) // (count * 4)))
        results = pool.map(_normalise_path, paths[1:], chunksize=chunk)
        yield first
        yield from (_outcome(result) for result in results)


def start_pool(count: int) -> Executor:
    # fork: workers start with the imports and the compiled rules of this process.
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))


def worker_count() -> int:
    """The cores this process may run on (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _normalise_path(path: Path) -> tuple[Article, Shingles] | tuple[str, list[str]]:
    """In a worker (or here): one article with its shingles, or an unusable file's message and
    problems. The duplicate finder's shingles are made here too, on every core.

    An InputError goes back as plain data, so that its problems survive the trip between processes.
    """
    from ..normalise import normalise  # deferred: the stages, loaded once a worker has an article to read

    assert _WORKER_RULES is not None
    try:
        article = normalise(read_article(path), _WORKER_RULES)
    except InputError as exc:
        return str(exc), exc.problems
    return article, packed_shingles(article.body_text)


def _outcome(result: tuple[Article, Shingles] | tuple[str, list[str]]) -> tuple[Outcome, Shingles | None]:
    first, second = result
    if isinstance(first, Article):
        return first, second  # type: ignore[return-value]
    return InputError(first, second), None  # type: ignore[arg-type]
