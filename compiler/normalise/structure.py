"""Where the article stands on a saved page, read from the page's own structure.

A saved page is the article inside the site: navigation above the headline, a byline cluster
under it, boxes between paragraphs, and after the last paragraph share rows, author boxes,
comments, related lists and the footer. This stage finds the headline (the heading the page's
own title names, or the last heading before the prose), the first paragraph of prose, and the
heading or line that opens the furniture after the article (comments, "Related", "Share this"),
and marks each block outside the article, or a box inside it, with the kind it is.

Only marks are made here; the normaliser removes the marked blocks the rules did not take, so
a rule that reads a fact from a block (a copyright line, a credit) still gets it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import ArticleMeta, Block, BlockKind
from . import furniture as f
from .byline import parse_byline
from .dates import is_dateline
from .furniture import Kind

SUBTITLE_WORDS = 6  # a heading under the headline this long is its subtitle, a shorter one a section's
PROSE_WORDS = 20  # a paragraph this long, not a plea, is the article's prose
TAIL_SHARE = 0.35  # furniture may hold this share of the prose words the article has before it (comments)
_MAX_BOX_BLOCKS = 10

# Headings and lines that open the page's furniture after an article.
_TERMINAL = re.compile(
    r"^\W*(?:"
    r"(?:\d+\s+)?(?:comments?|responses?|replies|thoughts?)(?:\s*\(\d+\))?|"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:comments?|responses?|replies|thoughts?)\s+on\b.*|"
    r"discussion about this post|leave a (?:reply|comment)(?: cancel reply)?|post a comment|add a comment|"
    r"join the (?:discussion|conversation)|what are your thoughts\??|comments are closed|show comments|"
    r"share this(?: (?:article|story|post))?:?|like this:?|post navigation|"
    r"related(?: (?:posts?|stories|articles?|content|reading|coverage|topics))?:?|"
    r"recommended(?: for you| from .{1,40}| reading| stories)?|more (?:from|by|on|in) .{1,60}|"
    r"more stories|you (?:may|might) also (?:like|enjoy)|read (?:this )?next|most (?:popular|read|viewed)|"
    r"trending(?: now)?|written by .{1,60}|about the authors?|contributors?|filed under:?|tags?:?|"
    r"we recommend|ready for more\??|popular (?:posts|stories)|recent (?:posts|items|articles)|"
    r"latest (?:news|stories|posts)|editor['’]s picks|don['’]t miss|see also|explore (?:more|further)|"
    r"comentarios(?:\s*\(\d+\))?|art[ií]culos relacionados|noticias relacionadas|te puede interesar|"
    r"(?:lo )?m[áa]s (?:le[ií]d[ao]s?|visto|noticias)|etiquetas|temas|schlagw[öo]rter|themen|mots[- ]cl[ée]s|"
    r"kommentare(?:\s*\(\d+\))?|"
    r"commentaires|[àa] lire aussi|sur le m[êe]me sujet|kommentare|mehr zum thema|das k[öo]nnte sie auch interessieren|"
    r"weitere artikel|verwandte artikel"
    r")\W*$",
    re.IGNORECASE,
)
# Of those, the ones that only ever open what follows an article: comments, share rows, author boxes.
_TERMINAL_SURE = re.compile(
    r"^\W*(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:comments?|responses?|replies|thoughts?)"
    r"(?:\s+on\b.*)?|comments?(?:\s*\(\d+\))?|responses?\s*\(\d+\)|discussion about this post|"
    r"leave a (?:reply|comment)(?: cancel reply)?|post a comment|add a comment|join the (?:discussion|conversation)|"
    r"what are your thoughts\??|comments are closed|share this:|like this:|post navigation|written by .{1,60}|"
    r"about the authors?|more from .{1,60}|recommended from .{1,40}|comentarios(?:\s*\(\d+\))?|"
    r"kommentare(?:\s*\(\d+\))?|commentaires)\W*$",
    re.IGNORECASE,
)
SURE_END_WORDS = 80  # this much prose before a sure opener is an article, whatever follows it

# Headings that open a box inside an article (and in its head or tail).
_BOX_HEADING = re.compile(
    r"^\W*(?:read more|related|more on (?:this|that)|keep reading|don['’]t miss|recommended|see also|"
    r"also read|listen to (?:this|the) (?:article|story)|lea tambi[ée]n|lee tambi[ée]n|lire aussi|mehr zum thema|"
    r"fact:?|let['’]s be straight with you:?|m[áa]s informaci[óo]n|te puede interesar|lesen sie auch|"
    r"auch interessant|weiterlesen|[àa] lire aussi|explore (?:further|more)|related (?:stories|articles|posts))\b",
    re.IGNORECASE,
)
BY_LINE = re.compile(r"^\W*(?:(?:written|words|story|reporting|analysis|posted|text|interview|photos and words) by|by|"
                 r"words\s*:|por|par|von|texto de|texte de)\b\s*:?\s*(?:$|\S)", re.IGNORECASE)
_DATED_BY = re.compile(r"\d{4}\b.{0,20}\bby\s+\S", re.IGNORECASE)  # "Posted on March 3, 2024 by …"
_CONNECTOR = re.compile(r"^\W*(?:and|&|und|y|et|e|,)\W*$", re.IGNORECASE)
_PUBLISHED_IN = re.compile(r"^\W*(?:published in|in|from|via)\W*$", re.IGNORECASE)
UPDATED = re.compile(r"\b(?:updated|modified|actualizad[oa]|aktualisiert|mis [àa] jour)\b", re.IGNORECASE)
_SUBSCRIPTION = re.compile(r"^\W*(?:discover more from|subscribe to|sign up|get (?:the|our)|support)\b", re.I)
_LEGAL = re.compile(
    r"^\W*(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))|\ball rights reserved\b|\blicen[cs]ed under\b", re.I
)
_SENTENCE_END = re.compile(r"[.!?…\"”’»)]\W*$")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·|•)\s+")


@dataclass
class PageStructure:
    """What the page shows of itself: its headline, where the prose runs, and the marked furniture."""

    title_index: int | None = None
    body_start: int | None = None
    body_end: int | None = None  # index of the first block after the article (the furniture's opener)
    tab_title: str | None = None
    marks: dict[int, Kind] = field(default_factory=dict)  # position in the block list -> its kind
    byline: str | None = None
    byline_positions: list[int] = field(default_factory=list)
    subtitle: str | None = None


    def prose_bounds(self, blocks: list[Block]) -> tuple[Block, Block] | None:
        """The first block of the article's prose and the last before the furniture after it."""
        if self.body_start is None or self.body_end is None or self.body_end <= self.body_start:
            return None
        return blocks[self.body_start], blocks[self.body_end - 1]


