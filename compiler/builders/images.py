"""Images in article bodies made fit for a book: scaled down when oversized, described when missing.

A photograph saved from the web can be 6000 pixels wide; no e-reader or printed page needs more
than `MAX_SIDE`, and the book would carry megabytes for nothing. Scaling is deterministic (the
same file gives the same bytes), so books stay reproducible.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from ..readers.xmlsafe import parse_xml

MAX_SIDE = 1600  # pixels on the longer side
_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
_SAVE_OPTIONS: dict[str, dict[str, object]] = {"PNG": {}, "JPEG": {"quality": 85}, "WEBP": {"quality": 85}}
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml"}


def fit_image(data: bytes, media_type: str) -> bytes:
    """The image no larger than MAX_SIDE on either side, in its own format; other data unchanged."""
    image_format = _FORMATS.get(media_type)
    if image_format is None:
        return data  # GIF (perhaps animated) and SVG (no pixels) are left as they are
    from PIL import Image  # only books with images need Pillow loaded

    try:
        with Image.open(io.BytesIO(data)) as image:
            if max(image.size) <= MAX_SIDE:
                return data
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=image_format, **_SAVE_OPTIONS[image_format])  # no EXIF, no timestamps
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return data  # not an image Pillow can read: the builders treat it as they would anyway


def pdf_image_sources(body: str, base: Path, root: Path, warn: Callable[[str], None], where: str) -> str:
    """The body with each local image as a file URL (a data URL when scaled), a missing one described.

    `base` is the folder image paths are relative to; a file outside `root` is not read here
    (the PDF fetcher refuses it, with a warning).
    """
    tree = parse_xml(f"<div>{body}</div>")
    for img in list(tree.iter("img")):
        src = img.get("src", "")
        if not src or urlparse(src).scheme:
            continue  # data: is inline; anything else is refused by the fetcher, with a warning
        named = base / unquote(src)
        path = named.resolve()
        if not path.is_relative_to(root.resolve()):
            img.set("src", named.absolute().as_uri())  # the name it was given, for the fetcher's refusal
            continue
        media_type = IMAGE_TYPES.get(path.suffix.lower())
        if media_type is None or not path.is_file():
            warn(f"{where}: image {src!r} is not a file in the collection folder, so the PDF leaves it out; "
                 "save the image beside the article")
            leave_out(img)
            continue
        data = path.read_bytes()
        fitted = fit_image(data, media_type)
        if fitted is data:
            img.set("src", path.as_uri())
        else:
            img.set("src", f"data:{media_type};base64,{base64.b64encode(fitted).decode('ascii')}")
    return (tree.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in tree)


def leave_out(img: etree._Element) -> None:
    """An image that cannot be shown is left out, with its figure (and caption) when the figure
    holds nothing else; the text around it stays. The book prints no placeholder for it."""
    parent = img.getparent()
    alone = parent is not None and parent.tag == "figure" and len(parent.findall(".//img")) == 1
    _remove_keeping_tail(parent if alone and parent.getparent() is not None else img)
    if parent is not None and parent.tag == "p" and not len(parent) and not (parent.text or "").strip():
        _remove_keeping_tail(parent)  # a paragraph that held only the image


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
