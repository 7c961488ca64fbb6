"""Issue 15 benchmark: the PDFium character source against pdfminer's
(pdfplumber) path and against raw pdfplumber, over the real reports.

    python benchmarks/bench.py --engines [--reps 3]
    python benchmarks/engines.py [--reps 3]

Measured, every run in fresh processes, median of ``--reps`` (the raw
baseline and the ``mgi run``s interleaved per repetition), after the
package's modules are compiled to bytecode (``bench.compile_bytecode``: what
the first run of an installed tool leaves, and what pip leaves for the
baseline's libraries; a machine with ``PYTHONDONTWRITEBYTECODE`` set would
otherwise recompile our side only, in every process):
  * raw pdfplumber: open, ``extract_words()`` on every page, over all the
    real reports in one process (the reference time);
  * ``mgi run -w 1 --engine E --force`` over the same files in one run, for
    E in pdfium and pdfplumber (wall and CPU seconds of mgi + worker);
  * per stage (parse, segment, extract, write) and per engine: the
    single-document script of ``bench.py``, pages per second summed over
    the files, and the peak RSS of that process (the 95-page report too);
  * cold single small file: ``mgi run`` on the 2-page brief, end to end;
  * per-process start-up: the pipeline's imports, ``import spacy``,
    ``spacy.blank("fr")`` / ``("en")``, each in a fresh process.
Results: ``benchmarks/engines.json`` and the issue-15 block of RESULTS.md.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

ENGINES = ("pdfium", "pdfplumber")
BRIEF = "AAP_EN_Evaluation_Brief_final_0.pdf"

STARTUP = r"""
import sys, time, json
t = time.process_time(); w = time.perf_counter()
out = {}
import pipeline.parse.stage, pipeline.segment.stage, pipeline.extract.stage, pipeline.store.write
out["pipeline_imports"] = time.process_time() - t
t = time.process_time(); import spacy; out["import_spacy"] = time.process_time() - t
for lang in ("en", "fr", "es", "pt"):
    t = time.process_time(); spacy.blank(lang); out[f"blank_{lang}"] = time.process_time() - t
t = time.process_time(); spacy.blank("fr"); out["blank_fr_again"] = time.process_time() - t
print(json.dumps(out))
"""


# the extract stage's French pipeline: spaCy's tokenizer regex read from the
# on-disk cache (pipeline.extract.regexcache), in a fresh process; the cache
# is filled by the first French document run on this machine (the `mgi run`s above)
STARTUP_PIPELINE = r"""
import time, json
from pipeline.extract.regexcache import compiled_on_disk
import spacy
out = {}
t = time.process_time()
with compiled_on_disk():
    spacy.blank("fr")