def key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def is_prose(block: Block) -> bool:
    return (block.kind in (BlockKind.PARAGRAPH, BlockKind.BLOCKQUOTE, BlockKind.LIST)
            and block.words >= PROSE_WORDS and f.link_share(block) < 0.5
            and not f.is_call_to_action(block) and not f.is_form(block) and not f.is_link_list(block)
            and f.credited_outlet(block) is None)


def read_structure(blocks: list[Block], meta: ArticleMeta, settled: bool = False) -> PageStructure:
    """The page's structure; `settled` when a pass has already taken the page's head away, so that
    only a heading that is the title already chosen counts as the headline."""
    page = PageStructure()
    start = 0 if settled else _saver_header(blocks, page)
    prose = [i for i in range(start, len(blocks)) if is_prose(blocks[i])]
    if not prose:
        return page
    page.title_index = _headline(blocks, start, prose[0], page.tab_title or meta.title, settled)
    first = page.title_index + 1 if page.title_index is not None else start
    page.body_start = _body_start(blocks, prose, first)
    page.body_start = _after_republisher_note(blocks, page, prose)
    headline = blocks[page.title_index].text if page.title_index is not None else meta.title
    page.body_start = _after_repeated_headline(blocks, page, prose, first, headline)
    page.body_end = _article_end(blocks, page.body_start, prose)
    _mark_head(blocks, page, start)
    _mark_body(blocks, page)
    _mark_tail(blocks, page, prose)
    _mark_repeats(blocks, page)
    return page


