"""Citations (pipeline/citations.py): every pattern family, negatives, ES/FR/PT
forms. Strings are taken from the Santiago de Chile 2022 Local MGI profile."""

from __future__ import annotations

import pytest

from pipeline.extract.citations import SPAN_KEY, find_citations, rules_for
from pipeline.config import load_config
from pipeline.extract.nlp import make_nlp


def cites(text: str, lang: str = "en"):
    return [(c.style, c.author, c.year, c.suffix) for c in find_citations(text, rules_for(lang))]


# ---------------------------------------------------------------- parenthetical


@pytest.mark.parametrize(
    "text, author, year, suffix",
    [
        ("15.1 per cent of the country's total foreign population (INE, 2021a). Foreigners", "INE", 2021, "a"),
        ("There are currently 346 communes (ATP, 2018).", "ATP", 2018, None),
        ("interregional migrants (Municipality of Santiago de Chile, 2022a).", "Municipality of Santiago de Chile", 2022, "a"),
        ("by the Municipal Council (Government of the Republic of Chile, 2022).", "Government of the Republic of Chile", 2022, None),
        ("taxes and licence fees of various kinds (Puentes UC, n.d.).", "Puentes UC", None, None),
        ("as stated before (see ATP, 2018).", "ATP", 2018, None),
        ("as stated (INE, 2021b: 12).", "INE", 2021, "b"),
    ],
)
def test_parenthetical(text, author, year, suffix):
    assert cites(text) == [("parenthetical", author, year, suffix)]


def test_parenthetical_raw_covers_the_parenthesis():
    (c,) = find_citations("population (INE, 2021a). Foreigners", rules_for("en"))
    assert c.raw == "(INE, 2021a)"


def test_two_sources_in_one_parenthesis_are_two_citations():
    text = "has been centralized (ATP, 2019; INE, 2021b)."
    found = find_citations(text, rules_for("en"))
    assert [(c.author, c.year, c.suffix, c.raw) for c in found] == [
        ("ATP", 2019, None, "ATP, 2019"),
        ("INE", 2021, "b", "INE, 2021b"),
    ]
    assert all(text[c.start : c.end] == c.raw for c in found)


def test_one_author_two_years():
    assert cites("as reported (INE, 2021a, 2021b).") == [
        ("parenthetical", "INE", 2021, "a"),
        ("parenthetical", "INE", 2021, "b"),
    ]


@pytest.mark.parametrize(
    "text, author, year",
    [
        ("received 4,193,973. For more detailed information, see: ATP, 2020.", "ATP", 2020),
        ("See also: ATP, 2018.", "ATP", 2018),
        ("For the rules see INE, 2021.", "INE", 2021),
    ],
)
def test_bracketless_footnote_form_is_parenthetical(text, author, year):
    assert cites(text) == [("parenthetical", author, year, None)]
    (c,) = find_citations(text, rules_for("en"))
    assert c.raw.lower().startswith("see")


def test_footnote_that_is_only_a_source():
    assert cites("ATP, 2020.") == [("parenthetical", "ATP", 2020, None)]


# ---------------------------------------------------------------- narrative


@pytest.mark.parametrize(
    "text, author, year, suffix",
    [
        ("According to a study by the Jesuit Migrant Service (2021), between 2017", "Jesuit Migrant Service", 2021, None),
        ("According to the National Statistics Institute (Instituto Nacional de Estadísticas, INE) (2021a) and what",
         "National Statistics Institute", 2021, "a"),
        ("carried out by the Association of Municipalities of Chile (2018) of more than", "Association of Municipalities of Chile", 2018, None),
        ("as established by the Communal Government Programme (2020), in order", "Communal Government Programme", 2020, None),
        ("Under the Cultural Diversity section of the Santiago Communal Government Programme (2020), a plan",
         "Santiago Communal Government Programme", 2020, None),
        ("which, together with the Ministry of Education's National Policy for Foreign Students 2018–2022 (2018), ensures",
         "Ministry of Education", 2018, None),
        ("Local strategies. The Communal Civil Protection Plan 2017–2020 (2021) of the Emergency",
         "Communal Civil Protection Plan 2017–2020", 2021, None),
        ("In a survey, INE (2021b) found", "INE", 2021, "b"),
    ],
)
def test_narrative_names(text, author, year, suffix):
    assert cites(text) == [("narrative", author, year, suffix)]


