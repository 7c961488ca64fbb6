"""Segment stage: section tree, dimension wording, paragraphs, footnotes."""

from __future__ import annotations

import pytest

from pipeline.config import load_config
from pipeline.extract.references import build_rules, parse_references
from pipeline.segment.stage import NO_DIMENSIONS, Wording, classify, segment
from seglayout import LayoutBuilder

CFG = load_config()
REF_RULES = build_rules(CFG.wording("references", "en"))
WORDING = Wording.load(CFG)

WD = "Migration governance: Examples of well-developed areas"
FD = "Areas with potential for further development"


def tree(seg):
    return [(s.kind, s.dimension, s.heading, s.page_start) for s in seg.sections]


def local_profile() -> LayoutBuilder:
    b = LayoutBuilder()
    b.heading("MIGRATION GOVERNANCE", size=30).heading("INDICATORS", size=30).heading("LOCAL PROFILE 2022", size=30)
    b.body("Municipality of Santiago de Chile (Chile)", size=14)
    b.new_page().body("Required citation: International Organization for Migration (IOM), 2022. Migration Governance "
                      "Indicators Local Profile 2022 – Municipality of Santiago de Chile (Chile). IOM, Geneva.")
    b.body("ISBN 978-92-9268-605-5 (PDF)").body("© IOM 2023")
    b.new_page().heading("CONTENTS").body("OBJECTIVES // 2").body("CONTEXT // 3").body("KEY FINDINGS // 4")
    b.body("ANNEXES // 9")
    b.new_page().folio(2).heading("OBJECTIVES")
    b.body("• Help local authorities take stock of the migration initiatives they have in place.")
    b.body("• Foster dialogue on migration between national governments and local authorities.")
    b.new_page().folio(3).heading("CONTEXT").heading("Migration trends", size=12)
    b.body("According to the National Statistics Institute the number of foreign resi-", markers=((6, 20),))
    b.note(6, "The Department of Aliens and Migration was dissolved and")
    b.new_page().folio(4).body("dents grew by 30 per cent in the commune.", markers=((7, 10),))
    b.note(None, "replaced by the National Migration Service.").note(7, "This is the last census.")
    b.heading("KEY FINDINGS").body("The Local MGIs are composed of approximately 80 indicators.")
    b.heading("MIGRANTS' RIGHTS", size=12).heading("PAGE 17", size=12).body("Indicators in this category look at rights.")
    b.heading("WHOLE-OF-GOVERNMENT APPROACH PAGE 19", size=12).body("Indicators in this category assess frameworks.")
    b.new_page().folio(5).heading("ADHERE TO INTERNATIONAL STANDARDS").heading("AND FULFIL MIGRANTS' RIGHTS")
    b.heading(f"1.1. {WD}", size=12).body("The commune of Santiago implements specific measures.")
    b.heading(f"1.2. {FD}", size=12).body("Migrants usually access the municipal services.")
    b.new_page().folio(6).heading("FORMULATE POLICY USING EVIDENCE AND WHOLE-OF-GOVERNMENT APPROACH")
    b.heading(f"2.1. {WD}", size=12).body("The Migrant Office is the local entity.")
    b.heading("A heading nobody configured", size=12).body("Text under it.")
    return b


def test_local_profile_tree():
    seg = segment(local_profile().build(), CFG)
    assert tree(seg) == [
        ("front_matter", None, "MIGRATION GOVERNANCE INDICATORS LOCAL PROFILE 2022", 1),
        ("contents", None, "CONTENTS", 3),
        ("objectives", None, "OBJECTIVES", 4),
        ("context", None, "CONTEXT", 5),
        ("subsection", None, "Migration trends", 5),
        ("key_findings", None, "KEY FINDINGS", 6),
        ("subsection", None, "MIGRANTS' RIGHTS", 6),
        ("subsection", None, "WHOLE-OF-GOVERNMENT APPROACH", 6),
        ("dimension", 1, "ADHERE TO INTERNATIONAL STANDARDS AND FULFIL MIGRANTS' RIGHTS", 7),
        ("well_developed", 1, f"1.1. {WD}", 7),
        ("further_development", 1, f"1.2. {FD}", 7),
        ("dimension", 2, "FORMULATE POLICY USING EVIDENCE AND WHOLE-OF-GOVERNMENT APPROACH", 8),
        ("well_developed", 2, f"2.1. {WD}", 8),
        ("subsection", 2, "A heading nobody configured", 8),
    ]
    by_id = {s.section_id: s for s in seg.sections}
    sub = seg.sections[4]
    assert by_id[sub.parent_id].kind == "context" and sub.level == 2
    wd = seg.sections[9]
    assert by_id[wd.parent_id].kind == "dimension" and wd.section_id == f"{seg.document.doc_id}:s10"
    # the overview's short dimension names are sub-sections of the key findings, without a dimension
    overview = seg.sections[6]
    assert by_id[overview.parent_id].kind == "key_findings" and overview.text == "Indicators in this category look at rights."
    assert "Indicators in this category look at rights." in seg.sections[5].text
    # a dimension's text covers its parts, headings excluded
    dim1 = seg.sections[8]
    assert "implements specific measures" in dim1.text and "access the municipal services" in dim1.text
    assert "Examples of well-developed" not in dim1.text
    assert seg.document.status == "ok" and seg.document.error is None
    # unknown wording is kept and reported; the missing ANNEXES listed on the contents page too
    assert any("A heading nobody configured" in w for w in seg.warnings)
    # (folio 9 + 2 is past the 8 pages of this file: no impossible PDF page is named)
    assert any("ANNEXES" in w and "page 9, beyond the last page 8" in w for w in seg.warnings)


def test_paragraph_joined_across_page_break_with_markers_and_hyphen():
    seg = segment(local_profile().build(), CFG)
    [para] = [p for p in seg.paragraphs if p.text.startswith("According to the National")]
    assert para.text == ("According to the National Statistics Institute the number of foreign "
                         "residents grew by 30 per cent in the commune.")
    assert (para.page_start, para.page_end) == (5, 6)
    page6 = para.text.index("dents grew")  # the hyphenated word started on page 5
    assert [(b.offset, b.page) for b in para.page_breaks] == [(page6, 6)]
    assert [(m.number, m.offset, m.page) for m in para.markers] == [(6, 20, 5), (7, page6 + 10, 6)]
    assert seg.paragraphs[[p.paragraph_id for p in seg.paragraphs].index(para.paragraph_id)].section_id == seg.sections[4].section_id


def test_list_items_lose_bullets():
    seg = segment(local_profile().build(), CFG)
    items = [p for p in seg.paragraphs if p.kind == "list_item"]
    assert [p.text[:25] for p in items] == ["Help local authorities ta", "Foster dialogue on migrat"]


def test_footnote_continuation_joined_to_previous_page_note():
    seg = segment(local_profile().build(), CFG)
    notes = {f.footnote_id.split(":")[1]: f for f in seg.footnotes}
    assert set(notes) == {"f5-6", "f6-7"}
    assert notes["f5-6"].text == "The Department of Aliens and Migration was dissolved and replaced by the National Migration Service."
    assert notes["f5-6"].paragraph_id is None
    assert notes["f6-7"].section_id == seg.sections[4].section_id  # where its marker stands


def test_unnumbered_note_pages_later_is_no_continuation():
    """Small unnumbered text read as a note four pages after note 33 (a table
    cell, real AAP report p. 65) does not end up inside note 33."""
    b = LayoutBuilder().heading("INTRODUCTION").body("Text with a marker.").note(33, "See the bibliography.")
    for _ in range(4):
        b.new_page().body("More text of the report.")
    b.note(None, "Impact EQ21: How is IOM's impact perceived")
    seg = segment(b.build(), CFG)
    texts = {f.number: f.text for f in seg.footnotes}
    assert texts[33] == "See the bibliography."
    assert texts[None] == "Impact EQ21: How is IOM's impact perceived"


def test_metadata_of_local_profile():
    doc = segment(local_profile().build(), CFG).document
    assert doc.title == "Migration Governance Indicators Local Profile 2022 – Municipality of Santiago de Chile (Chile)"
    assert (doc.profile_level, doc.locality, doc.country) == ("local", "Santiago de Chile", "Chile")
    assert (doc.profile_year, doc.publication_year, doc.isbn) == (2022, 2023, "978-92-9268-605-5")
    assert doc.language == "en" and doc.config_hash == CFG.hash and doc.pipeline_version


def test_deterministic():
    a = segment(local_profile().build(), CFG)
    b = segment(local_profile().build(), CFG)
    assert a.model_dump_json() == b.model_dump_json()


@pytest.mark.parametrize(
    "text, dimension",
    [
        ("ADHERE TO INTERNATIONAL STANDARDS AND FULFIL MIGRANTS’ RIGHTS", 1),
        ("Adherence to international standards and fulfilment of migrants' rights", 1),
        ("migrants rights", 1),
        ("Formulates policy using evidence and whole-of-government approach", 2),
        ("ENGAGE WITH PARTNERS TO ADDRESS MIGRATION AND RELATED ISSUES", 3),
        ("Well-being of migrants", 4),
        ("EFFECTIVELY ADDRESS THE MOBILITY DIMENSIONS OF CRISES", 5),
        ("ENSURE THAT MIGRATION TAKES PLACE IN A SAFE, ORDERLY AND REGULAR MANNER", 6),
        # Spanish, with and without accents
        ("ADHESIÓN A LAS NORMAS INTERNACIONALES Y RESPETO DE LOS DERECHOS DE LOS MIGRANTES", 1),
        ("FORMULACION DE POLITICAS BASADAS EN DATOS Y ENFOQUES DE GOBIERNO INTEGRAL", 2),
        ("COOPERACIÓN CON LOS ASOCIADOS PARA ATENDER LAS CUESTIONES RELATIVAS A LA MIGRACIÓN", 3),
        ("Bienestar de los migrantes", 4),
        ("ABORDAR EFICAZMENTE LOS ASPECTOS RELATIVOS A LA MOVILIDAD EN SITUACIONES DE CRISIS", 5),
        ("Migración segura, ordenada y regular", 6),
        # French
        ("Droits des migrants", 1),
        ("Formuler des politiques fondées sur des données factuelles et adopter une approche mobilisant l’ensemble du gouvernement", 2),
        ("PARTENARIATS", 3),
        ("Bien-être des migrants", 4),
        ("Dimension de mobilité des crises", 5),
        ("Migration sûre, ordonnée et régulière", 6),
        # Portuguese
        ("Direitos dos migrantes", 1),
        ("Abordagem governamental integrada", 2),
        ("Parcerias", 3),
        ("Bem-estar dos migrantes", 4),
        ("Dimensão de mobilidade das crises", 5),
        ("MIGRAÇÃO SEGURA, ORDENADA E REGULAR", 6),
        # a typo and a numbered form
        ("3. Engage with partners to adress migration and related issues", 3),
    ],
)
def test_dimension_wording_all_editions(text, dimension):
    m = classify(text, WORDING)
    assert (m.kind, m.dimension) == ("dimension", dimension)


