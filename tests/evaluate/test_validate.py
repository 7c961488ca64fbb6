"""Scorer and report of ``mgi validate`` on crafted outputs and gold files."""

from __future__ import annotations

import copy
import json
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluate import report as R
from pipeline.evaluate import scoring as S
from pipeline.evaluate import validate as V
from pipeline.evaluate.gold import parse_gold

DOC = "santiago-2022-0123abcd"
INE = "National Statistics Institute (Instituto Nacional de Estadísticas, INE)"
ATP = "Parliamentary Technical Advisory (Asesoría Técnica Parlamentaria, ATP)"
CONTEXT_TEXT = ("According to the National Statistics Institute Chile had an estimated 1,450,333 foreign habitual "
                "residents, Venezuela (30.7%) ... accounted for just over 79 per cent of all migrants in Chile.")
WELL_TEXT = ("The municipality has 24 ministries ... and 15.1 per cent of the foreign population lives in the commune "
             "according to the census.")


def _sec(n, parent, kind, dim, heading, page, text):
    return {"doc_id": DOC, "section_id": f"{DOC}:s{n}", "parent_id": parent and f"{DOC}:s{parent}", "kind": kind,
            "dimension": dim, "heading": heading, "page_start": page, "page_end": page, "order": n, "text": text}


def base_output() -> dict[str, list[dict]]:
    sid = lambda n: f"{DOC}:s{n}"  # noqa: E731
    return {
        "documents": [{"doc_id": DOC, "source_file": "/data/pdfs/santiago-2022.pdf", "sha256": "0123abcd" * 8, "n_pages": 12,
                       "title": "Migration Governance Indicators: Santiago de Chile", "profile_level": "local",
                       "country": "Chile", "locality": "Santiago de Chile", "profile_year": 2022, "publication_year": 2023,
                       "language": "en", "isbn": "978-92-9268-000-1", "status": "ok", "error": None}],
        "sections": [
            _sec(1, None, "context", None, "CONTEXT", 3, CONTEXT_TEXT),
            _sec(2, 1, "subsection", None, "Migration trends", 3, CONTEXT_TEXT),
            _sec(3, None, "well_developed", None, "Migration governance: Examples of well-developed areas", 5, WELL_TEXT),
            _sec(4, 3, "dimension", 1, "Adhere to international standards and fulfil migrants' rights", 5,
                 "The municipality has 24 ministries ... and 15.1 per cent"),
            _sec(5, 3, "dimension", 4, "Advance the socioeconomic well-being of migrants", 6,
                 "of the foreign population lives in the commune according to the census."),
        ],
        "statistics": [
            {"doc_id": DOC, "stat_id": f"{DOC}:t1", "paragraph_id": f"{DOC}:p1", "section_id": sid(2), "page": 3,
             "kind": "count", "raw": "1,450,333 foreign habitual residents", "value": 1450333.0, "unit": "resident",
             "qualifier": "approximately", "subject": "foreign habitual residents", "sentence": "Chile had an estimated ...",
             "char_start": 10, "char_end": 46},
            {"doc_id": DOC, "stat_id": f"{DOC}:t2", "paragraph_id": f"{DOC}:p1", "section_id": sid(2), "page": 3,
             "kind": "percent", "raw": "30.7%", "value": 30.7, "unit": "%", "qualifier": None, "subject": None,
             "sentence": "Venezuela (30.7%)", "char_start": 60, "char_end": 65},
            {"doc_id": DOC, "stat_id": f"{DOC}:t3", "paragraph_id": f"{DOC}:p5", "section_id": sid(4), "page": 5,
             "kind": "count", "raw": "24 ministries", "value": 24.0, "unit": "ministry", "qualifier": None,
             "subject": "ministries", "sentence": "The municipality has 24 ministries", "char_start": 4, "char_end": 17},
            {"doc_id": DOC, "stat_id": f"{DOC}:t4", "paragraph_id": f"{DOC}:p6", "section_id": sid(5), "page": 6,
             "kind": "percent", "raw": "15.1 per cent", "value": 15.1, "unit": "%", "qualifier": None,
             "subject": "foreign population", "sentence": "15.1 per cent of the foreign population", "char_start": 0,
             "char_end": 13},
        ],
        "citations": [
            {"doc_id": DOC, "citation_id": f"{DOC}:c1", "paragraph_id": f"{DOC}:p1", "footnote_id": None, "section_id": sid(2),
             "page": 3, "style": "narrative", "raw": "National Statistics Institute (Instituto Nacional de Estadísticas, INE) (2021a)",
             "author": INE, "year": 2021, "year_suffix": "a", "reference_id": f"{DOC}:r1", "char_start": 13, "char_end": 90},
            {"doc_id": DOC, "citation_id": f"{DOC}:c2", "paragraph_id": f"{DOC}:p2", "footnote_id": None, "section_id": sid(2),
             "page": 3, "style": "parenthetical", "raw": "(INE, 2021a)", "author": "INE", "year": 2021, "year_suffix": "a",
             "reference_id": f"{DOC}:r1", "char_start": 5, "char_end": 17},
            {"doc_id": DOC, "citation_id": f"{DOC}:c3", "paragraph_id": f"{DOC}:p5", "footnote_id": None, "section_id": sid(4),
             "page": 5, "style": "parenthetical", "raw": "(ATP, 2018)", "author": "ATP", "year": 2018, "year_suffix": None,
             "reference_id": f"{DOC}:r3", "char_start": 30, "char_end": 41},
        ],
        "legal_references": [
            {"doc_id": DOC, "legal_id": f"{DOC}:l1", "paragraph_id": None, "footnote_id": f"{DOC}:f3-6", "section_id": sid(2),
             "page": 3, "instrument": "law", "number": "21.325", "year": None, "raw": "Law No. 21.325", "char_start": 0, "char_end": 14},
            {"doc_id": DOC, "legal_id": f"{DOC}:l2", "paragraph_id": f"{DOC}:p5", "footnote_id": None, "section_id": sid(4),
             "page": 5, "instrument": "decree_with_force_of_law", "number": "1", "year": 2006,
             "raw": "Decree with Force of Law No. 1 (2006)", "char_start": 0, "char_end": 30},
        ],
        "footnotes": [
            {"doc_id": DOC, "footnote_id": f"{DOC}:f3-6", "number": 6, "page": 3,
             "text": "The Department of Aliens and Migration was dissolved and replaced by the National Migration Service "
                     "pursuant to the Law on Migration and Foreigners (Law No. 21.325), published on 11 April 2021.",
             "paragraph_id": f"{DOC}:p1"},
            {"doc_id": DOC, "footnote_id": f"{DOC}:f3-10", "number": 10, "page": 3, "text": "Ibid.", "paragraph_id": f"{DOC}:p2"},
        ],
        "references": [
            {"doc_id": DOC, "reference_id": f"{DOC}:r1", "author": INE, "year": 2021, "year_suffix": "a",
             "title": "Estimación de personas extranjeras residentes habituales en Chile al 31 de diciembre 2020.",
             "note": None, "raw": "2021a Estimación ..."},
            {"doc_id": DOC, "reference_id": f"{DOC}:r2", "author": INE, "year": 2021, "year_suffix": "b",
             "title": "Boletín estadístico: empleo población extranjera, Issue No. 1 (10 December).", "note": None,
             "raw": "2021b Boletín ..."},
            {"doc_id": DOC, "reference_id": f"{DOC}:r3", "author": ATP, "year": 2018, "year_suffix": None,
             "title": "Guía legal sobre: Municipalidades.", "note": "Not available online.", "raw": "2018 Guía legal ..."},
        ],
    }


