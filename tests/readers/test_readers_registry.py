"""The reader registry: each entry names the suffixes its reader class really takes."""

from __future__ import annotations

import importlib

from compiler.readers import READERS


def test_registry_entries_match_their_reader_classes() -> None:
    # The registry lists names and suffixes so that nothing is imported before a file is read;
    # they must stay the ones the reader classes themselves declare.
    for name, entry in READERS.items():
        reader = getattr(importlib.import_module(entry.module, "compiler.readers"), entry.class_name)()
        assert (reader.name, reader.suffixes) == (name, entry.suffixes)