@pytest.mark.parametrize(
    "text, kind",
    [
        (f"1.1. {WD}", "well_developed"),
        ("4.2. Areas with potential for further development", "further_development"),
        ("2.1. Gobernanza de la migración: Ejemplos de áreas bien desarrolladas", "well_developed"),
        ("2.2. Áreas con potencial de desarrollo", "further_development"),
        ("Exemples de domaines bien développés", "well_developed"),
        ("Domaines présentant un potentiel à développer davantage", "further_development"),
        ("Exemplos de áreas bem desenvolvidas", "well_developed"),
        ("Áreas com potencial de desenvolvimento", "further_development"),
        ("CONTEXTO", "context"),
        ("Key findings", "key_findings"),
        ("FUENTES PRINCIPALES", "key_sources"),
        ("Migration trends", None),
        ("Partnerships with the private sector in labour migration", None),
    ],
)
def test_part_wording(text, kind):
    assert classify(text, WORDING).kind == kind


def spanish_profile(split: bool, boxed: bool) -> LayoutBuilder:
    b = LayoutBuilder()
    b.heading("INDICADORES DE GOBERNANZA DE LA MIGRACIÓN", size=28)
    b.new_page().heading("CONCLUSIONES PRINCIPALES")
    b.body("Los IGM locales se componen de unos 80 indicadores agrupados en seis dimensiones de la gobernanza.")
    b.heading("DERECHOS DE LOS MIGRANTES PÁGINA 17", size=12).body("Los indicadores de esta categoría examinan el acceso.")
    b.new_page()
    b.body("Texto que termina la página anterior de la sección de conclusiones y de los resultados.")
    if boxed:  # heading in a shaded box mid-page: bold text the parse stage took for a caption
        b.block("ADHESIÓN A LAS NORMAS INTERNACIONALES Y RESPETO", role="caption", size=13, bold=True)
        b.block("DE LOS DERECHOS DE LOS MIGRANTES", role="caption", size=13, bold=True)
        b.block("Gráfico 1. Migrantes por país de origen", role="caption", size=8)
    elif split:
        b.heading("ADHESIÓN A LAS NORMAS INTERNACIONALES Y RESPETO").heading("DE LOS DERECHOS DE LOS MIGRANTES")
    else:
        b.heading("ADHESIÓN A LAS NORMAS INTERNACIONALES Y RESPETO DE LOS DERECHOS DE LOS MIGRANTES")
    b.heading("1.1. Gobernanza de la migración: Ejemplos de áreas bien desarrolladas", size=12)
    b.body("El municipio aplica medidas específicas para combatir la discriminación de los migrantes en la ciudad.")
    b.heading("1.2. Áreas con potencial de desarrollo", size=12)
    b.body("Los migrantes suelen acceder a los servicios municipales a través de la oficina del migrante.")
    return b


@pytest.mark.parametrize("split, boxed", [(False, False), (True, False), (False, True)])
def test_spanish_dimension_split_and_boxed(split, boxed):
    seg = segment(spanish_profile(split, boxed).build(), CFG)
    kinds = [(s.kind, s.dimension, s.page_start) for s in seg.sections]
    assert ("dimension", 1, 3) in kinds
    assert kinds.count(("dimension", 1, 3)) == 1
    dim = next(s for s in seg.sections if s.kind == "dimension")
    assert dim.heading == "ADHESIÓN A LAS NORMAS INTERNACIONALES Y RESPETO DE LOS DERECHOS DE LOS MIGRANTES"
    assert [s.kind for s in seg.sections if s.dimension == 1] == ["dimension", "well_developed", "further_development"]
    # the overview entry stays inside the key findings, without a dimension and its page label
    overview = next(s for s in seg.sections if s.heading.startswith("DERECHOS"))
    assert (overview.kind, overview.dimension, overview.heading) == ("subsection", None, "DERECHOS DE LOS MIGRANTES")
    assert seg.document.language == "es" and seg.document.status == "ok"


def test_unnumbered_national_edition_french_and_portuguese():
    for lang_heads in (
        ("Droits des migrants", "Exemples de domaines bien développés", "Domaines présentant un potentiel à développer davantage"),
        ("Direitos dos migrantes", "Exemplos de áreas bem desenvolvidas", "Áreas com potencial de desenvolvimento"),
    ):
        b = LayoutBuilder()
        for k, text in enumerate(lang_heads):
            b.heading(text, size=16 - 2 * k).body("Texte du paragraphe avec des mots et des migrants de la ville.")
        seg = segment(b.build(), CFG)
        assert [(s.kind, s.dimension) for s in seg.sections] == [
            ("dimension", 1), ("well_developed", 1), ("further_development", 1)
        ]


def test_key_sources_authors_and_entries():
    b = LayoutBuilder()
    b.heading("KEY SOURCES")
    b.body("National Statistics Institute (Instituto Nacional de Estadísticas, INE)", bold=True)
    b.body("2021a Estimación de personas extranjeras residentes habituales en Chile al 31 de diciembre 2020. "
           "2021b Boletín estadístico: empleo población extranjera, Issue No. 1.",
           lines=["2021a Estimación de personas extranjeras residentes habituales en Chile al", "31 de diciembre 2020.",
                  "2021b Boletín estadístico: empleo población extranjera, Issue No. 1."],
           line_x0=[72.0, 100.0, 72.0])
    b.body("Puentes UC", bold=True)
    b.body("n.d. ¿Cómo se financian los municipios en Chile? Centro de Políticas Públicas UC.")
    seg = segment(b.build(), CFG)
    assert [(p.kind, p.text[:12]) for p in seg.paragraphs] == [
        ("source_author", "National Sta"),
        ("source_entry", "2021a Estima"),
        ("source_entry", "2021b Boletí"),
        ("source_author", "Puentes UC"),
        ("source_entry", "n.d. ¿Cómo s"),
    ]
    assert seg.paragraphs[1].text.endswith("al 31 de diciembre 2020.")
    assert [s.kind for s in seg.sections] == ["key_sources"]


def _source_paras(seg):
    return [(p.kind, p.text[:14]) for p in seg.paragraphs if p.kind.startswith("source")]


def test_key_sources_entry_without_year_by_the_space_between_entries():
    """A blank year column: the entry starts at the hanging indent, like the
    continuation lines, and is told apart by the space between entries."""
    b = LayoutBuilder()
    b.heading("KEY SOURCES")
    b.body("Ministry of Labour and Social Welfare", bold=True)
    b.body("Ley No. 19.759, Modifica el Código del Trabajo (Law Modifying the Labour Code in Terms of New Modes).",
           lines=["Ley No. 19.759, Modifica el Código del Trabajo (Law Modifying the Labour Code", "in Terms of New Modes)."],
           line_x0=[100.0, 100.0])
    b.body("2002 Código del Trabajo (Labour Code).", line_x0=[72.0])
    b.body("2021 Resolución Exenta No. 147, Instrucciones generales para el programa Becas (Resolution on Grants).",
           lines=["2021 Resolución Exenta No. 147, Instrucciones generales para el programa Becas", "(Resolution on Grants)."],
           line_x0=[72.0, 100.0])
    b.body("Decreto No. 156, Aprueba Plan Nacional de Protección Civil (Decree Approving the Plan).",
           lines=["Decreto No. 156, Aprueba Plan Nacional de Protección Civil (Decree Approving", "the Plan)."],
           line_x0=[100.0, 100.0])
    b.body("Ministry of Social Development", bold=True)
    b.body("Ley No. 20.820, Crea el Ministerio de la Mujer (Law Establishing the Ministry of Women).", line_x0=[100.0])
    b.body("Ley No. 21.288, Crea el Fondo de emergencia transitorio (Law Establishing the Fund).", line_x0=[100.0])
    seg = segment(b.build(), CFG)
    assert _source_paras(seg) == [
        ("source_author", "Ministry of La"),
        ("source_entry", "Ley No. 19.759"),
        ("source_entry", "2002 Código de"),
        ("source_entry", "2021 Resolució"),
        ("source_entry", "Decreto No. 15"),
        ("source_author", "Ministry of So"),
        ("source_entry", "Ley No. 20.820"),
        ("source_entry", "Ley No. 21.288"),
    ]
    refs = parse_references(seg.paragraphs, "doc", REF_RULES)
    assert [(r.author[:11], r.year) for r in refs] == [
        ("Ministry of", None), ("Ministry of", 2002), ("Ministry of", 2021), ("Ministry of", None),
        ("Ministry of", None), ("Ministry of", None)]
    assert refs[3].title.startswith("Decreto No. 156") and refs[3].author.endswith("Welfare")
    assert refs[4].author == "Ministry of Social Development"


def test_key_sources_entry_without_year_back_at_the_first_line_position():
    """No space between entries: a line back at the entries' first-line x
    after indented continuation lines starts an entry of its own."""
    b = LayoutBuilder()
    b.heading("KEY SOURCES")
    b.body("Jesuit Migrant Service (Servicio Jesuita a Migrantes, SJM)", bold=True)
    b.body("x", lines=["2019 Encuesta voces migrantes 2019 (Migrant Voices Survey) and more of the title",
                       "printed on a second line.",
                       "Acceso a la vivienda y condiciones de habitabilidad de la población migrante",
                       "en Chile (Access to housing).",
                       "2021 Estudio Casen y Migración: uno de cada cuatro niños migrantes está debajo",
                       "de la línea de pobreza."],
           line_x0=[72.0, 100.0, 72.0, 100.0, 72.0, 100.0])
    seg = segment(b.build(), CFG)
    assert _source_paras(seg) == [
        ("source_author", "Jesuit Migrant"),
        ("source_entry", "2019 Encuesta "),
        ("source_entry", "Acceso a la vi"),
        ("source_entry", "2021 Estudio C"),
    ]
    refs = parse_references(seg.paragraphs, "doc", REF_RULES)
    assert [r.year for r in refs] == [2019, None, 2021]


