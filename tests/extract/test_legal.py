"""Legal references (pipeline/legal.py): instruments, numbers, years, negatives."""

from __future__ import annotations

import pytest

from pipeline.config import load_config
from pipeline.extract.legal import SPAN_KEY, find_legal_references, rules_for
from pipeline.extract.nlp import make_nlp


def one(text: str, lang: str = "en"):
    found = find_legal_references(text, rules_for(lang))
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    "text, instrument, number",
    [
        ("the Law on Migration and Foreigners (Law No. 21.325), published", "law", "21.325"),
        ("Ley No. 21.325, Ley de migración y extranjería", "law", "21.325"),
        ("la Ley N° 21.325 establece", "law", "21.325"),
        ("la Ley Nº 21.325 establece", "law", "21.325"),
        ("Decreto con Fuerza de Ley No. 1, Fija el texto", "decree_with_force_of_law", "1"),
        ("Title VI of Decree with Force of Law No. 1 (2006), which", "decree_with_force_of_law", "1"),
        ("Decreto Ley No. 1094, Establece normas", "decree_law", "1094"),
        ("as amended by DFL 1 in", "decree_with_force_of_law", "1"),
        ("Decreto Supremo No. 296 regula", "decree", "296"),
        ("Decreto No. 84, Promulga la Convención", "decree", "84"),
        ("Resolución Exenta No. 70.419, Regula funcionamiento", "resolution", "70.419"),
        ("Ordenanza Municipal No. 113 sobre arrendamientos", "ordinance", "113"),
        ("Instructivo Presidencial No. 9, Imparte instrucciones", "presidential_instruction", "9"),
        ("Presidential Instruction No. 5 sets", "presidential_instruction", "5"),
        ("la Loi n° 2018-778 pour une immigration maîtrisée", "law", "2018-778"),
        ("le Décret n° 2020-1234 du", "decree", "2020-1234"),
        ("a Lei n.º 13.445 institui", "law", "13.445"),
        ("o Decreto-Lei n.º 4/2001 regula", "decree_law", "4/2001"),
    ],
)
def test_instruments_and_numbers_as_printed(text, instrument, number):
    m = one(text)
    assert (m.instrument, m.number) == (instrument, number)
    assert text[m.start : m.end] == m.raw
    assert m.raw.endswith(number)


@pytest.mark.parametrize(
    "text, year",
    [
        ("At the national level, Law No. 20.507 (2011) defines the crimes", 2011),
        ("y deroga Decreto No. 155 de 1977, que aprobó", 1977),
        ("Modifying Decree No. 156 of 2002 and Establishing", 2002),
        ("Modifica Decreto No. 156, de 2002, y determina", 2002),
        ("the Law on Migration and Foreigners (Law No. 21.325) (2022) establishes", 2022),
        ("Lei n.º 13.445, de 24 de maio de 2017", 2017),
        ("Law No. 21.325, published in the Diario Oficial on 11 April 2021", None),
        ("Ley No. 20.609 (reforma del 2019), Establece", None),
    ],
)
def test_year_only_when_printed_beside_the_number(text, year):
    assert one(text).year == year


def test_english_and_spanish_names_are_the_same_instrument():
    en, es = one("Law No. 21.325"), one("Ley No. 21.325", "es")
    assert (en.instrument, en.number) == (es.instrument, es.number) == ("law", "21.325")


@pytest.mark.parametrize(
    "text",
    [
        "Article 159 of the Law on Migration and Foreigners establishes the Council.",
        "the new Law on Migration and Foreigners for municipal employees",
        "the Law 2018 reform",  # unmarked bare year
        "a law adopted in 2019 and decree 12",  # lower-case word without a number mark
        "Article 160 of the same Law stipulates",
        "the Solidarity Fund for Housing Choice DS49, a State programme",
    ],
)
def test_not_legal_references(text):
    assert find_legal_references(text, rules_for("en")) == []


def test_several_in_one_sentence_in_order():
    text = "Decreto No. 67, Modifica Decreto No. 110 de 2004, del Ministerio de Salud"
    found = find_legal_references(text, rules_for("es"))
    assert [(m.number, m.year) for m in found] == [("67", None), ("110", 2004)]


def test_spacy_component_spans_and_extensions():
    nlp = make_nlp("en", load_config())
    doc = nlp("Under Article 5 of the Constitutional Law on Municipalities (Law No. 18.695) (2006), the municipalities")
    spans = list(doc.spans[SPAN_KEY])
    assert [(s.text, s._.legal_instrument, s._.legal_number, s._.legal_year) for s in spans] == [
        ("Law No. 18.695", "law", "18.695", 2006)
    ]


def test_spanish_pipeline_uses_spanish_wording():
    nlp = make_nlp("es", load_config())
    doc = nlp("El Instructivo Presidencial Nº 5 y la Resolución Exenta No. 147 de 2021.")
    got = [(s._.legal_instrument, s._.legal_number, s._.legal_year) for s in doc.spans[SPAN_KEY]]
    assert got == [("presidential_instruction", "5", None), ("resolution", "147", 2021)]


@pytest.mark.parametrize(
    "text, lang, instrument, number, year",
    [
        ("conformément au décret ayant force de loi n° 1 (2006), la municipalité", "fr", "decree_with_force_of_law", "1", 2006),
        ("le Décret avec force de loi n° 69 crée", "fr", "decree_with_force_of_law", "69", None),
        ("o Decreto com Força de Lei n.º 1 fixa", "pt", "decree_with_force_of_law", "1", None),
        # a French profile's KEY SOURCES list Spanish instruments: every language's words count
        ("Ley No. 20.507, Tipifica los delitos", "fr", "law", "20.507", None),
        ("Decreto con Fuerza de Ley No. 1, Fija el texto", "fr", "decree_with_force_of_law", "1", None),
        ("Loi n° 2018-778 pour une immigration maîtrisée", "es", "law", "2018-778", 2018),
    ],
)
def test_longest_instrument_name_wins_in_every_language(text, lang, instrument, number, year):
    found = one(text, lang)
    assert (found.instrument, found.number, found.year) == (instrument, number, year)


def test_text_without_digit_has_no_reference_but_digits_still_found() -> None:
    rules = rules_for("en")
    assert find_legal_references("Law No. twelve of the Republic", rules) == []
    found = find_legal_references("under Law No. ١٢ and Decree 45", rules)  # any Unicode digit is a number
    assert [(m.instrument, m.number) for m in found] == [("law", "١٢"), ("decree", "45")]
    assert [m.number for m in find_legal_references("Ley N° ١٢", rules)] == ["١٢"]
