"""Benchmark: the pipeline against raw pdfplumber, measured in the same run.

    python benchmarks/bench.py                 # samples + ../shared/real-pdfs, 3 repetitions
    python benchmarks/bench.py --reps 5 --batch-files 12
    python benchmarks/bench.py --compare /tmp/old-tree   # also time another checkout ("before")

For every PDF, in fresh processes (cold: nothing imported or cached):
  * baseline: pdfplumber open, ``extract_words()`` on every page, ``page.close()``;
  * pipeline: parse -> segment -> extract -> write for that one file, one worker,
    timing each stage (``write`` = ``pipeline.store.write.write_tables`` of that
    document's rows into a fresh folder);
  * with ``--compare DIR``: the same pipeline script run from the code in DIR
    (a checkout or ``git archive`` of an older commit holding ``pipeline/``
    and ``configs/``);
interleaved per repetition (baseline, pipeline, compare, baseline, ...), so
load drift on a shared machine hits all alike; the median of ``--reps`` is
reported, with wall and CPU (user + sys) seconds and the peak RSS of each
process. Then ``mgi run`` with 1 and 2 workers over a batch of at least
``--batch-files`` PDFs (distinct copies of the inputs) for the parallel
speedup, and the start-up time of ``mgi --help``.

Results go to ``benchmarks/results.json`` and ``benchmarks/RESULTS.md`` with
the machine described (cores, load average, Python, library versions).
Targets (issue 7): pipeline <= 1.3x baseline wall time, peak RSS <= 300 MB per
worker, 2 workers >= 1.7x faster than 1, ``mgi --help`` < 1 s. Ratios, not
absolute times, are the targets: the machine may be shared (CPU-time ratios
are printed too, as they are less sensitive to other processes).
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
STAGES = ("parse", "segment", "extract", "write")

BASELINE = r"""
import resource, sys, time, json
t0 = time.perf_counter()
import pdfplumber
n = 0
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.close()
            n += 1
t = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": t, "cpu_s": ru.ru_utime + ru.ru_stime, "pages": n, "rss_mb": [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0] / 1024}))
"""

PIPELINE = r"""
import resource, sys, time, json
from pathlib import Path
t0 = time.perf_counter()
from pipeline.config import load_config, with_engine
from pipeline.parse import stage as parse
from pipeline.segment import stage as segment
from pipeline.extract import stage as extract
from pipeline.store import write
cfg = with_engine(load_config(), sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None)
times, cpu = {}, {}
def stage(name, fn, *args):
    t, c = time.perf_counter(), time.process_time()
    result = fn(*args)
    times[name], cpu[name] = time.perf_counter() - t, time.process_time() - c
    return result
layout = stage("parse", parse.parse_pdf, Path(sys.argv[1]), cfg)
seg = stage("segment", segment.segment, layout, cfg)
ext = stage("extract", extract.extract, seg, cfg)
def write_doc():
    doc = write.DocRows(ext.document, seg, ext, tuple(dict.fromkeys((*seg.warnings, *ext.warnings))))
    return write.write_tables(Path(sys.argv[2]), [doc], cfg.hash)
stage("write", write_doc)
total = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": total, "cpu_s": ru.ru_utime + ru.ru_stime, "pages": layout.n_pages, "stages": times,
                  "stages_cpu": cpu, "rss_mb": [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0] / 1024}))
