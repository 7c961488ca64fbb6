"""The tables as incremental Parquet datasets: ``OUT/<table>/part-<hash>.parquet``.

A *part* is a group of whole documents: part ``part-<hash>`` has one file in
every table folder holding exactly the rows of its documents (sorted by
``doc_id``, then document order). Every document is in exactly one part. The
ledger ``OUT/work/tables.json`` maps each part to its documents and each
document to its *key* (a digest of its status row and of the checksum
headers, sizes and mtimes of its intermediates): a document whose key did not
change is not written again, so an unchanged re-run writes nothing.

Memory never depends on the corpus: rows are read per document from the work
folder and held (as Arrow) only for the part being written, at most
``PART_DOCS`` documents or ``PART_BYTES`` bytes.

Commit protocol (crash-safe, never a duplicated row): new part files are
first written (temp + rename) under hidden names ``.part-<hash>.parquet.new``
that no reader lists; then the ledger is committed with the new parts and a
journal (hidden files to reveal, replaced parts to delete); then the replaced
files are deleted and the hidden ones renamed into place; then the journal is
cleared. A run killed before the ledger commit leaves the old dataset as it
was; one killed after it is rolled forward by the next write (before that a
reader may miss the rows of the replaced parts, never see them twice).

Compaction: parts are written full (``PART_DOCS`` documents or ``PART_BYTES``
bytes); when two or more parts are small (under half of both), their
documents are rewritten together, so a folder holds about
``documents / PART_DOCS`` files plus at most one small one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.datamodel import SCHEMA_VERSION
from pipeline.errors import OutputError
from pipeline.store.arrowcols import table_from_rows
from pipeline.store.tables import PRIMARY_KEYS, SCHEMAS, TABLES
from pipeline.store.workdir import STAGE_FILES, STATUS_FILE, atomic_write_bytes, doc_dir

LEDGER = "tables.json"  # OUT/work/tables.json
LEDGER_FORMAT = 1
PART_DOCS = 100  # documents per part
PART_BYTES = 32 << 20  # Arrow bytes per part (a part is cut earlier when its rows reach this)
EMPTY_PART = "part-empty"  # the schema-only part of an empty dataset
HEADER_BYTES = 160  # the envelope header of an intermediate: '{"stage": ..., "sha256": "<64 hex>"'


def part_file(out: Path, table: str, part: str, hidden: bool = False) -> Path:
    name = f"{part}.parquet"
    return Path(out) / table / (f".{name}.new" if hidden else name)


def doc_key(out: Path, doc_id: str) -> str:
    """What a document's rows are made of: ``<content>/<stamp>``, the digest
    of its status row and of the checksum headers and sizes of its
    intermediates (reads a few hundred bytes), and of their mtimes. Part
    names use the content digest only, so the same rows give the same files;
    the stamp catches an intermediate rewritten in place."""
    work = doc_dir(out, doc_id)
    content = hashlib.sha256(f"mgi-rows {SCHEMA_VERSION} {__version__}\n".encode())
    stamp = hashlib.sha256()
    try:
        content.update((work / STATUS_FILE).read_bytes())
    except OSError:
        content.update(b"no status")
    for name in (STAGE_FILES["segment"], STAGE_FILES["extract"]):
        path = work / name
        try:
            st = path.stat()
            with open(path, "rb") as fh:
                head = fh.read(HEADER_BYTES)
            content.update(b"\n%s %d " % (name.encode(), st.st_size) + head)
            stamp.update(b"%s %d\n" % (name.encode(), st.st_mtime_ns))
        except OSError:
            content.update(b"\n" + name.encode() + b" missing")
    return f"{content.hexdigest()}/{stamp.hexdigest()[:16]}"


def part_name(members: Iterable[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for doc_id, key in sorted(members):
        h.update(f"{doc_id} {key.split('/')[0]}\n".encode())
    return "part-" + h.hexdigest()[:20]


@dataclass
class Part:
    docs: dict[str, str]  # doc_id -> key
    rows: dict[str, int]  # table -> rows
    nbytes: int = 0

    def small(self) -> bool:
        return len(self.docs) < PART_DOCS // 2 and self.nbytes < PART_BYTES // 2

    def as_json(self) -> dict:
        return {"docs": self.docs, "rows": self.rows, "nbytes": self.nbytes}


@dataclass
class Ledger:
    """``OUT/work/tables.json``: the parts of the dataset and their documents."""

    out: Path
    config_hash: str
    parts: dict[str, Part] = field(default_factory=dict)
    reveal: list[str] = field(default_factory=list)  # journal: hidden parts to rename into place
    delete: list[str] = field(default_factory=list)  # journal: replaced parts to delete

    @property
    def path(self) -> Path:
        return Path(self.out) / "work" / LEDGER

    def doc_part(self) -> dict[str, str]:
        return {d: name for name, p in self.parts.items() for d in p.docs}

    def rows(self) -> dict[str, int]:
        return {t: sum(p.rows.get(t, 0) for p in self.parts.values()) for t in TABLES}

    def commit(self) -> None:
        data = {
            "format": LEDGER_FORMAT,
            "schema_version": SCHEMA_VERSION,
            "pipeline_version": __version__,
            "config_hash": self.config_hash,
            "parts": {n: p.as_json() for n, p in sorted(self.parts.items())},
            "reveal": sorted(self.reveal),
            "delete": sorted(self.delete),
        }
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        try:
            atomic_write_bytes(self.path, text.encode())
        except OSError as exc:
            raise OutputError.of("E305", path=self.path, reason=exc.strerror or exc) from None

    @classmethod
    def open(cls, out: Path, config_hash: str) -> "Ledger":
        """The ledger, its journal rolled forward and stray files removed
        (parts no ledger names, hidden parts, temps left by a killed write).
        A missing, unreadable or other-version ledger is an empty dataset."""
        ledger = cls(Path(out), config_hash)
        try:
            data = json.loads(ledger.path.read_text(encoding="utf-8"))
            if (data.get("format"), data.get("schema_version"), data.get("pipeline_version"), data.get("config_hash")) == (
                LEDGER_FORMAT, SCHEMA_VERSION, __version__, config_hash
            ):
                ledger.parts = {n: Part(dict(p["docs"]), dict(p["rows"]), int(p.get("nbytes", 0))) for n, p in data["parts"].items()}
                ledger.reveal = list(data.get("reveal", []))
                ledger.delete = list(data.get("delete", []))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        if ledger.reveal or ledger.delete:
            ledger.finish_journal()
        ledger.remove_strays()
        return ledger

    def finish_journal(self) -> None:
        """Delete the replaced parts, reveal the new ones, clear the journal."""
        try:
            for name in self.delete:
                if name not in self.parts:
                    for table in TABLES:
                        part_file(self.out, table, name).unlink(missing_ok=True)
            for name in self.reveal:
                for table in TABLES:
                    hidden = part_file(self.out, table, name, hidden=True)
                    if hidden.exists():
                        os.replace(hidden, part_file(self.out, table, name))
        except OSError as exc:
            raise OutputError.of("E305", path=self.out, reason=exc.strerror or exc) from None
        self.reveal, self.delete = [], []
        self.commit()

    def remove_strays(self) -> None:
        for table in TABLES:
            folder = Path(self.out) / table
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                name = path.name
                stray = name.endswith(".tmp") or name.endswith(".parquet.new") or (
                    name.endswith(".parquet") and name[: -len(".parquet")] not in self.parts
                )
                if stray and path.is_file():
                    path.unlink(missing_ok=True)

    def complete(self, name: str) -> bool:
        return all(part_file(self.out, t, name).is_file() for t in TABLES)


# --------------------------------------------------------------------------
# Arrow tables and Parquet files
# --------------------------------------------------------------------------


def arrow_rows(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """One document's (or any) rows of ``table`` as Arrow with its declared
    schema; a null in a non-null column or a bad value is an ``OutputError``."""
    schema = SCHEMAS[table]
    for col in schema:
        if not col.nullable:
            bad = next((r for r in rows if r[col.name] is None), None)
            if bad is not None:
                raise OutputError.of("E302", table=table, column=col.name, doc_id=bad.get("doc_id"))
    fast = table_from_rows(rows, schema)  # (no pandas import)
    if fast is not None:
        return fast
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
        raise OutputError.of("E303", table=table, reason=" ".join(str(exc).split())) from None


def check_unique(table: str, tbl: pa.Table) -> None:
    key = PRIMARY_KEYS[table]
    seen: set[tuple] = set()
    cols = [tbl.column(k).to_pylist() for k in key]
    for values in zip(*cols):
        if values in seen:
            raise OutputError.of("E304", table=table, key="/".join(map(str, values)))
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


# --------------------------------------------------------------------------
# writing parts
# --------------------------------------------------------------------------


RowSource = Callable[[str], "dict[str, list[dict]] | None"]  # doc_id -> rows per table (None: no rows)


class _Batch:
    """Arrow rows of the documents of the part being written."""

    def __init__(self) -> None:
        self.docs: dict[str, str] = {}
        self.tables: dict[str, list[pa.Table]] = {t: [] for t in TABLES}
        self.counts: dict[str, int] = {t: 0 for t in TABLES}
        self.nbytes = 0

    def add(self, doc_id: str, key: str, rows: dict[str, list[dict]]) -> None:
        for table in TABLES:
            tbl = arrow_rows(table, rows.get(table, []))
            self.tables[table].append(tbl)
            self.counts[table] += tbl.num_rows
            self.nbytes += tbl.nbytes
        self.docs[doc_id] = key

    def full(self) -> bool:
        return len(self.docs) >= PART_DOCS or self.nbytes >= PART_BYTES


def _write_hidden(ledger: Ledger, batch: _Batch, name: str | None = None) -> tuple[str, Part]:
    name = name or part_name(batch.docs.items())
    tables: dict[str, pa.Table] = {}
    for table in TABLES:  # every table checked before any file is written
        tables[table] = pa.concat_tables(batch.tables[table]) if batch.tables[table] else SCHEMAS[table].empty_table()
        check_unique(table, tables[table])
    batch.tables = {t: [] for t in TABLES}
    for table in TABLES:
        target = part_file(ledger.out, table, name, hidden=True)
        try:
            atomic_write_bytes(target, parquet_bytes(tables.pop(table), table, ledger.config_hash))
        except OSError as exc:
            raise OutputError.of("E305", path=target, reason=exc.strerror or exc) from None
    return name, Part(dict(batch.docs), {t: n for t, n in batch.counts.items()}, batch.nbytes)


def _commit_part(ledger: Ledger, batch: _Batch, replaced: list[str], name: str | None = None) -> None:
    """Write one part and commit it (with the parts it replaces) by the journal."""
    name, part = _write_hidden(ledger, batch, name)
    for old in replaced:
        ledger.parts.pop(old, None)
    ledger.parts[name] = part
    ledger.reveal, ledger.delete = [name], list(replaced)
    ledger.commit()
    ledger.finish_journal()


def write_docs(ledger: Ledger, docs: Iterable[tuple[str, str]], rows_of: RowSource, replaced: list[str]) -> int:
    """Write ``(doc_id, key)`` documents as new full parts, in doc_id order;
    the parts in ``replaced`` go with the first commit. Returns documents written."""
    batch, n = _Batch(), 0
    for doc_id, key in sorted(docs):
        rows = rows_of(doc_id)
        if rows is None:
            continue
        batch.add(doc_id, key, rows)
        n += 1
        if batch.full():
            _commit_part(ledger, batch, replaced)
            batch, replaced = _Batch(), []
    if batch.docs or replaced:
        if batch.docs:
            _commit_part(ledger, batch, replaced)
        else:
            for old in replaced:
                ledger.parts.pop(old, None)
            ledger.delete = list(replaced)
            ledger.commit()
            ledger.finish_journal()
    return n


def ensure_schema_files(ledger: Ledger) -> None:
    """An empty dataset still has one (schema-only) file per table."""
    if ledger.parts:
        return
    _commit_part(ledger, _Batch(), [], EMPTY_PART)


def sync(out: Path, wanted: Iterable[str], rows_of: RowSource, config_hash: str, *,
         key_of: Callable[[str], str] | None = None, compact: bool = True) -> dict[str, int]:
    """Make the dataset hold exactly the documents ``wanted``: documents whose
    key changed or that are new are (re)written, parts of removed or changed
    documents replaced, small parts merged. Returns rows per table."""
    key_of = key_of or (lambda d: doc_key(out, d))
    ledger = Ledger.open(out, config_hash)
    keys = {d: key_of(d) for d in sorted(set(wanted))}
    placed = ledger.doc_part()
    dirty = {
        name for name, part in ledger.parts.items()
        if not part.docs or not ledger.complete(name) or any(keys.get(d) != k for d, k in part.docs.items())
    }
    if compact:
        small = [n for n, p in ledger.parts.items() if n not in dirty and p.docs and p.small()]
        if len(small) >= 2:
            dirty.update(small)
    pending = [(d, k) for d, k in keys.items() if d not in placed or placed[d] in dirty]
    write_docs(ledger, pending, rows_of, sorted(dirty))
    ensure_schema_files(ledger)
    return ledger.rows()


def append(out: Path, doc_ids: Iterable[str], rows_of: RowSource, config_hash: str) -> int:
    """Add finished documents the dataset does not hold yet as new parts
    (during a run; documents already there wait for ``sync``)."""
    ledger = Ledger.open(out, config_hash)
    placed = ledger.doc_part()
    new = [(d, doc_key(out, d)) for d in sorted(set(doc_ids)) if d not in placed]
    replaced = [EMPTY_PART] if EMPTY_PART in ledger.parts and new else []
    return write_docs(ledger, new, rows_of, replaced)