def base_gold() -> dict:
    return {
        "document": {"source_file": "santiago-2022.pdf", "title": "Migration Governance Indicators: Santiago de Chile",
                     "profile_level": "local", "country": "Chile", "locality": "Santiago de Chile", "profile_year": 2022,
                     "publication_year": 2023, "language": "en", "isbn": "978-92-9268-000-1"},
        "sections": [
            {"kind": "context", "dimension": None, "heading": "CONTEXT", "page_start": 3,
             "first_words": "According to the National", "last_words": "all migrants in Chile."},
            {"kind": "subsection", "dimension": None, "heading": "Migration trends", "page_start": 3,
             "first_words": "According to the", "last_words": "migrants in Chile"},
            {"kind": "well_developed", "dimension": None, "heading": "Migration governance: Examples of well-developed areas",
             "page_start": 5, "first_words": "The municipality has", "last_words": "according to the census."},
            {"kind": "dimension", "dimension": 1, "heading": "Adhere to international standards and fulfil migrants' rights",
             "page_start": 5, "first_words": "The municipality has 24", "last_words": "and 15.1 per cent"},
            {"kind": "dimension", "dimension": 4, "heading": "Advance the socioeconomic well-being of migrants", "page_start": 6,
             "first_words": "of the foreign population", "last_words": "according to the census."},
        ],
        "statistics": [
            {"page": 3, "kind": "count", "value": 1450333, "unit": "resident", "qualifier": "approximately",
             "subject": "foreign habitual residents", "raw": "1,450,333 foreign habitual residents",
             "section_kind": "context", "dimension": None},
            {"page": 3, "kind": "percent", "value": 30.7, "unit": "%", "raw": "30.7%", "section_kind": "subsection", "dimension": None},
            {"page": 5, "kind": "count", "value": 24, "unit": "ministry", "raw": "24 ministries",
             "section_kind": "well_developed", "dimension": 1},
            {"page": 6, "kind": "percent", "value": 15.1, "unit": "%", "raw": "15.1 per cent",
             "section_kind": "dimension", "dimension": 4},
        ],
        "citations": [
            {"page": 3, "style": "narrative", "author": INE, "year": 2021, "year_suffix": "a",
             "raw": "National Statistics Institute (Instituto Nacional de Estadísticas, INE) (2021a)",
             "section_kind": "context", "dimension": None, "reference": "INE|2021a"},
            {"page": 3, "style": "parenthetical", "author": "INE", "year": 2021, "year_suffix": "a", "raw": "(INE, 2021a)",
             "section_kind": "context", "dimension": None, "reference": "INE|2021a"},
            {"page": 5, "style": "parenthetical", "author": "ATP", "year": 2018, "year_suffix": None, "raw": "(ATP, 2018)",
             "section_kind": "dimension", "dimension": 1, "reference": "ATP|2018"},
        ],
        "legal_references": [
            {"page": 3, "instrument": "law", "number": "21.325", "year": None, "raw": "Law No. 21.325"},
            {"page": 5, "instrument": "decree_with_force_of_law", "number": "1", "year": 2006,
             "raw": "Decree with Force of Law No. 1 (2006)"},
        ],
        "footnotes": [
            {"number": 6, "page": 3,
             "text": "The Department of Aliens and Migration was dissolved and replaced by the National Migration Service "
                     "pursuant to the Law on Migration and Foreigners (Law No. 21.325), published on 11 April 2021.",
             "paragraph_first_words": "According to the National"},
            {"number": 10, "page": 3, "text": "Ibid."},
        ],
        "references": [
            {"author": INE, "year": 2021, "year_suffix": "a",
             "title": "Estimación de personas extranjeras residentes habituales en Chile al 31 de diciembre 2020."},
            {"author": INE, "year": 2021, "year_suffix": "b",
             "title": "Boletín estadístico: empleo población extranjera, Issue No. 1 (10 December)."},
            {"author": ATP, "year": 2018, "year_suffix": None, "title": "Guía legal sobre: Municipalidades.",
             "note": "Not available online."},
        ],
    }


