"""The EPUB as a reading system and a validator see it: package, navigation, pages, metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from epub_helpers import EPOCH, EXAMPLE, NS, Book, build_epub
from lxml import etree
from shared_data import SEED, shared_file

from compiler.book.attribution import attribution_text
from compiler.book.typography import typeset_text
from compiler.book.view import derived_identifier
from compiler.builders.cover import CoverText, render_cover
from compiler.collection.manifest import load_manifest
from compiler.errors import BuildError


def text_of(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def messages(report: dict) -> str:
    return "\n".join(f"{m['severity']} {m['ID']} {m['message']} {m['locations'][:1]}" for m in report["messages"])


@pytest.mark.parametrize("name", ["example", "shape", "seed"])
def test_epubcheck_finds_nothing(epubcheck_reports: dict, name: str) -> None:
    if name == "seed":
        shared_file(SEED, "the seed article's EPUB checked by EPUBCheck (an acceptance check)")
    report = epubcheck_reports[name]
    checker = report["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), messages(report)
    assert report["publication"]["ePubVersion"].startswith("3")


def test_mimetype_is_first_and_stored(example_book: Book) -> None:
    with zipfile.ZipFile(example_book.path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        stamps = {info.date_time for info in archive.infolist()}
    assert stamps == {dt.datetime.fromtimestamp(EPOCH, tz=dt.UTC).timetuple()[:6]}


def toc_structure(book: Book) -> list[tuple[str, list[str]]]:
    """The nav's table of contents as (label, [child labels]) in order."""
    toc = book.page("nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
    assert toc is not None
    return [
        (text_of(item.find("x:a", NS)), [text_of(a) for a in item.iterfind("x:ol/x:li/x:a", NS)])
        for item in toc.iterfind("x:ol/x:li", NS)
    ]


def test_nav_lists_every_article_in_manifest_order_under_its_section(example_book: Book) -> None:
    manifest = load_manifest(EXAMPLE)
    expected = [
        (section.title, [manifest.resolve(e).name for e in section.entries])
        for section in manifest.sections
    ]
    by_path = {a.source_path.name: a.meta.title for a in example_book.collection.articles if a.source_path}
    nested = {label: children for label, children in toc_structure(example_book) if children}
    assert list(nested) == [title for title, _ in expected]
    for title, files in expected:
        assert nested[title] == [by_path[name] for name in files]


def test_nav_links_reach_pages_headed_by_the_same_title(example_book: Book) -> None:
    toc = example_book.page("nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
    links = toc.iterfind(".//x:a", NS)
    for link in links:
        target = example_book.page(link.get("href"))
        heading = target.find(".//x:h1", NS)
        if link.get("href").startswith("article-"):
            assert text_of(heading) == text_of(link)


def label(point: etree._Element) -> str:
    return text_of(point.find("ncx:navLabel", NS))


def test_ncx_mirrors_the_nav(example_book: Book) -> None:
    ncx = example_book.xml("EPUB/toc.ncx")
    points = [
        (label(point), [label(child) for child in point.iterfind("ncx:navPoint", NS)])
        for point in ncx.iterfind("ncx:navMap/ncx:navPoint", NS)
    ]
    assert points == toc_structure(example_book)
    orders = [int(p.get("playOrder")) for p in ncx.iter(f"{{{NS['ncx']}}}navPoint")]
    assert orders == list(range(1, len(orders) + 1))


def test_visible_contents_page_groups_titles_and_authors_under_sections(example_book: Book) -> None:
    contents = example_book.page("contents.xhtml")
    section = contents.find(".//x:section[@epub:type='toc']", NS)
    headings = [text_of(h) for h in section.iterfind("x:h2", NS)]
    assert headings == [s.title for s in example_book.collection.sections]
    lists = section.findall("x:ol", NS)
    for collection_section, listed in zip(example_book.collection.sections, lists, strict=True):
        entries = listed.findall("x:li", NS)
        for article, entry in zip(collection_section.articles, entries, strict=True):
            assert text_of(entry.find(".//x:span[@class='contents-title']", NS)) == article.meta.title
            assert text_of(entry.find(".//x:span[@class='contents-authors']", NS)) == " and ".join(article.meta.authors)


def article_pages(book: Book) -> list[str]:
    return [name for name in book.spine_files() if name.startswith("article-")]


@pytest.mark.parametrize("fixture", ["example_book", "shape_book", "seed_book"])
def test_each_article_ends_with_its_attribution_note(fixture: str, request: pytest.FixtureRequest) -> None:
    book: Book = request.getfixturevalue(fixture)
    pages = article_pages(book)
    assert len(pages) == len(book.collection.articles)
    for name, article in zip(pages, book.collection.articles, strict=True):
        section = book.page(name).find(".//x:section[@epub:type='chapter']", NS)
        last = section[-1]
        assert last.tag == f"{{{NS['x']}}}footer" and last.get("class") == "attribution"
        note = text_of(last)
        assert note == attribution_text(article.meta)
        for author in article.meta.authors:
            assert author in note
        source = article.meta.original_source
        assert (source.name if source and source.name else article.meta.publisher) in note


@pytest.mark.parametrize("fixture", ["shape_book", "seed_book"])
def test_seed_note_names_the_original_outlet_and_the_republisher(fixture: str, request: pytest.FixtureRequest) -> None:
    book: Book = request.getfixturevalue(fixture)
    note = text_of(book.page("article-01.xhtml").find(".//x:footer", NS))
    meta = book.collection.articles[0].meta
    assert meta.original_source and meta.original_source.name
    assert f"First published by {meta.original_source.name}" in note
    assert f"Republished by {meta.publisher}" in note


def book_text(book: Book) -> str:
    """Every word a reader or a reading system could show: pages, navigation and package."""
    parts = []
    for name in book.names:
        if name.endswith((".xhtml", ".opf", ".ncx")):
            parts.append(text_of(book.xml(name)))
            parts += [v for el in book.xml(name).iter() for v in el.attrib.values()]
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("fixture", ["example_book", "shape_book", "seed_book"])
def test_no_removed_boilerplate_reaches_the_book(fixture: str, request: pytest.FixtureRequest) -> None:
    book: Book = request.getfixturevalue(fixture)
    text = book_text(book)
    removed = [" ".join(r.text.split()) for a in book.collection.articles for r in a.removed if r.kind == "remove"]
    removed = [r for r in removed if r]
    assert len(removed) >= 5  # the test means something only if there was boilerplate
    leaked = [r for r in removed if r in text]
    assert not leaked


def test_the_articles_own_words_are_in_the_book(example_book: Book) -> None:
    text = book_text(example_book)
    for article in example_book.collection.articles:
        language = article.meta.language or example_book.collection.manifest.data.language
        for block in article.blocks:
            # As the typography pass sets them: curly quotes, dashes (compiler/book/typography.py).
            assert " ".join(typeset_text(block.text, language).split()) in text


def meta_values(opf: etree._Element, prop: str) -> list[str]:
    return [m.text for m in opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]


def dc(opf: etree._Element, name: str) -> list[str]:
    return [e.text for e in opf.iterfind(f"opf:metadata/dc:{name}", NS)]


def test_package_metadata(example_book: Book) -> None:
    opf, data = example_book.opf, example_book.collection.manifest.data
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == data.language
    assert dc(opf, "title") == [data.title]
    assert dc(opf, "creator") == data.editors
    roles = {m.get("refines"): m.text for m in opf.iterfind("opf:metadata/opf:meta[@property='role']", NS)}
    creators = opf.findall("opf:metadata/dc:creator", NS)
    assert {roles["#" + c.get("id")] for c in creators} == {"edt"}
    authors = [name for a in example_book.collection.articles for name in a.meta.authors]
    assert dc(opf, "contributor") == authors
    assert dc(opf, "language") == [data.language]
    assert dc(opf, "date") == [data.date.isoformat()]
    assert dc(opf, "publisher") == [data.publisher]
    assert dc(opf, "rights") == [data.rights]
    assert dc(opf, "subject") == data.subjects
    assert meta_values(opf, "dcterms:modified") == [
        dt.datetime.fromtimestamp(EPOCH, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ]
    identifier = opf.find(f"opf:metadata/dc:identifier[@id='{opf.get('unique-identifier')}']", NS)
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier.text)
    assert identifier.text == derived_identifier(data)


def test_identifier_is_stable_and_depends_on_title_and_editors() -> None:
    data = load_manifest(EXAMPLE).data
    assert derived_identifier(data) == derived_identifier(data.replace())
    assert derived_identifier(data) != derived_identifier(data.replace(title="Another"))
    assert derived_identifier(data) != derived_identifier(data.replace(editors=["Someone Else"]))


def test_creator_falls_back_to_authors_never_the_tool(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "one.md").write_text("# One\n\nBy Ana Lopes\n\nA first paragraph of prose that is long enough.\n")
    (folder / "collection.yaml").write_text("title: No Editors\narticles:\n  - path: a/one.md\n")
    path, _, _ = build_epub(folder / "collection.yaml", tmp_path / "out")
    book = Book(path, None, [])  # type: ignore[arg-type]
    assert dc(book.opf, "creator") == ["Ana Lopes"]
    assert dc(book.opf, "contributor") == []
    assert "anthology" not in " ".join(dc(book.opf, "creator")).lower()


def test_accessibility_metadata_is_true_of_the_book(example_book: Book) -> None:
    opf = example_book.opf
    assert set(meta_values(opf, "schema:accessMode")) == {"textual", "visual"}  # the cover is an image
    assert meta_values(opf, "schema:accessModeSufficient") == ["textual"]
    features = set(meta_values(opf, "schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= features
    assert meta_values(opf, "schema:accessibilityHazard") == ["none"]
    assert meta_values(opf, "schema:accessibilitySummary")[0]
    assert meta_values(opf, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert meta_values(opf, "a11y:certifiedBy") == [example_book.collection.manifest.data.publisher]
    # The claims hold: every image has a text alternative, every page a language and a heading.
    for name in example_book.spine_files():
        page = example_book.page(name)
        assert page.get("lang") and page.get("{http://www.w3.org/XML/1998/namespace}lang")
        for img in page.iter(f"{{{NS['x']}}}img"):
            assert img.get("alt", "").strip()
        if name != "cover.xhtml":
            assert page.find(".//x:h1", NS) is not None


def test_pages_carry_their_epub_semantics(example_book: Book) -> None:
    expected = {"titlepage.xhtml": "titlepage", "copyright.xhtml": "copyright-page", "contents.xhtml": "toc",
                "sources.xhtml": "credits", "colophon.xhtml": "colophon"}
    for name in article_pages(example_book):
        expected[name] = "chapter"
    for name, kind in expected.items():
        assert example_book.page(name).find(f".//*[@epub:type='{kind}']", NS) is not None, name
    landmarks = example_book.page("nav.xhtml").find(".//x:nav[@epub:type='landmarks']", NS)
    kinds = {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in landmarks.iter(f"{{{NS['x']}}}a")}
    assert {"cover", "titlepage", "toc", "bodymatter", "credits", "copyright-page"} <= set(kinds)
    for href in kinds.values():
        assert f"EPUB/{href}" in example_book.names


def test_article_in_another_language_is_marked_but_its_note_is_not(example_book: Book) -> None:
    book_language = example_book.collection.manifest.data.language
    others = [(n, a) for n, a in zip(article_pages(example_book), example_book.collection.articles, strict=True)
              if a.meta.language != book_language]
    assert others, "the example collection should hold an article in another language"
    for name, article in others:
        page = example_book.page(name)
        body = page.find(".//x:div[@class='article-body']", NS)
        assert body.get("lang") == article.meta.language
        assert body.get("{http://www.w3.org/XML/1998/namespace}lang") == article.meta.language
        assert page.find(".//x:h1", NS).get("lang") == article.meta.language
        assert page.get("lang") == book_language  # the byline and note are in the book's language
        assert page.find(".//x:footer", NS).get("lang") is None


def test_sources_page_lists_every_attribution_in_order(example_book: Book) -> None:
    page = example_book.page("sources.xhtml")
    notes = [text_of(li) for li in page.iterfind(".//x:li[@class='source']", NS)]
    assert notes == [attribution_text(a.meta) for a in example_book.collection.articles]
    starts = [int(ol.get("start")) for ol in page.iterfind(".//x:ol", NS)]
    sizes = [len(s.articles) for s in example_book.collection.sections]
    assert starts == [1 + sum(sizes[:i]) for i in range(len(sizes))]  # numbering runs on across sections


def test_title_page_copyright_page_and_colophon(example_book: Book) -> None:
    data = example_book.collection.manifest.data
    title = text_of(example_book.page("titlepage.xhtml").find(".//x:section", NS))
    assert data.title in title and data.subtitle in title
    assert all(editor in title for editor in data.editors)
    spine = example_book.spine_files()
    assert spine[spine.index("titlepage.xhtml") + 1] == "copyright.xhtml"  # the title page's verso
    copyright_page = text_of(example_book.page("copyright.xhtml").find(".//x:section", NS))
    assert data.rights in copyright_page and f"Published by {data.publisher}, 2024" in copyright_page
    assert all(editor in copyright_page for editor in data.editors)
    colophon = text_of(example_book.page("colophon.xhtml").find(".//x:section", NS))
    assert "Set in EB Garamond" in colophon
    # Not a tool's advertisement nor a machine identifier: the editors' page.
    assert "anthology" not in colophon.lower() and "urn:" not in colophon and "2023" not in colophon


def test_generated_cover_is_deterministic_and_in_the_package(example_book: Book) -> None:
    text = CoverText("A Title", "A subtitle", ["Ed A", "Ed B"])
    assert render_cover(text) == render_cover(text)
    assert render_cover(text) != render_cover(CoverText("Another Title", None, []))
    opf = example_book.opf
    cover = opf.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    data = example_book.read(f"EPUB/{cover.get('href')}")
    assert data.startswith(b"\x89PNG")
    first_page = example_book.page(example_book.spine_files()[0])
    img = first_page.find(".//x:img", NS)
    assert img.get("src") == cover.get("href")
    assert example_book.collection.manifest.data.title in img.get("alt")


def write_collection(folder: Path, extra: str = "", body: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "one.md").write_text(
        "# One Essay\n\nBy Ana Lopes\n\nThe Daily Example, May 2, 2023\n\n"
        "A first paragraph of prose that is long enough to be the body of the essay.\n\n" + body,
        encoding="utf-8",
    )
    manifest = folder / "collection.yaml"
    manifest.write_text(f"title: Small Book\neditors: [Ed Itor]\n{extra}articles:\n  - path: one.md\n",
                        encoding="utf-8")
    return manifest


def test_manifest_cover_image_is_used_as_is(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "c"
    manifest = write_collection(folder, extra="cover: cover.png\n")
    Image.new("RGB", (60, 90), (200, 30, 30)).save(folder / "cover.png")
    path, _, _ = build_epub(manifest, tmp_path / "out")
    book = Book(path, None, [])  # type: ignore[arg-type]
    cover = book.opf.find("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert book.read(f"EPUB/{cover.get('href')}") == (folder / "cover.png").read_bytes()


def test_local_images_are_embedded_and_remote_ones_left_out_with_a_warning(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "c"
    manifest = write_collection(
        folder, body="![A harbour at dawn](harbour.png)\n\nMore prose after the picture, long enough.\n\n"
        "![A remote chart](https://example.org/chart.png)\n\nAnd a closing paragraph of prose.\n")
    Image.new("RGB", (40, 30), (10, 90, 160)).save(folder / "harbour.png")
    path, _, warnings = build_epub(manifest, tmp_path / "out")
    book = Book(path, None, [])  # type: ignore[arg-type]
    page = book.page("article-01.xhtml")
    images = page.findall(".//x:img", NS)
    assert [img.get("alt") for img in images] == ["A harbour at dawn"]
    assert book.read(f"EPUB/{images[0].get('src')}") == (folder / "harbour.png").read_bytes()
    assert "https://example.org/chart.png" not in book.read("EPUB/article-01.xhtml").decode()
    assert "[Image" not in text_of(page) and "A remote chart" not in text_of(page)  # left out, no placeholder
    assert any("https://example.org/chart.png" in w for w in warnings)


def test_same_epoch_gives_identical_bytes_and_another_epoch_another_date(tmp_path: Path) -> None:
    first, _, _ = build_epub(EXAMPLE, tmp_path / "a")
    second, _, _ = build_epub(EXAMPLE, tmp_path / "b")
    later, _, _ = build_epub(EXAMPLE, tmp_path / "c", epoch=EPOCH + 86_400)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second, later)]
    assert digest[0] == digest[1]
    assert digest[0] != digest[2]
    modified = [meta_values(Book(p, None, []).opf, "dcterms:modified") for p in (first, later)]  # type: ignore[arg-type]
    assert modified[0] != modified[1]


def test_malformed_page_writes_nothing_and_keeps_the_earlier_book(tmp_path: Path) -> None:
    manifest = write_collection(tmp_path / "c")
    out = tmp_path / "out"
    earlier, _, _ = build_epub(manifest, out)
    before = earlier.read_bytes()
    # A collection's own template that breaks the XHTML: the build must stop before writing.
    override = tmp_path / "c" / "templates" / "epub"
    override.mkdir(parents=True)
    (override / "colophon.xhtml").write_text("<section><p>unclosed</section>", encoding="utf-8")
    with pytest.raises(BuildError, match="colophon"):
        build_epub(manifest, out, epoch=EPOCH + 1)
    assert earlier.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [earlier.name]
