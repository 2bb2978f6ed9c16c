"""The studio's round-trip edits of a collection file: only the changed entry changes."""

from __future__ import annotations

from compiler.studio.manifest_edit import add_snippet, edited, remove_snippets, set_field

FLOW = """\
# A collection written by hand.
title: Flow Style   # the title
articles:
- path: a.md
  authors: [Old Name]   # from the page's footer
- path: b.md
"""

SECTIONS = """\
title: Sections
sections:
  - title: One
    articles:
      - path: a.md
  - title: Two   # the second part
    articles:
      - path: b.md
        original_source:
          name: The Ledger
"""


def test_a_flow_list_keeps_its_style_and_its_comment() -> None:
    text = edited(FLOW, 1, set_field("authors", "New Name,  Second  Name "))
    # the comment stays on its line (ruamel moves it to one space after the longer list)
    assert text == FLOW.replace("[Old Name]   #", "[New Name, Second Name] #")


def test_new_keys_follow_the_file_s_own_list_indentation() -> None:
    text = edited(FLOW, 2, add_snippet("keep", "Subscribe to the Ledger"))
    assert text == FLOW + "  keep:\n  - Subscribe to the Ledger\n"
    text = edited(SECTIONS, 1, add_snippet("drop", "Printed by volunteers"))
    assert ("      - path: a.md\n        drop:\n          - Printed by volunteers\n"
            "  - title: Two   # the second part\n") in text


def test_entries_are_counted_across_sections_and_nested_fields_are_set_and_cleared() -> None:
    text = edited(SECTIONS, 2, set_field("original_source.date", "2021-05-04"))
    assert text.endswith("        original_source:\n          name: The Ledger\n          date: 2021-05-04\n")
    text = edited(text, 2, set_field("original_source.name", ""))
    text = edited(text, 2, set_field("original_source.date", ""))
    assert text.endswith("      - path: b.md\n")  # an emptied mapping goes too
    assert "  - title: Two   # the second part\n" in text


def test_an_impossible_date_stays_text_for_the_schema_to_refuse() -> None:
    # quoted: unquoted, PyYAML itself would fail on it before the schema could name the key
    assert edited(FLOW, 2, set_field("date", "2023-02-30")).endswith("- path: b.md\n  date: '2023-02-30'\n")
    assert edited(FLOW, 2, set_field("date", "2023-02-28")).endswith("- path: b.md\n  date: 2023-02-28\n")


def test_removing_the_last_snippet_removes_the_list() -> None:
    text = edited(FLOW, 1, add_snippet("drop", "one"))
    text = edited(text, 1, add_snippet("drop", "two"))
    assert "  drop:\n  - one\n  - two\n" in text
    text = edited(text, 1, remove_snippets("drop", ["one"]))
    assert "  drop:\n  - two\n" in text
    assert edited(text, 1, remove_snippets("drop", ["two"])) == FLOW


def test_an_edit_never_written_does_not_leak_into_the_next() -> None:
    refused = edited(FLOW, 2, set_field("date", "2023-02-30"))  # the studio does not write this text
    assert "2023-02-30" in refused
    text = edited(FLOW, 2, set_field("title", "Second"))  # made again from the file as it is
    assert text == FLOW + "  title: Second\n"
    assert edited(text, 2, set_field("subtitle", "Sub")) == text + "  subtitle: Sub\n"  # from the last text written
