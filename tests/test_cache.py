"""The work cache: unchanged articles are not normalised again; damage and --no-cache are handled; every
kind of cached work is declared in compiler/cache.py, and keys follow every value the work reads."""

from __future__ import annotations

import ast
import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pdf_fixtures import write_flat

from compiler import cache as cache_module
from compiler import normalise as normalise_package
from compiler.builders.pdf.pieces import Job, job_key
from compiler.cache import (
    CACHE_ROOT,
    EPUB_COVER,
    EPUB_FONT,
    KINDS,
    PDF_PIECE,
    TEMPLATE_PIECES,
    WORK_FOLDER,
    Kind,
    LastBuild,
    WorkCache,
    fingerprint,
    key,
)
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


# ---- Kinds and keys ------------------------------------------------------------------------------

PACK = """\
id: house
name: The collection's own rules
rules:
  - id: house.plea
    reason: The site's plea for money
    zone: any
    max_words: 60
    match: '{match}'
"""


def test_every_kind_is_declared_once_in_the_table() -> None:
    declared = [value for value in vars(cache_module).values() if isinstance(value, Kind)]
    assert sorted(declared, key=repr) == sorted(KINDS, key=repr)
    assert len({kind.name for kind in KINDS}) == len(KINDS), "two kinds would share a folder"
    assert all(kind.what for kind in KINDS)


def test_the_work_cache_refuses_a_kind_not_in_the_table(tmp_path: Path) -> None:
    for cache in (WorkCache(tmp_path), WorkCache(None)):
        for kind in ("article", Kind("sketch", "not declared")):
            with pytest.raises(TypeError, match="KINDS"):
                cache.put(kind, "k", 1)  # type: ignore[arg-type]
            with pytest.raises(TypeError, match="KINDS"):
                cache.get(kind, "k")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="KINDS"):
        key(Kind("sketch", "not declared"), 1)