def test_key_sources_inline_labels_measured_by_the_space_between_entries():
    """Year labels inline, no hanging indent, more space between entries than
    between lines: a line measured as more of an entry stays in it whatever
    its text: after "Ley No." (a number), after a finished sentence
    ("Library of ..."), and when it starts with a year ("2019 (Migrant
    Voices Survey)."): a year is taken only from the entry's own label."""
    b = LayoutBuilder()
    b.heading("KEY SOURCES")
    b.body("Government of the Republic of Chile", bold=True)
    b.body("x", lines=["2006b Decreto con Fuerza de Ley No. 1, Fija el texto refundido de la Ley No.",
                       "18.695, Orgánica constitucional de municipalidades (Decree with Force of Law No. 1)."])
    b.body("x", lines=["Decreto No. 156, Aprueba Plan Nacional de Protección Civil, y deroga Decreto No.",
                       "155 de 1977 (Decree Approving the National Civil Protection Plan)."])
    b.body("Jesuit Migrant Service (Servicio Jesuita a Migrantes, SJM)", bold=True)
    b.body("x", lines=["2019 Encuesta voces migrantes", "2019 (Migrant Voices Survey)."])
    b.body("x", lines=["2018 Marco jurídico de las municipalidades : principales disposiciones normativas.",
                       "Library of the National Congress of Chile."])
    b.body("x", lines=["Acceso a la vivienda y condiciones de habitabilidad de la población migrante."])
    b.pages[-1]["y"] -= 10.0  # printed tight after a finished entry: its year label still starts it
    b.body("x", lines=["2021 Estudio Casen y Migración: uno de cada cuatro niños migrantes está en pobreza."])
    seg = segment(b.build(), CFG)
    assert _source_paras(seg) == [
        ("source_author", "Government of "),
        ("source_entry", "2006b Decreto "),
        ("source_entry", "Decreto No. 15"),
        ("source_author", "Jesuit Migrant"),
        ("source_entry", "2019 Encuesta "),
        ("source_entry", "2018 Marco jur"),
        ("source_entry", "Acceso a la vi"),
        ("source_entry", "2021 Estudio C"),
    ]
    refs = parse_references(seg.paragraphs, "doc", REF_RULES)
    assert [r.year for r in refs] == [2006, None, 2019, 2018, None, 2021]
    assert refs[0].title.endswith("de la Ley No. 18.695, Orgánica constitucional de municipalidades")
    assert (refs[2].title, refs[2].translation) == ("Encuesta voces migrantes 2019", "Migrant Voices Survey")
    assert refs[3].title.endswith("normativas. Library of the National Congress of Chile")


def _year_column_entry(b, year, lines, column, x):
    """One row of a year-column list: the label at X, the text 44 pt further in."""
    y0 = b.pages[-1]["y"]
    if year:
        b.body(year, column=column, x0=x, line_x1=[x + 30.0])
        b.pages[-1]["y"] = y0
    b.body("x", lines=lines, column=column, line_x0=[x + 44.0] * len(lines))


def test_key_sources_year_less_entry_at_the_top_of_a_column():
    """A year column in two page columns: the year-less entry at the top of
    the second column stands at the continuation lines' x (measured from its
    own column's edge) and follows a finished entry: an entry of its own,
    and the labelled entry after it keeps its year."""
    b = LayoutBuilder()
    b.heading("KEY SOURCES")
    b.body("Emergency and Civil Protection Subdirectorate", bold=True)
    _year_column_entry(b, "2018a", ["Sismos: medidas preventivas para un hogar seguro (Earthquakes:",
                                    "Preventive measures for a safe home)."], 0, 72.0)
    _year_column_entry(b, "2021", ["Consejos para un invierno seguro (Advice for a", "safe winter)."], 0, 72.0)
    b.pages[-1]["y"] = 72.0
    _year_column_entry(b, None, ["Decreto con Fuerza de Ley No. 69, Crea el Departamento",
                                 "de Inmigración (Decree with Force of Law No. 69)."], 1, 320.0)
    _year_column_entry(b, "1990", ["Decreto No. 830, Promulga Convención sobre los Derechos",
                                   "del Niño (Decree Promulgating the Convention)."], 1, 320.0)
    seg = segment(b.build(), CFG)
    refs = parse_references(seg.paragraphs, "doc", REF_RULES)
    assert [(r.year, r.year_suffix, r.title[:20]) for r in refs] == [
        (2018, "a", "Sismos: medidas prev"), (2021, None, "Consejos para un inv"),
        (None, None, "Decreto con Fuerza d"), (1990, None, "Decreto No. 830, Pro")]


def test_key_sources_author_heading_in_its_own_font_without_dated_entries():
    """Author headings in a medium weight the parser does not call bold: the
    ones found by their context give the style; a heading whose entries all
    lack a year is an author too, and a year-less entry at the hanging
    indent before a heading is never read as one."""
    b = LayoutBuilder()
    b.heading("KEY SOURCES")
    heads = ["Ministry of Education", "Ministry of Finance", "Ministry of Health"]
    b.body(heads[0])
    b.body("x", lines=["2009 Ley No. 20.370, Ley general de educación (General Law on", "Education)."],
           line_x0=[72.0, 100.0])
    b.body("x", lines=["2018 Política Nacional de Estudiantes Extranjeros 2018–2022 (National Policy for",
                       "Foreign Students)."], line_x0=[72.0, 100.0])
    b.body("Ley No. 21.325, Ley de migración y extranjería (Law on Migration and Foreigners)", line_x0=[100.0])
    b.body(heads[1])
    b.body("Ley No. 21.225, Establece medidas para apoyar a las familias (Law Establishing Measures).",
           line_x0=[100.0])
    b.body(heads[2])
    b.body("n.d. Plan de Acción Coronavirus COVID-19: material de descarga.", line_x0=[72.0])
    layout = b.build()
    for page in layout.pages:
        for blk in page.blocks:
            fixed = tuple(ln.model_copy(update={"font": "ABCDEF+Nimbus-Medium"}) if ln.text in heads else ln
                          for ln in blk.lines)
            object.__setattr__(blk, "lines", fixed)
    seg = segment(layout, CFG)
    assert _source_paras(seg) == [
        ("source_author", "Ministry of Ed"),
        ("source_entry", "2009 Ley No. 2"),
        ("source_entry", "2018 Política "),
        ("source_entry", "Ley No. 21.325"),
        ("source_author", "Ministry of Fi"),
        ("source_entry", "Ley No. 21.225"),
        ("source_author", "Ministry of He"),
        ("source_entry", "n.d. Plan de A"),
    ]


def test_not_an_mgi_profile_is_partial_but_keeps_headings_and_paragraphs():
    b = LayoutBuilder()
    b.heading("Evaluation of the Accountability to Affected Populations Framework", size=20)
    b.new_page().heading("Executive summary").body("The evaluation assessed the relevance of the framework for the people.")
    b.heading("Methodology").body("Interviews were held with staff in twelve country offices and the regional offices.")
    seg = segment(b.build(), CFG)
    assert seg.document.status == "partial" and seg.document.error == NO_DIMENSIONS
    assert [s.kind for s in seg.sections] == ["front_matter", "subsection", "subsection"]
    assert [s.heading for s in seg.sections[1:]] == ["Executive summary", "Methodology"]
    assert len(seg.paragraphs) == 2 and seg.paragraphs[1].section_id == seg.sections[2].section_id