def test_narrative_acronym_heading_keeps_full_name_and_title():
    (c,) = find_citations("the National Statistics Institute (Instituto Nacional de Estadísticas, INE) (2021a) and",
                          rules_for("en"))
    assert c.raw == "National Statistics Institute (Instituto Nacional de Estadísticas, INE) (2021a)"
    assert c.title is None  # a name, not a work: the KEY SOURCES look-up uses the whole printed name
    assert c.link.endswith("(Instituto Nacional de Estadísticas, INE)")


@pytest.mark.parametrize(
    "text, title, year",
    [
        ("At the national level, Law No. 20.507 (2011) defines the crimes", "Law No. 20.507", 2011),
        ("governed by Paragraph 3, Title VI of Decree with Force of Law No. 1 (2006), which sets",
         "Decree with Force of Law No. 1", 2006),
        ('document entitled "Registration protocol for access to the health network for migrants" (2015) provides',
         "Registration protocol for access to the health network for migrants", 2015),
        ("entitled “Access to housing and living conditions for the migrant population in Chile” (2020), lack",
         "Access to housing and living conditions for the migrant population in Chile", 2020),
    ],
)
def test_title_year_citations_carry_a_title_and_no_author(text, title, year):
    (c,) = find_citations(text, rules_for("en"))
    assert (c.style, c.author, c.title, c.year) == ("narrative", None, title, year)


def test_named_law_with_number_in_parentheses():
    (c,) = find_citations("Article 159 of the Law on Migration and Foreigners (Law No. 21.325) (2022) establishes",
                          rules_for("en"))
    assert c.author == "Law on Migration and Foreigners"  # "Article 159 of the" is not part of the name
    assert c.title == "Law on Migration and Foreigners"  # the work; its number stays in the look-up name
    assert c.link == "Law on Migration and Foreigners (Law No. 21.325)"
    assert c.year == 2022


def test_three_quoted_titles_in_a_row():
    text = ('For example, the plans "Advice for a safe winter" (2021), "Earthquakes: Preventive measures for a safe '
            'home" (2018) and "Fire prevention: A constant threat" (2018) do not mention')
    found = find_citations(text, rules_for("en"))
    assert [(c.title, c.year) for c in found] == [
        ("Advice for a safe winter", 2021),
        ("Earthquakes: Preventive measures for a safe home", 2018),
        ("Fire prevention: A constant threat", 2018),
    ]


# ---------------------------------------------------------------- ibid


@pytest.mark.parametrize("text", ["no later than April of each year (ibid.).", "Ibid.", "(Ibid.)", "(ibid., p. 4)",
                                  "Ibíd.", "véase ibídem."])
def test_ibid_forms(text):
    lang = "es" if "í" in text else "en"
    assert [c[0] for c in cites(text, lang)] == ["ibid"]


def test_ibid_word_inside_other_words_is_not_ibid():
    assert cites("The Ibidex company reported.") == []


# ---------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "text",
    [
        "Likewise, in 2017 an estimated 12.7 per cent of all migrants",  # bare year
        "according to the census (2017), there were",  # year after a lower-case word
        "the implementation in 2020–2022 of the project",
        "for the implementation (2020–2022) of the project",  # a range
        "funded by the Migration Multi-Partner Trust Fund (MMPTF).",  # acronym definition
        "pursuant to the Law on Migration and Foreigners (Law No. 21.325), published",  # legal reference, no year
        "Migration Governance Framework, 106th Session, C/106/40 (4 November 2015).",  # a date
        "Report to the 109th Session of the IOM Council (November 2018).",
        "as decided (November, 2018).",  # month, not a source
        "Ley No. 20.609 (reforma del 2019), Establece medidas",
        "the Bolivarian Republic of Venezuela (30.7%), Peru (16.3%)",
        "(e.g. passport, identity card from the country of origin, birth certificate)",
    ],
)
def test_not_citations(text):
    assert cites(text) == []


