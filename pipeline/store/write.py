"""Write the Parquet tables ``OUT/<table>/part-0.parquet`` from the work folder.

Every table has an explicit pyarrow schema (``SCHEMAS``): column types,
nullability and a one-line description per column (stored as Arrow field
metadata and documented in ``docs/SCHEMA.md``). The Parquet key-value
metadata carries ``mgi.table``, ``mgi.schema_version`` (``SCHEMA_VERSION``),
``mgi.pipeline_version`` and ``mgi.config_hash``; there are no timestamps,
rows are sorted by ``doc_id`` and then in document order, so the same input
and config give byte-for-byte the same files.

Each table is written whole into memory, then to a temporary file in the
table's folder and renamed (``atomic_write_bytes``): a reader never sees a
half-written file. Other ``*.parquet`` files in a table folder (left by an
older layout) are removed after the rename, so the folder always holds
exactly the current rows.

Field mapping decisions (see docs/SCHEMA.md):
  * ``bbox`` -> ``list<double>`` (x0, top, x1, bottom) or null;
  * ``markers`` and ``page_breaks`` of paragraphs -> JSON strings (arrays of
    objects) so the table stays flat for every reader;
  * the documents table adds ``warnings`` (list<string>): the warnings of
    every stage, in stage order.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.datamodel import (
    SCHEMA_VERSION,
    Citation,
    DocumentRecord,
    Extracted,
    Footnote,
    LegalReference,
    Paragraph,
    Reference,
    Section,
    Segmented,
    Statistic,
)
from pipeline.errors import IntermediateError, OutputError
from pipeline.store.workdir import STAGE_FILES, atomic_write_bytes, doc_dir, read_model


PART_NAME = "part-0.parquet"

# (name, arrow type, nullable, description)
_Col = tuple[str, pa.DataType, bool, str]

_STR, _I64, _I32, _F64, _BOOL = pa.string(), pa.int64(), pa.int32(), pa.float64(), pa.bool_()
_BBOX = pa.list_(pa.float64())

_COLUMNS: dict[str, list[_Col]] = {
    "documents": [
        ("doc_id", _STR, False, "Document id: <slug of file name>-<first 8 hex of sha256>."),
        ("source_file", _STR, False, "Input path as found (relative to the working directory when below it)."),
        ("sha256", _STR, False, "SHA-256 of the file's bytes (hex)."),
        ("n_pages", _I32, True, "Number of PDF pages; null when the file could not be read."),
        ("title", _STR, True, "Document title from the cover."),
        ("profile_level", _STR, True, "'national' or 'local'."),
        ("country", _STR, True, "Country profiled, always in English ('Chile' for a profile printed 'Chili' or 'Chile'), so profiles in every language join on one name."),
        ("locality", _STR, True, "City / region profiled; null for national profiles."),
        ("profile_year", _I32, True, "Year of the profile (as in the title)."),
        ("publication_year", _I32, True, "Year of publication (copyright page)."),
        ("language", _STR, True, "ISO 639-1 language code."),
        ("isbn", _STR, True, "ISBN as printed."),
        ("status", _STR, False, "'ok', 'partial' (not recognisably an MGI profile) or 'failed'."),
        ("error", _STR, True, "One-line reason when status is 'failed' (or why 'partial')."),
        ("pipeline_version", _STR, True, "mgi-pipeline version that produced the row."),
        ("config_hash", _STR, True, "Hash of the effective settings and wording files."),
        ("warnings", pa.list_(pa.string()), False, "Warnings of the parse, segment and extract stages, in order."),
    ],
    "sections": [
        ("doc_id", _STR, False, "Document id."),
        ("section_id", _STR, False, "Section id, unique within a run (<doc_id>:s<n>)."),
        ("parent_id", _STR, True, "section_id of the enclosing section; null at top level."),
        ("kind", _STR, False, "Section kind (front_matter, contents, ..., dimension, well_developed, further_development, ..., subsection)."),
        ("dimension", _I32, True, "MiGOF dimension 1-6 on a dimension section and everything under it."),
        ("heading", _STR, False, "Heading text."),
        ("page_start", _I32, False, "PDF page of the heading (1-based)."),
        ("page_end", _I32, False, "Last PDF page of the governed text."),
        ("order", _I32, False, "Position of the section in the document (reading order)."),
        ("text", _STR, False, "Body text governed, sub-sections included; headings and footnotes excluded."),
        ("level", _I32, False, "Nesting level (1 = top)."),
        ("bbox", _BBOX, True, "Heading box on page_start: [x0, top, x1, bottom] in PDF points."),
    ],
    "paragraphs": [
        ("doc_id", _STR, False, "Document id."),
        ("paragraph_id", _STR, False, "Paragraph id, unique within a run (<doc_id>:p<n>)."),
        ("section_id", _STR, True, "Section the paragraph belongs to."),
        ("order", _I32, False, "Position of the paragraph in the document (reading order)."),
        ("page_start", _I32, False, "PDF page of the first character."),
        ("page_end", _I32, False, "PDF page of the last character."),
        ("text", _STR, False, "Paragraph text joined across line and page breaks, footnote markers removed."),
        ("kind", _STR, False, "'body', 'list_item', 'source_author' or 'source_entry'."),
        ("bold", _BOOL, False, "Whether the paragraph is set in bold."),
        ("bbox", _BBOX, True, "Box of its first block on page_start: [x0, top, x1, bottom]."),
        ("markers", _STR, False, "JSON array of footnote markers removed from text: {number, offset, page, bbox}."),
        ("page_breaks", _STR, False, "JSON array of {offset, page}: from character offset on, the text is on page."),
    ],
    "footnotes": [
        ("doc_id", _STR, False, "Document id."),
        ("footnote_id", _STR, False, "Footnote id (<doc_id>:f<page>-<number>)."),
        ("number", _I32, True, "Footnote number as printed."),
        ("page", _I32, False, "PDF page where the note is printed."),
        ("text", _STR, False, "Note text."),
        ("paragraph_id", _STR, True, "Paragraph holding its marker; null if none was found."),
        ("section_id", _STR, True, "Section of that paragraph (or of the note's page)."),
        ("bbox", _BBOX, True, "Box of the note: [x0, top, x1, bottom]."),
    ],
    "statistics": [
        ("doc_id", _STR, False, "Document id."),
        ("stat_id", _STR, False, "Statistic id, unique within a run."),
        ("paragraph_id", _STR, True, "Paragraph holding it (null when in a footnote)."),
        ("footnote_id", _STR, True, "Footnote holding it (null when in body text)."),
        ("section_id", _STR, True, "Section holding it."),
        ("page", _I32, False, "PDF page where its first character is printed."),
        ("kind", _STR, False, "'percent', 'count', 'money' or 'other'."),
        ("raw", _STR, False, "Text as printed, e.g. '30,7 %'."),
        ("value", _F64, False, "Number parsed with the document's conventions (30.7 for 30.7 %)."),
        ("unit", _STR, True, "'%', the counted noun in singular, or an ISO currency code."),
        ("qualifier", _STR, True, "approximately, more_than, less_than, at_least, up_to, or null."),
        ("subject", _STR, True, "Short noun phrase the number measures."),
        ("sentence", _STR, False, "The sentence holding the statistic."),
        ("char_start", _I32, False, "Start offset of raw in the paragraph (or footnote) text."),
        ("char_end", _I32, False, "End offset (exclusive) of raw in that text."),
    ],
    "citations": [
        ("doc_id", _STR, False, "Document id."),
        ("citation_id", _STR, False, "Citation id, unique within a run."),
        ("paragraph_id", _STR, True, "Paragraph holding it (null when in a footnote)."),
        ("footnote_id", _STR, True, "Footnote holding it (null when in body text)."),
        ("section_id", _STR, True, "Section holding it."),
        ("page", _I32, False, "PDF page where its first character is printed."),
        ("style", _STR, False, "'parenthetical', 'narrative' or 'ibid'."),
        ("raw", _STR, False, "Text as printed."),
        ("author", _STR, True, "Author or organisation as printed (acronym kept)."),
        ("year", _I32, True, "Year; null for n.d."),
        ("year_suffix", _STR, True, "Letter after the year, e.g. 'a'."),
        ("reference_id", _STR, True, "KEY SOURCES entry it points to (references.reference_id)."),
        ("char_start", _I32, False, "Start offset of raw in the paragraph (or footnote) text."),
        ("char_end", _I32, False, "End offset (exclusive) of raw in that text."),
    ],
    "legal_references": [
        ("doc_id", _STR, False, "Document id."),
        ("legal_id", _STR, False, "Legal reference id, unique within a run."),
        ("paragraph_id", _STR, True, "Paragraph holding it (null when in a footnote)."),
        ("footnote_id", _STR, True, "Footnote holding it (null when in body text)."),
        ("section_id", _STR, True, "Section holding it."),
        ("page", _I32, False, "PDF page where its first character is printed."),
        ("instrument", _STR, False, "law, decree, decree_with_force_of_law, decree_law, resolution, ordinance, presidential_instruction or other."),
        ("number", _STR, False, "Number as printed, e.g. '21.325'."),
        ("year", _I32, True, "Year when printed beside it."),
        ("raw", _STR, False, "Text as printed."),
        ("char_start", _I32, False, "Start offset of raw in the paragraph (or footnote) text."),
        ("char_end", _I32, False, "End offset (exclusive) of raw in that text."),
    ],
    "references": [
        ("doc_id", _STR, False, "Document id."),
        ("reference_id", _STR, False, "Reference id, unique within a run."),
        ("author", _STR, False, "Author heading the entry is grouped under."),
        ("year", _I32, True, "Year of the entry; null for n.d."),
        ("year_suffix", _STR, True, "Letter after the year, e.g. 'a'."),
        ("title", _STR, False, "Title of the work."),
        ("note", _STR, True, "Note such as 'Not available online.'."),
        ("raw", _STR, False, "Entry text as printed."),
        ("translation", _STR, True, "Translated title when printed in brackets."),
        ("acronym", _STR, True, "Acronym of the author heading, e.g. 'INE'."),
        ("page", _I32, True, "PDF page of the entry."),
    ],
}

TABLES: tuple[str, ...] = tuple(_COLUMNS)

# the id column(s) of each table (DuckDB primary key)
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "sections": ("section_id",),
    "paragraphs": ("paragraph_id",),
    "footnotes": ("footnote_id",),
    "statistics": ("stat_id",),
    "citations": ("citation_id",),
    "legal_references": ("legal_id",),
    "references": ("reference_id",),
}

# datamodel row class of each table (its fields are the table's columns)
ROW_MODELS = {
    "documents": DocumentRecord,
    "sections": Section,
    "paragraphs": Paragraph,
    "footnotes": Footnote,
    "statistics": Statistic,
    "citations": Citation,
    "legal_references": LegalReference,
    "references": Reference,
}

# columns that are JSON-encoded in the table (list-of-struct fields)
JSON_COLUMNS = {"paragraphs": ("markers", "page_breaks")}


def _schema(table: str) -> pa.Schema:
    fields = [
        pa.field(name, typ, nullable=nullable, metadata={"description": desc})
        for name, typ, nullable, desc in _COLUMNS[table]
    ]
    return pa.schema(fields)


SCHEMAS: dict[str, pa.Schema] = {t: _schema(t) for t in TABLES}


def type_name(typ: pa.DataType) -> str:
    """Short Arrow type name for the docs: string, int32, list<double>, ..."""
    if pa.types.is_list(typ):
        return f"list<{type_name(typ.value_type)}>"
    return {"bool": "boolean"}.get(str(typ), str(typ))


def column_docs(table: str) -> list[tuple[str, str, bool, str]]:
    """(name, type name, nullable, description) of a table's columns."""
    return [(n, type_name(t), nb, d) for n, t, nb, d in _COLUMNS[table]]