def _after_repeated_headline(
    blocks: list[Block], page: PageStructure, prose: list[int], first: int, headline: str | None
) -> int:
    """The headline printed again as the article's first lines is no part of the article."""
    assert page.body_start is not None
    wanted = key(headline or "")
    start = page.body_start
    if not wanted:
        return start
    after = next((k for k in prose if k > start), None)
    for i in range(first, min(start + 1, len(blocks))):
        if key(blocks[i].text) != wanted:
            continue
        if i < start:
            page.marks[i] = f.TITLE
        elif after is not None:  # unless the headline's words are all the page has: then they are its text
            page.marks[i] = f.TITLE
            return after
    return start


def _body_start(blocks: list[Block], prose: list[int], first: int) -> int:
    """The first paragraph of prose after the byline and dateline under the headline.

    A standfirst or a caption can be as long as a paragraph; a byline or dateline after them
    shows that the article starts below it.
    """
    start = next((i for i in prose if i >= first), prose[0])
    seen_prose = 0
    last_credit = None
    for i in range(first, min(len(blocks), first + 16)):
        block = blocks[i]
        if i in prose:
            seen_prose += 1
            if seen_prose > 2:
                break
        elif block.words <= 14 and (BY_LINE.match(block.text) or is_dateline(block.text)):
            last_credit = i
    if last_credit is None or last_credit < start:
        return start
    return next((i for i in prose if i > last_credit), start)


def _after_republisher_note(blocks: list[Block], page: PageStructure, prose: list[int]) -> int:
    """Where the article starts when a republishing site's note comes before the author's byline.

    A site that reposts an article often writes a paragraph of its own, then the article's
    byline and credit ("By Jane Roe … Originally published at X"), then the article.
    """
    assert page.body_start is not None
    start = page.body_start
    following = [i for i in prose if i > start][:3]
    for i in range(start + 1, following[-1] if following else start):
        if f.credited_outlet(blocks[i]) is not None and BY_LINE.match(blocks[i].text):
            for j in range(start, i):
                page.marks[j] = f.REPUBLISHER_NOTE
            return next((k for k in prose if k > i), start)
    return start


def _saver_header(blocks: list[Block], page: PageStructure) -> int:
    """A page-saving extension's header (`# tab title`, `> ## Excerpt …`, `---`): the page's title, not text."""
    if len(blocks) < 2 or blocks[0].kind is not BlockKind.HEADING:
        return 0
    if blocks[1].kind is not BlockKind.BLOCKQUOTE or not re.match(r"^\W*excerpt\b", blocks[1].text, re.I):
        return 0
    page.tab_title = blocks[0].text
    end = 3 if len(blocks) > 2 and blocks[2].kind is BlockKind.SEPARATOR else 2
    for i in range(1, end):  # the tab title itself goes as the title rule's, which reads it
        page.marks[i] = f.SAVER_HEADER
    return end


def _headline(blocks: list[Block], start: int, first_prose: int, named: str | None, settled: bool) -> int | None:
    """The headline: a heading the page's title names; else the heading over the byline or dateline
    (the first of two, when a subtitle heading stands under it); else the first heading.

    A site's name as a heading is a link to its home, and a sign-up box's heading asks the
    reader something: neither is a headline.
    """
    headings = [i for i in range(start, first_prose) if blocks[i].kind is BlockKind.HEADING
                and not f.is_call_to_action(blocks[i]) and not _is_subscription_heading(blocks[i])
                and not f.is_link_line(blocks[i])]
    if named:
        wanted = key(named)
        parts = [key(part) for part in _TITLE_SEPARATORS.split(named)]
        for i in reversed(headings):
            found = key(blocks[i].text)
            if found and (found == wanted or found in parts or (wanted.startswith(found) and len(found) >= 12)):
                return i
    if not headings or settled:
        return None
    credited = [i for i in headings if _credit_follows(blocks, i + 1, first_prose)]
    if not credited:
        return headings[0]
    last = credited[-1]
    while last - 1 in headings:  # a headline with its subtitle heading under it
        last -= 1
    return last


def _is_subscription_heading(block: Block) -> bool:
    return bool(_SUBSCRIPTION.match(block.text))