def test_numbered_plain_heading_and_figure_captions():
    b = LayoutBuilder()
    b.heading("CONTEXT").body("Chile had an estimated 1,450,333 foreign habitual residents in the country.")
    b.block("FIGURE 2. MIGRANTS BY REGION", role="caption", size=8, bold=True)
    b.body("2.3. Local financing mechanisms")  # numbered, same size, not bold
    b.body("Municipalities in Chile have various sources of income.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.heading) for s in seg.sections] == [("context", "CONTEXT"), ("subsection", "2.3. Local financing mechanisms")]
    assert "FIGURE" not in seg.sections[0].text


def test_sentence_end_and_capitalised_next_block_are_not_joined():
    b = LayoutBuilder()
    b.heading("CONTEXT").body("The first paragraph ends here.").new_page().body("The second one starts a page.")
    b.body("When it:").body("Adheres to international standards;")
    seg = segment(b.build(), CFG)
    assert [p.text for p in seg.paragraphs] == [
        "The first paragraph ends here.", "The second one starts a page.", "When it:", "Adheres to international standards;"
    ]


def test_contents_as_a_table_and_a_part_missed_by_typography():
    b = LayoutBuilder()
    b.heading("CONTENTS")
    for label in ("OBJECTIVES", "CONTEXT", "KEY FINDINGS", "ADHERE TO INTERNATIONAL STANDARDS AND FULFIL MIGRANTS' RIGHTS"):
        b.body(label, bold=True)  # label and folio as separate blocks (a table column each)
    for folio in (2, 3, 4, 5):
        b.body(str(folio))
    b.new_page().heading("OBJECTIVES").body("Help local authorities take stock of the migration initiatives.")
    b.new_page().body("CONTEXT").body("Chile had an estimated 1,450,333 foreign habitual residents.")  # plain text
    b.new_page().heading("KEY FINDINGS").body("The Local MGIs are composed of approximately 80 indicators.")
    b.new_page().heading("ADHERE TO INTERNATIONAL STANDARDS AND FULFIL MIGRANTS' RIGHTS")
    b.heading(f"1.1. {WD}", size=12).body("The commune of Santiago implements specific measures.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.page_start) for s in seg.sections] == [
        ("contents", 1), ("objectives", 2), ("context", 3), ("key_findings", 4), ("dimension", 5), ("well_developed", 5)
    ]
    assert not [w for w in seg.warnings if "contents lists" in w]
    assert "CONTEXT" not in seg.sections[2].text and "1,450,333" in seg.sections[2].text


# --------------------------------------------------------------------------
# shipped sample PDFs (parsed for real)
# --------------------------------------------------------------------------

from pathlib import Path  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
REAL_PDFS = Path(__file__).resolve().parents[2].parent / "shared" / "real-pdfs"

D = ("ADHERE TO INTERNATIONAL STANDARDS AND FULFIL MIGRANTS' RIGHTS",
     "FORMULATE POLICY USING EVIDENCE AND WHOLE-OF-GOVERNMENT APPROACH",
     "ENGAGE WITH PARTNERS TO ADDRESS MIGRATION AND RELATED ISSUES",
     "ADVANCE THE SOCIOECONOMIC WELL-BEING OF MIGRANTS AND SOCIETY",
     "EFFECTIVELY ADDRESS THE MOBILITY DIMENSIONS OF CRISES",
     "ENSURE THAT MIGRATION TAKES PLACE IN A SAFE, ORDERLY AND REGULAR MANNER")


EN_OVERVIEW = ("MIGRANTS' RIGHTS", "WHOLE-OF-GOVERNMENT APPROACH", "PARTNERSHIPS", "WELL-BEING OF MIGRANTS",
               "MOBILITY DIMENSION OF CRISES", "SAFE, ORDERLY AND REGULAR MIGRATION")
ES_OVERVIEW = ("DERECHOS DE LOS MIGRANTES", "ENFOQUE DE GOBIERNO INTEGRAL", "ALIANZAS", "BIENESTAR DE LOS MIGRANTES",
               "DIMENSIÓN DE MOVILIDAD DE LAS CRISIS", "MIGRACIÓN SEGURA, ORDENADA Y REGULAR")
D_ES = ("ADHESIÓN A LAS NORMAS INTERNACIONALES Y RESPETO DE LOS DERECHOS DE LOS MIGRANTES",
        "FORMULACIÓN DE POLÍTICAS BASADAS EN DATOS Y ENFOQUES DE GOBIERNO INTEGRAL",
        "COOPERACIÓN CON LOS ASOCIADOS PARA ABORDAR LA MIGRACIÓN Y LAS CUESTIONES CONEXAS",
        "FOMENTO DEL BIENESTAR SOCIOECONÓMICO DE LOS MIGRANTES Y DE LA SOCIEDAD",
        "ABORDAR EFICAZMENTE LOS ASPECTOS RELATIVOS A LA MOVILIDAD EN SITUACIONES DE CRISIS",
        "VELAR POR QUE LA MIGRACIÓN SE EFECTÚE DE MANERA SEGURA, ORDENADA Y REGULAR")
WD_ES = "Gobernanza de la migración: Ejemplos de áreas bien desarrolladas"
FD_ES = "Áreas con potencial de desarrollo"


def _overview_rows(names, page):
    return [("subsection", None, name, page) for name in names]


def _dimension_rows(first_pages: list[tuple[int, int, int]], names=D, wd=WD, fd=FD) -> list[tuple]:
    rows = []
    for d, (p_dim, p_wd, p_fd) in enumerate(first_pages, start=1):
        rows += [("dimension", d, names[d - 1], p_dim), ("well_developed", d, f"{d}.1. {wd}", p_wd),
                 ("further_development", d, f"{d}.2. {fd}", p_fd)]
    return rows


def _santiago_tail(annex_page):
    return [
        ("annex", None, "ANNEXES", annex_page),
        ("subsection", None, "MiGOF: Migration Governance Framework", annex_page),
        ("subsection", None, "The MGI process", annex_page + 1),
    ]


# Hand-checked against the rendered pages of samples/santiago-de-chile-local-2022.pdf
# (contents page: OBJECTIVES 4 ... ANNEXES 31; headings located page by page).
EXPECTED_TREES = {
    "santiago-de-chile-local-2022": [
        ("front_matter", None, "MIGRATION GOVERNANCE INDICATORS LOCAL PROFILE 2022", 1),
        ("contents", None, "CONTENTS", 3),
        ("objectives", None, "OBJECTIVES", 4),
        ("introduction", None, "INTRODUCTION", 5),
        ("subsection", None, "The Migration Governance Indicators", 5),
        ("subsection", None, "Migration Governance Indicators: From national to local", 5),
        ("subsection", None, "Start of work with the municipality of Santiago de Chile", 6),
        ("context", None, "CONTEXT", 7),
        ("subsection", None, "Migration trends", 7),
        ("subsection", None, "Competencies of the municipality", 8),
        ("subsection", None, "Level of decentralization of local authorities", 8),
        ("subsection", None, "The competencies of municipalities in relation to migration", 8),
        ("subsection", None, "Local financing mechanisms and the restrictions on their use", 9),
        ("subsection", None, "Local participation in the formulation of migration policy", 9),
        ("key_findings", None, "KEY FINDINGS", 11),
        *_overview_rows(EN_OVERVIEW, 11),
        *_dimension_rows([(12, 12, 13), (15, 15, 15), (17, 17, 17), (19, 19, 20), (21, 21, 22), (23, 23, 24)]),
        ("covid19", None, "COVID-19 ANALYSIS", 25),
        ("subsection", None, "PREPAREDNESS AND RESPONSE PROTOCOLS ON THE RISKS OF THE NOVEL CORONAVIRUS (COVID-19)", 25),
        ("key_sources", None, "KEY SOURCES", 26),
        *_santiago_tail(31),
        ("subsection", None, "Launch of the Local MGI process", 32),
        ("subsection", None, "Data collection and analysis", 32),
        ("subsection", None, "Multi-stakeholder discussions on the results of the MGIs", 32),
        ("subsection", None, "Report finalization", 32),
    ],
    # the same text set in two columns (pages checked against the page images and the independent gold file)
    "santiago-de-chile-local-2022-2col": [
        ("front_matter", None, "MIGRATION GOVERNANCE INDICATORS LOCAL PROFILE 2022", 1),
        ("contents", None, "CONTENTS", 3),
        ("objectives", None, "OBJECTIVES", 4),
        ("introduction", None, "INTRODUCTION", 5),
        ("subsection", None, "The Migration Governance Indicators", 5),
        ("subsection", None, "Migration Governance Indicators: From national to local", 5),
        ("subsection", None, "Start of work with the municipality of Santiago de Chile", 6),
        ("context", None, "CONTEXT", 7),
        ("subsection", None, "Migration trends", 7),
        ("subsection", None, "Competencies of the municipality", 8),
        ("subsection", None, "Level of decentralization of local authorities", 8),
        ("subsection", None, "The competencies of municipalities in relation to migration", 8),
        ("subsection", None, "Local financing mechanisms and the restrictions on their use", 9),
        ("subsection", None, "Local participation in the formulation of migration policy", 9),
        ("key_findings", None, "KEY FINDINGS", 10),
        *_overview_rows(EN_OVERVIEW, 10),
        *_dimension_rows([(11, 11, 12), (13, 13, 13), (15, 15, 15), (17, 17, 17), (19, 19, 19), (21, 21, 21)]),
        ("covid19", None, "COVID-19 ANALYSIS", 23),
        ("subsection", None, "PREPAREDNESS AND RESPONSE PROTOCOLS ON THE RISKS OF THE NOVEL CORONAVIRUS (COVID-19)", 23),
        ("key_sources", None, "KEY SOURCES", 24),
        *_santiago_tail(27)[:2],
        ("subsection", None, "The MGI process", 27),
        ("subsection", None, "Launch of the Local MGI process", 27),
        ("subsection", None, "Data collection and analysis", 28),
        ("subsection", None, "Multi-stakeholder discussions on the results of the MGIs", 28),
        ("subsection", None, "Report finalization", 28),
    ],
    "chile-national-2019-es": [
        ("front_matter", None, "INDICADORES DE GOBERNANZA DE LA MIGRACIÓN PERFIL NACIONAL 2019", 1),
        ("contents", None, "ÍNDICE", 3),
        ("objectives", None, "OBJETIVOS", 4),
        ("introduction", None, "INTRODUCCIÓN", 4),
        ("subsection", None, "Los Indicadores de Gobernanza de la Migración", 4),
        ("context", None, "CONTEXTO", 5),
        ("subsection", None, "Tendencias migratorias", 5),
        ("subsection", None, "Marco institucional", 5),
        ("key_findings", None, "RESUMEN DE LOS RESULTADOS PRINCIPALES", 6),
        *_overview_rows(ES_OVERVIEW, 6),
        ("key_findings", None, "PRINCIPALES CONCLUSIONES", 6),
        *_dimension_rows([(7, 7, 7), (7, 7, 7), (8, 8, 8), (8, 8, 8), (9, 9, 9), (9, 9, 9)], D_ES, WD_ES, FD_ES),
        ("key_sources", None, "FUENTES PRINCIPALES", 10),
        ("annex", None, "ANEXOS", 11),
        ("subsection", None, "MiGOF: Marco de Gobernanza sobre la Migración", 11),
        ("covid19", None, "PROTOCOLOS DE PREPARACIÓN Y RESPUESTA ANTE LOS RIESGOS DEL NUEVO CORONAVIRUS (COVID-19)", 12),
    ],
}

# A paragraph known from samples/source to run over a page break: (stem, first words, last words, pages).
CROSSING = {
    "santiago-de-chile-local-2022": [
        ("According to data from INE and the National Migration Service", "(CENEM, 2021).", (7, 8)),
        ("The Communal Government Programme also indicates", "representatives of the diaspora.", (15, 16)),
    ],
    "santiago-de-chile-local-2022-2col": [  # from the second column of one page to the first of the next
        ("The municipality has not yet joined any bilateral programmes", "Colina and Peñalolén, who meet monthly.", (15, 16)),
        ("Migrants, particularly migrant women, are not mentioned", "families with children and adolescents.", (19, 20)),
    ],
    "chile-national-2018-en": [  # the page ends inside "(Law No." / "21.325) (2022) for municipal employees"
        ("The municipality has not yet joined any bilateral programmes", "Colina and Peñalolén, who meet monthly.", (17, 18)),
    ],
}

_CACHE: dict[str, object] = {}


def _segmented(pdf: Path):
    if pdf.stem not in _CACHE:
        from pipeline.parse.stage import parse_pdf

        _CACHE[pdf.stem] = segment(parse_pdf(pdf, CFG), CFG)
    return _CACHE[pdf.stem]


def _sample(stem: str) -> Path:
    pdf = SAMPLES / f"{stem}.pdf"
    if not pdf.exists():
        pytest.skip(f"{pdf} not rendered (run `mgi samples render`)")
    return pdf


@pytest.mark.parametrize("stem", sorted(EXPECTED_TREES))
def test_sample_section_tree(stem):
    seg = _segmented(_sample(stem))
    assert tree(seg) == EXPECTED_TREES[stem]
    assert seg.document.status == "ok"
    by_id = {s.section_id: s for s in seg.sections}
    for s in seg.sections:  # dimension inherited by everything under a dimension
        if s.parent_id:
            assert s.dimension == by_id[s.parent_id].dimension or by_id[s.parent_id].kind != "dimension"
    assert not [w for w in seg.warnings if "contents lists" in w]


@pytest.mark.parametrize("stem", sorted(CROSSING))
def test_sample_paragraphs_cross_page_breaks(stem):
    seg = _segmented(_sample(stem))
    for first, last, (p0, p1) in CROSSING[stem]:
        hits = [p for p in seg.paragraphs if p.text.startswith(first)]
        assert len(hits) == 1, first
        para = hits[0]
        assert para.text.endswith(last) and (para.page_start, para.page_end) == (p0, p1)
        assert [b.page for b in para.page_breaks] == [p1]
        assert "  " not in para.text


@pytest.mark.parametrize("stem", sorted(EXPECTED_TREES))
def test_sample_source_paragraphs_come_out_whole(stem):
    """Every paragraph and list item of the structured source is one paragraph row
    (a few may differ by a line-end hyphen the parse stage kept)."""
    import re

    import yaml

    pdf = _sample(stem)
    source = SAMPLES / "source" / f"{stem}.yaml"
    blocks = yaml.safe_load(source.read_text(encoding="utf-8")).get("blocks") or []
    if not blocks:  # a design file pointing at a shared content file
        content = yaml.safe_load(source.read_text(encoding="utf-8")).get("content")
        blocks = yaml.safe_load((source.parent / content).read_text(encoding="utf-8"))["blocks"]
    def key(text):  # line-end hyphens are the parse stage's decision, not the segmenter's
        return re.sub(r"[\s\-]", "", text)

    want = [re.sub(r"\[\^\d+\]|\*", "", b.get("p") or b.get("item")) for b in blocks if b.get("p") or b.get("item")]
    got = {key(p.text) for p in _segmented(pdf).paragraphs}
    missing = [w for w in want if key(w) not in got]
    assert len(want) > 20 and len(missing) <= 1, missing[:3]


def test_list_items_and_the_sentence_after_them_in_one_block():
    b = LayoutBuilder()
    b.heading("ANNEXES").body("When it:")
    text = "(i) Adheres to international standards; (ii) Formulates policy; As it seeks to:"
    b.body(text, lines=["(i) Adheres to international standards;", "(ii) Formulates policy;", "As it seeks to:"],
           line_x0=[76.0, 76.0, 72.0], markers=((3, text.index("; As")),))
    seg = segment(b.build(), CFG)
    assert [(p.kind, p.text) for p in seg.paragraphs] == [
        ("body", "When it:"), ("list_item", "Adheres to international standards;"), ("list_item", "Formulates policy;"),
        ("body", "As it seeks to:"),
    ]
    item = seg.paragraphs[2]
    assert [(m.number, m.offset) for m in item.markers] == [(3, len("Formulates policy"))]
    assert not seg.paragraphs[1].markers and not seg.paragraphs[3].markers


def test_sample_key_sources_and_footnotes():
    seg = _segmented(_sample("santiago-de-chile-local-2022"))
    ks = [p for p in seg.paragraphs if p.kind in ("source_author", "source_entry")]
    authors = [p.text for p in ks if p.kind == "source_author"]
    assert "Association of Municipalities of Chile (Asociación de Municipalidades de Chile, AMUCH)" in authors
    assert len(authors) == 22  # the 22 author groups of samples/source
    entries = [p.text for p in ks if p.kind == "source_entry"]
    assert len(entries) == 59  # every entry of samples/source, one paragraph each
    assert "2018a Sismos: medidas preventivas para un hogar seguro (Earthquakes: Preventive measures for a safe home)." in entries
    assert all(seg.sections[[s.section_id for s in seg.sections].index(p.section_id)].kind == "key_sources" for p in ks)
    notes = {(f.page, f.number) for f in seg.footnotes}
    assert (11, 19) in notes and (25, 1) in notes
    assert len({f.footnote_id for f in seg.footnotes}) == len(seg.footnotes)


@pytest.mark.realpdf
def test_real_iom_report_is_partial_with_subsections_and_paragraphs():
    pdf = REAL_PDFS / "Annex_VI_Case_Study_RDH_East_Horn_Southern_Africa.pdf"
    if not pdf.exists():
        pytest.skip(f"real IOM PDFs not available at {REAL_PDFS}")
    seg = _segmented(pdf)
    assert seg.document.status == "partial" and seg.document.error == NO_DIMENSIONS
    assert seg.document.language == "en"
    assert sum(s.kind == "subsection" for s in seg.sections) >= 3
    assert not any(s.kind == "dimension" for s in seg.sections)
    assert len(seg.paragraphs) >= 20
    assert all(p.section_id for p in seg.paragraphs)


def test_dimensions_without_numbered_parts_are_the_last_occurrences():
    b = LayoutBuilder()
    b.heading("KEY FINDINGS").body("The MGIs are composed of approximately 90 indicators.")
    b.heading("MIGRANTS' RIGHTS", size=12).body("Indicators in this category look at access to services.")
    b.heading("PARTNERSHIPS", size=12).body("Indicators in this category focus on cooperation.")
    b.new_page().heading("Migrants' rights").body("All migrants can access the health services of the city.")
    b.new_page().heading("Partnerships").body("The city works with the United Nations on migration issues.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.dimension, s.page_start) for s in seg.sections] == [
        ("key_findings", None, 1), ("subsection", None, 1), ("subsection", None, 1), ("dimension", 1, 2), ("dimension", 3, 3)
    ]
    assert not [w for w in seg.warnings if "MIGRANTS" in w]  # known wording, not reported as unknown


def test_unrecognised_dimension_heading_named_by_its_numbered_parts():
    b = LayoutBuilder()
    b.heading("KEY FINDINGS").body("The MGIs are composed of approximately 90 indicators.")
    b.new_page().heading("WORK TOGETHER WITH OTHERS ON MOBILITY")
    b.heading(f"3.1. {WD}", size=12).body("The city collaborates with international organizations.")
    b.heading(f"3.2. {FD}", size=12).body("There is no formal cooperation with the private sector yet.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.dimension) for s in seg.sections] == [
        ("key_findings", None), ("dimension", 3), ("well_developed", 3), ("further_development", 3)
    ]
    assert seg.document.status == "ok"


def test_empty_layout_gives_a_partial_document():
    from pipeline.datamodel import Layout, Page

    layout = Layout(doc_id="e-00000000", source_file="e.pdf", sha256="0" * 64, n_pages=1, pages=(Page(number=1, width=595, height=842),))
    seg = segment(layout, CFG)
    assert seg.document.status == "partial" and seg.paragraphs == () and [s.kind for s in seg.sections] == ["front_matter"]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("SOURCES", "key_sources"), ("REFERENCES", "key_sources"), ("BIBLIOGRAPHY", "key_sources"),
        ("KEY SOURCES", "key_sources"), ("FUENTES PRINCIPALES", "key_sources"), ("REFERENCIAS", "key_sources"),
        ("BIBLIOGRAFÍA", "key_sources"), ("PRINCIPALES SOURCES", "key_sources"), ("RÉFÉRENCES", "key_sources"),
        ("BIBLIOGRAPHIE", "key_sources"), ("PRINCIPAIS FONTES", "key_sources"), ("FONTES", "key_sources"),
        ("REFERÊNCIAS", "key_sources"), ("BIBLIOGRAFIA", "key_sources"),
        # one-word wording matches only a near-identical spelling
        ("RESOURCES", None), ("PUENTES", None), ("INTRODUCTON", "introduction"),
    ],
)
def test_bibliography_wording_in_every_language(text, kind):
    assert classify(text, WORDING).kind == kind


