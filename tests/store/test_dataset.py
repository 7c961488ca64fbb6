"""The tables as incremental Parquet datasets (pipeline/store/dataset.py):
parts of whole documents, only changed documents written, removed ones
dropped, compaction, and a write killed at any step never leaving a
document twice."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from pipeline.store import dataset as D
from pipeline.store import write as W
from pipeline.store.workdir import doc_dir, write_model

from test_write import make_doc  # the synthetic documents of the writer's tests


def put(out: Path, doc_id: str, n_stats: int = 2, status: str = "ok") -> None:
    """A document's work folder, as a run leaves it."""
    doc = make_doc(doc_id, n_stats=n_stats, status=status)
    work = doc_dir(out, doc_id)
    write_model(work / "status.json", "status", doc.document)
    write_model(work / "segments.json", "segment", doc.segmented)
    write_model(work / "extracted.json", "extract", doc.extracted)


def files(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in sorted(out.glob("*/*.parquet"))}


def doc_parts(out: Path) -> dict[str, list[str]]:
    """doc_id -> the documents files holding it."""
    found: dict[str, list[str]] = {}
    for f in sorted((out / "documents").glob("*.parquet")):
        for d in pq.read_table(f, columns=["doc_id"]).column(0).to_pylist():
            found.setdefault(d, []).append(f.name)
    return found


def assert_consistent(out: Path, ids: list[str]) -> None:
    parts = {p.name for p in (out / "documents").glob("*.parquet")}
    for table in W.TABLES:
        assert {p.name for p in (out / table).glob("*.parquet")} == parts, table
        assert not [p for p in (out / table).iterdir() if not p.name.endswith(".parquet")], table
    placed = doc_parts(out)
    assert sorted(placed) == sorted(ids)
    assert all(len(v) == 1 for v in placed.values()), placed  # every document in exactly one part
    stats = pd.read_parquet(out / "statistics")
    assert not stats.stat_id.duplicated().any()


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(D, "PART_DOCS", 4)


IDS = [f"d{i:02d}-{i}" for i in range(10)]


def test_parts_hold_whole_documents_and_every_reader_reads_the_folder(tmp_path, small_parts):
    for i in IDS:
        put(tmp_path, i)
    counts = W.write_outputs(tmp_path, IDS, "h")
    assert counts["documents"] == 10 and counts["statistics"] == 20
    assert_consistent(tmp_path, IDS)
    assert len(list((tmp_path / "documents").glob("*.parquet"))) == 3  # 4 + 4 + 2
    assert sorted(pd.read_parquet(tmp_path / "documents").doc_id) == IDS
    assert pads.dataset(tmp_path / "statistics", format="parquet").count_rows() == 20
    con = duckdb.connect()
    n = con.execute(f"SELECT count(DISTINCT doc_id) FROM read_parquet('{tmp_path.as_posix()}/sections/*.parquet')").fetchone()[0]
    con.close()
    assert n == 10
    # the same documents elsewhere give the same files, byte for byte
    other = tmp_path / "other"
    for i in reversed(IDS):
        put(other, i)
    W.write_outputs(other, IDS, "h")
    for rel in files(tmp_path):
        assert (other / rel).read_bytes() == (tmp_path / rel).read_bytes()


def test_unchanged_rerun_writes_nothing_changed_and_removed_documents_only_their_part(tmp_path, small_parts):
    for i in IDS:
        put(tmp_path, i)
    W.write_outputs(tmp_path, IDS, "h")
    before = files(tmp_path)
    W.write_outputs(tmp_path, IDS, "h")
    assert files(tmp_path) == before  # nothing rewritten
    put(tmp_path, "d01-1", n_stats=1)  # changed results
    kept = [i for i in IDS if i != "d07-7"]  # one input removed
    counts = W.write_outputs(tmp_path, kept, "h")
    assert counts["documents"] == 9 and counts["statistics"] == 17
    assert_consistent(tmp_path, kept)
    after = files(tmp_path)
    untouched = set(before) & set(after)
    assert untouched and all(before[p] == after[p] for p in untouched)  # the third part was left alone
    stats = pd.read_parquet(tmp_path / "statistics")
    assert (stats.doc_id == "d01-1").sum() == 1 and not (stats.doc_id == "d07-7").any()