def frames(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    return {t: pd.DataFrame(r) for t, r in rows.items()}


def run_score(output: dict, gold: dict, min_f1=None) -> dict:
    return S.score(frames(output), {"santiago-2022": (parse_gold(gold, "santiago-2022.json"), "santiago-2022.json")}, min_f1)


def write_out(path: Path, output: dict) -> Path:
    for table, rows in output.items():
        (path / table).mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows).to_parquet(path / table / "part-0.parquet", index=False)
    return path


def write_gold(folder: Path, gold: dict, stem: str = "santiago-2022") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------


def test_perfect_output_scores_one_everywhere():
    result = run_score(base_output(), base_gold())
    for table, s in result["tables"].items():
        assert s["f1"] == 1.0, (table, s)
        assert s["fp"] == 0 and s["fn"] == 0
    assert result["tables"]["statistics"]["tp"] == 4
    assert result["tables"]["documents"]["tp"] == 8
    assert result["misses"] == [] and result["extras"] == []
    for table in ("statistics", "citations"):
        assert result["attribution"][table]["accuracy"] == 1.0
    assert result["attribution"]["statistics"]["checked"] == 4
    assert result["reference_links"] == {"checked": 3, "correct": 3, "accuracy": 1.0}
    assert result["documents"][0]["doc_id"] == DOC


