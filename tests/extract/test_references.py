"""KEY SOURCES parsing (pipeline/references.py)."""

from __future__ import annotations

import pytest

from pipeline.config import load_config
from pipeline.datamodel import Paragraph
from records import paragraph
from pipeline.extract.references import build_rules, heading_acronym, heading_names, parse_entry, parse_references


def rules(lang: str = "en"):
    return build_rules(load_config().wording("references", lang))


def para(n: int, text: str, kind: str = "body", bold: bool = False, page: int = 30) -> Paragraph:
    return paragraph(n, text, kind, bold, page, section=9)


INE = "National Statistics Institute (Instituto Nacional de Estadísticas, INE)"
TYPED = [
    para(1, "Emergency and Civil Protection Subdirectorate", "source_author", True),
    para(2, "2018a Sismos: medidas preventivas para un hogar seguro (Earthquakes: Preventive measures for a safe home).",
         "source_entry"),
    para(3, "2021 Consejos para un invierno seguro (Advice for a safe winter).", "source_entry"),
    para(4, "Government of the Republic of Chile", "source_author", True, page=31),
    para(5, "Ley No. 21.325, Ley de migración y extranjería (Law on Migration and Foreigners).", "source_entry", page=31),
    para(6, INE, "source_author", True, page=31),
    para(7, "2021a Estimación de personas extranjeras residentes habituales en Chile al 31 de diciembre 2020.",
         "source_entry", page=31),
    para(8, "2021b Boletín estadístico: empleo población extranjera, Issue No. 1 (10 December).", "source_entry", page=31),
    para(9, "Puentes UC", "source_author", True, page=31),
    para(10, "n.d. ¿Cómo se financian los municipios en Chile? Centro de Políticas Públicas UC.", "source_entry", page=31),
]


def test_typed_entries_inherit_their_author_heading():
    refs = parse_references(TYPED, "d", rules())
    assert [r.reference_id for r in refs] == [f"d:r{i}" for i in range(1, 7)]
    assert [(r.author, r.year, r.year_suffix) for r in refs] == [
        ("Emergency and Civil Protection Subdirectorate", 2018, "a"),
        ("Emergency and Civil Protection Subdirectorate", 2021, None),
        ("Government of the Republic of Chile", None, None),  # no label: no year, never inherited
        (INE, 2021, "a"),
        (INE, 2021, "b"),
        ("Puentes UC", None, None),  # n.d.
    ]
    assert refs[3].acronym == "INE" and refs[0].acronym is None
    assert refs[2].page == 31 and refs[0].page == 30


def test_title_translation_note_split():
    refs = parse_references(TYPED, "d", rules())
    assert refs[0].title == "Sismos: medidas preventivas para un hogar seguro"
    assert refs[0].translation == "Earthquakes: Preventive measures for a safe home"
    assert refs[2].title == "Ley No. 21.325, Ley de migración y extranjería"
    assert refs[2].translation == "Law on Migration and Foreigners"
    # a date in parentheses is part of the title, not a translation
    assert refs[4].title == "Boletín estadístico: empleo población extranjera, Issue No. 1 (10 December)"
    assert refs[4].translation is None
    assert refs[5].title.startswith("¿Cómo se financian")
    assert refs[0].raw == TYPED[1].text


@pytest.mark.parametrize(
    "text, title, note",
    [
        ("2021 Inclusión sociolaboral de personas migrantes. Not available online.",
         "Inclusión sociolaboral de personas migrantes", "Not available online."),
        # publication details stay in the title; only the availability statement is a note
        ("2022b En el Día de la Mujer : alcaldesa presenta nuevo protocolo. Press release, 8 March. Not available online.",
         "En el Día de la Mujer : alcaldesa presenta nuevo protocolo. Press release, 8 March", "Not available online."),
        # a bracketed medium designation is part of the title (gold convention)
        ("2018 Acuerdo Nacional por la Infancia: un nuevo trato con los niños y niñas de Chile [slide presentation].",
         "Acuerdo Nacional por la Infancia: un nuevo trato con los niños y niñas de Chile [slide presentation]", None),
        ("2020 Informe de gestión [online]. Not available online.", "Informe de gestión [online]", "Not available online."),
        ("2019 Available data on migration in Chile. Available from the National Migration Service.",
         "Available data on migration in Chile", "Available from the National Migration Service."),
        ("2020 Programa de Gobierno Comunal (Communal Government Programme). Not available online.",
         "Programa de Gobierno Comunal", "Not available online."),
        ("2017 Making Decentralisation Work in Chile: Towards Stronger Municipalities. OECD Publishing, Paris.",
         "Making Decentralisation Work in Chile: Towards Stronger Municipalities. OECD Publishing, Paris", None),
    ],
)
def test_notes(text, title, note):
    entry = parse_entry(text, rules())
    assert (entry.title, entry.note) == (title, note)


@pytest.mark.parametrize("lang, text, title, translation", [
    ("en", "2019 Sismos (Earthquakes in Chile) [video].", "Sismos [video]", "Earthquakes in Chile"),
    ("es", "2019 Sismos [video].", "Sismos [video]", None),
    ("fr", "2018 Accord national (National agreement) [présentation].", "Accord national [présentation]", "National agreement"),
])
def test_medium_designation_stays_in_the_title(lang, text, title, translation):
    """"[slide presentation]", "[video]": part of the title in every language,
    never a note; a translation before it is still its own column."""
    entry = parse_entry(text, rules(lang))
    assert (entry.title, entry.translation, entry.note) == (title, translation, None)


