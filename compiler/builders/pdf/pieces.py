"""The PDF laid out piece by piece on every core, then linked into one file.

One WeasyPrint render of a whole book uses one core and holds every laid-out page in memory.
Here the book is cut into pieces (title page, contents, each part divider, each article,
sources, colophon), as in templates/pdf/book.xhtml:

1. Every piece's body is laid out in a worker process with the page furniture (running heads,
   page numbers) and crop marks switched off, always starting on a right-hand page, and
   written as a PDF of its own. Page counts, anchors and bookmarks come back with the PDF;
   unchanged pieces come from the work cache. A worker parses print.css and sets up
   fontconfig once, not for every piece.
   The contents is laid out first with "000" for every number, only to learn its length (not
   written); when the cache remembers the last build's page counts, its length is taken from
   there instead (see lay_out).
2. Start pages follow from the counts, with a blank page wherever print.css asks a piece to
   open on a right-hand page (`right_hand_start`, and the contents).
3. The furniture is laid out on its own: a skeleton of the book (each piece's opening tag and
   heading, then empty pages) through the same print.css, in chunks of about CHUNK_PAGES
   pages, each told its first page number and side. The same stylesheet gives the same
   running heads, numbers and blank pages a single render gives. A chunk is queued as soon
   as the pieces it covers are counted; its bounds depend only on page positions, so a
   rebuild that moves no page finds every chunk in the cache.
4. The contents is laid out again with the real numbers; if its length changed, the
   placement and the furniture are done again (rare: the numbers are as wide as "000").
5. The parent puts the pieces' PDFs together with pikepdf (pdf_merge.py): furniture drawn over
   each body page as a form (a body piece that opens on a left-hand page is shifted to the
   left page's margins), blank pages, outline, named destinations, metadata. No process holds
   the laid-out book.

Jobs go to the workers by priority (Layouts): the contents, then bodies in reading order,
then furniture, which nothing else waits for and so fills the cores to the end; there is no
phase at which one core waits for the other.
"""

from __future__ import annotations

import heapq
import multiprocessing
import re
import shutil
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from html import escape
from importlib.metadata import version
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import unquote, urlparse

import tinycss2

from ...book.view import article_page_inputs
from ...cache import PDF_BOOK, PDF_PIECE, PDF_PLAN, WorkCache, fingerprint, key
from ...collection.parallel import worker_count
from ...errors import BuildError
from ...resources import templates_dir
from .document import drop_attachments, metadata_fields
from .merge import Placed as Linked
from .merge import assemble

if TYPE_CHECKING:
    from ...book.templating import Renderer
    from ...book.view import ArticleView, BookView
    from ...collection.loading import Collection
    from ..base import BuildContext

MARGIN_BOXES = [f"{edge}-{where}" for edge in ("top", "bottom") for where in ("left", "center", "right")] + [
    f"{edge}-{where}" for edge in ("left", "right") for where in ("top", "middle", "bottom")
] + ["top-left-corner", "top-right-corner", "bottom-left-corner", "bottom-right-corner"]
_MARGIN_NAMES = set(MARGIN_BOXES)
_NO_BOXES = " ".join(f"@{box} {{ content: none !important; }}" for box in MARGIN_BOXES)

# Body pieces: no furniture and no crop marks (the furniture layer draws those, on the right side).
BODY_CSS = "\n".join(
    f"@page{selector} {{ marks: none; {_NO_BOXES} }}" for selector in ("", ":left", ":right", ":first", ":blank")
) + "\nhtml { break-before: right; }\n"

# The contents shows the start pages it is given, not target-counter() across documents.
CONTENTS_CSS = """
.contents-entry > a::after, .contents-back a::after, .contents-section > a::after {
  content: leader(". ") attr(data-page);
}
"""

FURNITURE_CSS = "body * { visibility: hidden; }\n.furniture-break { break-before: page; }\n"

# Pages of furniture per chunk: small enough that the last chunks do not keep one core busy
# while the other waits, large enough that a chunk's own cost (a document, a cache entry) is small.
CHUNK_PAGES = 48