TABLE_ROWS = ["sections", "statistics", "citations", "legal_references", "footnotes", "references"]


@pytest.mark.parametrize("table", TABLE_ROWS)
def test_missing_output_row_is_a_miss(table):
    output = base_output()
    dropped = output[table].pop(1)
    result = run_score(output, base_gold())
    s = result["tables"][table]
    assert (s["tp"], s["fp"], s["fn"]) == (len(output[table]), 0, 1)
    assert s["recall"] < 1.0 and s["precision"] == 1.0
    misses = [m for m in result["misses"] if m["table"] == table]
    assert len(misses) == 1 and misses[0]["document"] == "santiago-2022"
    page = dropped.get("page", dropped.get("page_start"))
    if table != "references":
        assert misses[0]["page"] == page
    others = {t: v["f1"] for t, v in result["tables"].items() if t != table}
    assert all(f == 1.0 for f in others.values()), others


@pytest.mark.parametrize("table", TABLE_ROWS)
def test_duplicate_output_row_is_an_extra(table):
    output = base_output()
    dup = dict(output[table][0])
    dup[S.ID_COLUMNS[table]] = f"{DOC}:x99"
    output[table].append(dup)
    result = run_score(output, base_gold())
    s = result["tables"][table]
    assert (s["fp"], s["fn"]) == (1, 0)
    assert s["precision"] < 1.0 and s["recall"] == 1.0
    extras = [e for e in result["extras"] if e["table"] == table]
    assert len(extras) == 1 and extras[0]["text"]


def test_document_field_mismatch_is_miss_and_extra():
    output = base_output()
    output["documents"][0]["profile_year"] = 2021
    output["documents"][0]["isbn"] = "9789292680001"  # hyphens do not matter
    gold = base_gold()
    del gold["document"]["title"]  # a field left out is not scored
    result = run_score(output, gold)
    s = result["tables"]["documents"]
    assert (s["tp"], s["fp"], s["fn"]) == (6, 1, 1)
    assert any("profile_year" in m["text"] and "2022" in m["text"] for m in result["misses"])
    assert any("2021" in e["text"] for e in result["extras"])


def test_statistic_under_wrong_dimension_is_matched_but_misattributed():
    output = base_output()
    output["statistics"][3]["section_id"] = f"{DOC}:s4"  # dimension 1 instead of 4
    result = run_score(output, base_gold())
    assert result["tables"]["statistics"]["f1"] == 1.0
    att = result["attribution"]["statistics"]
    assert (att["checked"], att["correct"], att["accuracy"]) == (4, 3, 0.75)
    (err,) = result["attribution_errors"]
    assert err["gold"] == {"section_kind": "dimension", "dimension": 4}
    assert err["output"]["dimension"] == 1 and err["output"]["section_kind"] == "dimension"
    assert err["page"] == 6


def test_well_developed_gold_needs_a_well_developed_ancestor():
    output = base_output()
    output["statistics"][2]["section_id"] = f"{DOC}:s2"  # under context instead of dimension 1 / well-developed
    result = run_score(output, base_gold())
    assert result["attribution"]["statistics"]["correct"] == 3
    assert S.attribution_ok("well_developed", 1, f"{DOC}:s4", {s["section_id"]: s for s in output["sections"]})
    assert not S.attribution_ok("further_development", 1, f"{DOC}:s4", {s["section_id"]: s for s in output["sections"]})
    assert not S.attribution_ok("context", None, None, {})
    assert S.attribution_ok(None, None, None, {})


def test_citation_with_wrong_year_suffix_is_miss_and_extra():
    output = base_output()
    output["citations"][2]["year_suffix"] = "b"
    result = run_score(output, base_gold())
    s = result["tables"]["citations"]
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 1)
    assert [m["text"] for m in result["misses"] if m["table"] == "citations"][0].endswith("ATP 2018 (parenthetical)")
    assert "2018b" in [e["text"] for e in result["extras"] if e["table"] == "citations"][0]


