"""Extract stage orchestrator (pipeline/extract.py) on a hand-built Segmented."""

from __future__ import annotations

import pytest

from pipeline.config import load_config
from pipeline.datamodel import DocumentRecord, Footnote, Marker, PageBreak, Paragraph, Section, Segmented
from pipeline.extract.stage import extract, link_footnotes, normalise

D = "doc1"
INE = "National Statistics Institute (Instituto Nacional de Estadísticas, INE)"


def section(n, kind, page, parent=None, dimension=None, heading=None):
    return Section(doc_id=D, section_id=f"{D}:s{n}", parent_id=parent, kind=kind, dimension=dimension,
                   heading=heading or kind.upper(), page_start=page, page_end=page, order=n, text="")


def paragraph(n, sec, text, page, kind="body", bold=False, markers=(), breaks=(), page_end=None):
    return Paragraph(doc_id=D, paragraph_id=f"{D}:p{n}", section_id=f"{D}:s{sec}", order=n, page_start=page,
                     page_end=page_end or page, text=text, kind=kind, bold=bold,
                     markers=tuple(Marker(number=num, offset=off, page=pg) for num, off, pg in markers),
                     page_breaks=tuple(PageBreak(offset=o, page=p) for o, p in breaks))


def footnote(number, page, text):
    return Footnote(doc_id=D, footnote_id=f"{D}:f{page}-{number}", number=number, page=page, text=text)


P2 = ("According to the National Statistics Institute (Instituto Nacional de Estadísticas, INE) (2021a) and the "
      "Department of Aliens and Migration, as of 31 December 2020 Chile had an estimated 1,450,333 foreign "
      "habitual residents.")
P3_A = "There are currently 346 communes and 345 municipalities in the country (ATP, 2018). "
P3_B = "Foreigners represented approximately 54 per cent of the population of the commune (INE, 2021a)."
P3 = P3_A + P3_B
P4 = ("The municipality addresses multiculturalism, as established by the Communal Government Programme (2020), "
      "in order to advance municipal policies (ibid.). At the national level, Law No. 20.507 (2011) defines the "
      "crimes of migrant smuggling.")
P5 = "Migrants whose country of origin is in crisis benefit from exemptions."


def segmented() -> Segmented:
    sections = (
        section(1, "front_matter", 1),
        section(2, "context", 7),
        section(3, "subsection", 7, parent=f"{D}:s2", heading="Migration trends"),
        section(4, "dimension", 12, dimension=1, heading="MIGRANTS' RIGHTS"),
        section(5, "well_developed", 12, parent=f"{D}:s4", dimension=1),
        section(6, "key_sources", 30),
        section(7, "annex", 40),
    )
    paragraphs = (
        paragraph(1, 1, "This profile was prepared with data from INE (INE, 2021a); 2,000 copies.", 1),
        paragraph(2, 3, P2, 7, markers=[(6, P2.index(", as of"), 7)]),
        paragraph(3, 3, P3, 7, page_end=8, breaks=[(len(P3_A), 8)], markers=[(9, P3_A.index(" and 345"), 7), (10, len(P3_A) - 1, 7), (11, len(P3), 8)]),
        paragraph(4, 5, P4, 12),
        paragraph(5, 7, P5, 40, markers=[(1, len(P5), 40)]),
        paragraph(6, 6, INE, 30, "source_author", True),
        paragraph(7, 6, "2021a Estimación de personas extranjeras residentes habituales en Chile.", 30, "source_entry"),
        paragraph(8, 6, "2021b Boletín estadístico: empleo población extranjera.", 30, "source_entry"),
        paragraph(9, 6, "Municipality of Santiago de Chile", 30, "source_author", True),
        paragraph(10, 6, "2020 Programa de Gobierno Comunal (Communal Government Programme). Not available online.", 30,
                  "source_entry"),
        paragraph(11, 6, "Government of the Republic of Chile", 31, "source_author", True),
        paragraph(12, 6, "Ley No. 20.507, Tipifica los delitos de tráfico ilícito de migrantes (Law Categorizing the "
                         "Crimes of Migrant Smuggling).", 31, "source_entry"),
        paragraph(13, 6, "Parliamentary Technical Advisory (Asesoría Técnica Parlamentaria, ATP)", 31, "source_author", True),
        paragraph(14, 6, "2018 Marco jurídico de las municipalidades.", 31, "source_entry"),
        paragraph(15, 6, "2020 Fondo Común Municipal (FCM) : composición y criterios de distribución.", 31, "source_entry"),
    )
    footnotes = (
        footnote(6, 7, "The Department was replaced pursuant to the Law on Migration and Foreigners (Law No. 21.325)."),
        footnote(9, 7, "See the National Migration Service's page on estimates of foreigners."),
        footnote(10, 7, "Ibid."),
        # marker 11 stands on page 8, its note was pushed to page 9
        footnote(11, 9, "The Fund received 4,193,973 Chilean pesos. For more detailed information, see: ATP, 2020."),
        footnote(1, 3, "A note of the introduction numbered 1."),
        footnote(1, 40, "Numbering restarts in the annex (Puentes UC, n.d.)."),
    )
    doc = DocumentRecord(doc_id=D, source_file="x.pdf", sha256="0" * 64, n_pages=40, language="en")
    return Segmented(document=doc, sections=sections, paragraphs=paragraphs, footnotes=footnotes)


