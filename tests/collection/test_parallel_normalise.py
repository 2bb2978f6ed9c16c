"""Articles normalised in worker processes are exactly those normalised in one process."""

from __future__ import annotations

import shutil
from concurrent.futures import Executor
from pathlib import Path

import pytest

from compiler.cache import WorkCache
from compiler.collection import parallel
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.errors import InputError

HERE = Path(__file__).resolve().parents[1]  # tests/


def _varied_collection(folder: Path, broken: bool = False) -> Path:
    """The fixture articles and every golden input: many sites, languages and shapes."""
    folder.mkdir()
    sources = [*sorted((HERE / "fixtures" / "articles").glob("*.md")),
               *sorted((HERE / "normalise" / "golden").glob("*/input.md"))]
    entries = []
    for number, source in enumerate(sources):
        name = f"{number:03d}-{source.parent.name if source.name == 'input.md' else source.stem}.md"
        shutil.copyfile(source, folder / name)
        entries.append(f"  - path: {name}")
    if broken:
        (folder / "empty.md").write_text("\n\n", encoding="utf-8")
        entries.insert(len(entries) // 2, "  - path: empty.md")
    manifest = folder / "collection.yaml"
    manifest.write_text("title: Mixed\neditors: [Ed]\nlanguage: en\narticles:\n" + "\n".join(entries) + "\n",
                        encoding="utf-8")
    return manifest


class CountingPool:
    started = 0


@pytest.fixture
def counting_pool(monkeypatch: pytest.MonkeyPatch) -> type[CountingPool]:
    CountingPool.started = 0
    real = parallel.start_pool

    def counting(count: int) -> Executor:
        CountingPool.started += 1
        return real(count)

    monkeypatch.setattr(parallel, "start_pool", counting)
    monkeypatch.setattr(parallel, "worker_count", lambda: 2)  # workers even on a one-core machine
    return CountingPool


def test_workers_give_the_same_articles_as_one_process(tmp_path: Path, counting_pool: type[CountingPool],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = load_manifest(_varied_collection(tmp_path / "book"))
    assert len(manifest.entries) > 40
    in_workers = load_collection(manifest)
    assert counting_pool.started == 1, "the articles were normalised in worker processes"
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 10_000)
    in_one = load_collection(manifest)
    assert counting_pool.started == 1
    assert [a.meta.title for a in in_workers.articles] == [a.meta.title for a in in_one.articles]
    assert in_workers.articles == in_one.articles  # every field: metadata, blocks, removals, sites
    assert [f.line for f in in_workers.findings] == [f.line for f in in_one.findings]


def test_a_worker_cache_fills_the_cache_for_the_next_build(tmp_path: Path, counting_pool: type[CountingPool]) -> None:
    manifest = load_manifest(_varied_collection(tmp_path / "book"))
    first = load_collection(manifest, cache=WorkCache.for_collection(manifest.root))
    again = WorkCache.for_collection(manifest.root)
    second = load_collection(manifest, cache=again)
    assert counting_pool.started == 1, "the second build normalised nothing"
    # every article, and the duplicate finder's pair counts
    assert again.hits == len(manifest.entries) + 1 and again.misses == 0
    assert second.articles == first.articles
    assert [f.line for f in second.findings] == [f.line for f in first.findings]


def test_an_unusable_article_in_a_worker_is_reported_with_its_file(tmp_path: Path,
                                                                  counting_pool: type[CountingPool]) -> None:
    manifest = load_manifest(_varied_collection(tmp_path / "book", broken=True))
    with pytest.raises(InputError) as raised:
        load_collection(manifest)
    assert counting_pool.started == 1
    assert len(raised.value.problems) == 1
    assert "empty.md" in raised.value.problems[0]