def test_citation_title_and_date_are_checked_only_when_the_gold_gives_them():
    output = base_output()
    output["citations"][2].update(title="Guidance on quality management of IOM evaluations", date="2022-09")
    assert run_score(output, base_gold())["tables"]["citations"]["f1"] == 1.0  # gold without them: not checked
    gold = base_gold()
    gold["citations"][2].update(title="Guidance on quality management of IOM evaluations.", date="2022-09")
    assert run_score(output, gold)["tables"]["citations"]["f1"] == 1.0  # title by similarity, date equal
    output["citations"][2]["date"] = "2022-10"
    s = run_score(output, gold)["tables"]["citations"]
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 1)
    output["citations"][2].update(date="2022-09", title="Review of the use and follow-up of evaluations")
    assert run_score(output, gold)["tables"]["citations"]["fn"] == 1
    gold["citations"][2].update(title=None, date=None)  # labelled as printed without title and date
    assert run_score(output, gold)["tables"]["citations"]["fn"] == 1
    output["citations"][2].update(title=None, date=None)
    assert run_score(output, gold)["tables"]["citations"]["f1"] == 1.0


@pytest.mark.parametrize("date", ["2022", "September 2022", "2022-9", "2022-09-4"])
def test_gold_citation_date_must_be_iso(date):
    gold = base_gold()
    gold["citations"][2]["date"] = date
    with pytest.raises(Exception, match="date"):
        parse_gold(gold, "santiago-2022.json")


def test_acronym_and_full_name_authors_match_through_key_sources_aliases():
    output = base_output()
    output["citations"][1]["author"] = "Instituto Nacional de Estadísticas"  # gold says INE
    output["citations"][0]["author"] = "National Statistics Institute"  # gold says the full heading
    output["citations"][2]["author"] = "Asesoría Técnica Parlamentaria (ATP)"  # gold says ATP
    result = run_score(output, base_gold())
    assert result["tables"]["citations"]["f1"] == 1.0
    output["citations"][2]["author"] = "UNICEF"  # names no heading: no match
    result = run_score(output, base_gold())
    assert result["tables"]["citations"]["fn"] == 1


def test_unicode_and_whitespace_variants_still_match():
    gold = base_gold()
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    gold["references"][0]["title"] = nfd(gold["references"][0]["title"]).replace(" ", "\u00a0", 3)
    gold["references"][2]["author"] = nfd(ATP)
    gold["citations"][2]["reference"] = nfd("Asesoría Técnica Parlamentaria|2018")
    gold["footnotes"][0]["text"] = gold["footnotes"][0]["text"].replace("(Law", "\u201cLaw").replace("325)", "325\u201d")
    gold["sections"][3]["first_words"] = "The  municipality\u00a0has 24"
    gold["sections"][3]["last_words"] = "and 15.1 per\ncent"
    gold["statistics"][3]["raw"] = "15.1 %"  # raw wording is irrelevant: matched on value
    gold["statistics"][0]["value"] = 1450333.0000001  # within relative 1e-6
    gold["legal_references"][0]["number"] = "No. 21.325"
    output = base_output()
    output["legal_references"][1]["number"] = "N° 1"
    output["citations"][1]["author"] = " ine "
    result = run_score(output, gold)
    for table, s in result["tables"].items():
        assert s["f1"] == 1.0, (table, result["misses"], result["extras"])
    assert result["reference_links"]["correct"] == 3


def test_value_tolerance_and_kind_are_strict():
    gold = base_gold()
    gold["statistics"][0]["value"] = 1450334
    gold["statistics"][1]["kind"] = "other"
    result = run_score(base_output(), gold)
    s = result["tables"]["statistics"]
    assert (s["tp"], s["fp"], s["fn"]) == (2, 2, 2)


def test_similarity_thresholds_for_footnotes_references_and_section_words():
    output = base_output()
    output["footnotes"][0]["text"] = "The Department of Aliens and Migration was dissolved."
    output["references"][2]["title"] = "Something else entirely, 2018 edition."
    output["sections"][4]["text"] = "Preamble words come first here and then " + output["sections"][4]["text"]
    result = run_score(output, base_gold())
    for table in ("footnotes", "references", "sections"):
        s = result["tables"][table]
        assert (s["fp"], s["fn"]) == (1, 1), table


def test_matching_is_one_to_one_and_deterministic():
    output = base_output()
    gold = base_gold()
    gold["statistics"].append(dict(gold["statistics"][1]))  # "30.7%" twice in gold
    for n in (5, 6):  # and three times in the output
        row = dict(output["statistics"][1])
        row["stat_id"] = f"{DOC}:t{n}"
        output["statistics"].append(row)
    a = run_score(output, gold)
    b = run_score(output, gold)
    assert a == b
    s = a["tables"]["statistics"]
    assert (s["tp"], s["fp"], s["fn"]) == (5, 1, 0)
    assert a["extras"][0]["id"] == f"{DOC}:t6"