_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')
_CONTENTS_LINK = re.compile(r'<a href="#([^"]+)"')
_FIRST_HEADING = re.compile(r"^(.*?</h1>)", re.DOTALL)
_FILE_URL = re.compile(r"""(?:src|href)="(file:[^"]+)"|url\(["']?(file:[^"')]+)""")


@dataclass
class Piece:
    """One part of the book laid out on its own."""

    name: str  # the anchor it opens with: titlepage, contents, section-01, article-03, sources…
    fragment: str  # its page template rendered with layout="fragment.xhtml"
    wants_right: bool  # print.css opens it on a right-hand page
    whole_skeleton: bool = False  # a one-page piece whose furniture skeleton is the piece itself


@dataclass
class Rendered:
    """A piece's body pages (or a chunk of furniture) as laid out by a worker."""

    pdf: bytes  # as WeasyPrint writes it
    pages: int
    bookmarks: list[tuple[int, str, int, float, float]]  # level, label, page, left, top
    anchors: dict[str, tuple[int, float, float]]  # name → page, left, top (its first page)
    placeholders: list[str]  # anchors added only so that links out of the piece keep their target
    warnings: list[str] = field(default_factory=list)


@dataclass
class Job:
    """What a worker needs to lay out one document: all plain data, so it pickles."""

    html: str
    stylesheets: list[str]
    base_url: str
    roots: list[Path]
    metadata: dict[str, object]
    placeholders: list[str] = field(default_factory=list)
    furniture: bool = False  # a chunk of furniture: its pages become forms to draw over body pages
    build: str = ""  # the same for every job of one build: what a worker's parsed stylesheets are kept by
    count_only: bool = False  # only the page count is wanted: laid out, not written


@dataclass
class _Styles:
    """A build's stylesheets parsed once per process, with the font configuration they loaded."""

    fonts: object  # weasyprint FontConfiguration: fontconfig set up, @font-face files loaded
    sheets: dict[str, object]  # stylesheet text → weasyprint CSS
    warnings: list[str]  # what parsing them reported (a refused font URL…), repeated for every job


# Parsing print.css and setting up fontconfig cost about a tenth of laying out an article, so a
# worker keeps them for the next job. Keyed by the build (Job.build: its stylesheets and the
# state of the local files they name, so a replaced font file is loaded again); one build's
# entry only, so a long-lived process (the tests) never serves one collection's fonts to another.
_STYLES: dict[str, _Styles] = {}


def job_styles(job: Job) -> tuple[list[object], object, list[str]]:
    """The job's stylesheets parsed (from this process's cache when it has them)."""
    # deferred: WeasyPrint takes a second to import; a rebuild whose pieces are all cached never needs it
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from .fetcher import ConfinedFetcher, weasyprint_warnings  # deferred: it imports WeasyPrint

    styles = _STYLES.get(job.build)
    if styles is None:
        _STYLES.clear()
        styles = _STYLES[job.build] = _Styles(FontConfiguration(), {}, [])
    missing = [text for text in job.stylesheets if text not in styles.sheets]
    if missing:
        fetcher = ConfinedFetcher(job.roots, styles.warnings.append)
        with weasyprint_warnings(styles.warnings.append, fetcher):
            for text in missing:
                styles.sheets[text] = CSS(string=text, font_config=styles.fonts, url_fetcher=fetcher)
    return [styles.sheets[text] for text in job.stylesheets], styles.fonts, styles.warnings


def render_job(job: Job) -> Rendered:
    """In a worker: lay out one document and write its PDF."""
    from weasyprint import HTML  # deferred, as in job_styles

    from .fetcher import ConfinedFetcher, weasyprint_warnings  # deferred: it imports WeasyPrint

    sheets, fonts, style_warnings = job_styles(job)
    warnings: list[str] = list(style_warnings)
    fetcher = ConfinedFetcher(job.roots, warnings.append)
    with weasyprint_warnings(warnings.append, fetcher):
        document = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=fonts)
        if job.count_only:
            return Rendered(b"", len(document.pages), [], {}, [], warnings)
        _apply_metadata(document, job.metadata, warnings)
        pdf = document.write_pdf()
    marks, anchors = _places(document)
    return Rendered(pdf, len(document.pages), marks, anchors, job.placeholders, warnings)


