"""The DuckDB research database ``OUT/mgi.duckdb``.

``mgi db build OUT`` creates every table of ``pipeline.store.tables.SCHEMAS`` with
its declared types, NOT NULL constraints and a PRIMARY KEY on the id column,
loads it from ``OUT/<table>/**/*.parquet``, adds the convenience views and
renames the finished file into place (a reader never sees a half-built
database). ``references`` is an SQL keyword: quote it (``"references"``) or
use the view ``v_references``. The views are defined once, in
``pipeline.store.views`` (their columns are listed there), for DuckDB and
PostgreSQL (``mgi db load``).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.datamodel import SCHEMA_VERSION
from pipeline.errors import OutputError, QueryError
from pipeline.store.tables import PRIMARY_KEYS, SCHEMAS, TABLES
from pipeline.store.views import VIEWS, quote, sql_type

DB_NAME = "mgi.duckdb"


DUCKDB_TYPES = {"string": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT", "float64": "DOUBLE", "bool": "BOOLEAN"}


def duckdb_type(typ: pa.DataType) -> str:
    name = sql_type(typ, DUCKDB_TYPES)
    if name is None:
        raise OutputError.of("E306", arrow_type=typ)
    return name


def create_table_sql(table: str) -> str:
    cols = [
        f"{quote(f.name)} {duckdb_type(f.type)}{'' if f.nullable else ' NOT NULL'}" for f in SCHEMAS[table]
    ]
    cols.append(f"PRIMARY KEY ({', '.join(quote(k) for k in PRIMARY_KEYS[table])})")
    return f"CREATE TABLE {quote(table)} (\n  " + ",\n  ".join(cols) + "\n)"


def _parquet_glob(out: Path, table: str) -> str:
    return (Path(out) / table).as_posix().replace("'", "''") + "/**/*.parquet"


def _remove(*paths: Path) -> None:
    for p in paths:
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def build(out: Path) -> dict[str, int]:
    """Build ``OUT/mgi.duckdb`` from the Parquet tables; rows per table.

    Raises ``OutputError`` with a one-line reason (missing table, duplicate
    id, unwritable folder, ...)."""
    import duckdb

    out = Path(out)
    for table in TABLES:
        if not any((out / table).glob("**/*.parquet")):
            raise OutputError.of("E307", folder=out / table)
    target = out / DB_NAME
    for stale in out.glob(f".{DB_NAME}.*.tmp*"):  # left by a killed build
        _remove(stale)
    tmp = out / f".{DB_NAME}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    tmp_wal = tmp.with_name(tmp.name + ".wal")
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp))
        try:
            for table in TABLES:
                con.execute(create_table_sql(table))
                names = ", ".join(quote(f.name) for f in SCHEMAS[table])
                con.execute(
                    f"INSERT INTO {quote(table)} ({names}) "
                    f"SELECT {names} FROM read_parquet('{_parquet_glob(out, table)}') "
                    f"ORDER BY {', '.join(quote(k) for k in PRIMARY_KEYS[table])}"
                )
                counts[table] = con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0]
            for name, sql in VIEWS.items():
                con.execute(f"CREATE VIEW {name} AS {sql}")
            con.execute("CREATE TABLE mgi_metadata (key VARCHAR PRIMARY KEY, value VARCHAR)")
            meta = _parquet_metadata(out)
            meta.setdefault("schema_version", SCHEMA_VERSION)
            con.executemany("INSERT INTO mgi_metadata VALUES (?, ?)", sorted(meta.items()))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _remove(target.with_name(target.name + ".wal"))
        os.replace(tmp, target)
    except duckdb.Error as exc:
        raise OutputError.of("E308", path=target, reason=_first_line(exc)) from None
    except OSError as exc:
        raise OutputError.of("E305", path=target, reason=exc.strerror or exc) from None
    finally:
        _remove(tmp, tmp_wal)
    return counts


def _parquet_metadata(out: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    files = sorted((Path(out) / "documents").glob("**/*.parquet"))
    if not files:
        return {}
    raw = pq.read_metadata(files[0]).metadata or {}
    return {
        k.decode()[len("mgi."):]: v.decode()
        for k, v in raw.items()
        if k.startswith(b"mgi.") and k != b"mgi.table"
    }


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__


# --------------------------------------------------------------------------
# commands
# --------------------------------------------------------------------------


def _err(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]error:[/] {message}", markup=True)


def build_command(out: Path) -> int:
    """``mgi db build OUT``: 0 on success, 2 with a one-line error otherwise."""
    from rich.console import Console

    out = Path(out)
    if not out.is_dir():
        _err(f"{out}: no such folder")
        return 2
    try:
        counts = build(out)
    except OutputError as exc:
        _err(str(exc))
        return 2
    Console(highlight=False, soft_wrap=True).print(
        f"built {out / DB_NAME}: " + ", ".join(f"{t} {n}" for t, n in counts.items())
    )
    return 0


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return repr(value)
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def query(out: Path, sql: str, max_rows: int = 50) -> tuple[list[str], list[tuple], bool]:
    """Run ``sql`` read-only; (column names, up to max_rows rows, truncated?)."""
    import duckdb

    path = Path(out) / DB_NAME
    if not path.is_file():
        raise OutputError.of("E309", path=path, out=out)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise OutputError.of("E310", path=path, reason=_first_line(exc)) from None
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return [], [], False
        columns = [d[0] for d in cur.description]
        rows = cur.fetchmany(max(0, max_rows) + 1)
    except duckdb.Error as exc:
        raise QueryError.of("E311", reason=_first_line(exc)) from None
    finally:
        con.close()
    return columns, rows[:max_rows], len(rows) > max_rows


def query_command(out: Path, sql: str, max_rows: int = 50) -> int:
    """``mgi db query OUT SQL``: a Rich table on a terminal, tab-separated text otherwise."""
    import sys

    from rich.console import Console
    from rich.table import Table

    try:
        columns, rows, truncated = query(out, sql, max_rows)
    except QueryError as exc:
        _err(str(exc))
        return 1
    except OutputError as exc:  # no database, or it cannot be opened
        _err(str(exc))
        return 2
    console = Console(highlight=False, soft_wrap=True)
    if console.is_terminal:
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*(_cell(v) for v in row))
        console.print(table)
        if truncated:
            console.print(f"[dim]first {max_rows} rows shown (--max-rows)[/]")
    else:
        if columns:
            sys.stdout.write("\t".join(columns) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(_cell(v) for v in row) + "\n")
        if truncated:
            sys.stdout.write(f"# first {max_rows} rows shown (--max-rows)\n")
        sys.stdout.flush()
    return 0