@pytest.fixture(scope="module")
def out():
    return extract(segmented(), load_config())


def test_deterministic_ids_and_rows(out):
    again = extract(segmented(), load_config())
    assert again == out
    assert [c.citation_id for c in out.citations] == [f"{D}:c{i}" for i in range(1, len(out.citations) + 1)]
    assert [r.reference_id for r in out.references] == [f"{D}:r{i}" for i in range(1, 7)]
    assert [x.legal_id for x in out.legal_references] == [f"{D}:l{i}" for i in range(1, len(out.legal_references) + 1)]


def test_footnotes_linked_to_the_paragraph_of_their_marker(out):
    links = {f.footnote_id: (f.paragraph_id, f.section_id) for f in out.footnotes}
    assert links[f"{D}:f7-6"] == (f"{D}:p2", f"{D}:s3")
    assert links[f"{D}:f7-10"] == (f"{D}:p3", f"{D}:s3")
    assert links[f"{D}:f7-9"] == (f"{D}:p3", f"{D}:s3")
    assert links[f"{D}:f9-11"] == (f"{D}:p3", f"{D}:s3")  # marker on page 8, note on the next page
    assert links[f"{D}:f40-1"] == (f"{D}:p5", f"{D}:s7")  # restarted numbering matched by page
    assert links[f"{D}:f3-1"] == (None, None)  # no marker anywhere
    assert not out.warnings or all("marker" not in w for w in out.warnings)


def test_marker_without_note_is_a_warning():
    seg = segmented()
    paras = list(seg.paragraphs)
    paras[3] = paras[3].model_copy(update={"markers": (Marker(number=99, offset=3, page=12),)})
    notes, warnings = link_footnotes(paras, seg.footnotes)
    assert warnings == ["footnote marker 99 on page 12 has no footnote"]
    assert all(n.paragraph_id != f"{D}:p4" for n in notes)


def test_citations_rows_pages_and_places(out):
    rows = [(c.paragraph_id or c.footnote_id, c.page, c.style, c.author, c.year, c.year_suffix) for c in out.citations]
    assert rows == [
        (f"{D}:p2", 7, "narrative", "National Statistics Institute", 2021, "a"),
        (f"{D}:p3", 7, "parenthetical", "ATP", 2018, None),
        (f"{D}:p3", 8, "parenthetical", "INE", 2021, "a"),  # after the page break
        # footnote ibid repeats note 9, an undated pointer to an organisation
        (f"{D}:f7-10", 7, "ibid", "National Migration Service", None, None),
        (f"{D}:f9-11", 9, "parenthetical", "ATP", 2020, None),
        (f"{D}:p4", 12, "narrative", "Municipality of Santiago de Chile", 2020, None),
        (f"{D}:p4", 12, "ibid", "Municipality of Santiago de Chile", 2020, None),  # body ibid
        (f"{D}:p4", 12, "narrative", "Government of the Republic of Chile", 2011, None),  # title-year -> heading
        (f"{D}:f40-1", 40, "parenthetical", "Puentes UC", None, None),
    ]
    # nothing from front matter or KEY SOURCES
    assert all(c.paragraph_id != f"{D}:p1" for c in out.citations)
    for c in out.citations:
        text = next(p.text for p in segmented().paragraphs if p.paragraph_id == c.paragraph_id) if c.paragraph_id \
            else next(f.text for f in segmented().footnotes if f.footnote_id == c.footnote_id)
        assert text[c.char_start : c.char_end] == c.raw