def test_note_pattern_needs_a_sentence_boundary():
    # "Not available online" inside a title sentence is not a note
    entry = parse_entry("2019 Why data are not available online in Chile", rules())
    assert entry.note is None and entry.title == "Why data are not available online in Chile"


@pytest.mark.parametrize("lang, text, year", [("es", "s.f. Plan de acción.", None), ("fr", "s.d. Plan d'action.", None),
                                              ("es", "2019a Plan de acción.", 2019), ("pt", "s.d. Plano de ação.", None)])
def test_language_year_labels(lang, text, year):
    entry = parse_entry(text, rules(lang))
    assert entry.labelled and entry.year == year and entry.title.startswith("Pl")


def test_spanish_note():
    entry = parse_entry("2021 Informe anual. No disponible en línea.", rules("es"))
    assert (entry.title, entry.note) == ("Informe anual", "No disponible en línea.")


def test_acronyms_and_heading_names():
    assert heading_acronym(INE) == "INE"
    assert heading_acronym("Migration Multi-Partner Trust Fund (MMPTF)") == "MMPTF"
    assert heading_acronym("Puentes UC") is None
    assert heading_acronym("Ministry of Health (Chile)") is None
    assert heading_names(INE) == [INE, "National Statistics Institute", "Instituto Nacional de Estadísticas", "INE"]


def test_body_only_fallback_uses_bold_short_lines():
    body = [
        para(1, "KEY SOURCES", bold=True),
        para(2, "Parliamentary Technical Advisory (Asesoría Técnica Parlamentaria, ATP)", bold=True),
        para(3, "2018 Marco jurídico de las municipalidades : principales disposiciones normativas. Library of the "
                "National Congress of Chile."),
        para(4, "2019 Descentralización en Chile : avances y temas pendientes."),
        para(5, "United Nations Children's Fund (UNICEF)", bold=True),
        para(6, "2020 Estudio exploratorio de caracterización de niños. Final report."),
    ]
    refs = parse_references(body, "d", rules())
    assert [(r.acronym, r.year) for r in refs] == [("ATP", 2018), ("ATP", 2019), ("UNICEF", 2020)]
    assert refs[2].author == "United Nations Children's Fund (UNICEF)"


def test_split_heading_and_continued_entry_are_joined():
    paras = [
        para(1, "Association of Municipalities of Chile (Asociación de Municipalidades de Chile,", "source_author", True),
        para(2, "AMUCH)", "source_author", True),
        para(3, "2018 Estado de situación : qué han hecho los municipios en materia de", "source_entry"),
        para(4, "inmigración, no discriminación e inclusión.", "source_entry"),
    ]
    (ref,) = parse_references(paras, "d", rules())
    assert ref.author == "Association of Municipalities of Chile (Asociación de Municipalidades de Chile, AMUCH)"
    assert ref.acronym == "AMUCH"
    assert ref.title.endswith("no discriminación e inclusión")


def test_deterministic():
    assert parse_references(TYPED, "d", rules()) == parse_references(TYPED, "d", rules())


def test_starred_entries_take_the_legend_as_note():
    """"* Not available online." printed once at the top: starred entries get
    it as note (after a note of their own), lose the "*", and the legend line
    is neither an author nor an entry."""
    paras = [
        para(1, "* Not available online.", "source_entry"),
        para(2, "Municipality of Santiago de Chile", "source_author", True),
        para(3, "2015 Protocolo de inscripción para el acceso de personas migrantes a la red de salud (Registration "
                "protocol for access to the health network for migrants).*", "source_entry"),
        para(4, "2020 Programa de Gobierno Comunal.*", "source_entry"),
        para(5, "2022b En el Día de la Mujer : alcaldesa presenta nuevo protocolo. Press release, 8 March.*", "source_entry"),
        para(6, "2021 Consejos para un invierno seguro (Advice for a safe winter).", "source_entry"),
    ]
    refs = parse_references(paras, "d", rules())
    assert [(r.author, r.year) for r in refs] == [("Municipality of Santiago de Chile", y) for y in (2015, 2020, 2022, 2021)]
    assert refs[0].title == "Protocolo de inscripción para el acceso de personas migrantes a la red de salud"
    assert refs[0].translation == "Registration protocol for access to the health network for migrants"
    assert refs[0].note == "Not available online."
    assert (refs[1].title, refs[1].note) == ("Programa de Gobierno Comunal", "Not available online.")
    assert (refs[2].title, refs[2].note) == ("En el Día de la Mujer : alcaldesa presenta nuevo protocolo. Press release, 8 March",
                                             "Not available online.")
    assert (refs[3].note, refs[3].translation) == (None, "Advice for a safe winter")
    assert not any("*" in (r.title + (r.translation or "")) for r in refs)


@pytest.mark.parametrize("lang", ["es", "fr", "pt"])
def test_legend_marks_configured_in_every_language(lang):
    paras = [para(1, "* Legend text.", "source_entry"), para(2, "Autor", "source_author", True),
             para(3, "2020 Título.*", "source_entry")]
    refs = parse_references(paras, "d", rules(lang))
    assert [(r.title, r.note) for r in refs] == [("Título", "Legend text.")]


def test_a_starred_line_without_starred_entries_is_a_bulleted_entry():
    paras = [para(1, "Autor", "source_author", True), para(2, "* 2020 Título uno.", "source_entry"),
             para(3, "* 2021 Título dos.", "source_entry")]
    refs = parse_references(paras, "d", rules())
    assert [(r.year, r.title, r.note) for r in refs] == [(2020, "Título uno", None), (2021, "Título dos", None)]