def _places(document: object) -> tuple[list[tuple[int, str, int, float, float]], dict[str, tuple[int, float, float]]]:
    """The document's bookmarks (level, label, page, left, top) and anchors (name → page, left,
    top; the first of a name), in PDF points from the page's bottom left, as WeasyPrint places them."""
    scale = 0.75  # 72 points per inch, 96 CSS pixels per inch
    marks: list[tuple[int, str, int, float, float]] = []
    anchors: dict[str, tuple[int, float, float]] = {}
    for index, page in enumerate(document.pages):  # type: ignore[attr-defined]
        height = page.height
        for level, label, (x, y), _ in page.bookmarks:
            marks.append((level, label, index, x * scale, (height - y) * scale))
        for name, (x, y, *_) in page.anchors.items():
            anchors.setdefault(name, (index, x * scale, (height - y) * scale))
    return marks, anchors


def _apply_metadata(document: object, metadata: dict[str, object], warnings: list[str]) -> None:
    meta = document.metadata  # type: ignore[attr-defined]
    for name, value in metadata.items():
        setattr(meta, name, value)
    drop_attachments(document, warnings.append)  # type: ignore[arg-type]


# ---- Building the jobs ---------------------------------------------------------------------


def with_placeholders(fragment: str) -> tuple[str, list[str]]:
    """The fragment with an empty anchor for each link target it does not hold itself.

    WeasyPrint warns about (and drops) a link to an anchor outside its document; with the
    placeholder the link is written, and the assembly points its name at the real place.
    """
    own = set(_ID.findall(fragment))
    missing = list(dict.fromkeys(target for target in _HREF.findall(fragment) if target not in own))
    if not missing:
        return fragment, []
    spans = "".join(f'<span id="{escape(name)}"></span>' for name in missing)
    at = fragment.index(">", fragment.index("<section")) + 1
    return f'{fragment[:at]}<div style="position: absolute">{spans}</div>{fragment[at:]}', missing


def numbered_contents(fragment: str, starts: dict[str, int], placeholder: str | None = None) -> str:
    """The contents fragment with each entry's start page as `data-page` on its link."""

    def number(match: re.Match[str]) -> str:
        page = placeholder or str(starts.get(match[1], 0))
        return f'<a data-page="{page}" href="#{match[1]}"'

    return _CONTENTS_LINK.sub(number, fragment)


def without_margin_boxes(css: str) -> str:
    """The stylesheet without its margin boxes (@top-left… inside @page), for body pieces.

    BODY_CSS switches them off anyway, but WeasyPrint still cascades their rules for every
    margin box of every page: about a tenth of laying out an article. Nothing else changes;
    a stylesheet with no margin box rule comes back as it is.
    """
    rules = tinycss2.parse_stylesheet(css)
    changed = False
    parts = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
            content = tinycss2.parse_blocks_contents(rule.content)
            kept = [item for item in content if not (item.type == "at-rule" and item.lower_at_keyword in _MARGIN_NAMES)]
            if len(kept) != len(content):
                changed = True
                parts.append(f"@page{tinycss2.serialize(rule.prelude)}{{{tinycss2.serialize(kept)}}}")
                continue
        parts.append(tinycss2.serialize([rule]))
    return "".join(parts) if changed else css


def skeleton(piece: Piece, pages: int) -> str:
    """The piece's opening and heading, then empty pages to its length: what the furniture needs."""
    if piece.whole_skeleton:
        return piece.fragment
    match = _FIRST_HEADING.match(piece.fragment)
    head = match[1] if match else piece.fragment[: piece.fragment.index(">") + 1]
    return head + '<div class="furniture-break"></div>' * (pages - 1) + "</section>"


# ---- Page plan -----------------------------------------------------------------------------


@dataclass
class Placed:
    piece: Piece
    start: int  # 1-based page number of its first page
    blank_before: bool


def place(pieces: list[Piece], counts: list[int]) -> tuple[list[Placed], int]:
    """Start pages, with a blank page before a piece that must open on a right-hand (odd) page."""
    placed, page = [], 1
    for piece, count in zip(pieces, counts, strict=True):
        blank = piece.wants_right and page % 2 == 0
        page += blank
        placed.append(Placed(piece, page, blank))
        page += count
    return placed, page - 1


