"""Kinds of site furniture, told by their form: what a block says to the reader and how it is built.

Each test looks at one block (its text, its links, its length) and answers whether it is a kind
of furniture any site may print: a call to action addressed to the reader, a button row, a
counter, a form, a run of short links. None of them names a site or an article's sentences;
the vocabulary below is the web's own (the words on buttons, the phrases of sign-up forms).
An article's own sentences that merely mention newsletters, donations or sharing stay: a
sentence counts as a plea only when it addresses the reader or speaks for the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..model import Block, BlockKind


@dataclass(frozen=True)
class Kind:
    """A kind of furniture: its stable id (shown in the review report) and the reason given."""

    id: str
    reason: str


SAVER_HEADER = Kind("page.saver-header", "The page title and excerpt the saving tool wrote above the page")
BEFORE_TITLE = Kind("page.before-title", "Site navigation and labels above the article's headline")
HEAD_FURNITURE = Kind("page.head", "Buttons and labels between the headline and the article")
AFTER_ARTICLE = Kind("page.after-article", "Comments, related lists, author boxes and footer after the article")
TAIL_FURNITURE = Kind("page.tail", "Buttons, tags and labels after the article's last paragraph")
TITLE = Kind("page.title", "The article's headline, moved to the title page and heading")
SUBTITLE = Kind("page.subtitle", "The article's subtitle, moved under the title")
BYLINE = Kind("page.byline", "The byline and dateline, moved to the article's authors and date")
CREDIT = Kind("page.credit", "Where the article first appeared, moved to its original source")
REPUBLISHER_NOTE = Kind("page.republisher-note", "The republishing site's note before the article's own byline")
REPEATED = Kind("page.repeated", "A block the page prints more than once (a box repeated around the article)")
CALL_TO_ACTION = Kind("kind.call-to-action", "A plea addressed to the reader (subscribe, donate, follow, share)")
BUTTON = Kind("kind.button", "Buttons and widget labels of the page")
COUNTER = Kind("kind.counter", "Counts of likes, comments, followers or reading time")
FORM = Kind("kind.form", "A sign-up or comment form and its messages")
LINK_CARD = Kind("kind.link-card", "A link card to another article")
LINK_LIST = Kind("kind.link-list", "A list of links to other pages (navigation, related articles)")
BOX = Kind("kind.box", "A box of the site's between the article's paragraphs (related links, a plea)")
TAGS = Kind("kind.tags", "The categories and tags the site filed the article under")
ADVERT = Kind("kind.advert", "An advertisement label")

KINDS = [SAVER_HEADER, BEFORE_TITLE, TITLE, SUBTITLE, BYLINE, HEAD_FURNITURE, AFTER_ARTICLE, TAIL_FURNITURE,
         REPEATED, CREDIT, REPUBLISHER_NOTE, CALL_TO_ACTION, BUTTON, COUNTER, FORM, LINK_CARD, LINK_LIST, BOX, TAGS,
         ADVERT]

# Kinds whose blocks carry facts moved into the metadata (not counted as words removed)
EXTRACTED = frozenset({TITLE.id, SUBTITLE.id, BYLINE.id, SAVER_HEADER.id, CREDIT.id})

# Words that buttons, share rows and widget labels are made of.
UI_WORDS = frozenset("""
en por enviar copiar enlace kommentare kommentar teilen anmelden jetzt unterstützen ver todos los comentarios
iniciar sesión mehr anzeigen alle
share shares sharing tweet email e-mail mail print pdf friendly subscribe subscribed unsubscribe donate sign
signin signup in up out log login logout register menu search follow following followed listen now reply
replies comment comments like likes liked save saved copy copied link republish more top latest discussion
read continue reading skip to content main footer navigation nav open app write restack restacks upgrade paid
facebook twitter x linkedin whatsapp reddit telegram pinterest bluesky mastodon threads youtube instagram rss
feed tiktok flipboard home back next previous post page get cancel submit send close toggle show hide load
loading view all see gift article story audio video play pause exit mobile version here click the this on via
a an and or & of for with your my account options member members-only member-only only new newest oldest sort
by report contact about help comentar compartir suscribirse suscríbete donar partager imprimer commenter
abonnez-vous teilen drucken kommentieren abonnieren artikel weiterlesen leer más lire suite menú
""".split())  # noqa: SIM905 (a word list reads best as words)
_SYMBOLS = re.compile(r"^[\W\d_]*$")
_WIDGET_SYMBOLS = {"·", "•", "∙", "--", "|", "Δ", "[", "]", "×", "+", "→", "←", "›", "»", "«", "‹", "↑"}

_COUNTER = re.compile(
    r"^\W*(?:join\s+)?[\d.,]+\s*[km]?\s*(?:other\s+|more\s+)?(?:likes?|restacks?|comments?|shares?|followers?|"
    r"subscribers?|replies|reply|responses?|views?|reads?|claps?|min(?:ute)?s?\.? read|min(?:ute)?s?\.? listen|"
    r"minutos? de lectura|min\.? lesezeit|min de lecture)\b",
    re.IGNORECASE,
)
_READING_TIME = re.compile(r"^\W*(?:\d+\s*(?:min(?:ute)?s?\.?|m)\s*(?:read|listen)|reading time\b)", re.IGNORECASE)

_FORM = re.compile(
    r"your e-?mail address will not be published|required fields are marked|save my name,? e-?mail|"
    r"notify me of (?:new |follow-up )?(?:comments|posts|replies)|enter your (?:comment|e-?mail|name)|"
    r"fill in your details|already (?:have an account|a (?:subscriber|member))|"
    r"by (?:signing up|subscribing|clicking|registering|submitting)\b.{0,80}\b(?:agree|accept|create|consent)|"
    r"thanks? (?:you )?for (?:signing up|subscribing)|you(?:'re| are) (?:now )?subscribed|check your inbox|"
    r"please enter a valid e-?mail|sign me up|you must be logged in|log in to (?:comment|reply)|"
    r"this site uses akismet|comments are closed|"
    r"^\W*(?:e-?mail(?: address)?|name|website|comment|url|first name|last name|"
    r"zip(?: code)?|your (?:name|e-?mail))\s*(?:\*|\(required\))?(?:\s*\([^)]*\))?\W*$",
    re.IGNORECASE,
)
_ADVERT = re.compile(r"^\W*(?:advertisement|advertising|sponsored(?: content)?|anzeige|publicidad|publicité|"
                     r"story continues below(?: advertisement)?|"
                     r"article continues (?:below|after (?:this )?advertisement)|"
                     r"continue reading (?:the (?:main )?story )?below)\W*$", re.IGNORECASE)

# --- calls to action -------------------------------------------------------------------------------

_SENTENCES = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘(\[]?[A-Z0-9ÀÁÂÉÈÍÓÚÑÜ¿¡])")
# the reader addressed, and the site speaking as "we"
_YOU = re.compile(r"\b(?:you|your|yours|you['’](?:re|ve|ll|d)|vous|votre|vos|tu|tus|te|usted|ustedes|dich|dein\w*|"
                  r"(?-i:Sie|Ihr|Ihre|Ihnen))\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|our|ours|(?-i:us)|we['’](?:re|ve|ll|d)|nous|notre|nos|nosotros|nuestr[oa]s?|wir|uns|"
                 r"unser\w*)\b", re.IGNORECASE)
# an imperative that opens a plea (after "please", "so", "now"…)
_IMPERATIVE = re.compile(
    r"^\W*(?:(?:please|so|now|today|and|then|also|or)\W+)*(?:subscribe|sign up|sign in|log in|donate|support|join|"
    r"follow|share|give|chip in|become|upgrade|register|download|get|click|tap|help|consider|pledge|renew|"
    r"enter your|add your|save big|read more|continue reading|listen to|watch|sign-up|make a (?:tax-deductible )?"
    r"(?:donation|gift|contribution)|don['’]t miss|stay (?:informed|updated|in the loop|connected)|keep up|"
    r"suscr[ií]bete|suscr[ií]base|dona|apoya|[úu]nete|s[ií]guenos|abonnez-vous|soutenez|faites un don|rejoignez|"
    r"suivez|abonnieren sie|unterst[üu]tzen sie|spenden sie|folgen sie|ap[úu]ntate|hazte|recibe|sigue|comparte|"
    r"jetzt (?:unterst[üu]tzen|abonnieren|spenden)|schreiben sie uns|inscr[ií]bete)\b",
    re.IGNORECASE,
)
# what pleas are about
_PROMO = re.compile(
    r"\b(?:newsletters?|inbox|subscri(?:be|bed|bers?|ption|ptions|bing)|donat(?:e|es|ed|ion|ions|ing)|"
    r"tax[- ]deductible|fund ?drive|fundrais\w*|paywalls?|ads\b|advertis\w*|reader[- ](?:support\w*|funded|powered)|"
    r"readers like you|independent (?:journalism|media|news|reporting|press)|nonprofit (?:newsroom|news|media)|"
    r"non-profit (?:newsroom|news|media)|premium|paid (?:subscribers?|plan|tier)|sign(?:ing)?[- ]?up|"
    r"follow(?:ing)? us|instagram|twitter|facebook|telegram|tiktok|youtube|podcast|app\b|e-?mail|"
    r"contribut\w+|support\w*|gift|mail\b|chip in|generosity|print edition|discounted (?:rate|price|subscription)|"
    r"% off|bolet[ií]n|suscrip\w+|"
    r"donaci\w+|apoy\w+|lettre d['’]information|abonnement|soutien|spende\w*|abo\b|unterst[üu]tz\w*|"
    r"readers?\b|journalis(?:m|ts?)|reporting|newsroom|pitch in|socios?|socias?|aporta\w*|correo|"
    r"periodismo|mitglied\w*|leser\w*|paywall|kommentar\w*|kontaktformular|feedback|"
    r"\d+\s*(?:€|euros?|dollars?|pounds?)|[€$£]\s?\d+)",
    re.IGNORECASE,
)
# sentences that speak for the site even without "you" or "we"
_SELF_PROMO = re.compile(
    r"\breaders like you\b|\breader[- ](?:supported|funded)\b|\bfunded (?:solely |entirely |only )?(?:through|by) "
    r"(?:the generosity of )?(?:its|our) readers|\btax[- ]deductible\b|\bfund ?drive\b|\bthanks? (?:you )?for "
    r"reading\b|\bwe hope you (?:enjoyed|liked)\b|\bif (?:this|you) (?:resonated|enjoyed|liked|found)\b|"
    r"\b(?:doesn['’]t|don['’]t|do not|does not|never) (?:run|accept|take|carry) (?:ads|advertising|corporate)\b|"
    r"\bis out now\b|\bin your inbox\b|\bdelivered (?:straight |directly )?to your inbox\b|\bdirectly to your inbox\b|"
    r"\bconsider becoming\b|\b(?:free or )?paid subscri(?:ber|ption)s?\b|\bupgrade to paid\b|\bsupport my work\b|"
    r"\byou can help\b|\bfree to read\b|\breaders? (?:chip in|pay|support|fund)\b|"
    r"^\W*(?:want|looking for|hungry for|enjoy(?:ed)?|like|love)\b[^.?!]{0,80}\?\W*$|"
    r"(?:\d+\s*(?:€|euros?|dollars?)|[€$£]\s?\d+)\s*(?:im|a|per|al|par|pro|each|every)\s*"
    r"(?:monat|month|mes|mois|week|woche)\b|"
    r"\bhazte soci[oa]\b|\bno tiene due[ñn]o\b|\bkeine paywall\b|\bfrei lesbar\b|\bfehler gefunden\b",
    re.IGNORECASE,
)
# Outside the article (above the headline, after the last paragraph) a site also speaks of itself
# without addressing anyone: "X is a nonprofit newsroom", "Independent journalism is under threat".
_EDGE_PROMO = re.compile(
    r"\bis an? (?:[\w-]+,? ){0,4}(?:nonprofit|non-profit|independent|reader-supported|award-winning|501|"
    r"leading|national|member-supported)\b|\bindependent (?:journalism|media|news|reporting|press)\b|"
    r"\blearn more at\b|\bfree of charge\b|\bnewsroom\b|\bcorporate[- ]funded\b|\bcan be republished\b|"
    r"\brepublish (?:this|our) (?:story|article)\b|\bperiodismo independiente\b|\bfreie presse\b|"
    r"\bnot necessarily reflect\b|\bviews expressed\b|\brush transcript\b|\bmay not be in its final form\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(r"[\"“”„«»]|\b(?:said|says|told|asked|according to|dijo|sagte|a déclaré)\b", re.IGNORECASE)
MAX_PLEA_WORDS = 120


def is_button_row(block: Block) -> bool:
    """Share rows, sign-in links, 'Listen', lone symbols: every word a widget's word."""
    text = block.text.strip()
    if not text or block.kind in (BlockKind.FIGURE, BlockKind.CODE, BlockKind.TABLE):
        return False
    if _SYMBOLS.match(text):
        return text in _WIDGET_SYMBOLS  # not "* * *", a section break, nor a lone figure, maybe a note's
    tokens = re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|&", text.lower())
    return 0 < len(tokens) <= 14 and all(token in UI_WORDS for token in tokens)