"""


def _run_json(code: str, *args: str, cwd: Path = ROOT) -> dict:
    # cwd is the code root: ``python -c`` puts it first on sys.path
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": "no result printed"}


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _summarise(runs: list[dict], pages: int) -> dict:
    wall = _median([r["seconds"] for r in runs])
    return {
        "seconds": wall,
        "cpu_s": _median([r["cpu_s"] for r in runs]),
        "pages_per_s": pages / wall if wall else None,
        "rss_mb": max(r["rss_mb"] for r in runs),
        "stages_s": {k: _median([r["stages"][k] for r in runs]) for k in STAGES} if "stages" in runs[0] else None,
        "stages_cpu_s": {k: _median([r["stages_cpu"][k] for r in runs]) for k in STAGES} if "stages_cpu" in runs[0] else None,
    }


def bench_file(pdf: Path, reps: int, tmp: Path, compare: Path | None, engine: str = "") -> dict:
    pdf = pdf.resolve()
    base, pipe, old = [], [], []
    for _ in range(reps):  # interleave so drift on a shared machine hits all alike
        base.append(_run_json(BASELINE, str(pdf)))
        shutil.rmtree(tmp / "single", ignore_errors=True)
        pipe.append(_run_json(PIPELINE, str(pdf), str(tmp / "single"), engine))
        if compare is not None:
            shutil.rmtree(tmp / "single-old", ignore_errors=True)
            old.append(_run_json(PIPELINE, str(pdf), str(tmp / "single-old"), cwd=compare))
    errors = [r["error"] for r in base + pipe if "error" in r]
    if errors:
        return {"file": pdf.name, "error": errors[0]}
    old_errors = [r["error"] for r in old if "error" in r]
    pages = pipe[0]["pages"]
    b, p = _summarise(base, pages), _summarise(pipe, pages)
    res = {
        "file": pdf.name,
        "pages": pages,
        "baseline": b,
        "pipeline": p,
        "ratio": p["seconds"] / b["seconds"],
        "cpu_ratio": p["cpu_s"] / b["cpu_s"],
    }
    if old_errors:  # the older code may not read every file; the current numbers still count
        res["before_error"] = old_errors[0]
    elif old:
        o = _summarise(old, pages)
        res["before"] = o
        res["before_ratio"] = o["seconds"] / b["seconds"]
        res["before_cpu_ratio"] = o["cpu_s"] / b["cpu_s"]
    return res


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


def bench_batch(folder: Path, workers: int, out: Path, cwd: Path = ROOT, engine: str = "") -> dict:
    import resource

    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", str(folder), "--out", str(out), "--workers", str(workers), "--no-progress",
         *(["--engine", engine] if engine else [])],
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # mgi and its (joined) workers
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = next((ln.strip() for ln in proc.stdout.splitlines() if " files" in ln and " ok" in ln), "")
    return {"workers": workers, "seconds": seconds, "cpu_s": cpu, "cores_used": cpu / seconds if seconds else None,
            "exit": proc.returncode, "summary": summary}


def startup_seconds(reps: int = 5, cwd: Path = ROOT) -> float:
    runs = []
    for _ in range(reps):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], capture_output=True, cwd=cwd)
        runs.append(time.perf_counter() - t)
    return _median(runs)


def compile_bytecode(*trees: Path) -> bool:
    """Compile the package's modules to bytecode (``__pycache__``), as the
    first run of an installed tool leaves them (and as pip leaves the
    libraries of the baseline): a machine with ``PYTHONDONTWRITEBYTECODE``
    set would otherwise recompile every module in every measured process,
    and only our side of the comparison. True when every module compiled."""
    import compileall

    return all(compileall.compile_dir(str(t / "pipeline"), quiet=1, force=False) for t in (trees or (ROOT,)))


def machine() -> dict:
    import importlib.metadata as md

    versions = {}
    for name in ("pdfplumber", "pdfminer.six", "spacy", "pydantic", "pyarrow", "pandas", "duckdb"):
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            versions[name] = None
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": versions,
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
    }


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "n/a" if x is None else format(x, spec)


def to_markdown(res: dict) -> str:
    m = res["machine"]
    compare = res.get("compare")
    lines = [
        "## Measured",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), Python {m['python']}, {m['platform']}; "
        + ", ".join(f"{k} {v}" for k, v in m["libraries"].items())
        + f". Load average (1/5/15 min) at start {res['load_start']}, at end {res['load_end']}.",
        "",
        f"Repetitions per file: {res['reps']} (median reported); every measurement in a fresh process; "
        "baseline and pipeline runs interleaved. Wall = elapsed seconds, CPU = user + sys seconds of the process.",
        "",
        "| file | pages | baseline pages/s | pipeline pages/s | ratio (wall) | ratio (CPU) | parse s | segment s | extract s | write s | peak RSS MB |"
        + (" ratio before (wall) |" if compare else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if compare else ""),
    ]
    for r in res["files"]:
        if "error" in r:
            lines.append(f"| {r['file']} | error: {r['error']} |" + " |" * (10 if compare else 9))
            continue
        b, p = r["baseline"], r["pipeline"]
        s = p["stages_s"]
        row = (
            f"| {r['file']} | {r['pages']} | {_fmt(b['pages_per_s'], '.1f')} | {_fmt(p['pages_per_s'], '.1f')} | "
            f"{r['ratio']:.2f} | {r['cpu_ratio']:.2f} | {s['parse']:.2f} | {s['segment']:.2f} | {s['extract']:.2f} | "
            f"{s['write']:.2f} | {p['rss_mb']:.0f} |"
        )
        if compare:
            row += f" {_fmt(r.get('before_ratio')) if 'before_error' not in r else 'error'} |"
        lines.append(row)
    t = res["totals"]
    lines += [
        "",
        f"All files ({t['pages']} pages): baseline {t['baseline_s']:.1f} s ({t['baseline_pages_per_s']:.1f} pages/s), "
        f"pipeline {t['pipeline_s']:.1f} s ({t['pipeline_pages_per_s']:.1f} pages/s), ratio **{t['ratio']:.2f}** wall "
        f"/ **{t['cpu_ratio']:.2f}** CPU (target <= 1.3); max peak RSS **{t['max_rss_mb']:.0f} MB** (target <= 300; "
        f"baseline {t['max_baseline_rss_mb']:.0f} MB).",
    ]
    if compare and "before_s" in t:
        lines.append(
            f"Before (`{compare}`), over the {t['compared_files']} files it reads: pipeline {t['before_s']:.1f} s, ratio "
            f"{t['before_ratio']:.2f} wall / {t['before_cpu_ratio']:.2f} CPU (now {t['after_ratio_same_files']:.2f} / "
            f"{t['after_cpu_ratio_same_files']:.2f} on the same files), max peak RSS {t['before_max_rss_mb']:.0f} MB."
        )
    lines.append("")
    if res.get("batch"):
        b = res["batch"]
        lines.append(
            f"Batch of {b['files']} PDFs (`mgi run`): 1 worker {b['one']['seconds']:.1f} s, 2 workers "
            f"{b['two']['seconds']:.1f} s, speedup **{b['speedup']:.2f}x** (target >= 1.7); exit codes "
            f"{b['one']['exit']}/{b['two']['exit']}."
        )
        if b["one"].get("cpu_s") is not None:
            lines.append(
                f"CPU seconds (mgi + workers): {b['one']['cpu_s']:.1f} with 1 worker, {b['two']['cpu_s']:.1f} with 2; "
                f"cores actually obtained with 2 workers: {b['two']['cores_used']:.2f} (other processes share the machine)."
            )
        if b.get("one_vs_baseline"):
            lines.append(
                f"Raw pdfplumber over the same {b['files']} files in one process: {b['baseline']['seconds']:.1f} s; "
                f"`mgi run` with 1 worker takes **{b['one_vs_baseline']:.2f}x** that (imports and models paid once per run)."
            )
    lines.append(f"`mgi --help` start-up: **{res['startup_s']:.2f} s** (target < 1 s).")
    return "\n".join(lines) + "\n"


def write_results(res: dict, out: Path) -> None:
    """results.json whole; in RESULTS.md only the part between the markers is
    replaced, so hand-written sections (where the time goes) survive a re-run."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(res, indent=2) + "\n")
    replace_block(out / "RESULTS.md", "bench.py", to_markdown(res))


