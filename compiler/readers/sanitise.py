"""The allowlist sanitiser every piece of input HTML passes before it becomes a block.

nh3 (ammonia) keeps only the elements and attributes a book body uses; everything that can run,
restyle, submit or fetch (script, style, event handlers, iframes, forms, objects, meta, base,
link) is gone, with the content of script and style. An image source survives only when the
caller says where it may point (a file saved beside the article, or a cached image of a URL
source); any other image becomes its description. The result is re-parsed and serialised as
XML, so it is a well-formed XHTML fragment whatever the input was.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from lxml import etree
from lxml import html as lxml_html

from .xmlsafe import html_parser

ImagePolicy = Callable[[str], str | None]  # an img src -> the src to keep, or None to drop it

_INLINE = {"a", "em", "strong", "i", "b", "u", "s", "sub", "sup", "code", "br", "span", "del", "ins", "q",
           "cite", "abbr", "small", "mark", "img"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "figure", "figcaption",
          "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "pre", "hr", "dl", "dt", "dd", "div"}
TAGS = _INLINE | _BLOCK
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "span": {"class"},
    "p": {"class"},
    "abbr": {"title"},
}
LINK_SCHEMES = {"http", "https", "mailto"}
# Characters XML 1.0 forbids; a saved page can hold them, and lxml would refuse the fragment.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def no_images(src: str) -> str | None:
    return None


def local_images(src: str) -> str | None:
    """Relative paths only: a file saved beside the article (the builders check it stays inside)."""
    if not src or _SCHEME.match(src) or src.startswith(("/", "\\")):
        return None
    return src


def sanitise(fragment: str, images: ImagePolicy = local_images) -> str:
    """A well-formed XHTML fragment holding only allowed markup; images the policy refuses described."""
    cleaned = nh3.clean(
        _NOT_XML.sub("", fragment),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=lambda tag, name, value: _filter(tag, name, value, images),
    )
    return "".join(to_xhtml(element) for element in _fragments(cleaned))


def _filter(tag: str, name: str, value: str, images: ImagePolicy) -> str | None:
    if tag == "img" and name == "src":
        return images(value)
    if tag == "a" and name == "href" and not (value.startswith("#") or _SCHEME.match(value)):
        return None  # a path into the saved site, which the book does not hold
    return value


def _fragments(cleaned: str) -> list[etree._Element]:
    if not cleaned.strip():
        return []
    wrapper = lxml_html.fragment_fromstring(cleaned, create_parent="div", parser=html_parser())
    for img in list(wrapper.iter("img")):
        if not img.get("src"):
            _describe(img)
    for link in list(wrapper.iter("a")):
        if not link.get("href"):
            link.drop_tag()  # its address was refused: the words stay, the link goes
    out: list[etree._Element] = []
    if wrapper.text and wrapper.text.strip():
        span = lxml_html.Element("span")
        span.text = wrapper.text
        out.append(span)
    out.extend(wrapper)
    return out


def _describe(img: etree._Element) -> None:
    """An image that may not be shown becomes its text alternative (or nothing, without one)."""
    alt = " ".join((img.get("alt") or "").split())
    if not alt:
        img.drop_tree()  # keeps the text after it
        return
    tail = img.tail
    img.clear()
    img.tag = "span"
    img.set("class", "image-omitted")
    img.text = f"[Image: {alt}]"
    img.tail = tail


def to_xhtml(element: etree._Element) -> str:
    """One element as XML text: void elements closed, entities as characters or escapes."""
    element.tail = None
    return etree.tostring(element, encoding="unicode", method="xml", with_tail=False)
