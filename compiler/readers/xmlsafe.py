"""The only way the compiler parses XML, XHTML and HTML: parsers that expand no entity, load no
DTD, touch no network and refuse a document too big to be an article.

Articles and saved pages are untrusted. A DTD in them can declare an entity that expands to
gigabytes ("billion laughs") or one that names a local file or URL (XXE), whose content would
then be copied into the book. lxml's defaults are safer than they were but depend on the
version of libxml2 underneath; these factories say what we need explicitly:

- `resolve_entities=False`: an entity reference stays a reference, its declaration unused;
- `load_dtd=False`, `no_network=True`: no external DTD or entity is fetched, from disk or web;
- `huge_tree=False`: libxml2's limits on depth and text size stay on;
- `parse_xml` also refuses a document whose DTD declares any entity at all (as defusedxml does):
  an unexpanded reference copied into a book would be expanded, or rejected, by a reading system.

Use `xml_parser()` / `parse_xml()` for XML and XHTML (a rendered EPUB page, trafilatura's XML
output, an OPF), and `html_parser()` / `parse_html()` for HTML as browsers save it. Never call
`etree.fromstring`, `etree.parse`, `lxml.html.fromstring` or `lxml.html.document_fromstring`
without one of these parsers: the tests (tests/readers/test_xmlsafe.py) look for such calls in compiler/.

Note for readers of HTML and XHTML (compiler/readers/html.py): parse the page with
`parse_html(text)` (or pass `parser=html_parser()` to `lxml.html.document_fromstring`), parse
trafilatura's XML and any XHTML with `parse_xml(data, recover=True)` instead of building an
`etree.XMLParser` by hand, and parse the sanitiser's output with `parse_xml`. trafilatura parses
with its own lxml HTML parser, which does not read a DTD's entity declarations; that is checked by
a test, so an upgrade that changes it fails there.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html


def xml_parser(recover: bool = False) -> etree.XMLParser:
    """A fresh XML parser (lxml parsers are not safe to share between threads)."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
    )


def html_parser() -> lxml_html.HTMLParser:
    """A fresh HTML parser with the same guarantees (the HTML parser never expands DTD entities)."""
    return lxml_html.HTMLParser(no_network=True, huge_tree=False, remove_pis=True)


class EntityDeclarationError(etree.XMLSyntaxError):
    """A document declares entities: refused, like a malformed one (callers catch XMLSyntaxError)."""


def parse_xml(data: str | bytes, recover: bool = False) -> etree._Element:
    """The root element of an XML document or XHTML fragment; XMLSyntaxError when malformed.

    A str is parsed as UTF-8 (lxml refuses a str that carries an encoding declaration). A
    document that declares entities is refused too: left unexpanded they would be copied into a
    book as references that a reading system might expand, or reject as undefined.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    root = etree.fromstring(data, xml_parser(recover))
    dtd = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if declared:
        names = ", ".join(declared[:5])
        raise EntityDeclarationError(f"the document declares entities ({names}); they are not allowed", 0, 1, 1, None)
    return root


_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")


def parse_html(text: str | bytes) -> etree._Element:
    """The root (`html`) element of an HTML document as a browser would read it.

    A str has its XML declaration dropped: lxml refuses a str that declares an encoding, and an
    XHTML page saved by a browser often starts with one.
    """
    if isinstance(text, str):
        text = _XML_DECLARATION.sub("", text, count=1)
    return lxml_html.document_fromstring(text, parser=html_parser())
