"""Load speed of ``mgi db load`` (PostgreSQL), in rows per second.

    python benchmarks/pg_bench.py                       # throwaway local cluster, samples run first
    python benchmarks/pg_bench.py --out outputs/        # an existing `mgi run` output of the samples
    python benchmarks/pg_bench.py --url postgresql://me@host/db   # an existing server (schemas bench_*)

Measures, with ``pipeline.store.postgres.load`` (time from connecting to the
last commit; reading the Parquet files is timed apart):
  * the samples into an empty schema, then the same OUT again (a no-op);
  * a synthetic batch of 100 documents (``synthetic_batch``: the samples'
    rows copied under new doc ids) into an empty schema, then every document
    changed (delete + write of each), then the same again (no-op).
The table between the markers in ``benchmarks/RESULTS.md`` is regenerated.

``throwaway_cluster`` (initdb + pg_ctl in a temporary folder, as the
``postgres`` user when run as root, on a free local port, stopped at the
end) is also what ``tests/store/test_postgres.py`` uses.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "<!-- BEGIN pg-bench: python benchmarks/pg_bench.py -->"
END = "<!-- END pg-bench -->"
PASSWORD = "mgi-bench-secret"


# --------------------------------------------------------------------------
# a throwaway PostgreSQL cluster
# --------------------------------------------------------------------------


def server_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<ver>/bin`` with initdb, or the one on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_cluster(bindir: Path, durable: bool = False) -> Iterator[dict]:
    """Start a cluster; yields {port, socket_dir, superuser, url(user, dbname), password}.

    Password (scram) authentication over TCP on 127.0.0.1, trust on the unix
    socket in the temporary folder (for the superuser). Stopped (immediate)
    and removed at the end, also on failure. Not ``durable``: fsync off (tests)."""
    tmp = Path(tempfile.mkdtemp(prefix="mgi-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, port = tmp / "data", free_port()
    started = False
    try:
        subprocess.run([*as_postgres, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
                        "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256"],
                       check=True, capture_output=True)
        opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1" + ("" if durable else " -c fsync=off")
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(tmp / "log"),
                        "-w", "-t", "60", "start"], check=True, capture_output=True)
        started = True
        import psycopg

        with psycopg.connect(host=str(tmp), port=port, user="postgres", dbname="postgres", autocommit=True) as con:
            con.execute(f"CREATE ROLE mgi LOGIN PASSWORD '{PASSWORD}'")
            con.execute(f"CREATE ROLE reader LOGIN PASSWORD '{PASSWORD}'")
            con.execute("CREATE DATABASE research OWNER mgi")

        def url(user: str = "mgi", dbname: str = "research", password: str | None = PASSWORD, p: int = port) -> str:
            auth = f"{user}:{password}" if password else user
            return f"postgresql://{auth}@127.0.0.1:{p}/{dbname}"

        yield {"port": port, "socket_dir": str(tmp), "password": PASSWORD, "url": url, "tmp": tmp}
    finally:
        if started:
            subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------
# a synthetic batch
# --------------------------------------------------------------------------


def synthetic_batch(src: Path, dest: Path, n_docs: int, tag: str = "syn") -> int:
    """Write to ``dest`` the Parquet tables of ``n_docs`` documents: the
    documents of ``src`` copied round-robin under new doc ids
    (``<doc_id>-<tag><k>``, every id column renamed alike). Returns rows written."""
    import pyarrow as pa

    from pipeline.store import write as W
    from pipeline.store.tables import SCHEMAS, TABLES

    docs = sorted(W.read_table(src, "documents").column("doc_id").to_pylist())
    copies = [(docs[i % len(docs)], f"{docs[i % len(docs)]}-{tag}{i // len(docs):03d}") for i in range(n_docs)]
    total = 0
    for table in TABLES:
        tbl = W.read_table(src, table)
        by_doc: dict[str, list[dict]] = {}
        for row in tbl.to_pylist():
            by_doc.setdefault(row["doc_id"], []).append(row)
        id_cols = [c for c in SCHEMAS[table].names if c == "doc_id" or c.endswith("_id")]
        rows = []
        for old, new in sorted(copies, key=lambda c: c[1]):
            for row in by_doc.get(old, []):
                row = dict(row)
                for c in id_cols:
                    v = row[c]
                    if isinstance(v, str) and (v == old or v.startswith(old + ":")):
                        row[c] = new + v[len(old):]
                rows.append(row)
        out_tbl = pa.Table.from_pylist(rows, schema=SCHEMAS[table])
        folder = Path(dest) / table
        folder.mkdir(parents=True, exist_ok=True)
        (folder / W.PART_NAME).write_bytes(W.parquet_bytes(out_tbl, table, "synthetic"))
        total += len(rows)
    return total


def changed_batch(src: Path, dest: Path, suffix: str = " (revised)") -> None:
    """``src`` with every document changed: its title gets ``suffix`` and its
    last statistic is dropped (as a re-run with other results would)."""
    import pyarrow as pa

    from pipeline.store import write as W
    from pipeline.store.tables import SCHEMAS, TABLES

    for table in TABLES:
        rows = W.read_table(src, table).to_pylist()
        if table == "documents":
            for row in rows:
                row["title"] = (row["title"] or "") + suffix
        if table == "statistics":
            last = {row["doc_id"]: row["stat_id"] for row in rows}
            rows = [r for r in rows if r["stat_id"] != last[r["doc_id"]]]
        folder = Path(dest) / table
        folder.mkdir(parents=True, exist_ok=True)
        (folder / W.PART_NAME).write_bytes(W.parquet_bytes(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), table, "changed"))


# --------------------------------------------------------------------------
# the benchmark
# --------------------------------------------------------------------------


def _timed_load(out: Path, url: str, schema: str) -> dict:
    from pipeline.store import postgres

    t0 = time.perf_counter()
    docs = postgres.read_out(out)
    read_s = time.perf_counter() - t0
    r = postgres.load(out, postgres.target(url), schema=schema)
    return {"documents": r.documents, "written": r.written, "rows": r.rows, "read_s": read_s,
            "load_s": r.seconds, "rows_per_s": r.rows_per_second, "n_rows": sum(d.n_rows for d in docs)}


def run(url: str, samples_out: Path, work: Path) -> list[tuple[str, dict]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        for s in ("bench_samples", "bench_synthetic"):
            con.execute(f'DROP SCHEMA IF EXISTS "{s}" CASCADE')
    syn, changed = work / "synthetic", work / "changed"
    synthetic_batch(samples_out, syn, 100)
    changed_batch(syn, changed)
    return [
        ("samples, empty schema", _timed_load(samples_out, url, "bench_samples")),
        ("samples again (no-op)", _timed_load(samples_out, url, "bench_samples")),
        ("100 synthetic documents, empty schema", _timed_load(syn, url, "bench_synthetic")),
        ("100 documents all changed (delete + write each)", _timed_load(changed, url, "bench_synthetic")),
        ("100 documents again (no-op)", _timed_load(changed, url, "bench_synthetic")),
    ]


def markdown(results: list[tuple[str, dict]], server: str) -> str:
    lines = [BEGIN, "", f"`mgi db load` ({server}; {platform.machine()}, {os.cpu_count()} cores, "
             f"load average {os.getloadavg()[0]:.1f}; Python {platform.python_version()}):", "",
             "| load | documents | written | rows written | read Parquet s | load s | rows/s |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in results:
        rate = f"{r['rows_per_s']:,.0f}" if r["rows"] else "–"
        lines.append(f"| {name} | {r['documents']} | {r['written']} | {r['rows']:,} | {r['read_s']:.2f} | {r['load_s']:.2f} | {rate} |")
    return "\n".join(lines + ["", END])


def update_results(block: str, path: Path = ROOT / "benchmarks" / "RESULTS.md") -> None:
    text = path.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Loading into PostgreSQL\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="server to use (default: a throwaway local cluster)")
    ap.add_argument("--out", type=Path, help="an `mgi run` output of the samples (default: run them now)")
    ap.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="mgi-pg-bench-") as tmp:
        work = Path(tmp)
        out = args.out
        if out is None:
            out = work / "samples-out"
            subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(ROOT / "samples"), "--out", str(out),
                            "-w", "2", "--no-progress"], check=True, cwd=ROOT)
        if args.url:
            results, server = run(args.url, out, work), "given server"
        else:
            bindir = server_bindir()
            if bindir is None:
                print("no PostgreSQL server binaries (apt-get install postgresql) and no --url", file=sys.stderr)
                return 2
            with throwaway_cluster(bindir, durable=True) as cluster:
                results = run(cluster["url"](), out, work)
            server = f"throwaway local cluster, PostgreSQL {bindir.parent.name}, default settings (fsync on)"
    block = markdown(results, server)
    print(block)
    if not args.no_write:
        update_results(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
