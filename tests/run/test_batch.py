"""Batch runs of the real pipeline: statuses, incremental re-runs, removal,
--force, SIGKILL + resume, hung and crashing workers, atomic outputs.

One uninterrupted batch (module fixture) over the shipped samples, a real
non-MGI IOM PDF (when ../shared/real-pdfs is present) and broken files is the
reference; the other tests copy its output folder and run incremental
variants on the copy, so only a few files are ever parsed twice.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import __version__

from pipeline.run import batch
from pipeline.config import CONFIG_DIR, Config, _read_yaml
from pipeline.datamodel import DocumentRecord
from pipeline.store.workdir import read_model
from pipeline.ids import file_sha256, make_doc_id
from pipeline.store.write import PRIMARY_KEYS, TABLES

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "samples").glob("*.pdf"))
REAL_PDFS = REPO.parent / "shared" / "real-pdfs"
BRIEF = REAL_PDFS / "AAP_EN_Evaluation_Brief_final_0.pdf"  # 2 pages, not an MGI profile
BROKEN = ("empty.pdf", "random.pdf", "truncated.pdf")

pytestmark = pytest.mark.skipif(not SAMPLES, reason="no samples/*.pdf rendered yet (run `mgi samples render`)")

# `mgi run` in a subprocess with the configs pinned to a snapshot folder
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


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory) -> Path:
    """A snapshot of configs/: the config hash stays fixed for the whole module
    even while the wording files in the work tree are being edited."""
    snap = tmp_path_factory.mktemp("configs") / "configs"
    shutil.copytree(CONFIG_DIR, snap)
    return snap


def snapshot_config(config_dir: Path) -> Config:
    return Config(settings=_read_yaml(config_dir / "default.yaml"), config_dir=config_dir)


@dataclass
class Batch:
    config: Config
    inputs: Path
    out: Path
    code: int
    parsed: list[str]
    seconds: float


def parse_log(monkeypatch, tmp_path: Path) -> Path:
    log = tmp_path / "parses.log"
    log.write_text("")
    monkeypatch.setenv(batch.HOOK_PARSE_LOG, str(log))
    return log


def run(config: Config, inputs, out: Path, log: Path | None = None, **kw) -> tuple[int, list[str]]:
    if log is not None:
        log.write_text("")
    kw.setdefault("workers", 2)
    code = batch.run([Path(p) for p in inputs], out, config, progress=False, **kw)
    return code, (log.read_text().split() if log is not None else [])


def tables(out: Path) -> dict[str, pd.DataFrame]:
    result = {}
    for table in TABLES:
        df = pd.read_parquet(out / table)
        result[table] = df.sort_values(["doc_id", *PRIMARY_KEYS[table]]).reset_index(drop=True)
    return result


def parquet_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob("*/*.parquet"))}


def doc_id_of(path: Path) -> str:
    return make_doc_id(path, file_sha256(path))


def _display(path: Path) -> str:
    return batch._display_path(path)


def copy_out(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def variant(src: Path, dest: Path, tag: str) -> Path:
    """Same PDF, different bytes (a trailing comment): a new document."""
    dest.write_bytes(src.read_bytes() + f"\n% variant {tag}\n".encode())
    return dest


def tiny_pdf(path: Path) -> Path:
    """A one-page text PDF (not an MGI profile)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = 760
    for line in ("A short note on migration governance.", "It has one paragraph of plain body text",
                 "spread over a few lines so that it reads as a paragraph."):
        c.drawString(72, y, line)
        y -= 14
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory, config_dir) -> Batch:
    inputs = tmp_path_factory.mktemp("inputs")
    for pdf in SAMPLES:
        shutil.copy(pdf, inputs / pdf.name)
    (inputs / "more").mkdir()
    shutil.copy(SAMPLES[0], inputs / "more" / "Copy Of Sample.PDF")  # same bytes: deduplicated
    (inputs / "notes.txt").write_text("not a PDF input")  # ignored: folders yield *.pdf only
    (inputs / "empty.pdf").write_bytes(b"")
    (inputs / "random.pdf").write_bytes(random.Random(7).randbytes(20_000))
    data = SAMPLES[0].read_bytes()
    (inputs / "truncated.pdf").write_bytes(data[: len(data) // 2])
    if BRIEF.exists():
        shutil.copy(BRIEF, inputs / "brief.pdf")
    out = tmp_path_factory.mktemp("reference")
    log = tmp_path_factory.mktemp("log") / "parses.log"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(batch.HOOK_PARSE_LOG, str(log))
        started = time.monotonic()
        config = snapshot_config(config_dir)
        code, parsed = run(config, [inputs], out, log)
    return Batch(config, inputs, out, code, parsed, time.monotonic() - started)


def good_inputs(ref: Batch) -> list[Path]:
    return sorted(p for p in ref.inputs.glob("*.pdf") if p.name not in BROKEN)


def test_batch_statuses_exit_code_and_rows(reference):
    ref = reference
    assert ref.code == 1  # broken files failed
    docs = pd.read_parquet(ref.out / "documents").set_index("source_file")
    names = {Path(s).name: s for s in docs.index}
    expected = {p.name for p in ref.inputs.glob("*.pdf")}
    assert set(names) == expected  # the duplicate and notes.txt are not documents
    assert sorted(ref.parsed) == sorted(expected)  # each distinct file parsed exactly once
    for name in BROKEN:
        row = docs.loc[names[name]]
        assert row.status == "failed"
        assert row.error and "\n" not in row.error and "Traceback" not in row.error
    config_hash = ref.config.hash
    stats = tables(ref.out)
    for pdf in SAMPLES:
        row = docs.loc[names[pdf.name]]
        assert row.status in ("ok", "partial"), row.error
        assert row.n_pages > 0 and row.pipeline_version == __version__ and row.config_hash == config_hash
        doc_id = doc_id_of(pdf)
        assert row.doc_id == doc_id
        assert (stats["sections"].doc_id == doc_id).sum() > 3
        assert (stats["paragraphs"].doc_id == doc_id).sum() > 10
    if BRIEF.exists():
        assert docs.loc[names["brief.pdf"]].status in ("ok", "partial")  # partial (not MGI) is kept, not failed
    # failed documents contribute no rows beyond their documents row
    failed_ids = set(docs[docs.status == "failed"].doc_id)
    for table in TABLES[1:]:
        assert not set(stats[table].doc_id) & failed_ids
    # per-document status rows and the manifest
    for doc_id in docs.doc_id:
        rec = read_model(ref.out / "work" / doc_id / "status.json", DocumentRecord)
        assert rec.doc_id == doc_id
    manifest = batch.read_manifest(ref.out)
    assert sorted(e["doc_id"] for e in manifest["inputs"]) == sorted(docs.doc_id)


def test_outputs_are_atomic_and_complete(reference):
    leftovers = [p for p in reference.out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    parts = {f.name for f in (reference.out / "documents").iterdir()}
    for table in TABLES:
        files = list((reference.out / table).iterdir())
        assert {f.name for f in files} == parts  # the same parts in every table, nothing else
        for f in files:
            assert f.name.startswith("part-") and f.suffix == ".parquet"
            data = f.read_bytes()
            assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
            assert pq.read_metadata(f).metadata[b"mgi.table"] == table.encode()
    # every document in exactly one part
    ids = [pq.read_table(f, columns=["doc_id"]).column(0).to_pylist() for f in sorted((reference.out / "documents").iterdir())]
    flat = [d for part in ids for d in part]
    assert len(flat) == len(set(flat)) == len(tables(reference.out)["documents"])


def test_rerun_skips_done_files_and_drops_removed_inputs(reference, tmp_path, monkeypatch):
    out = copy_out(reference.out, tmp_path / "out")
    log = parse_log(monkeypatch, tmp_path)
    # unchanged input set: nothing done is parsed again, only failed files are retried
    code, parsed = run(reference.config, [reference.inputs], out, log)
    assert code == 1 and sorted(parsed) == sorted(BROKEN)
    assert parquet_bytes(out) == parquet_bytes(reference.out)
    # drop the broken files and the last sample, keeping removed rows: no parsing, rows kept
    good = good_inputs(reference)
    removed = SAMPLES[-1].name
    kept = [p for p in good if p.name != removed]
    code, parsed = run(reference.config, kept, out, log, keep_removed=True)
    assert code == 0 and parsed == []
    assert parquet_bytes(out) == parquet_bytes(reference.out)
    # without --keep-removed their rows disappear from every table
    code, parsed = run(reference.config, kept, out, log)
    assert code == 0 and parsed == []
    gone = {doc_id_of(reference.inputs / removed)} | {doc_id_of(reference.inputs / n) for n in BROKEN}
    now = tables(out)
    assert set(now["documents"].doc_id) == {doc_id_of(p) for p in kept}
    for table in TABLES:
        assert not set(now[table].doc_id) & gone, table
    before = tables(reference.out)
    for table in TABLES:  # the remaining documents' rows are unchanged
        expect = before[table][~before[table].doc_id.isin(gone)].reset_index(drop=True)
        pd.testing.assert_frame_equal(now[table], expect, check_dtype=False)  # NaN-free ints read back as ints


def test_force_reparses(reference, tmp_path, monkeypatch):
    out = copy_out(reference.out, tmp_path / "out")
    log = parse_log(monkeypatch, tmp_path)
    small = min(SAMPLES, key=lambda p: p.stat().st_size)
    target = reference.inputs / small.name
    code, parsed = run(reference.config, [target], out, log)
    assert code == 0 and parsed == []
    code, parsed = run(reference.config, [target], out, log, force=True)
    assert code == 0 and parsed == [small.name]
    doc_id = doc_id_of(target)
    before, after = tables(reference.out), tables(out)
    for table in TABLES:  # same input => the same rows again
        expect = before[table][before[table].doc_id == doc_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(after[table], expect, check_dtype=False)


def test_sigkill_midway_then_resume_equals_uninterrupted(reference, tmp_path, monkeypatch):
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MGI_TEST_")}
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI_WITH_CONFIG_DIR, str(reference.config.config_dir),
         "run", str(reference.inputs), "--out", str(out), "-w", "1", "--no-progress"],
        cwd=os.getcwd(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + 180
    try:
        while not list(out.glob("work/*/extracted.json")):
            assert proc.poll() is None, f"run ended before it could be killed: {proc.stderr.read()!r}"
            assert time.monotonic() < deadline, "no document finished in time"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker, mid-batch
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    finished = sorted(p.parent.name for p in out.glob("work/*/extracted.json"))
    assert 0 < len(finished) < len(good_inputs(reference))  # killed partway
    log = parse_log(monkeypatch, tmp_path)
    code, parsed = run(reference.config, [reference.inputs], out, log)
    assert code == reference.code
    parsed_ids = {doc_id_of(reference.inputs / n) for n in parsed}
    assert not parsed_ids & set(finished)  # finished documents are not redone
    assert [p for p in out.rglob("*") if p.name.endswith(".tmp")] == []
    ref_tables, now = tables(reference.out), tables(out)
    for table in TABLES:
        pd.testing.assert_frame_equal(now[table], ref_tables[table])
    assert parquet_bytes(out) == parquet_bytes(reference.out)


def test_hung_and_crashing_workers_fail_only_their_file(reference, tmp_path, monkeypatch):
    out = copy_out(reference.out, tmp_path / "out")
    extra = tmp_path / "extra"
    extra.mkdir()
    small = min(SAMPLES, key=lambda p: p.stat().st_size)
    for name in ("crash.pdf", "hang.pdf"):
        variant(small, extra / name, name)
    tiny_pdf(extra / "ok.pdf")  # parses in well under the timeout
    monkeypatch.setenv(batch.HOOK_HANG, "hang.pdf")
    monkeypatch.setenv(batch.HOOK_CRASH, "crash.pdf")
    started = time.monotonic()
    code, _ = run(reference.config, [extra, *good_inputs(reference)], out, None, timeout=12)
    assert time.monotonic() - started < 120
    assert code == 1
    docs = pd.read_parquet(out / "documents").set_index("source_file")
    status = {Path(s).name: (r.status, r.error) for s, r in docs.iterrows()}
    assert status["hang.pdf"] == ("failed", "timed out after 12 s")
    assert status["crash.pdf"] == ("failed", "worker crashed (signal 9)")
    assert status["ok.pdf"][0] in ("ok", "partial")
    for pdf in SAMPLES:
        assert status[pdf.name][0] in ("ok", "partial")
    ok_id = doc_id_of(extra / "ok.pdf")
    assert (pd.read_parquet(out / "paragraphs").doc_id == ok_id).sum() >= 1


def test_stage_commands_rebuild_the_same_tables(reference, tmp_path):
    out = copy_out(reference.out, tmp_path / "out")
    small = min(SAMPLES, key=lambda p: p.stat().st_size)
    doc_id = doc_id_of(reference.inputs / small.name)
    extracted = out / "work" / doc_id / "extracted.json"
    extracted.write_text(extracted.read_text()[:-200])  # corrupted: must be redone, never trusted
    for table in TABLES:
        for part in (out / table).glob("*.parquet"):
            part.unlink()
    assert batch.run_stage(out, "extract", reference.config, doc_ids=[doc_id]) == 0
    assert batch.run_stage(out, "write", reference.config) == 1  # the broken inputs are failed rows
    assert parquet_bytes(out) == parquet_bytes(reference.out)
    assert batch.run_stage(out, "extract", reference.config, doc_ids=["no-such-doc"]) == 2


def test_bad_output_folder_and_inputs_are_one_line_errors(reference, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run(reference.config, [reference.inputs / SAMPLES[0].name], blocker / "out") == (2, [])
    err = capsys.readouterr().err
    assert "not writable" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert run(reference.config, [tmp_path / "missing.pdf"], tmp_path / "o") == (2, [])
    assert "no such file or folder" in capsys.readouterr().err
    (tmp_path / "emptydir").mkdir()
    assert run(reference.config, [tmp_path / "emptydir"], tmp_path / "o") == (2, [])
    assert "no PDF files found" in capsys.readouterr().err


def test_database_from_the_batch_answers_view_queries(reference, tmp_path):
    import duckdb

    from pipeline.store import db

    out = copy_out(reference.out, tmp_path / "out")
    assert db.build_command(out) == 0
    con = duckdb.connect(str(out / db.DB_NAME), read_only=True)
    try:
        n_stats = len(pd.read_parquet(out / "statistics"))
        assert con.execute("SELECT count(*) FROM v_statistics").fetchone()[0] == n_stats
        # every sample is a profile: findings under well-developed / further-development areas, by dimension
        kinds = dict(con.execute("SELECT finding_kind, count(*) FROM v_findings GROUP BY 1").fetchall())
        assert kinds.get("well_developed", 0) > 0 and kinds.get("further_development", 0) > 0
        assert con.execute("SELECT count(*) FROM v_findings WHERE dimension IS NULL").fetchone()[0] == 0
        docs = con.execute("SELECT count(DISTINCT doc_id) FROM v_findings").fetchone()[0]
        assert docs == len(SAMPLES)
        n_cit = len(pd.read_parquet(out / "citations"))
        assert con.execute("SELECT count(*) FROM v_citations").fetchone()[0] == n_cit
        assert con.execute("SELECT count(*) FROM documents WHERE status = 'failed'").fetchone()[0] == len(BROKEN)
    finally:
        con.close()


def one_file_per_worker(config_dir):
    """The snapshot config with ``batch.max_tasks_per_worker: 1`` (a fresh worker process per file)."""
    base = snapshot_config(config_dir)
    return Config(settings={**base.settings, "batch": {**base.section("batch"), "max_tasks_per_worker": 1}},
                  config_dir=base.config_dir)


def boom_segment(layout, config):
    """A segment stage with a bug on note.pdf (injected through ``stage_functions``)."""
    if Path(layout.source_file).name == "note.pdf":
        raise RuntimeError("boom\non two lines")
    from pipeline.segment.stage import segment

    return segment(layout, config)


def test_unexpected_stage_error_is_one_line_and_traceback_is_logged(config_dir, tmp_path, capsys):
    pdf = tiny_pdf(tmp_path / "note.pdf")
    variant(pdf, tmp_path / "other.pdf", "2")
    config = one_file_per_worker(config_dir)  # the batch goes on with a fresh worker
    out = tmp_path / "out"
    code, _ = run(config, [tmp_path], out, workers=1, stage_functions={"segment": f"{__name__}:boom_segment"})
    assert code == 1
    docs = pd.read_parquet(out / "documents").set_index("source_file")
    assert docs.loc[_display(tmp_path / "other.pdf")].status == "partial"  # not an MGI profile, not failed
    row = docs.loc[_display(pdf)]
    assert (row.status, row.error, row.n_pages) == ("failed", "RuntimeError: boom on two lines", 1)
    work = out / "work" / row.doc_id
    log = (work / "error.log").read_text()
    assert not (out / "work" / docs.loc[_display(tmp_path / "other.pdf")].doc_id / "error.log").exists()
    assert "Traceback" in log and "boom_segment" in log
    assert (work / "layout.json").exists() and not (work / "segments.json").exists()
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "failed" in captured.out and "RuntimeError: boom on two lines" in captured.out


def spanish_extract(segmented, config):
    """An extract stage that reads every document as Spanish and logs whether
    its worker started with the Spanish pipeline already built."""
    from pipeline.extract import nlp
    from pipeline.extract.stage import extract

    built = ("es", str(config.config_dir), config.hash) in nlp._CACHE
    with open(os.environ["MGI_TEST_WARM_LOG"], "a") as log:
        log.write(f"{Path(segmented.document.source_file).name} {built}\n")
    document = segmented.document.model_copy(update={"language": "es"})
    return extract(segmented.model_copy(update={"document": document}), config)


def test_replacement_worker_inherits_the_pipelines_of_languages_met(config_dir, tmp_path, monkeypatch):
    pdf = tiny_pdf(tmp_path / "a.pdf")
    variant(pdf, tmp_path / "b.pdf", "2")
    config = one_file_per_worker(config_dir)
    log = tmp_path / "warm.log"
    monkeypatch.setenv("MGI_TEST_WARM_LOG", str(log))
    code, _ = run(config, [tmp_path / "a.pdf", tmp_path / "b.pdf"], tmp_path / "out", workers=1,
                  stage_functions={"extract": f"{__name__}:spanish_extract"})
    assert code == 0
    # the first worker builds the pipeline; its replacement is forked after the parent built it
    assert [line.split()[1] for line in log.read_text().splitlines()] == ["False", "True"]


def test_collect_inputs_recursive_case_insensitive_sorted(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    for name in ("b.pdf", "A.PDF", "sub/c.Pdf", "sub/deeper/d.pdf", "notes.txt", "sub/e.pdf.bak"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    (tmp_path / "folder.pdf").mkdir()  # a folder named like a PDF is searched, not read
    found = batch.collect_inputs([tmp_path, tmp_path / "b.pdf", tmp_path / "notes.txt"])
    rel = [p.relative_to(tmp_path).as_posix() for p in found]
    assert rel == sorted(rel) == ["A.PDF", "b.pdf", "notes.txt", "sub/c.Pdf", "sub/deeper/d.pdf"]
    with pytest.raises(batch.InputError, match="no such file or folder"):
        batch.collect_inputs([tmp_path / "nope"])
