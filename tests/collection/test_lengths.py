"""The `pdf:` lengths are parsed once, when the manifest is validated, into typed values."""

from __future__ import annotations

import pickle

import pytest

from compiler.collection.lengths import Length, Margins, PageSize
from compiler.collection.manifest import ManifestSchema, PdfOptions
from compiler.collection.schema import Invalid, SchemaError

MM = 72 / 25.4


def test_validated_options_hold_typed_values() -> None:
    options = ManifestSchema.load({"title": "t", "pdf": {"page_size": "150mm 220mm", "margins": "20mm 15mm",
                                                         "font_size": "11pt", "bleed": "0.125in"}}).pdf
    assert options.page_size == PageSize(Length(150 * MM, "150mm"), Length(220 * MM, "220mm"))
    assert options.margins == Margins(*(Length(mm * MM, f"{mm}mm") for mm in (20, 15, 20, 15)))
    assert options.font_size == Length(11, "11pt") and options.bleed == Length(9, "0.125in")


def test_a_preset_page_size_and_the_defaults() -> None:
    options = PdfOptions(page_size="Letter")
    assert (options.page_size.width.points, options.page_size.height.points) == (612, 792)
    assert options.page_size.name == "Letter" and PdfOptions().font_size == Length(11.5, "11.5pt")
    # No margins given: in proportion to the page, in whole millimetres.
    a5 = PdfOptions().page_margins
    assert [side.css for side in (a5.top, a5.outer, a5.bottom, a5.inner)] == ["18mm", "15mm", "21mm", "19mm"]


def test_css_text_is_the_number_and_its_unit() -> None:
    # Written with a space or a capital, a length is still one CSS token (WeasyPrint ignored "11 pt").
    assert Length.parse(" 11 PT ") == Length(11, "11pt") and str(Length.parse("3mm")) == "3mm"
    with pytest.raises(Invalid, match="'11' is not a length"):
        Length.parse("11")


def test_values_compare_by_value_and_pickle() -> None:
    assert Margins.parse("10mm") == Margins.parse("10mm 10mm 10mm 10mm")
    assert PageSize.parse("a4") == PageSize.parse("210mm 297mm") != PageSize.parse("A5")
    options = PdfOptions(page_size="A4", margins="20mm 15mm 22mm 20mm", bleed="3mm")
    copy = pickle.loads(pickle.dumps(options))
    assert copy == options and copy.margins is not None and copy.margins.written == "20mm 15mm 22mm 20mm"


def test_a_replaced_page_size_checks_the_margins_again() -> None:
    options = PdfOptions(page_size="A4", margins="10mm 40mm")
    assert options.replace(font_size="12pt").margins == options.margins
    with pytest.raises(SchemaError, match="margins 10mm 40mm leave too little room for text on a A6 page"):
        options.replace(page_size="A6")
