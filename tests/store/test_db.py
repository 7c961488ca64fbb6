"""DuckDB database: typed tables with primary keys, views, query command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.store import db
from pipeline.store import write as W
from pipeline.datamodel import (
    Citation,
    DocumentRecord,
    Extracted,
    Footnote,
    LegalReference,
    Reference,
    Section,
    Segmented,
    Statistic,
)
from records import paragraph
from pipeline.errors import OutputError

REPO = Path(__file__).resolve().parents[2]


def _doc(doc_id: str, country: str) -> W.DocRows:
    d = DocumentRecord(doc_id=doc_id, source_file=f"{doc_id}.pdf", sha256="0" * 64, n_pages=9, title=f"MGI {country}",
                       profile_level="national", country=country, profile_year=2021, language="en", config_hash="h")

    def sec(n, parent, kind, dim, heading):
        return Section(doc_id=doc_id, section_id=f"{doc_id}:s{n}", parent_id=parent and f"{doc_id}:s{parent}", kind=kind,
                       dimension=dim, heading=heading, page_start=n, page_end=n, order=n, text=heading)

    sections = (
        sec(1, None, "context", None, "Context"),
        sec(2, None, "dimension", 3, "Partnerships"),
        sec(3, 2, "well_developed", 3, "Examples of well-developed areas"),
        sec(4, 3, "subsection", 3, "Regional cooperation"),
        sec(5, 2, "further_development", 3, "Areas with potential for further development"),
        sec(6, None, "key_sources", None, "Key sources"),
    )

    def para(n, s, text):
        return paragraph(n, text, page=s, doc_id=doc_id, section=s)

    paragraphs = (para(1, 1, "Context text."), para(2, 4, "24 ministries cooperate."), para(3, 5, "Only 3 staff."),
                  para(4, 3, "Findings intro."))
    fn = Footnote(doc_id=doc_id, footnote_id=f"{doc_id}:f5-1", number=1, page=5, text="About 40% (ATP, 2018).",
                  paragraph_id=f"{doc_id}:p3", section_id=f"{doc_id}:s5")

    def stat(n, par, foot, sid, value):
        return Statistic(doc_id=doc_id, stat_id=f"{doc_id}:st{n}", paragraph_id=par, footnote_id=foot, section_id=sid,
                         page=4, kind="count", raw=str(value), value=float(value), unit="ministry", qualifier=None,
                         subject=None, sentence="s", char_start=0, char_end=2)

    stats = (
        stat(1, f"{doc_id}:p2", None, f"{doc_id}:s4", 24),  # in a subsection of well_developed
        stat(2, None, f"{doc_id}:f5-1", None, 40),  # in a footnote: section via the footnote
        stat(3, f"{doc_id}:p1", None, f"{doc_id}:s1", 7),  # in context: no finding kind
    )
    ref = Reference(doc_id=doc_id, reference_id=f"{doc_id}:r1", author="Asociación de Técnicos", year=2018,
                    year_suffix=None, title="Report on X", note=None, raw="2018 Report on X.", acronym="ATP")
    cits = (
        Citation(doc_id=doc_id, citation_id=f"{doc_id}:c1", paragraph_id=None, footnote_id=fn.footnote_id, section_id=None,
                 page=5, style="parenthetical", raw="ATP, 2018", author="ATP", year=2018, year_suffix=None,
                 reference_id=ref.reference_id, char_start=11, char_end=20),
        Citation(doc_id=doc_id, citation_id=f"{doc_id}:c2", paragraph_id=f"{doc_id}:p1", footnote_id=None,
                 section_id=f"{doc_id}:s1", page=1, style="narrative", raw="UN (2019)", author="UN", year=2019,
                 year_suffix=None, reference_id=None, char_start=0, char_end=9),
    )
    leg = LegalReference(doc_id=doc_id, legal_id=f"{doc_id}:l1", paragraph_id=f"{doc_id}:p3", footnote_id=None,
                         section_id=f"{doc_id}:s5", page=5, instrument="decree", number="84", year=None, raw="Decree 84",
                         char_start=0, char_end=9)
    seg = Segmented(document=d, sections=sections, paragraphs=paragraphs, footnotes=(fn,))
    ext = Extracted(document=d, footnotes=(fn,), statistics=stats, citations=cits, legal_references=(leg,), references=(ref,))
    return W.DocRows(d, seg, ext)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dbout")
    W.write_tables(out, [_doc("peru-1", "Peru"), _doc("chile-2", "Chile"),
                         W.DocRows(DocumentRecord(doc_id="bad-3", source_file="bad.pdf", sha256="1" * 64, status="failed",
                                                  error="not a PDF"))], "h")
    assert db.build_command(out) == 0
    return out


def q(out: Path, sql: str):
    con = duckdb.connect(str(out / db.DB_NAME), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_tables_have_rows_types_and_primary_keys(built):
    assert q(built, "SELECT count(*) FROM documents") == [(3,)]
    assert q(built, 'SELECT count(*) FROM "references"') == [(2,)]
    cols = dict(q(built, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'statistics'"))
    assert cols["value"] == "DOUBLE" and cols["page"] == "INTEGER" and cols["stat_id"] == "VARCHAR"
    assert dict(q(built, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'sections'"))["bbox"] == "DOUBLE[]"
    pks = q(built, "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' ORDER BY 1")
    assert dict((t, list(c)) for t, c in pks) == {t: list(k) for t, k in W.PRIMARY_KEYS.items()} | {"mgi_metadata": ["key"]}
    con = duckdb.connect(str(built / db.DB_NAME))
    try:
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO documents (doc_id, source_file, sha256, status, warnings) VALUES ('peru-1', 'x', 'y', 'ok', [])")
    finally:
        con.close()
    assert dict(q(built, "SELECT key, value FROM mgi_metadata"))["config_hash"] == "h"


def test_v_statistics_climbs_to_the_finding_kind(built):
    rows = q(built, "SELECT stat_id, country, dimension, section_kind, heading, finding_kind FROM v_statistics WHERE doc_id = 'peru-1' ORDER BY stat_id")
    assert rows == [
        ("peru-1:st1", "Peru", 3, "subsection", "Regional cooperation", "well_developed"),
        ("peru-1:st2", "Peru", 3, "further_development", "Areas with potential for further development", "further_development"),
        ("peru-1:st3", "Peru", None, "context", "Context", None),
    ]
    assert q(built, "SELECT count(*) FROM v_statistics") == [(6,)]


def test_v_findings_v_citations_v_legal_references(built):
    findings = q(built, "SELECT paragraph_id, finding_kind, dimension, title FROM v_findings WHERE doc_id = 'chile-2' ORDER BY \"order\"")
    assert findings == [("chile-2:p2", "well_developed", 3, "MGI Chile"), ("chile-2:p3", "further_development", 3, "MGI Chile"),
                        ("chile-2:p4", "well_developed", 3, "MGI Chile")]
    cits = q(built, "SELECT citation_id, reference_author, reference_title, finding_kind FROM v_citations WHERE doc_id = 'chile-2' ORDER BY citation_id")
    assert cits == [("chile-2:c1", "Asociación de Técnicos", "Report on X", "further_development"), ("chile-2:c2", None, None, None)]
    assert q(built, "SELECT instrument, number, country, finding_kind FROM v_legal_references WHERE doc_id = 'peru-1'") == [
        ("decree", "84", "Peru", "further_development")]
    assert q(built, "SELECT acronym, country FROM v_references ORDER BY country") == [("ATP", "Chile"), ("ATP", "Peru")]


def test_build_is_atomic_and_replaces(built, tmp_path):
    assert not [p for p in built.iterdir() if p.name.endswith((".tmp", ".wal"))]
    # a broken table folder: the build fails with one line and keeps the old database
    before = (built / db.DB_NAME).read_bytes()
    other = tmp_path / "copy"
    other.mkdir()
    for table in W.TABLES:
        (other / table).mkdir()
        for part in (built / table).glob("*.parquet"):
            (other / table / part.name).write_bytes(part.read_bytes())
    (other / db.DB_NAME).write_bytes(before)
    dup = other / "statistics" / "part-1.parquet"
    dup.write_bytes(next((built / "statistics").glob("*.parquet")).read_bytes())  # every id twice
    with pytest.raises(OutputError, match=r"^cannot build .*mgi\.duckdb: .*(?i:primary key|duplicate)"):
        db.build(other)
    assert (other / db.DB_NAME).read_bytes() == before
    assert not [p for p in other.iterdir() if p.name.endswith((".tmp", ".wal"))]
    dup.unlink()
    for part in (other / "citations").glob("*.parquet"):
        part.unlink()
    with pytest.raises(OutputError, match="citations: no Parquet files"):
        db.build(other)


def test_query_command_output_and_errors(built, capsys):
    assert db.query_command(built, "SELECT country, count(*) AS n FROM v_statistics GROUP BY 1 ORDER BY 1") == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["country\tn", "Chile\t3", "Peru\t3"]
    assert db.query_command(built, "SELECT stat_id FROM statistics ORDER BY 1", max_rows=2) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:3] == ["chile-2:st1", "chile-2:st2"] and "first 2 rows" in out[-1]
    assert db.query_command(built, "SELEC nonsense") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: query failed:") and len(err.strip().splitlines()) == 1
    assert db.query_command(built / "nowhere", "SELECT 1") == 2
    assert "mgi db build" in capsys.readouterr().err


def test_cli_query_on_a_pipe_prints_plain_text(built):
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "db", "query", str(built), "SELECT count(*) AS n FROM v_findings"],
                         capture_output=True, text=True, timeout=60, cwd=REPO)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["n", "6"]
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "db", "query", str(built), "DROP TABLE documents"],
                         capture_output=True, text=True, timeout=60, cwd=REPO)
    assert res.returncode == 1 and "Traceback" not in res.stderr and res.stderr.startswith("error:")
