"""Language of an article's body, for articles whose page does not say.

py3langid knows 97 languages but costs about a second to load (numpy and its model) in every
process that uses it, which is most of a small rebuild. Most articles are in one of a few
languages whose commonest words give them away, so those words are counted first; only when
they do not decide clearly is the model asked. tests/normalise/test_language.py checks that
the count agrees with the model wherever it decides.
"""

from __future__ import annotations

import re
from functools import cache

MIN_CHARS = 40  # below this a guess is noise; the book's language is used instead
SAMPLE_CHARS = 600

# Frequent function words, each common in its own language only among these (no word is in two lists,
# and words such as "que", "se" or "en", frequent in several, are left out).
COMMON_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the and of to is that was for with it by this have from which were are be has had not but "
              "they their been who would will there its an or at",
        "fr": "le les des du et est une dans qui pour sur pas ce cette sont avec au aux ils elle nous vous "
              "ont été sa ses leur plus comme",
        "es": "el los las y pero sus fue más su han también cuando muy hay ya desde donde porque",
        "de": "der die und das ist nicht mit sich auf dem den ein eine auch zu von für sind wird wurde "
              "nach bei aus oder wie",
        "it": "di che della dei delle gli sono nel alla anche più per non questo questa ma degli stato "
              "essere loro",
        "pt": "os não um uma com mais mas pelo pela foi são seu sua também ao às isso ele ela na do há ou",
        "nl": "het een van niet dat zijn voor met ook aan bij dit deze naar wordt werd maar nog wel "
              "heeft hebben geen",
    }.items()
}

_LANGUAGE_OF = {word: language for language, words in COMMON_WORDS.items() for word in words}
MIN_HITS = 8  # common words found (of about a hundred words) before the count may decide
MARGIN = 4.0  # the winner must have this many times the runner-up's hits
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return None
    return by_common_words(sample) or by_model(sample)


def by_common_words(sample: str) -> str | None:
    """The language whose common words clearly dominate the sample, or None to ask the model."""
    counts = dict.fromkeys(COMMON_WORDS, 0)
    for word in _WORD.findall(sample.lower()):
        language = _LANGUAGE_OF.get(word)
        if language is not None:
            counts[language] += 1
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    return best if hits >= MIN_HITS and hits >= MARGIN * runner_up else None


def by_model(sample: str) -> str | None:
    language, probability = _identifier().classify(sample)
    return language if probability >= 0.8 else None


@cache
def _identifier():  # type: ignore[no-untyped-def]
    # deferred: py3langid loads its model; most articles name their language and never need it
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
