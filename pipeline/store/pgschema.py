"""The PostgreSQL schema of ``mgi db load``: tables, keys, indexes, views, meta.

Nothing here is written by hand per table: every column type comes from the
table's Arrow schema (``pipeline.store.tables.SCHEMAS``), the primary keys
from its descriptor, and the foreign keys from the id columns themselves
(a column named like another table's single-column primary key references
that table; ``sections.parent_id`` references ``sections``). The views are
``pipeline.store.views.VIEWS``, the text DuckDB uses too.

    string -> text (COLLATE the code-point collation, see ``pick_collation``)
    a descriptor's json column (string) -> json (the text kept as written)
    int32 -> integer;  int64 -> bigint;  double -> double precision
    bool -> boolean;   list<X> -> X[]

Foreign keys are DEFERRABLE INITIALLY DEFERRED: a document's rows are
deleted and written in one transaction and checked at its commit. Every
foreign-key column, ``doc_id`` and the columns the views filter on
(``views.FILTER_COLUMNS``) are indexed.

Two bookkeeping tables: ``mgi_meta`` (key, value: schema_version,
pipeline_version, created_at, loaded_at) and ``mgi_loaded`` (doc_id,
fingerprint, loaded_at: what each document's rows were loaded from).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from pipeline.errors import OutputError
from pipeline.store.tables import PRIMARY_KEYS, SCHEMAS, TABLE_SPECS, TABLES
from pipeline.store.views import FILTER_COLUMNS, VIEWS, quote, sql_type

META_TABLE = "mgi_meta"
LOADED_TABLE = "mgi_loaded"
# preferred text collations: code-point order (as DuckDB and Parquet tools
# sort) with Unicode case folding for ILIKE / lower(); "C" folds ASCII only
COLLATIONS = ("pg_c_utf8", "C.utf8", "C.UTF-8", "C")


q = quote  # short: every DDL line quotes several names

PG_TYPES = {"string": "text", "int32": "integer", "int64": "bigint", "float64": "double precision", "bool": "boolean"}


def pg_type(typ: pa.DataType, json: bool = False) -> str:
    """PostgreSQL type of an Arrow type (``json``: the column holds JSON text)."""
    name = sql_type(typ, {**PG_TYPES, "string": "json" if json else "text"})
    if name is None:
        raise OutputError.of("E318", arrow_type=typ)
    return name


def column_types() -> dict[str, dict[str, str]]:
    """table -> column -> PostgreSQL type, in column order."""
    return {
        t: {f.name: pg_type(f.type, f.name in TABLE_SPECS[t].json_columns) for f in SCHEMAS[t]} for t in TABLES
    }


def foreign_keys() -> list[tuple[str, str, str]]:
    """(table, column, referenced table): id columns naming another table's key."""
    owner = {PRIMARY_KEYS[t][0]: t for t in TABLES if len(PRIMARY_KEYS[t]) == 1}
    fks = []
    for table in TABLES:
        for column in SCHEMAS[table].names:
            target = "sections" if (table, column) == ("sections", "parent_id") else owner.get(column)
            if target is not None and column not in PRIMARY_KEYS[table]:
                fks.append((table, column, target))
    return fks


def indexed_columns() -> list[tuple[str, str]]:
    """(table, column) with an index besides the primary keys: doc_id, every
    foreign-key column (deleting a document looks its rows up by them) and
    the view filters."""
    wanted = [(t, c) for t, c, _ in foreign_keys()]
    wanted += [(t, c) for t, cols in FILTER_COLUMNS.items() for c in cols]
    seen: list[tuple[str, str]] = []
    for table, column in wanted:
        if (table, column) not in seen and (column,) != PRIMARY_KEYS[table]:
            seen.append((table, column))
    return seen


def _collate(pg: str, collation: str | None) -> str:
    return f" COLLATE {q(collation)}" if collation and pg in ("text", "text[]") else ""


def column_sql(table: str, column: str, collation: str | None, with_null: bool = True) -> str:
    field = SCHEMAS[table].field(column)
    pg = column_types()[table][column]
    null = " NOT NULL" if with_null and not field.nullable else ""
    return f"{q(column)} {pg}{_collate(pg, collation)}{null}"


def create_table_sql(table: str, collation: str | None) -> str:
    cols = [column_sql(table, c, collation) for c in SCHEMAS[table].names]
    cols.append(f"PRIMARY KEY ({', '.join(q(k) for k in PRIMARY_KEYS[table])})")
    return f"CREATE TABLE {q(table)} (\n  " + ",\n  ".join(cols) + "\n)"


def fk_sql(table: str, column: str, target: str) -> str:
    name = q(f"{table}_{column}_fkey")
    return (
        f"ALTER TABLE {q(table)} ADD CONSTRAINT {name} FOREIGN KEY ({q(column)}) "
        f"REFERENCES {q(target)} ({q(PRIMARY_KEYS[target][0])}) DEFERRABLE INITIALLY DEFERRED"
    )


def index_sql(table: str, column: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {q(f'{table}_{column}_idx')} ON {q(table)} ({q(column)})"


def meta_tables_sql() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {q(META_TABLE)} (key text PRIMARY KEY, value text NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {q(LOADED_TABLE)} (doc_id text PRIMARY KEY, fingerprint text NOT NULL, "
        "loaded_at timestamptz NOT NULL DEFAULT now())",
    ]


def views_sql() -> list[str]:
    """Drop and re-create every view (in order): a migration may change them."""
    drops = [f"DROP VIEW IF EXISTS {q(name)} CASCADE" for name in reversed(VIEWS)]
    return drops + [f"CREATE VIEW {q(name)} AS {sql}" for name, sql in VIEWS.items()]


def version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (0,)


@dataclass
class Plan:
    """What the server's schema needs: statements to run (empty: up to date),
    and the first column whose type differs (cannot be migrated)."""

    statements: list[str]
    conflict: tuple[str, str, str, str] | None = None  # table, column, found, expected


def reconcile(
    existing: dict[str, dict[str, str]], indexes: set[str], views: set[str], collation: str | None
) -> Plan:
    """Statements bringing a schema with ``existing`` columns (table -> column ->
    type as ``format_type`` prints it), index and view names to the current
    tables. Columns are only ever added (docs/CONTRACT.md): a missing table is
    created, a missing column added (nullable: old rows have none until their
    document is re-loaded) with its foreign key, a missing index created, and
    the views re-created when anything changed; a changed type is a conflict."""
    statements: list[str] = []
    added: set[tuple[str, str]] = set()
    for table in TABLES:
        if table not in existing:
            statements.append(create_table_sql(table, collation))
            added.update((table, c) for c in SCHEMAS[table].names)
            continue
        for column, pg in column_types()[table].items():
            found = existing[table].get(column)
            if found is None:
                statements.append(f"ALTER TABLE {q(table)} ADD COLUMN {column_sql(table, column, collation, with_null=False)}")
                added.add((table, column))
            elif found != pg:
                return Plan([], (table, column, found, pg))
    statements += [fk_sql(t, c, target) for t, c, target in foreign_keys() if (t, c) in added]
    statements += [index_sql(t, c) for t, c in indexed_columns() if f"{t}_{c}_idx" not in indexes]
    if statements or set(VIEWS) - views:
        statements += views_sql()
    return Plan(statements)
