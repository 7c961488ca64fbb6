"""pipeline.extract.statistics: what counts as a statistic (CONTRACT.md labelling guide).

English sentences are quoted from the Santiago de Chile Local MGI profile
(2022); Spanish, French and Portuguese ones are written for these tests.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as hst

import pipeline.extract.statistics as statistics
from pipeline.extract.statistics import SPAN_KEY, find_statistics, rules_for, statistic_spans

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "santiago-de-chile-local-2022.txt"


def stats(text: str, lang: str = "en"):
    return find_statistics(text, rules_for(lang))


def one(text: str, lang: str = "en"):
    found = stats(text, lang)
    assert len(found) == 1, [m.raw for m in found]
    return found[0]


def values(text: str, lang: str = "en") -> list[float]:
    return [m.value for m in stats(text, lang)]


# --------------------------------------------------------------------------
# negatives: no span at all
# --------------------------------------------------------------------------

NEGATIVES_EN = [
    "This is why, in 2015, the International Organization for Migration developed the MiGOF.",
    "In 2017 the municipality collaborated with Diego Portales University.",
    "as of 31 December 2020 Chile had reported its figures.",
    "The Communal Civil Protection Plan 2017–2020 (2021) of the Emergency Subdirectorate.",
    "the national rate was measured between June and August 2021.",
    "The Chile Crece Contigo programme, which since 2009 has reported to the Office.",
    "Article 159 of the Law on Migration and Foreigners establishes the Council.",
    "See section 2.1 for details.",
    "1.1. Migration governance: Examples of well-developed areas",
    "pursuant to the Law on Migration and Foreigners (Law No. 21.325), published in 2021.",
    "- 2005a Decreto No. 84, Promulga la Convención internacional.",
    "the Solidarity Fund for Housing Choice DS49, a State programme run by the Ministry.",
    "IOM Council, Migration Governance Framework, 106th Session, C/106/40 (4 November 2015).",
    "ISBN 978-92-9268-605-5 (PDF)",
    "Tel.: +41.22.717 91 11 Fax: +41.22.798 61 50 Email: hq@iom.int",
    "Report to the 109th Session of the IOM Council (November 2018).",
    "It is rather the first step of a dynamic exercise; the 1st edition was short.",
    "The office works as a one-stop shop for migrants.",
    "after the COVID-19 pandemic; that being said, the rate rose.",
    'The plans "Advice for a safe winter 3" (2021) and “Guide 25 steps” do not mention women.',
    "- 2019 Plan Estratégico 2019–2023.",
    "- 2018 Política Nacional de Estudiantes Extranjeros 2018–2022 (National Policy).",
    "The incorporation of target 10.7 into the 2030 Agenda created the need.",
    "Chile is among the top 10 destinations.",
    "Santiago was the commune with the greatest number of foreign residents (INE, 2021a).",
    "Guidance on regularization is one of the main objectives.",
    "Enable local authorities to learn from one another.",
    "do not propose a one-size-fits-all solution",
    "Programme, 14 the Urban Improvement and Community Equipment Programme, 15 the Fund",
    "P.O. Box 17 1211 Geneva 19 Switzerland",
    "Paragraph 3, Title VI of Decree with Force of Law No. 1 (2006)",
    "WHOLE-OF-GOVERNMENT APPROACH PAGE 19 Indicators in this category",
    "Press release, 8 March. Not available online.",
    "organizations may sign up between 4 and 30 July 2022.",
    "Issue No. 1 (10 December).",
    "Sustainable Development Goal 10 and the 1951 Convention and its 1967 Protocol",
    "Security Council Resolution 2178 (2014) and Agenda 2063",
    "ISO 9001 certification, Decree 1/2019 and a 24/7 hotline in the 1990s",
    "GCM Objective 23 calls; Article 3(1) says; pp. 23–25; at 10:00 hours",
    "two thirds of migrants; ten times more",
]


@pytest.mark.parametrize("text", NEGATIVES_EN)
def test_not_a_statistic_en(text: str) -> None:
    assert stats(text) == []


@pytest.mark.parametrize(
    "text,lang",
    [
        ("La Ley No. 21.325 y el Decreto No. 84 regulan la migración desde 2021.", "es"),
        ("Al 31 de diciembre de 2020 se publicó el informe.", "es"),
        ("El «Plan Estratégico 2019–2023» fue aprobado; es uno de los ejes.", "es"),
        ("Es una de las metas del programa; un programa municipal.", "es"),
        ("La loi n° 21.325 du 11 avril 2021 et l'article 5.", "fr"),
        ("C'est un des objectifs; une approche depuis 2009.", "fr"),
        ("A Lei n.º 13.445 de 2017, artigo 5; um dos objetivos.", "pt"),
    ],
)
def test_not_a_statistic_other_languages(text: str, lang: str) -> None:
    assert stats(text, lang) == []


# --------------------------------------------------------------------------
# percents
# --------------------------------------------------------------------------


def test_percent_forms_and_subjects_from_corpus() -> None:
    text = ("Their main countries of origin – the Bolivarian Republic of Venezuela (30.7%), Peru "
            "(16.3%), Haiti (12.5%), Colombia (11.4%) and the Plurinational State of Bolivia (8.5%) – "
            "accounted for just over 79 per cent of all migrants in Chile.")
    found = stats(text)
    assert [(m.raw, m.value, m.unit) for m in found] == [
        ("30.7%", 30.7, "%"), ("16.3%", 16.3, "%"), ("12.5%", 12.5, "%"), ("11.4%", 11.4, "%"),
        ("8.5%", 8.5, "%"), ("79 per cent", 79.0, "%")]
    assert all(m.kind == "percent" for m in found)
    assert found[0].subject == "Bolivarian Republic of Venezuela"
    assert found[1].subject == "Peru"
    assert found[-1].qualifier == "more_than" and found[-1].subject == "migrants"


def test_percent_subject_rules() -> None:
    m = one("Foreigners represented approximately 54 per cent of the entire population of the commune.")
    assert (m.value, m.qualifier, m.subject) == (54.0, "approximately", "Foreigners")
    m = one("exceeding the average, or 15.1 per cent of the country's total foreign population (INE, 2021a).")
    assert m.subject == "country's total foreign population"
    found = stats("there were many inhabitants, of which 51.2 per cent were women and 48.8 per cent were men.")
    assert [(m.value, m.subject) for m in found] == [(51.2, "women"), (48.8, "men")]
    m = one("the national unemployment rate was 8.5 per cent in the period.")
    assert m.subject == "national unemployment rate"
    m = one("Migrant men had an unemployment rate of 6.1 per cent.")
    assert m.subject == "unemployment rate"


def test_percent_other_languages() -> None:
    m = one("Los venezolanos representaban el 30,7 % del total.", "es")
    assert (m.raw, m.value, m.kind, m.subject) == ("30,7 %", 30.7, "percent", "venezolanos")
    m = one("El 51,2 por ciento eran mujeres.", "es")
    assert (m.raw, m.value, m.subject) == ("51,2 por ciento", 51.2, "mujeres")
    m = one("Une part de 15,1 pour cent des migrants.", "fr")
    assert (m.value, m.subject) == (15.1, "migrants")
    m = one("cerca de 12,5 por cento dos migrantes", "pt")
    assert (m.value, m.qualifier, m.subject) == (12.5, "approximately", "migrantes")
    m = one("aproximadamente el 54\u00a0% de la población", "es")
    assert (m.value, m.qualifier) == (54.0, "approximately")
    assert one("un taux de 30,7\u202f% en 2020", "fr").value == 30.7
    assert one("Hubo un 15.1 por ciento.", "es").value == 15.1  # decimal by the group-of-three rule


def test_percent_ranges_are_coordinated() -> None:
    found = stats("between 10 and 20 per cent of households")
    assert [(m.raw, m.kind, m.value) for m in found] == [("10", "percent", 10.0), ("20 per cent", "percent", 20.0)]


# --------------------------------------------------------------------------
# counts
# --------------------------------------------------------------------------


def test_counts_from_corpus() -> None:
    m = one("as of 31 December 2020 Chile had an estimated 1,450,333 foreign habitual residents.")
    assert (m.kind, m.value, m.unit, m.qualifier, m.subject) == (
        "count", 1450333.0, "resident", "approximately", "foreign habitual residents")
    assert m.raw == "1,450,333 foreign habitual residents"
    found = stats("The central Government has 24 ministries, 162 public services, and 16 regions and their "
                  "municipalities. There are currently 346 communes and 345 municipalities in the country (ATP, 2018).")
    assert [(m.value, m.unit) for m in found] == [
        (24, "ministry"), (162, "service"), (16, "region"), (346, "commune"), (345, "municipality")]
    m = one("In 2021, the Office served more than 1,000 people, mostly women.")
    assert (m.value, m.unit, m.qualifier) == (1000.0, "person", "more_than")
    m = one("Santiago was the commune with the greatest number of foreign residents in 2020, exceeding 220,000 people.")
    assert (m.value, m.unit, m.qualifier) == (220000.0, "person", "more_than")
    m = one("a set of almost 100 indicators that help States assess")
    assert (m.value, m.unit, m.qualifier) == (100.0, "indicator", "approximately")
    m = one("a study of more than 278 municipalities in the country")
    assert (m.value, m.unit, m.qualifier) == (278.0, "municipality", "more_than")
    assert one("It is based on 11 questions that were added.").unit == "question"
    assert one("the Mobility Round Table made up of 25 municipalities.").value == 25.0


def test_capitalised_plural_right_after_the_number() -> None:
    m = one("more than 10,000 Venezuelans arrived")
    assert (m.value, m.unit, m.qualifier) == (10000.0, "venezuelan", "more_than")
    m = one("plus de 10 000 Vénézuéliens", "fr")
    assert (m.value, m.unit) == (10000.0, "vénézuélien")
    assert stats("Geneva 19 Switzerland; 17 route des Morillons Street") == []


def test_ratios_with_digits() -> None:
    m = one("4 out of 10 migrants")
    assert (m.raw, m.value, m.unit, m.subject) == ("4 out of 10", 0.4, "ratio", "migrants")


def test_spelled_out_counts() -> None:
    m = one("It currently has three poles providing food and care.")
    assert (m.raw, m.value, m.unit) == ("three poles", 3.0, "pole")
    m = one("The Office trained four officials.")
    assert (m.value, m.unit, m.subject) == (4.0, "official", "officials")
    assert one("Twenty-five municipalities joined.").value == 25.0
    assert one("a hundred people").value == 100.0


def test_staff_of() -> None:
    m = one("The Office has a staff of 13, with multidisciplinary teams providing guidance.")
    assert (m.raw, m.kind, m.value, m.unit, m.subject) == ("staff of 13", "count", 13.0, "staff member", "staff")


def test_scales() -> None:
    m = one("some 1.2 million people live there")
    assert (m.value, m.unit, m.qualifier) == (1.2e6, "person", "approximately")
    m = one("1,2 millones de personas", "es")
    assert (m.value, m.unit) == (1.2e6, "persona")
    assert one("3 billion people").value == 3e9


def test_counts_other_languages() -> None:
    m = one("Chile tenía un estimado de 1.450.333 personas extranjeras residentes habituales.", "es")
    assert (m.value, m.unit, m.qualifier, m.subject) == (
        1450333.0, "persona", "approximately", "personas extranjeras residentes habituales")
    found = stats("Cuenta con tres polos, cuatro funcionarios y veinticinco municipios.", "es")
    assert [(m.value, m.unit) for m in found] == [(3, "polo"), (4, "funcionario"), (25, "municipio")]
    m = one("Más de 1.000 personas fueron atendidas.", "es")
    assert (m.value, m.qualifier) == (1000.0, "more_than")
    assert one("casi 100 indicadores", "es").unit == "indicador"
    m = one("environ 1 450 333 résidents étrangers", "fr")
    assert (m.value, m.unit, m.qualifier) == (1450333.0, "résident", "approximately")
    m = one("au moins 25 municipalités", "fr")
    assert (m.value, m.qualifier) == (25.0, "at_least")
    m = one("pelo menos 1.000 pessoas", "pt")
    assert (m.value, m.unit, m.qualifier) == (1000.0, "pessoa", "at_least")
    assert one("três polos", "pt").value == 3.0
    assert one("quatre fonctionnaires", "fr").unit == "fonctionnaire"


@pytest.mark.parametrize(
    "lang,plural,singular",
    [
        ("en", "people", "person"), ("en", "children", "child"), ("en", "women", "woman"),
        ("en", "men", "man"), ("en", "ministries", "ministry"), ("en", "addresses", "address"),
        ("en", "boxes", "box"), ("en", "churches", "church"), ("en", "residents", "resident"),
        ("en", "staff", "staff"), ("es", "municipalidades", "municipalidad"), ("es", "regiones", "región"),
        ("es", "personas", "persona"), ("es", "indicadores", "indicador"), ("es", "mujeres", "mujer"),
        ("es", "residentes", "residente"), ("es", "países", "país"), ("es", "leyes", "ley"),
        ("fr", "personnes", "personne"), ("fr", "bureaux", "bureau"), ("fr", "hôpitaux", "hôpital"),
        ("pt", "municípios", "município"), ("pt", "regiões", "região"), ("pt", "homens", "homem"),
        ("pt", "mulheres", "mulher"), ("pt", "hospitais", "hospital"),
    ],
)
def test_singularisation(lang: str, plural: str, singular: str) -> None:
    rules = rules_for(lang)
    assert rules.singular(plural) == singular
    assert rules.looks_plural(plural)


def test_singular_words_are_not_plural() -> None:
    rules = rules_for("en")
    for word in ("census", "process", "analysis", "various", "region"):
        assert not rules.looks_plural(word), word


# --------------------------------------------------------------------------
# money
# --------------------------------------------------------------------------


def test_money_with_iso_codes() -> None:
    found = stats("In 2018, the municipality of Santiago de Chile contributed 99,247,661 Chilean pesos to the "
                  "Fund and received 4,193,973. For more detailed information, see: ATP, 2020.")
    assert [(m.raw, m.kind, m.value, m.unit) for m in found] == [
        ("99,247,661 Chilean pesos", "money", 99247661.0, "CLP"), ("4,193,973", "money", 4193973.0, "CLP")]
    m = one("The project received USD 5 million in 2021.")
    assert (m.raw, m.value, m.unit) == ("USD 5 million", 5e6, "USD")
    m = one("up to $1,500 per family")
    assert (m.raw, m.value, m.unit, m.qualifier) == ("$1,500", 1500.0, "USD", "up_to")
    assert one("a grant of 20 euros").unit == "EUR"
    assert one("CHF 10,000 was allocated").unit == "CHF"
    assert one("€20 each").unit == "EUR"
    m = one("El municipio aportó 99.247.661 pesos chilenos al Fondo.", "es")
    assert (m.value, m.unit) == (99247661.0, "CLP")
    m = one("2,5 milliards d'euros ont été versés", "fr")
    assert (m.raw, m.value, m.unit) == ("2,5 milliards d'euros", 2.5e9, "EUR")
    m = one("até R$ 5 milhões", "pt")
    assert (m.value, m.unit, m.qualifier) == (5e6, "BRL", "up_to")


def test_currency_without_code_takes_it_from_the_sentence() -> None:
    found = stats("En 2018 aportó 99.247.661 pesos chilenos al Fondo y recibió 4.193.973 pesos (ATP, 2020).", "es")
    assert [(m.raw, m.kind, m.unit) for m in found] == [
        ("99.247.661 pesos chilenos", "money", "CLP"), ("4.193.973 pesos", "money", "CLP")]
    m = one("recibió 500 pesos", "es")
    assert (m.kind, m.value, m.unit) == ("money", 500.0, None)
    assert stats("y recibió fondos (ATP, 2020).[^4]", "es") == []  # a footnote marker is not a number


def test_spanish_qualifiers_and_subjects_with_contractions() -> None:
    m = one("representaban algo más del 79 por ciento del total de migrantes en el país.", "es")
    assert (m.value, m.qualifier) == (79.0, "more_than")
    m = one("La tasa de desocupación de los extranjeros fue del 7,1 por ciento entre junio y agosto de 2021.", "es")
    assert (m.value, m.subject) == (7.1, "tasa de desocupación de los extranjeros")
    m = one("El 81 por ciento de la población migrante vio disminuir sus ingresos.", "es")
    assert m.subject == "población migrante"


def test_bare_numbers_without_money_context_are_dropped() -> None:
    assert stats("The Fund received 4,193,973 in total.") == []


# --------------------------------------------------------------------------
# other: ages, durations, ratios
# --------------------------------------------------------------------------


def test_ages_durations_ratios() -> None:
    m = one("the municipality provides vaccinations at home for people over 80 years of age")
    assert (m.kind, m.value, m.unit, m.qualifier, m.subject) == ("other", 80.0, "year", "more_than", "people")
    m = one("an estimated 12.7 per cent of all migrants were children under 14 years of age.".split("12.7 per cent of all migrants ")[1])
    assert (m.value, m.qualifier, m.subject) == (14.0, "less_than", "children")
    found = stats("The Programme targets women between the ages of 18 and 60, who must present a certificate.")
    assert [(m.kind, m.value, m.unit) for m in found] == [("other", 18.0, "year"), ("other", 60.0, "year")]
    m = one("The plan runs for two years.")
    assert (m.raw, m.kind, m.value, m.unit) == ("two years", "other", 2.0, "year")
    found = stats("an eight- or nine-digit number and a 36-page document")
    assert [(m.raw, m.kind, m.value, m.unit) for m in found] == [
        ("eight-", "count", 8.0, "digit"), ("nine-digit", "count", 9.0, "digit"), ("36-page", "count", 36.0, "page")]
    m = one("a 10-year-old girl")
    assert (m.kind, m.value, m.unit) == ("other", 10.0, "year")
    m = one("a two-year programme")
    assert (m.raw, m.kind, m.unit) == ("two-year", "other", "year")
    m = one("one in four migrant children lives in poverty")
    assert (m.raw, m.kind, m.value, m.unit, m.subject) == ("one in four", "other", 0.25, "ratio", "migrant children")
    m = one("uno de cada cuatro niños migrantes", "es")
    assert (m.kind, m.value, m.unit) == ("other", 0.25, "ratio")
    m = one("personas mayores de 80 años de edad", "es")
    assert (m.kind, m.value, m.unit, m.qualifier) == ("other", 80.0, "year", "more_than")
    m = one("jusqu'à 12 mois", "fr")
    assert (m.value, m.unit, m.qualifier) == (12.0, "month", "up_to")
    assert one("a rise of 3 percentage points").unit == "percentage point"


# --------------------------------------------------------------------------
# spaCy component
# --------------------------------------------------------------------------


def test_component_in_blank_spanish_pipeline() -> None:
    nlp = spacy.blank("es")
    nlp.add_pipe("mgi_statistics")
    assert "mgi_statistics" in nlp.pipe_names
    doc = nlp("Según el INE (2021a), había 1.450.333 personas extranjeras. El 30,7 % eran venezolanos.")
    spans = statistic_spans(doc)
    assert [s._.stat_value for s in spans] == [1450333.0, 30.7]
    assert [s._.stat_kind for s in spans] == ["count", "percent"]
    assert spans[1]._.stat_raw == "30,7 %"
    assert doc.text[spans[1]._.stat_start:spans[1]._.stat_end] == "30,7 %"
    assert spans[1]._.stat_sentence == "El 30,7 % eran venezolanos."
    assert doc.spans[SPAN_KEY] is not None and statistics.SPAN_KEY == "mgi_statistics"


def test_component_span_extensions_and_sentences_en() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("mgi_statistics")
    text = ("The central Government has 24 ministries (Law No. 18.695). Foreigners represented "
            "approximately 54 per cent of the entire population of the commune.")
    doc = nlp(text)
    spans = statistic_spans(doc)
    assert [(s.text, s._.stat_unit) for s in spans] == [("24 ministries", "ministry"), ("54 per cent", "%")]
    assert spans[0]._.stat_sentence == "The central Government has 24 ministries (Law No. 18.695)."
    assert spans[1]._.stat_qualifier == "approximately" and spans[1]._.stat_subject == "Foreigners"
    record = statistics.span_record(spans[1])
    assert record["char_start"] == text.index("54 per cent") and record["kind"] == "percent"


def test_component_sentences_and_exclude_ranges() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")  # splits after "No."; the component keeps its own boundaries
    nlp.add_pipe("mgi_statistics")
    doc = nlp.make_doc("The Guide to 25 municipalities was issued. Under Law No. 21.325 it lists 30 offices. "
                       "Then 4 regions joined.")
    doc._.mgi_exclude_ranges = [(0, 41)]  # e.g. an italic title from the layout
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    spans = statistic_spans(doc)
    assert [s._.stat_value for s in spans] == [30.0, 4.0]
    assert spans[0]._.stat_sentence == "Under Law No. 21.325 it lists 30 offices."
    assert spans[1]._.stat_sentence == "Then 4 regions joined."


def test_component_in_the_extract_pipeline() -> None:
    nlp_module = pytest.importorskip("pipeline.extract.nlp")
    from pipeline.config import load_config

    nlp = nlp_module.make_nlp("es", load_config())
    assert "mgi_statistics" in nlp.pipe_names
    doc = nlp("Casi 100 indicadores; el 30,7 % de los migrantes.")
    assert [(s._.stat_kind, s._.stat_value) for s in statistic_spans(doc)] == [
        ("count", 100.0), ("percent", 30.7)]


def test_component_config_dir(tmp_path) -> None:
    (tmp_path / "statistics").mkdir()
    (tmp_path / "statistics" / "en.yaml").write_text(
        "number: {decimal: '.', thousands: [',']}\npercent: ['pct']\n", encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("mgi_statistics", config={"config_dir": str(tmp_path)})
    doc = nlp("It rose 5 pct, not 6 per cent.")
    assert [(s.text, s._.stat_kind) for s in statistic_spans(doc)] == [("5 pct", "percent")]


def test_pipe_is_deterministic() -> None:
    nlp = statistics.build_pipeline("en", config=None)
    texts = ["about 80 indicators", "more than 1,000 people", "in 2017"] * 3
    runs = [[[(s._.stat_start, s._.stat_value) for s in statistic_spans(d)] for d in nlp.pipe(texts)]
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0][:3] == [[(6, 80.0)], [(10, 1000.0)], []]


# --------------------------------------------------------------------------
# whole corpus: sanity and throughput
# --------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.exists(), reason=f"corpus text not found at {CORPUS}")
def test_corpus_sanity_and_throughput() -> None:
    paragraphs = [p for p in CORPUS.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    nlp = spacy.blank("en")
    nlp.add_pipe("mgi_statistics")
    start = time.perf_counter()
    docs = list(nlp.pipe(paragraphs))
    elapsed = time.perf_counter() - start
    spans = [s for d in docs for s in statistic_spans(d)]
    rate = len(paragraphs) / elapsed
    print(f"\n{len(paragraphs)} paragraphs, {len(spans)} statistics, {rate:.0f} paragraphs/s")
    assert rate > 50
    assert 60 <= len(spans) <= 120
    kinds = {s._.stat_kind for s in spans}
    assert kinds == {"percent", "count", "money", "other"}
    # no year, COVID-19 or law number slipped through
    assert not [s.text for s in spans if 1900 <= s._.stat_value <= 2100 and s._.stat_kind != "money"]
    assert all(s._.stat_value not in (19.0, 21325.0, 18695.0) for s in spans)


def test_statistical_refinement_is_optional_and_swappable() -> None:
    model = statistics._load_model(rules_for("en").model_names)
    if model is None:
        pytest.skip("no English statistical model installed (optional)")
    m = one("The survey covered 45 local respondents in the capital.")
    assert statistics.refine_subject(m, model) == "local respondents"
    m = one("In 2020, 12 per cent of the migrant workers were women.")
    assert statistics.refine_subject(m, model) == "migrant workers"
    # the component never needs it: with "never" no model is loaded
    nlp = spacy.blank("en")
    component = nlp.add_pipe("mgi_statistics", config={"use_statistical_model": "never"})
    assert component._model is None
    assert statistics._load_model(("no_such_model_xyz",)) is None


GOLD = Path(__file__).resolve().parents[2] / "samples" / "gold" / "santiago-de-chile-local-2022.json"


@pytest.mark.skipif(not (CORPUS.exists() and GOLD.exists()), reason="corpus text or gold file absent")
def test_corpus_against_hand_labelled_gold() -> None:
    """(kind, value) of every gold statistic is found in the profile's full text."""
    import json
    from collections import Counter

    gold = Counter((s["kind"], float(s["value"])) for s in json.loads(GOLD.read_text())["statistics"])
    rules = rules_for("en")
    found = Counter((m.kind, m.value) for p in CORPUS.read_text(encoding="utf-8").split("\n\n")
                    for m in find_statistics(p, rules))
    hits = sum((gold & found).values())
    recall, precision = hits / sum(gold.values()), hits / sum(found.values())
    print(f"\nvs gold (kind, value): recall {recall:.3f}, precision {precision:.3f}")
    assert recall >= 0.95
    assert precision >= 0.9


