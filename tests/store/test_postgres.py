"""``mgi db load``: the tables in PostgreSQL, on a real throwaway server.

The server is a cluster started for this module (initdb + pg_ctl in a
temporary folder, as the ``postgres`` user when run as root, on a free
local port; stopped at the end, also on failure) by
``benchmarks/pg_bench.py``'s ``throwaway_cluster``. Without the server
binaries (Debian package ``postgresql``) or psycopg the module is skipped,
except under CI (env ``CI`` set), where that is a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("pg_bench", ROOT / "benchmarks" / "pg_bench.py")
pg_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pg_bench)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required under CI)", pytrace=False)
    pytest.skip(reason)


try:
    import psycopg
except ImportError:  # pragma: no cover - the `postgres` / `test` extra
    psycopg = None

from pipeline.store import db, postgres  # noqa: E402
from pipeline.store import write as W  # noqa: E402
from pipeline.store.tables import PRIMARY_KEYS, SCHEMAS, TABLE_SPECS, TABLES  # noqa: E402
from pipeline.store.views import VIEWS  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    if psycopg is None:
        _unavailable("psycopg is not installed (pip install -e '.[postgres]')")
    bindir = pg_bench.server_bindir()
    if bindir is None:
        _unavailable("no PostgreSQL server binaries (Debian: apt-get install postgresql)")
    with pg_bench.throwaway_cluster(bindir) as c:
        yield c


@pytest.fixture(scope="module")
def samples_out(tmp_path_factory) -> Path:
    """The shipped samples run through the pipeline, with OUT/mgi.duckdb."""
    from pipeline.config import load_config
    from pipeline.run import batch

    out = tmp_path_factory.mktemp("pg") / "samples-out"
    assert batch.run([ROOT / "samples"], out, load_config(), workers=2, progress=False) == 0
    assert db.build_command(out) == 0
    return out


@pytest.fixture(scope="module")
def synthetic(samples_out, tmp_path_factory) -> tuple[Path, Path]:
    """40 synthetic documents (copies of the samples' rows) and the same with every document changed."""
    base = tmp_path_factory.mktemp("syn")
    pg_bench.synthetic_batch(samples_out, base / "a", 40)
    pg_bench.changed_batch(base / "a", base / "b")
    return base / "a", base / "b"


def _conn(cluster):
    return psycopg.connect(cluster["url"](), autocommit=True)


def _load(cluster, out: Path, schema: str, **kw) -> postgres.LoadResult:
    return postgres.load(out, postgres.target(cluster["url"]()), schema=schema, **kw)


def dump(cluster, schema: str) -> dict[str, list[tuple]]:
    """Every table's rows in primary-key order (json columns parsed), all
    tables read in one snapshot (a commit landing between two tables' reads
    would otherwise show a document half old, half new)."""
    with _conn(cluster) as con:
        result = {}
        con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for table in TABLES:
            cols = ", ".join(f'"{c}"' for c in SCHEMAS[table].names)
            key = ", ".join(f'"{k}"' for k in PRIMARY_KEYS[table])
            result[table] = con.execute(f'SELECT {cols} FROM "{schema}"."{table}" ORDER BY {key}').fetchall()
        con.execute("COMMIT")
        return result


def _wait_for_backends_gone(watch, timeout: float = 30.0) -> None:
    """After the loader is killed, its server backend may still be finishing
    (a COMMIT already sent is carried out; anything else is rolled back when
    the server sees the closed socket): wait until no 'mgi db load' session remains."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = watch.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mgi db load'").fetchone()[0]
        if not left:
            return
        time.sleep(0.02)
    raise AssertionError("the killed loader's server session did not end")


def parquet_rows(out: Path) -> dict[str, list[tuple]]:
    """The same from the Parquet tables (json columns parsed, sorted bytewise by key as PostgreSQL's collation does)."""
    result = {}
    for table in TABLES:
        names = SCHEMAS[table].names
        json_cols = TABLE_SPECS[table].json_columns
        rows = [tuple(json.loads(r[c]) if c in json_cols else r[c] for c in names) for r in W.read_table(out, table).to_pylist()]
        key = [names.index(k) for k in PRIMARY_KEYS[table]]
        result[table] = sorted(rows, key=lambda r: tuple(r[i].encode() for i in key))
    return result


def _docs_in(rows: dict[str, list[tuple]]) -> dict[str, dict[str, list[tuple]]]:
    """Rows grouped by document: doc_id -> table -> rows."""
    out: dict[str, dict[str, list[tuple]]] = {}
    for table, trs in rows.items():
        i = SCHEMAS[table].names.index("doc_id")
        for r in trs:
            out.setdefault(r[i], {t: [] for t in TABLES})[table].append(r)
    return out


# --------------------------------------------------------------------------
# the load
# --------------------------------------------------------------------------


def test_load_equals_the_parquet_tables_and_a_second_load_is_a_no_op(cluster, samples_out):
    first = _load(cluster, samples_out, "samples")
    assert first.schema == "created" and first.written == first.documents == 10 and not first.problems
    loaded = dump(cluster, "samples")
    expected = parquet_rows(samples_out)
    assert {t: len(r) for t, r in loaded.items()} == {t: len(r) for t, r in expected.items()}
    assert loaded == expected  # every value, floats and lists included
    with _conn(cluster) as con:
        xmins = con.execute("SELECT xmin::text, stat_id FROM samples.statistics ORDER BY stat_id").fetchall()
        meta = dict(con.execute("SELECT key, value FROM samples.mgi_meta").fetchall())
    again = _load(cluster, samples_out, "samples")
    assert (again.schema, again.written, again.unchanged, again.removed, again.rows) == ("up to date", 0, 10, 0, 0)
    with _conn(cluster) as con:  # not even re-written: same row versions, same load time
        assert con.execute("SELECT xmin::text, stat_id FROM samples.statistics ORDER BY stat_id").fetchall() == xmins
        assert dict(con.execute("SELECT key, value FROM samples.mgi_meta").fetchall()) == meta
    assert meta["schema_version"] == postgres.SCHEMA_VERSION and meta["pipeline_version"] and meta["loaded_at"]


def test_schema_types_keys_foreign_keys_indexes_and_views(cluster, samples_out):
    _load(cluster, samples_out, "samples")
    with _conn(cluster) as con:
        types = dict(con.execute(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns WHERE table_schema = 'samples'"
        ).fetchall())
        assert types["statistics.value"] == "double precision" and types["statistics.page"] == "integer"
        assert types["sections.bbox"] == "ARRAY" and types["paragraphs.markers"] == "json"
        assert types["documents.warnings"] == "ARRAY" and types["references.raw"] == "text"
        fks = set(con.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = 'samples'::regnamespace").fetchall())
        assert ("samples.citations", "citations_reference_id_fkey") in fks
        assert ("samples.sections", "sections_parent_id_fkey") in fks
        assert len(fks) == 21
        indexes = {r[0] for r in con.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'samples'").fetchall()}
        assert {f"{t}_doc_id_idx" for t in TABLES if t != "documents"} <= indexes and "sections_kind_idx" in indexes
        views = {r[0] for r in con.execute("SELECT viewname FROM pg_views WHERE schemaname = 'samples'").fetchall()}
        assert views == set(VIEWS)
        with pytest.raises(psycopg.errors.ForeignKeyViolation):  # a statistic of no document
            con.execute("INSERT INTO samples.statistics (doc_id, stat_id, page, kind, raw, value, sentence, char_start, char_end)"
                        " VALUES ('nope', 'nope:st1', 1, 'count', '1', 1, 's', 0, 1)")


def test_every_view_and_the_readme_questions_give_the_same_rows_on_both_engines(cluster, samples_out):
    import duckdb

    _load(cluster, samples_out, "samples")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    questions = [b.strip() for b in re.findall(r"```sql\n(.*?)```", readme, flags=re.S)]
    assert len(questions) >= 3
    queries = questions + [f"SELECT * FROM {v}" for v in VIEWS]
    duck = duckdb.connect(str(samples_out / db.DB_NAME), read_only=True)
    try:
        with _conn(cluster) as con:
            con.execute("SET search_path TO samples")
            for sql in queries:
                want = duck.execute(sql).fetchall()
                cur = con.execute(sql)
                got = cur.fetchall()
                assert want, sql
                if sql not in questions:  # a view without ORDER BY: compare as multisets
                    want, got = sorted(want, key=repr), sorted(got, key=repr)
                assert got == want, sql
                assert [d.name for d in cur.description] == [d[0] for d in duck.execute(sql).description], sql
    finally:
        duck.close()


def test_a_changed_and_a_removed_document(cluster, samples_out, tmp_path):
    _load(cluster, samples_out, "changes")
    docs = sorted(W.read_table(samples_out, "documents").column("doc_id").to_pylist())
    changed_id, removed_id = docs[0], docs[1]
    new = tmp_path / "new"
    for table in TABLES:  # a new OUT: one document re-run with other results, one gone
        rows = [r for r in W.read_table(samples_out, table).to_pylist() if r["doc_id"] != removed_id]
        if table == "documents":
            rows = [dict(r, title="Changed title") if r["doc_id"] == changed_id else r for r in rows]
        if table == "statistics":
            rows = [r for r in rows if not (r["doc_id"] == changed_id and r["kind"] == "percent")]
        import pyarrow as pa

        (new / table).mkdir(parents=True)
        (new / table / "part-0.parquet").write_bytes(W.parquet_bytes(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), table, "h"))
    kept = _load(cluster, new, "changes", keep_removed=True)
    assert (kept.written, kept.unchanged, kept.removed) == (1, 8, 0)
    assert removed_id in _docs_in(dump(cluster, "changes"))
    result = _load(cluster, new, "changes")
    assert (result.written, result.unchanged, result.removed) == (0, 9, 1)
    assert dump(cluster, "changes") == parquet_rows(new)


def test_an_older_schema_is_migrated_and_a_newer_one_refused(cluster, samples_out, capsys):
    _load(cluster, samples_out, "migrate")
    with _conn(cluster) as con:  # as an older version would have left it: a column and the views missing
        con.execute('ALTER TABLE migrate.statistics DROP COLUMN subject CASCADE')
        con.execute("UPDATE migrate.mgi_meta SET value = '0.9' WHERE key = 'schema_version'")
    result = _load(cluster, samples_out, "migrate")
    assert result.schema == "migrated" and result.written == 10
    assert dump(cluster, "migrate") == parquet_rows(samples_out)
    with _conn(cluster) as con:
        assert con.execute("SELECT count(*) FROM migrate.v_statistics").fetchone()[0] == len(parquet_rows(samples_out)["statistics"])
        assert con.execute("SELECT value FROM migrate.mgi_meta WHERE key = 'schema_version'").fetchone()[0] == postgres.SCHEMA_VERSION
        con.execute("UPDATE migrate.mgi_meta SET value = '99.0' WHERE key = 'schema_version'")
    code = postgres.load_command(samples_out, cluster["url"](), schema="migrate", progress=False)
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert "schema version 99.0, newer than" in err and "upgrade mgi-pipeline" in err


# --------------------------------------------------------------------------
# bad URLs, permissions
# --------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["unreachable", "wrong password", "missing database", "no permission", "no write permission"])
def test_each_bad_url_is_one_line_naming_host_port_and_database(cluster, samples_out, capsys, monkeypatch, case):
    port = cluster["port"]
    secret = cluster["password"]
    dbname, schema = "research", "public"
    if case == "unreachable":
        port = pg_bench.free_port()
        url = cluster["url"](p=port)
    elif case == "wrong password":
        secret = "not-the-password-42"
        url = cluster["url"](password=secret)
    elif case == "missing database":
        dbname = "no_such_db"
        url = cluster["url"](dbname=dbname)
    elif case == "no permission":  # reader may connect but not create a schema
        url, schema = cluster["url"](user="reader"), "readers_own"
    else:  # the tables exist, owned by mgi: reader may not write them
        _load(cluster, samples_out, "guarded")
        url, schema = cluster["url"](user="reader"), "guarded"
    before = dump(cluster, "guarded") if case == "no write permission" else None
    monkeypatch.delenv("PGPASSWORD", raising=False)
    code = postgres.load_command(samples_out, url, schema=schema, progress=False)
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert f"host 127.0.0.1 port {port} database {dbname}" in err, err
    assert secret not in err and "Traceback" not in err
    expect = {"unreachable": "refused", "wrong password": "authentication failed", "missing database": "does not exist",
              "no permission": "permission denied", "no write permission": "permission denied"}[case]
    assert expect in err, err
    with _conn(cluster) as con:  # nothing written
        assert con.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'readers_own'").fetchone()[0] == 0
    if before is not None:
        assert dump(cluster, "guarded") == before


def test_no_url_and_the_url_from_the_environment(cluster, samples_out, capsys, monkeypatch):
    monkeypatch.delenv(postgres.URL_ENV, raising=False)
    assert postgres.load_command(samples_out, None, progress=False) == 2
    assert "no database given" in capsys.readouterr().err
    monkeypatch.setenv(postgres.URL_ENV, cluster["url"]())
    assert postgres.load_command(samples_out, None, schema="fromenv", progress=False) == 0
    out = capsys.readouterr().out
    assert "10 written" in out and cluster["password"] not in out


# --------------------------------------------------------------------------
# concurrency and SIGKILL
# --------------------------------------------------------------------------


def _loader(out: Path, url: str, schema: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(postgres.URL_ENV, None)
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "db", "load", str(out), "--url", url, "--schema", schema,
                             "--no-progress"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_load_at_once_waits_for_the_first(cluster, synthetic):
    a, _ = synthetic
    with _conn(cluster) as holder:  # plays the first load: holds the schema's lock
        holder.execute("SELECT pg_advisory_lock(%s)", (postgres.lock_key("together"),))
        proc = _loader(a, cluster["url"](), "together")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            waiting = holder.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mgi db load' "
                                     "AND wait_event_type = 'Lock' AND wait_event = 'advisory'").fetchone()[0]
            if waiting or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert waiting == 1, proc.communicate()
        assert holder.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'together'").fetchone()[0] == 0
        holder.execute("SELECT pg_advisory_unlock(%s)", (postgres.lock_key("together"),))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "is running: waiting for it" in err
    # and two real loads at once: no duplicate, no error
    procs = [_loader(a, cluster["url"](), "twice") for _ in range(2)]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert dump(cluster, "twice") == parquet_rows(a)


def test_sigkill_at_random_moments_leaves_each_document_before_or_after(cluster, synthetic):
    a, b = synthetic
    rows_a, rows_b = _docs_in(parquet_rows(a)), _docs_in(parquet_rows(b))
    n = len(rows_b)
    with _conn(cluster) as watch:
        for seed in range(4):
            schema = f"killed{seed}"
            rng = random.Random(seed)
            if seed == 0:  # killed while creating the schema or writing the first documents
                stop_after, extra = 0, rng.uniform(0.0, 0.3)
            else:  # killed mid-load of a changed OUT, after some documents
                _load(cluster, a, schema)
                stop_after, extra = rng.randint(1, n - 12), rng.uniform(0.0, 0.06)
            fps = [d.fingerprint for d in postgres.read_out(b)]
            proc = _loader(b, cluster["url"](), schema)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and proc.poll() is None:
                if seed == 0:
                    started = watch.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mgi db load'").fetchone()[0]
                    if started:
                        break
                else:
                    done = watch.execute(f"SELECT count(*) FROM {schema}.mgi_loaded WHERE fingerprint = ANY(%s)", (fps,)).fetchone()[0]
                    if done >= stop_after:
                        break
                time.sleep(0.005)
            time.sleep(extra)
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            assert proc.returncode == -signal.SIGKILL, f"seed {seed}: the load finished before the kill"
            _wait_for_backends_gone(watch)
            # every document is as before (A, or absent on a fresh schema) or as after (B), never half
            has_tables = watch.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{schema}.documents",)).fetchone()[0]
            state = _docs_in(dump(cluster, schema)) if has_tables else {}
            for doc_id, rows in state.items():
                assert rows in (rows_a.get(doc_id), rows_b.get(doc_id)), f"seed {seed}: {doc_id} half loaded"
            if seed:  # the kill landed mid-load: the documents before it are new, the rest old
                n_after = sum(1 for d, r in state.items() if r == rows_b.get(d))
                assert stop_after <= n_after < n, f"seed {seed}: {n_after} of {n} documents new"
            result = _load(cluster, b, schema)
            assert not result.problems
            assert dump(cluster, schema) == parquet_rows(b), f"seed {seed}"
            assert result.written == n - sum(1 for d, r in state.items() if r == rows_b.get(d))
