"""Statistic forms of IOM/UN reports beyond the MGI profiles (issue 12):
pipeline.extract.statistic_forms through find_statistics, in every language
the configs know. English sentences are quoted from the real reports of
../shared/real-pdfs (Abridged evaluation p.21, Annex VI p.4) or from issue 12;
the other languages' sentences are written for these tests."""

from __future__ import annotations

import pytest

from pipeline.extract.statistics import find_statistics, rules_for


def stats(text: str, lang: str = "en"):
    return [(m.kind, m.value, m.value_high, m.unit, m.raw) for m in find_statistics(text, rules_for(lang))]


# ---- chart axes ----------------------------------------------------------


@pytest.mark.parametrize("lang, axis", [
    ("en", "0% 10% 20% 30% 40% 50% 60% 70% 80% 90% 100%"),
    ("es", "0 % 20 % 40 % 60 % 80 % 100 %"),
    ("fr", "0 % 25 % 50 % 75 % 100 %"),
    ("pt", "100% 75% 50% 25% 0%"),
])
def test_a_chart_axis_is_not_statistics(lang: str, axis: str) -> None:
    assert stats(f"Sudan 12 32 39 16 1\n{axis}", lang) == []


def test_percentages_that_are_not_evenly_spaced_stay() -> None:
    found = stats("Somalia (80%) Sudan (44%) Ethiopia (57%) Djibouti (60%)")
    assert [f[1] for f in found] == [80, 44, 57, 60]


# ---- ranges with a dash --------------------------------------------------


@pytest.mark.parametrize("lang, text, kind, low, high, unit", [
    ("en", "Groups of 6-8 individuals met.", "count", 6, 8, "individual"),
    ("en", "Respondents aged 18–25 years answered.", "other", 18, 25, "year"),
    ("es", "Grupos de 6-8 personas.", "count", 6, 8, "persona"),
    ("fr", "Âge : 18-25 ans, 26-35 ans, plus de 35 ans", "other", 18, 25, "year"),
    ("pt", "Grupos de 6-8 pessoas.", "count", 6, 8, "pessoa"),
])
def test_a_dash_range_is_one_statistic(lang, text, kind, low, high, unit) -> None:
    first = stats(text, lang)[0]
    assert first[:4] == (kind, low, high, unit)
    assert "-" in first[4] or "–" in first[4]


def test_french_age_ranges_give_one_row_each() -> None:
    assert [(f[1], f[2]) for f in stats("Âge : 18-25 ans, 26-35 ans, plus de 35 ans", "fr")] == \
        [(18, 25), (26, 35), (35, None)]


# ---- counted nouns: coordinated modifiers, acronyms ----------------------


def test_coordinated_modifiers_up_to_the_plural_head() -> None:
    text = ("Under the JI, a total of 36 planning, monitoring, learning, data collection and analysis tools "
            "were set up across the four countries, exceeding the target of 33.")
    found = stats(text)
    assert found[0][:4] == ("count", 36, None, "tool")
    assert found[0][4].endswith("analysis tools")
    assert ("count", 33, None, "country", "33") in found  # elliptical: the nearest earlier count's unit
    assert stats("These projects have supported approximately 76,348 community and returnee beneficiaries.")[0][:4] \
        == ("count", 76348, None, "beneficiary")


@pytest.mark.parametrize("lang, text, value, unit", [
    ("en", "align with the three core MDS objectives of supporting", 3, "objective"),
    ("en", "It covered six IOM missions.", 6, "mission"),
    ("en", "It reached a total of 233 people.", 233, "person"),
    ("es", "Abarcó seis misiones de la OIM.", 6, "misión"),
    ("fr", "Elle a couvert six missions de l'OIM.", 6, "mission"),
    ("pt", "Abrangeu seis missões da OIM.", 6, "missão"),
])
def test_spelled_counts_with_a_noun(lang, text, value, unit) -> None:
    assert stats(text, lang)[0][:4] == ("count", value, None, unit)


# ---- thresholds, elliptical counts, brackets -----------------------------


@pytest.mark.parametrize("lang, text, kind, value, unit", [
    ("en", "households with a total RSI score below 0.5 are vulnerable", "other", 0.5, "score"),
    ("en", "if the total number of beneficiaries is above 100, a sample is drawn", "count", 100, "beneficiary"),
    ("es", "si el número total de beneficiarios es superior a 100, se toma una muestra", "count", 100, "beneficiario"),
    ("fr", "si le nombre total de bénéficiaires (femmes et jeunes) est supérieur à 100, la taille", "count", 100,
     "bénéficiaire"),
    ("pt", "se o número total de beneficiários for superior a 100, a amostra", "count", 100, "beneficiário"),
])
def test_thresholds(lang, text, kind, value, unit) -> None:
    assert stats(text, lang)[0][:4] == (kind, value, None, unit)


