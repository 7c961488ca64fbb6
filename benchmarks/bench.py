"""Benchmark: the pipeline against raw pdfplumber, measured in the same run.

    python benchmarks/bench.py                 # samples + ../shared/real-pdfs, 3 repetitions
    python benchmarks/bench.py --reps 5 --batch-files 12

For every PDF, in fresh processes (cold: nothing imported or cached):
  * baseline: pdfplumber open, ``extract_words()`` on every page, ``page.close()``;
  * pipeline: parse -> segment -> extract -> write for that one file, one worker,
    timing each stage;
each repeated ``--reps`` times, the median reported, with the peak RSS of each
process. Then ``mgi run`` with 1 and 2 workers over a batch of at least 10
PDFs (distinct copies of the inputs) for the parallel speedup, and the start-up
time of ``mgi --help``.

Results go to ``benchmarks/results.json`` and ``benchmarks/RESULTS.md`` with
the machine described. Targets (issue 7): pipeline <= 1.3x baseline wall time,
peak RSS <= 300 MB per worker, 2 workers >= 1.7x faster than 1, ``mgi --help``
< 1 s. Ratios, not absolute times, are the targets: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_PDFS = ROOT.parent / "shared" / "real-pdfs"

BASELINE = r"""
import resource, sys, time, json
t0 = time.perf_counter()
import pdfplumber
n = 0
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words()
        page.close()
        n += 1