# ---------------------------------------------------------------- other languages


def test_spanish_forms():
    assert cites("Para más información, véase: ATP, 2020.", "es") == [("parenthetical", "ATP", 2020, None)]
    assert cites("según el Instituto Nacional de Estadísticas (2021a), había", "es") == [
        ("narrative", "Instituto Nacional de Estadísticas", 2021, "a")
    ]
    assert cites("los municipios (Puentes UC, s.f.).", "es") == [("parenthetical", "Puentes UC", None, None)]
    assert cites("en el año 2017 había (2017)", "es") == []


def test_french_and_portuguese_forms():
    assert cites("Pour plus d'informations, voir : ATP, 2020.", "fr") == [("parenthetical", "ATP", 2020, None)]
    assert cites("selon l'Institut national de la statistique (2021) et", "fr") == [
        ("narrative", "Institut national de la statistique", 2021, None)
    ]
    assert cites("Para mais informações, ver: ATP, 2020.", "pt") == [("parenthetical", "ATP", 2020, None)]
    assert cites("os migrantes (IBGE, s.d.).", "pt") == [("parenthetical", "IBGE", None, None)]


# ---------------------------------------------------------------- spaCy component


def test_component_spans_and_extensions():
    nlp = make_nlp("en", load_config())
    doc = nlp("Historically, policy has been centralized in Chile (ATP, 2019). According to the Jesuit Migrant "
              "Service (2021), poverty fell (ibid.).")
    got = [(s.text, s._.cite_style, s._.cite_author, s._.cite_year, s._.cite_suffix) for s in doc.spans[SPAN_KEY]]
    assert got == [
        ("(ATP, 2019)", "parenthetical", "ATP", 2019, None),
        ("Jesuit Migrant Service (2021)", "narrative", "Jesuit Migrant Service", 2021, None),
        ("(ibid.)", "ibid", None, None, None),
    ]


# ---------------------------------------------------------------- footnote-only forms


def test_footnote_holding_a_work_and_its_year_has_no_printed_author():
    (c,) = find_citations("Migration Governance Framework infosheet, 2016.", rules_for("en"))
    assert (c.style, c.author, c.title, c.year) == ("parenthetical", None, "Migration Governance Framework infosheet", 2016)


@pytest.mark.parametrize(
    "text, author",
    [
        ("See the National Migration Service's page on estimates of foreigners.", "National Migration Service"),
        ("Municipality of Santiago de Chile, Acciones municipales ante la pandemia COVID-19.",
         "Municipality of Santiago de Chile"),
        ("For further information, visit the website of the Solidarity and Social Investment Fund.",
         "Solidarity and Social Investment Fund"),
        ("This is the last census conducted in Chile.", None),
        ("In 2018, the municipality contributed 99,247,661 Chilean pesos.", None),
        ("For further information, see the relevant web pages of the Ministry of Health and the municipality.", None),
    ],
)
def test_implicit_source_of_a_note(text, author):
    from pipeline.extract.citations import implicit_source

    assert implicit_source(text, rules_for("en")) == author


@pytest.mark.parametrize(
    "text, lang, author",
    [
        # names capitalised on the first word only, after lower-case words of the sentence
        ("Selon une étude du Service jésuite des migrants (2021), entre 2017 et 2020, les migrants", "fr",
         "Service jésuite des migrants"),
        ("D'après l'Institut national de la statistique (2021a), la population a augmenté.", "fr",
         "Institut national de la statistique"),
        ("Según un estudio del Servicio jesuita a migrantes (2021), entre 2017 y 2020", "es",
         "Servicio jesuita a migrantes"),
        ("Segundo um estudo do Instituto brasileiro de geografia (2020), a população", "pt",
         "Instituto brasileiro de geografia"),
    ],
)
def test_narrative_names_in_sentence_case(text, lang, author):
    found = find_citations(text, rules_for(lang))
    assert [(c.style, c.author) for c in found] == [("narrative", author)]
    assert found[0].raw == text[text.index(author):text.index(")") + 1]