def test_sources_part_with_author_headings_in_regular_weight():
    """"SOURCES" ends the COVID-19 part; author headings in capitals or in
    sentence case, not bold, are the lines before a year-labelled entry."""
    b = LayoutBuilder()
    b.heading("COVID-19 ANALYSIS").body("This annex summarizes key local policy responses in Spanish and Haitian Creole.",
                                       size=8.5)
    b.new_page().heading("SOURCES")
    b.body("ASSOCIATION OF MUNICIPALITIES OF CHILE (ASOCIACIÓN DE MUNICIPALIDADES DE CHILE, AMUCH)",
           lines=["ASSOCIATION OF MUNICIPALITIES OF CHILE (ASOCIACIÓN DE MUNICIPALIDADES DE CHILE,", "AMUCH)"], size=8.6)
    b.body("2018 Estado de situación: qué han hecho los municipios en materia de inmigración.", size=8.5)
    b.body("2019 Decreto No. 156, Aprueba Plan Nacional de Protección Civil (Decree Approving the National Civil "
           "Protection Plan).", size=8.5,
           lines=["2019 Decreto No. 156, Aprueba Plan Nacional de Protección Civil (Decree Approving the",
                  "National Civil Protection Plan)."])
    b.body("Jesuit Migrant Service (Servicio Jesuita a Migrantes, SJM)", size=9.5)
    b.body("2021 Estudio Casen y Migración: uno de cada cuatro niños migrantes está debajo de la línea de pobreza.",
           size=8.5)
    b.body("n.d. Plan de Acción Coronavirus COVID-19: material de descarga.", size=8.5)
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.heading, s.parent_id) for s in seg.sections] == [
        ("covid19", "COVID-19 ANALYSIS", None), ("key_sources", "SOURCES", None)]
    assert seg.sections[0].text.endswith("Haitian Creole.")
    ks = [(p.kind, p.text) for p in seg.paragraphs if p.section_id == seg.sections[1].section_id]
    assert ks == [
        ("source_author", "ASSOCIATION OF MUNICIPALITIES OF CHILE (ASOCIACIÓN DE MUNICIPALIDADES DE CHILE, AMUCH)"),
        ("source_entry", "2018 Estado de situación: qué han hecho los municipios en materia de inmigración."),
        ("source_entry", "2019 Decreto No. 156, Aprueba Plan Nacional de Protección Civil (Decree Approving the "
                         "National Civil Protection Plan)."),
        ("source_author", "Jesuit Migrant Service (Servicio Jesuita a Migrantes, SJM)"),
        ("source_entry", "2021 Estudio Casen y Migración: uno de cada cuatro niños migrantes está debajo de la línea "
                         "de pobreza."),
        ("source_entry", "n.d. Plan de Acción Coronavirus COVID-19: material de descarga."),
    ]


def test_paragraph_going_on_after_an_abbreviation_across_a_page():
    """"... (Law No." / next page "21.325) (2022) for ...": one paragraph."""
    b = LayoutBuilder()
    b.heading("CONTEXT").body("Training on the new Law on Migration and Foreigners (Law No.")
    b.new_page().body("21.325) (2022) for municipal employees is an area with potential for further development.")
    b.body("The Round Table meets monthly.").body("It was created in 2019 (see Art.").body("12 of the decree) and has a staff of 13.")
    b.body("A sentence that ends.").body("2019 was a year of change.")
    seg = segment(b.build(), CFG)
    texts = [p.text for p in seg.paragraphs]
    assert texts == [
        "Training on the new Law on Migration and Foreigners (Law No. 21.325) (2022) for municipal employees is an "
        "area with potential for further development.",
        "The Round Table meets monthly.",
        "It was created in 2019 (see Art. 12 of the decree) and has a staff of 13.",
        "A sentence that ends.",
        "2019 was a year of change.",
    ]
    first = seg.paragraphs[0]
    assert (first.page_start, first.page_end) == (1, 2)
    assert [(pb.offset, pb.page) for pb in first.page_breaks] == [(first.text.index("21.325"), 2)]