def test_appends_during_a_run_then_compaction_keeps_few_files(tmp_path, small_parts):
    for i in IDS:
        put(tmp_path, i)
    for chunk in (IDS[:1], IDS[1:2], IDS[2:3], IDS[3:7]):  # documents finishing in small groups
        W.append_outputs(tmp_path, chunk, "h")
    assert_consistent(tmp_path, IDS[:7])
    assert len(doc_parts(tmp_path)) == 7 and len(list((tmp_path / "documents").glob("*.parquet"))) == 4
    W.write_outputs(tmp_path, IDS, "h")  # the end of the run: the small parts merged
    assert_consistent(tmp_path, IDS)
    assert len(list((tmp_path / "documents").glob("*.parquet"))) == 3
    before = files(tmp_path)
    W.write_outputs(tmp_path, IDS, "h")
    assert files(tmp_path) == before
    # an empty input set leaves schema-only files
    W.write_outputs(tmp_path, [], "h")
    assert [p.name for p in (tmp_path / "statistics").iterdir()] == ["part-empty.parquet"]
    assert list(pd.read_parquet(tmp_path / "statistics").columns) == W.SCHEMAS["statistics"].names


class Killed(BaseException):
    pass


def test_a_write_killed_before_the_ledger_commit_leaves_the_old_dataset(tmp_path, small_parts, monkeypatch):
    for i in IDS[:6]:
        put(tmp_path, i)
    W.write_outputs(tmp_path, IDS[:6], "h")
    before = {p: p.read_bytes() for p in tmp_path.glob("*/*.parquet")}
    put(tmp_path, "d00-0", n_stats=1)

    def killed(self):
        raise Killed()

    monkeypatch.setattr(D.Ledger, "commit", killed)
    with pytest.raises(Killed):
        W.write_outputs(tmp_path, IDS[:6], "h")
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in tmp_path.glob("*/*.parquet")} == before  # readers see the old rows
    assert list(tmp_path.glob("*/.part-*.parquet.new"))  # the unpublished part, invisible to readers
    monkeypatch.setattr(D, "PART_DOCS", 4)
    W.write_outputs(tmp_path, IDS[:6], "h")
    assert_consistent(tmp_path, IDS[:6])
    assert not list(tmp_path.glob("*/.*"))
    assert (pd.read_parquet(tmp_path / "statistics").doc_id == "d00-0").sum() == 1


def test_a_write_killed_after_the_ledger_commit_is_rolled_forward_never_duplicated(tmp_path, small_parts, monkeypatch):
    for i in IDS[:6]:
        put(tmp_path, i)
    W.write_outputs(tmp_path, IDS[:6], "h")
    put(tmp_path, "d05-5", n_stats=3)
    real = D.Ledger.finish_journal
    calls = []

    def killed_midway(self):  # the first replaced file deleted, then the run dies
        calls.append(1)
        for name in self.delete:
            D.part_file(self.out, "documents", name).unlink(missing_ok=True)
        raise Killed()

    monkeypatch.setattr(D.Ledger, "finish_journal", killed_midway)
    with pytest.raises(Killed):
        W.write_outputs(tmp_path, IDS[:6], "h")
    monkeypatch.setattr(D.Ledger, "finish_journal", real)
    seen = pd.read_parquet(tmp_path / "documents").doc_id
    assert not seen.duplicated().any()  # some rows may be missing until the next write, none twice
    W.write_outputs(tmp_path, IDS[:6], "h")  # rolls the journal forward
    assert_consistent(tmp_path, IDS[:6])
    assert (pd.read_parquet(tmp_path / "statistics").doc_id == "d05-5").sum() == 3


def test_a_missing_or_foreign_file_is_repaired(tmp_path, small_parts):
    for i in IDS[:5]:
        put(tmp_path, i)
    W.write_outputs(tmp_path, IDS[:5], "h")
    victim = next((tmp_path / "citations").glob("*.parquet"))
    victim.unlink()
    (tmp_path / "statistics" / "part-0.parquet").write_bytes(b"not ours")
    W.write_outputs(tmp_path, IDS[:5], "h")
    assert_consistent(tmp_path, IDS[:5])
    # another config: everything rewritten with the new hash in the metadata
    W.write_outputs(tmp_path, IDS[:5], "other")
    for f in tmp_path.glob("*/*.parquet"):
        assert pq.read_metadata(f).metadata[b"mgi.config_hash"] == b"other"