def _cache_names_used(tree: ast.AST) -> set[str]:
    """The names a module imports from compiler.cache, and the first argument of every call that
    hands a kind to the cache (cache.get/put/file/put_file, LastBuild, key)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None and node.module.endswith("cache") \
                and node.level > 0:
            names |= {alias.name for alias in node.names}
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            receiver = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
            kind_call = called in ("LastBuild", "key") or ("cache" in receiver and called in
                                                            ("get", "put", "file", "put_file"))
            if kind_call and isinstance(node.args[0], ast.Constant):
                names.add(f"literal {node.args[0].value!r} in {ast.unparse(node)}")
    return names


def test_every_kind_used_in_the_package_is_one_of_the_table() -> None:
    package = Path(cache_module.__file__).parent
    used: set[str] = set()
    for path in package.rglob("*.py"):
        if path != Path(cache_module.__file__):
            used |= _cache_names_used(ast.parse(path.read_text(encoding="utf-8")))
    literals = sorted(name for name in used if name.startswith("literal "))
    assert not literals, "a kind is given as a string"
    kinds = {name for name in used if isinstance(getattr(cache_module, name, None), Kind)}
    assert {getattr(cache_module, name) for name in kinds} == set(KINDS), "every declared kind is used"


def test_the_cache_module_imports_no_domain_module_at_run_time() -> None:
    tree = ast.parse(Path(cache_module.__file__).read_text(encoding="utf-8"))
    local: list[str] = []
    for node in tree.body:  # TYPE_CHECKING blocks are an `if`, not an import: left out
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            local.append(node.module or "")
    assert local == ["resources"]
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert not [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)], node.name


@dataclass
class _Inputs:
    text: str
    data: bytes
    count: int
    share: float
    flag: bool
    maybe: str | None
    names: list[str]
    options: dict[str, object]
    tags: frozenset[str]
    day: dt.date
    file: Path


def _inputs(folder: Path) -> _Inputs:
    (folder / "face.ttf").write_bytes(b"glyphs")
    return _Inputs("a", b"b", 1, 0.5, False, None, ["x", "y"], {"size": "A5", "bleed": [3, 3]},
                   frozenset({"p", "q"}), dt.date(2026, 1, 31), folder / "face.ttf")


def _changed(value: object) -> object:
    """Another value of the same type."""
    changes: dict[type, Callable[[Any], object]] = {
        str: lambda v: v + "!", bytes: lambda v: v + b"!", int: lambda v: v + 1, float: lambda v: v * 3,
        bool: lambda v: not v, type(None): lambda v: "", list: lambda v: [*v, "z"],
        dict: lambda v: {**v, next(iter(v)): [v[next(iter(v))]]},  # one value changed, the same keys
        frozenset: lambda v: v | {"z"}, dt.date: lambda v: v + dt.timedelta(days=1),
    }
    if isinstance(value, Path):
        return value.with_name("other.ttf")
    return changes[type(value)](value)


def test_a_key_follows_every_field_of_its_input(tmp_path: Path) -> None:
    base = _inputs(tmp_path)
    first = key(PDF_PIECE, base)
    assert key(PDF_PIECE, _inputs(tmp_path)) == first, "equal values built separately"
    reordered = dataclasses.replace(base, options={"bleed": [3, 3], "size": "A5"}, tags=frozenset({"q", "p"}))
    assert key(PDF_PIECE, reordered) == first, "a dict's or a set's order is not part of its value"
    keys = {first}
    for item in dataclasses.fields(_Inputs):
        changed = dataclasses.replace(base, **{item.name: _changed(getattr(base, item.name))})
        keys.add(key(PDF_PIECE, changed))
    assert len(keys) == 1 + len(dataclasses.fields(_Inputs)), "every field changes the key"
    assert key(EPUB_COVER, base) != first, "the kind is part of the key"


def test_a_key_follows_the_bytes_of_a_file_it_names(tmp_path: Path) -> None:
    face = tmp_path / "face.ttf"
    face.write_bytes(b"glyphs")
    before = key(EPUB_FONT, face, "abc")
    assert key(EPUB_FONT, face, "abc") == before
    face.write_bytes(b"other glyphs")
    assert key(EPUB_FONT, face, "abc") != before


def test_values_that_cannot_run_together() -> None:
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert fingerprint(["a", "b"]) != fingerprint(["ab"])
    assert fingerprint(1) != fingerprint("1") != fingerprint(True)
    assert fingerprint(0.0) != fingerprint(0) != fingerprint(False) != fingerprint(None)


def test_a_value_with_no_canonical_form_is_refused() -> None:
    for value in (object(), lambda: 1, {"render": print}, [iter(())]):
        with pytest.raises(TypeError, match="no canonical form"):
            key(PDF_PIECE, value)


def test_a_pdf_piece_key_follows_every_field_of_the_job_even_one_added_later(tmp_path: Path) -> None:
    job = Job(html="<section>one</section>", stylesheets=["@page { size: A5 }"], base_url=tmp_path.as_uri() + "/",
              roots=[tmp_path], metadata={"title": "Book", "authors": ["Ed"]}, placeholders=["a"], build="b")
    first = job_key(job, "66.0")
    assert job_key(copy.deepcopy(job), "66.0") == first
    assert job_key(job, "67.0") != first, "the layout engine's version"
    for item in dataclasses.fields(Job):
        changed = dataclasses.replace(job, **{item.name: _changed(getattr(job, item.name))})
        assert job_key(changed, "66.0") != first, item.name

    @dataclass
    class SizedJob(Job):  # a field a later change gives the job: nobody has to add it to the key
        page_size: str = "A5"

    sized = SizedJob(**{f.name: getattr(job, f.name) for f in dataclasses.fields(Job)})
    assert job_key(sized, "66.0") == job_key(dataclasses.replace(sized), "66.0")
    assert job_key(dataclasses.replace(sized, page_size="A4"), "66.0") != job_key(sized, "66.0")


def test_an_edited_rule_pack_normalises_every_article_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = write_flat(tmp_path, "rules:\n  packs: [house.yaml]\n", articles=2)
    (tmp_path / "house.yaml").write_text(PACK.format(match="please donate"), encoding="utf-8")
    calls = _count_normalise(monkeypatch)
    load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    assert calls[0] == 2, "unchanged: read from the cache"
    (tmp_path / "house.yaml").write_text(PACK.format(match="please give"), encoding="utf-8")
    load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    assert calls[0] == 4, "the pack's bytes are part of every article's key"


def test_the_last_build_entry_holds_what_the_build_used(tmp_path: Path) -> None:
    cache = WorkCache(tmp_path)
    made: list[str] = []

    def make(value: str) -> Callable[[], str]:
        return lambda: made.append(value) or value.upper()

    first = LastBuild[str](cache, TEMPLATE_PIECES, "article.xhtml")
    assert [first.get("a", make("a")), first.get("b", make("b"))] == ["A", "B"]
    first.keep()
    second = LastBuild[str](cache, TEMPLATE_PIECES, "article.xhtml")
    assert second.get("a", make("a")) == "A" and made == ["a", "b"], "kept from the last build"
    second.keep()
    assert LastBuild[str](cache, TEMPLATE_PIECES, "article.xhtml").known == {"a": "A"}, "b was let go"


def test_a_load_that_finds_every_article_in_the_cache_never_loads_the_normalisers_stages(tmp_path: Path) -> None:
    """The stages and the rule packs' schema are a sixth of a second to import: a rebuild whose
    articles all come from the work cache must not pay for them (a fresh process shows it)."""
    import subprocess
    import sys

    manifest = write_flat(tmp_path, "", articles=3)
    load_collection(load_manifest(manifest), cache=WorkCache.for_collection(tmp_path))
    probe = "\n".join([
        "import sys", "from pathlib import Path", "from compiler import load_collection",
        "from compiler.cache import WorkCache",
        f"cache = WorkCache.for_collection(Path({str(tmp_path)!r}))",
        f"collection = load_collection({str(manifest)!r}, cache=cache)",
        "print(len(collection.articles), sorted(m for m in sys.modules if m.startswith('compiler.normalise.')))",
    ])
    cached = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert cached.startswith("3 ")
    assert "compiler.normalise.stages" not in cached and "compiler.normalise.rules" not in cached
    (tmp_path / "a2.md").write_text("# Changed Title\n\nBy Someone\n\n" + "A new sentence here. " * 30)
    changed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "compiler.normalise.stages" in changed  # one article to read: now they are loaded