def starts_chunk(run_first: int, item: Placed, pages: int = CHUNK_PAGES) -> bool:
    """Whether a new chunk of furniture opens with this piece: the current one is long enough,
    and no blank page comes first (WeasyPrint adds no blank before a document's first page)."""
    return not item.blank_before and item.start - run_first >= pages


def opening_index(placed: list[Placed], body_start: str | None) -> int | None:
    """The 0-based page index where the body (and its arabic page numbers) begins."""
    return next((item.start - 1 for item in placed if item.piece.name == body_start), None)


def printed_starts(placed: list[Placed], body_start: str | None) -> dict[str, int]:
    """Each piece's first page as its folio prints it: from 1 at the body's first piece."""
    opening = opening_index(placed, body_start)
    shift = opening if opening is not None else 0
    return {item.piece.name: item.start - shift for item in placed}


def chunks(placed: list[Placed], pages: int = CHUNK_PAGES) -> list[list[int]]:
    """Piece indices in runs of about `pages` pages (see starts_chunk)."""
    runs: list[list[int]] = [[]]
    first_page = 1
    for index, item in enumerate(placed):
        if runs[-1] and starts_chunk(first_page, item, pages):
            runs.append([])
            first_page = item.start
        runs[-1].append(index)
    return runs


# ---- Laying out: from the cache or on the workers ------------------------------------------


def _warm() -> None:
    import weasyprint  # noqa: F401


class Workers:
    """Worker processes; one core: none, jobs are laid out here.

    `early`: started before the book is prepared (pdf.py), each importing WeasyPrint (a second)
    while this process renders the pages and looks for them in the cache, instead of after: for
    a cold build, or a rebuild that read an article afresh (its piece will be laid out). Otherwise
    they are started by the first job the cache lacks, and a rebuild with nothing to lay out
    starts none."""

    def __init__(self, early: bool, size: int | None = None, expected: int | None = None) -> None:
        self.size = worker_count() if size is None else size
        self.inline = self.size <= 1
        # A rebuild expecting one or two pieces to lay out starts that many workers: a second
        # one importing WeasyPrint would only take the core this process prepares the book on.
        self.size = min(self.size, max(expected, 1)) if expected is not None else self.size
        self.executor: Executor | None = None
        if early and not self.inline:
            self._executor()

    def _executor(self) -> Executor:
        if self.executor is None:
            # fork: a worker starts with this process's modules; each job is independent. With fork
            # the pool starts all its workers at the first submission: a no-op one, to start them now.
            self.executor = ProcessPoolExecutor(max_workers=self.size, initializer=_warm,
                                                mp_context=multiprocessing.get_context("fork"))
            self.executor.submit(int)
        return self.executor

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, job: Job) -> Future[Rendered]:
        return self._executor().submit(render_job, job)


def job_key(job: Job, salt: str) -> str:
    """The whole job a worker is given, with the layout engine's version (`salt`) and the state of the
    local files the job's HTML names (images), which the worker reads. job.build stands for the
    state of the files the stylesheets name (Setup), checked once per build rather than for every
    job; the extra stylesheets of a job name no file."""
    return key(PDF_PIECE, job, salt, _local_files_state(job.html))


class Pending:
    """A job's result: found in the cache, or coming from a worker (stored when it arrives)."""

    def __init__(self, found: Rendered | None, store: Callable[[Rendered], None] | None = None) -> None:
        self.found, self.store = found, store
        self.future: Future[Rendered] | None = None  # set when a worker is given the job

    def ready(self) -> bool:
        return self.found is not None or (self.future is not None and self.future.done())

    def take(self) -> Rendered:
        if self.found is None:
            assert self.future is not None
            self.found = self.future.result()
            if self.store is not None:
                self.store(self.found)
        return self.found


# Priorities: the contents first (the longest piece; with the real numbers, the last thing the
# book waits for), then bodies in reading order, then furniture, which has to wait for bodies
# and is nobody's input, so it fills the cores wherever they would idle.
CONTENTS, BODY, FURNITURE = 0, 1, 2