@pytest.mark.parametrize(
    "text, lang, title, year",
    [
        ("Selon le décret ayant force de loi n° 1 (2006), la loi", "fr", "décret ayant force de loi n° 1", 2006),
        ("La loi n° 20.507 (2011) définit", "fr", "loi n° 20.507", 2011),
        ("la Ley No. 20.507 (2011) tipifica", "es", "Ley No. 20.507", 2011),
        ("a Lei n.º 13.445 (2017) institui", "pt", "Lei n.º 13.445", 2017),
        ("Law No. 20.507 (2011) categorizes", "en", "Law No. 20.507", 2011),
    ],
)
def test_legal_instrument_with_its_year_is_a_narrative_title_citation(text, lang, title, year):
    (c,) = find_citations(text, rules_for(lang))
    assert (c.style, c.author, c.title, c.year) == ("narrative", None, title, year)
    assert c.raw == f"{title} ({year})"


@pytest.mark.parametrize("text, lang", [
    ("Selon une étude récente (2021), les migrants", "fr"),
    ("Según el informe anual (2020), la población", "es"),
])
def test_lower_case_words_alone_are_no_narrative_name(text, lang):
    assert find_citations(text, rules_for(lang)) == []


def test_lower_case_words_never_stand_before_the_capitalised_name():
    text = "Véase el protocolo de coordinación del Ministerio de Salud (2020)."
    assert cites(text, "es") == [("narrative", "Ministerio de Salud", 2020, None)]


@pytest.mark.parametrize(
    "text, lang, author",
    [
        # lower-case joining words inside a name (configs/citations/<lang>.yaml name_connectors)
        ("De acordo com o Serviço Jesuíta aos Migrantes (2021), entre 2017 e 2020", "pt", "Serviço Jesuíta aos Migrantes"),
        ("o Alto Comissariado das Nações Unidas para os Refugiados (2019) publicou", "pt",
         "Alto Comissariado das Nações Unidas para os Refugiados"),
        ("Según el Servicio Jesuita al Migrante (2021), entre 2017 y 2020", "es", "Servicio Jesuita al Migrante"),
        ("Selon le Haut Commissariat au Plan (2020), la population", "fr", "Haut Commissariat au Plan"),
        ("the Jesuit Service for Migrants and Refugees (2021) found", "en", "Jesuit Service for Migrants and Refugees"),
    ],
)
def test_joining_words_keep_a_name_whole(text, lang, author):
    assert [(c.style, c.author) for c in find_citations(text, rules_for(lang))] == [("narrative", author)]


def test_joining_words_do_not_pull_in_the_sentence_before_the_name():
    assert cites("Segundo o INE (2021a), havia", "pt") == [("narrative", "INE", 2021, "a")]
    assert cites("em colaboração com a Economist Impact (2020)", "pt") == [("narrative", "Economist Impact", 2020, None)]


# --- issue 12: editorial styles of real IOM / UN reports -------------------


@pytest.mark.parametrize("text, want", [
    ("IOM. (2017). Constitution and Basic Texts. Geneva: IOM.", [("narrative", "IOM", 2017, None)]),
    ("UNOCHA. (2002). Guiding principles on internal displacement.", [("narrative", "UNOCHA", 2002, None)]),
    ("Tennant, Vicky. (2011). Review of the UNHCR programme.", [("narrative", "Tennant, Vicky", 2011, None)]),
    ("Valletta Summit on Migration. (2015). Joint Valletta Action Plan (JVAP).",
     [("narrative", "Valletta Summit on Migration", 2015, None)]),
    ("Itad (2023, forthcoming) “Spot Analytical Report #1”", [("narrative", "Itad", 2023, None)]),
    ("the strategic review of its work (IOM 2023g), the 2023 MOPAN assessment", [("parenthetical", "IOM", 2023, "g")]),
    ("Global Strategic Priorities Progress Reports (2014, 2015, 2016)",
     [("narrative", "Global Strategic Priorities Progress Reports", y, None) for y in (2014, 2015, 2016)]),
])
def test_reference_list_and_unpunctuated_forms(text, want):
    got = [(c.style, c.author, c.year, c.suffix) for c in find_citations(text, rules_for("en"))]
    assert got == want