def is_counter(block: Block) -> bool:
    text = block.text
    return block.words <= 12 and bool(_COUNTER.match(text) or _READING_TIME.match(text))


def is_form(block: Block) -> bool:
    return block.words <= 40 and bool(_FORM.search(block.text))


def is_advert_label(block: Block) -> bool:
    return block.words <= 8 and bool(_ADVERT.match(block.text))


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCES.split(text.strip()) if part.strip()]


STRONG, WEAK, NONE = 1.0, 0.5, 0.0


def plea_weight(sentence: str, edge: bool = False) -> float:
    """How surely a sentence asks something of the reader or speaks for the site: STRONG, WEAK or NONE.

    Inside the article a sentence is surely a plea only when it asks the reader something for
    the site ("you … our newsletter"), opens with an imperative ("Subscribe …") or says what only
    a site says of itself ("reader-supported"); the site or the reader alone with a plea's word
    ("we ask members to donate", "if you subscribe to a newsletter") may be the author's, and
    weighs half. Outside the article (`edge`) the site speaking of itself is enough.
    """
    if _SELF_PROMO.search(sentence) or (edge and _EDGE_PROMO.search(sentence)):
        return STRONG
    if _REPORTED.search(sentence):
        return NONE  # a quotation or a reported statement is the article's
    if _IMPERATIVE.match(sentence) and _PROMO.search(sentence):
        return STRONG  # "Subscribe …", "Donate now": not "Share prices fell", "Follow the trail of …"
    if not _PROMO.search(sentence):
        return NONE
    you, we = bool(_YOU.search(sentence)), bool(_WE.search(sentence))
    if you and we:
        return STRONG
    if you or we:
        return STRONG if edge else WEAK
    return NONE


