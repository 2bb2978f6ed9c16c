"""The book's type: the face shipped with the package, and system fonts for the scripts it lacks.

templates/fonts/fonts.yaml says which face the book is set in and which system fonts (Debian's
Noto packages) print the scripts it lacks, per article language. From it come the CSS font
stacks every format uses, and the check that names, per article, the characters no installed
font can print and the package that would print them.
"""

from __future__ import annotations

import functools
import io
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..resources import templates_dir


@dataclass(frozen=True)
class FontFace:
    family: str
    url: str
    weight: int
    style: str
    path: Path | None = None  # the file, for the coverage check


@dataclass(frozen=True)
class Fallback:
    family: str
    package: str
    scripts: tuple[str, ...]
    languages: tuple[str, ...] = ()
    before_book: bool = False  # for its languages, ahead of the book face (fonts.yaml: before_book)


@dataclass(frozen=True)
class Type:
    """fonts.yaml, read."""

    family: str
    faces: tuple[tuple[Path, int, str], ...]  # file, weight, style
    fallbacks: tuple[Fallback, ...]
    ranges: tuple[tuple[int, int, str], ...]  # first, last code point, package
    other_package: str

    @property
    def regular(self) -> Path:
        return self.faces[0][0]


def fonts_dir() -> Path:
    return templates_dir() / "fonts"


@functools.cache
def book_type() -> Type:
    data = yaml.safe_load((fonts_dir() / "fonts.yaml").read_text(encoding="utf-8"))
    book = data["book"]
    return Type(
        family=book["family"],
        faces=tuple((fonts_dir() / face["file"], int(face["weight"]), face["style"]) for face in book["faces"]),
        fallbacks=tuple(
            Fallback(item["family"], item["package"], tuple(item["scripts"]), tuple(item.get("languages", ())),
                     bool(item.get("before_book", False)))
            for item in data["fallbacks"]
        ),
        ranges=tuple((int(item["first"]), int(item["last"]), item["package"]) for item in data["ranges"]),
        other_package=data["other_scripts_package"],
    )


def book_faces() -> list[FontFace]:
    """@font-face rules for the book face, pointing at the files shipped with the package."""
    kind = book_type()
    return [FontFace(kind.family, path.as_uri(), weight, style, path) for path, weight, style in kind.faces]


def css_family(name: str) -> str:
    """A family name as CSS: generic families bare, names quoted."""
    bare = name.strip().strip("'\"")
    return bare if bare in ("serif", "sans-serif", "monospace") else f'"{bare}"'


def family_stack(first: Iterable[str] = (), language: str | None = None) -> list[str]:
    """Family names in the order to try them: `first` (the manifest's), the book face, the
    fallbacks for `language`, then every other fallback; a fallback marked `before_book` for
    `language` comes before them all."""
    kind = book_type()
    # The closest match first: "zh-TW" takes the traditional design before the "zh" one.
    matched = [(_match_length(language, item.languages), item) for item in kind.fallbacks] if language else []
    ahead = [item for length, item in sorted(matched, key=lambda pair: -pair[0]) if length]
    # A right-to-left script's face goes before the book face (and the manifest's): its word
    # spaces and punctuation must come from the face of the letters around them, or WeasyPrint
    # ends every justified line with a space of the Latin face and the lines fall short of the
    # right margin. Latin words in such an article still come from the book face.
    leading = [item.family for item in ahead if item.before_book]
    names = [*leading, *first, kind.family, *(item.family for item in ahead),
             *(item.family for item in kind.fallbacks)]
    return list(dict.fromkeys(names))


def _match_length(language: str, languages: tuple[str, ...]) -> int:
    """How long a code of `languages` matches `language` (as CSS :lang() does), 0 for none."""
    wanted = language.lower()
    return max((len(code) for code in languages
                if wanted == code.lower() or wanted.startswith(code.lower() + "-")), default=0)


def stack_css(first: Iterable[str] = (), language: str | None = None) -> str:
    return ", ".join(css_family(name) for name in [*family_stack(first, language), "serif"])


