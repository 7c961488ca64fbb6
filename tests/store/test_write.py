"""Parquet writer: explicit schemas, determinism, atomicity, documentation."""

from __future__ import annotations

import hashlib
import json
import os
import re
import typing
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import __version__
from pipeline.store import tables as T
from pipeline.store import write as W
from pipeline.datamodel import (
    SCHEMA_VERSION,
    Citation,
    DocumentRecord,
    Extracted,
    Footnote,
    LegalReference,
    Marker,
    PageBreak,
    Paragraph,
    Reference,
    Section,
    Segmented,
    Statistic,
)
from pipeline.errors import OutputError

REPO = Path(__file__).resolve().parents[2]
CONTRACT_COLUMNS = {
    "documents": "doc_id, source_file, sha256, n_pages, title, profile_level, country, locality, profile_year, publication_year, language, isbn, status, error",
    "sections": "doc_id, section_id, parent_id, kind, dimension, heading, page_start, page_end, order, text",
    "paragraphs": "doc_id, paragraph_id, section_id, order, page_start, page_end, text",
    "footnotes": "doc_id, footnote_id, number, page, text, paragraph_id",
    "statistics": "doc_id, stat_id, paragraph_id, section_id, page, kind, raw, value, unit, qualifier, subject, sentence, char_start, char_end",
    "citations": "doc_id, citation_id, paragraph_id, footnote_id, page, style, raw, author, year, year_suffix, reference_id",
    "legal_references": "doc_id, legal_id, paragraph_id, footnote_id, page, instrument, number, year, raw",
    "references": "doc_id, reference_id, author, year, year_suffix, title, note, raw",
}


def make_doc(doc_id: str, n_stats: int = 2, status: str = "ok") -> W.DocRows:
    d = DocumentRecord(doc_id=doc_id, source_file=f"in/{doc_id}.pdf", sha256="ab" * 32, n_pages=4,
                       title=f"Title {doc_id}", profile_level="local", country="Chile", locality="Santiago",
                       profile_year=2022, language="en", status=status,
                       error="not a PDF" if status == "failed" else None, pipeline_version=__version__, config_hash="c0ffee")
    s1 = Section(doc_id=doc_id, section_id=f"{doc_id}:s1", parent_id=None, kind="dimension", dimension=2,
                 heading="Dimension 2", page_start=2, page_end=3, order=1, text="Body.")
    s2 = Section(doc_id=doc_id, section_id=f"{doc_id}:s2", parent_id=s1.section_id, kind="well_developed", dimension=2,
                 heading="Examples of well-developed areas", page_start=2, page_end=3, order=2, text="Body.", level=2,
                 bbox=(10.0, 20.0, 30.0, 40.0))
    p = Paragraph(doc_id=doc_id, paragraph_id=f"{doc_id}:p1", section_id=s2.section_id, order=1, page_start=2, page_end=3,
                  text="There were 1,450 residents, 30.7% of them women.",
                  markers=(Marker(number=1, offset=24, page=2),), page_breaks=(PageBreak(offset=30, page=3),))
    fn = Footnote(doc_id=doc_id, footnote_id=f"{doc_id}:f2-1", number=1, page=2, text="See INE, 2021a.", paragraph_id=p.paragraph_id)
    stats = tuple(
        Statistic(doc_id=doc_id, stat_id=f"{doc_id}:st{i}", paragraph_id=p.paragraph_id, section_id=s2.section_id, page=2,
                  kind="count", raw=f"{i},450", value=1450.0 + i, unit="resident", qualifier=None, subject="residents",
                  sentence=p.text, char_start=11, char_end=16)
        for i in range(1, n_stats + 1)
    )
    ref = Reference(doc_id=doc_id, reference_id=f"{doc_id}:r1", author="National Statistics Institute", year=2021,
                    year_suffix="a", title="Census", note=None, raw="2021a Census.", acronym="INE")
    cit = Citation(doc_id=doc_id, citation_id=f"{doc_id}:c1", paragraph_id=None, footnote_id=fn.footnote_id, section_id=None,
                   page=2, style="parenthetical", raw="INE, 2021a", author="INE", year=2021, year_suffix="a",
                   reference_id=ref.reference_id, char_start=4, char_end=14)
    leg = LegalReference(doc_id=doc_id, legal_id=f"{doc_id}:l1", paragraph_id=p.paragraph_id, footnote_id=None,
                         section_id=s2.section_id, page=3, instrument="law", number="21.325", year=2021,
                         raw="Law No. 21.325", char_start=0, char_end=14)
    seg = Segmented(document=d, sections=(s2, s1), paragraphs=(p,), footnotes=(fn,), warnings=("w-seg",))
    ext = Extracted(document=d, footnotes=(fn,), statistics=stats, citations=(cit,), legal_references=(leg,), references=(ref,),
                    warnings=("w-ext",))
    return W.DocRows(d, seg, ext, ("w-seg", "w-ext"))


