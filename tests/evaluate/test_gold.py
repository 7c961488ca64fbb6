"""Gold-file model, loader errors, schema file and the skeleton writer."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import skeleton_command
from pipeline.evaluate import gold as G
from pipeline.evaluate import validate as V
from pipeline.datamodel import (
    Block,
    Citation,
    DocumentRecord,
    Extracted,
    Footnote,
    Layout,
    LegalReference,
    Page,
    Paragraph,
    Reference,
    Section,
    Segmented,
    Statistic,
)
from pipeline.errors import GoldFormatError

REPO = Path(__file__).resolve().parents[2]
INE = "National Statistics Institute (Instituto Nacional de Estadísticas, INE)"
D = "prof-1a2b3c4d"


def minimal_gold() -> dict:
    return {
        "document": {"title": "MGI Profile", "profile_level": "national", "country": "Chile", "locality": None,
                     "profile_year": 2021, "language": "en"},
        "sections": [{"kind": "context", "dimension": None, "heading": "CONTEXT", "page_start": 4,
                      "first_words": "Chile had", "last_words": "in 2020."}],
        "statistics": [
            {"page": 4, "kind": "percent", "value": 30.7, "unit": "%", "raw": "30.7%", "section_kind": "context", "dimension": None},
            {"page": 4, "kind": "count", "value": 24, "unit": "ministry", "raw": "24 ministries"},
            {"page": 5, "kind": "money", "value": 99247661, "unit": "CLP", "raw": "99,247,661 Chilean pesos"},
            {"page": 5, "kind": "other", "value": 14, "raw": "14 years"},
        ],
        "citations": [{"page": 4, "style": "parenthetical", "author": "INE", "year": 2021, "year_suffix": "a",
                       "raw": "(INE, 2021a)", "reference": "INE|2021a"}],
        "legal_references": [{"page": 4, "instrument": "law", "number": "21.325", "raw": "Law No. 21.325"}],
        "footnotes": [{"number": 1, "page": 4, "text": "Ibid."}],
        "references": [{"author": INE, "year": 2021, "year_suffix": "a", "title": "Estimación de personas extranjeras."},
                       {"author": "Puentes UC", "year": None, "title": "Financiamiento municipal."}],
    }


def write(tmp_path: Path, data, name: str = "prof.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# model and loader
# --------------------------------------------------------------------------


def test_schema_file_is_generated_from_the_model():
    on_disk = json.loads((REPO / "docs" / "gold.schema.json").read_text(encoding="utf-8"))
    assert on_disk == G.gold_json_schema(), "regenerate with: python -m pipeline.evaluate.gold --write-schema"
    assert set(on_disk["required"]) == {"document", *G.GOLD_LISTS}
    assert on_disk["additionalProperties"] is False


def test_valid_gold_loads(tmp_path):
    gold = G.load_gold(write(tmp_path, minimal_gold()))
    assert gold.statistics[1].value == 24.0
    assert gold.document.locality is None
    assert "publication_year" not in gold.document.model_fields_set
    assert gold.unchecked() == []


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["statistics"][3].__setitem__("value", "fourteen"), "statistics[3].value: Input should be a valid number"),
        (lambda d: d.pop("footnotes"), "footnotes: Field required"),
        (lambda d: d["citations"][0].pop("year"), "citations[0].year: Field required"),
        (lambda d: d["statistics"][0].__setitem__("kind", "ratio"), "statistics[0].kind: Input should be"),
        (lambda d: d["sections"][0].__setitem__("dimension", 7), "sections[0].dimension: Input should be less than or equal to 6"),
        (lambda d: d["footnotes"][0].__setitem__("colour", "red"), "footnotes[0].colour: Extra inputs are not permitted"),
        (lambda d: d["document"].__setitem__("language", "English"), "document.language: String should match pattern"),
        (lambda d: d["legal_references"][0].__setitem__("page", 0), "legal_references[0].page: Input should be greater than or equal to 1"),
        (lambda d: d["citations"][0].__setitem__("reference", "INE|2019"), "citations[0].reference: 'INE|2019' names no entry of 'references'"),
        (lambda d: d["citations"][0].__setitem__("reference", "no bar here"), "citations[0].reference: reference key"),
    ],
)
def test_malformed_gold_names_file_and_field(tmp_path, mutate, expected):
    data = minimal_gold()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(GoldFormatError) as info:
        G.load_gold(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_invalid_json_names_line_and_column(tmp_path):
    text = json.dumps(minimal_gold(), indent=1).replace('"CONTEXT"', '"CONTEXT",,', 1)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ",," in ln)
    path = write(tmp_path, text)
    with pytest.raises(GoldFormatError, match=rf"{path.name}: invalid JSON at line {line} column \d+"):
        G.load_gold(path)
    with pytest.raises(GoldFormatError, match="expected a JSON object"):
        G.load_gold(write(tmp_path, "[1, 2]", "list.json"))
    with pytest.raises(GoldFormatError, match="gold file not found"):
        G.load_gold(tmp_path / "absent.json")


def test_unchecked_items_are_refused(tmp_path):
    data = minimal_gold()
    data["statistics"][2]["checked"] = False
    data["document"]["checked"] = False
    data["footnotes"][0]["checked"] = True
    path = write(tmp_path, data)
    with pytest.raises(GoldFormatError, match=r"2 items not yet checked \(first: document\)"):
        G.load_gold(path)
    assert G.load_gold(path, allow_unchecked=True).unchecked() == ["document", "statistics[2]"]


def test_normalisation_and_keys():
    assert G.norm_text("  Asesori\u0301a\u00a0Te\u0301cnica “Parlamentaria”, ATP ") == "asesoria tecnica parlamentaria atp"
    assert G.norm_text(unicodedata.normalize("NFD", "Estadísticas")) == G.norm_text("Estadísticas")
    assert G.norm_number("No. 21.325") == G.norm_number("21.325") == G.norm_number("Nº 21.325") == "21.325"
    assert G.norm_number("Law  84 ") == "84"
    assert G.author_aliases(INE) == [G.norm_text(INE), "national statistics institute",
                                     "instituto nacional de estadisticas ine", "instituto nacional de estadisticas", "ine"]
    keys = G.AuthorKeys([INE, "Organisation for Economic Co-operation and Development (OECD)"])
    assert keys.key("INE") == keys.key("National Statistics Institute") == keys.key(INE) == keys.key("Instituto Nacional de Estadísticas")
    assert keys.key("OECD") == keys.key("Organisation for Economic Co-operation and Development")
    assert keys.key("OECD") != keys.key("INE")
    assert keys.key("UNICEF") == "unicef"
    assert G.parse_reference_key("INE|2021a") == ("INE", 2021, "a")
    assert G.parse_reference_key("Puentes UC|n.d.") == ("Puentes UC", None, None)
    with pytest.raises(ValueError):
        G.parse_reference_key("|2021")


def test_module_check_and_write_schema(tmp_path):
    good = write(tmp_path, minimal_gold())
    res = subprocess.run([sys.executable, "-m", "pipeline.evaluate.gold", "--check", str(good)], capture_output=True, text=True, cwd=REPO)
    assert res.returncode == 0 and "4 statistics" in res.stdout
    bad = minimal_gold()
    bad["sections"][0]["kind"] = "chapter"
    res = subprocess.run([sys.executable, "-m", "pipeline.evaluate.gold", "--check", str(write(tmp_path, bad, "bad.json"))],
                         capture_output=True, text=True, cwd=REPO)
    assert res.returncode == 2 and "sections[0].kind" in res.stderr and "Traceback" not in res.stderr
    assert G.main(["--bogus"]) == 2


# --------------------------------------------------------------------------
# skeleton
# --------------------------------------------------------------------------


def pipeline_objects():
    doc = DocumentRecord(doc_id=D, source_file="/in/prof.pdf", sha256="1a2b3c4d" * 8, n_pages=9, title="MGI Profile",
                         profile_level="national", country="Chile", profile_year=2021, publication_year=2022,
                         language="en", isbn="978-92-9268-111-2")
    text3 = "Chile had an estimated 30.7% of migrants (INE, 2021a) under Law No. 21.325 by the end of 2020."
    sections = (
        Section(doc_id=D, section_id=f"{D}:s1", parent_id=None, kind="well_developed", dimension=None, heading="Examples of well-developed areas",
                page_start=3, page_end=4, order=1, text=text3, bbox=(72.0, 90.0, 400.0, 104.0)),
        Section(doc_id=D, section_id=f"{D}:s2", parent_id=f"{D}:s1", kind="dimension", dimension=2, heading="Formulate policy using evidence",
                page_start=3, page_end=4, order=2, text=text3),
        Section(doc_id=D, section_id=f"{D}:s3", parent_id=f"{D}:s2", kind="subsection", dimension=2, heading="Data",
                page_start=3, page_end=3, order=3, text=text3),
        Section(doc_id=D, section_id=f"{D}:s4", parent_id=None, kind="key_sources", dimension=None, heading="KEY SOURCES",
                page_start=8, page_end=8, order=4, text="2021a Estimación de personas extranjeras."),
    )
    paragraphs = (Paragraph(doc_id=D, paragraph_id=f"{D}:p1", section_id=f"{D}:s3", order=1, page_start=3, page_end=3, text=text3),)
    footnotes = (Footnote(doc_id=D, footnote_id=f"{D}:f3-1", number=1, page=3, text="See also: INE, 2021a.", paragraph_id=f"{D}:p1"),)
    seg = Segmented(document=doc, sections=sections, paragraphs=paragraphs, footnotes=footnotes)
    ext = Extracted(
        document=doc,
        footnotes=footnotes,
        statistics=(Statistic(doc_id=D, stat_id=f"{D}:t1", paragraph_id=f"{D}:p1", section_id=f"{D}:s3", page=3, kind="percent",
                              raw="30.7%", value=30.7, unit="%", qualifier="approximately", subject="migrants",
                              sentence=text3, char_start=23, char_end=28),),
        citations=(Citation(doc_id=D, citation_id=f"{D}:c1", paragraph_id=f"{D}:p1", footnote_id=None, section_id=f"{D}:s3", page=3,
                            style="parenthetical", raw="(INE, 2021a)", author="INE", year=2021, year_suffix="a",
                            reference_id=f"{D}:r1", char_start=42, char_end=54),),
        legal_references=(LegalReference(doc_id=D, legal_id=f"{D}:l1", paragraph_id=f"{D}:p1", footnote_id=None, section_id=f"{D}:s3",
                                         page=3, instrument="law", number="21.325", year=None, raw="Law No. 21.325",
                                         char_start=61, char_end=75),),
        references=(Reference(doc_id=D, reference_id=f"{D}:r1", author=INE, year=2021, year_suffix="a",
                              title="Estimación de personas extranjeras.", note=None, raw="2021a Estimación ...", acronym="INE"),),
    )
    cover = Block(page=1, role="heading", column=0, bbox=(72.0, 72.0, 300.0, 100.0), text="MGI Profile", raw="MGI Profile",
                  font="Helvetica-Bold", size=24.0)
    layout = Layout(doc_id=D, source_file="/in/prof.pdf", sha256="1a2b3c4d" * 8, n_pages=9,
                    pages=(Page(number=1, width=595.0, height=842.0, blocks=(cover,)),))
    return layout, seg, ext


def test_skeleton_prefills_every_list_unchecked():
    layout, seg, ext = pipeline_objects()
    data = G.skeleton_from("prof.pdf", layout, seg, ext)
    assert data["document"]["isbn"] == "978-92-9268-111-2" and data["document"]["checked"] is False
    assert [len(data[k]) for k in G.GOLD_LISTS] == [4, 1, 1, 1, 1, 1]
    assert all(item["checked"] is False for k in G.GOLD_LISTS for item in data[k])
    stat = data["statistics"][0]
    assert (stat["section_kind"], stat["dimension"]) == ("dimension", 2)  # nearest non-subsection ancestor
    assert data["citations"][0]["reference"] == f"{INE}|2021a"
    assert data["sections"][0]["first_words"] == "Chile had an estimated 30.7% of"
    assert data["sections"][0]["last_words"] == "21.325 by the end of 2020."
    assert data["footnotes"][0]["paragraph_first_words"].startswith("Chile had")
    with pytest.raises(GoldFormatError, match="10 items not yet checked"):
        G.parse_gold(data, "prof.skeleton.json")
    assert G.parse_gold(data, "prof.skeleton.json", allow_unchecked=True).citations[0].author == "INE"


def test_skeleton_with_only_parse_fills_document_metadata():
    layout, _, _ = pipeline_objects()
    data = G.skeleton_from("prof.pdf", layout)
    assert data["document"]["title"] == "MGI Profile" and data["document"]["isbn"] is None
    assert all(data[k] == [] for k in G.GOLD_LISTS)
    G.parse_gold(data, "x", allow_unchecked=True)


def test_checked_skeleton_scores_perfectly_against_its_own_output(tmp_path, capsys):
    """The skeleton and the scorer agree on every key: once a person has
    checked the skeleton, the output it came from scores F1 = 1."""
    _, seg, ext = pipeline_objects()
    data = G.skeleton_from("prof.pdf", None, seg, ext)
    for k in G.GOLD_LISTS:
        for item in data[k]:
            item["checked"] = True
    data["document"].pop("checked")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write(gold_dir, data, "prof.json")
    out = tmp_path / "out"
    from pipeline.store.write import DocRows, write_tables  # the real table writer: same columns and types as `mgi run`

    write_tables(out, [DocRows(document=ext.document, segmented=seg, extracted=ext, warnings=("w",))], "test-config")
    assert (out / "statistics").is_dir()
    assert V.validate_command(out, gold_dir, min_f1=1.0, fmt="json", report=None) == 0
    result = json.loads(capsys.readouterr().out)
    assert all(s["f1"] == 1.0 for s in result["tables"].values())
    assert result["tables"]["documents"]["tp"] == 7  # locality is null on both sides: not an item
    assert result["attribution"]["statistics"]["accuracy"] == 1.0
    assert result["reference_links"]["accuracy"] == 1.0


def fake_batch_run(monkeypatch) -> list:
    """The command's batch run replaced by one that only records its inputs."""
    from pipeline.run import batch

    calls = []
    monkeypatch.setattr(batch, "run", lambda inputs, out, config, **kw: calls.append(inputs) or 0)
    return calls


