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
from dataclasses import dataclass

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
REPEATED = Kind("page.repeated", "A block the page prints more than once (a box repeated around the article)")
CALL_TO_ACTION = Kind("kind.call-to-action", "A plea addressed to the reader (subscribe, donate, follow, share)")
BUTTON = Kind("kind.button", "Buttons and widget labels of the page")
COUNTER = Kind("kind.counter", "Counts of likes, comments, followers or reading time")
FORM = Kind("kind.form", "A sign-up or comment form and its messages")
LINK_CARD = Kind("kind.link-card", "A link card to another article")
LINK_LIST = Kind("kind.link-list", "A list of links to other pages (navigation, related articles)")
BOX = Kind("kind.box", "A box of the site's between the article's paragraphs (related links, a plea)")
ADVERT = Kind("kind.advert", "An advertisement label")

KINDS = [SAVER_HEADER, BEFORE_TITLE, TITLE, SUBTITLE, BYLINE, HEAD_FURNITURE, AFTER_ARTICLE, TAIL_FURNITURE,
         REPEATED, CALL_TO_ACTION, BUTTON, COUNTER, FORM, LINK_CARD, LINK_LIST, BOX, ADVERT]

# Kinds whose blocks carry facts moved into the metadata (not counted as words removed)
EXTRACTED = frozenset({TITLE.id, SUBTITLE.id, BYLINE.id, SAVER_HEADER.id})