def _article_end(blocks: list[Block], body_start: int, prose: list[int]) -> int:
    """The first heading or line that opens the furniture after the article, or the end of the page.

    A box of related links inside the article opens with the same words; it is told apart by the
    prose that follows it. After the real end, what prose remains (comments) is little beside
    the article's.
    """
    words_before = 0
    total = sum(blocks[i].words for i in prose if i >= body_start)
    for i in range(body_start, len(blocks)):
        block = blocks[i]
        if is_prose(block):
            words_before += block.words
            continue
        if block.words > 12 or not _TERMINAL.match(block.text) or f.link_share(block) >= 0.9:
            continue
        if total - words_before <= TAIL_SHARE * words_before:
            return i
        if words_before >= SURE_END_WORDS and _TERMINAL_SURE.match(block.text):
            return i  # comments can be longer than the article they follow
    return len(blocks)


def _mark_head(blocks: list[Block], page: PageStructure, start: int) -> None:
    assert page.body_start is not None
    title = page.title_index
    if title is not None:
        for i in range(start, title):
            page.marks.setdefault(i, f.BEFORE_TITLE)
    first = title + 1 if title is not None else start
    while first < page.body_start and page.marks.get(first) is f.TITLE:
        first += 1  # the headline printed twice
    if (title is not None and first < page.body_start and blocks[first].kind is BlockKind.HEADING
            and blocks[first].words >= SUBTITLE_WORDS and _credit_follows(blocks, first + 1, page.body_start)):
        page.subtitle = blocks[first].text
        page.marks[first] = f.SUBTITLE
        first += 1
    first = _standfirst(blocks, page, first)
    _read_byline(blocks, page, first, page.body_start)
    for i in range(first, page.body_start):
        kind = _head_kind(blocks, i)
        if kind is None and UPDATED.search(blocks[i].text) and is_dateline(blocks[i].text):
            kind = f.HEAD_FURNITURE  # "Updated …": the date of this copy is the one it was published
        if kind is not None:
            page.marks.setdefault(i, kind)


def _head_kind(blocks: list[Block], i: int) -> Kind | None:
    block = blocks[i]
    if block.kind in (BlockKind.FIGURE, BlockKind.SEPARATOR):
        return None
    if i > 0 and blocks[i - 1].kind is BlockKind.FIGURE:
        return None  # a caption
    kind = f.furniture_kind(block, edge=True)
    if kind is not None:
        return kind
    if f.is_link_line(block, max_words=6) or _PUBLISHED_IN.match(block.text):
        return f.HEAD_FURNITURE
    if block.words <= 3 and not _SENTENCE_END.search(block.text) and not _looks_like_date(block.text):
        return f.HEAD_FURNITURE  # a label ("Member-only story", "Health", "·")
    return None


def _standfirst(blocks: list[Block], page: PageStructure, first: int) -> int:
    """Prose under the headline and above the byline: a republisher's note, or the standfirst (the subtitle)."""
    assert page.body_start is not None
    for kind in (f.REPUBLISHER_NOTE, f.SUBTITLE):
        if (page.subtitle is not None or first >= page.body_start or not is_prose(blocks[first])
                or first in page.marks or not _credit_follows(blocks, first + 1, page.body_start)):
            return first
        credit = any(BY_LINE.match(b.text) and f.credited_outlet(b) for b in blocks[first + 1 : page.body_start])
        if kind is f.REPUBLISHER_NOTE and not credit:
            continue  # no "By Jane Roe … Originally published at X" under it: a standfirst
        if kind is f.SUBTITLE:
            page.subtitle = blocks[first].text
        page.marks[first] = kind
        first += 1
    return first


def _credit_follows(blocks: list[Block], start: int, end: int) -> bool:
    """Is there a byline or dateline between here and the prose? (A subtitle stands above them.)"""
    return any(BY_LINE.match(b.text) or is_dateline(b.text) or _name_line(b) for b in blocks[start:end])


def _looks_like_date(text: str) -> bool:
    return bool(re.search(r"\d{4}|\b\d{1,2}[./]\d{1,2}\b", text))