def test_skeleton_command_writes_once_and_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    layout, seg, ext = pipeline_objects()
    pdf = tmp_path / "prof.pdf"
    pdf.write_bytes(b"%PDF-1.4 stand-in; the stages are replaced below")
    calls = fake_batch_run(monkeypatch)

    def fake_stages(out, path):
        return layout, seg, None, ["extract failed (RuntimeError: boom)"]

    monkeypatch.setattr(G, "stages_from_work", fake_stages)
    assert skeleton_command(pdf, None) == 0
    target = tmp_path / "prof.skeleton.json"
    captured = capsys.readouterr()
    assert "extract failed" in captured.err and str(target) in captured.out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data["sections"]) == 4 and data["statistics"] == [] and len(data["footnotes"]) == 1
    before = target.read_bytes()
    assert skeleton_command(pdf, None) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and err.count("\n") == 1
    assert target.read_bytes() == before and len(calls) == 1
    dest_dir = tmp_path / "gold"
    dest_dir.mkdir()
    assert skeleton_command(pdf, dest_dir) == 0
    assert (dest_dir / "prof.skeleton.json").exists()
    # a skeleton left in the gold folder is refused by the scorer, never silently scored
    with pytest.raises(GoldFormatError, match="items not yet checked"):
        V.read_golds(dest_dir)


def test_skeleton_command_reports_bad_input(tmp_path, monkeypatch, capsys):
    from pipeline.errors import InputError

    def failing(out, path):
        raise InputError(f"{path}: not a PDF")

    fake_batch_run(monkeypatch)
    monkeypatch.setattr(G, "stages_from_work", failing)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"nope")
    assert skeleton_command(pdf, tmp_path / "x.json") == 2
    assert "not a PDF" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_schema_key_is_allowed(tmp_path):
    data = {"$schema": "../../docs/gold.schema.json", **minimal_gold()}
    assert G.load_gold(write(tmp_path, data)).schema_ref == "../../docs/gold.schema.json"


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_norm_text_is_idempotent_and_form_independent(text):
    once = G.norm_text(text)
    assert G.norm_text(once) == once
    assert G.norm_text(unicodedata.normalize("NFD", text)) == once
    assert "  " not in once and once == once.strip()