t = time.perf_counter() - t0
print(json.dumps({"seconds": t, "pages": n, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PIPELINE = r"""
import resource, sys, time, json
from pathlib import Path
t0 = time.perf_counter()
from pipeline.config import load_config
from pipeline import parse, segment, extract, write
cfg = load_config()
times = {}
t = time.perf_counter(); layout = parse.parse_pdf(Path(sys.argv[1]), cfg); times["parse"] = time.perf_counter() - t
t = time.perf_counter(); seg = segment.segment(layout, cfg); times["segment"] = time.perf_counter() - t
t = time.perf_counter(); ext = extract.extract(seg, cfg); times["extract"] = time.perf_counter() - t
t = time.perf_counter()
doc = write.DocRows(ext.document, seg, ext, tuple(dict.fromkeys((*seg.warnings, *ext.warnings))))
write.write_tables(Path(sys.argv[2]), [doc], cfg.hash)
times["write"] = time.perf_counter() - t
total = time.perf_counter() - t0
print(json.dumps({"seconds": total, "pages": layout.n_pages, "stages": times,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run_json(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def bench_file(pdf: Path, reps: int, tmp: Path) -> dict:
    base, pipe = [], []
    for _ in range(reps):  # interleave so drift on a shared machine hits both alike
        base.append(_run_json(BASELINE, str(pdf)))
        out = tmp / "single"
        shutil.rmtree(out, ignore_errors=True)
        pipe.append(_run_json(PIPELINE, str(pdf), str(out)))
    errors = [r["error"] for r in base + pipe if "error" in r]
    if errors:
        return {"file": pdf.name, "error": errors[0]}
    b = _median([r["seconds"] for r in base])
    p = _median([r["seconds"] for r in pipe])
    stages = {k: _median([r["stages"][k] for r in pipe]) for k in pipe[0]["stages"]}
    pages = pipe[0]["pages"]
    return {
        "file": pdf.name,
        "pages": pages,
        "baseline_s": b,
        "pipeline_s": p,
        "ratio": p / b if b else float("nan"),
        "baseline_pages_per_s": pages / b if b else None,
        "pipeline_pages_per_s": pages / p if p else None,
        "stages_s": stages,
        "baseline_rss_mb": max(r["rss_mb"] for r in base),
        "pipeline_rss_mb": max(r["rss_mb"] for r in pipe),
    }


def make_batch(pdfs: list[Path], n: int, dest: Path) -> list[Path]:
    """At least ``n`` distinct PDFs: copies with a trailing comment so hashes differ."""
    dest.mkdir(parents=True, exist_ok=True)
    made = []
    i = 0
    while len(made) < max(n, len(pdfs)):
        src = pdfs[i % len(pdfs)]
        target = dest / f"{i:02d}-{src.name}"
        target.write_bytes(src.read_bytes() + f"\n% copy {i}\n".encode())
        made.append(target)
        i += 1
    return made


def bench_batch(folder: Path, workers: int, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", str(folder), "--out", str(out), "--workers", str(workers), "--no-progress"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return {"workers": workers, "seconds": time.perf_counter() - t, "exit": proc.returncode}


def startup_seconds(reps: int = 5) -> float:
    runs = []
    for _ in range(reps):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - t)
    return _median(runs)


def machine() -> dict:
    import importlib.metadata as md

    versions = {}
    for name in ("pdfplumber", "pdfminer.six", "spacy", "pyarrow", "pandas", "duckdb"):
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            versions[name] = None
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.machine(),
        "libraries": versions,
    }


def to_markdown(res: dict) -> str:
    m = res["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {m['cores']} cores, Python {m['python']}, {m['platform']}; "
        + ", ".join(f"{k} {v}" for k, v in m["libraries"].items()),
        "",
        f"Repetitions per file: {res['reps']} (median reported); every measurement in a fresh process.",
        "",
        "| file | pages | baseline pages/s | pipeline pages/s | ratio | parse s | segment s | extract s | write s | peak RSS MB (pipeline) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res["files"]:
        if "error" in r:
            lines.append(f"| {r['file']} | error: {r['error']} | | | | | | | | |")
            continue
        s = r["stages_s"]
        lines.append(
            f"| {r['file']} | {r['pages']} | {r['baseline_pages_per_s']:.1f} | {r['pipeline_pages_per_s']:.1f} | "
            f"{r['ratio']:.2f} | {s['parse']:.2f} | {s['segment']:.2f} | {s['extract']:.2f} | {s['write']:.2f} | "
            f"{r['pipeline_rss_mb']:.0f} |"
        )
    t = res["totals"]
    lines += [
        "",
        f"All files: baseline {t['baseline_s']:.2f} s, pipeline {t['pipeline_s']:.2f} s, "
        f"ratio **{t['ratio']:.2f}** (target <= 1.3); max peak RSS **{t['max_rss_mb']:.0f} MB** (target <= 300).",
    ]
    if res.get("batch"):
        b = res["batch"]
        lines.append(
            f"Batch of {b['files']} PDFs: 1 worker {b['one']['seconds']:.1f} s, 2 workers {b['two']['seconds']:.1f} s, "
            f"speedup **{b['speedup']:.2f}x** (target >= 1.7)."
        )
    lines.append(f"`mgi --help` start-up: **{res['startup_s']:.2f} s** (target < 1 s).")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--batch-files", type=int, default=10)
    ap.add_argument("--no-batch", action="store_true", help="skip the 1-vs-2 worker batch")
    ap.add_argument("--files", nargs="*", type=Path, help="PDFs to measure (default: samples + real PDFs)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks")
    args = ap.parse_args()

    pdfs = args.files or sorted((ROOT / "samples").glob("*.pdf")) + sorted(REAL_PDFS.glob("*.pdf"))
    if not pdfs:
        print("no PDFs to benchmark", file=sys.stderr)
        return 2
    res: dict = {"machine": machine(), "reps": args.reps, "files": []}
    with tempfile.TemporaryDirectory(prefix="mgi-bench-") as tmpd:
        tmp = Path(tmpd)
        for pdf in pdfs:
            r = bench_file(pdf, args.reps, tmp)
            res["files"].append(r)
            if "error" in r:
                print(f"{pdf.name}: error {r['error']}", file=sys.stderr)
            else:
                print(
                    f"{pdf.name}: {r['pages']} p, baseline {r['baseline_pages_per_s']:.1f} p/s, pipeline "
                    f"{r['pipeline_pages_per_s']:.1f} p/s, ratio {r['ratio']:.2f}, RSS {r['pipeline_rss_mb']:.0f} MB",
                    file=sys.stderr,
                )
        ok = [r for r in res["files"] if "error" not in r]
        b = sum(r["baseline_s"] for r in ok)
        p = sum(r["pipeline_s"] for r in ok)
        res["totals"] = {
            "baseline_s": b,
            "pipeline_s": p,
            "ratio": p / b if b else float("nan"),
            "max_rss_mb": max((r["pipeline_rss_mb"] for r in ok), default=0.0),
        }
        if not args.no_batch:
            folder = tmp / "batch"
            files = make_batch(pdfs, args.batch_files, folder)
            one = bench_batch(folder, 1, tmp / "out1")
            two = bench_batch(folder, 2, tmp / "out2")
            res["batch"] = {"files": len(files), "one": one, "two": two, "speedup": one["seconds"] / two["seconds"]}
            print(f"batch {len(files)} files: speedup {res['batch']['speedup']:.2f}x", file=sys.stderr)
    res["startup_s"] = startup_seconds()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(res, indent=2) + "\n")
    (args.out / "RESULTS.md").write_text(to_markdown(res))
    print(to_markdown(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