def test_page_pointers_are_never_headings():
    """KEY FINDINGS overview: a wrapped "PAGE 13" / "PAGE" + "12" belongs to
    the heading before it and is dropped from the heading and the text."""
    b = LayoutBuilder()
    b.heading("PRINCIPALES CONCLUSIONS").body("Les IGM locaux comprennent environ 80 indicateurs :")
    b.heading("PARTENARIATS PAGE 10", size=9.2).body("Les indicateurs de cette catégorie portent sur les efforts.")
    b.heading("ASPECTS DES CRISES LIÉS À LA MOBILITÉ PAGE", size=9.2).body("12", size=7.7)
    b.body("Les indicateurs de cette catégorie examinent le degré de préparation.")
    b.heading("MIGRATION SÛRE, ORDONNÉE ET RÉGULIÈRE", size=9.2).body("PAGE 13", size=7.7)
    b.body("Les indicateurs de cette catégorie portent sur la sécurité des migrants.")
    b.new_page().body("PÁGINA 14", size=7.7).body("Texto de la página siguiente sin título.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.heading) for s in seg.sections] == [
        ("key_findings", "PRINCIPALES CONCLUSIONS"),
        ("subsection", "PARTENARIATS"),
        ("subsection", "ASPECTS DES CRISES LIÉS À LA MOBILITÉ"),
        ("subsection", "MIGRATION SÛRE, ORDONNÉE ET RÉGULIÈRE"),
    ]
    assert all(s.parent_id == seg.sections[0].section_id for s in seg.sections[1:])
    texts = [p.text for p in seg.paragraphs]
    assert "12" not in texts and not any("PAGE" in t or "PÁGINA" in t for t in texts)
    assert seg.sections[2].text == "Les indicateurs de cette catégorie examinent le degré de préparation."


def test_cover_subtitle_in_another_weight_is_front_matter_text():
    """Cover: bold title, a larger regular-weight subtitle ("REPUBLIC OF CHILE"),
    the logo line: the heading is the title only, the text starts with the subtitle."""
    b = LayoutBuilder()
    b.heading("MIGRATION GOVERNANCE INDICATORS PROFILE 2018", size=16)
    b.block("REPUBLIC OF CHILE", role="heading", size=17, bold=False)
    b.new_page().body("The opinions expressed in the report are those of the authors.")
    b.new_page().heading("OBJECTIVES").body("Help local authorities take stock of the migration initiatives.")
    seg = segment(b.build(), CFG)
    front = seg.sections[0]
    assert (front.kind, front.heading) == ("front_matter", "MIGRATION GOVERNANCE INDICATORS PROFILE 2018")
    assert front.text.startswith("REPUBLIC OF CHILE")


def test_sample_sources_with_capital_author_headings():
    """National design: "SOURCES", author headings in regular-weight capitals,
    year labels inline: the same 22 authors and 59 entries as the A4 edition."""
    seg = _segmented(_sample("chile-national-2018-en"))
    ks = next(s for s in seg.sections if s.kind == "key_sources")
    assert (ks.heading, ks.parent_id, ks.page_start) == ("SOURCES", None, 26)
    paras = [p for p in seg.paragraphs if p.section_id == ks.section_id]
    authors = [p.text for p in paras if p.kind == "source_author"]
    assert len(authors) == 22 and len([p for p in paras if p.kind == "source_entry"]) == 59
    assert authors[0] == "ASSOCIATION OF MUNICIPALITIES OF CHILE (ASOCIACIÓN DE MUNICIPALIDADES DE CHILE, AMUCH)"
    covid = next(s for s in seg.sections if s.kind == "covid19")
    assert covid.text.endswith("in Spanish and Haitian Creole.")


# ---------------------------------------------------------------- dimension key words


@pytest.mark.parametrize(
    "text, dimension",
    [
        # the Portuguese national edition's six headings
        ("1. Adesão às normas internacionais e respeito pelos direitos dos migrantes", 1),
        ("2. Formulação de políticas baseadas em dados e abordagem governamental integrada", 2),
        ("3. Cooperação com parceiros para abordar a migração e questões conexas", 3),
        ("4. Promoção do bem-estar socioeconómico dos migrantes e da sociedade", 4),
        ("5. Abordagem eficaz das dimensões de mobilidade das crises", 5),
        ("6. Garantia de que a migração se efetua de forma segura, ordenada e regular", 6),
        # wordings no configured phrase lists: only the key-word sets name them
        ("Promover o bem-estar socioeconômico das pessoas migrantes e das comunidades", 4),
        ("4. Fomentar o bem-estar socioeconômico dos migrantes", 4),
        ("Responder de maneira eficaz às dimensões da mobilidade em situações de crise", 5),
        ("6. Assegurar que a migração se efectue de modo seguro, ordenado e regular, isto é, de forma segura e ordenada e regular", 6),
        ("Colaborar com parceiros em matéria de migração e questões conexas", 3),
        ("Fomentar el bienestar socioeconómico de las personas migrantes y de la sociedad", 4),
        ("Promouvoir le bien-être socioéconomique des personnes migrantes", 4),
        ("ENSURING SAFE, ORDERLY AND DIGNIFIED MIGRATION FOR ALL", 6),
    ],
)
def test_dimension_headings_of_every_edition(text, dimension):
    m = classify(text, WORDING)
    assert (m.kind, m.dimension) == ("dimension", dimension)


@pytest.mark.parametrize(
    "text",
    [
        "4. Mobilidade e crises",  # key words of dimension 5 under the number 4: not taken
        "Direitos dos trabalhadores",  # one key word is not a set
        "4.2. Bem-estar dos migrantes no mercado de trabalho",  # a numbered sub-part, never a dimension by key words
        "Os migrantes e a sociedade de acolhimento em 2021",
    ],
)
def test_dimension_key_words_need_a_whole_set_and_the_right_number(text):
    m = classify(text, WORDING)
    assert not (m.kind == "dimension" and m.keywords)


def test_key_word_match_is_marked_and_ranks_below_phrases():
    kw = classify("Fomentar o bem-estar socioeconômico das pessoas migrantes", WORDING)
    phrase = classify("Promover o bem-estar socioeconômico dos migrantes e da sociedade", WORDING)
    assert kw.keywords and not phrase.keywords and kw.score < phrase.score


def portuguese_national() -> LayoutBuilder:
    """A Portuguese national edition: dot-leader contents, 'Página n de N'
    footers, six summaries then a paragraph of the part, dimension headings
    in wordings the phrases do not list."""
    n = 9
    b = LayoutBuilder()
    b.heading("INDICADORES DE GOVERNANÇA DA MIGRAÇÃO", size=30).heading("PERFIL NACIONAL 2021", size=30)
    b.new_page().heading("ÍNDICE").body("OBJETIVOS . . . . . . . . . . . . . . . . 3")
    b.body("PRINCIPAIS CONCLUSÕES . . . . . . . . . 4").body("PRINCIPAIS FONTES · · · · · · · · · · 8")
    b.body("ANEXOS ________________ 9")
    b.folio(f"Página 2 de {n}")
    b.new_page().folio(f"Página 3 de {n}").heading("OBJETIVOS").body("Ajudar os governos a fazer o balanço.")
    b.new_page().folio(f"Página 4 de {n}").heading("PRINCIPAIS CONCLUSÕES")
    b.body("Os IGM compõem-se de cerca de 90 indicadores:")
    for name, page in (("DIREITOS DOS MIGRANTES", 5), ("PARCERIAS", 5), ("BEM-ESTAR DOS MIGRANTES", 6)):
        b.heading(f"{name} PÁGINA {page}", size=10).body(f"Os indicadores desta categoria examinam {name.lower()}.")
    b.body("As secções seguintes apresentam exemplos de áreas bem desenvolvidas.")
    b.new_page().folio(f"Página 5 de {n}").heading("1. Aderir às normas internacionais e garantir os direitos dos migrantes")
    b.heading("1.1. Governança da migração: exemplos de áreas bem desenvolvidas", size=12).body("Texto um.")
    b.heading("3. Colaborar com parceiros em matéria de migração", size=16)
    b.heading("3.1. Governança da migração: exemplos de áreas bem desenvolvidas", size=12).body("Texto três.")
    b.new_page().folio(f"Página 6 de {n}").heading("4. Fomentar o bem-estar socioeconômico das pessoas migrantes")
    b.heading("4.1. Governança da migração: exemplos de áreas bem desenvolvidas", size=12).body("Texto quatro.")
    b.heading("4.2. Áreas com potencial de desenvolvimento", size=12).body("Texto quatro e meio.")
    b.new_page().folio(f"Página 7 de {n}").heading("5. Responder de maneira eficaz às dimensões da mobilidade em crises")
    b.heading("5.1. Governança da migração: exemplos de áreas bem desenvolvidas", size=12).body("Texto cinco.")
    b.new_page().folio(f"Página 8 de {n}").heading("PRINCIPAIS FONTES").heading("Autor", size=10).body("2021 Obra.")
    b.new_page().folio(f"Página {n} de {n}").heading("ANEXO DOIS").body("Nada.")
    return b


def test_portuguese_national_edition_tree():
    seg = segment(portuguese_national().build(), CFG)
    got = [(k, d, p) for k, d, _, p in tree(seg)]
    assert got == [
        ("front_matter", None, 1), ("contents", None, 2), ("objectives", None, 3), ("key_findings", None, 4),
        ("subsection", None, 4), ("subsection", None, 4), ("subsection", None, 4),
        ("dimension", 1, 5), ("well_developed", 1, 5), ("dimension", 3, 5), ("well_developed", 3, 5),
        ("dimension", 4, 6), ("well_developed", 4, 6), ("further_development", 4, 6),
        ("dimension", 5, 7), ("well_developed", 5, 7), ("key_sources", None, 8),
    ]


def test_paragraph_after_the_last_summary_belongs_to_the_part():
    seg = segment(portuguese_national().build(), CFG)
    kf, *summaries = [s for s in seg.sections if s.page_start == 4]
    assert [s.text for s in summaries] == [f"Os indicadores desta categoria examinam {n}." for n in
                                           ("direitos dos migrantes", "parcerias", "bem-estar dos migrantes")]
    assert kf.text.endswith("As secções seguintes apresentam exemplos de áreas bem desenvolvidas.")
    [last] = [p for p in seg.paragraphs if p.text.startswith("As secções seguintes")]
    assert last.section_id == kf.section_id


def test_contents_leaders_stripped_and_pages_from_page_n_of_n_footers():
    seg = segment(portuguese_national().build(), CFG)
    contents = seg.sections[1]
    assert contents.text.split("\n\n") == ["OBJETIVOS 3", "PRINCIPAIS CONCLUSÕES 4", "PRINCIPAIS FONTES 8", "ANEXOS 9"]
    # 'Página 7 de 9': folio 7 on PDF page 7 (offset 0), not '9' -> offsets 7-9 = -2 ...
    contents_warnings = [w for w in seg.warnings if w.startswith("contents")]
    assert contents_warnings == ["contents lists 'ANEXOS' (page 9, PDF page 9) but no such section was found"]


