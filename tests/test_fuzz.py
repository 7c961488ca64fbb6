"""Fuzzing: the text-level extractors and the gold-file reader never raise
anything but the documented error types (``pipeline.errors.*``).

Profiles (``MGI_FUZZ_PROFILE``): ``ci`` (default; bounded, < 60 s for the
file on a 2-core machine) and ``long`` (local runs, see docs/HARDENING.md).
Every property also checks something about the result (offsets inside the
text, raw text = the slice it claims), so a silent corruption fails too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import citations

from pipeline.extract import legal

from pipeline.text import numbers

from pipeline.extract import statistics
from pipeline.config import load_config
from pipeline.datamodel import Paragraph
from records import paragraph
from pipeline.errors import GoldFormatError, MGIError
from pipeline.evaluate.gold import load_gold, parse_gold
from pipeline.extract.nlp import make_nlp
from pipeline.extract.references import build_rules as reference_rules
from pipeline.extract.references import parse_entry, parse_references

settings.register_profile(
    "ci", max_examples=40, deadline=10_000, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("MGI_FUZZ_PROFILE", "ci")
fuzz = settings.get_profile(PROFILE)

LANGS = ("en", "es", "fr", "pt")

# words and marks the extractors react to, mixed with arbitrary text
VOCAB = [
    "per cent", "%", "percent", "por ciento", "pour cent", "million", "millones", "milliards", "mil",
    "USD", "US$", "€", "EUR", "dollars", "migrants", "personas", "about", "more than", "aproximadamente",
    "one", "twenty-five", "dos", "cuatro", "un", "one in four", "uno de cada", "aged", "years",
    "Law", "Ley", "Loi", "Lei", "Decree", "Decreto", "No.", "N°", "Nº", "n.º", "Act", "of", "de",
    "(", ")", "[", "]", "(IOM, 2019)", "IOM (2020a)", "Ibid.", "ibid", "op. cit.", "et al.", ";", ",", ".",
    "ILO", "UNHCR", "OECD", "2019", "2020b", "n.d.", "s.f.", "1,200", "1.200", "1 200", "30,7", "3.5",
    "\u00a0", "\u202f", "\n", "-", "–", "/", "“", "”", "«", "»", "*", "http://x.org", "+56 2 2345 6789",
    "(cid:12)", "\ufffd", "\ue000", "ﬁ", "1e9", "9" * 30, "0.0000001", "½", "٣", "²",
]
TEXT = st.lists(
    st.one_of(st.sampled_from(VOCAB), st.text(min_size=0, max_size=12), st.integers(-10**12, 10**12).map(str),
              st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True)),
    max_size=40,
).map(" ".join)


@pytest.fixture(scope="module")
def config():
    return load_config()


def _inside(text: str, start: int, end: int) -> None:
    assert 0 <= start <= end <= len(text), (start, end, len(text))


# --------------------------------------------------------------------------
# numbers, statistics, citations, legal references (public functions)
# --------------------------------------------------------------------------


@fuzz
@given(text=TEXT, lang=st.sampled_from(LANGS))
def test_numbers_and_statistics(text: str, lang: str) -> None:
    rules = statistics.rules_for(lang)
    try:
        found = rules.finder.find(text)
        for n in found:
            _inside(text, n.start, n.end)
        for m in statistics.find_statistics(text, rules):
            _inside(text, m.start, m.end)
            assert text[m.start:m.end] == m.raw
            assert m.kind in ("percent", "count", "money", "other")
            assert m.value == m.value  # not NaN
    except MGIError:
        pass


@fuzz
@given(text=st.text(max_size=40), lang=st.sampled_from(LANGS))
def test_parse_number_any_string(text: str, lang: str) -> None:
    fmt = statistics.rules_for(lang).finder.fmt
    value = numbers.parse_number(text, fmt)
    assert value is None or isinstance(value, float)


@fuzz
@given(text=TEXT, lang=st.sampled_from(LANGS))
def test_citations(text: str, lang: str) -> None:
    rules = citations.rules_for(lang)
    try:
        for m in citations.find_citations(text, rules):
            _inside(text, m.start, m.end)
            assert text[m.start:m.end] == m.raw
        citations.implicit_source(text, rules)
    except MGIError:
        pass


@fuzz
@given(text=TEXT, lang=st.sampled_from(LANGS))
def test_legal_references(text: str, lang: str) -> None:
    rules = legal.rules_for(lang)
    try:
        for m in legal.find_legal_references(text, rules):
            _inside(text, m.start, m.end)
            assert text[m.start:m.end] == m.raw
    except MGIError:
        pass


# --------------------------------------------------------------------------
# KEY SOURCES parsing and the spaCy components
# --------------------------------------------------------------------------


@fuzz
@given(
    entries=st.lists(st.tuples(TEXT, st.booleans(), st.sampled_from(["body", "source_author", "source_entry"])),
                     max_size=8),
    lang=st.sampled_from(LANGS),
)
def test_key_sources_parsing(config, entries, lang: str) -> None:
    rules = reference_rules(config.wording("references", lang))
    paras = [paragraph(i, t, k, b) for i, (t, b, k) in enumerate(entries, 1)]
    try:
        refs = parse_references(paras, "d", rules)
        assert len({r.reference_id for r in refs}) == len(refs)
        for text, _, _ in entries:
            entry = parse_entry(text, rules)
            assert entry.year is None or 1500 <= entry.year <= 2099
    except MGIError:
        pass


@pytest.fixture(scope="module")
def pipelines(config):
    """Built (models loaded) before the timed examples start."""
    return {lang: make_nlp(lang, config) for lang in LANGS}


@fuzz
@given(text=TEXT, lang=st.sampled_from(LANGS))
def test_spacy_components(pipelines, text: str, lang: str) -> None:
    nlp = pipelines[lang]
    try:
        doc = nlp(text)
    except MGIError:
        return
    for key in ("mgi_statistics", "mgi_citations", "mgi_legal"):
        for span in doc.spans.get(key, []):
            assert 0 <= span.start_char <= span.end_char <= len(text)


SECTION_KINDS = ["front_matter", "context", "subsection", "dimension", "well_developed", "further_development",
                 "key_sources", "annex"]
PARA_KINDS = ["body", "list_item", "source_author", "source_entry"]


@st.composite
def segmented_docs(draw):
    """A Segmented with fuzzed sections, paragraphs (markers and page breaks at
    any offset), footnotes (ibid, numbers that match no marker) and KEY SOURCES."""
    from pipeline.datamodel import DocumentRecord, Footnote, Marker, PageBreak, Section, Segmented

    kinds = draw(st.lists(st.sampled_from(SECTION_KINDS), min_size=1, max_size=4))
    sections = tuple(
        Section(doc_id="d", section_id=f"d:s{i}", parent_id=None, kind=k, dimension=1 if k == "dimension" else None,
                heading=k.upper(), page_start=i, page_end=i, order=i, text="")
        for i, k in enumerate(kinds, 1)
    )
    paragraphs = []
    for i in range(draw(st.integers(0, 6))):
        text = draw(TEXT)
        offsets = st.integers(0, len(text))
        markers = tuple(Marker(number=draw(st.integers(1, 5)), offset=draw(offsets), page=1)
                        for _ in range(draw(st.integers(0, 2))))
        breaks = tuple(PageBreak(offset=draw(offsets), page=2) for _ in range(draw(st.integers(0, 1))))
        sec = draw(st.integers(1, len(sections)))
        paragraphs.append(Paragraph(
            doc_id="d", paragraph_id=f"d:p{i + 1}", section_id=f"d:s{sec}", order=i + 1, page_start=1,
            page_end=2 if breaks else 1, text=text, kind=draw(st.sampled_from(PARA_KINDS)), bold=draw(st.booleans()),
            markers=markers, page_breaks=breaks))
    notes = tuple(
        Footnote(doc_id="d", footnote_id=f"d:f1-{n}", number=n, page=1,
                 text=draw(st.one_of(TEXT, st.sampled_from(["Ibid.", "Ibid., p. 4.", "IOM, 2019.", "Ley N° 21.325."]))))
        for n in draw(st.lists(st.integers(1, 6), unique=True, max_size=3))
    )
    doc = DocumentRecord(doc_id="d", source_file="d.pdf", sha256="0" * 64, n_pages=2,
                         language=draw(st.sampled_from(LANGS)))
    return Segmented(document=doc, sections=sections, paragraphs=tuple(paragraphs), footnotes=notes)


@fuzz
@given(doc=segmented_docs())
def test_extract_stage(config, pipelines, doc) -> None:
    from pipeline.extract.stage import extract

    try:
        out = extract(doc, config)
    except MGIError:
        return
    texts = {p.paragraph_id: p.text for p in doc.paragraphs}
    ids = [s.stat_id for s in out.statistics] + [c.citation_id for c in out.citations]
    assert len(ids) == len(set(ids))
    for s in out.statistics:
        if s.paragraph_id is not None:
            assert texts[s.paragraph_id][s.char_start:s.char_end] == s.raw
    assert extract(doc, config) == out  # deterministic


# --------------------------------------------------------------------------
# the gold-file reader
# --------------------------------------------------------------------------

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                         st.floats(allow_nan=False), st.text(max_size=10))
GOLD_KEYS = ["document", "sections", "statistics", "citations", "legal_references", "footnotes", "references",
             "doc_id", "source_file", "status", "page", "page_start", "page_end", "kind", "raw", "value", "year",
             "checked", "heading", "dimension", "number", "text", "author", "year_suffix", "unit", "qualifier",
             "n_pages", "language", "instrument", "style", "profile_level", "title", "notes", "schema_version"]
JSON = st.recursive(
    JSON_SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.sampled_from(GOLD_KEYS), st.text(max_size=6)), children,
                                               max_size=6)),
    max_leaves=30,
)


def _real_gold() -> dict | None:
    folder = Path(__file__).resolve().parents[1] / "samples" / "gold"
    files = sorted(folder.glob("*.json"))
    return json.loads(files[0].read_text(encoding="utf-8")) if files else None


REAL_GOLD = _real_gold()


@fuzz
@given(data=JSON)
def test_gold_reader_arbitrary_json(data) -> None:
    try:
        gold = parse_gold(data, "fuzz.json", allow_unchecked=True)
    except GoldFormatError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.json")
    else:
        assert gold is not None


@fuzz
@given(data=st.data())
def test_gold_reader_mutated_real_file(data) -> None:
    if REAL_GOLD is None:
        pytest.skip("no gold file in samples/gold")
    doc = json.loads(json.dumps(REAL_GOLD))
    table = data.draw(st.sampled_from([k for k, v in doc.items() if isinstance(v, list) and v] or ["document"]))
    target = doc[table]
    if isinstance(target, list):
        target = target[data.draw(st.integers(0, len(target) - 1))]
    if isinstance(target, dict) and target:
        key = data.draw(st.sampled_from(sorted(target)))
        target[key] = data.draw(JSON)
    try:
        parse_gold(doc, "mutated.json", allow_unchecked=True)
    except GoldFormatError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("mutated.json")


@fuzz
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                     JSON.map(lambda d: json.dumps(d).encode())))
def test_gold_loader_arbitrary_bytes(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("gold") / "x.json"
    path.write_bytes(raw)
    try:
        load_gold(path)
    except GoldFormatError as exc:
        assert "\n" not in str(exc)


def test_profiles_are_bounded() -> None:
    ci = settings.get_profile("ci")
    assert ci.max_examples <= 100 and ci.deadline is not None
    assert settings.get_profile("long").max_examples >= 1000
    assert PROFILE in ("ci", "long")