@pytest.mark.parametrize("text", ["as shown in Chile. (2020) it was", "(in 2020)", "(Figure 2020)", "(Tableau 2020)",
                                  "the 2023 MOPAN assessment"])
def test_not_reference_list_citations(text):
    assert find_citations(text, rules_for("fr" if "Tableau" in text else "en")) == []


# --- issue 12: UN editorial footnote style, titles and dates ----------------


def full(text: str, lang: str = "en"):
    return [(c.style, c.author, c.year, c.title, c.date) for c in find_citations(text, rules_for(lang))]


GUIDE = {
    "en": "Guidance on quality management of IOM evaluations",
    "es": "Guía sobre la gestión de la calidad de las evaluaciones de la OIM",
    "fr": "Orientations sur la gestion de la qualité des évaluations de l'OIM",
    "pt": "Orientações sobre a gestão da qualidade das avaliações da OIM",
}


@pytest.mark.parametrize("lang, text, author", [
    ("en", f'IOM Central Evaluation Unit, "{GUIDE["en"]}" (September 2022).', "IOM Central Evaluation Unit"),
    ("es", f'Unidad Central de Evaluación de la OIM, «{GUIDE["es"]}» (septiembre de 2022).',
     "Unidad Central de Evaluación de la OIM"),
    ("fr", f"Unité centrale d'évaluation de l'OIM, « {GUIDE['fr']} » (septembre 2022).",
     "Unité centrale d'évaluation de l'OIM"),
    ("pt", f'Unidade Central de Avaliação da OIM, “{GUIDE["pt"]}” (setembro de 2022).',
     "Unidade Central de Avaliação da OIM"),
])
def test_un_style_author_quoted_title_and_month(lang, text, author):
    (c,) = find_citations(text, rules_for(lang))
    assert (c.style, c.author, c.year, c.suffix, c.title, c.date) == ("narrative", author, 2022, None, GUIDE[lang], "2022-09")
    assert c.raw == text.rstrip(".")  # the author, the title and the date


@pytest.mark.parametrize("lang, text, title", [
    ("en", 'Arild Hauge, "Review of the use and follow-up of evaluations in IOM" (Oslo, 4 February 2025).',
     "Review of the use and follow-up of evaluations in IOM"),
    ("en", 'Arild Hauge, "Review of evaluations" (February 4, 2025).', "Review of evaluations"),
    ("es", "Arild Hauge, «Examen del uso y seguimiento de las evaluaciones» (Oslo, 4 de febrero de 2025).",
     "Examen del uso y seguimiento de las evaluaciones"),
    ("fr", "Arild Hauge, « Examen de l'utilisation et du suivi des évaluations » (Oslo, 4 février 2025).",
     "Examen de l'utilisation et du suivi des évaluations"),
    ("pt", "Arild Hauge, “Revisão do uso e acompanhamento das avaliações” (Oslo, 4 de fevereiro de 2025).",
     "Revisão do uso e acompanhamento das avaliações"),
])
def test_un_style_place_and_day_give_an_iso_date(lang, text, title):
    assert full(text, lang) == [("narrative", "Arild Hauge", 2025, title, "2025-02-04")]


def test_ordinal_day_and_impossible_day():
    assert full("Arild Hauge, « Examen » (1er février 2025).", "fr") == [("narrative", "Arild Hauge", 2025, "Examen", "2025-02-01")]
    assert full('Arild Hauge, "Review" (30 February 2025).') == []  # no such day: no date invented


