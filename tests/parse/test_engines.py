"""The two character sources of the parse stage (issue 15): PDFium
(``--engine pdfium``, the default) and pdfminer through pdfplumber
(``--engine pdfplumber``, the reference). Both run on every shipped sample
(PDFium as the default, with no ``--engine``); their tables are compared row
by row and every difference is reported (printed, and written to
``engine-differences.txt`` in the test's temporary folder); the default's
``mgi validate`` scores must be no lower than the reference's on every
document and table. On a few real IOM reports (marker ``realpdf``) every
score on the labelled pages of ``tests/gold-real`` must be no lower either.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipeline.evaluate.validate import validate

REPO = Path(__file__).resolve().parents[2]
ENGINES = ("pdfplumber", "pdfium")
GOLD_REAL = REPO / "tests" / "gold-real"
REAL = ("AAP_EN_Evaluation_Brief_final_0", "Annex_VI_Case_Study_RDH_East_Horn_Southern_Africa",
        "Abridged_Evaluation_Report__Final_Olta_NDOJA")
# columns that say how a run was made, not what it found
RUN_COLUMNS = {"config_hash", "pipeline_version", "processed_at", "duration_seconds", "run_id", "parse_seconds"}
TOLERANCE = 0.05  # points: boxes may differ by rounding


def run_engine(pdfs: list[Path], out: Path, engine: str | None) -> Path:
    """``mgi run`` with ``--engine ENGINE`` (None: the configured default)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", *map(str, pdfs), "--out", str(out), "-w", "2",
         "--no-progress", *(["--engine", engine] if engine else [])],
        cwd=REPO, capture_output=True, text=True, timeout=1800,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]  # 1: some documents partial
    return out


def _json(v):
    """A column holding JSON (markers with their boxes) as data, so that its
    coordinates compare within the tolerance too."""
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def _rows(folder: Path) -> dict[str, list[dict]]:
    import pyarrow.parquet as pq

    tables: dict[str, list[dict]] = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and any(p.rglob("*.parquet"))):
        rows = pq.read_table(sub).to_pylist()
        tables[sub.name] = [{k: _json(v) for k, v in r.items() if k not in RUN_COLUMNS} for r in rows]
    return tables


def _close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, abs_tol=TOLERANCE) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    return a == b


def _words(row):
    """``row`` without its coordinates (floats, at any depth)."""
    if isinstance(row, dict):
        return {k: _words(v) for k, v in row.items() if not isinstance(v, float)}
    if isinstance(row, list):
        return [_words(v) for v in row if not isinstance(v, float)]
    return row


def _key(row: dict) -> str:
    return repr(sorted((k, v) for k, v in row.items() if not isinstance(v, (float, list, dict))))  # scalars only


def table_differences(ref: Path, other: Path, coordinates: bool = True) -> list[str]:
    """Every row of a table of ``ref`` with no equal row (floats within
    ``TOLERANCE``) in ``other``, and the other way round, as lines; without
    ``coordinates``, float and list columns (boxes) are left out."""
    a, b = _rows(ref), _rows(other)
    if not coordinates:
        a, b = ({t: [_words(r) for r in rows] for t, rows in x.items()} for x in (a, b))
    out: list[str] = []
    for table in sorted(set(a) | set(b)):
        rows_a, rows_b = a.get(table, []), b.get(table, [])
        pool: dict[str, list[dict]] = {}
        for r in rows_b:
            pool.setdefault(_key(r), []).append(r)
        only_a: list[dict] = []
        for r in rows_a:
            cands = pool.get(_key(r), [])
            hit = next((i for i, c in enumerate(cands) if _close(r, c)), None)
            if hit is None:
                only_a.append(r)
            else:
                cands.pop(hit)
        only_b = [r for rs in pool.values() for r in rs]
        out += [f"{table}: only with {ref.name}: {r}" for r in only_a]
        out += [f"{table}: only with {other.name}: {r}" for r in only_b]
    return out


def _scores(out: Path, gold: Path) -> dict:
    result = validate(out, gold)
    return {d["document"]: {t: round(v["f1"], 6) for t, v in d["tables"].items()} for d in result["documents"]}


def lower_scores(default: dict, reference: dict) -> list[str]:
    """Every (document, table) whose F1 under the default engine is lower
    than under the reference, or missing."""
    out = []
    for doc, tables in sorted(reference.items()):
        for table, f1 in sorted(tables.items()):
            got = default.get(doc, {}).get(table)
            if got is None or got < f1:
                out.append(f"{doc} {table}: {got} < {f1}")
    return out


def test_lower_scores_sees_a_lower_or_missing_score():
    ref = {"a": {"footnotes": 1.0, "citations": 0.9}, "b": {"statistics": 0.5}}
    assert lower_scores(ref, ref) == []
    assert lower_scores({"a": {"footnotes": 1.0, "citations": 0.95}, "b": {"statistics": 0.5}}, ref) == []
    assert lower_scores({"a": {"footnotes": 0.99, "citations": 0.9}}, ref) == [
        "a footnotes: 0.99 < 1.0", "b statistics: None < 0.5"]


def test_the_default_engine_is_pdfium():
    from pipeline.config import engine_of, load_config

    assert engine_of(load_config()) == "pdfium"