def _read_byline(blocks: list[Block], page: PageStructure, first: int, end: int) -> None:
    """The byline: a "By …" line (or "By" and the names on lines of their own), else "Posted on DATE by …"
    (a site's account may have posted another's article), else names alone on a line."""
    by_lines = [i for i in range(first, end) if BY_LINE.match(blocks[i].text)]
    dated = [i for i in range(first, end) if blocks[i].words <= 16 and _DATED_BY.search(blocks[i].text)]
    for i in (by_lines or dated)[:1]:
        text = blocks[i].text.strip()
        parts, positions = [text], [i]
        j = i + 1
        while j < end and blocks[j].words <= 5 and (_CONNECTOR.match(blocks[j].text) or _name_line(blocks[j])):
            bare = j == i + 1 and blocks[i].words == 1  # "By" on a line of its own, the names under it
            if _CONNECTOR.match(blocks[j].text) or bare or _CONNECTOR.match(blocks[j - 1].text):
                parts.append(blocks[j].text.strip())
                positions.append(j)
                j += 1
                continue
            break
        page.byline = " ".join(parts)
        page.byline_positions = positions
        return
    for i in range(first, end):  # "Jane Roe | March 4, 2024", "Jane Roe · 4 min read · Mar 4, 2024"
        block = blocks[i]
        # the separators of a byline; "Site, March 4, 2024" is a site's dateline
        if block.words <= 14 and re.search(r"\s[|·•]\s", block.text) and is_dateline(block.text) \
                and parse_byline(block.text).names:
            page.byline, page.byline_positions = block.text, [i]
            return
    names, positions = [], []
    for i in range(first, end):
        block = blocks[i]
        previous = blocks[i - 1].text if i > first else ""
        if _PUBLISHED_IN.match(previous):
            continue
        if _name_line(block) and key(block.text) not in {key(n) for n in names}:
            names.append(block.text.strip())
            positions.append(i)
        elif positions and _CONNECTOR.match(block.text) and i == positions[-1] + 1:
            positions.append(i)
    if names:
        page.byline = ", ".join(names)
        page.byline_positions = positions


_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w’'-]*|[A-ZÀ-Þ][a-z]{0,2}\.|(?:de|da|del|der|van|von|la|le|bin|al|ibn|di|du|dos))$"
)


def _name_line(block: Block) -> bool:
    """A line that is people's names and nothing else: two to four capitalised words each, joined by "and"."""
    if block.kind is not BlockKind.PARAGRAPH or block.words > 14:
        return False
    parts = [part for part in _NAME_JOIN.split(block.text.strip()) if part]
    return bool(parts) and all(_one_name(part.split()) for part in parts)


_NAME_JOIN = re.compile(r"\s*(?:,|\band\b|&|\bund\b|\by\b|\bet\b)\s*", re.IGNORECASE)


def _one_name(words: list[str]) -> bool:
    if not 2 <= len(words) <= 4 or not words[0][0].isupper():
        return False
    return all(_NAME_WORD.match(word) for word in words) and not any(word.lower() in f.UI_WORDS for word in words)


def _mark_body(blocks: list[Block], page: PageStructure) -> None:
    assert page.body_start is not None and page.body_end is not None
    i = page.body_start
    while i < page.body_end:
        block = blocks[i]
        if f.opens_link_card(block):
            end = _card_end(blocks, i, page.body_end)
            if end is not None:
                for j in range(i, end + 1):
                    page.marks[j] = f.LINK_CARD
                i = end + 1
                continue
        if f.closes_link_card(block):
            page.marks[i] = f.LINK_CARD
        elif _opens_box(blocks, i):
            i = _mark_box(blocks, page, i)
            continue
        elif _link_box_line(block):
            page.marks[i] = f.BOX  # "DON'T MISS: <a link>"
        elif block.kind is not BlockKind.HEADING:  # a heading over prose is the article's ("Support grows …")
            kind = f.furniture_kind(block)
            if kind is not None:
                page.marks[i] = kind
        i += 1


def _link_box_line(block: Block) -> bool:
    return block.kind is BlockKind.PARAGRAPH and bool(_BOX_HEADING.match(block.text)) and f.link_share(block) >= 0.4


