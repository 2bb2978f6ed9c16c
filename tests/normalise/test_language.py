"""The quick common-word count agrees with py3langid's model wherever it decides on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.normalise import normalise, rule_set
from compiler.normalise.language import COMMON_WORDS, SAMPLE_CHARS, by_common_words, detect_language
from compiler.readers import read_article

TESTS = Path(__file__).resolve().parents[1]
SEEDS = sorted((TESTS.parent.parent / "shared" / "seeds").glob("*.txt"))

# Written for this test: plain prose in the languages the count knows, and in some it does not.
PROSE = {
    "fr": "Le conseil municipal a voté mardi soir un budget qui prévoit la rénovation des écoles du "
          "quartier nord. Les parents, qui attendaient cette décision depuis des années, sont venus "
          "nombreux à la séance. Pour la maire, il ne s'agit pas d'une dépense mais d'un investissement "
          "dans l'avenir de la ville, et elle a promis que les travaux commenceraient avant l'été.",
    "es": "El ayuntamiento aprobó el martes un presupuesto que incluye la reforma de las escuelas del "
          "barrio norte. Los padres, que esperaban esta decisión desde hace años, llenaron la sala. "
          "Para la alcaldesa no se trata de un gasto sino de una inversión en el futuro de la ciudad, "
          "y ya ha prometido que las obras empezarán antes del verano, cuando los niños estén de vacaciones.",
    "de": "Der Stadtrat hat am Dienstag einen Haushalt beschlossen, der die Sanierung der Schulen im "
          "Norden der Stadt vorsieht. Die Eltern, die seit Jahren auf diese Entscheidung gewartet hatten, "
          "kamen zahlreich zur Sitzung. Für die Bürgermeisterin ist das keine Ausgabe, sondern eine "
          "Investition in die Zukunft, und sie versprach, dass die Arbeiten noch vor dem Sommer beginnen.",
    "it": "Il consiglio comunale ha approvato martedì un bilancio che prevede la ristrutturazione delle "
          "scuole del quartiere nord. I genitori, che aspettavano questa decisione da anni, sono venuti "
          "numerosi alla seduta. Per la sindaca non si tratta di una spesa ma di un investimento nel "
          "futuro della città, e ha promesso che i lavori inizieranno prima dell'estate.",
    "pt": "A câmara municipal aprovou na terça-feira um orçamento que prevê a renovação das escolas do "
          "bairro norte. Os pais, que esperavam por esta decisão há anos, encheram a sala. Para a "
          "presidente não se trata de uma despesa mas de um investimento no futuro da cidade, e ela "
          "prometeu que as obras começarão antes do verão, quando as crianças estão de férias.",
    "nl": "De gemeenteraad heeft dinsdag een begroting goedgekeurd die de renovatie van de scholen in de "
          "noordelijke wijk mogelijk maakt. De ouders, die al jaren op dit besluit wachtten, kwamen in "
          "groten getale naar de vergadering. Voor de burgemeester is het geen uitgave maar een "
          "investering in de toekomst van de stad, en zij beloofde dat het werk voor de zomer begint.",
    "en": "The city council approved a budget on Tuesday that pays for the renovation of the schools in "
          "the northern district. Parents, who had been waiting for this decision for years, filled the "
          "room. For the mayor it was not an expense but an investment in the future of the town, and "
          "she promised that the work would begin before the summer, while the children are away.",
    "sv": "Kommunfullmäktige godkände på tisdagen en budget som gör det möjligt att renovera skolorna i "
          "den norra stadsdelen. Föräldrarna, som hade väntat på beslutet i flera år, fyllde salen. För "
          "borgmästaren är det ingen utgift utan en investering i stadens framtid, och hon lovade att "
          "arbetet skulle börja före sommaren, medan barnen har lov.",
    "pl": "Rada miasta przyjęła we wtorek budżet, który przewiduje remont szkół w północnej dzielnicy. "
          "Rodzice, którzy czekali na tę decyzję od lat, licznie przyszli na posiedzenie. Dla burmistrz "
          "nie jest to wydatek, lecz inwestycja w przyszłość miasta, i obiecała, że prace zaczną się "
          "jeszcze przed latem, kiedy dzieci będą na wakacjach.",
    "ro": "Consiliul local a aprobat marți un buget care prevede renovarea școlilor din cartierul de nord. "
          "Părinții, care așteptau această decizie de ani de zile, au venit în număr mare la ședință. "
          "Pentru primăriță nu este o cheltuială, ci o investiție în viitorul orașului, iar ea a promis "
          "că lucrările vor începe înainte de vară, când copiii sunt în vacanță.",
}


def _model(sample: str) -> str:
    from compiler.normalise.language import _identifier

    return _identifier().classify(sample)[0]


def _article_samples() -> list[tuple[str, str]]:
    paths = [*SEEDS, *sorted((TESTS / "fixtures" / "articles").glob("*.md")),
             *sorted((TESTS / "normalise" / "golden").glob("*/input.md"))]
    rules = rule_set()
    return [(path.parent.name if path.name == "input.md" else path.stem,
             normalise(read_article(path), rules).body_text[:SAMPLE_CHARS]) for path in paths]


def test_no_word_counts_for_two_languages() -> None:
    languages = list(COMMON_WORDS)
    for index, first in enumerate(languages):
        for second in languages[index + 1:]:
            assert not COMMON_WORDS[first] & COMMON_WORDS[second], (first, second)


@pytest.mark.parametrize("language", sorted(PROSE))
def test_the_count_names_the_language_the_model_names_or_defers(language: str) -> None:
    sample = PROSE[language]
    assert _model(sample) == language, "the written sample is in the language it is filed under"
    quick = by_common_words(sample)
    if language in COMMON_WORDS:
        assert quick == language, "plain prose in a counted language is decided without the model"
    else:
        assert quick is None, "a language the count does not know is left to the model"
    assert detect_language(sample) == language


def test_the_count_agrees_with_the_model_on_every_article_it_decides() -> None:
    samples = _article_samples()
    decided = [(name, quick, _model(sample)) for name, sample in samples
               if (quick := by_common_words(sample)) is not None]
    assert len(decided) >= len(samples) * 0.8, "most articles are decided by the count"
    assert {name: quick for name, quick, _ in decided} == {name: model for name, _, model in decided}