def test_citation_reference_links(out):
    refs = {r.reference_id: r for r in out.references}

    def ref_of(c):
        r = refs.get(c.reference_id)
        return (r.author, r.year, r.year_suffix) if r else None

    got = [ref_of(c) for c in out.citations]
    atp = "Parliamentary Technical Advisory (Asesoría Técnica Parlamentaria, ATP)"
    assert got[0] == (INE, 2021, "a")  # full name before the parenthesis
    assert got[1] == (atp, 2018, None)
    assert got[2] == (INE, 2021, "a")  # acronym INE
    assert got[3] is None  # ibid of an undated pointer: no KEY SOURCES entry
    assert got[4] == (atp, 2020, None)  # see: ATP, 2020
    assert got[5] == ("Municipality of Santiago de Chile", 2020, None)  # title "Communal Government Programme"
    assert got[6] == got[5]
    assert got[7] == ("Government of the Republic of Chile", None, None)  # "Law No. 20.507 (2011)" by its number
    assert got[8] is None  # Puentes UC has no entry here


def test_footnote_ibid_without_an_earlier_note_repeats_the_marker_sentence():
    seg = segmented()
    notes = [n for n in seg.footnotes if n.number != 9]
    out = extract(seg.model_copy(update={"footnotes": tuple(notes)}), load_config())
    ibid = next(c for c in out.citations if c.style == "ibid" and c.footnote_id)
    # note 6 before it cites nothing and names no organisation: the note repeats
    # the body citation of the sentence its marker 10 hangs on, "... (ATP, 2018).[10]"
    atp = next(c for c in out.citations if c.raw == "(ATP, 2018)")
    assert (ibid.author, ibid.year, ibid.reference_id) == ("ATP", 2018, atp.reference_id)


def test_footnote_ibid_without_a_source_in_the_marker_sentence_is_empty():
    seg = segmented()
    a = "There are currently 346 communes (ATP, 2018). The country has 345 municipalities. "
    text = a + P3_B
    paras = [p.model_copy(update={"text": text, "page_breaks": (PageBreak(offset=len(a), page=8),),
                                  "markers": (Marker(number=10, offset=len(a) - 1, page=7),
                                              Marker(number=11, offset=len(text), page=8))})
             if p.paragraph_id == f"{D}:p3" else p for p in seg.paragraphs]
    notes = [n for n in seg.footnotes if n.number != 9]
    out = extract(seg.model_copy(update={"footnotes": tuple(notes), "paragraphs": tuple(paras)}), load_config())
    ibid = next(c for c in out.citations if c.style == "ibid" and c.footnote_id)
    # "(ATP, 2018)" is a sentence before the marker: not what the note repeats
    assert (ibid.author, ibid.year, ibid.reference_id) == (None, None, None)


def test_footnote_ibid_skips_earlier_notes_naming_no_source():
    seg = segmented()
    notes = list(seg.footnotes)
    notes[0] = footnote(6, 7, "Municipality of Santiago de Chile, Acciones municipales ante la pandemia.")
    notes[1] = footnote(9, 7, "For further information, see the relevant web pages of the ministry.")
    out = extract(seg.model_copy(update={"footnotes": tuple(notes)}), load_config())
    ibid = next(c for c in out.citations if c.style == "ibid" and c.footnote_id)
    assert (ibid.author, ibid.year) == ("Municipality of Santiago de Chile", None)  # note 6, two notes back


def test_footnote_ibid_repeats_the_previous_note():
    seg = segmented()
    notes = list(seg.footnotes)
    notes[1] = footnote(9, 7, "See: ATP, 2018.")  # now note 9 cites ATP 2018 ...
    seg = seg.model_copy(update={"footnotes": tuple(notes),
                                 "paragraphs": tuple(p.model_copy(update={"text": p.text.replace("(ATP, 2018)", "(OECD, 2017)")})
                                                     for p in seg.paragraphs)})
    out = extract(seg, load_config())
    ibid = next(c for c in out.citations if c.style == "ibid" and c.footnote_id)
    assert (ibid.author, ibid.year) == ("ATP", 2018)  # ... and note 10's Ibid. repeats it, not the body's OECD