class Layouts:
    """Jobs laid out by the workers, handed out by priority with no more queued than the workers
    can start at once."""

    def __init__(self, cache: WorkCache | None, salt: str, workers: Workers) -> None:
        self.cache, self.salt, self.workers = cache, salt, workers
        self.waiting: list[tuple[int, int, Job, Pending]] = []  # a heap: priority, order, job
        self.running: set[Future[Rendered]] = set()
        self.submitted = 0

    def submit(self, job: Job, priority: int) -> Pending:
        laid_key = job_key(job, self.salt)
        found = self.cache.get(PDF_PIECE, laid_key) if self.cache is not None else None
        if isinstance(found, Rendered):
            return Pending(found)
        cache = self.cache

        def store(result: Rendered) -> None:
            if cache is not None:
                cache.put(PDF_PIECE, laid_key, result)

        pending = Pending(None, store)
        if self.workers.inline:  # one core: laid out here and now
            pending.found = render_job(job)
            store(pending.found)
            return pending
        self.submitted += 1
        heapq.heappush(self.waiting, (priority, self.submitted, job, pending))
        self._start()
        return pending

    def _start(self) -> None:
        # One more than the workers, so that none waits for this process between two jobs.
        while self.waiting and len(self.running) <= self.workers.size:
            _, _, job, pending = heapq.heappop(self.waiting)
            pending.future = self.workers.submit(job)
            self.running.add(pending.future)

    def result(self, pending: Pending) -> Rendered:
        """The job's result, handing out waiting jobs as workers finish theirs."""
        while not pending.ready():
            done, _ = wait(self.running, return_when=FIRST_COMPLETED)
            self.running -= done
            self._start()
        return pending.take()


def _local_files_state(text: str) -> str:
    """Size and time of every local file an HTML or CSS text names, so a replaced image or font
    is loaded again."""
    if "file:" not in text:  # most pieces name no local file: a substring test, not a regex scan
        return ""
    states = []
    for url in sorted({html or css for html, css in _FILE_URL.findall(text)}):
        try:
            stat = Path(unquote(urlparse(url).path)).stat()
            states.append(f"{url} {stat.st_size} {stat.st_mtime_ns}")
        except OSError:
            states.append(f"{url} missing")
    return "\n".join(states)



# ---- The build -----------------------------------------------------------------------------


def book_pieces(renderer: Renderer, book: BookView, right_hand_start: bool) -> list[Piece]:
    """The pieces in reading order, as book_html in pdf.py joins them. An article's piece is kept
    from the last build when nothing it shows changed (render.Pieces)."""
    kept = renderer.pieces("article.xhtml")

    def page(name: str, **extra: object) -> str:
        return renderer.render(f"{name}.xhtml", book=book, layout="fragment.xhtml", stylesheet=None, **extra)

    def article(entry: ArticleView) -> str:
        if kept is None:
            return page("article", entry=entry)
        return kept.piece((*article_page_inputs(book, entry), "fragment"), lambda: page("article", entry=entry))

    pieces = [Piece("titlepage", page("titlepage"), False, whole_skeleton=True),
              Piece("copyright", page("copyright"), False),
              Piece("contents", page("contents"), True)]
    for section in book.sections:
        if section.title:
            pieces.append(Piece(section.id, page("part", section=section), right_hand_start, whole_skeleton=True))
        pieces.extend(Piece(entry.id, article(entry), right_hand_start) for entry in section.articles)
    pieces += [Piece("sources", page("sources"), False), Piece("colophon", page("colophon"), False)]
    if kept is not None:
        kept.keep()
    return pieces