@pytest.mark.parametrize("lang, text, author, title", [
    ("en", '"Guidance on the use of evaluations in IOM" (2022)', None, "Guidance on the use of evaluations in IOM"),
    ("en", 'See IOM Central Evaluation Unit, "Guidance on the use of evaluations in IOM" (2022).',
     "IOM Central Evaluation Unit", "Guidance on the use of evaluations in IOM"),
    ("es", '"Orientaciones sobre el uso de las evaluaciones" (2022)', None, "Orientaciones sobre el uso de las evaluaciones"),
    ("fr", "« Orientations sur l'utilisation des évaluations » (2022)", None, "Orientations sur l'utilisation des évaluations"),
    ("pt", '"Orientações sobre o uso de avaliações" (2022)', None, "Orientações sobre o uso de avaliações"),
])
def test_quoted_title_with_only_a_year_has_no_date(lang, text, author, title):
    assert full(text, lang) == [("narrative", author, 2022, title, None)]


@pytest.mark.parametrize("lang, text, author, title", [
    ("en", "UNHCR Programme Manual, Chapter 4 (June 2017), p.250.", "UNHCR", "UNHCR Programme Manual"),
    ("en", "See UNHCR Programme Manual, Chapter 4 (June 2017), p.250.", "UNHCR", "UNHCR Programme Manual"),
    ("es", "Manual de Programas del ACNUR, Capítulo 4 (junio de 2017), pág. 250.", "ACNUR", "Manual de Programas del ACNUR"),
    ("fr", "Voir le Manuel des programmes du HCR, Chapitre 4 (juin 2017), p. 250.", "HCR", "Manuel des programmes du HCR"),
    ("pt", "Manual de Programas do ACNUR, Capítulo 4 (junho de 2017), p. 250.", "ACNUR", "Manual de Programas do ACNUR"),
])
def test_work_with_a_part_and_a_month(lang, text, author, title):
    (c,) = find_citations(text, rules_for(lang))
    assert (c.style, c.author, c.year, c.title, c.date) == ("narrative", author, 2017, title, "2017-06")
    assert c.raw.endswith(")") and "250" not in c.raw  # the page is a locator, not part of the citation


@pytest.mark.parametrize("lang, text, author", [
    ("en", "See Samuel Hall / University of Sussex, 2020.", "Samuel Hall / University of Sussex"),
    ("es", "Véase Samuel Hall / Universidad de Sussex, 2020.", "Samuel Hall / Universidad de Sussex"),
    ("fr", "Voir Samuel Hall / Université du Sussex, 2020.", "Samuel Hall / Université du Sussex"),
    ("pt", "Ver Samuel Hall / Universidade de Sussex, 2020.", "Samuel Hall / Universidade de Sussex"),
])
def test_two_authors_joined_by_a_slash(lang, text, author):
    assert full(text, lang) == [("parenthetical", author, 2020, None, None)]


@pytest.mark.parametrize("lang, text, title", [
    ("en", "Global Strategic Priorities Progress Reports (2014, 2015, 2016)", "Global Strategic Priorities Progress Reports"),
    ("es", "Informes de Progreso de las Prioridades Estratégicas Globales (2014, 2015, 2016)",
     "Informes de Progreso de las Prioridades Estratégicas Globales"),
    ("fr", "« Rapports d'avancement sur les priorités stratégiques mondiales » (2014, 2015, 2016)",
     "Rapports d'avancement sur les priorités stratégiques mondiales"),
    ("pt", "Relatórios de Progresso das Prioridades Estratégicas Globais (2014, 2015, 2016)",
     "Relatórios de Progresso das Prioridades Estratégicas Globais"),
])
def test_several_years_of_one_work_are_one_citation_each_with_its_title(lang, text, title):
    got = find_citations(text, rules_for(lang))
    assert [(c.year, c.title, c.date) for c in got] == [(y, title, None) for y in (2014, 2015, 2016)]
    assert {c.raw for c in got} == {text}