@dataclass
class DocRows:
    """The rows one document contributes to every table."""

    document: DocumentRecord
    segmented: Segmented | None = None
    extracted: Extracted | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class _TableRows:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})


def _row(model: Any, table: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    data = model.model_dump(mode="json")
    for col in JSON_COLUMNS.get(table, ()):
        data[col] = json.dumps(data.get(col, []), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if extra:
        data.update(extra)
    return {name: data.get(name) for name, *_ in _COLUMNS[table]}


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
    """Arrow tables (explicit schemas) for a set of documents, sorted by doc_id."""
    merged: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for doc in sorted(docs, key=lambda d: d.document.doc_id):
        for table, rows in rows_for(doc).items():
            merged[table].extend(rows)
    result: dict[str, pa.Table] = {}
    for table in TABLES:
        schema = SCHEMAS[table]
        rows = merged[table]
        for name, _typ, nullable, _d in _COLUMNS[table]:
            if not nullable:
                bad = next((r for r in rows if r[name] is None), None)
                if bad is not None:
                    raise OutputError(f"table {table}: column {name} is null in a row of {bad.get('doc_id')}")
        try:
            result[table] = pa.Table.from_pylist(rows, schema=schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
            raise OutputError(f"table {table}: cannot build ({' '.join(str(exc).split())})") from None
        _check_unique(table, result[table])
    return result


def _check_unique(table: str, tbl: pa.Table) -> None:
    key = PRIMARY_KEYS[table]
    seen: set[tuple] = set()
    cols = [tbl.column(k).to_pylist() for k in key]
    for values in zip(*cols):
        if values in seen:
            raise OutputError(f"table {table}: duplicate id {'/'.join(map(str, values))}")
        seen.add(values)


def file_metadata(table: str, config_hash: str) -> dict[bytes, bytes]:
    return {
        b"mgi.table": table.encode(),
        b"mgi.schema_version": SCHEMA_VERSION.encode(),
        b"mgi.pipeline_version": __version__.encode(),
        b"mgi.config_hash": config_hash.encode(),
    }


def parquet_bytes(tbl: pa.Table, table: str, config_hash: str) -> bytes:
    """Serialise one table deterministically (no timestamps, fixed options)."""
    meta = dict(tbl.schema.metadata or {})
    meta.update(file_metadata(table, config_hash))
    tbl = tbl.replace_schema_metadata(meta)
    buf = io.BytesIO()
    pq.write_table(
        tbl,
        buf,
        compression="zstd",
        use_dictionary=True,
        write_statistics=True,
        row_group_size=1 << 20,
    )
    return buf.getvalue()


def remove_stale_temps(*folders: Path) -> int:
    """Delete temp files ``.<name>.<random>.tmp`` that an atomic write killed
    midway (SIGKILL, power loss) left behind; returns how many."""
    n = 0
    for folder in folders:
        for tmp in Path(folder).glob(".*.tmp"):
            try:
                tmp.unlink()
                n += 1
            except OSError:
                pass
    return n


def write_tables(out: Path, docs: Iterable[DocRows], config_hash: str) -> dict[str, int]:
    """Replace every table under ``out`` with the rows of ``docs``.

    Returns the number of rows written per table. Raises ``OutputError``
    when a table cannot be built or written.
    """
    out = Path(out)
    tables = build_tables(docs)
    remove_stale_temps(*(out / t for t in TABLES))
    counts: dict[str, int] = {}
    for table in TABLES:
        folder = out / table
        target = folder / PART_NAME
        data = parquet_bytes(tables[table], table, config_hash)
        try:
            atomic_write_bytes(target, data)
            for stale in folder.glob("*.parquet"):
                if stale.name != PART_NAME:
                    stale.unlink()
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        counts[table] = tables[table].num_rows
    return counts


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


def write_outputs(out: Path, doc_ids: Iterable[str], config_hash: str) -> dict[str, int]:
    """Rebuild every Parquet table from the work folders of ``doc_ids``."""
    docs = [d for d in (load_doc_rows(out, i) for i in sorted(set(doc_ids))) if d is not None]
    return write_tables(out, docs, config_hash)


_TABLE_INTRO = {
    "documents": "One row per input file (failed files included), with its metadata and status.",
    "sections": "One row per heading and the text it governs.",
    "paragraphs": "One row per body paragraph, joined across page breaks.",
    "footnotes": "One row per footnote, linked to the paragraph holding its marker.",
    "statistics": "One row per quantitative fact, in body text or a footnote.",
    "citations": "One row per in-text source reference.",
    "legal_references": "One row per mention of a numbered legal instrument.",
    "references": "One row per KEY SOURCES (bibliography) entry.",
}


def schema_markdown() -> str:
    """The per-table column reference of docs/SCHEMA.md (generated from SCHEMAS)."""
    lines: list[str] = []
    for table in TABLES:
        lines += [f"### {table}", "", _TABLE_INTRO[table], f"Primary key: `{', '.join(PRIMARY_KEYS[table])}`.", ""]
        lines += ["| column | type | nullable | meaning |", "|---|---|---|---|"]
        for name, typ, nullable, desc in column_docs(table):
            lines.append(f"| `{name}` | {typ} | {'yes' if nullable else 'no'} | {desc} |")
        lines.append("")
    return "\n".join(lines)


SCHEMA_DOC_BEGIN = "<!-- BEGIN generated columns: python -m pipeline.write > part; keep in sync -->"
SCHEMA_DOC_END = "<!-- END generated columns -->"


if __name__ == "__main__":  # print the generated part of docs/SCHEMA.md
    print(schema_markdown())