@dataclass
class Setup:
    """What every job of one build shares."""

    document: Callable[[str], str]  # fragment → the whole HTML document (templates/pdf/book.xhtml)
    stylesheets: list[str]  # print.css, page.css
    base_url: str
    roots: list[Path]
    metadata: dict[str, object]
    title: str
    body_start: str | None = None  # the piece printed as page 1 (BookView.body_start)
    build: str = field(init=False, default="")  # Job.build
    body_sheets: list[str] = field(init=False, default_factory=list)  # the stylesheets without margin boxes

    def __post_init__(self) -> None:
        self.build = fingerprint(self.stylesheets, self.roots, _local_files_state("\n".join(self.stylesheets)))
        self.body_sheets = [without_margin_boxes(text) for text in self.stylesheets]

    def job(self, fragment: str, *extra_css: str, placeholders: bool = True, furniture: bool = False) -> Job:
        missing: list[str] = []
        if placeholders:
            fragment, missing = with_placeholders(fragment)
        sheets = self.stylesheets if furniture else self.body_sheets
        return Job(self.document(fragment), [*sheets, *extra_css], self.base_url, self.roots,
                   self.metadata, missing, furniture, self.build)

    def body(self, fragment: str) -> Job:
        return self.job(fragment, BODY_CSS)

    def contents(self, fragment: str, starts: dict[str, int] | None) -> Job:
        """The contents with these start pages, or with "000" for every number: then only its length
        is wanted, and it is not written (painting the dot leaders is a third of the work)."""
        numbered = numbered_contents(fragment, starts or {}, placeholder=None if starts else "000")
        job = self.job(numbered, BODY_CSS, CONTENTS_CSS)
        job.count_only = not starts
        return job

    def folio(self, placed: list[Placed], page: int) -> int:
        """The counter value that makes `page` (1-based in the file) print its number, when it
        opens a chunk: front matter counts from the title page (in roman numerals, print.css),
        the body from 1 at its first piece, whose own page resets the counter (so 0 there)."""
        opening = next((item.start for item in placed if item.piece.name == self.body_start), None)
        if opening is None or page < opening:
            return page
        return page - opening + (0 if page == opening else 1)

    def furniture(self, placed: list[Placed], counts: list[int], run: list[int]) -> Job:
        """The furniture of a run of pieces: their skeletons, numbered from the run's first page."""
        first = placed[run[0]].start
        side = "right" if first % 2 else "left"
        quoted = " ".join(self.title.split()).replace("\\", "\\\\").replace('"', '\\"')
        chunk_css = (f"{FURNITURE_CSS}@page :first {{ counter-increment: page {self.folio(placed, first)}; }}\n"
                     f'html {{ break-before: {side}; string-set: book-title "{quoted}"; }}\n')
        fragment = "".join(skeleton(placed[i].piece, counts[i]) for i in run)
        return self.job(fragment, chunk_css, placeholders=False, furniture=True)


@dataclass
class Laid:
    """The book laid out: bodies, where they go, and the furniture in runs of pieces."""

    bodies: list[Rendered]
    placed: list[Placed]
    total: int
    runs: list[list[int]]
    furniture: list[Rendered]


_FRAGMENT = "\x00fragment\x00"  # where a piece goes in the document around it (no template writes this)


def wrapper(document: str) -> Callable[[str], str]:
    """The document around every piece, rendered once: a piece is put where `_FRAGMENT` is."""
    head, tail = document.split(_FRAGMENT)
    return lambda fragment: f"{head}{fragment}{tail}"