@pytest.mark.parametrize("lang, text, title", [
    ("en", "The Communal Government Programme (2020) sets out", "Communal Government Programme"),
    ("en", "the National Policy for Foreign Students 2018–2022 (2018)", "National Policy for Foreign Students 2018–2022"),
    ("es", "El Programa Comunal de Gobierno (2020) establece", "Programa Comunal de Gobierno"),
    ("fr", "Le Programme de gouvernement communal (2020) prévoit", "Programme de gouvernement communal"),
    ("pt", "O Programa Comunal de Governo (2020) estabelece", "Programa Comunal de Governo"),
])
def test_title_year_citations_fill_title(lang, text, title):
    (c,) = find_citations(text, rules_for(lang))
    assert (c.style, c.title, c.date) == ("narrative", title, None)


@pytest.mark.parametrize("lang, text", [
    ("en", "the Jesuit Migrant Service (2021) found"),
    ("en", "(INE, 2021a)"),
    ("en", "Tennant, Vicky. (2011). Review of the UNHCR programme."),
    ("en", "the strategic review of its work (IOM 2023g)"),
    ("es", "según el Servicio Jesuita a Migrantes (2021), la pobreza"),
    ("fr", "selon l'Institut national de la statistique (2021) et"),
    ("pt", "Segundo o INE (2021a), havia"),
])
def test_authors_are_no_titles_and_acronyms_never(lang, text):
    (c,) = find_citations(text, rules_for(lang))
    assert c.title is None and c.date is None


@pytest.mark.parametrize("lang, text", [
    ("en", "Report to the 109th Session of the IOM Council (November 2018)."),  # a date after a body, not a work
    ("en", "the census conducted by the National Statistics Institute (May 2017) found"),
    ("es", "el censo se realizó (mayo de 2017)."),
    ("fr", "le recensement a eu lieu (juin 2017)."),
    ("pt", "o censo foi realizado (junho de 2017)."),
])
def test_a_date_alone_is_no_citation(lang, text):
    assert find_citations(text, rules_for(lang)) == []


def test_component_carries_title_and_date():
    nlp = make_nlp("en", load_config())
    doc = nlp(f'IOM Central Evaluation Unit, "{GUIDE["en"]}" (September 2022).')
    (span,) = doc.spans[SPAN_KEY]
    assert (span._.cite_author, span._.cite_title, span._.cite_date) == ("IOM Central Evaluation Unit", GUIDE["en"], "2022-09")


def test_ibid_repeats_title_and_date_of_the_note_before():
    from types import SimpleNamespace as NS

    from pipeline.extract.ibid import resolve_ibid

    def note(n):
        fn = NS(footnote_id=f"f{n}", section_id="s1", paragraph_id="p1", text="", number=n)
        return NS(footnote=fn, paragraph=None, position=lambda start, n=n: (0, n, 1, n, start))

    def draft(item, style, **kw):
        base = dict(author=None, year=None, suffix=None, title=None, date=None, reference_id=None)
        return NS(item=item, style=style, start=0, end=5, **{**base, **kw})

    n1, n2 = note(1), note(2)
    source = draft(n1, "narrative", author="Arild Hauge", year=2025, title="Review", date="2025-02-04")
    ibid = draft(n2, "ibid")
    resolve_ibid([source, ibid], [n1.footnote, n2.footnote])
    assert (ibid.author, ibid.year, ibid.title, ibid.date) == ("Arild Hauge", 2025, "Review", "2025-02-04")


def test_undated_bracketless_citation_found_without_a_year() -> None:
    rules = rules_for("en")
    assert rules.dated_re.search("no year here") is None
    assert rules.dated_re.search("see Smith, 2019") is not None
    found = find_citations("This was shown before and see Jones, n.d. too.", rules)  # no digit at all
    assert [(c.author, c.year, c.raw) for c in found] == [("Jones", None, "see Jones, n.d.")]
