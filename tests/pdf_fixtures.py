"""Collections written for the PDF tests, and helpers to build and read their PDFs.

Article texts are written here for the tests, or taken from tests/fixtures (also written for the project).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pypdf
from PIL import Image
from pypdf.generic import DictionaryObject

from compiler.book.templating import Renderer
from compiler.builders import BuildContext, builder_for
from compiler.collection.loading import Collection, load_collection
from compiler.collection.manifest import load_manifest
from compiler.pipeline import write_format

REPO = Path(__file__).resolve().parents[1]
# The seed article's shape (pleas, republished, paragraphs cut mid-sentence), written for the project.
REPUBLISHED = REPO / "tests" / "fixtures" / "articles" / "gr_republished_split.md"
EPOCH = 1_700_000_000  # the SOURCE_DATE_EPOCH every test build uses
MM = 72 / 25.4  # points per millimetre

_SENTENCES = [
    "The harbour committee met again on Thursday to decide the future of the old ferry pier.",
    "Nobody has tied a boat to it since the storm of last winter lifted half its planks.",
    "Fishermen want it rebuilt in timber, as it was, so that the small boats can unload at low tide.",
    "The council's engineers prefer concrete, which costs more at first and far less over fifty years.",
    "Between the two camps sits a question of money that the meeting did not settle.",
    "A retired pilot reminded everyone that the pier had been rebuilt twice before, both times in oak.",
    "Children still fish from its landward end, where the rails are sound and the water is shallow.",
    "The harbourmaster asked for a decision before the summer, when the visiting yachts return.",
]

PIER = "\n\n".join(
    " ".join(_SENTENCES[(i + j) % len(_SENTENCES)] for j in range(5)) for i in range(24)
)  # fmt: skip

GARDEN_DE = "\n\n".join(
    [
        "Die Gartenbaugesellschaft untersuchte im vergangenen Jahr die Widerstandsfähigkeit verschiedener "
        "Obstbaumsorten gegenüber anhaltender Winterkälte und veröffentlichte anschließend ausführliche "
        "Empfehlungen für Hausgärten in höheren Lagen.",
        "Besonders bewährt haben sich alte Apfelsorten, deren Knospen spät austreiben und deshalb selten "
        "erfrieren; die Birnen dagegen litten unter den Spätfrösten im April.",
    ]
    * 5
)

BOILERPLATE = "Subscribe to our free newsletter for weekly updates from the harbour desk."


def article_text(title: str, author: str, body: str, extra: str = "") -> str:
    return f"# {title}\n\nBy {author}\n\n{body}\n\n{extra}\n"


def write_book(folder: Path, *, pdf_options: str = "", with_seed: bool = True) -> Path:
    """A collection in two sections: an English article, one of the seed's shape, and a German article."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(exist_ok=True)
    (folder / "articles/pier.md").write_text(
        article_text("The Ferry Pier", "Ann Whitcombe", PIER, BOILERPLATE), encoding="utf-8"
    )
    (folder / "articles/garten.md").write_text(
        article_text("Der Garten im Winter", "Hans Beispiel", GARDEN_DE), encoding="utf-8"
    )
    seed_entry = ""
    if with_seed:
        shutil.copy(REPUBLISHED, folder / "articles/seed.txt")
        seed_entry = "      - path: articles/seed.txt\n"
    manifest = folder / "collection.yaml"
    manifest.write_text(
        "title: Harbour and Garden\n"
        "subtitle: Essays saved from the web\n"
        "editors: [Edith Editor]\n"
        "publisher: Small Test Press\n"
        "description: An anthology built by the PDF tests\n"
        "subjects: [harbours, gardens]\n"
        "language: en\n"
        "sections:\n"
        "  - title: Coast\n"
        "    articles:\n"
        "      - path: articles/pier.md\n"
        "        date: 2024-01-02\n"
        "        publisher: Harbour News\n"
        f"{seed_entry}"
        "  - title: Inland\n"
        "    articles:\n"
        "      - path: articles/garten.md\n"
        "        language: de\n"
        "        date: 2023-05-06\n"
        "        publisher: Gartenblatt\n"
        "        licence: CC BY 4.0\n"
        f"{pdf_options}",
        encoding="utf-8",
    )
    return manifest


def write_flat(folder: Path, pdf_options: str, articles: int = 3) -> Path:
    """A small collection without sections, for option tests that need a quick build."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = ""
    for number in range(1, articles + 1):
        # Odd lengths, so that a right-hand start needs blank pages.
        body = "\n\n".join(_SENTENCES[: 3 + number]) * (number * 2 + 1)
        (folder / f"a{number}.md").write_text(
            article_text(f"Short Piece Number {number}", f"Writer {number}", body), encoding="utf-8"
        )
        entries += f"  - path: a{number}.md\n"
    manifest = folder / "collection.yaml"
    manifest.write_text(f"title: Small Book\neditors: [Ed]\narticles:\n{entries}{pdf_options}", encoding="utf-8")
    return manifest


@dataclass
class Built:
    path: Path
    collection: Collection
    warnings: list[str]

    @property
    def reader(self) -> pypdf.PdfReader:
        return pypdf.PdfReader(self.path)


def build(manifest: Path, out_dir: Path) -> Built:
    return build_collection(load_collection(load_manifest(manifest)), out_dir)


def build_collection(collection: Collection, out_dir: Path) -> Built:
    context = BuildContext(
        renderer=Renderer("pdf", collection.manifest.root),
        build_date=dt.datetime.fromtimestamp(EPOCH, tz=dt.UTC),
        reproducible=True,
    )
    path = write_format(builder_for("pdf"), collection, out_dir, context)
    return Built(path=path, collection=collection, warnings=context.warnings)


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page index) for every outline entry, in document order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def squash(text: str) -> str:
    """Text without any whitespace: line breaks fall in different places in a PDF."""
    return re.sub(r"\s+", "", text)


def all_text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(reader: pypdf.PdfReader) -> list[DictionaryObject]:
    fonts = []
    for page in reader.pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        if font_dict:
            fonts.extend(ref.get_object() for ref in font_dict.get_object().values())
    return fonts


def font_descriptor(font: DictionaryObject) -> DictionaryObject:
    if "/FontDescriptor" in font:
        return font["/FontDescriptor"].get_object()
    return font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()


def decoded_streams(data: bytes) -> list[bytes]:
    """Every stream in the file, inflated when it is compressed, to search for leaked bytes."""
    out = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            out.append(zlib.decompress(match[1]))
        except zlib.error:
            out.append(match[1])
    return out


def ink_lines(path: Path, page: int, dpi: int = 150) -> list[tuple[int, int, int, int]]:
    """(top, bottom, left, right) in pixels of each run of inked rows on a page, as poppler draws it."""
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1), "-gray", "-png",
                          str(path)], capture_output=True, check=True, timeout=60).stdout
    image = Image.open(BytesIO(png)).convert("L")
    pixels = image.load()
    bands: list[list[int]] = []
    for y in range(image.height):
        inked = [x for x in range(image.width) if pixels[x, y] < 128]
        if inked and bands and bands[-1][1] == y - 1:
            band = bands[-1]
            band[1], band[2], band[3] = y, min(band[2], inked[0]), max(band[3], inked[-1])
        elif inked:
            bands.append([y, y, inked[0], inked[-1]])
    return [(top, bottom, left, right) for top, bottom, left, right in bands]