def write_in_pieces(collection: Collection, book: BookView, page_css: str, stream: IO[bytes],
                    context: BuildContext, workers: Workers) -> None:
    options = collection.manifest.data.pdf
    root = collection.manifest.root.resolve()
    renderer = context.renderer
    metadata = metadata_fields(book, context)
    # The build's time reaches only the linked file's /Info (and the colophon, which prints the
    # date): in a piece's metadata it would change every piece's cache key every second.
    stamps = {key: metadata.pop(key) for key in ("created", "modified") if key in metadata}
    setup = Setup(
        document=wrapper(renderer.render("book.xhtml", book=book, pages=[_FRAGMENT], stylesheet=None)),
        stylesheets=[renderer.read_static("print.css"), page_css],
        base_url=root.as_uri() + "/", roots=[root, templates_dir()],
        metadata=metadata, title=book.title, body_start=book.body_start)
    pieces = book_pieces(renderer, book, options.right_hand_start)
    cache = collection.cache if collection.cache else None
    # Each piece's page count in the last build of this collection with these stylesheets: a
    # guess that lets a rebuild lay out the contents once (see lay_out), never a result.
    plan = key(PDF_PLAN, setup.stylesheets)
    hint = cache.get(PDF_PLAN, plan) if cache is not None else None
    # WeasyPrint's version from its package record: a rebuild that finds every piece in the cache
    # never imports WeasyPrint (a second of a rebuild).
    layouts = Layouts(cache, version("weasyprint"), workers)
    laid = lay_out(setup, pieces, layouts, hint if isinstance(hint, dict) else None)
    if cache is not None:
        cache.put(PDF_PLAN, plan, {piece.name: body.pages for piece, body in zip(pieces, laid.bodies, strict=True)})
    seen: set[str] = set()
    for rendered in [*laid.bodies, *laid.furniture]:
        for warning in rendered.warnings:
            if warning not in seen:  # every piece reports the stylesheets' problems; once is enough
                seen.add(warning)
                context.warn(warning)
    outer, inner = options.page_margins.outer.points, options.page_margins.inner.points
    opening = opening_index(laid.placed, book.body_start)
    info = dated_info(stamps)
    # The book as the last build put it together, when it was made of the same pieces in the same
    # places: a rebuild with nothing changed writes that file again (made the same way, only its
    # /Info dates would differ). Dates asked for with SOURCE_DATE_EPOCH count. The file goes
    # through the cache folder as it is, never whole in memory (a book of 600 articles).
    assembled = assembly_key(laid, outer - inner, opening, info if context.reproducible else None)
    # One book per collection, in two fixed places (the file, and what it was made from), replaced
    # by each build that puts one together: books are big, and only the last one is asked for.
    last = cache.get(PDF_BOOK, "last-key") if cache is not None else None
    kept = cache.file(PDF_BOOK, "last") if cache is not None and last == assembled else None
    if kept is not None:
        with kept.open("rb") as source:
            shutil.copyfileobj(source, stream)
    else:
        write_book(laid, outer - inner, stream, info, opening)
        if cache is not None and hasattr(stream, "name") and Path(stream.name).is_file():
            stream.flush()
            cache.put_file(PDF_BOOK, "last", Path(stream.name))
            cache.put(PDF_BOOK, "last-key", assembled)
    context.pages = laid.total


def assembly_key(laid: Laid, left_shift: float, opening: int | None, info: dict[str, str] | None) -> str:
    """What write_book puts the book together from: the laid-out book whole (every piece's PDF and
    what it tells, where each goes), and the /Info dates when they are fixed (`info` is None when
    they are the build's time: a kept book is dated when its content was made)."""
    return key(PDF_BOOK, laid, left_shift, opening, info)


def lay_out(setup: Setup, pieces: list[Piece], layouts: Layouts, hint: dict[str, int] | None = None) -> Laid:
    """Bodies, furniture chunk by chunk as their pieces are counted, and the contents with the
    real numbers; again from the placement if the contents came out another length.

    Without a hint the contents is laid out first with "000" for every number, to learn its
    length. `hint` is each piece's page count in the last build: with it the contents' length
    is taken from there, and the contents is laid out once, when the other pieces are counted,
    with the real numbers (in a rebuild, from the cache unless a title or a page count changed).
    """
    at = next(i for i, piece in enumerate(pieces) if piece.name == "contents")
    contents = pieces[at].fragment
    hinted = hint is not None and all(piece.name in hint for piece in pieces)
    pending: list[Pending | None] = []
    for index, piece in enumerate(pieces):
        if index != at:
            pending.append(layouts.submit(setup.body(piece.fragment), BODY))
        else:
            pending.append(None if hinted else layouts.submit(setup.contents(contents, None), CONTENTS))
    counts: list[int] = []
    bodies: list[Rendered | None] = []
    runs: list[list[int]] = []
    layers: list[Pending] = []
    run: list[int] = []
    run_first = page = 1
    for index, piece in enumerate(pieces):
        waiting = pending[index]
        body = layouts.result(waiting) if waiting is not None else None
        count = body.pages if body is not None else (hint or {})[piece.name]
        blank = piece.wants_right and page % 2 == 0
        item = Placed(piece, page + blank, blank)
        if run and starts_chunk(run_first, item):
            placed_so_far, _ = place(pieces[:index], counts)
            runs.append(run)
            layers.append(layouts.submit(setup.furniture(placed_so_far, counts, run), FURNITURE))
            run, run_first = [], item.start
        run.append(index)
        bodies.append(body)
        counts.append(count)
        page = item.start + count
    placed, total = place(pieces, counts)
    runs.append(run)
    layers.append(layouts.submit(setup.furniture(placed, counts, run), FURNITURE))
    used: dict[str, int] | None = None  # the start pages the contents was laid out with (None: "000")
    for _ in range(4):
        starts = printed_starts(placed, setup.body_start)
        if starts != used or bodies[at] is None:
            bodies[at] = layouts.result(layouts.submit(setup.contents(contents, starts), CONTENTS))
            used = starts
        laid_out = bodies[at]
        assert laid_out is not None
        if laid_out.pages == counts[at]:
            done = [body for body in bodies if body is not None]
            return Laid(done, placed, total, runs, [layouts.result(layer) for layer in layers])
        counts[at] = laid_out.pages
        placed, total = place(pieces, counts)
        runs = chunks(placed)
        layers = [layouts.submit(setup.furniture(placed, counts, run), FURNITURE) for run in runs]
    raise BuildError("pdf: the contents pages would not settle to one length; build with a single render")


