"""``mgi db load OUT --url postgresql://...``: the Parquet tables into PostgreSQL.

DuckDB (``pipeline.store.db``) is the embedded, one-researcher database;
PostgreSQL is the shared one a research group feeds. The schema (types from
the Arrow schemas, keys, indexes, the views DuckDB has too) is built and
migrated by ``pipeline.store.pgschema``; this module connects, reads OUT and
loads it:

* one transaction per document: its old rows are deleted and its new rows
  written with ``COPY``, so a load killed at any moment leaves each document
  as it was or as it is in OUT, never half;
* each document's rows are fingerprinted (``mgi_loaded``): a document whose
  rows did not change is not touched, so a second load of the same OUT
  changes nothing (``mgi_meta.loaded_at`` is the last load that changed
  something);
* documents no longer in OUT are removed (unless ``keep_removed``);
* a session advisory lock per schema: a second load into the same schema
  waits for the first (and says so);
* the password comes from the URL, ``PGPASSWORD`` or ``~/.pgpass`` (libpq)
  and is never printed: errors name host, port and database only.

PostgreSQL text cannot hold NUL characters: a NUL in a PDF's text is stored
as U+FFFD (one character for one, so character offsets still hold) and the
load says so.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.datamodel import SCHEMA_VERSION
from pipeline.errors import OutputError
from pipeline.store import pgschema as S
from pipeline.store.tables import SCHEMAS, TABLES

URL_ENV = "MGI_DATABASE_URL"
CONNECT_TIMEOUT = 10  # seconds, unless the URL says otherwise
_REPLACEMENT = "\ufffd"


# --------------------------------------------------------------------------
# reading OUT
# --------------------------------------------------------------------------


@dataclass
class DocData:
    """One document's rows per table (tuples in column order) and their fingerprint."""

    doc_id: str
    rows: dict[str, list[tuple]]
    fingerprint: str = ""
    nul_replaced: int = 0

    @property
    def n_rows(self) -> int:
        return sum(len(r) for r in self.rows.values())


def _clean(value: Any) -> tuple[Any, int]:
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", _REPLACEMENT), value.count("\x00")
    if isinstance(value, list) and any(isinstance(v, str) and "\x00" in v for v in value):
        return [v.replace("\x00", _REPLACEMENT) if isinstance(v, str) else v for v in value], 1
    return value, 0


def _parts(out: Path) -> list[dict[str, list[Path]]]:
    """OUT's files grouped into parts of whole documents: the files named
    alike in every table folder (``mgi run``'s layout, one part per name);
    any other layout is one part of all files. Every file's footer is read
    here, so a broken OUT is refused before anything is loaded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    files: dict[str, list[Path]] = {}
    for table in TABLES:
        folder = Path(out) / table
        found = sorted(folder.glob("**/*.parquet"))
        if not found:
            raise OutputError.of("E307", folder=folder)
        for f in found:
            try:
                schema = pq.read_schema(f)
            except (OSError, pa.ArrowException) as exc:
                raise OutputError.of("E320", path=f, reason=" ".join(str(exc).split())) from None
            missing = [n for n in SCHEMAS[table].names if n not in schema.names]
            if missing:
                raise OutputError.of("E320", path=f, reason=f"no column {missing[0]}")
        files[table] = found
    names = [sorted(f.relative_to(Path(out) / t).as_posix() for f in files[t]) for t in TABLES]
    if all(n == names[0] for n in names):
        return [{t: [Path(out) / t / name] for t in TABLES} for name in names[0]]
    return [files]


def _part_docs(part: dict[str, list[Path]]) -> list[DocData]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    docs: dict[str, DocData] = {}
    for table in TABLES:
        for path in part[table]:
            try:
                tbl = pq.read_table(path, schema=SCHEMAS[table])
            except (OSError, pa.ArrowException) as exc:
                raise OutputError.of("E320", path=path, reason=" ".join(str(exc).split())) from None
            nul_cols = [
                i for i, f in enumerate(tbl.schema)
                if pa.types.is_string(f.type) and tbl.num_rows
                and pc.any(pc.match_substring(tbl.column(i), "\x00")).as_py()
            ] + [i for i, f in enumerate(tbl.schema) if pa.types.is_list(f.type) and pa.types.is_string(f.type.value_type)]
            columns = [tbl.column(n).to_pylist() for n in tbl.schema.names]
            del tbl
            doc_index = SCHEMAS[table].names.index("doc_id")
            for row in zip(*columns):
                doc_id = row[doc_index]
                doc = docs.get(doc_id)
                if doc is None:
                    doc = docs[doc_id] = DocData(doc_id, {t: [] for t in TABLES})
                if nul_cols:
                    row = list(row)
                    for i in nul_cols:
                        row[i], n = _clean(row[i])
                        doc.nul_replaced += n
                    row = tuple(row)
                doc.rows[table].append(row)
    result = [docs[d] for d in sorted(docs)]
    for doc in result:
        doc.fingerprint = fingerprint(doc)
    return result


def iter_out(out: Path):
    """OUT's documents, one part (a group of whole documents) in memory at a
    time: an iterator of ``DocData``. Every file is checked first."""
    parts = _parts(out)

    def docs():
        for part in parts:
            yield from _part_docs(part)

    return docs()


def read_out(out: Path) -> list[DocData]:
    """Every document of OUT's Parquet tables, sorted by doc_id (all in memory: tests, tools)."""
    return sorted(iter_out(out), key=lambda d: d.doc_id)