@pytest.fixture(scope="module")
def sample_runs(samples_dir: Path, tmp_path_factory) -> dict[str, Path]:
    """The samples run by the reference (``--engine pdfplumber``) and by the
    default (no ``--engine``: PDFium)."""
    root = tmp_path_factory.mktemp("engines")
    pdfs = sorted(samples_dir.glob("*.pdf"))
    return {engine: run_engine(pdfs, root / engine, None if engine == "pdfium" else engine) for engine in ENGINES}


def test_the_engines_read_the_same_documents(sample_runs):
    """Same documents, same status, same page counts and warnings."""
    docs = {e: sorted((r["doc_id"], r.get("status"), r.get("n_pages")) for r in _rows(out)["documents"])
            for e, out in sample_runs.items()}
    assert docs["pdfium"] == docs["pdfplumber"] and len(docs["pdfium"]) >= 10


def test_the_engines_tables_compared_row_by_row(sample_runs, tmp_path_factory):
    """Every difference between the two engines' tables is reported (boxes
    within ``TOLERANCE`` are equal); what the tables say (every column but
    the coordinates) is the same."""
    diffs = table_differences(sample_runs["pdfplumber"], sample_runs["pdfium"])
    report = tmp_path_factory.mktemp("engine-report") / "engine-differences.txt"
    report.write_text("\n".join(diffs) + "\n", encoding="utf-8")
    print(f"{len(diffs)} rows differ between the engines on the samples ({report})")
    for line in diffs:
        print(line[:400])
    words = table_differences(sample_runs["pdfplumber"], sample_runs["pdfium"], coordinates=False)
    assert not words, "\n".join(d[:300] for d in words[:40])


def test_the_comparison_sees_a_changed_row(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, text in (("a", "Article 1 of the Law"), ("b", "Article 1 of the Law."), ("c", "Article 1 of the Law")):
        (tmp_path / name / "paragraphs").mkdir(parents=True)
        pq.write_table(pa.table({"doc_id": ["d"], "text": [text], "x0": [10.0 if name != "c" else 10.04]}),
                       tmp_path / name / "paragraphs" / "part-0.parquet")
    assert len(table_differences(tmp_path / "a", tmp_path / "b")) == 2
    assert len(table_differences(tmp_path / "a", tmp_path / "b", coordinates=False)) == 2
    assert table_differences(tmp_path / "a", tmp_path / "c") == []  # within the tolerance


def test_the_default_engine_validate_scores_are_no_lower(sample_runs, samples_dir):
    """Issue 15's condition for PDFium as the default: on every sample and
    table, its ``mgi validate`` F1 is not lower than pdfplumber's."""
    gold = samples_dir / "gold"
    scores = {e: _scores(out, gold) for e, out in sample_runs.items()}
    assert len(scores["pdfplumber"]) >= 10 and scores["pdfium"].keys() == scores["pdfplumber"].keys()
    assert lower_scores(scores["pdfium"], scores["pdfplumber"]) == []


@pytest.mark.realpdf
def test_the_engines_agree_on_labelled_real_pages(real_pdfs_dir: Path, tmp_path_factory):
    """Every labelled table (footnotes, citations, statistics) on the
    hand-labelled pages of real reports: the default engine (PDFium) scores
    no lower than pdfplumber."""
    root = tmp_path_factory.mktemp("engines-real")
    gold = root / "gold"
    gold.mkdir()
    for stem in REAL:
        shutil.copy(GOLD_REAL / f"{stem}.json", gold / f"{stem}.json")
    pdfs = [real_pdfs_dir / f"{stem}.pdf" for stem in REAL]
    scores = {e: _scores(run_engine(pdfs, root / e, None if e == "pdfium" else e), gold) for e in ENGINES}
    assert all({"footnotes", "citations"} <= set(t) for t in scores["pdfplumber"].values()), scores
    assert lower_scores(scores["pdfium"], scores["pdfplumber"]) == [], scores
    assert len(scores["pdfium"]) == len(REAL)


def _text_pdf(rotate: int = 0) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n in range(2):
        c.setFont("Helvetica", 10)
        for i in range(14):
            c.drawString(72, 740 - 14 * i, f"Migration governance refers to the system of institutions {n}.{i}")
        c.setFont("Helvetica", 6)
        c.drawString(300, 740, str(n + 1))  # a raised number
        c.line(72, 100, 300, 100)
        c.drawString(72, 90, "1 A note under a rule.")
        c.showPage()
    c.save()
    if not rotate:
        return buf.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    for page in writer.pages:
        page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_the_engines_read_turned_pages_alike(tmp_path: Path, rotate: int):
    """A page turned by /Rotate is read by PDFium as pdfminer reads it (turned,
    or unturned when that reads better): the same layout."""
    from pipeline.config import load_config, with_engine
    from pipeline.parse.stage import parse_pdf

    p = tmp_path / f"turned-{rotate}.pdf"
    p.write_bytes(_text_pdf(rotate))
    layouts = {e: parse_pdf(p, with_engine(load_config(), e)) for e in ENGINES}
    assert layouts["pdfium"].pages == layouts["pdfplumber"].pages
    assert layouts["pdfium"].warnings == layouts["pdfplumber"].warnings
    assert all(pg.has_text for pg in layouts["pdfium"].pages)
