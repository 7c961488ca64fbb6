"""``mgi run --scheduler``: the files on a Dask cluster (a ``distributed.LocalCluster``
with 2 worker processes) give the tables of a local run; a worker killed
mid-run loses and duplicates no file."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.config import load_config
from pipeline.ids import file_sha256, make_doc_id
from pipeline.run import batch
from pipeline.store.tables import PRIMARY_KEYS, TABLES

if not os.environ.get("CI"):  # in CI the extra is installed: a missing one fails
    pytest.importorskip("distributed", reason="dask[distributed] not installed (extra [dask])")

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "samples").glob("*.pdf"), key=lambda p: p.stat().st_size)[:3]

pytestmark = pytest.mark.skipif(len(SAMPLES) < 3, reason="no samples/*.pdf rendered yet (run `mgi samples render`)")


def tables(out: Path) -> dict[str, pd.DataFrame]:
    result = {}
    for table in TABLES:
        df = pd.read_parquet(out / table)
        keys = list(dict.fromkeys(["doc_id", *PRIMARY_KEYS[table]]))
        assert not df.duplicated(subset=keys).any(), f"duplicated rows in {table}"
        result[table] = df.sort_values(keys).reset_index(drop=True)
    return result


def inputs(tmp: Path, n: int) -> Path:
    folder = tmp / "in"
    folder.mkdir()
    for pdf in SAMPLES[:n]:
        (folder / pdf.name).write_bytes(pdf.read_bytes())
    return folder


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as c:
        yield c


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("local")
    folder = inputs(tmp, 3)
    out = tmp / "out"
    assert batch.run([folder], out, load_config(), workers=2, progress=False) == 0
    return folder, out


def test_a_dask_run_equals_the_local_run(cluster, local, tmp_path, monkeypatch):
    folder, ref = local
    out = tmp_path / "out"
    assert batch.run([folder], out, load_config(), progress=False, scheduler=cluster.scheduler_address) == 0
    now, before = tables(out), tables(ref)
    for table in TABLES:
        pd.testing.assert_frame_equal(now[table], before[table], obj=table)
    # the same incremental keys: a local re-run of the cluster's output does nothing
    mtimes = {p: p.stat().st_mtime_ns for p in out.glob("*/*.parquet")}
    assert batch.run([folder], out, load_config(), workers=1, progress=False) == 0
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/*.parquet")} == mtimes


def test_a_killed_worker_loses_and_duplicates_no_file(cluster, local, tmp_path, monkeypatch):
    from distributed import Client

    folder, ref = local
    out = tmp_path / "out"
    monkeypatch.setenv("MGI_DASK_SCHEDULER", cluster.scheduler_address)  # the env route
    killed: list[str] = []

    def killer() -> None:
        with Client(cluster.scheduler_address, set_as_default=False) as client:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                busy = [w for w, keys in client.processing().items() if keys]
                if busy:
                    time.sleep(1.0)  # mid-file
                    pids = client.run(os.getpid, workers=busy[:1])
                    for addr, pid in pids.items():
                        os.kill(pid, signal.SIGKILL)
                        killed.append(addr)
                    return
                time.sleep(0.05)

    thread = threading.Thread(target=killer)
    thread.start()
    code = batch.run([folder], out, load_config(), progress=False)
    thread.join()
    assert killed, "no worker was killed"
    docs = pq.read_table(out / "documents").to_pandas()
    expected = {make_doc_id(p, file_sha256(p)) for p in sorted(folder.iterdir())}
    assert sorted(docs.doc_id) == sorted(expected)  # every file once: never lost, never duplicated
    failed = docs[docs.status == "failed"]
    assert code == (1 if len(failed) else 0)
    assert all(e.startswith("Dask worker lost") for e in failed.error)
    now, before = tables(out), tables(ref)
    ok = set(docs[docs.status != "failed"].doc_id)
    for table in TABLES:  # the files that were retried give the local rows
        expect = before[table][before[table].doc_id.isin(ok)].reset_index(drop=True)
        got = now[table][now[table].doc_id.isin(ok)].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expect, obj=table)


def test_an_unreachable_scheduler_is_a_one_line_error(local, tmp_path, monkeypatch, capsys):
    from pipeline.run import cluster as C

    monkeypatch.setattr(C, "CONNECT_TIMEOUT", "1s")
    folder, _ = local
    code = batch.run([folder], tmp_path / "out", load_config(), progress=False, scheduler="tcp://127.0.0.1:9")
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