def test_legal_references(out):
    rows = [(x.paragraph_id, x.footnote_id, x.page, x.instrument, x.number, x.year) for x in out.legal_references]
    assert rows == [
        (None, f"{D}:f7-6", 7, "law", "21.325", None),
        (f"{D}:p4", None, 12, "law", "20.507", 2011),
        (f"{D}:p12", None, 31, "law", "20.507", None),  # KEY SOURCES entries are mentions too
    ]


def test_references_from_key_sources(out):
    assert [(r.acronym, r.year, r.year_suffix) for r in out.references] == [
        ("INE", 2021, "a"), ("INE", 2021, "b"), (None, 2020, None), (None, None, None), ("ATP", 2018, None),
        ("ATP", 2020, None),
    ]
    assert out.references[2].translation == "Communal Government Programme"
    assert out.references[2].note == "Not available online."


def test_statistics_rows(out):
    # pipeline/statistics.py exists: its rows must come through with our ids and pages
    by_raw = {s.raw: s for s in out.statistics}
    big = next(s for s in out.statistics if s.value == 1450333.0)
    assert (big.paragraph_id, big.section_id, big.page, big.kind) == (f"{D}:p2", f"{D}:s3", 7, "count")
    pct = next(s for s in out.statistics if s.value == 54.0)
    assert pct.page == 8 and pct.kind == "percent"  # after the page break
    assert any(s.footnote_id == f"{D}:f9-11" and s.value == 4193973.0 for s in out.statistics)
    assert all(s.paragraph_id != f"{D}:p1" for s in out.statistics)  # front matter skipped
    assert [s.stat_id for s in out.statistics] == [f"{D}:st{i}" for i in range(1, len(out.statistics) + 1)]
    assert all(P2[s.char_start : s.char_end] == s.raw for s in out.statistics if s.paragraph_id == f"{D}:p2")
    assert by_raw


def test_language_fallback_and_spanish_document():
    seg = segmented()
    doc = seg.document.model_copy(update={"language": "xx"})
    out = extract(seg.model_copy(update={"document": doc}), load_config())
    assert len(out.citations) == 9  # default language (en)
    es_para = paragraph(2, 3, "Según el Instituto Nacional de Estadísticas (2021a), véase: ATP, 2018. Ley N° 21.325.", 7)
    es = seg.model_copy(update={"document": seg.document.model_copy(update={"language": "es"}),
                                "paragraphs": (es_para,) + seg.paragraphs[5:], "footnotes": ()})
    out = extract(es, load_config())
    assert [(c.author, c.year, c.year_suffix, c.reference_id is not None) for c in out.citations] == [
        ("Instituto Nacional de Estadísticas", 2021, "a", True),  # the name inside the heading's parenthesis
        ("ATP", 2018, None, True),
    ]
    assert [(x.instrument, x.number) for x in out.legal_references] == [("law", "21.325"), ("law", "20.507")]


def test_normalise():
    the = ("the",)
    assert normalise("The Municipality of San-tiago de Chile", the) == normalise("municipality of santiago de chile", the)
    assert normalise("The Municipality") == "the municipality"  # no article configured: kept
    assert normalise("Theatre of the Oppressed", the) == "theatre of the oppressed"  # a word, not the article
    assert normalise("Instituto Nacional de Estadísticas") == "instituto nacional de estadisticas"


def test_leading_articles_come_from_the_references_wording():
    from pipeline.config import load_config
    from pipeline.extract.stage import ReferenceIndex

    cfg = load_config()
    articles = cfg.union_list("references", "title_leading_articles")
    assert "the" in articles
    index = ReferenceIndex([], None, articles)
    assert index.key("The World Bank") == index.key("World Bank") == "world bank"
    assert ReferenceIndex([], None, ()).key("The World Bank") == "the world bank"