# Words that buttons, share rows and widget labels are made of.
_UI_WORDS = frozenset("""
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
    r"this site uses akismet|comments are closed|^\W*(?:e-?mail|name|website|comment|url|first name|last name|"
    r"zip(?: code)?|your (?:name|e-?mail))\s*(?:\*|\(required\))?(?:\s*\([^)]*\))?\W*$",
    re.IGNORECASE,
)
_ADVERT = re.compile(r"^\W*(?:advertisement|advertising|sponsored(?: content)?|anzeige|publicidad|publicité|"
                     r"story continues below(?: advertisement)?|"
                     r"article continues (?:below|after (?:this )?advertisement)|"
                     r"continue reading (?:the (?:main )?story )?below)\W*$", re.IGNORECASE)

# --- calls to action -------------------------------------------------------------------------------

_SENTENCES = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘(\[]?[A-Z0-9ÀÁÂÉÈÍÓÚÑÜ¿¡])")
_ADDRESS = re.compile(r"\b(?:you|your|yours|you['’](?:re|ve|ll|d)|we|our|ours|(?-i:us)|we['’](?:re|ve|ll|d)|"
                      r"vous|votre|vos|nous|notre|nos|usted|ustedes|tu|tus|su|nuestro|nuestra|nuestros|nuestras|"
                      r"nosotros|sie|ihr|ihre|wir|uns|unser|unsere)\b", re.IGNORECASE)
# an imperative that opens a plea (after "please", "so", "now"…)
_IMPERATIVE = re.compile(
    r"^\W*(?:(?:please|so|now|today|and|then|also|or)\W+)*(?:subscribe|sign up|sign in|log in|donate|support|join|"
    r"follow|share|give|chip in|become|upgrade|register|download|get|click|tap|help|consider|pledge|renew|"
    r"enter your|add your|save big|read more|continue reading|listen to|watch|sign-up|make a (?:tax-deductible )?"
    r"(?:donation|gift|contribution)|don['’]t miss|stay (?:informed|updated|in the loop|connected)|keep up|"
    r"suscr[ií]bete|suscr[ií]base|dona|apoya|[úu]nete|s[ií]guenos|abonnez-vous|soutenez|faites un don|rejoignez|"
    r"suivez|abonnieren sie|unterst[üu]tzen sie|spenden sie|folgen sie)\b",
    re.IGNORECASE,
)
# what pleas are about
_PROMO = re.compile(
    r"\b(?:newsletters?|inbox|subscri(?:be|bed|bers?|ption|ptions|bing)|donat(?:e|es|ed|ion|ions|ing)|"
    r"tax[- ]deductible|fund ?drive|fundrais\w*|paywalls?|ads\b|advertis\w*|reader[- ](?:support\w*|funded|powered)|"
    r"readers like you|independent (?:journalism|media|news|reporting|press)|nonprofit (?:newsroom|news|media)|"
    r"non-profit (?:newsroom|news|media)|premium|paid (?:subscribers?|plan|tier)|sign(?:ing)?[- ]?up|"
    r"follow(?:ing)? us|instagram|twitter|facebook|telegram|tiktok|youtube|podcast|app\b|account|e-?mail|"
    r"contribut\w+|support\w*|gift|chip in|generosity|print edition|discounted (?:rate|price|subscription)|"
    r"% off|bolet[ií]n|suscrip\w+|"
    r"donaci\w+|apoy\w+|lettre d['’]information|abonnement|soutien|spende\w*|abo\b|unterst[üu]tz\w*)",
    re.IGNORECASE,
)
# sentences that speak for the site even without "you" or "we"
_SELF_PROMO = re.compile(
    r"\breaders like you\b|\breader[- ](?:supported|funded)\b|\bfunded (?:solely |entirely |only )?(?:through|by) "
    r"(?:the generosity of )?(?:its|our) readers|\btax[- ]deductible\b|\bfund ?drive\b|\bthanks? (?:you )?for "
    r"reading\b|\bwe hope you (?:enjoyed|liked)\b|\bif (?:this|you) (?:resonated|enjoyed|liked|found)\b|"
    r"\b(?:doesn['’]t|don['’]t|do not|does not|never) (?:run|accept|take|carry) (?:ads|advertising|corporate)\b|"
    r"\bis out now\b|\bin your inbox\b|\bdelivered (?:straight |directly )?to your inbox\b|\bdirectly to your inbox\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(r"[\"“”„«»]|\b(?:said|says|told|asked|according to|dijo|sagte|a déclaré)\b", re.IGNORECASE)
MAX_PLEA_WORDS = 120


def words_of(block: Block) -> int:
    return block.words


def is_button_row(block: Block) -> bool:
    """Share rows, sign-in links, 'Listen', lone symbols: every word a widget's word."""
    text = block.text.strip()
    if not text or block.kind in (BlockKind.FIGURE, BlockKind.CODE, BlockKind.TABLE):
        return False
    if _SYMBOLS.match(text):
        return text in _WIDGET_SYMBOLS  # not "* * *", a section break, nor a lone figure, maybe a note's
    tokens = re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|&", text.lower())
    return 0 < len(tokens) <= 10 and all(token in _UI_WORDS for token in tokens)


def is_counter(block: Block) -> bool:
    text = block.text
    return block.words <= 12 and bool(_COUNTER.match(text) or _READING_TIME.match(text))


def is_form(block: Block) -> bool:
    return block.words <= 40 and bool(_FORM.search(block.text))


def is_advert_label(block: Block) -> bool:
    return block.words <= 8 and bool(_ADVERT.match(block.text))


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCES.split(text.strip()) if part.strip()]


def is_plea_sentence(sentence: str) -> bool:
    """Does this sentence ask something of the reader, or speak for the site?"""
    if _SELF_PROMO.search(sentence):
        return True
    if _REPORTED.search(sentence):
        return False  # a quotation or a reported statement is the article's
    if _IMPERATIVE.match(sentence):
        return True
    return bool(_ADDRESS.search(sentence) and _PROMO.search(sentence))


def is_call_to_action(block: Block) -> bool:
    """A plea: most of its words are in sentences that ask the reader to subscribe, give, follow or share."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.BLOCKQUOTE, BlockKind.LIST):
        return False
    if not block.text or block.words > MAX_PLEA_WORDS:
        return False
    parts = sentences(block.text)
    pleading = sum(len(s.split()) for s in parts if is_plea_sentence(s))
    return pleading * 3 >= block.words * 2


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


def furniture_kind(block: Block) -> Kind | None:
    """The kind of furniture a block is by its own form, wherever it stands; None for the article's own."""
    if is_advert_label(block):
        return ADVERT
    if is_counter(block):
        return COUNTER
    if is_form(block):
        return FORM
    if is_button_row(block):
        return BUTTON
    if is_link_list(block):
        return LINK_LIST
    if is_call_to_action(block):
        return CALL_TO_ACTION
    return None
