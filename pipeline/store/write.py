"""The rows of the Parquet tables ``OUT/<table>/part-<hash>.parquet``, from the work folder.

Every table has an explicit pyarrow schema, derived from its row model by its
descriptor in ``pipeline.store.tables`` (``SCHEMAS``): column types,
nullability and a one-line description per column (stored as Arrow field
metadata and documented in ``docs/SCHEMA.md``). The Parquet key-value
metadata carries ``mgi.table``, ``mgi.schema_version`` (``SCHEMA_VERSION``),
``mgi.pipeline_version`` and ``mgi.config_hash``; there are no timestamps,
rows are sorted by ``doc_id`` and then in document order, so the same input
and config give byte-for-byte the same files.

The files are written per part (a group of whole documents) by
``pipeline.store.dataset``: incrementally, atomically (temp + rename, the
ledger committed last), never holding more than one part's rows; a reader
never sees a half-written file or a document twice.

Field mapping decisions (see docs/SCHEMA.md):
  * ``bbox`` -> ``list<double>`` (x0, top, x1, bottom) or null;
  * ``markers`` and ``page_breaks`` of paragraphs -> JSON strings (arrays of
    objects) so the table stays flat for every reader;
  * the documents table adds ``warnings`` (list<string>): the warnings of
    every stage, in stage order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.datamodel import DocumentRecord, Extracted, Segmented
from pipeline.errors import IntermediateError
from pipeline.store import dataset
from pipeline.store.dataset import arrow_rows, check_unique, file_metadata, parquet_bytes  # noqa: F401 (the writer's API)
from pipeline.store.tables import PRIMARY_KEYS, SCHEMAS, TABLE_SPECS, TABLES  # noqa: F401 (PRIMARY_KEYS: tests)
from pipeline.store.workdir import STAGE_FILES, doc_dir, read_model

# the name of a one-file table written by other tools (benchmarks/pg_bench.py); readers take any *.parquet
PART_NAME = "part-0.parquet"



@dataclass
class DocRows:
    """The rows one document contributes to every table."""

    document: DocumentRecord
    segmented: Segmented | None = None
    extracted: Extracted | None = None
    warnings: tuple[str, ...] = ()


def _row(model: Any, table: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    data = model.model_dump(mode="json")
    for col in TABLE_SPECS[table].json_columns:
        data[col] = json.dumps(data.get(col, []), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if extra:
        data.update(extra)
    return {name: data.get(name) for name in SCHEMAS[table].names}


def rows_for(doc: DocRows) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table for one document, in document order."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    out["documents"].append(_row(doc.document, "documents", {"warnings": list(doc.warnings)}))
    seg, ext = doc.segmented, doc.extracted
    if doc.document.status == "failed":
        return out
    if seg is not None:
        out["sections"] = [_row(s, "sections") for s in sorted(seg.sections, key=lambda s: s.order)]
        out["paragraphs"] = [_row(p, "paragraphs") for p in sorted(seg.paragraphs, key=lambda p: p.order)]
    footnotes = ext.footnotes if ext is not None and ext.footnotes else (seg.footnotes if seg is not None else ())
    out["footnotes"] = [_row(f, "footnotes") for f in footnotes]
    if ext is not None:
        out["statistics"] = [_row(s, "statistics") for s in ext.statistics]
        out["citations"] = [_row(c, "citations") for c in ext.citations]
        out["legal_references"] = [_row(x, "legal_references") for x in ext.legal_references]
        out["references"] = [_row(r, "references") for r in ext.references]
    return out


def build_tables(docs: Iterable[DocRows]) -> dict[str, pa.Table]:
    """Arrow tables (explicit schemas) for a set of documents, sorted by doc_id
    (all in memory: for tests and small tools; runs write per part)."""
    merged: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for doc in sorted(docs, key=lambda d: d.document.doc_id):
        for table, rows in rows_for(doc).items():
            merged[table].extend(rows)
    result = {table: arrow_rows(table, merged[table]) for table in TABLES}
    for table, tbl in result.items():
        check_unique(table, tbl)
    return result


def _rows_key(rows: dict[str, list[dict[str, Any]]]) -> str:
    text = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "rows:" + hashlib.sha256(text.encode()).hexdigest()


def write_tables(out: Path, docs: Iterable[DocRows], config_hash: str) -> dict[str, int]:
    """Make the dataset under ``out`` hold exactly the rows of ``docs`` (in
    memory; runs use ``write_outputs``, which reads the work folder).

    Returns the number of rows per table. Raises ``OutputError`` when a
    table cannot be built or written."""
    by_id = {d.document.doc_id: rows_for(d) for d in docs}
    return dataset.sync(Path(out), by_id, by_id.get, config_hash, key_of=lambda d: _rows_key(by_id[d]))


def read_table(out: Path, table: str) -> pa.Table:
    """Read one table back with its declared schema (for tests and tools)."""
    return pq.read_table(Path(out) / table, schema=SCHEMAS[table])


# --------------------------------------------------------------------------
# the tables of a run, from its work folder
# --------------------------------------------------------------------------


def load_doc_rows(out: Path, doc_id: str) -> DocRows | None:
    """The rows one document contributes, from ``OUT/work/<doc_id>/``: its
    status row, and for a document not failed its segments and extracted
    facts. A missing or corrupted intermediate turns it into a failed row
    (with the one-line reason); None when nothing usable is there."""
    from pipeline.store.workdir import STATUS_FILE

    work = doc_dir(out, doc_id)
    try:
        record: DocumentRecord | None = read_model(work / STATUS_FILE, DocumentRecord)
    except IntermediateError:
        record = None
    if record is not None and record.doc_id != doc_id:  # another document's status row
        record = None
    segmented = extracted = None
    problem = None
    try:
        extracted = read_model(work / STAGE_FILES["extract"], Extracted)
        segmented = read_model(work / STAGE_FILES["segment"], Segmented)
        for name, model in ((STAGE_FILES["extract"], extracted), (STAGE_FILES["segment"], segmented)):
            if model.document.doc_id != doc_id:  # a valid file copied from another document's folder
                problem = f"{work / name}: belongs to another document ({model.document.doc_id})"
                break
    except IntermediateError as exc:
        problem = " ".join(str(exc).split())
    if record is None:
        if extracted is None or problem is not None:
            return None
        record = extracted.document
    if record.status == "failed":
        return DocRows(record)
    if problem is not None:
        return DocRows(record.model_copy(update={"status": "failed", "error": problem}))
    warnings: list[str] = []
    for w in (*segmented.warnings, *extracted.warnings):
        if w not in warnings:
            warnings.append(w)
    return DocRows(record, segmented, extracted, tuple(warnings))


def doc_rows(out: Path, doc_id: str) -> dict[str, list[dict[str, Any]]] | None:
    """Rows per table of one document from its work folder (None: no rows)."""
    doc = load_doc_rows(out, doc_id)
    return None if doc is None else rows_for(doc)


def write_outputs(out: Path, doc_ids: Iterable[str], config_hash: str) -> dict[str, int]:
    """Bring the Parquet datasets in line with the work folders of
    ``doc_ids``: only new or changed documents are written (per part, never
    all rows at once), removed ones dropped. Rows per table."""
    out = Path(out)
    return dataset.sync(out, doc_ids, lambda d: doc_rows(out, d), config_hash)


def append_outputs(out: Path, doc_ids: Iterable[str], config_hash: str) -> int:
    """Append finished documents not yet in the datasets (during a run)."""
    out = Path(out)
    return dataset.append(out, doc_ids, lambda d: doc_rows(out, d), config_hash)