def is_plea_sentence(sentence: str, edge: bool = False) -> bool:
    return plea_weight(sentence, edge) == STRONG


def is_call_to_action(block: Block, edge: bool = False) -> bool:
    """A plea: most of its words are in sentences that ask the reader to subscribe, give, follow or share."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.BLOCKQUOTE, BlockKind.LIST):
        return False
    if not block.text or block.words > MAX_PLEA_WORDS:
        return False
    return is_plea_text(block.text, edge)


@lru_cache(maxsize=8192)  # the structure asks of each block several times a pass, and again each pass
def is_plea_text(text: str, edge: bool = False) -> bool:
    if not edge and not may_plead(text):
        return False  # most of an article: no sentence of it can be a plea, and none is weighed
    return weigh_plea(text, edge)


def may_plead(text: str) -> bool:
    """Whether the text holds a word pleas are made of: a quick look that lets most prose go unweighed.

    Every alternative of _PROMO and _SELF_PROMO holds one of these words, stems or phrases, so a
    text without any has no sentence those patterns find and none that pleads inside an article
    (tests/normalise/test_furniture.py checks this on the project's articles).
    """
    lowered = text.lower()
    if any(phrase in lowered for phrase in PLEA_PHRASES):
        return True
    return any(word in PLEA_WORDS or word.startswith(PLEA_STEMS) for word in _WORD.findall(lowered))


_WORD = re.compile(r"[^\W\d_]+")
PLEA_WORDS = frozenset("""
app apps ads abo tax gift sign signing socio socia socios socias paid ad correo mail
""".split())  # noqa: SIM905 (a word list reads best as words)
PLEA_STEMS = tuple("""
newsletter inbox subscri donat fund paywall advertis reader independ nonprofit premium podcast instagram twitter
facebook telegram tiktok youtube mail contribut support generos discounted bolet suscrip donaci apoy abonn soutien
spende unterst journalis reporting newsroom aporta periodis mitglied leser kommentar kontaktformular feedback euro
dollar pound thank resonat enjoy upgrade lesbar fehler email corporate
""".split())  # noqa: SIM905
PLEA_PHRASES = ("?", "€", "$", "£", "%", "non-profit", "chip in", "pitch in", "out now", "can help", "free to read",
                "hope you", "consider becoming", "print edition", "follow", "e-mail", "lettre d", "no tiene due",
                "sign-up", "signup", "liked", "found")


def weigh_plea(text: str, edge: bool = False) -> bool:
    """Most of the text's words are in sentences that plead (see plea_weight)."""
    weights = [(plea_weight(part, edge), len(part.split())) for part in sentences(text)]
    if not any(weight == STRONG for weight, _ in weights):
        return False
    return sum(weight * words for weight, words in weights) >= 0.6 * len(text.split())


# --- credits ----------------------------------------------------------------------------------------

# "This story was originally published by X", "A version of this column first appeared in the X",
# "Republished from X", "Originally published at X": a sentence about this text, opening with it.
_CREDIT = re.compile(
    r"(?:^|[.!?]\s+)\W*(?:(?:this|the|a version of this|an earlier version of this)\s+(?:story|article|essay|column|"
    r"piece|post|report|interview|op-ed|commentary|text|transcript|analysis|investigation)\s+"
    r"(?:was\s+|is\s+|has been\s+|were\s+)?)?"
    r"(?:(?:originally|first)\s+(?:published|appeared|ran|posted|printed)|republished|reprinted|reproduced|"
    r"cross-?posted|syndicated)(?:\s+here)?(?:\s+with (?:the )?permission)?\s+(?:at|in|on|by|from|with)\s+"
    r"(?-i:(?:the\s+)?)(?P<name>(?-i:[A-Z0-9](?:[\w!’'&@-]|\.(?=\w))*)(?:\s+(?:(?-i:[A-Z0-9](?:[\w!’'&-]|\.(?=\w))*)|"
    r"of|the|and|for|&|de|del|"
    r"la|el|der|die|das|f[üu]r)){0,7})",
    re.IGNORECASE,
)
_NOT_OUTLETS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
MAX_CREDIT_WORDS = 70


def credited_outlet(block: Block) -> str | None:
    """The outlet a credit line names ("… first appeared in the Harbour Courier on …"), or None."""
    if block.words > MAX_CREDIT_WORDS:
        return None
    found = _CREDIT.search(block.text)
    if not found:
        return None
    words = found.group("name").split()
    while words and words[-1].lower() in {"of", "the", "and", "for", "&", "de", "del", "la", "el", "der", "die", "das"}:
        words.pop()
    name = " ".join(words).rstrip(".,;:")
    return name if name and name.split()[0].lower() not in _NOT_OUTLETS else None


# --- links ----------------------------------------------------------------------------------------

_LINK_TEXT = re.compile(r"<a\b[^>]*>(.*?)</a>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def link_share(block: Block) -> float:
    """The share of the block's words that are link text."""
    if "<a" not in block.html or not block.words:
        return 0.0
    linked = sum(len(_TAGS.sub(" ", found).split()) for found in _LINK_TEXT.findall(block.html))
    return min(1.0, linked / block.words)


def is_link_list(block: Block) -> bool:
    """A list whose items are short links: navigation, related articles, tags."""
    if block.kind is not BlockKind.LIST:
        return False
    items = block.html.count("<li")
    if not items:
        return False
    return link_share(block) >= 0.6 and block.words / items <= 12


def is_link_line(block: Block, max_words: int = 16) -> bool:
    """A paragraph that is one or a few links and nothing else (a related headline, a tag, a site name)."""
    return (block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) and 0 < block.words <= max_words
            and link_share(block) >= 0.9)


def opens_link_card(block: Block) -> bool:
    """A Markdown link around a whole card (`[` … `](address)`), which a scrape leaves as loose lines."""
    return block.text.strip() == "["


def closes_link_card(block: Block) -> bool:
    return block.text.strip().startswith("](")


_TAG_LINE = re.compile(r"^\W*(?:this (?:entry|post|article) was )?(?:posted|filed|published) (?:in|under)\b|"
                       r"^\W*(?:tagged|tags|filed under|categor(?:y|ies)|topics)\s*:", re.IGNORECASE)


def is_tag_line(block: Block) -> bool:
    """The categories and tags a site filed the article under ("This entry was posted in …")."""
    return block.words <= 60 and bool(_TAG_LINE.match(block.text)) and "<a" in block.html


def furniture_kind(block: Block, edge: bool = False) -> Kind | None:
    """The kind of furniture a block is by its own form; None for the article's own.

    `edge`: the block stands outside the article's prose, where a site's self-description counts too.
    """
    for looks_like, kind in _BY_FORM:
        if looks_like(block):
            return kind
    return CALL_TO_ACTION if is_call_to_action(block, edge) else None


# The kinds furniture_kind recognises by form alone, in the order it tries them (a call to action,
# which also weighs where the block stands, comes last).
_BY_FORM: tuple[tuple[Callable[[Block], bool], Kind], ...] = (
    (is_advert_label, ADVERT), (is_counter, COUNTER), (is_form, FORM), (is_button_row, BUTTON),
    (is_link_list, LINK_LIST), (is_tag_line, TAGS),
)