def fingerprint(doc: DocData) -> str:
    """SHA-256 of the schema version and every row the document contributes."""
    h = hashlib.sha256(f"mgi-pg {SCHEMA_VERSION}\n".encode())
    for table in TABLES:
        h.update(f"{table} {','.join(SCHEMAS[table].names)}\n".encode())
        for row in doc.rows[table]:
            h.update(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode())
            h.update(b"\n")
    return h.hexdigest()


# --------------------------------------------------------------------------
# connecting
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a URL points (for messages; never the password)."""

    url: str
    host: str
    port: str
    dbname: str
    user: str
    password: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        return f"host {self.host} port {self.port} database {self.dbname}"

    @property
    def safe_url(self) -> str:
        host = self.host if not self.host.startswith("/") else "localhost"
        return f"postgresql://{self.user}@{host}:{self.port}/{self.dbname}"


def target(url: str | None) -> Target:
    """Parse ``url`` (or ``$MGI_DATABASE_URL``) with libpq's defaults for what it leaves out."""
    from psycopg.conninfo import conninfo_to_dict

    url = url or os.environ.get(URL_ENV) or ""
    if not url.strip():
        raise OutputError.of("E312")
    try:
        params = conninfo_to_dict(url)
    except Exception as exc:  # psycopg.ProgrammingError: libpq's parser
        raise OutputError.of("E313", reason=_scrub(_first_line(exc), None)) from None
    env = os.environ
    user = str(params.get("user") or env.get("PGUSER") or getpass.getuser())
    return Target(
        url=url,
        host=str(params.get("host") or params.get("hostaddr") or env.get("PGHOST") or "localhost"),
        port=str(params.get("port") or env.get("PGPORT") or "5432"),
        dbname=str(params.get("dbname") or env.get("PGDATABASE") or user),
        user=user,
        password=str(params["password"]) if params.get("password") else None,
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__


def _scrub(text: str, password: str | None) -> str:
    for secret in {password, os.environ.get("PGPASSWORD")} - {None, ""}:
        text = text.replace(secret, "***")
    return text


def _connect_reason(exc: BaseException, tgt: Target) -> str:
    """libpq's reason, without the connection preamble and hints."""
    state = getattr(exc, "sqlstate", None)
    lines = [" ".join(line.split()) for line in str(exc).splitlines() if line.strip()]
    reason = lines[-1] if lines else type(exc).__name__
    for line in lines:  # 'connection to server at "h" (addr), port p failed: FATAL:  why'
        if "failed:" in line:
            reason = line.rsplit("failed:", 1)[1].strip()
    reason = reason.removeprefix("FATAL:").strip() or reason
    if state in ("28P01", "28000") and "password" in reason:
        reason = f"authentication failed for user {tgt.user} ({reason})"
    return _scrub(reason, tgt.password)


def connect(tgt: Target):
    """An autocommit connection (transactions are explicit), or E314."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    extra: dict[str, Any] = {"application_name": "mgi db load"}
    if "connect_timeout" not in conninfo_to_dict(tgt.url):
        extra["connect_timeout"] = CONNECT_TIMEOUT
    try:
        return psycopg.connect(tgt.url, autocommit=True, **extra)
    except psycopg.Error as exc:
        raise OutputError.of("E314", where=tgt.where, reason=_connect_reason(exc, tgt)) from None


def _fail(tgt: Target, exc: BaseException) -> OutputError:
    return OutputError.of("E315", where=tgt.where, reason=_scrub(_first_line(exc), tgt.password))


# --------------------------------------------------------------------------
# the schema on the server
# --------------------------------------------------------------------------


def lock_key(schema: str) -> int:
    """The advisory lock of loads into ``schema`` (a signed 64-bit key)."""
    return int.from_bytes(hashlib.sha256(f"mgi db load {schema}".encode()).digest()[:8], "big", signed=True)


def pick_collation(cur) -> str:
    cur.execute(
        "SELECT collname FROM pg_collation WHERE collname = ANY(%s) AND collencoding IN "
        "(-1, (SELECT encoding FROM pg_database WHERE datname = current_database()))",
        (list(S.COLLATIONS),),
    )
    found = {r[0] for r in cur.fetchall()}
    return next((c for c in S.COLLATIONS if c in found), "C")


def _catalogue(cur, schema: str) -> tuple[dict[str, dict[str, str]], set[str], set[str]]:
    cur.execute(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
        (schema,),
    )
    columns: dict[str, dict[str, str]] = {}
    for table, column, typ in cur.fetchall():
        columns.setdefault(table, {})[column] = typ
    cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s", (schema,))
    indexes = {r[0] for r in cur.fetchall()}
    cur.execute("SELECT viewname FROM pg_views WHERE schemaname = %s", (schema,))
    return columns, indexes, {r[0] for r in cur.fetchall()}


def _meta(cur) -> dict[str, str]:
    cur.execute(f"SELECT key, value FROM {S.q(S.META_TABLE)}")
    return dict(cur.fetchall())


def _set_meta(cur, values: dict[str, str]) -> None:
    cur.executemany(
        f"INSERT INTO {S.q(S.META_TABLE)} (key, value) VALUES (%s, %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        sorted(values.items()),
    )


def prepare(conn, tgt: Target, schema: str) -> str:
    """Create or migrate the tables, views and bookkeeping of ``schema`` (one
    transaction); returns what was done ('created', 'migrated', 'up to date')."""
    import psycopg

    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", (schema,))
            if not cur.fetchone()[0]:  # (CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even then)
                cur.execute(f"CREATE SCHEMA {S.q(schema)}")
            cur.execute("SELECT has_schema_privilege(%s, 'USAGE')", (schema,))
            if not cur.fetchone()[0]:
                raise OutputError.of("E315", where=tgt.where, reason=f"permission denied: user {tgt.user} cannot use schema {schema}")
            cur.execute(f"SET LOCAL search_path TO {S.q(schema)}")
            columns, indexes, views = _catalogue(cur, schema)
            meta = _meta(cur) if S.META_TABLE in columns else {}
            found = meta.get("schema_version")
            if found and S.version_tuple(found) > S.version_tuple(SCHEMA_VERSION):
                raise OutputError.of("E316", schema=schema, where=tgt.where, found=found, ours=SCHEMA_VERSION)
            collation = meta.get("collation") or pick_collation(cur)
            plan = S.reconcile({t: c for t, c in columns.items() if t in TABLES}, indexes, views, collation)
            if plan.conflict:
                table, column, was, expected = plan.conflict
                raise OutputError.of("E317", schema=schema, where=tgt.where, table=table, column=column,
                                     found=was, expected=expected, url=tgt.safe_url)
            for statement in S.meta_tables_sql() + plan.statements:
                cur.execute(statement)
            done = "up to date"
            if plan.statements or found != SCHEMA_VERSION:
                done = "created" if not found else "migrated"
                if found and found != SCHEMA_VERSION:  # every document's rows are re-written
                    cur.execute(f"DELETE FROM {S.q(S.LOADED_TABLE)}")
                stamp = {"schema_version": SCHEMA_VERSION, "collation": collation}
                if not found:
                    cur.execute("SELECT now()::text")
                    stamp["created_at"] = cur.fetchone()[0]
                _set_meta(cur, stamp)
            for table in (*TABLES, S.META_TABLE, S.LOADED_TABLE):
                cur.execute("SELECT has_table_privilege(%s, 'INSERT, DELETE')", (f"{S.q(schema)}.{S.q(table)}",))
                if not cur.fetchone()[0]:
                    raise OutputError.of("E315", where=tgt.where,
                                         reason=f"permission denied: user {tgt.user} cannot write {schema}.{table}")
            return done
    except psycopg.Error as exc:
        raise _fail(tgt, exc) from None


# --------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------


@dataclass
class LoadResult:
    documents: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rows: int = 0
    seconds: float = 0.0
    schema: str = "created"
    problems: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def _delete_doc(cur, doc_id: str) -> None:
    for table in reversed(TABLES):
        cur.execute(f"DELETE FROM {S.q(table)} WHERE doc_id = %s", (doc_id,))
    cur.execute(f"DELETE FROM {S.q(S.LOADED_TABLE)} WHERE doc_id = %s", (doc_id,))


def _write_doc(cur, doc: DocData, present: bool) -> None:
    if present:
        _delete_doc(cur, doc.doc_id)
    for table in TABLES:
        rows = doc.rows[table]
        if not rows:
            continue
        names = ", ".join(S.q(n) for n in SCHEMAS[table].names)
        with cur.copy(f"COPY {S.q(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    cur.execute(
        f"INSERT INTO {S.q(S.LOADED_TABLE)} (doc_id, fingerprint) VALUES (%s, %s)",
        (doc.doc_id, doc.fingerprint),
    )


def _is_fatal(exc: BaseException) -> bool:
    """Errors no other document would escape: the connection, permissions, resources."""
    import psycopg
    from psycopg import errors as E

    return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError, E.InsufficientPrivilege))


def load(out: Path, tgt: Target, schema: str = "public", keep_removed: bool = False,
         progress: Any = None, say: Any = None) -> LoadResult:
    """Load OUT into ``schema``; ``progress(doc_id)`` after each document,
    ``say(text)`` for notes (waiting for a lock, NULs replaced)."""
    import psycopg

    say = say or (lambda text: None)
    docs = iter_out(out)  # every file checked before connecting: a bad OUT touches nothing
    start = time.perf_counter()
    result = LoadResult()
    wanted: set[str] = set()
    conn = connect(tgt)
    try:
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(schema),))
                if not cur.fetchone()[0]:
                    say(f"another `mgi db load` into schema {schema} at {tgt.where} is running: waiting for it")
                    cur.execute("SELECT pg_advisory_lock(%s)", (lock_key(schema),))
                cur.execute(f"SET search_path TO {S.q(schema)}")
        except psycopg.Error as exc:
            raise _fail(tgt, exc) from None
        result.schema = prepare(conn, tgt, schema)
        with conn.cursor() as cur:
            cur.execute(f"SELECT doc_id, fingerprint FROM {S.q(S.LOADED_TABLE)}")
            loaded = dict(cur.fetchall())
            cur.execute("SELECT doc_id FROM documents")
            present = {r[0] for r in cur.fetchall()} | set(loaded)
        for doc in docs:
            result.documents += 1
            wanted.add(doc.doc_id)
            if doc.nul_replaced:
                say(f"{doc.doc_id}: {doc.nul_replaced} NUL character(s) stored as U+FFFD (PostgreSQL text cannot hold NUL)")
            if loaded.get(doc.doc_id) == doc.fingerprint:
                result.unchanged += 1
            else:
                try:
                    with conn.transaction(), conn.cursor() as cur:
                        _write_doc(cur, doc, doc.doc_id in present)
                    result.written += 1
                    result.rows += doc.n_rows
                except psycopg.Error as exc:
                    if _is_fatal(exc):
                        raise _fail(tgt, exc) from None
                    result.problems.append(str(OutputError.of("E319", doc_id=doc.doc_id, reason=_first_line(exc))))
            if progress:
                progress(doc.doc_id)
        if not keep_removed:
            for doc_id in sorted(present - wanted):
                try:
                    with conn.transaction(), conn.cursor() as cur:
                        _delete_doc(cur, doc_id)
                    result.removed += 1
                except psycopg.Error as exc:
                    raise _fail(tgt, exc) from None
        if result.written or result.removed or result.schema != "up to date":
            try:
                with conn.transaction(), conn.cursor() as cur:
                    cur.execute("SELECT now()::text")
                    _set_meta(cur, {"pipeline_version": __version__, "loaded_at": cur.fetchone()[0]})
            except psycopg.Error as exc:
                raise _fail(tgt, exc) from None
    finally:
        conn.close()  # ends the session: the advisory lock goes with it
    result.seconds = time.perf_counter() - start
    return result


# --------------------------------------------------------------------------
# the command
# --------------------------------------------------------------------------


def _progress_bar(enabled: bool, total: int) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    if not (enabled and console.is_terminal and total):
        return None
    return Progress(TextColumn("[bold]mgi db load[/]"), BarColumn(), TextColumn("{task.completed}/{task.total} documents"),
                    TimeElapsedColumn(), console=console, transient=False)


def load_command(out: Path, url: str | None, schema: str = "public", keep_removed: bool = False,
                 progress: bool = True) -> int:
    """``mgi db load OUT --url URL``: 0 loaded, 1 some document refused, 2 nothing loaded."""
    from rich.console import Console
    from rich.markup import escape

    err = Console(stderr=True, highlight=False, soft_wrap=True)

    def say(text: str) -> None:
        err.print(f"[yellow]note:[/] {escape(text)}")

    out = Path(out)
    try:
        if not out.is_dir():
            raise OutputError.of("E320", path=out, reason="no such folder")
        tgt = target(url)
        n_docs = len(read_doc_ids(out)) if progress else 0
        bar = _progress_bar(progress, n_docs)
        if bar is None:
            result = load(out, tgt, schema, keep_removed, say=say)
        else:
            with bar:
                task = bar.add_task("load", total=n_docs)
                result = load(out, tgt, schema, keep_removed, progress=lambda _d: bar.advance(task), say=say)
    except OutputError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return 2
    for problem in result.problems:
        err.print(f"[red]error:[/] {escape(problem)}")
    Console(highlight=False, soft_wrap=True).print(escape(
        f"loaded {out} into {tgt.safe_url} schema {schema} ({result.schema}): {result.documents} documents, "
        f"{result.written} written, {result.unchanged} unchanged, {result.removed} removed; "
        f"{result.rows} rows in {result.seconds:.2f} s ({result.rows_per_second:.0f} rows/s)"
    ))
    return 1 if result.problems else 0


def read_doc_ids(out: Path) -> list[str]:
    """doc_ids of OUT's documents table (for the progress bar's total)."""
    import pyarrow.parquet as pq

    try:
        return pq.read_table(Path(out) / "documents", columns=["doc_id"]).column(0).to_pylist()
    except Exception:  # the load itself reports an unreadable table
        return []
