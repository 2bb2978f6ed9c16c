"""The studio's articles read in the background, so that its page is served at once.

On a start the work cache cannot answer (a collection opened for the first time, an upgraded
tool), normalising 150 articles takes seconds. The studio does not wait for it: it listens and
serves the list of articles as the collection file gives them, while this loader reads them in
book order, an article the page asks for first. Each article read is shown as soon as it is
(normalised alone: its own rules, keep:/drop: and overrides); once every one is in, the
collection is loaded as the CLI loads it (the work cache then holds them all), which adds the
collection-wide evidence: blocks a site repeats, near-duplicates.

With many articles to normalise they go to worker processes, forked here before the server
starts any thread, each worker compiling the rules itself (the server's process is not kept
busy); the pool ends with the loading, or with the studio on Ctrl-C. A few are normalised
in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import WorkCache
from ..collection import parallel
from ..collection.articles import ArticleCache
from ..collection.audit import packed_shingles
from ..collection.loading import LazyRules
from ..collection.manifest import load_manifest
from ..collection.parallel import MIN_PARALLEL, worker_count
from ..errors import InputError
from ..model import Article
from ..normalise import normalise
from ..readers import read_article

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from ..normalise import RuleSet
    from .state import Studio

Outcome = Article | InputError
WORKER_NICENESS = 10


def normalise_here(path: Path, rules: RuleSet) -> tuple[Outcome, bytes | None]:
    """One article normalised alone, with its text's shingles (as parallel.py's workers make them)."""
    try:
        article = normalise(read_article(path), rules)
    except InputError as exc:
        return exc, None
    return article, packed_shingles(article.body_text)


def _start_worker(manifest_path: Path, text: str) -> None:
    """A worker's start: Ctrl-C is the server's to handle (it ends the pool); the rules compiled once."""
    global _START_FAILED
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The editor's requests first: the server's process answers them while the workers read on.
    os.nice(WORKER_NICENESS)
    try:
        manifest = load_manifest(manifest_path, text)
        parallel._WORKER_RULES = LazyRules(manifest, None, WorkCache.for_collection(manifest.root))()
    except Exception as exc:  # said by each task: a worker dying here would be started again and again
        _START_FAILED = exc


_START_FAILED: Exception | None = None


def _in_worker(path: Path) -> tuple[Any, Any]:
    if _START_FAILED is not None:
        raise _START_FAILED
    return parallel._normalise_path(path)


class Loader:
    def __init__(self, studio: Studio) -> None:
        self.studio = studio
        self.manifest = studio.manifest  # as at the start; the collection is loaded at the end as it is then
        cache = studio.cache
        self.cache = ArticleCache(cache, self.manifest, studio.session.articles) if cache.enabled else None
        self.todo: list[Path] = []  # book order
        self.keys: dict[Path, str | None] = {}
        self.pool: Pool | None = None
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()
        self.done = threading.Event()
        # the workers' results, and (None, None) when a page starts waiting for an article
        self.results: queue.Queue[tuple[Path | None, Any]] = queue.Queue()
        self._rules_here: Callable[[], RuleSet] = LazyRules(self.manifest, studio.session, studio.cache)

    def start(self) -> None:
        """Find what the work cache holds; fork the workers when there is much left (call this
        before any other thread starts: a fork copies only the thread that makes it)."""
        paths: list[Path] = []
        for entry in self.manifest.entries:
            if entry.url is None:
                path = self.manifest.resolve(entry)
                if path not in paths:
                    paths.append(path)
        for path in paths:
            key, article, _ = self.cache.lookup(path) if self.cache is not None else (None, None, None)
            self.keys[path] = key
            if article is None:
                self.todo.append(path)
            else:
                self.studio.arrived(path, article)
        count = min(worker_count(), len(self.todo) // (MIN_PARALLEL // 2))
        if count >= 2 and len(self.todo) >= MIN_PARALLEL:
            context = multiprocessing.get_context("fork")
            self.pool = context.Pool(count, initializer=_start_worker, initargs=(self.manifest.path,
                                                                                 self.studio.text))
        self.thread = threading.Thread(target=self._run, name="studio-loader", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """The studio is stopping: no worker outlives it."""
        self.stopping.set()
        pool = self.pool
        if pool is not None:
            pool.terminate()
            pool.join()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def _next(self) -> Path | None:
        """The next article to read: one a page waits for, else the first in book order."""
        with self.studio.lock:
            for path in self.studio.wanted:
                if path in self.todo:
                    self.todo.remove(path)
                    return path
            return self.todo.pop(0) if self.todo else None

    def _run(self) -> None:
        try:
            if self.pool is not None:
                self._run_pool(self.pool)
            else:
                self._run_here()
        except Exception as exc:  # a fault of the tool: said on the page, not lost in a thread
            self.studio.failed([f"error: reading the articles stopped: {type(exc).__name__}: {exc}"])
        finally:
            if self.pool is not None and not self.stopping.is_set():
                self.pool.close()  # the workers end now; nothing is left running while the editor works
                self.pool.join()
            self.pool = None
        if not self.stopping.is_set():
            self.studio.all_read()
        self.done.set()

    def nudge(self) -> None:
        """A page waits for an article (Studio.wait_for)."""
        self.results.put((None, None))

    def _wanted_here(self) -> Path | None:
        """An article a page waits for that no worker has sent yet: this process reads it too
        (the workers are niced and may still be starting; the server's process is idle meanwhile)."""
        with self.studio.lock:
            for path in self.studio.wanted:
                if path not in self.studio.read and path in self.keys:
                    if path in self.todo:
                        self.todo.remove(path)
                    return path
            return None

    def _run_here(self) -> None:
        while not self.stopping.is_set():
            path = self._next()
            if path is None:
                return
            self._store(path, *normalise_here(path, self._rules_here()))

    def _run_pool(self, pool: Pool) -> None:
        # A few articles in flight at a time (two for each worker, so none waits for the next),
        # not the whole list queued: an article the page asks for goes next, without waiting
        # behind the rest of the book.
        results = self.results
        in_flight: set[Path] = set()
        window = 2 * getattr(pool, "_processes", 2)
        while not self.stopping.is_set():
            while len(in_flight) < window:
                path = self._next()
                if path is None:
                    break
                in_flight.add(path)
                pool.apply_async(_in_worker, (path,), callback=lambda result, p=path: results.put((p, result)),
                                 error_callback=lambda exc, p=path: results.put((p, exc)))
            if not in_flight:
                return
            try:
                path, result = results.get(timeout=0.5)
            except queue.Empty:
                continue
            if path is None:
                here = self._wanted_here()
                if here is not None:
                    self._store(here, *normalise_here(here, self._rules_here()))
                continue
            in_flight.discard(path)
            if isinstance(result, BaseException):
                raise result
            first, second = result
            if isinstance(first, Article):
                self._store(path, first, second)
            else:  # an InputError sent back as its message and problems (parallel._normalise_path)
                self._store(path, InputError(first, second), None)

    def _store(self, path: Path, outcome: Outcome, shingles: bytes | None) -> None:
        if isinstance(outcome, Article) and shingles is not None and self.cache is not None:
            self.cache.store(self.keys.get(path), outcome, shingles)  # the CLI's next build finds it too
        self.studio.arrived(path, outcome)