def test_ages_can_be_switched_off() -> None:
    text = "people over 80 years of age; women between the ages of 18 and 60; for two years"
    assert [m.raw for m in find_statistics(text, rules_for("en"))] == ["80 years of age", "18", "60", "two years"]
    assert [m.raw for m in find_statistics(text, rules_for("en"), include_ages=False)] == ["two years"]


@settings(max_examples=150, deadline=None)
@given(year=hst.integers(min_value=1800, max_value=2100),
       template=hst.sampled_from(["in {y}", "since {y}", "the {y} census", "({y})", "{y}–2022",
                                  "31 December {y}", "(INE, {y}a)", "Plan {y}"]))
def test_years_are_never_statistics(year: int, template: str) -> None:
    assert stats(template.format(y=year)) == []


@settings(max_examples=150, deadline=None)
@given(n=hst.integers(min_value=2, max_value=10**9),
       lang=hst.sampled_from(["en", "es", "fr", "pt"]))
def test_grouped_counts_round_trip(n: int, lang: str) -> None:
    sep = {"en": ",", "es": ".", "pt": ".", "fr": "\u202f"}[lang]
    noun = {"en": "people", "es": "personas", "fr": "personnes", "pt": "pessoas"}[lang]
    number = f"{n:,}".replace(",", sep)
    found = stats(f"Hay {number} {noun} aquí", lang)
    if 1800 <= n <= 2100 and sep not in number:
        assert found == []  # year-like
    else:
        assert [(m.kind, m.value, m.raw) for m in found] == [("count", float(n), f"{number} {noun}")]