def language_rules(first: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(selector, font-family value) for each language a fallback is preferred for.

    The rule is on the element that declares the language; its descendants inherit it, so code
    and preformatted text keep their own monospace family.
    """
    rules = []
    first = list(first)
    for item in book_type().fallbacks:
        for code in item.languages:
            rules.append((f'[lang|="{code}"]', stack_css(first, code)))
    return rules


# ---- Coverage ------------------------------------------------------------------------------


@functools.cache
def _cmap(path: Path, index: int = 0) -> frozenset[int]:
    # deferred: fontTools takes a tenth of a second; only a build that checks or embeds glyphs needs it
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable system font prints nothing; it is not the book's error
        return frozenset()


@functools.cache
def installed_files() -> dict[str, list[tuple[Path, int]]]:
    """Family name → its font files (and index in a collection file), as fontconfig lists them."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{family[0]}|%{file}|%{index}\n"],
                                 capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, list[tuple[Path, int]]] = {}
    for line in listing.splitlines():
        family, _, rest = line.partition("|")
        path, _, index = rest.rpartition("|")
        if family and path:
            found.setdefault(family, []).append((Path(path), int(index or 0)))
    return found


def _covered_by_any_system_font(char: str) -> bool:
    try:
        listing = subprocess.run(["fc-list", "--format", "%{family[0]}\n", f":charset={ord(char):x}"],
                                 capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listing.strip())


def _printable(char: str) -> bool:
    # Spaces, controls and format characters (joiners, marks of direction) need no glyph of their
    # own; a private-use or unassigned character does, and no ordinary font has one.
    return unicodedata.category(char) not in ("Zs", "Zl", "Zp", "Cc", "Cf", "Cs")


def missing_characters(text: str, first_files: Iterable[Path] = ()) -> list[str]:
    """The characters of `text` that no available font has: not the book face (nor the
    manifest's own font files), not a fallback, not any other font fontconfig knows."""
    kind = book_type()
    wanted = {char for char in set(text) if _printable(char)}
    for path in [*first_files, kind.regular]:
        wanted = {char for char in wanted if ord(char) not in _cmap(path)}
    if not wanted:
        return []
    files = installed_files()
    for item in kind.fallbacks:
        for path, index in files.get(item.family, []):
            wanted = {char for char in wanted if ord(char) not in _cmap(path, index)}
            if not wanted:
                return []
    # The rest is rare (a symbol, an emoji): ask fontconfig about each, a few at most.
    return sorted(char for char in wanted if not _covered_by_any_system_font(char))


def package_for(char: str) -> str | None:
    """The Debian package whose fonts print this character, when one is known."""
    from fontTools.unicodedata import script  # deferred, as in _cmap

    kind = book_type()
    code = ord(char)
    for first, last, package in kind.ranges:
        if first <= code <= last:
            return package
    name = script(char)
    for item in kind.fallbacks:
        if name in item.scripts and name != "Zyyy":
            return item.package
    if name in ("Zyyy", "Zinh", "Zzzz") or unicodedata.category(char) in ("Co", "Cn"):
        return None
    return kind.other_package


def missing_glyphs_warning(where: str, text: str, first_files: Iterable[Path] = ()) -> str | None:
    """One warning for an article whose characters no available font prints, or None."""
    missing = missing_characters(text, first_files)
    if not missing:
        return None
    shown = " ".join(f"{char} (U+{ord(char):04X})" for char in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    packages = sorted({package for package in map(package_for, missing) if package})
    remedy = (f"install {' or '.join(packages)} to print them" if packages
              else "no font package is known to have them")
    count = len(missing)
    return f"{where}: no available font has {count} of its character(s), printed as boxes: {shown}{more}; {remedy}"


# ---- Embedding -----------------------------------------------------------------------------


def subset_face(path: Path, text: str) -> bytes:
    """The face cut down to the glyphs `text` needs (with its ligatures and kerning), as TTF bytes."""
    from fontTools import subset  # deferred, as in _cmap

    options = subset.Options()
    options.layout_features += ["smcp", "c2sc", "onum", "lnum"]  # the CSS asks for small caps
    options.name_IDs = ["*"]  # keep the copyright and licence records, as the OFL asks
    options.notdef_outline = True
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face_css(faces: Iterable[tuple[str, int, str]]) -> str:
    """@font-face rules for the book face at these URLs (file, weight, style)."""
    family = book_type().family
    return "".join(
        f'@font-face {{ font-family: "{family}"; src: url("{url}"); font-weight: {weight}; font-style: {style}; }}\n'
        for url, weight, style in faces
    )