def _card_end(blocks: list[Block], start: int, limit: int) -> int | None:
    for j in range(start + 1, min(limit, start + 8)):
        if f.closes_link_card(blocks[j]):
            return j
    return None


def _opens_box(blocks: list[Block], i: int) -> bool:
    """A heading (or a short line) that opens a box: "Read more", "Related", or one over a plea."""
    block = blocks[i]
    if block.words > 12 or block.kind not in (BlockKind.HEADING, BlockKind.PARAGRAPH):
        return False
    if block.kind is BlockKind.PARAGRAPH and re.search(r"[.!?]$", block.text):
        return False
    following = blocks[i + 1] if i + 1 < len(blocks) else None
    if following is None or (is_prose(following) and not f.is_call_to_action(following, edge=True)):
        return False  # the article's own heading over its prose ("Follow the money", "Related costs")
    if _BOX_HEADING.match(block.text) or f.is_call_to_action(block):
        return True
    return block.kind is BlockKind.HEADING and f.is_call_to_action(following)


def _mark_box(blocks: list[Block], page: PageStructure, start: int) -> int:
    """Mark the box's heading and what belongs to it; return the position after the box."""
    page.marks[start] = f.BOX
    end = min(len(blocks), start + 1 + _MAX_BOX_BLOCKS, page.body_end or len(blocks))
    i = start + 1
    while i < end:
        block = blocks[i]
        lowercase_rest = (i == start + 1 and block.kind is BlockKind.PARAGRAPH and block.words <= 6
                          and block.text[:1].islower())  # "Read more" / "about school meals"
        if lowercase_rest or f.is_link_line(block) or f.is_link_list(block):
            page.marks[i] = f.BOX
        elif (kind := f.furniture_kind(block, edge=True)) is not None:
            page.marks[i] = kind  # inside a box the site speaks of itself
        elif block.kind is BlockKind.FIGURE and block.words <= 3:
            page.marks[i] = f.BOX  # a payment badge or an icon in the box
        else:
            break
        i += 1
    return i


def _mark_tail(blocks: list[Block], page: PageStructure, prose: list[int]) -> None:
    """Everything after the furniture's opener, and the furniture between it and the last paragraph.

    Walking back from the opener, each block that is the site's (a plea, a share row, a tag, a
    heading over a plea) is marked, until the article's own last block.
    """
    assert page.body_end is not None and page.body_start is not None
    for i in range(page.body_end, len(blocks)):
        page.marks.setdefault(i, f.AFTER_ARTICLE)
    for i in range(page.body_end - 1, page.body_start, -1):
        if i in page.marks:
            continue
        kind = _tail_kind(blocks, i)
        if kind is None:
            break
        page.marks[i] = kind


def _tail_kind(blocks: list[Block], i: int) -> Kind | None:
    block = blocks[i]
    if block.kind is BlockKind.SEPARATOR:
        return f.TAIL_FURNITURE
    kind = f.furniture_kind(block, edge=True)
    if kind is not None:
        return kind
    following = blocks[i + 1] if i + 1 < len(blocks) else None
    if block.kind is BlockKind.HEADING and following is not None and f.is_call_to_action(following, edge=True):
        return f.BOX
    label = block.words <= 5 and block.kind is not BlockKind.FIGURE and not _SENTENCE_END.search(block.text)
    if f.is_link_line(block, max_words=8) or label:
        return f.TAIL_FURNITURE
    if f.credited_outlet(block) is not None:
        return f.CREDIT
    if _LEGAL.search(block.text) and block.words <= 40:
        return f.TAIL_FURNITURE  # the rules read the copyright from it first
    return None


def _mark_repeats(blocks: list[Block], page: PageStructure) -> None:
    """A box the page prints both outside the article and inside it is the site's, not the author's.

    A pull quote repeats the article's own sentence, but both copies stand inside the article:
    only a text that also appears in the page's furniture is marked.
    """
    outside = Counter(key(blocks[i].text) for i, kind in page.marks.items()
                      if 4 <= blocks[i].words <= 60 and kind.id not in f.EXTRACTED)  # a headline is no box
    for i, block in enumerate(blocks):
        if i not in page.marks and 4 <= block.words <= 60 and outside[key(block.text)]:
            page.marks[i] = f.REPEATED
