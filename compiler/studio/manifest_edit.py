"""Corrections written into the collection file by round-trip YAML: comments, key order, quoting
and indentation stay as the editor wrote them; only the changed entry's keys move.

The studio never writes a text it has not validated: `edited()` returns the new text, the
caller loads it as the CLI would (manifest.load_manifest) and writes it only when that passes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import ManifestError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Change = Callable[[CommentedMap], None]


_LIST_START = re.compile(r"^( *)[\w-]+:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*( *)- ", re.MULTILINE)


# The document of the last text written, which the next edit usually starts from: parsing a
# 150-article manifest again costs more than the rest of a correction. Known by the text it
# holds, so an edit made elsewhere meanwhile, or an edit never written (refused), is parsed afresh.
_last: tuple[str, YAML, Any] | None = None
_last_lock = threading.Lock()


def _parsed(text: str) -> tuple[YAML, Any]:
    global _last
    with _last_lock:
        last, _last = _last, None  # the caller changes the document: it no longer holds `text`
    if last is not None and last[0] == text:
        return last[1], last[2]
    return _yaml(text)


def _written(yaml: YAML, data: Any) -> str:
    global _last
    text = dump(yaml, data)
    with _last_lock:
        _last = (text, yaml, data)
    return text


def _yaml(text: str) -> tuple[YAML, Any]:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the editor wrote
    offset = _list_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml, yaml.load(text)


def _list_offset(text: str) -> int:
    """How far the file indents a block list's dashes under their key (`articles:` then `  - path:`
    is 2), so that new lists are written the way the file writes its own. (ruamel's own guess
    parses the whole file a second time.)"""
    found = _LIST_START.search(text)
    return max(len(found[2]) - len(found[1]), 0) if found else 0


def entries(data: Any) -> list[CommentedMap]:
    """The article entries in book order, as the manifest lists them."""
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("sections"), list):
        return [entry for section in data["sections"] if isinstance(section, dict)
                for entry in (section.get("articles") or []) if isinstance(entry, dict)]
    return [entry for entry in (data.get("articles") or []) if isinstance(entry, dict)]


def edited(text: str, number: int, change: Change) -> str:
    """The collection file's text with `change` applied to the article entry `number` (1-based)."""
    yaml, data = _parsed(text)
    found = entries(data)
    if not 1 <= number <= len(found):
        raise ManifestError(f"article {number} is not in the collection file")
    change(found[number - 1])
    return _written(yaml, data)


def edited_top(text: str, change: Change) -> str:
    """The collection file's text with `change` applied to its top-level mapping."""
    yaml, data = _parsed(text)
    change(data)
    return _written(yaml, data)


def dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def yaml_value(key: str, value: str) -> Any:
    """A field typed in the page as the manifest holds it: authors as a list, a date as a date
    (an impossible one stays text, which the schema then refuses as the CLI would)."""
    value = " ".join(value.split())
    if key == "authors":
        return CommentedSeq(name.strip() for name in value.split(",") if name.strip())
    if key.endswith("date") and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def set_field(key: str, value: str) -> Change:
    """Set (or, when `value` is empty, remove) one override; `original_source.name` is nested."""
    parent_key, _, child = key.rpartition(".")

    def change(entry: CommentedMap) -> None:
        target = entry
        if parent_key:
            if not isinstance(entry.get(parent_key), dict):
                entry[parent_key] = CommentedMap()
            target = entry[parent_key]
        if value.strip():
            new = yaml_value(child, value)
            if key == "authors" and isinstance(target.get("authors"), list):
                target["authors"][:] = list(new)  # keeps the list's flow or block style
            else:
                target[child] = new
        elif child in target:
            del target[child]
        if parent_key and not entry[parent_key]:
            del entry[parent_key]

    return change


def add_snippet(key: str, snippet: str) -> Change:
    """Append a snippet to the entry's `keep:` or `drop:` list (made when missing)."""

    def change(entry: CommentedMap) -> None:
        items = entry.get(key)
        if not isinstance(items, list):
            entry[key] = items = CommentedSeq()
        if snippet not in items:
            items.append(snippet)

    return change


def remove_snippets(key: str, snippets: list[str]) -> Change:
    """Take snippets out of `keep:` or `drop:`; an emptied list goes too."""

    def change(entry: CommentedMap) -> None:
        items = entry.get(key)
        if not isinstance(items, list):
            return
        for snippet in snippets:
            while snippet in items:
                items.remove(snippet)
        if not items:
            del entry[key]

    return change
