"""`anthology init`: a working collection folder to start from.

The files are data in compiler/commands/starter_files/ (a commented collection.yaml, one sample article
saved in the style of a web page, a .gitignore); this module only copies them, refusing to
overwrite a collection that is already there.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildError, InitError
from ..pipeline import write_file

STARTER_DIR = Path(__file__).with_name("starter_files")
# source name in starter_files -> name in the new folder (a file named .gitignore would be
# skipped by some packaging tools, so it is stored without the dot)
FILES = {
    "collection.yaml": "collection.yaml",
    "articles/the-tool-library.md": "articles/the-tool-library.md",
    "gitignore": ".gitignore",
}


def create_collection(folder: Path) -> list[Path]:
    """Write the starter files into `folder`; return the paths written, in order."""
    manifest = folder / "collection.yaml"
    if manifest.exists():
        raise InitError(f"{manifest}: a collection file is already there; init never overwrites one. "
                        "Choose another folder, or edit that file")
    written = []
    try:
        for source, name in FILES.items():
            target = folder / name
            if target.exists() and name != "collection.yaml":
                continue  # keep the user's own file (their .gitignore, an article of theirs)
            write_file(target, (STARTER_DIR / source).read_bytes())
            written.append(target)
    except OSError as exc:
        raise InitError(f"{folder}: cannot create the collection: {exc.strerror or exc}") from None
    except BuildError as exc:  # the atomic write could not make or fill its file
        raise InitError(f"{folder}: cannot create the collection ({exc.problems[0]})") from None
    return written