def test_legal_mentions_in_a_key_sources_translation_are_not_repeated():
    seg = segmented()
    entry = paragraph(16, 6, "2011 Decreto No. 38, Modifica Decreto No. 156, de 2002 (Decree Modifying Decree No. 156 "
                             "of 2002 and Establishing the Emergency Committees).", 31, "source_entry")
    out = extract(seg.model_copy(update={"paragraphs": seg.paragraphs + (entry,)}), load_config())
    got = [(x.number, x.year, x.raw) for x in out.legal_references if x.paragraph_id == f"{D}:p16"]
    assert got == [("38", None, "Decreto No. 38"), ("156", 2002, "Decreto No. 156")]


# ---------------------------------------------------------------- real files

REPO = __import__("pathlib").Path(__file__).resolve().parents[2]
REAL_PDFS = REPO.parent / "shared" / "real-pdfs"
SAMPLE = REPO / "samples" / "santiago-de-chile-local-2022.pdf"
GOLD = REPO / "samples" / "gold" / "santiago-de-chile-local-2022.json"


def _run(pdf):
    from pipeline.parse.stage import parse_pdf
    from pipeline.segment.stage import segment

    cfg = load_config()
    seg = segment(parse_pdf(pdf, cfg), cfg)
    return seg, extract(seg, cfg)


@pytest.mark.slow
def test_sample_profile_against_its_gold():
    """Citations, legal references and references of the rendered Santiago
    sample against the hand-labelled gold (same keys as `mgi validate`)."""
    import json

    if not SAMPLE.exists() or not GOLD.exists():
        pytest.skip(f"sample PDF or gold missing ({SAMPLE.name})")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    _, out = _run(SAMPLE)
    refs = {r.reference_id: r for r in out.references}

    def names(author):
        # a citation author matches under any name of its KEY SOURCES heading
        from pipeline.extract.references import heading_names

        for r in out.references:
            if normalise(author) in {normalise(n) for n in heading_names(r.author)}:
                return normalise(r.author)
        return normalise(author)

    got = [(c.page, names(c.author), c.year, c.year_suffix) for c in out.citations]
    want = [(c["page"], names(c["author"]), c["year"], c["year_suffix"]) for c in gold["citations"]]
    common = sum(min(got.count(k), want.count(k)) for k in set(want))
    assert common / len(want) >= 0.95 and common / len(got) >= 0.95, (set(got) - set(want), set(want) - set(got))
    legal_got = sorted((x.instrument, x.number) for x in out.legal_references)
    legal_want = sorted((x["instrument"], x["number"]) for x in gold["legal_references"])
    assert legal_got == legal_want
    key = lambda t: tuple((x is None, x) for x in t)  # noqa: E731  (None sorts last)
    assert sorted(((normalise(r.author), r.year, r.year_suffix) for r in out.references), key=key) == sorted(
        ((normalise(r["author"]), r["year"], r["year_suffix"]) for r in gold["references"]), key=key)
    linked = [c for c in out.citations if c.reference_id]
    assert len(linked) >= 30 and all(c.reference_id in refs for c in linked)


@pytest.mark.realpdf
def test_real_iom_report_runs_clean():
    pdf = REAL_PDFS / "AAP_EN_Evaluation_Brief_final_0.pdf"
    if not pdf.exists():
        pytest.skip(f"real IOM PDFs not available at {REAL_PDFS}")
    seg, out = _run(pdf)
    assert out == extract(seg, load_config())  # deterministic
    n_pages = seg.document.n_pages
    texts = {p.paragraph_id: p.text for p in seg.paragraphs} | {f.footnote_id: f.text for f in seg.footnotes}
    for row in (*out.statistics, *out.citations, *out.legal_references):
        assert 1 <= row.page <= n_pages
        text = texts[row.paragraph_id or row.footnote_id]
        assert 0 <= row.char_start < row.char_end <= len(text)


def test_nlp_pipeline_is_cached_and_ordered():
    from pipeline.extract.nlp import make_nlp

    cfg = load_config()
    nlp = make_nlp("es", cfg)
    assert make_nlp("es", cfg) is nlp
    assert nlp.lang == "es"
    assert nlp.pipe_names == ["mgi_statistics", "mgi_citations", "mgi_legal_references"]