def test_micro_average_over_documents():
    out1, out2 = base_output(), base_output()
    doc2 = "valparaiso-2023-feedbeef"
    for rows in out2.values():
        for r in rows:
            r["doc_id"] = doc2
    out2["documents"][0]["source_file"] = "valparaiso-2023.pdf"
    out2["statistics"] = out2["statistics"][:2]  # two misses in document 2
    merged = {t: out1[t] + out2[t] for t in out1}
    golds = {s: (parse_gold(base_gold(), f"{s}.json"), f"{s}.json") for s in ("santiago-2022", "valparaiso-2023")}
    result = S.score(frames(merged), golds)
    s = result["tables"]["statistics"]
    assert (s["tp"], s["fp"], s["fn"]) == (6, 0, 2)
    per_doc = {d["document"]: d["tables"]["statistics"]["f1"] for d in result["documents"]}
    assert per_doc["santiago-2022"] == 1.0 and per_doc["valparaiso-2023"] == pytest.approx(0.6667, abs=1e-4)
    assert s["f1"] == pytest.approx(2 * 1.0 * 0.75 / 1.75, abs=1e-4)


# --------------------------------------------------------------------------
# command: exit codes, formats, files
# --------------------------------------------------------------------------


def test_command_markdown_report_and_svg(tmp_path, capsys):
    out = write_out(tmp_path / "out", base_output())
    gold_dir = tmp_path / "gold"
    g = base_gold()
    g["statistics"].append({"page": 9, "kind": "money", "value": 99247661, "unit": "CLP", "raw": "99,247,661 Chilean pesos"})
    write_gold(gold_dir, g)
    report = tmp_path / "rep" / "validation.md"
    code = V.validate_command(out, gold_dir, min_f1=None, fmt="markdown", report=report)
    printed = capsys.readouterr().out
    assert code == 0
    assert "| table | precision | recall | F1 |" in printed
    assert "| sections | 1.000 | 1.000 | ██████████ 1.00 |" in printed
    assert "█████████░ 0.89" in printed  # statistics: 4 of 5 found
    assert "## Per document (F1)" in printed and "## Attribution accuracy" in printed
    assert "## Misses (in gold, not in output): 1" in printed
    assert "- `santiago-2022` p. 9: “99,247,661 Chilean pesos” money" in printed
    assert "## Extras (in output, not in gold): 0" in printed
    assert report.read_text(encoding="utf-8").startswith("# Validation report")
    assert "![Precision, recall and F1 per table](validation.svg)" in report.read_text(encoding="utf-8")
    svg = ET.parse(report.with_suffix(".svg")).getroot()
    assert svg.tag.endswith("svg")
    titles = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")]
    assert "statistics f1 0.889" in titles and len(titles) == 3 * len(S.TABLES)


def test_command_json_shape(tmp_path, capsys):
    out = write_out(tmp_path / "out", base_output())
    output_missing = base_output()
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, base_gold())
    (out / "statistics" / "part-0.parquet").unlink()
    pd.DataFrame(output_missing["statistics"][:3]).to_parquet(out / "statistics" / "part-0.parquet")
    code = V.validate_command(out, gold_dir, min_f1=None, fmt="json", report=None)
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data) >= {"tables", "documents", "attribution", "misses", "extras", "attribution_errors", "reference_links"}
    assert set(data["tables"]) == set(S.TABLES)
    assert set(data["tables"]["statistics"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    assert data["tables"]["statistics"]["fn"] == 1
    (miss,) = data["misses"]
    assert miss == {"table": "statistics", "document": "santiago-2022", "page": 6, "text": miss["text"]}
    assert "15.1 per cent" in miss["text"]


def test_min_f1_exit_codes(tmp_path, capsys):
    output = base_output()
    output["citations"].pop()
    out = write_out(tmp_path / "out", output)
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, base_gold())
    assert V.validate_command(out, gold_dir, min_f1=0.7, fmt="json", report=None) == 0
    capsys.readouterr()
    assert V.validate_command(out, gold_dir, min_f1=0.9, fmt="markdown", report=None) == 1
    err = capsys.readouterr().err
    assert "citations 0.800" in err and "statistics" not in err
    assert V.validate_command(out, gold_dir, min_f1=1.5, fmt="markdown", report=None) == 2


def test_missing_table_is_scored_empty_with_a_warning(tmp_path, capsys):
    output = base_output()
    del output["legal_references"]
    out = write_out(tmp_path / "out", output)
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, base_gold())
    assert V.validate_command(out, gold_dir, min_f1=None, fmt="json", report=None) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tables"]["legal_references"]["recall"] == 0.0
    assert any("legal_references" in w for w in data["warnings"])


