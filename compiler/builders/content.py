"""An article body made fit to ship inside a package: its images embedded, its dead links inert.

A package may only hold what it contains: an image on the web would be fetched by the
reading system (and EPUBCheck forbids it), a link to a page of the saved site leads nowhere.
Images beside the article in the collection folder are embedded; the others are replaced by
their description, with a warning, because nothing remote is fetched during a build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from ..book.view import ArticleView
from ..collection.manifest import Manifest
from ..errors import BuildError
from ..readers.xmlsafe import parse_xml
from .images import fit_image, leave_out

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml"}
_UNWRAP = "anthology-unwrap"  # a placeholder tag name, stripped before serialising


@dataclass
class PackagedImage:
    file_name: str  # inside the package
    media_type: str
    data: bytes
    described: bool  # has a non-empty text alternative


def package_body(entry: ArticleView, manifest: Manifest, prefix: str) -> tuple[str, list[PackagedImage], list[str]]:
    """The entry's body with image sources and links rewritten; the images found; warnings."""
    where = entry.meta.source or entry.id
    if "<img" not in entry.body and "<a" not in entry.body:
        return entry.body, [], []  # nothing to embed or unwrap (the sanitiser wrote it well-formed)
    try:
        root = parse_xml(f"<div>{entry.body}</div>")
    except etree.XMLSyntaxError as exc:
        raise BuildError(f"{where}: the article body is not well-formed XHTML: {exc}") from None
    images: list[PackagedImage] = []
    warnings: list[str] = []
    base = entry.article.source_path.parent if entry.article.source_path else manifest.root
    for img in list(root.iter("img")):
        image = _embed(img, base, manifest, f"{prefix}-{len(images) + 1}")
        if image is None:
            warnings.append(f"{where}: image {img.get('src')!r} is not a file in the collection folder, "
                            "so the EPUB leaves it out; save the image beside the article")
            leave_out(img)
        else:
            images.append(image)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    for link in list(root.iter("a")):
        href = link.get("href", "")
        if not _is_external(href) and not (href.startswith("#") and href[1:] in ids):
            link.tag = _UNWRAP  # a link into the saved site leads nowhere in the book (a note's does)
    etree.strip_tags(root, _UNWRAP)
    body = (root.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in root)
    return body, images, warnings


def _is_external(href: str) -> bool:
    return urlparse(href).scheme in ("http", "https", "mailto")


def _embed(img: etree._Element, base: Path, manifest: Manifest, stem: str) -> PackagedImage | None:
    src = img.get("src", "")
    if not src or urlparse(src).scheme:
        return None
    path = (base / unquote(src)).resolve()
    inside = manifest.data.allow_outside_paths or path.is_relative_to(manifest.root.resolve())
    media_type = IMAGE_TYPES.get(path.suffix.lower())
    if not inside or media_type is None or not path.is_file():
        return None
    file_name = f"{stem}{path.suffix.lower()}"
    alt = (img.get("alt") or "").strip()
    img.set("src", file_name)
    img.set("alt", alt)
    return PackagedImage(file_name, media_type, fit_image(path.read_bytes(), media_type), described=bool(alt))