@settings(max_examples=100, deadline=None)
@given(text=hst.text(alphabet=hst.characters(codec="utf-8", categories=["L", "N", "P", "Z", "S"]), max_size=200))
def test_arbitrary_text_never_fails_and_offsets_hold(text: str) -> None:
    for m in stats(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.raw
        assert m.kind in ("percent", "count", "money", "other")


def test_unknown_language_falls_back_to_default_wording() -> None:
    nlp = spacy.blank("de")
    nlp.add_pipe("mgi_statistics")
    doc = nlp("about 30.7 per cent")
    assert [s._.stat_value for s in statistic_spans(doc)] == [30.7]
    assert statistic_spans(nlp("")) == []


@pytest.mark.parametrize(
    "text, lang, first_raw, second_raw, unit",
    [
        ("families stay in the hostels for one or two weeks before moving on.", "en", "one or two weeks", "two weeks", "week"),
        ("les familles restent dans les foyers une à deux semaines avant de partir.", "fr", "une à deux semaines",
         "deux semaines", "week"),
        ("las familias permanecen en los albergues una o dos semanas antes de salir.", "es", "una o dos semanas",
         "dos semanas", "week"),
        ("as famílias ficam nos abrigos uma a duas semanas antes de sair.", "pt", "uma a duas semanas",
         "duas semanas", "week"),
    ],
)
def test_duration_range_with_an_article_is_two_other_rows(text, lang, first_raw, second_raw, unit):
    """Gold convention ("one or two weeks"): two ``other`` rows, the first
    reading the unit it borrows; the same in every language."""
    found = stats(text, lang)
    assert [(m.kind, m.value, m.unit, m.raw) for m in found] == [
        ("other", 1.0, unit, first_raw), ("other", 2.0, unit, second_raw)]
    assert all(text[m.start:m.end] == m.raw for m in found)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Une étude a montré que les migrants sont plus touchés.", "fr"),
        ("une à une, les familles sont arrivées à la mairie.", "fr"),
        ("Una de las ciudades con más migrantes del país.", "es"),
        ("um dos municípios com mais migrantes do país.", "pt"),
        ("une demande croissante de la part de migrants", "fr"),
    ],
)
def test_article_alone_is_never_a_number(text, lang):
    assert stats(text, lang) == []