@pytest.mark.parametrize("lang, text", [
    ("en", "They trained 36 officers, exceeding the target of 33."),
    ("es", "Formaron a 36 funcionarios, superando la meta de 33."),
    ("fr", "Ils ont formé 36 agents, dépassant la cible de 33."),
    ("pt", "Formaram 36 funcionários, superando a meta de 33."),
])
def test_elliptical_count_takes_the_unit_of_the_sentence(lang, text) -> None:
    found = stats(text, lang)
    assert [f[1] for f in found] == [36, 33]
    assert found[1][0] == "count" and found[1][3] == found[0][3]


@pytest.mark.parametrize("lang, text, values", [
    ("en", "Returnees by country: Ethiopia (10,111), Somalia (3,456); IOM staff (14) answered.", [10111, 3456, 14]),
    ("es", "Retornados: Etiopía (10.111) y Somalia (3.456).", [10111, 3456]),
    ("fr", "Retournés : Éthiopie (10 111) et Somalie (3 456).", [10111, 3456]),
    ("pt", "Retornados: Etiópia (10.111) e Somália (3.456).", [10111, 3456]),
])
def test_counts_in_brackets_after_a_label(lang, text, values) -> None:
    found = stats(text, lang)
    assert [f[1] for f in found] == values and {f[0] for f in found} == {"count"}


@pytest.mark.parametrize("text", [
    "The hub works in three core areas: (1) Capacity Development, (2) Evidence Production, and (3) Knowledge.",
    "as set out in Article 5 (2) of the law",
    "see section (4) below",
])
def test_list_enumerators_in_brackets_are_not_counts(text) -> None:
    assert all(f[1] not in (1, 2, 4) or f[0] != "count" or f[4] != str(int(f[1])) for f in stats(text))


# ---- statistical results --------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es", "fr", "pt"])
def test_statistical_results_and_scientific_notation(lang) -> None:
    found = stats("(R² = 0.0072; p-value = 2.29 × 10⁻²¹; p < 0.05; x 10^3)", lang) if lang == "en" else \
        stats("(R² = 0,0072 ; p = 2,29 × 10⁻²¹ ; p < 0,05)", lang)
    assert [(f[0], f[3]) for f in found] == [("other", "R²"), ("other", "p-value"), ("other", "p-value")]
    assert [f[1] for f in found] == [0.0072, 2.29e-21, 0.05]
    assert found[1][4].endswith("10⁻²¹")


def test_sample_size_is_a_count() -> None:
    found = stats("Source: Monitoring Survey (n=2,928; 2,591 male, 337 female)")
    assert found[0][:2] == ("count", 2928) and found[0][4] == "n=2,928"


# ---- frequencies -----------------------------------------------------------


@pytest.mark.parametrize("lang, text, value, unit", [
    ("en", "The group met at least once per week.", 1, "per week"),
    ("en", "with a minimum of one in-person meeting per month", 1, "per month"),
    ("en", "Reports are due 3 times a year.", 3, "per year"),
    ("es", "El grupo se reunió al menos una vez por semana.", 1, "per week"),
    ("es", "Se reúnen dos veces al mes.", 2, "per month"),
    ("fr", "Le groupe s'est réuni au moins une fois par semaine.", 1, "per week"),
    ("pt", "O grupo reuniu-se pelo menos uma vez por semana.", 1, "per week"),
])
def test_frequencies(lang, text, value, unit) -> None:
    assert stats(text, lang)[0][:4] == ("other", value, None, unit)


# ---- still not statistics -----------------------------------------------


@pytest.mark.parametrize("lang, text", [
    ("en", "Does the project respond to the needs of the two countries?"),
    ("fr", "Le projet est-il aligné avec les priorités nationales des deux pays objectifs du projet ?"),
    ("es", "¿Responde el proyecto a las necesidades de los dos países?"),
    ("pt", "O projeto responde às necessidades dos dois países?"),
    ("en", "See section 4.2 on page 12, note 7 and question 3 of the 2022 survey."),
    ("en", 'the report "Ten lessons from 25 evaluations" (2023)'),
])
def test_questions_references_and_titles_are_not_statistics(lang, text) -> None:
    assert stats(text, lang) == []


def test_masked_ranges_equal_every_pattern_run_over_the_text() -> None:
    """The character prefilters of the mask patterns change no span."""
    from pipeline.extract import statistic_forms as forms

    texts = ["no specials here 12", "call +41 22 717 91 11 or see www.iom.int, a@b.org",
             "C/106/40 and 2019-20-11 and 10-20 and ab/12", 'said "30 people" and “2 more” «3» *4*',
             "1. first\n1.2 Second\n- 3) third", "https://x.org/1/2 12/2020", "no digits at all / - +"]
    for text in texts:
        full = []
        for rx in forms._QUOTE_RES + (forms._ID_CHAIN, forms._PHONE, forms._URL):
            full.extend(m.span() for m in rx.finditer(text))
        for rx in (forms._LIST_MARKER, forms._SECTION_NUMBER):
            full.extend(m.span(1) for m in rx.finditer(text))
        assert forms.masked_ranges(text, [(0, 1)]) == sorted(full + [(0, 1)]), text
    assert forms.masked_ranges("C/106/40", None) == [(0, 8)]