def test_failed_document_is_scored_with_a_warning():
    output = {t: [] for t in base_output()}
    output["documents"] = base_output()["documents"]
    output["documents"][0].update(status="failed", error="ModuleNotFoundError: no extract")
    result = run_score(output, base_gold())
    assert "santiago-2022: status failed (ModuleNotFoundError: no extract)" in result["warnings"]
    assert result["tables"]["statistics"]["recall"] == 0.0 and result["tables"]["documents"]["f1"] == 1.0
    assert "> warning: santiago-2022: status failed" in R.render_markdown(result)


@pytest.mark.parametrize(
    "case, message",
    [
        ("no-out", "output folder not found"),
        ("no-documents", "no documents table"),
        ("no-gold", "no gold files"),
        ("unmatched", "other-profile.json: no document in the output"),
        ("unchecked", "1 items not yet checked"),
        ("bad-format", "--format must be markdown or json"),
    ],
)
def test_command_errors_are_one_line_exit_2(tmp_path, capsys, case, message):
    out = write_out(tmp_path / "out", base_output())
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, base_gold())
    fmt = "markdown"
    if case == "no-out":
        out = tmp_path / "nowhere"
    elif case == "no-documents":
        for f in (out / "documents").iterdir():
            f.unlink()
    elif case == "no-gold":
        gold_dir = tmp_path / "empty-gold"
        gold_dir.mkdir()
    elif case == "unmatched":
        write_gold(gold_dir, base_gold(), stem="other-profile")
    elif case == "unchecked":
        g = base_gold()
        g["statistics"][0]["checked"] = False
        write_gold(gold_dir, g)
    elif case == "bad-format":
        fmt = "html"
    code = V.validate_command(out, gold_dir, min_f1=None, fmt=fmt, report=None)
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.out == ""