def test_contents_offset_outside_the_file_is_not_reported():
    b = LayoutBuilder()
    b.heading("CONTENTS").body("OBJECTIVES .......... 50").body("KEY FINDINGS .......... 60").body("ANNEXES .......... 70")
    b.new_page().folio("Page 50 of 90").heading("OBJECTIVES").body("Help governments.")
    b.new_page().folio("Page 51 of 90").heading("ADHERE TO INTERNATIONAL STANDARDS AND FULFIL MIGRANTS' RIGHTS")
    b.heading(f"1.1. {WD}", size=12).body("The commune implements measures.")
    seg = segment(b.build(), CFG)
    # folio 50 on PDF page 2 would put KEY FINDINGS and ANNEXES past the 3 pages: no offset is used
    assert not any("PDF page" in w for w in seg.warnings)
    assert [w for w in seg.warnings if w.startswith("contents")] == [
        "contents lists 'KEY FINDINGS' (page 60) but no such section was found",
        "contents lists 'ANNEXES' (page 70) but no such section was found",
    ]


def test_overview_label_with_page_pointer_never_opens_a_dimension():
    """"SAFE, ORDERLY AND REGULAR MIGRATION PAGE 23" is the last KEY FINDINGS
    summary even when the next named heading is a "1.1." part (the real
    dimension heading in between was not recognised): the pointer wins."""
    b = LayoutBuilder()
    b.heading("KEY FINDINGS").body("The Local MGIs are composed of approximately 80 indicators.")
    b.heading("MIGRANTS' RIGHTS PAGE 12", size=10).body("Indicators in this category look at rights.")
    b.heading("SAFE, ORDERLY AND REGULAR MIGRATION PAGE 23", size=10).body("Indicators in this category look at safety.")
    b.new_page().heading("SOMETHING NOBODY CONFIGURED AT ALL")
    b.heading(f"1.1. {WD}", size=12).body("The commune of Santiago implements specific measures.")
    b.heading(f"1.2. {FD}", size=12).body("Migrants usually access the municipal services.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.dimension, s.heading) for s in seg.sections] == [
        ("key_findings", None, "KEY FINDINGS"),
        ("subsection", None, "MIGRANTS' RIGHTS"),
        ("subsection", None, "SAFE, ORDERLY AND REGULAR MIGRATION"),
        ("dimension", 1, "SOMETHING NOBODY CONFIGURED AT ALL"),
        ("well_developed", 1, f"1.1. {WD}"),
        ("further_development", 1, f"1.2. {FD}"),
    ]


@pytest.mark.parametrize("text, kind, dimension", [
    ("C O N T E X T", "context", None),
    ("K E Y  F I N D I N G S", "key_findings", None),
    ("CONT EXT", "context", None),
    ("I N T R O D U C C I Ó N", "introduction", None),
    ("A D V A N C E T H E S O C I O E C O N O M I C W E L L - B E I N G O F M I G R A N T S A N D S O C I E T Y", "dimension", 4),
    ("R E S O U R C E S", None, None),  # letters of no phrase ("SOURCES" needs nearly the same letters)
    ("T H E M G I P R O C E S S", None, None),
    ("C O N T E X X T", "context", None),  # letter-spaced: nearly the letters is enough
    ("CONTE XXT", None, None),  # only spaces out of place: the letters must be the same
    ("Os Indicadores de Governança da Migração", None, None),  # not the banner "INDICADORES DE GOVERNANÇA ..."
])
def test_letter_spaced_wording_matched_without_spaces(text, kind, dimension):
    m = classify(text, WORDING)
    assert (m.kind, m.dimension) == (kind, dimension)


def test_letter_spaced_parts_and_wrapped_dimension_heading():
    """Part and dimension headings that reach the segmenter letter-spaced (a
    parse miss) still open their sections; a letter-spaced dimension heading
    wrapped over two blocks is joined because the join matches."""
    b = LayoutBuilder()
    b.heading("C O N T E X T", size=20).body("Chile had an estimated 1,450,333 foreign habitual residents.")
    b.new_page().heading("K E Y F I N D I N G S", size=20).body("The Local MGIs are composed of approximately 80 indicators.")
    b.new_page().heading("E F F E C T I V E L Y  A D D R E S S", size=20)
    b.heading("T H E  M O B I L I T Y  D I M E N S I O N S  O F  C R I S E S", size=20)
    b.heading(f"5.1. {WD}", size=12).body("The municipality has an emergency plan.")
    b.heading(f"5.2. {FD}", size=12).body("Local strategies for emergency management are recent.")
    b.new_page().heading("K E Y  S O U R C E S", size=20)
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.dimension) for s in seg.sections] == [
        ("context", None), ("key_findings", None), ("dimension", 5), ("well_developed", 5), ("further_development", 5),
        ("key_sources", None),
    ]
    assert not [w for w in seg.warnings if "unknown heading" in w]


