"""Scale benchmark (issue 16): memory of every process, unchanged re-run, rows vs the old writer.

    python benchmarks/scale.py --docs 1000               # ~10-20 min on 2 shared cores
    python benchmarks/scale.py --docs 192 --workers 2
    python benchmarks/scale.py --docs 1000 --old /tmp/main-tree   # also the old writer (a `git archive` of main)

Steps, each ``mgi`` command in a fresh process whose process tree is sampled
(every 0.1 s: RSS of the parent and of each worker; the kernel's peak,
``ru_maxrss`` of the reaped children, is reported too):

1. a synthetic batch of ``--docs`` distinct PDFs: copies of small real PDFs
   (``samples/*.pdf`` and the 2-page real brief in ../shared/real-pdfs, those of
   at most ``--max-pages`` pages, default 12, so a run takes minutes), each
   made distinct by a trailing PDF comment (so each has its own sha256/doc_id);
2. ``mgi run IN --out OUT`` (time, peak RSS of the parent and of the workers,
   number of files per table);
3. the same command again, nothing changed (time, peak RSS, and that no
   Parquet file was written);
4. with ``--old DIR``: ``mgi write`` of the code in DIR (the writer before
   issue 16) on a copy of OUT's work folder (hard links), its time and peak
   RSS, and the tables compared with OUT's (equal after sorting by the keys);
5. ``mgi db build OUT`` (time, peak RSS).

Prints a JSON summary and writes it to ``--json`` (default
``/tmp/dataset-scale-<docs>.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT.parent / "shared" / "real-pdfs" / "AAP_EN_Evaluation_Brief_final_0.pdf"


def sources(max_pages: int) -> dict[Path, int]:
    """The small real PDFs to copy (at most ``max_pages`` pages) and their pages."""
    import pypdfium2 as pdfium

    found = sorted((ROOT / "samples").glob("*.pdf")) + ([BRIEF] if BRIEF.exists() else [])
    pages = {p: len(pdfium.PdfDocument(str(p))) for p in found}
    chosen = {p: n for p, n in pages.items() if n <= max_pages}
    if not chosen:
        sys.exit(f"no samples/*.pdf of at most {max_pages} pages (run `mgi samples render`)")
    return chosen


def make_batch(folder: Path, n: int, max_pages: int) -> int:
    """``n`` distinct PDFs in ``folder``; returns their total pages."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = sources(max_pages)
    src = sorted(pages)
    total = 0
    for i in range(n):
        pdf = src[i % len(src)]
        target = folder / f"{i:05d}-{pdf.stem}.pdf"
        if not target.exists():
            target.write_bytes(pdf.read_bytes() + f"\n%mgi-scale copy {i}\n".encode())
        total += pages[pdf]
    return total


def say(name: str, value) -> None:
    """One step's result, printed as soon as it is known (a long run keeps what it measured)."""
    print(json.dumps({name: value}), flush=True)


def measure(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd``; wall time, exit code, peak RSS (MB) of the parent and of
    its descendants (sampled), and the kernel's peak over reaped children."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    peak_parent = peak_worker = 0
    workers: set[int] = set()
    while proc.poll() is None:
        try:
            peak_parent = max(peak_parent, parent.memory_info().rss)
            for child in parent.children(recursive=True):
                try:
                    peak_worker = max(peak_worker, child.memory_info().rss)
                    workers.add(child.pid)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.1)
    err = proc.stderr.read()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    mb = 1024 * 1024
    return {
        "cmd": " ".join(cmd[2:]),
        "code": proc.returncode,
        "seconds": round(seconds, 2),
        "peak_parent_mb": round(peak_parent / mb, 1),
        "peak_worker_mb": round(peak_worker / mb, 1),
        "worker_processes": len(workers),
        "kernel_peak_any_mb": round(after / 1024, 1) if after > before else None,
        "stderr_tail": err.strip().splitlines()[-3:],
    }


def parquet_state(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in sorted(out.glob("*/*.parquet"))}


def compare_tables(a: Path, b: Path) -> dict[str, str]:
    """Per table: "equal" or what differs (rows sorted by their keys)."""
    import pandas as pd

    from pipeline.store.tables import PRIMARY_KEYS, TABLES

    result = {}
    for table in TABLES:
        keys = list(dict.fromkeys(["doc_id", *PRIMARY_KEYS[table]]))
        x = pd.read_parquet(a / table).sort_values(keys).reset_index(drop=True)
        y = pd.read_parquet(b / table).sort_values(keys).reset_index(drop=True)
        try:
            pd.testing.assert_frame_equal(x, y, check_dtype=False)
            result[table] = f"equal ({len(x)} rows)"
        except AssertionError as exc:
            result[table] = "DIFFERENT: " + " ".join(str(exc).split())[:200]
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--max-pages", type=int, default=12, help="copy only source PDFs of at most this many pages")
    ap.add_argument("--dir", type=Path, default=None, help="scratch folder (default /tmp/dataset-scale-<docs>)")
    ap.add_argument("--old", type=Path, default=None, help="a tree of the code before (pipeline/ + configs/): compare its writer")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    scratch = args.dir or Path(f"/tmp/dataset-scale-{args.docs}")
    inputs, out = scratch / "in", scratch / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    mgi = [sys.executable, "-m", "pipeline.cli"]
    results: dict = {"docs": args.docs, "workers": args.workers, "cores": os.cpu_count()}
    results["sources"] = {p.name: n for p, n in sources(args.max_pages).items()}
    results["pages"] = make_batch(inputs, args.docs, args.max_pages)
    results["load_before"] = os.getloadavg()
    shutil.rmtree(out, ignore_errors=True)
    run = [*mgi, "run", str(inputs), "--out", str(out), "-w", str(args.workers), "--no-progress"]
    results["first_run"] = first = measure(run, env)
    first["pages_per_s"] = round(results["pages"] / first["seconds"], 1)
    say("first_run", results["first_run"])
    results["files_per_table"] = len(list((out / "documents").glob("*.parquet")))
    say("files_per_table", results["files_per_table"])
    state = parquet_state(out)
    results["rerun"] = measure(run, env)
    results["rerun"]["parquet_files_rewritten"] = sum(1 for p, t in parquet_state(out).items() if state.get(p) != t)
    say("rerun", results["rerun"])
    results["db_build"] = measure([*mgi, "db", "build", str(out)], env)
    say("db_build", results["db_build"])
    if args.old:
        old_out = scratch / "out-old"
        shutil.rmtree(old_out, ignore_errors=True)
        old_out.mkdir()
        subprocess.run(["cp", "-al", str(out / "work"), str(old_out / "work")], check=True)
        (old_out / "work" / "tables.json").unlink(missing_ok=True)
        results["old_writer"] = measure([*mgi, "write", str(old_out)], dict(os.environ, PYTHONPATH=str(args.old)))
        say("old_writer", results["old_writer"])
        results["same_rows_as_old_writer"] = compare_tables(out, old_out)
        say("same_rows_as_old_writer", results["same_rows_as_old_writer"])
    results["load_after"] = os.getloadavg()
    text = json.dumps(results, indent=1)
    print(text)
    (args.json or Path(f"/tmp/dataset-scale-{args.docs}.json")).write_text(text + "\n")


if __name__ == "__main__":
    main()
