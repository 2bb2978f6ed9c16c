"""The collection manifest: a YAML file validated against a typed schema.

Every problem is collected before stopping and reported as `FILE:LINE: key.path: message`, so
an editor fixes a broken manifest in one pass instead of one error per run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ManifestError


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OriginalSourceEntry(Strict):
    name: str | None = None
    date: dt.date | None = None
    url: str | None = None


class ArticleEntry(Strict):
    """One article of the collection, with the editor's overrides of what the page says."""

    path: str
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] | None = None
    date: dt.date | None = None
    source_url: str | None = None
    licence: str | None = None
    copyright: str | None = None
    language: str | None = None
    publisher: str | None = None
    original_source: OriginalSourceEntry | None = None

    @field_validator("path")
    @classmethod
    def _path_not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be empty")
        return value


class SectionEntry(Strict):
    title: str
    articles: list[ArticleEntry] = Field(min_length=1)


class RulesConfig(Strict):
    packs: list[str] = []  # extra rule pack files, relative to the collection file
    disable: list[str] = []  # rule ids to switch off


class PdfOptions(Strict):
    page_size: str = "A5"  # a preset (A4, Letter, A5, 6x9in) or an explicit "WIDTH HEIGHT"
    margins: str | None = None  # CSS margin shorthand, e.g. "20mm 18mm 22mm 24mm"
    font_size: str = "10.5pt"
    font_family: str | None = None
    font_files: list[str] = []
    bleed: str | None = None
    crop_marks: bool = False
    right_hand_start: bool = False
    pdf_variant: str | None = None


class ManifestSchema(Strict):
    title: str
    subtitle: str | None = None
    editors: list[str] = []
    language: str = "en"
    publisher: str | None = None
    rights: str | None = None
    identifier: str | None = None
    date: dt.date | None = None
    description: str | None = None
    subjects: list[str] = []
    output: str | None = None
    cover: str | None = None
    distribution: Literal["private", "public"] = "private"
    allow_outside_paths: bool = False
    articles: list[ArticleEntry] | None = None
    sections: list[SectionEntry] | None = None
    rules: RulesConfig = RulesConfig()
    pdf: PdfOptions = PdfOptions()

    @field_validator("title")
    @classmethod
    def _title_not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("output")
    @classmethod
    def _output_is_a_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[\w.-]+", value):
            raise ValueError("must be a file name without folders or spaces, e.g. my-book")
        return value


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


def load_manifest(path: str | Path) -> Manifest:
    """Read, validate and resolve a collection file; raise ManifestError listing every problem."""
    path = Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
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
        schema = ManifestSchema.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_describe(path, lines, error) for error in exc.errors())

    if schema is not None:
        manifest = Manifest(path=path, data=schema, sections=_sections(schema))
        problems.extend(_check_articles(manifest, raw, lines))
    if problems:
        count = len(problems)
        raise ManifestError(f"{path}: {count} problem{'s' if count > 1 else ''} in the collection file", problems)
    return manifest


def _parse_yaml(path: Path, text: str) -> tuple[Any, dict[str, int]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ManifestError(f"{path}{where}: YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path}: YAML syntax error: {exc}") from None
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


def key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _where(path: Path, lines: dict[str, int], key: str) -> str:
    probe = key
    while probe and probe not in lines:
        probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe)
    line = lines.get(probe)
    return f"{path}:{line}" if line else str(path)


def _describe(path: Path, lines: dict[str, int], error: Any) -> str:
    loc = tuple(error["loc"])
    key = key_path(loc)
    if error["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; valid keys: {', '.join(sorted(allowed))}"
        message = f"unknown key{suggestion}"
    elif error["type"] == "missing":
        message = "required key is missing"
    else:
        message = error["msg"]
    return f"{_where(path, lines, key)}: {key}: {message}"


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys valid at a place in the manifest, found by walking the schema."""
    model: Any = ManifestSchema
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        model = _model_in(annotation)
        if model is None:
            return []
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _sections(schema: ManifestSchema) -> list[Section]:
    if schema.sections is not None:
        return [Section(title=s.title, entries=list(s.articles)) for s in schema.sections]
    return [Section(title=None, entries=list(schema.articles or []))]


def _check_articles(manifest: Manifest, raw: dict[str, Any], lines: dict[str, int]) -> list[str]:
    schema, path = manifest.data, manifest.path
    problems: list[str] = []
    if schema.articles is not None and schema.sections is not None:
        problems.append(f"{_where(path, lines, 'sections')}: sections: give either 'articles' or 'sections', not both")
    if not manifest.entries:
        problems.append(f"{path}: articles: the collection lists no articles; add an 'articles:' list")
    seen: dict[Path, str] = {}
    for key, entry in _entry_keys(schema):
        where = _where(path, lines, f"{key}.path")
        resolved, problem = _resolve_article_path(manifest, entry.path)
        if problem:
            problems.append(f"{where}: {key}.path: {problem}")
            continue
        assert resolved is not None
        if resolved in seen:
            problems.append(f"{where}: {key}.path: duplicate of {seen[resolved]} ({entry.path})")
            continue
        seen[resolved] = key
        manifest.article_paths[id(entry)] = resolved
    if schema.cover:
        _, problem = _resolve_article_path(manifest, schema.cover)
        if problem:
            problems.append(f"{_where(path, lines, 'cover')}: cover: {problem}")
    for index, pack in enumerate(schema.rules.packs):
        _, problem = _resolve_article_path(manifest, pack)
        if problem:
            problems.append(f"{_where(path, lines, f'rules.packs[{index}]')}: rules.packs[{index}]: {problem}")
    return problems


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
    resolved, problem = _resolve_article_path(manifest, relative)
    if problem:
        raise ManifestError(f"{manifest.path}: {relative}: {problem}")
    assert resolved is not None
    return resolved


def _resolve_article_path(manifest: Manifest, relative: str) -> tuple[Path | None, str | None]:
    root = manifest.root.resolve()
    candidate = Path(relative).expanduser()
    full = candidate if candidate.is_absolute() else root / candidate
    resolved = full.resolve()
    if not manifest.data.allow_outside_paths and not resolved.is_relative_to(root):
        return None, (
            f"{relative} is outside the collection folder {root}; move it in, "
            "or set 'allow_outside_paths: true' if you trust it"
        )
    if not resolved.exists():
        return None, f"file not found: {full}"
    if not resolved.is_file():
        return None, f"not a file: {full}"
    return resolved, None
