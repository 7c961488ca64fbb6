"""Faults mid-run: SIGKILL of a worker or of the whole run at random moments,
and corrupted intermediates in the work folder. A re-run always converges to
the tables of a clean run: same rows, no duplicates, no half files.

The inputs are small generated PDFs (a run takes seconds); the configs are a
snapshot so the config hash cannot change under the test while the wording
files in the work tree are edited.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.run import batch
from pipeline.config import CONFIG_DIR, Config, _read_yaml
from pipeline.datamodel import DocumentRecord, Extracted, Layout
from pipeline.store.workdir import STAGE_FILES, read_model, write_model
from pipeline.ids import file_sha256, make_doc_id
from pipeline.store.write import PRIMARY_KEYS, TABLES

SEEDS = (1, 2, 3)
N_DOCS = 8

CLI_WITH_CONFIG_DIR = """
import sys
from pathlib import Path
from pipeline import cli
from pipeline import config
snap = Path(sys.argv[1])
config.load_config = lambda override=None: config.Config(settings=config._read_yaml(snap / "default.yaml"), config_dir=snap)
sys.argv = ["mgi", *sys.argv[2:]]
cli.app()
"""

PARAGRAPHS = [
    "Migration governance refers to the system of institutions, legal frameworks, mechanisms and practices "
    "aimed at regulating migration and protecting migrants.",
    "In {year}, about {pct} per cent of the {n},200 migrants surveyed by the municipality had a regular "
    "migration status (IOM, 2019).",
    "Law No. 21.325 of 2021 regulates the entry, stay and exit of foreign nationals, and Decree No. {n}96 "
    "sets out the procedures for visas.",
    "More than {n}0 organizations of civil society take part in the local council on migration "
    "(UNHCR, 2020a; OECD, 2018).",
]


HEADINGS = [  # an MGI-like skeleton: dimensions with their two parts
    ("ADHERENCE TO INTERNATIONAL STANDARDS AND FULFILMENT OF MIGRANTS' RIGHTS", 15),
    ("Migration governance: Examples of well-developed areas", 12),
    ("Areas with potential for further development", 12),
    ("FORMULATES POLICY USING EVIDENCE AND WHOLE-OF-GOVERNMENT APPROACH", 15),
    ("Migration governance: Examples of well-developed areas", 12),
]


def _doc_pdf(path: Path, k: int) -> Path:
    """Document k: 3-5 pages, a heading and four paragraphs each (statistics,
    citations and legal references in every paragraph set)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for page, (heading, size) in enumerate(HEADINGS[: 3 + k % 3]):
        c.setFont("Helvetica-Bold", size)
        c.drawString(72, 780, heading)
        c.setFont("Helvetica", 10)
        y = 750
        for para in PARAGRAPHS:
            text = para.format(year=2015 + k, pct=10 + k + page, n=k + 1)
            line = ""
            for w in text.split():
                if len(line) + len(w) > 85:
                    c.drawString(72, y, line)
                    y, line = y - 13, ""
                line = f"{line} {w}".strip()
            c.drawString(72, y, line)
            y -= 24
        c.drawString(290, 40, str(page + 1))
        c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture(scope="module")
def snap(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("configs") / "configs"
    shutil.copytree(CONFIG_DIR, dest)
    return dest


@pytest.fixture(scope="module")
def config(snap) -> Config:
    return Config(settings=_read_yaml(snap / "default.yaml"), config_dir=snap)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    for k in range(N_DOCS):
        _doc_pdf(folder / f"doc {k}.pdf", k)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n% cut short")  # a failed row among them
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory, inputs, config) -> Path:
    out = tmp_path_factory.mktemp("clean")
    assert batch.run([inputs], out, config, workers=2, progress=False) == 1  # broken.pdf fails
    ref = tables(out)
    for table in ("sections", "paragraphs", "statistics", "citations", "legal_references"):
        assert len(ref[table]) >= 2 * N_DOCS, table  # rows worth comparing
    assert (ref["documents"].status == "ok").sum() == N_DOCS
    return out


def tables(out: Path) -> dict[str, pd.DataFrame]:
    result = {}
    for table in TABLES:
        df = pd.read_parquet(out / table)
        keys = ["doc_id", *PRIMARY_KEYS[table]]
        assert not df.duplicated(subset=list(dict.fromkeys(keys))).any(), f"duplicated rows in {table}"
        result[table] = df.sort_values(list(dict.fromkeys(keys))).reset_index(drop=True)
    return result


