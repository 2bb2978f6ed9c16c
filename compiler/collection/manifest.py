"""The collection manifest: a YAML file validated against a typed schema.

Every problem is collected before stopping and reported as `FILE:LINE: key.path: message`, so
an editor fixes a broken manifest in one pass instead of one error per run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlparse

import yaml
from pydantic import (
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ..errors import ManifestError
from .lengths import Length, Margins, PageSize
from .schema import Date, Invalid, Problem, Schema, SchemaError

NonEmpty = Annotated[str, Field(min_length=1)]
# The `pdf:` lengths: text in the collection file (and its JSON Schema), a typed value once validated.
PageSizeText = Annotated[PageSize, PlainValidator(PageSize.read), WithJsonSchema({"type": "string"})]
MarginsText = Annotated[Margins, PlainValidator(Margins.read), WithJsonSchema({"type": "string"})]
LengthText = Annotated[Length, PlainValidator(Length.read), WithJsonSchema({"type": "string"})]


class Strict(Schema):
    """The manifest's schemas: unknown keys are refused, text is stripped of outer whitespace."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _web_address(value: str) -> str:
    parts = urlparse(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(f"'{value}' is not a web address; give one starting with https:// or http://")
    return value


class OriginalSourceEntry(Strict):
    """Where an article first appeared."""

    name: str | None = None
    date: Date | None = None
    url: str | None = None


class ArticleEntry(Strict):
    """One article of the collection, with the editor's overrides of what the page says."""

    path: str | None = Field(None, min_length=1, description="A saved file in the collection folder.")
    url: str | None = Field(None, description="A page to fetch (kept in .anthology-cache/http/).")
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] | None = None
    date: Date | None = None
    source_url: str | None = None
    licence: str | None = None
    permission: str | None = Field(None, description="The rights holder's permission, when the article has no licence.")
    copyright: str | None = None
    language: str | None = None
    publisher: str | None = None
    original_source: OriginalSourceEntry | None = None
    keep: list[NonEmpty] | None = Field(None, description="Snippets of blocks the rules removed, to keep.")
    drop: list[NonEmpty] | None = Field(None, description="Snippets of blocks the rules kept, to remove.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _web_address(value)

    @model_validator(mode="after")
    def _one_source(self) -> ArticleEntry:
        if (self.path is None) == (self.url is None):
            raise Invalid("give exactly one of 'path' (a saved file) or 'url' (a page to fetch)")
        return self


class SectionEntry(Strict):
    """A part of the book: its title and articles."""

    title: str
    articles: list[ArticleEntry] = Field(min_length=1)


class RulesConfig(Strict):
    """The collection's own rule packs and the rules it switches off."""

    packs: list[str] = Field(default_factory=list,
                             description="Extra rule pack files, relative to the collection file.")
    disable: list[str] = Field(default_factory=list, description="Rule ids to switch off.")


class PdfOptions(Strict):
    """Print options under `pdf:`; each value is checked here so a typo fails with its key path.

    Lengths take a unit (mm, cm, in, pt, pc, px). Margins are mirrored for a bound book:
    "TOP OUTER BOTTOM INNER" (CSS shorthand with 1-4 values), the inner margin at the spine.
    """

    # What WeasyPrint 70 offers for archiving and accessibility (weasyprint.pdf.VARIANTS). The
    # PDF/X variants are left out: they need a CMYK output profile, and X-4 writes a random id.
    PDF_VARIANTS: ClassVar[tuple[str, ...]] = (
        "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u",
        "pdf/a-1a", "pdf/a-2a", "pdf/a-3a", "pdf/a-4e", "pdf/a-4f", "pdf/ua-1", "pdf/ua-2",
    )  # fmt: skip
    FONT_SUFFIXES: ClassVar[tuple[str, ...]] = (".ttf", ".otf", ".woff", ".woff2")

    # Lengths are written as text and parsed once, here, into typed values (lengths.py); the
    # defaults are text too, so the JSON Schema shows what an editor writes.
    page_size: PageSizeText = Field(
        "A5", validate_default=True,
        description='A preset name (A4, A5, A6, B5, Letter, 6x9in, 5.5x8.5in, 5x8in) or "WIDTH HEIGHT", '
                    'e.g. "150mm 220mm".')
    margins: MarginsText | None = Field(
        None, description='"TOP OUTER BOTTOM INNER"; default: in proportion to the page.')
    font_size: LengthText = Field(
        "11.5pt", validate_default=True,
        description="6pt to 24pt. EB Garamond is small on its body: 11.5pt of it reads as 10pt of most faces.")
    font_family: str | None = Field(None, description="An installed font, or the family of `font_files`.")
    font_files: list[str] = Field(default_factory=list,
                                  description="Font files in the collection folder (.ttf, .otf, .woff, .woff2).")
    bleed: LengthText | None = Field(None, description='e.g. "3mm", for print-on-demand.')
    crop_marks: bool = False
    right_hand_start: bool = Field(True, description="Open every part and article on a right-hand (odd) page; "
                                                     "false: run on.")
    pdf_variant: str | None = Field(None, description='e.g. "pdf/a-3b" or "pdf/ua-1".')

    @field_validator("margins")
    @classmethod
    def _margins(cls, value: Margins | None, info: ValidationInfo) -> Margins | None:
        page_size = info.data.get("page_size")  # absent when the page size itself is wrong
        if value is not None and page_size is not None:
            value.check_room(page_size)
        return value

    @field_validator("font_size")
    @classmethod
    def _font_size(cls, value: Length) -> Length:
        if not 6 <= value.points <= 24:
            raise Invalid(f"font size {value.css} is out of range; give 6pt to 24pt")
        return value

    @field_validator("font_family")
    @classmethod
    def _font_family(cls, value: str | None) -> str | None:
        # It is written into CSS: a name, or a comma-separated list of names, and nothing else.
        if value is not None and not re.fullmatch(r"[\w .,'\"-]+", value):
            raise Invalid(f"'{value}' is not a font family name, e.g. 'DejaVu Serif' or 'Linux Libertine O'")
        return value

    @field_validator("font_files")
    @classmethod
    def _font_files(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.lower().endswith(cls.FONT_SUFFIXES):
                raise Invalid(f"'{name}' is not a font file; give a {', '.join(cls.FONT_SUFFIXES)} file")
        return value

    @field_validator("bleed")
    @classmethod
    def _bleed(cls, value: Length | None) -> Length | None:
        if value is not None and value.points > 72:
            raise Invalid(f"bleed {value.css} is too large; print-on-demand printers ask for about 3mm")
        return value

    @field_validator("pdf_variant")
    @classmethod
    def _variant(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.lower() not in cls.PDF_VARIANTS:
            raise Invalid(f"unknown PDF variant '{value}'; valid: {', '.join(cls.PDF_VARIANTS)}")
        return value.lower()

    @property
    def page_margins(self) -> Margins:
        """The margins given, or the default in proportion to the page."""
        return self.margins or Margins.in_proportion(self.page_size)


class PrintOptions(Strict):
    """Print-on-demand options under `print:`, read by `--format cover`."""

    # Inches of spine per page (one leaf is two pages), as print-on-demand services publish them.
    PAPER_THICKNESS: ClassVar[dict[str, float]] = {"white": 0.002252, "cream": 0.0025, "colour": 0.002347}
    BLEED_INCHES: ClassVar[float] = 0.125  # on each outer edge of the cover
    MIN_SPINE_TEXT_INCHES: ClassVar[float] = 0.0625  # narrower spines carry no text (about 30 leaves)

    paper: Literal["white", "cream", "colour"] = Field("white", description="The interior's paper, for the spine.")

    def spine_inches(self, pages: int) -> float:
        return pages * self.PAPER_THICKNESS[self.paper]


class ManifestSchema(Strict):
    """An anthology collection file: the book's metadata, its articles (or sections of them), rule
    packs and print options."""

    model_config = ConfigDict(title="Anthology collection file")

    title: str = Field(min_length=1)
    subtitle: str | None = None
    editors: list[str] = Field(default_factory=list)
    language: str = "en"
    publisher: str | None = None
    rights: str | None = None
    identifier: str | None = None
    isbn: str | None = Field(None, description="Printed on the copyright page, e.g. 978-1-23456-789-7.")
    edition: str | None = Field(None, description='e.g. "First edition", on the copyright page.')
    colophon: str | None = Field(None, description="The editors' words for the colophon (the typeface is named "
                                                   "anyway).")
    date: Date | None = None
    description: str | None = None
    subjects: list[str] = Field(default_factory=list)
    output: str | None = Field(None, description="The books' file name, without folders or spaces, e.g. my-book.")
    cover: str | None = None
    distribution: Literal["private", "public"] = "private"
    allow_outside_paths: bool = False
    typography: bool = Field(True, description="Curly quotes, dashes, ellipses and each language's spaces.")
    articles: list[ArticleEntry] | None = None
    sections: list[SectionEntry] | None = None
    rules: RulesConfig = Field(default_factory=RulesConfig)
    pdf: PdfOptions = Field(default_factory=PdfOptions)
    print: PrintOptions = Field(default_factory=PrintOptions, description="The print cover (--format cover).")

    @field_validator("isbn")
    @classmethod
    def _isbn(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{9}[\dXx]|\d{13}", re.sub(r"[\s-]", "", value)):
            raise Invalid(f"'{value}' is not an ISBN; give its 10 or 13 digits, e.g. 978-1-23456-789-7")
        return value

    @field_validator("output")
    @classmethod
    def _file_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[\w.-]+", value):
            raise Invalid("must be a file name without folders or spaces, e.g. my-book")
        return value


def collection_json_schema() -> dict[str, Any]:
    """The collection file's JSON Schema, for a text editor's completion and checking
    (`anthology schema`; a copy is docs/collection.schema.json)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **ManifestSchema.model_json_schema()}


@dataclass
class Section:
    title: str | None
    entries: list[ArticleEntry]


@dataclass
class Manifest:
    """A validated collection: the schema values plus resolved article paths."""

    path: Path
    data: ManifestSchema
    sections: list[Section]
    article_paths: dict[int, Path] = field(default_factory=dict)  # id(entry) -> resolved path
    entry_keys: dict[int, str] = field(default_factory=dict)  # id(entry) -> its key path ("articles[2]")
    lines: dict[str, int] = field(default_factory=dict)  # key path -> the line it is written on

    def where(self, entry: ArticleEntry, key: str) -> str:
        """`FILE:LINE: articles[2].keep[0]` for a problem found in an entry after validation."""
        full = f"{self.entry_keys.get(id(entry), 'articles[?]')}.{key}"
        return f"{_where(self.path, self.lines, full)}: {full}"

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def entries(self) -> list[ArticleEntry]:
        return [entry for section in self.sections for entry in section.entries]

    def resolve(self, entry: ArticleEntry) -> Path:
        return self.article_paths[id(entry)]

    @property
    def output_name(self) -> str:
        return self.data.output or slugify(self.data.title)


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug[:80] or "anthology"


def load_manifest(path: str | Path, text: str | None = None) -> Manifest:
    """Read, validate and resolve a collection file; raise ManifestError listing every problem.

    `text` is the file's text when the caller has it (the review studio validates an edit this
    way before writing it): the problems name `path` as if it were saved."""
    path = Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8") if text is None else text
    except FileNotFoundError:
        raise ManifestError(f"{path}: collection file not found") from None
    except IsADirectoryError:
        raise ManifestError(f"{path}: is a folder; give the collection's YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the collection file: {exc}") from None

    raw, lines = _parse_yaml(path, raw_text)
    if not isinstance(raw, dict):
        raise ManifestError(f"{path}: the collection file must be a YAML mapping of keys (title:, articles: …)")

    problems: list[str] = []
    schema: ManifestSchema | None = None
    try:
        schema = ManifestSchema.load(raw)
    except SchemaError as exc:
        problems.extend(_describe(path, lines, problem) for problem in exc.problems)
    # Paths are checked even when the schema failed, so one run lists every problem.
    resolved, path_problems = _check_paths(path, raw, lines)
    problems.extend(path_problems)
    if problems:
        problems.sort(key=lambda problem: _line_of(problem, path))  # in the order the editor reads the file
        count = len(problems)
        raise ManifestError(f"{path}: {count} problem{'s' if count > 1 else ''} in the collection file", problems)
    assert schema is not None
    manifest = Manifest(path=path, data=schema, sections=_sections(schema), lines=lines)
    for key, entry in _entry_keys(schema):
        manifest.entry_keys[id(entry)] = key
        if entry.path is not None:  # a URL source has no file to resolve
            manifest.article_paths[id(entry)] = resolved[key]
    return manifest


def _line_of(problem: str, path: Path) -> int:
    """The line a problem names (`FILE:LINE: …`), 0 for one about the whole file."""
    number = problem[len(str(path)) + 1:].split(":", 1)[0]
    return int(number) if number.isdigit() else 0


# libyaml's loader when PyYAML was built with it (ten times quicker on a long manifest); same safe types.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, except that an impossible date ("2023-02-30") stays text, which the schema
    then refuses with its key path and line, rather than an error of the YAML library's."""


def _timestamp_or_text(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _parse_yaml(path: Path, text: str) -> tuple[Any, dict[str, int]]:
    loader = _Loader(text)
    try:
        # One pass: the node tree gives each key's line, and the data is built from the same tree.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ManifestError(f"{path}{where}: YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path}: YAML syntax error: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _index_lines(node, "", lines)
    return data, lines


def _index_lines(node: yaml.Node, prefix: str, lines: dict[str, int]) -> None:
    """Map every key path ("articles[2].path") to the line it is written on."""
    lines.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines[key] = key_node.start_mark.line + 1
            _index_lines(value_node, key, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, f"{prefix}[{index}]", lines)


def _where(path: Path, lines: dict[str, int], key: str) -> str:
    probe = key
    while probe and probe not in lines:
        shorter = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe)
        probe = "" if shorter == probe else shorter  # a top-level key that is not written
    line = lines.get(probe) if probe else None
    return f"{path}:{line}" if line else str(path)


def _describe(path: Path, lines: dict[str, int], problem: Problem) -> str:
    key = problem.key
    return f"{_where(path, lines, key)}: {key}: {problem.message}"


def _sections(schema: ManifestSchema) -> list[Section]:
    if schema.sections is not None:
        return [Section(title=s.title, entries=list(s.articles)) for s in schema.sections]
    return [Section(title=None, entries=list(schema.articles or []))]


def _check_paths(path: Path, raw: dict[str, Any], lines: dict[str, int]) -> tuple[dict[str, Path], list[str]]:
    """Check every path the manifest names; return the resolved article paths by key."""
    root, allow_outside = path.parent, raw.get("allow_outside_paths") is True
    problems: list[str] = []
    if raw.get("articles") is not None and raw.get("sections") is not None:
        problems.append(f"{_where(path, lines, 'sections')}: sections: give either 'articles' or 'sections', not both")
    article_keys = _raw_article_paths(raw)
    listed = article_keys or _raw_article_urls(raw)
    # a section written with an empty 'articles' list is reported by the schema, not again here
    section_lists = any(key.startswith("sections") and key.endswith(".articles") for key in lines)
    if not listed and not section_lists:
        problems.append(f"{path}: articles: the collection lists no articles; add an 'articles:' list")
    resolved: dict[str, Path] = {}
    seen: dict[Path, str] = {}
    for key, relative in article_keys:
        found, problem = resolve_path(root, relative, allow_outside)
        if found is not None and found in seen:
            problem = f"duplicate of {seen[found]} ({relative})"
        if problem:
            problems.append(f"{_where(path, lines, f'{key}.path')}: {key}.path: {problem}")
            continue
        assert found is not None
        seen[found] = key
        resolved[key] = found
    others = [("cover", raw.get("cover"))]
    rules = raw.get("rules")
    packs = rules.get("packs") if isinstance(rules, dict) else None
    others += [(f"rules.packs[{i}]", p) for i, p in enumerate(packs if isinstance(packs, list) else [])]
    for key, relative in others:
        if isinstance(relative, str) and relative:
            _, problem = resolve_path(root, relative, allow_outside)
            if problem:
                problems.append(f"{_where(path, lines, key)}: {key}: {problem}")
    return resolved, problems


def _raw_article_paths(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(key path, path) of every article entry, read from the raw YAML before validation."""
    found: list[tuple[str, str]] = []

    def collect(prefix: str, items: Any) -> None:
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("path"), str) and item["path"]:
                    found.append((f"{prefix}[{index}]", item["path"]))

    if isinstance(raw.get("sections"), list):
        for index, section in enumerate(raw["sections"]):
            if isinstance(section, dict):
                collect(f"sections[{index}].articles", section.get("articles"))
    else:
        collect("articles", raw.get("articles"))
    return found


def _raw_article_urls(raw: dict[str, Any]) -> list[str]:
    """The `url:` of every article entry, read from the raw YAML before validation."""
    lists = [raw.get("articles")]
    if isinstance(raw.get("sections"), list):
        lists = [section.get("articles") for section in raw["sections"] if isinstance(section, dict)]
    return [item["url"] for items in lists if isinstance(items, list)
            for item in items if isinstance(item, dict) and isinstance(item.get("url"), str)]


def _entry_keys(schema: ManifestSchema) -> list[tuple[str, ArticleEntry]]:
    if schema.sections is not None:
        return [
            (f"sections[{s}].articles[{a}]", entry)
            for s, section in enumerate(schema.sections)
            for a, entry in enumerate(section.articles)
        ]
    return [(f"articles[{a}]", entry) for a, entry in enumerate(schema.articles or [])]


def resolve_in_collection(manifest: Manifest, relative: str) -> Path:
    """Resolve a path written in the manifest, refusing one outside the collection folder."""
    resolved, problem = resolve_path(manifest.root, relative, manifest.data.allow_outside_paths)
    if problem:
        raise ManifestError(f"{manifest.path}: {relative}: {problem}")
    assert resolved is not None
    return resolved


def resolve_path(folder: Path, relative: str, allow_outside: bool = False) -> tuple[Path | None, str | None]:
    """The real file a manifest path names, or why it cannot be used.

    Symlinks are resolved before the containment check, so a link inside the folder that
    points outside it is refused like a `../` path.
    """
    root = _real_folder(folder)
    candidate = Path(relative).expanduser()
    full = candidate if candidate.is_absolute() else root / candidate
    resolved = full.resolve()
    if not allow_outside and not resolved.is_relative_to(root):
        return None, (
            f"{relative} is outside the collection folder {root}; move it in, "
            "or set 'allow_outside_paths: true' if you trust it"
        )
    if resolved.is_file():
        return resolved, None
    return None, f"not a file: {full}" if resolved.exists() else f"file not found: {full}"


@lru_cache(maxsize=64)
def _real_folder(folder: Path) -> Path:
    # Resolving asks the file system about every part of the path: once per folder, not per article.
    return folder.resolve()