def pdf_date(stamp: str) -> str:
    """A W3C date and time in UTC ("2026-01-31T12:00:00+00:00") as a PDF date, as WeasyPrint writes it."""
    digits = re.sub(r"\D", "", stamp[:19])
    return f"D:{digits}+00'00"


def dated_info(stamps: dict[str, object]) -> dict[str, str]:
    """The creation and modification dates of the book's /Info, written here rather than by a
    piece: a piece that carried them would be laid out again at every build."""
    names = {"created": "CreationDate", "modified": "ModDate"}
    return {names[key]: pdf_date(str(value)) for key, value in stamps.items() if value}


def write_book(laid: Laid, left_shift: float, stream: IO[bytes], info: dict[str, str] | None = None,
               opening: int | None = None) -> None:
    """Put bodies, furniture, outline and destinations together into the output file; `info` is
    added to the /Info dictionary, `opening` is the page index where arabic page numbers start."""
    for run, layer in zip(laid.runs, laid.furniture, strict=True):
        last = laid.placed[run[-1]]
        expected = last.start + laid.bodies[run[-1]].pages - laid.placed[run[0]].start
        if layer.pages != expected:
            raise BuildError(f"pdf: the page furniture came out {layer.pages} pages long, not {expected}; "
                             "a print.css of the collection may break pages differently: build with a single render")

    def shift(start: int) -> Callable[[int], float]:
        # A piece is laid out as if it opened on a right-hand page, its pages alternating right and
        # left from there. Opening on a right-hand (odd) page of the book, every page is on the side
        # it was laid out for; opening on a left-hand page, every page is on the other side: a page
        # laid out as a right-hand one moves to the left page's margins, and the other way round.
        if start % 2:
            return lambda page: 0.0
        return lambda page: left_shift if page % 2 == 0 else -left_shift

    bodies = [Linked(body.pdf, item.start - 1, item.blank_before, shift(item.start))
              for body, item in zip(laid.bodies, laid.placed, strict=True)]
    layers = [(layer.pdf, laid.placed[run[0]].start - 1) for run, layer in zip(laid.runs, laid.furniture, strict=True)]
    destinations: dict[str, tuple[int, float, float]] = {}
    marks: list[tuple[int, str, int, float, float]] = []
    for body, linked in zip(laid.bodies, bodies, strict=True):
        placeholders = set(body.placeholders)
        for name, (page, left, top) in body.anchors.items():
            if name not in placeholders and name not in destinations:  # the first holder wins, as in one document
                destinations[name] = (linked.first + page, left + linked.shift(page), top)
        for level, label, page, left, top in body.bookmarks:
            marks.append((level, label, linked.first + page, left + linked.shift(page), top))
    assemble(stream, bodies, layers, laid.total, marks, destinations, info or {}, opening)