def test_warm_builds_each_language_once_as_extract_names_it():
    from pipeline.extract import nlp as nlp_module

    cfg = load_config()
    nlp_module._CACHE.clear()
    # "ES" and "es" are one language; "zz" (not configured) is the default language
    assert nlp_module.warm(["ES", "es", "zz", None], cfg) == ["en", "es"]
    assert nlp_module.warm(["es", "en"], cfg) == []  # already built: nothing to do
    assert nlp_module.make_nlp("es", cfg).lang == "es"


def test_empty_document_gives_empty_tables():
    seg = segmented().model_copy(update={"sections": (), "paragraphs": ()})
    out = extract(seg, load_config())
    assert out.references == ()
    # footnotes are kept, unlinked, and their own text is still read
    assert len(out.footnotes) == 6 and all(f.paragraph_id is None for f in out.footnotes)
    rows = (*out.statistics, *out.citations, *out.legal_references)
    assert rows and all(r.paragraph_id is None and r.footnote_id for r in rows)
    assert [(c.author, c.year) for c in out.citations] == [
        ("National Migration Service", None), ("ATP", 2020), ("Puentes UC", None)]  # by page, then number


def test_french_title_year_citations_take_the_author_of_a_spanish_entry():
    """"loi n° 20.507 (2011)" / "décret ayant force de loi n° 1 (2006)" in a
    French text name the KEY SOURCES entries "Ley No. 20.507, ..." and
    "Decreto con Fuerza de Ley No. 1, ...": narrative citations whose author is
    the entry's heading; the instrument is decree_with_force_of_law, not a law."""
    seg = segmented()
    text = ("Conformément au décret ayant force de loi n° 1 (2006), la municipalité agit. La loi n° 20.507 (2011) "
            "définit les infractions. Selon une étude du Service jésuite des migrants (2021), la pauvreté augmente.")
    sources = (
        paragraph(6, 6, "Gouvernement de la République du Chili", 30, "source_author", True),
        paragraph(7, 6, "2006 Decreto con Fuerza de Ley No. 1, Fija el texto refundido (Décret ayant force de loi "
                        "fixant le texte codifié).", 30, "source_entry"),
        paragraph(8, 6, "2011 Ley No. 20.507, Tipifica los delitos de tráfico ilícito de migrantes.", 30, "source_entry"),
        paragraph(9, 6, "Service jésuite des migrants (Servicio Jesuita a Migrantes, SJM)", 30, "source_author", True),
        paragraph(10, 6, "2021 Estudio Casen y Migración.", 30, "source_entry"),
    )
    fr = seg.model_copy(update={"document": seg.document.model_copy(update={"language": "fr"}),
                                "paragraphs": (paragraph(2, 3, text, 7),) + sources, "footnotes": ()})
    out = extract(fr, load_config())
    refs = {r.reference_id: (r.author, r.year) for r in out.references}
    got = [(c.style, c.raw, c.author, c.year, refs.get(c.reference_id)) for c in out.citations]
    gov = "Gouvernement de la République du Chili"
    assert got == [
        ("narrative", "décret ayant force de loi n° 1 (2006)", gov, 2006, (gov, 2006)),
        ("narrative", "loi n° 20.507 (2011)", gov, 2011, (gov, 2011)),
        ("narrative", "Service jésuite des migrants (2021)", "Service jésuite des migrants", 2021,
         ("Service jésuite des migrants (Servicio Jesuita a Migrantes, SJM)", 2021)),
    ]
    body = [(x.instrument, x.number, x.year) for x in out.legal_references if x.paragraph_id == f"{D}:p2"]
    assert body == [("decree_with_force_of_law", "1", 2006), ("law", "20.507", 2011)]


def test_docs_of_gives_each_doc_its_own_text():
    """The components read the text given, not spaCy's join of the tokens;
    spaCy keeps every character, so both are the same."""
    import spacy

    from pipeline.extract.component import doc_text, docs_of

    texts = ["Law No. 21.325 (2021)  with  spaces\u00a0and\ttabs.", "", "Ley 20.507 de 2011 — 8,3 %"]
    docs = list(docs_of(spacy.blank("en"), texts))
    assert [doc_text(d) for d in docs] == texts == [d.text for d in docs]