def assert_same_tables(out: Path, clean: Path) -> None:
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == [], leftovers
    parts = {f.name for f in (out / "documents").iterdir()}
    for table in TABLES:
        files = sorted((out / table).iterdir())
        assert {f.name for f in files} == parts, files  # the same parts in every table, nothing else
        for f in files:
            assert f.name.startswith("part-") and f.suffix == ".parquet", f
            data = f.read_bytes()
            assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    now, ref = tables(out), tables(clean)
    for table in TABLES:
        pd.testing.assert_frame_equal(now[table], ref[table], obj=table)


def assert_complete_parquet(out: Path) -> None:
    """Whatever a reader can see at any moment is a whole Parquet file."""
    for f in out.glob("*/*.parquet"):
        pq.read_metadata(f)  # raises on a half file


def _workers(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = []
    for child in map(int, children):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline:
            found.append(child)
    return found


def _start_run(snap: Path, inputs: Path, out: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MGI_TEST_")}
    return subprocess.Popen(
        [sys.executable, "-c", CLI_WITH_CONFIG_DIR, str(snap), "run", str(inputs), "--out", str(out), "-w", "2",
         "--no-progress"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )


def _wait_for(path_glob, out: Path, proc: subprocess.Popen, limit: float = 120) -> bool:
    deadline = time.monotonic() + limit
    while not list(out.glob(path_glob)):
        if proc.poll() is not None:
            return False
        assert time.monotonic() < deadline, f"{path_glob} never appeared"
        time.sleep(0.02)
    return True


@pytest.mark.parametrize("seed", SEEDS)
def test_sigkill_at_random_moments_then_rerun_converges(seed, snap, inputs, config, clean, tmp_path):
    rng = random.Random(seed)
    out = tmp_path / "out"
    events: list[str] = []
    interrupted = attempts = 0
    while interrupted < 2 and attempts < 12:  # two interrupted runs, then a clean finish
        # the kill window shrinks when a run outpaces it (a quiet machine runs
        # these small inputs in about a second); a run that finished before any
        # kill is discarded and started again from an empty folder
        scale = 1.0 / (1 + attempts)
        attempts += 1
        killed = False
        proc = _start_run(snap, inputs, out)
        try:
            if _wait_for("work/manifest.json", out, proc):
                # kill a worker mid-document, then (maybe) the whole run later
                time.sleep(rng.uniform(0.0, 0.8 * scale))
                workers = _workers(proc.pid)
                if workers and proc.poll() is None:
                    victim = rng.choice(workers)
                    os.kill(victim, signal.SIGKILL)
                    events.append(f"worker {attempts}")
                    killed = True
                time.sleep(rng.uniform(0.0, 1.5 * scale))
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    events.append(f"run {attempts}")
                    killed = True
        finally:  # alive here only when the test itself failed: never leave it running
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(60)
        assert_complete_parquet(out)
        if killed:
            interrupted += 1
        else:
            shutil.rmtree(out, ignore_errors=True)
    assert events, "nothing was killed: the runs were too fast for the random moments"
    print(f"seed {seed}: killed {', '.join(events)}")
    done = set()
    for pdf in inputs.glob("*.pdf"):
        sha = file_sha256(pdf)
        if batch.done_record(out / "work" / make_doc_id(pdf, sha), sha, config.hash, "extract") is not None:
            done.add(pdf.name)
    log = tmp_path / "parses.log"
    log.write_text("")
    os.environ[batch.HOOK_PARSE_LOG] = str(log)
    try:
        code = batch.run([inputs], out, config, workers=2, progress=False)
    finally:
        del os.environ[batch.HOOK_PARSE_LOG]
    assert code == 1  # broken.pdf only
    assert not set(log.read_text().split("\n")) & done  # finished documents are not redone
    assert_same_tables(out, clean)
    # a third run has nothing left to redo but the failed file
    assert batch.run([inputs], out, config, workers=2, progress=False) == 1
    assert_same_tables(out, clean)


# --------------------------------------------------------------------------
# corrupted intermediates
# --------------------------------------------------------------------------


def _doc_ids(inputs: Path) -> list[str]:
    return [make_doc_id(p, file_sha256(p)) for p in sorted(inputs.glob("doc *.pdf"))]


def _flip_byte(path: Path, where: float) -> None:
    data = bytearray(path.read_bytes())
    i = int(len(data) * where)
    data[i] = data[i] ^ 0x01 if data[i] not in b'"\\' else ord("x")
    path.write_bytes(bytes(data))


def test_corrupted_intermediates_are_detected_and_redone(inputs, config, clean, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(clean, out)
    ids = _doc_ids(inputs)
    work = out / "work"
    extracted = {i: work / i / STAGE_FILES["extract"] for i in ids}
    segments = {i: work / i / STAGE_FILES["segment"] for i in ids}
    before = {p: p.read_bytes() for p in [*extracted.values(), *segments.values()]}
    # 0: truncated JSON
    extracted[ids[0]].write_bytes(before[extracted[ids[0]]][: len(before[extracted[ids[0]]]) // 2])
    # 1: one byte flipped in the payload (checksum)
    _flip_byte(segments[ids[1]], 0.6)
    # 2: valid JSON, valid envelope and checksum, wrong schema (a status row)
    write_model(extracted[ids[2]], "extract", read_model(work / ids[2] / batch.STATUS_FILE, DocumentRecord))
    # 3: valid JSON without the envelope
    extracted[ids[3]].write_text(json.dumps({"stage": "extract", "payload": {"statistics": []}}))
    # 4: a valid intermediate of another document
    shutil.copy(segments[ids[5]], segments[ids[4]])
    # 5: a status row flipped, 6: the layout truncated (not needed: extracted is valid)
    _flip_byte(work / ids[5] / batch.STATUS_FILE, 0.5)
    layout6 = work / ids[6] / STAGE_FILES["parse"]
    layout6.write_bytes(layout6.read_bytes()[:100])
    for table in TABLES[:3]:  # and some tables are gone
        shutil.rmtree(out / table)
    # every corruption is detected by the reader (checksum or schema)
    from pipeline.errors import IntermediateError

    for path, model in ((extracted[ids[0]], Extracted), (segments[ids[1]], None), (extracted[ids[2]], Extracted),
                        (extracted[ids[3]], Extracted), (layout6, Layout)):
        with pytest.raises(IntermediateError):
            read_model(path, model or Extracted)
    assert batch.done_record(work / ids[4], file_sha256(inputs / "doc 4.pdf"), config.hash, "extract") is None

    assert batch.run([inputs], out, config, workers=2, progress=False) == 1
    assert_same_tables(out, clean)
    for i in ids[:5]:  # redone, byte for byte what the clean run wrote
        assert extracted[i].read_bytes() == before[extracted[i]], i
        assert segments[i].read_bytes() == before[segments[i]], i
    assert read_model(work / ids[5] / batch.STATUS_FILE, DocumentRecord).doc_id == ids[5]


def test_write_stage_never_trusts_a_corrupted_intermediate(inputs, config, clean, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(clean, out)
    victim = _doc_ids(inputs)[0]
    _flip_byte(out / "work" / victim / STAGE_FILES["extract"], 0.7)
    assert batch.run_stage(out, "write", config) == 1
    docs = pd.read_parquet(out / "documents").set_index("doc_id")
    assert docs.loc[victim, "status"] == "failed"
    assert "checksum mismatch" in docs.loc[victim, "error"]
    for table in TABLES[1:]:  # none of its rows survive from the damaged file
        assert victim not in set(pd.read_parquet(out / table).doc_id)
    capsys.readouterr()
    # and the next run redoes it: back to the clean tables
    assert batch.run([inputs], out, config, workers=2, progress=False) == 1
    assert_same_tables(out, clean)


def test_write_stage_never_mixes_in_another_documents_intermediates(inputs, config, clean, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(clean, out)
    a, b, c = _doc_ids(inputs)[:3]
    for name in (STAGE_FILES["extract"], STAGE_FILES["segment"]):  # valid files, wrong folder
        shutil.copy(out / "work" / b / name, out / "work" / a / name)
    shutil.copy(out / "work" / b / batch.STATUS_FILE, out / "work" / c / batch.STATUS_FILE)
    assert batch.run_stage(out, "write", config) == 1
    now = tables(out)  # no duplicated keys (checked), b's rows exactly once
    docs = now["documents"].set_index("doc_id")
    assert docs.loc[a, "status"] == "failed" and "belongs to another document" in docs.loc[a, "error"]
    ref = tables(clean)
    for table in TABLES[1:]:
        assert a not in set(now[table].doc_id)
        expect = ref[table][ref[table].doc_id == b].reset_index(drop=True)
        pd.testing.assert_frame_equal(now[table][now[table].doc_id == b].reset_index(drop=True), expect, obj=table)
    capsys.readouterr()
    assert batch.run([inputs], out, config, workers=2, progress=False) == 1
    assert_same_tables(out, clean)