def digests(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*.parquet"))}


def test_every_contract_and_model_column_is_in_the_schema():
    for table, cols in CONTRACT_COLUMNS.items():
        names = W.SCHEMAS[table].names
        for col in cols.split(", "):
            assert col in names, (table, col)
        # all fields of the row model are columns (documents adds `warnings`)
        assert set(T.TABLE_SPECS[table].row_model.model_fields) <= set(names), table
        assert names[0] == "doc_id"


def test_nullability_follows_the_row_models():
    for table, model in ((s.name, s.row_model) for s in T.SPECS):
        for name, info in model.model_fields.items():
            field = W.SCHEMAS[table].field(name)
            optional = type(None) in typing.get_args(info.annotation)
            if name not in T.TABLE_SPECS[table].json_columns:
                assert field.nullable == optional, (table, name)


def test_tables_are_deterministic_and_carry_metadata(tmp_path):
    docs = [make_doc("b-2"), make_doc("a-1"), make_doc("zz-9", status="failed")]
    counts = W.write_tables(tmp_path / "one", docs, "c0ffee")
    W.write_tables(tmp_path / "two", list(reversed(docs)), "c0ffee")
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    assert counts["documents"] == 3 and counts["statistics"] == 4 and counts["sections"] == 4
    files = sorted((tmp_path / "one").glob("*/part-*.parquet"))
    assert [f.parent.name for f in files] == sorted(W.TABLES)  # a few documents: one part
    meta = pq.read_metadata(files[0]).metadata
    assert meta[b"mgi.schema_version"] == SCHEMA_VERSION.encode()
    assert meta[b"mgi.pipeline_version"] == __version__.encode()
    assert meta[b"mgi.config_hash"] == b"c0ffee"
    # a different config hash changes the metadata (and so the bytes)
    W.write_tables(tmp_path / "three", docs, "deadbeef")
    assert digests(tmp_path / "three") != digests(tmp_path / "one")
    # rows sorted by doc_id then document order; failed docs only in documents
    docs_df = pd.read_parquet(tmp_path / "one" / "documents")
    assert list(docs_df.doc_id) == ["a-1", "b-2", "zz-9"]
    assert list(docs_df.status) == ["ok", "ok", "failed"]
    assert docs_df.pipeline_version.tolist() == [__version__] * 3
    assert list(docs_df.warnings.iloc[0]) == ["w-seg", "w-ext"]
    secs = pd.read_parquet(tmp_path / "one" / "sections")
    assert list(secs.section_id) == ["a-1:s1", "a-1:s2", "b-2:s1", "b-2:s2"]
    assert list(secs.bbox.iloc[1]) == [10.0, 20.0, 30.0, 40.0]
    assert not (pd.read_parquet(tmp_path / "one" / "statistics").doc_id == "zz-9").any()


def test_tables_load_in_pandas_and_duckdb_with_declared_types(tmp_path):
    W.write_tables(tmp_path, [make_doc("a-1")], "h")
    for table in W.TABLES:
        df = pd.read_parquet(tmp_path / table)
        assert list(df.columns) == W.SCHEMAS[table].names
        (part,) = (tmp_path / table).glob("part-*.parquet")
        arrow = pq.read_table(part)
        assert arrow.schema.remove_metadata().equals(W.SCHEMAS[table].remove_metadata(), check_metadata=False)
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM read_parquet('{tmp_path.as_posix()}/statistics/**/*.parquet')").fetchone()[0]
    con.close()
    assert n == 2
    para = pd.read_parquet(tmp_path / "paragraphs").iloc[0]
    assert json.loads(para.page_breaks) == [{"offset": 30, "page": 3}]
    assert json.loads(para.markers)[0]["number"] == 1
    stat = pd.read_parquet(tmp_path / "statistics").iloc[0]
    assert stat.value == 1451.0 and stat.unit == "resident"


def test_empty_tables_still_get_a_file_with_the_schema(tmp_path):
    W.write_tables(tmp_path, [make_doc("x-1", status="failed")], "h")
    for table in W.TABLES:
        df = pd.read_parquet(tmp_path / table)
        assert list(df.columns) == W.SCHEMAS[table].names
        assert len(df) == (1 if table == "documents" else 0)
    W.write_tables(tmp_path, [], "h")
    assert len(pd.read_parquet(tmp_path / "documents")) == 0


def test_rewrite_replaces_rows_and_stale_parts(tmp_path):
    W.write_tables(tmp_path, [make_doc("a-1"), make_doc("b-2")], "h")
    stale = tmp_path / "statistics" / "part-7.parquet"
    stale.write_bytes(next((tmp_path / "statistics").glob("part-*.parquet")).read_bytes())
    W.write_tables(tmp_path, [make_doc("b-2", n_stats=1)], "h")
    assert not stale.exists()
    df = pd.read_parquet(tmp_path / "statistics")
    assert df.doc_id.tolist() == ["b-2"]


def test_bad_rows_are_refused_with_one_line(tmp_path):
    doc = make_doc("a-1")
    broken = doc.extracted.model_copy(update={"statistics": doc.extracted.statistics + doc.extracted.statistics[:1]})
    with pytest.raises(OutputError, match=r"statistics: duplicate id a-1:st1"):
        W.write_tables(tmp_path, [W.DocRows(doc.document, doc.segmented, broken)], "h")
    assert not any(tmp_path.rglob("*.parquet"))  # nothing half-written


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    W.write_tables(tmp_path, [make_doc("a-1")], "h")
    before = digests(tmp_path)

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        W.write_tables(tmp_path, [make_doc("b-2")], "h")
    monkeypatch.undo()
    assert digests(tmp_path) == before
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    for f in tmp_path.rglob("*.parquet"):
        assert f.read_bytes()[-4:] == b"PAR1"


def test_schema_doc_lists_every_column():
    doc = (REPO / "docs" / "SCHEMA.md").read_text(encoding="utf-8")
    begin, end = doc.index(T.SCHEMA_DOC_BEGIN), doc.index(T.SCHEMA_DOC_END)
    generated = doc[begin + len(T.SCHEMA_DOC_BEGIN): end].strip()
    assert generated == T.schema_markdown().strip(), "docs/SCHEMA.md is stale: regenerate with `python -m pipeline.store.tables`"
    for table in W.TABLES:
        assert re.search(rf"^### {table}$", doc, re.M)
        for name, *_ in T.column_docs(table):
            assert f"| `{name}` |" in doc


def test_tables_from_the_work_folder_never_trust_a_corrupted_intermediate(tmp_path):
    from pipeline.store.workdir import doc_dir, write_model

    for doc_id in ("a-1", "b-2"):
        doc = make_doc(doc_id)
        work = doc_dir(tmp_path, doc_id)
        write_model(work / "status.json", "status", doc.document)
        write_model(work / "segments.json", "segment", doc.segmented)
        write_model(work / "extracted.json", "extract", doc.extracted)
    bad = doc_dir(tmp_path, "b-2") / "extracted.json"
    bad.write_text(bad.read_text().replace("1,450", "9,450"))  # bytes changed after the checksum
    rows = W.load_doc_rows(tmp_path, "b-2")
    assert rows.document.status == "failed" and "checksum mismatch" in rows.document.error
    assert W.load_doc_rows(tmp_path, "missing-0") is None
    counts = W.write_outputs(tmp_path, ["b-2", "a-1", "a-1"], "h")
    assert counts["documents"] == 2 and counts["statistics"] == 2  # b-2 is a failed row only
    docs = pd.read_parquet(tmp_path / "documents")
    assert docs.set_index("doc_id").loc["b-2", "status"] == "failed"
    assert list(docs.loc[docs.doc_id == "a-1", "warnings"].iloc[0]) == ["w-seg", "w-ext"]