def replace_block(md: Path, name: str, body: str) -> None:
    """Put BODY between the markers of NAME in RESULTS.md (appended when absent)."""
    begin, end = f"<!-- BEGIN {name} output -->", f"<!-- END {name} output -->"
    block = f"{begin}\n{body}{end}\n"
    text = md.read_text() if md.exists() else "# Benchmark results\n\n"
    if begin in text and end in text:
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        text = head + block + tail.lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    md.write_text(text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--batch-files", type=int, default=10)
    ap.add_argument("--no-batch", action="store_true", help="skip the 1-vs-2 worker batch")
    ap.add_argument("--files", nargs="*", type=Path, help="PDFs to measure (default: samples + real PDFs)")
    ap.add_argument("--compare", type=Path, help="another code tree (pipeline/ + configs/) to time as 'before'")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks")
    ap.add_argument("--engine", choices=("pdfium", "pdfplumber"), help="character source of the pipeline runs (default: config)")
    ap.add_argument("--engines", action="store_true",
                    help="issue 15: both engines against raw pdfplumber over the real reports (benchmarks/engines.py)")
    args = ap.parse_args()
    if args.engines:
        import engines

        return engines.main(args.reps, args.out)

    pdfs = args.files or sorted((ROOT / "samples").glob("*.pdf")) + sorted(REAL_PDFS.glob("*.pdf"))
    if not pdfs:
        print("no PDFs to benchmark", file=sys.stderr)
        return 2
    missing = [p for p in pdfs if not p.is_file()]
    if missing:
        print(f"not a file: {missing[0]}", file=sys.stderr)
        return 2
    if args.compare is not None and not (args.compare / "pipeline" / "__init__.py").is_file():
        print(f"--compare {args.compare}: no pipeline/ package there", file=sys.stderr)
        return 2
    compare = args.compare.resolve() if args.compare else None
    res: dict = {"machine": machine(), "reps": args.reps, "load_start": _load(), "files": [],
                 "bytecode": compile_bytecode(*([ROOT, compare] if compare else [ROOT]))}
    if compare:
        res["compare"] = str(compare)
    with tempfile.TemporaryDirectory(prefix="mgi-bench-") as tmpd:
        tmp = Path(tmpd)
        for pdf in pdfs:
            r = bench_file(pdf, args.reps, tmp, compare, args.engine or "")
            res["files"].append(r)
            if "error" in r:
                print(f"{pdf.name}: error {r['error']}", file=sys.stderr)
                continue
            b, p = r["baseline"], r["pipeline"]
            print(
                f"{pdf.name}: {r['pages']} p, baseline {b['pages_per_s']:.1f} p/s, pipeline {p['pages_per_s']:.1f} p/s, "
                f"ratio {r['ratio']:.2f} (CPU {r['cpu_ratio']:.2f}), stages "
                + " ".join(f"{k} {v:.2f}" for k, v in p["stages_s"].items())
                + f", RSS {p['rss_mb']:.0f} MB"
                + (f"; before: ratio {r['before_ratio']:.2f} (CPU {r['before_cpu_ratio']:.2f}), RSS {r['before']['rss_mb']:.0f} MB" if "before" in r else "")
                + (f"; before: error {r['before_error']}" if "before_error" in r else ""),
                file=sys.stderr,
            )
        ok = [r for r in res["files"] if "error" not in r]
        b = sum(r["baseline"]["seconds"] for r in ok)
        p = sum(r["pipeline"]["seconds"] for r in ok)
        bc = sum(r["baseline"]["cpu_s"] for r in ok)
        pc = sum(r["pipeline"]["cpu_s"] for r in ok)
        pages = sum(r["pages"] for r in ok)
        res["totals"] = {
            "pages": pages,
            "baseline_s": b,
            "pipeline_s": p,
            "baseline_pages_per_s": pages / b if b else float("nan"),
            "pipeline_pages_per_s": pages / p if p else float("nan"),
            "ratio": p / b if b else float("nan"),
            "cpu_ratio": pc / bc if bc else float("nan"),
            "max_rss_mb": max((r["pipeline"]["rss_mb"] for r in ok), default=0.0),
            "max_baseline_rss_mb": max((r["baseline"]["rss_mb"] for r in ok), default=0.0),
        }
        both = [r for r in ok if "before" in r]
        if compare and both:  # over the files both versions read
            bb = sum(r["baseline"]["seconds"] for r in both)
            bbc = sum(r["baseline"]["cpu_s"] for r in both)
            o = sum(r["before"]["seconds"] for r in both)
            oc = sum(r["before"]["cpu_s"] for r in both)
            n = sum(r["pipeline"]["seconds"] for r in both)
            nc = sum(r["pipeline"]["cpu_s"] for r in both)
            res["totals"].update(
                compared_files=len(both),
                before_s=o,
                before_ratio=o / bb if bb else float("nan"),
                before_cpu_ratio=oc / bbc if bbc else float("nan"),
                after_ratio_same_files=n / bb if bb else float("nan"),
                after_cpu_ratio_same_files=nc / bbc if bbc else float("nan"),
                before_max_rss_mb=max(r["before"]["rss_mb"] for r in both),
            )
        if not args.no_batch:
            folder = tmp / "batch"
            files = make_batch(pdfs, args.batch_files, folder)
            base = _run_json(BASELINE, *map(str, files))  # raw pdfplumber over the same files, one process
            one = bench_batch(folder, 1, tmp / "out1", engine=args.engine or "")
            two = bench_batch(folder, 2, tmp / "out2", engine=args.engine or "")
            res["batch"] = {"files": len(files), "one": one, "two": two, "speedup": one["seconds"] / two["seconds"],
                            "baseline": base, "one_vs_baseline": one["seconds"] / base["seconds"] if "seconds" in base else None}
            print(f"batch {len(files)} files: 1 worker {one['seconds']:.1f} s, 2 workers {two['seconds']:.1f} s, "
                  f"speedup {res['batch']['speedup']:.2f}x; raw pdfplumber in one process {base.get('seconds', float('nan')):.1f} s",
                  file=sys.stderr)
    res["startup_s"] = startup_seconds()
    res["load_end"] = _load()
    write_results(res, args.out)
    print(to_markdown(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