out["blank_fr_cached_regex"] = time.process_time() - t
print(json.dumps(out))
"""


def _timed_run(args: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=bench.ROOT)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu, "exit": proc.returncode, "rss_mb": after.ru_maxrss / 1024}


def _med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def statistical_models() -> dict:
    """The default config's ``extract.use_statistical_model`` (read as the
    extract stage reads it) and the statistical models of its languages'
    statistics rules installed here: with ``auto`` an installed model is
    loaded by a run once a statistic lacks a subject (the test extras
    install the English one), so the figures say which case they measured."""
    import importlib.util

    from pipeline.config import load_config
    from pipeline.extract.statistic_rules import rules_for

    config = load_config()
    setting = str(config.section("extract").get("use_statistical_model", "never"))
    names = {name for lang in config.languages for name in rules_for(lang, config).model_names}
    return {"setting": setting, "installed": sorted(n for n in names if importlib.util.find_spec(n))}


def measure(reps: int, pdfs: list[Path], tmp: Path) -> dict:
    res: dict = {"machine": bench.machine(), "load_start": bench._load(), "reps": reps, "files": [p.name for p in pdfs],
                 "bytecode": bench.compile_bytecode(), "statistical_model": statistical_models()}
    # interleaved per repetition (raw, each engine, raw, ...): a drift of the
    # machine's speed during the run hits the baseline and the runs alike
    base: list[dict] = []
    by_engine: dict[str, list[dict]] = {engine: [] for engine in ENGINES}
    for _ in range(reps):
        base.append(bench._run_json(bench.BASELINE, *map(str, pdfs)))
        for engine in ENGINES:
            out = tmp / f"run-{engine}"
            shutil.rmtree(out, ignore_errors=True)
            by_engine[engine].append(_timed_run(["run", *map(str, pdfs), "--out", str(out), "-w", "1", "--no-progress",
                                                 "--force", "--engine", engine]))
    pages = base[0]["pages"]
    res["baseline"] = {"seconds": _med(base, "seconds"), "cpu_s": _med(base, "cpu_s"), "pages": pages}
    res["run"] = {}
    for engine, runs in by_engine.items():
        res["run"][engine] = {"seconds": _med(runs, "seconds"), "cpu_s": _med(runs, "cpu_s"),
                              "exit": runs[0]["exit"], "ratio": _med(runs, "seconds") / res["baseline"]["seconds"],
                              "cpu_ratio": _med(runs, "cpu_s") / res["baseline"]["cpu_s"],
                              "cpu_ratio_per_rep": [r["cpu_s"] / b["cpu_s"] for r, b in zip(runs, base)]}
    res["stages"] = {}
    for engine in ENGINES:
        per_file = []
        for pdf in pdfs:
            runs = []
            for _ in range(reps):
                shutil.rmtree(tmp / "single", ignore_errors=True)
                runs.append(bench._run_json(bench.PIPELINE, str(pdf), str(tmp / "single"), engine))
            ok = [r for r in runs if "error" not in r]
            if not ok:
                per_file.append({"file": pdf.name, "error": runs[0].get("error")})
                continue
            per_file.append({"file": pdf.name, "pages": ok[0]["pages"], "seconds": _med(ok, "seconds"),
                             "rss_mb": max(r["rss_mb"] for r in ok),
                             "stages_s": {k: statistics.median(r["stages"][k] for r in ok) for k in bench.STAGES},
                             "stages_cpu_s": {k: statistics.median(r["stages_cpu"][k] for r in ok) for k in bench.STAGES}})
        good = [f for f in per_file if "error" not in f]
        n = sum(f["pages"] for f in good)
        res["stages"][engine] = {
            "files": per_file,
            "pages_per_s": {k: n / s if (s := sum(f["stages_s"][k] for f in good)) else None for k in bench.STAGES},
            "cpu_pages_per_s": {k: n / s if (s := sum(f["stages_cpu_s"][k] for f in good)) else None for k in bench.STAGES},
            "max_rss_mb": max((f["rss_mb"] for f in good), default=0.0),
        }
    brief = next((p for p in pdfs if p.name == BRIEF), None)
    if brief is not None:
        runs = []
        for _ in range(max(reps, 3)):
            out = tmp / "cold"
            shutil.rmtree(out, ignore_errors=True)
            runs.append(_timed_run(["run", str(brief), "--out", str(out), "-w", "1", "--no-progress", "--force",
                                    "--engine", "pdfium"]))
        res["cold_small"] = {"file": brief.name, "seconds": _med(runs, "seconds"), "cpu_s": _med(runs, "cpu_s")}
    starts = [bench._run_json(STARTUP) for _ in range(reps)]
    starts = [s for s in starts if "error" not in s]
    cached = [bench._run_json(STARTUP_PIPELINE) for _ in range(reps)]
    for s, c in zip(starts, cached):
        if "error" not in c:
            s.update(c)
    if starts:
        res["startup_cpu_s"] = {k: statistics.median(s[k] for s in starts) for k in starts[0]}
    res["load_end"] = bench._load()
    return res


def _model_line(model: dict | None) -> str:
    if not model:
        return "Statistical model: not recorded."
    if model["installed"] and model["setting"] in ("auto", "always"):
        return (f"Statistical model: {', '.join(model['installed'])} installed; `use_statistical_model: {model['setting']}` "
                "loads it in a run's first statistic without a subject (their refinement), so the runs pay for it.")
    return (f"Statistical model: {'none installed' if not model['installed'] else ', '.join(model['installed']) + ' installed'}; "
            f"`use_statistical_model: {model['setting']}`, so the runs load none.")


def to_markdown(res: dict) -> str:
    b = res["baseline"]
    lines = [
        "## Issue 15: the PDFium engine (`benchmarks/engines.py`)",
        "",
        f"Files: the {len(res['files'])} real reports ({b['pages']} pages). Load average at start {res['load_start']}, "
        f"at end {res['load_end']} (2 cores, shared). Median of {res['reps']} fresh-process runs; the package's "
        f"bytecode compiled first, as an installed tool's first run leaves it "
        f"({'done' if res.get('bytecode') else 'FAILED: modules compiled from source in every process'}).",
        "",
        _model_line(res.get("statistical_model")),
        "",
        "| what | wall s | CPU s | x raw pdfplumber (wall) | x raw (CPU) |",
        "|---|---:|---:|---:|---:|",
        f"| raw pdfplumber `extract_words()`, one process | {b['seconds']:.1f} | {b['cpu_s']:.1f} | 1.00 | 1.00 |",
    ]
    for engine, r in res["run"].items():
        per_rep = ", ".join(f"{x:.2f}" for x in r.get("cpu_ratio_per_rep", []))
        lines.append(f"| `mgi run -w 1 --engine {engine}` | {r['seconds']:.1f} | {r['cpu_s']:.1f} | **{r['ratio']:.2f}** | "
                     f"{r['cpu_ratio']:.2f}" + (f" (per repetition: {per_rep})" if per_rep else "") + " |")
    lines += ["", "Pages per second per stage (single-document runs, summed over the files; wall / CPU):", "",
              "| engine | parse | segment | extract | write | peak RSS MB (max over files) |", "|---|---:|---:|---:|---:|---:|"]
    for engine, st in res["stages"].items():
        cells = [f"{st['pages_per_s'][k]:.0f} / {st['cpu_pages_per_s'][k]:.0f}" for k in bench.STAGES]
        lines.append(f"| {engine} | " + " | ".join(cells) + f" | {st['max_rss_mb']:.0f} |")
    for engine, st in res["stages"].items():
        big = max((f for f in st["files"] if "error" not in f), key=lambda f: f["pages"], default=None)
        if big:
            lines.append(f"\n{engine}, {big['file']} ({big['pages']} pages): {big['seconds']:.1f} s, peak RSS "
                         f"{big['rss_mb']:.0f} MB; stages " + ", ".join(f"{k} {v:.2f} s" for k, v in big["stages_s"].items()) + ".")
    if "cold_small" in res:
        c = res["cold_small"]
        lines.append(f"\nCold single small file (`mgi run {c['file']}`, 2 pages, pdfium): **{c['seconds']:.2f} s** wall, "
                     f"{c['cpu_s']:.2f} s CPU (target < 1.5 s).")
    if "startup_cpu_s" in res:
        lines.append("\nPer-process start-up, CPU s (fresh process each): " + ", ".join(
            f"{k} {v:.2f}" for k, v in res["startup_cpu_s"].items()) + ".")
    return "\n".join(lines) + "\n"


def write(res: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "engines.json").write_text(json.dumps(res, indent=2) + "\n")
    bench.replace_block(out / "RESULTS.md", "engines.py", to_markdown(res))


def main(reps: int = 3, out: Path = bench.ROOT / "benchmarks") -> int:
    pdfs = sorted(bench.REAL_PDFS.glob("*.pdf"))
    if not pdfs:
        print(f"no real reports in {bench.REAL_PDFS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="mgi-engines-") as tmpd:
        res = measure(reps, pdfs, Path(tmpd))
    write(res, out)
    print(to_markdown(res))
    return 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", type=Path, default=bench.ROOT / "benchmarks")
    a = ap.parse_args()
    raise SystemExit(main(a.reps, a.out))