def test_cli_wiring(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    out = write_out(tmp_path / "out", base_output())
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, base_gold())
    res = CliRunner().invoke(app, ["validate", str(out), "--gold", str(gold_dir), "--format", "json", "--min-f1", "1"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["tables"]["references"]["f1"] == 1.0


def test_bar_and_prf_edges():
    assert R.bar(0.83) == "████████░░ 0.83"
    assert R.bar(0.0) == "░░░░░░░░░░ 0.00"
    assert S.prf(0, 0, 0)["f1"] == 1.0  # nothing labelled, nothing found
    assert S.prf(0, 0, 3)["f1"] == 0.0
    assert S.prf(0, 2, 0)["precision"] == 0.0
    assert copy.deepcopy(S.prf(3, 1, 1)) == {"tp": 3, "fp": 1, "fn": 1, "precision": 0.75, "recall": 0.75, "f1": 0.75}


def test_checked_skeleton_in_gold_folder_must_be_renamed(tmp_path, capsys):
    out = write_out(tmp_path / "out", base_output())
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, base_gold(), stem="santiago-2022.skeleton")
    assert V.validate_command(out, gold_dir, min_f1=None, fmt="markdown", report=None) == 2
    assert "rename it to santiago-2022.json" in capsys.readouterr().err


@settings(max_examples=40, deadline=None)
@given(order=st.permutations(range(4)), dup=st.integers(0, 3))
def test_scores_do_not_depend_on_output_row_order(order, dup):
    """Same rows in any order (plus one duplicate) give the same counts and the same extra."""
    output = base_output()
    extra = dict(output["statistics"][dup])
    extra["stat_id"] = f"{DOC}:t9"
    rows = [output["statistics"][i] for i in order] + [extra]
    output["statistics"] = rows
    result = run_score(output, base_gold())
    s = result["tables"]["statistics"]
    assert (s["tp"], s["fp"], s["fn"]) == (4, 1, 0)
    assert [e["id"] for e in result["extras"]] == [f"{DOC}:t9"]


def test_report_files_have_ordinary_permissions(tmp_path, capsys):
    import os

    out = write_out(tmp_path / "out", base_output())
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, base_gold())
    report = tmp_path / "report.json"
    assert V.validate_command(out, gold_dir, min_f1=None, fmt="json", report=report) == 0
    assert json.loads(report.read_text(encoding="utf-8"))["chart"] == str(tmp_path / "report.svg")
    mask = os.umask(0)
    os.umask(mask)
    for path in (report, tmp_path / "report.svg"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask


# --------------------------------------------------------------------------
# page-level gold (``pages_labelled``)
# --------------------------------------------------------------------------


def _only_pages(gold: dict, pages: set[int]) -> dict:
    """The base gold cut down to ``pages`` (what a labeller of those pages writes)."""
    gold = copy.deepcopy(gold)
    gold["pages_labelled"] = sorted(pages)
    gold["sections"] = [s for s in gold["sections"] if s["page_start"] in pages]
    for table in ("statistics", "citations", "legal_references", "footnotes"):
        gold[table] = [i for i in gold[table] if i["page"] in pages]
    return gold


def test_page_gold_scores_only_rows_on_the_labelled_pages():
    gold = _only_pages(base_gold(), {3})
    # without pages_labelled the same gold calls every row on pages 5 and 6 an extra
    whole = run_score(base_output(), {k: v for k, v in gold.items() if k != "pages_labelled"})
    assert whole["tables"]["statistics"]["fp"] == 2 and whole["tables"]["citations"]["fp"] == 1
    result = run_score(base_output(), gold)
    for table in ("sections", "statistics", "citations", "legal_references", "footnotes"):
        s = result["tables"][table]
        assert (s["fp"], s["fn"], s["f1"]) == (0, 0, 1.0), (table, s)
    assert result["tables"]["statistics"]["tp"] == 2
    assert all(e["page"] == 3 for e in result["extras"] if e["table"] != "references")


def test_page_gold_still_counts_misses_and_extras_on_its_pages():
    gold = _only_pages(base_gold(), {3, 5})
    output = base_output()
    output["statistics"] = [s for s in output["statistics"] if s["page"] != 3]  # recall: both page-3 rows missed
    dup = dict(output["citations"][2])  # precision: a duplicate on page 5 is an extra
    dup["citation_id"] = f"{DOC}:x99"
    output["citations"].append(dup)
    result = run_score(output, gold)
    st_ = result["tables"]["statistics"]
    assert (st_["tp"], st_["fp"], st_["fn"]) == (1, 0, 2)
    ci = result["tables"]["citations"]
    assert (ci["tp"], ci["fp"], ci["fn"]) == (3, 1, 0)
    assert {m["page"] for m in result["misses"] if m["table"] == "statistics"} == {3}


def test_page_gold_item_off_the_labelled_pages_is_a_format_error():
    gold = _only_pages(base_gold(), {3})
    gold["statistics"].append({"page": 6, "kind": "percent", "value": 15.1, "unit": "%", "raw": "15.1 per cent"})
    with pytest.raises(Exception, match=r"statistics\[2\].*page 6 is not in pages_labelled"):
        parse_gold(gold, "x.json")
    gold = _only_pages(base_gold(), {3})
    gold["pages_labelled"] = []
    with pytest.raises(Exception, match="pages_labelled"):
        parse_gold(gold, "x.json")


def test_tables_not_labelled_are_not_scored_and_must_be_empty(tmp_path, capsys):
    gold = _only_pages(base_gold(), {3})
    gold["tables_labelled"] = ["statistics", "citations", "footnotes"]
    for table in ("sections", "legal_references", "references"):
        gold[table] = []
    gold["document"] = {}
    for cit in gold["citations"]:
        cit.pop("reference", None)  # the references it would point at are not labelled
    result = run_score(base_output(), gold)
    assert set(result["tables"]) == {"statistics", "citations", "footnotes"}
    assert all(s["f1"] == 1.0 for s in result["tables"].values())
    assert not [m for m in result["misses"] + result["extras"] if m["table"] not in result["tables"]]
    assert "–" in R.render_markdown(result)
    gold["legal_references"] = [{"page": 3, "instrument": "law", "number": "21.325", "raw": "Law No. 21.325"}]
    with pytest.raises(Exception, match="legal_references.*not in tables_labelled"):
        parse_gold(gold, "x.json")