def test_paragraph_flowing_around_a_figure_and_a_pull_quote_is_one_paragraph():
    """Body text, then a figure (caption, chart labels) or a pull quote (role
    ``caption``), then the rest of the sentence (lower case, "–", ","): one
    paragraph; the captions are neither paragraphs nor sections."""
    b = LayoutBuilder()
    b.heading("CONTEXT", size=20).heading("Migration trends", size=10)
    b.body("The five main countries of origin – the Bolivarian Republic of Venezuela (30.7%), Peru (16.3%)")
    b.block("Figure 1. Foreign habitual residents by country of origin, 2020", role="caption", size=8.3)
    b.block("Venezuela (Bolivarian Republic of) 30.7%", role="caption", size=7.5)
    b.block("PERU 16.3%", role="caption", size=7.5, bold=True)
    b.body("and the Plurinational State of Bolivia (8.5%) – accounted for 79 per cent of all foreigners.")
    b.body("Migrants usually access the municipal services through the Migrant Office, which")
    b.block("“The municipality always applies an intersectoral approach.”", role="caption", size=16, bold=True)
    b.body("– like other offices – refers them to the services they need.")
    b.body("The Local Economic Development Directorate runs courses")
    b.block("FIGURE 2. MIGRANTS BY REGION", role="caption", size=9, bold=True)
    b.body(", some of them in Haitian Creole.")
    b.body("The commune offers:").body("– training courses;").body("– legal advice.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.heading) for s in seg.sections] == [("context", "CONTEXT"), ("subsection", "Migration trends")]
    assert [(p.kind, p.text) for p in seg.paragraphs] == [
        ("body", "The five main countries of origin – the Bolivarian Republic of Venezuela (30.7%), Peru (16.3%) and the "
                 "Plurinational State of Bolivia (8.5%) – accounted for 79 per cent of all foreigners."),
        ("body", "Migrants usually access the municipal services through the Migrant Office, which – like other offices – "
                 "refers them to the services they need."),
        ("body", "The Local Economic Development Directorate runs courses, some of them in Haitian Creole."),
        ("body", "The commune offers:"), ("list_item", "training courses;"), ("list_item", "legal advice."),
    ]
    assert not any(w in s.text for s in seg.sections for w in ("Figure 1", "30.7%)\n", "intersectoral", "FIGURE 2"))


def test_long_letter_spaced_dimension_heading_in_body_role_is_a_heading():
    """A letter-spaced dimension heading the parse stage left as body text is
    measured by its letters, not its spaced tokens, and still opens its dimension."""
    spaced = " ".join("FORMULATE POLICY USING EVIDENCE AND WHOLE-OF-GOVERNMENT APPROACH".replace(" ", ""))
    b = LayoutBuilder()
    b.heading("KEY FINDINGS").body("The Local MGIs are composed of approximately 80 indicators.")
    b.new_page().block(spaced, size=14.0)
    b.heading(f"2.1. {WD}", size=12).body("The Migrant Office is the local entity.")
    b.heading(f"2.2. {FD}", size=12).body("Under the Cultural Diversity section there is no plan yet.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.dimension) for s in seg.sections] == [
        ("key_findings", None), ("dimension", 2), ("well_developed", 2), ("further_development", 2)
    ]
    assert seg.sections[1].heading == spaced


def test_heading_line_cut_into_blocks_side_by_side_is_joined_when_its_wording_asks():
    """"EFFECTIVELY ADDRESS" and "THE MOBILITY" printed on one line as two
    blocks, "DIMENSIONS OF CRISES" below: one dimension heading. Two unknown
    headings side by side (two columns) stay apart."""
    b = LayoutBuilder()
    b.heading("KEY FINDINGS").body("The Local MGIs are composed of approximately 80 indicators.")
    b.new_page().heading("EFFECTIVELY ADDRESS", size=14)
    b.pages[-1]["blocks"][-1] = b.pages[-1]["blocks"][-1].model_copy(update={"bbox": (72.0, 72.0, 287.0, 88.8)})
    b.heading("THE MOBILITY", size=14, x0=305.0)
    b.pages[-1]["blocks"][-1] = b.pages[-1]["blocks"][-1].model_copy(update={"bbox": (305.0, 72.0, 447.0, 88.8)})
    b.pages[-1]["y"] = 92.0
    b.heading("DIMENSIONS OF CRISES", size=14)
    b.heading(f"5.1. {WD}", size=12).body("The municipality has an emergency plan.")
    b.heading(f"5.2. {FD}", size=12).body("Local strategies for emergency management are recent.")
    b.new_page().heading("Left column heading", size=12)
    b.pages[-1]["blocks"][-1] = b.pages[-1]["blocks"][-1].model_copy(update={"bbox": (72.0, 72.0, 287.0, 86.4)})
    b.heading("Right column heading", size=12, x0=305.0)
    b.pages[-1]["blocks"][-1] = b.pages[-1]["blocks"][-1].model_copy(update={"bbox": (305.0, 72.0, 520.0, 86.4)})
    b.pages[-1]["y"] = 92.0
    b.body("Text under them.")
    seg = segment(b.build(), CFG)
    assert [(s.kind, s.dimension, s.heading) for s in seg.sections] == [
        ("key_findings", None, "KEY FINDINGS"),
        ("dimension", 5, "EFFECTIVELY ADDRESS THE MOBILITY DIMENSIONS OF CRISES"),
        ("well_developed", 5, f"5.1. {WD}"),
        ("further_development", 5, f"5.2. {FD}"),
        ("subsection", 5, "Left column heading"),
        ("subsection", 5, "Right column heading"),
    ]


# --------------------------------------------------------------------------
# paragraphs across column / page breaks from the document's own measurements
# --------------------------------------------------------------------------

FILLER = ["Migration governance is the set of rules and institutions that", "shape how a State handles migration and",
          "what it offers to migrants who live and work"]


def _justified_doc(last_x1: float, next_x0: float = 72.0, indent: float = 0.0) -> LayoutBuilder:
    """Justified paragraphs (lines to 520) on page 1, the last of them ending a
    sentence at the foot of the page on a line ending at ``last_x1``; page 2
    opens with "Therefore, ..." at ``next_x0``."""
    b = LayoutBuilder()
    b.heading("CONTEXT")
    for k in range(4):
        b.body(" ".join(FILLER) + " well.", lines=[*FILLER, "well."], line_x1=[520.0, 520.0, 520.0, 150.0],
               line_x0=[72.0 + indent, 72.0, 72.0, 72.0])
    b.body("While the local profiles keep the attributes of the national ones they differ as they have different "
           "capacities.", lines=["While the local profiles keep the attributes of the national ones they",
                                 "differ as they have different capacities."], line_x1=[520.0, last_x1],
           line_x0=[72.0 + indent, 72.0])
    b.new_page().body("Therefore, the method has been adapted to them.", x0=next_x0,
                      lines=["Therefore, the method has been adapted to them."], line_x1=[300.0])
    return b


def _texts_of(seg) -> list[str]:
    return [p.text for p in seg.paragraphs]


def test_full_justified_last_line_at_a_page_foot_goes_on_over_the_page():
    seg = segment(_justified_doc(last_x1=520.0).build(), CFG)
    [para] = [p for p in seg.paragraphs if p.text.startswith("While")]
    assert para.text.endswith("capacities. Therefore, the method has been adapted to them.")
    assert (para.page_start, para.page_end) == (1, 2) and [b.page for b in para.page_breaks] == [2]


def _figure_doc(last_x1: float, next_x0: float = 72.0, indent: float = 0.0, ragged: bool = False) -> LayoutBuilder:
    """One-column paragraphs (justified to 520, or ragged), then one whose last
    line before a figure ends at ``last_x1`` with a capitalised word, the
    figure (captions), and the text below it starting at ``next_x0``."""
    b = LayoutBuilder().heading("CONTEXT")
    x1s = [505.0, 512.0, 498.0, 150.0] if ragged else [520.0, 520.0, 520.0, 150.0]
    for k in range(4):
        b.body(" ".join(FILLER) + " well.", lines=[*FILLER, "well."], line_x1=x1s, line_x0=[72.0 + indent, 72.0, 72.0, 72.0])
    b.body("Their main countries of origin were Venezuela, Peru, Haiti, Colombia and the Plurinational",
           lines=["Their main countries of origin were Venezuela, Peru, Haiti,", "Colombia and the Plurinational"],
           line_x1=[515.0 if ragged else 520.0, last_x1], line_x0=[72.0 + indent, 72.0])
    b.block("Figure 1. Foreign habitual residents by country of origin, 2020", role="caption", size=7.0)
    for label in ("Venezuela 30.7%", "Peru 16.3%", "Haiti 12.5%", "Colombia 11.4%", "0% 10% 20% 30%"):
        b.block(label, role="caption", size=7.5)
    b.body("State of Bolivia (8.5%) accounted for most of them.", x0=next_x0, lines=["State of Bolivia (8.5%) accounted for most of them."],
           line_x1=[300.0])
    return b


def test_paragraph_goes_on_below_a_figure_on_a_one_column_page():
    """A one-column page: a paragraph's line fills the measure (justified) or
    leaves no room for the next word (ragged) above a figure, and the text
    under the figure starts flush: one paragraph. A short last line, or an
    indented start in an indented text, ends it."""
    whole = "and the Plurinational State of Bolivia (8.5%) accounted for most of them."
    assert any(t.endswith(whole) for t in _texts_of(segment(_figure_doc(520.0).build(), CFG)))
    assert any(t.endswith(whole) for t in _texts_of(segment(_figure_doc(500.0, ragged=True).build(), CFG)))
    for doc in (_figure_doc(300.0), _figure_doc(520.0, next_x0=87.0, indent=15.0), _figure_doc(300.0, ragged=True)):
        assert "State of Bolivia (8.5%) accounted for most of them." in _texts_of(segment(doc.build(), CFG))


def test_short_last_line_at_a_page_foot_ends_the_paragraph():
    seg = segment(_justified_doc(last_x1=300.0).build(), CFG)
    assert "Therefore, the method has been adapted to them." in _texts_of(seg)


def test_indented_start_over_the_page_is_a_new_paragraph():
    """In a document that indents its paragraphs, an indented first line at the
    top of the next page starts a paragraph even after a full last line; a
    flush one goes on with it."""
    seg = segment(_justified_doc(last_x1=520.0, next_x0=87.0, indent=15.0).build(), CFG)
    assert "Therefore, the method has been adapted to them." in _texts_of(seg)
    seg = segment(_justified_doc(last_x1=520.0, next_x0=72.0, indent=15.0).build(), CFG)
    assert any(t.endswith("capacities. Therefore, the method has been adapted to them.") for t in _texts_of(seg))


def test_enumerator_wrapped_inside_a_block_stays_in_the_paragraph():
    b = LayoutBuilder().heading("CONTEXT")
    lines = ["For example, the programme established in 2022 comprises the following:",
             "(a) the relocation of families in hostels for one or two",
             "weeks; and (b) the transfer to residences of partner foundations."]
    b.body(" ".join(lines), lines=lines)
    items = ["It offers the following:", "(a) the relocation of families;", "(b) the transfer to residences."]
    b.body(" ".join(items), lines=items, line_x1=[200.0, 250.0, 260.0])  # short lines, as printed
    seg = segment(b.build(), CFG)
    assert [(p.kind, p.text[:12]) for p in seg.paragraphs] == [
        ("body", "For example,"), ("body", "It offers th"), ("list_item", "the relocati"), ("list_item", "the transfer")]
    assert "following: (a) the relocation" in seg.paragraphs[0].text


def test_numbered_steps_nest_under_the_heading_above_without_their_number():
    """"The MGI process" then "1 Launch ...", "2 Data ..." set at the same size:
    the steps are its sub-sections, headed without the printed step number."""
    b = LayoutBuilder().heading("ANNEXES")
    b.heading("The MGI process", size=12).heading("1 Launch of the Local MGI process", size=12)
    b.body("The first step of the process is to launch it.")
    b.heading("2 Data collection and analysis", size=12).body("The second step is research.")
    b.heading("Another part of the annex", size=12).body("Text under it.")
    seg = segment(b.build(), CFG)
    by_heading = {s.heading: s for s in seg.sections}
    process = by_heading["The MGI process"]
    assert by_heading["Launch of the Local MGI process"].parent_id == process.section_id
    assert by_heading["Data collection and analysis"].parent_id == process.section_id
    assert by_heading["Another part of the annex"].parent_id == process.parent_id
    assert process.text.startswith("The first step")


def _ragged_doc(last_line: str, last_x1: float) -> LayoutBuilder:
    """Ragged right, no indents (paragraphs set apart by space only): a
    paragraph at the foot of page 1 ends on ``last_line`` at ``last_x1``
    (the measure is 72-520); page 2 opens flush left with "Development ..."."""
    b = LayoutBuilder().heading("CONTEXT")
    for k in range(4):
        b.body(" ".join(FILLER) + " well.", lines=[*FILLER, "well."], line_x1=[505.0 + k, 512.0, 498.0, 150.0])
    b.body("Article 160 sets up the council of the Ministers of Foreign Affairs, Finance, Justice and " + last_line,
           lines=["Article 160 sets up the council of the Ministers of Foreign Affairs, Finance,", "Justice and " + last_line],
           line_x1=[515.0, last_x1])
    b.new_page().body("Development and Family, Health, and Labour.", lines=["Development and Family, Health, and Labour."],
                      line_x1=[300.0])
    return b


def test_ragged_paragraph_goes_on_over_the_page_when_the_next_word_did_not_fit():
    """"... Human Rights, Social" / "Development and Family": the first word on
    the next page would not have fitted in the room left on the last line, and
    that line ends no sentence: one paragraph. With room for it, or after a
    full stop, the paragraph ended on page 1."""
    seg = segment(_ragged_doc("Human Rights, Social", 470.0).build(), CFG)
    assert any(t.endswith("Human Rights, Social Development and Family, Health, and Labour.") for t in _texts_of(seg))
    seg = segment(_ragged_doc("Human Rights, Social", 300.0).build(), CFG)
    assert "Development and Family, Health, and Labour." in _texts_of(seg)
    seg = segment(_ragged_doc("Human Rights, Social.", 470.0).build(), CFG)
    assert "Development and Family, Health, and Labour." in _texts_of(seg)


def _enumeration_doc(justified: bool) -> LayoutBuilder:
    """Justified (or ragged) paragraphs, then one block whose "(a)" and "(b)"
    both wrapped to line starts, flush with the text."""
    b = LayoutBuilder().heading("CONTEXT")
    for k in range(4):
        b.body(" ".join(FILLER) + " well.", lines=[*FILLER, "well."],
               line_x1=[520.0, 520.0, 520.0, 150.0] if justified else [505.0 + k, 512.0, 498.0, 150.0])
    texts = ["The programme, established in 2022, comprises the following:", "(a) the relocation of families in hostels",
             "for one or two weeks; and", "(b) the transfer to residences of partner", "foundations."]
    b.body(" ".join(texts), lines=texts, line_x1=[520.0, 520.0, 520.0, 520.0, 180.0] if justified
           else [400.0, 380.0, 250.0, 390.0, 180.0])
    return b


def test_enumerators_at_line_starts_after_full_justified_lines_are_running_text():
    """"(a)" and "(b)" each after a line spread to the right edge of a justified
    text: one paragraph. The same lines set ragged are a lead-in and two items."""
    texts = _texts_of(segment(_enumeration_doc(True).build(), CFG))
    assert any("following: (a) the relocation" in t and "and (b) the transfer" in t for t in texts), texts
    texts = _texts_of(segment(_enumeration_doc(False).build(), CFG))
    assert any(t.startswith("the transfer to residences") for t in texts), texts


def test_quoted_title_closed_after_a_word_does_not_end_the_sentence():
    from pipeline.segment.paragraphs import continues

    assert continues('For example, the plans "Advice for a safe winter"', '(2021), "Earthquakes: ..."')
    assert continues('the plan "Advice for a safe winter"', "and the plan ...")
    assert not continues('It is called "Advice for a safe winter."', "(2021) was ...")
    assert not continues('the plans "Advice for a safe winter"', "The next one ...")
    assert continues('the essential elements of "good migration governance"', "– three principles and ...")
    assert continues('the essential elements of “good migration governance”', "— three principles and ...")


def test_dash_at_a_line_start_after_a_full_justified_line_is_running_text():
    b = LayoutBuilder().heading("CONTEXT")
    for _k in range(4):
        b.body(" ".join(FILLER) + " well.", lines=[*FILLER, "well."], line_x1=[520.0, 520.0, 520.0, 150.0])
    texts = ["Their main countries of origin in the region", "– Venezuela (30.7%), Peru (16.3%) – accounted for",
             "most of them in 2020."]
    b.body(" ".join(texts), lines=texts, line_x1=[520.0, 520.0, 180.0])
    assert any("region – Venezuela (30.7%)" in t for t in _texts_of(segment(b.build(), CFG)))
