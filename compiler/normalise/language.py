"""Language of an article's body, for articles whose page does not say."""

from __future__ import annotations

from functools import cache

MIN_CHARS = 40  # below this a guess is noise; the book's language is used instead


@cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    sample = text[:600]
    if len(sample.strip()) < MIN_CHARS:
        return None
    language, probability = _identifier().classify(sample)
    return language if probability >= 0.8 else None
