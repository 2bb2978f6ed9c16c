"""The work cache: unchanged articles are not normalised again; damage and --no-cache are handled."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pdf_fixtures import write_flat

from compiler import normalise as normalise_package
from compiler.cache import CACHE_ROOT, WORK_FOLDER, WorkCache
from compiler.cli import main
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest


def _count_normalise(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = normalise_package.normalise

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(*args, **kwargs)

    # every caller imports it from the package when it runs, so one patch counts them all
    monkeypatch.setattr(normalise_package, "normalise", counting)
    return calls


def test_a_second_load_reads_unchanged_articles_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = write_flat(tmp_path, "", articles=3)
    calls = _count_normalise(monkeypatch)
    cache = WorkCache.for_collection(tmp_path)
    first = load_collection(load_manifest(manifest), cache=cache)
    assert calls[0] == 3
    (tmp_path / "a2.md").write_text("# Changed Title\n\nBy Someone\n\n" + "A new sentence here. " * 30)
    second = load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    assert calls[0] == 4, "only the changed article is normalised again"
    assert [a.meta.title for a in second.articles] == [first.articles[0].meta.title, "Changed Title",
                                                        first.articles[2].meta.title]
    assert second.articles[0].body_html == first.articles[0].body_html


def test_a_corrupt_entry_is_ignored_and_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = write_flat(tmp_path, "", articles=2)
    load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    entries = sorted((tmp_path / CACHE_ROOT / WORK_FOLDER / "article").rglob("*"))
    files = [p for p in entries if p.is_file()]
    assert len(files) == 2
    files[0].write_bytes(b"\x80\x05garbage")
    files[1].write_bytes(files[1].read_bytes()[:20])  # truncated
    calls = _count_normalise(monkeypatch)
    again = load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    assert calls[0] == 2
    assert len(again.articles) == 2
    third = WorkCache.for_collection(tmp_path)
    load_collection(load_manifest(manifest), cache=third)
    assert third.hits == 3, "the rebuilt entries were stored again (two articles, and the pair counts)"


def test_no_cache_flag_and_clean_command(tmp_path: Path) -> None:
    manifest = write_flat(tmp_path / "c", "", articles=1)
    cache_folder = tmp_path / "c" / CACHE_ROOT / WORK_FOLDER
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(manifest), "-q", "--no-cache", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert not cache_folder.exists()
    result = runner.invoke(main, ["build", str(manifest), "-q", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert cache_folder.is_dir()
    result = runner.invoke(main, ["clean", str(manifest)])
    assert result.exit_code == 0, result.output
    assert "removed" in result.output
    assert not cache_folder.exists()


def test_rule_gates_are_read_once_and_kept_for_the_next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fresh process: no gates known, no packs loaded. The build reads the gates it needs and keeps them.
    from compiler.normalise import rules

    monkeypatch.setattr(rules, "_GATES", {})
    rules.builtin_packs.cache_clear()
    read: list[str] = []
    real = rules._read_gate

    def counting(source: str, flags: int) -> rules.Gate | None:
        read.append(source)
        return real(source, flags)

    monkeypatch.setattr(rules, "_read_gate", counting)
    manifest = write_flat(tmp_path, "", articles=2)
    load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    assert read, "the first build read the rules' gates"
    kept = dict(rules._GATES)
    # Another fresh process, another article: the gates come from the work cache, read again for nothing.
    monkeypatch.setattr(rules, "_GATES", {})
    rules.builtin_packs.cache_clear()
    read.clear()
    (tmp_path / "a1.md").write_text((tmp_path / "a1.md").read_text(encoding="utf-8") + "\nOne more line.\n",
                                    encoding="utf-8")
    again = load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    assert not read and kept == rules._GATES
    fresh = load_collection(load_manifest(manifest))
    assert again.articles == fresh.articles
