"""`keep:` and `drop:` in the manifest, end to end through `anthology build`.

An invented article where the rules take out one of the author's own paragraphs (it reads like a
plea) and keep a line of the site's (one no rule knows). The editor's manifest puts the first back
and takes the second out; the EPUB and the review report show both. A snippet that matches nothing
stops the build with one line naming the file, the line and the snippet, and writes nothing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner, Result
from epub_helpers import EPOCH
from lxml import html as lxml_html

from compiler.cli import main
from compiler.errors import InputError

TITLE = "## The Seed Swap at Ashcombe Town Hall"
BYLINE = "By Rosalind Everard-Quint"
DATELINE = "April 6, 2024"
OWN = [
    "Every year on the first Saturday of April, the upper hall of Ashcombe’s town hall fills with trestle "
    "tables, paper envelopes and about three hundred gardeners who have come to swap the seeds they saved "
    "the autumn before.",
    "The swap began in 1998 with a shoebox of runner beans on the library counter. It now has its own "
    "committee, a cash box that nobody ever seems to need, and a rule that anyone may take twice as many "
    "packets as they bring.",
    "The committee’s newsletter lists what came in last year: forty-one kinds of bean, a tomato nobody "
    "could name, and a packet of sweet peas labelled only “Grandad’s, do not lose”. Readers share it round "
    "the allotments long after the swap is over.",
    "Most of the seed is open-pollinated, which means it comes true from year to year. Several of the "
    "beans have been grown in the valley for longer than anyone can remember, and the committee keeps a "
    "few of each in a freezer in case a bad summer wipes them out.",
    "This year the swap will also take cuttings and spare seedlings, and a retired nurseryman has offered "
    "to show anyone who asks how to save seed from their own tomatoes.",
]
# The author's own invitation, which reads like a plea to the rules: the editor keeps it.
INVITATION = ("Sign up for the seed swap at the town hall: bring a packet of your own saved seed, write its "
              "name on the envelope, and take two home.")
# A line of the site's that no rule knows: the editor drops it.
HOUSE_NOTE = "The Ashcombe Almanac is printed on recycled paper at the old mill and sold at the post office."

KEEP_SNIPPET = "SIGN UP  for the seed swap\n at the   TOWN hall"  # another case, other spacing
DROP_SNIPPET = 'the ashcombe almanac is printed on recycled paper'
QUOTE_SNIPPET = "the committee's newsletter lists"  # a plain quote for the article's curly one


def article_text() -> str:
    blocks = [TITLE, BYLINE, DATELINE, OWN[0], OWN[1], INVITATION, OWN[2], OWN[3], OWN[4], HOUSE_NOTE]
    return "\n\n".join(blocks) + "\n"


def write_collection(folder: Path, keep: list[str] | None = None, drop: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "seed-swap.md").write_text(article_text(), encoding="utf-8")
    lines = ["title: Seeds and Swaps", "editors: [Ed Itor]", "output: seeds", "articles:", "  - path: seed-swap.md"]
    for name, snippets in (("keep", keep), ("drop", drop)):
        if snippets is not None:
            lines.append(f"    {name}:")
            lines += [f"      - {snippet!r}" if "\n" not in snippet else f'      - "{_yaml(snippet)}"'
                      for snippet in snippets]
    manifest = folder / "collection.yaml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def _yaml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def build(manifest: Path, out: Path) -> Result:
    return CliRunner().invoke(main, ["build", str(manifest), "--format", "epub", "--out", str(out), "--quiet",
                                     "--no-cache"], env={"SOURCE_DATE_EPOCH": str(EPOCH)})


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        pages = [archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xhtml")]
    text = " ".join(lxml_html.fromstring(page.encode()).text_content() for page in pages)
    return " ".join(text.split())


def flat(text: str) -> str:
    return " ".join(text.split())


def report_removals(path: Path) -> list[tuple[str, str]]:
    tree = lxml_html.fromstring(path.read_bytes())
    return [(div.get("data-rule"), flat(div.text_content())) for div in tree.xpath('//div[@data-rule]')]


def test_without_corrections_the_rules_take_the_invitation_and_keep_the_house_note(tmp_path: Path) -> None:
    """The premise: what the editor corrects is what the rules got wrong."""
    result = build(write_collection(tmp_path / "c"), tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = epub_text(tmp_path / "out" / "seeds.epub")
    assert flat(INVITATION) not in text
    assert HOUSE_NOTE in text
    rules = [rule for rule, removed in report_removals(tmp_path / "out" / "seeds.report.html")
             if "seed swap at the town hall" in removed]
    assert rules and "manifest.drop" not in rules


def test_keep_puts_a_removed_block_back_and_drop_takes_a_kept_one_out(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path / "c", keep=[KEEP_SNIPPET], drop=[DROP_SNIPPET])
    result = build(manifest, tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = epub_text(tmp_path / "out" / "seeds.epub")
    assert flat(INVITATION) in text
    assert "recycled paper" not in text
    for paragraph in OWN:
        assert flat(paragraph) in text
    # the kept block stands where it stood: after the second paragraph, before the third
    assert text.index(OWN[1][-40:]) < text.index(INVITATION[:40]) < text.index(OWN[2][:40])

    removals = report_removals(tmp_path / "out" / "seeds.report.html")
    dropped = [removed for rule, removed in removals if rule == "manifest.drop"]
    assert len(dropped) == 1 and "recycled paper" in dropped[0]
    assert not any("seed swap at the town hall" in removed for _, removed in removals)


def test_snippets_match_whatever_the_case_spacing_and_quote_marks(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path / "c", keep=["  sign UP for the SEED swap  "],
                                drop=[QUOTE_SNIPPET.upper(), "“GRANDAD'S, do not lose”"])
    result = build(manifest, tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = epub_text(tmp_path / "out" / "seeds.epub")
    assert INVITATION[:40] in text
    assert "forty-one kinds of bean" not in text


def test_a_snippet_matching_no_block_is_one_error_naming_the_file_line_and_entry(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path / "c", keep=["a sentence this article never had"])
    out = tmp_path / "out"
    result = build(manifest, out)
    assert result.exit_code == InputError.exit_code == 5, result.output
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert len(errors) == 1, result.output
    line = errors[0]
    keep_line = manifest.read_text(encoding="utf-8").splitlines().index("    keep:") + 2  # the snippet's line
    assert re.search(rf"{re.escape(str(manifest))}:{keep_line}\b", line) or f"collection.yaml:{keep_line}" in line, line
    assert "articles[0].keep[0]" in line
    assert "a sentence this article never had" in line
    assert not out.exists() or not any(out.iterdir())


def test_an_unmatched_drop_names_its_own_entry(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path / "c", keep=[KEEP_SNIPPET], drop=[DROP_SNIPPET, "no such words anywhere"])
    result = build(manifest, tmp_path / "out")
    assert result.exit_code == 5, result.output
    assert "articles[0].drop[1]" in result.output
    assert "articles[0].keep[0]" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_check_reports_the_unmatched_snippet_too(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path / "c", drop=["no such words anywhere"])
    result = CliRunner().invoke(main, ["check", str(manifest), "--no-epubcheck"])
    assert result.exit_code == 5, result.output
    assert "articles[0].drop[0]" in result.output
