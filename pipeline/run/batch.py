"""Run the stages over many PDFs: resumable, incremental, crash- and hang-safe.

``run`` is ``mgi run`` / ``mgi parse``; ``run_stage`` is ``mgi segment|extract|write``.

* Inputs are files and folders (searched recursively for ``*.pdf`` in any
  case), sorted, and de-duplicated by content hash (the first path wins).
  ``doc_id`` = ``make_doc_id(path, sha256)``.
* Each document goes to a pool of long-lived worker processes (``pipeline.run.pool``).
  A worker that crashes (segfault, ``os._exit``, SIGKILL) or runs past the
  per-file timeout is killed and replaced; only its file fails
  ("worker crashed (signal 9)", "timed out after 300 s").
* Per document the worker runs the steps of ``pipeline.run.steps``, which
  write ``layout.json``, ``segments.json`` and ``extracted.json`` to
  ``OUT/work/<doc_id>/``; the parent writes the status
  row (``status.json``) and, for unexpected exceptions, the traceback to
  ``error.log``. Nothing but one-line reasons reaches the console.
* Incremental: a document whose ``extracted.json`` is valid and was made from
  the same sha256, pipeline version and config hash is skipped (not parsed).
  A run killed midway is resumed the same way. The tables are Parquet
  datasets of parts (``pipeline.store.dataset``): finished documents are
  appended in parts while the run goes on, and at the end the datasets are
  brought in line with the documents in ``OUT/work/manifest.json`` (changed
  ones rewritten, removed ones dropped, nothing rewritten when nothing
  changed); a document is always in exactly one part.
* ``scheduler`` / ``MGI_DASK_SCHEDULER``: the same tasks on a Dask cluster
  (``pipeline.run.cluster``), same timeout, status rows and outputs.

Test hooks (``MGI_TEST_*`` environment variables, see ``pipeline.run.steps``)
are read here when the run is planned and handed to the workers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from pipeline import __version__
from pipeline.config import Config
from pipeline.datamodel import SCHEMA_VERSION, DocumentRecord, Extracted, Layout, Segmented
from pipeline.errors import InputError, IntermediateError, MGIError, OutputError
from pipeline.ids import file_sha256, make_doc_id
from pipeline.run.console import err_console, escape, print_summary, progress_bar
from pipeline.run.pool import Pool
from pipeline.run.steps import (
    ERROR_LOG,
    HOOK_CRASH,
    HOOK_HANG,
    HOOK_PARSE_LOG,
    STAGES,
    Outcome,
    Task,
    failed_record,
    one_line,
)
from pipeline.store.workdir import STATUS_FILE, STAGE_FILES, atomic_write_bytes, doc_dir, read_model, write_model

MANIFEST = "manifest.json"
SCHEDULER_ENV = "MGI_DASK_SCHEDULER"  # a Dask scheduler address: run the files on that cluster
WRITE_PROBE_BYTES = 1 << 16  # written (and fsynced) to the work folder before any work starts


# --------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------


def collect_inputs(inputs: Iterable[Path]) -> list[Path]:
    """Files as given plus ``*.pdf`` (any case) below folders, sorted, unique paths."""
    found: set[Path] = set()
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            found.update(p for p in item.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
        elif item.exists():
            found.add(item)
        else:
            raise InputError(f"{item}: no such file or folder")
    return sorted(found, key=lambda p: str(p))


def _display_path(path: Path) -> str:
    """Path relative to the working directory when below it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


# --------------------------------------------------------------------------
# work-folder bookkeeping
# --------------------------------------------------------------------------


def _check_writable(out: Path) -> None:
    try:
        work = Path(out) / "work"
        work.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-probe.", suffix=".tmp", dir=work)
        try:  # real bytes: a full disk still lets an empty file be created
            with os.fdopen(fd, "wb") as fh:
                fh.write(b"\0" * WRITE_PROBE_BYTES)
                fh.flush()
                os.fsync(fh.fileno())
        finally:
            os.unlink(probe)
    except OSError as exc:
        raise OutputError.of("E301", out=out, reason=exc.strerror or exc) from None


def _read_status(work: Path) -> DocumentRecord | None:
    try:
        return read_model(work / STATUS_FILE, DocumentRecord)
    except IntermediateError:
        return None


def _save_outcome(out: Path, outcome: Outcome) -> None:
    work = doc_dir(out, outcome.record.doc_id)
    write_model(work / STATUS_FILE, "status", outcome.record)
    if outcome.traceback:
        atomic_write_bytes(work / ERROR_LOG, outcome.traceback.encode())


def done_record(work: Path, sha256: str, config_hash: str, final_stage: str) -> DocumentRecord | None:
    """The document's record when ``final_stage`` is already done for this
    content, pipeline version and config (intermediates valid), else None."""
    status = _read_status(work)
    try:
        if final_stage == "extract":
            extracted = read_model(work / STAGE_FILES["extract"], Extracted)
            segmented = read_model(work / STAGE_FILES["segment"], Segmented)
            if segmented.document.sha256 != sha256:  # valid, but another document's
                return None
            doc = extracted.document
        else:
            doc = status
            if doc is None or doc.status == "failed":
                return None
            model = Layout if final_stage == "parse" else Segmented
            inter = read_model(work / STAGE_FILES[final_stage], model)
            if (inter.sha256 if isinstance(inter, Layout) else inter.document.sha256) != sha256:
                return None
    except IntermediateError:
        return None
    if (doc.sha256, doc.pipeline_version, doc.config_hash) != (sha256, __version__, config_hash):
        return None
    return doc


def resumable_from_layout(work: Path, sha256: str, config_hash: str) -> bool:
    """Whether a valid ``layout.json`` of this content, pipeline version and
    config is there (e.g. after ``mgi parse``), so parsing can be skipped."""
    status = _read_status(work)
    if status is None or status.status == "failed":
        return False
    if (status.sha256, status.pipeline_version, status.config_hash) != (sha256, __version__, config_hash):
        return False
    try:
        return read_model(work / STAGE_FILES["parse"], Layout).sha256 == sha256
    except IntermediateError:
        return False


def _write_manifest(out: Path, entries: list[dict], table_doc_ids: list[str], config_hash: str) -> None:
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": __version__,
        "config_hash": config_hash,
        "inputs": entries,
        "table_doc_ids": table_doc_ids,
    }
    data = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write_bytes(Path(out) / "work" / MANIFEST, data.encode())


def read_manifest(out: Path) -> dict | None:
    try:
        data = json.loads((Path(out) / "work" / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------


def _hooks() -> tuple[tuple[str, str], ...]:
    return tuple((k, os.environ[k]) for k in (HOOK_HANG, HOOK_CRASH, HOOK_PARSE_LOG) if os.environ.get(k))


def _n_workers(workers: int, config: Config) -> int:
    n = workers or int(config.section("batch").get("workers") or 0)
    return n if n > 0 else (os.cpu_count() or 1)


def _timeout(timeout: float | None, config: Config) -> float | None:
    value = timeout if timeout is not None else config.section("batch").get("timeout_seconds")
    return float(value) if value and float(value) > 0 else None


def _size(task: Task) -> int:
    try:
        return os.path.getsize(task.path) if task.path else 0
    except OSError:
        return 0


class _Appender:
    """Appends finished documents to the Parquet datasets in parts of
    ``PART_DOCS`` while the run goes on (documents new to the datasets only;
    the rest is settled by ``write_outputs`` at the end)."""

    def __init__(self, out: Path, config_hash: str, enabled: bool):
        self.out, self.config_hash, self.enabled = out, config_hash, enabled
        self.finished: list[str] = []

    def add(self, doc_id: str) -> None:
        if not self.enabled:
            return
        from pipeline.store.dataset import PART_DOCS

        self.finished.append(doc_id)
        if len(self.finished) >= PART_DOCS:
            from pipeline.store.write import append_outputs

            append_outputs(self.out, self.finished, self.config_hash)
            self.finished = []


def _execute(tasks: list[Task], out: Path, config: Config, workers: int, timeout: float | None, progress: bool,
             appender: _Appender | None = None, scheduler: str | None = None) -> tuple[list[tuple[Task, Outcome]], int]:
    results: list[tuple[Task, Outcome]] = []
    pages = 0
    if not tasks:
        return results, pages
    bar = progress_bar(progress, len(tasks))
    started = time.monotonic()
    job = None

    def on_tick() -> None:
        if bar is not None:
            rate = pages / max(time.monotonic() - started, 1e-6)
            bar.update(job, pages=pages, rate=f"{rate:.1f} pages/s")
            bar.refresh()

    def on_pages(n: int) -> None:
        nonlocal pages
        pages += n
        on_tick()

    def on_done(task: Task, outcome: Outcome) -> None:
        _save_outcome(out, outcome)
        results.append((task, outcome))
        if appender is not None:
            appender.add(task.doc_id)
        if bar is not None:
            bar.advance(job)
            bar.refresh()

    # largest files first, so that a long file does not run alone at the end
    tasks = sorted(tasks, key=lambda t: (-_size(t), t.source_file))
    if scheduler:
        from pipeline.run.cluster import ClusterPool

        pool = ClusterPool(scheduler, config)
    else:
        pool = Pool(min(workers, len(tasks)), config)
    try:
        if bar is not None:
            bar.start()
            job = bar.add_task("files", total=len(tasks), pages=0, rate="")
        pool.run(tasks, timeout, on_pages, on_done, on_tick)
    finally:
        pool.close()
        if bar is not None:
            bar.stop()
    return results, pages


def run(
    inputs: list[Path],
    out: Path,
    config: Config,
    *,
    workers: int = 0,
    force: bool = False,
    timeout: float | None = None,
    password: str | None = None,
    keep_removed: bool = False,
    progress: bool = True,
    stages: tuple[str, ...] = STAGES,
    write_tables: bool = True,
    stage_functions: dict[str, str] | None = None,
    scheduler: str | None = None,
) -> int:
    """Run ``stages`` on every input PDF and write the tables; returns the exit
    code: 0 when every file is ok or partial, 1 when any failed, 2 when the
    run itself could not be done (bad inputs, output folder not writable).
    ``stage_functions`` maps a step name to an importable ``"module:function"``
    that replaces its stage function in the workers (tests, embedding).
    ``scheduler`` (``tcp://host:8786``, else env ``MGI_DASK_SCHEDULER``) runs
    the files on a Dask cluster instead of the local pool."""
    console = err_console()
    out = Path(out)
    try:
        _check_writable(out)
        files = collect_inputs(inputs)
        if not files:
            raise InputError(f"no PDF files found in {', '.join(str(p) for p in inputs)}")
        return _run(files, out, config, workers=workers, force=force, timeout=timeout, password=password,
                    keep_removed=keep_removed, progress=progress, stages=stages, write_tables=write_tables,
                    stage_functions=stage_functions, scheduler=scheduler or os.environ.get(SCHEDULER_ENV) or None)
    except (MGIError, OSError) as exc:
        console.print(f"[red]error:[/] {escape(one_line(str(exc)))}")
        return 2
    except KeyboardInterrupt:
        console.print("[red]interrupted[/]: re-run the same command to resume")
        return 130


def _run(files: list[Path], out: Path, config: Config, *, workers: int, force: bool, timeout: float | None,
         password: str | None, keep_removed: bool, progress: bool, stages: tuple[str, ...], write_tables: bool,
         stage_functions: dict[str, str] | None, scheduler: str | None = None) -> int:
    started = time.monotonic()
    config_hash = config.hash
    hooks = _hooks()
    impl = tuple(sorted((stage_functions or {}).items()))
    final_stage = stages[-1]
    outcomes: list[tuple[Task, Outcome]] = []
    tasks: list[Task] = []
    entries: list[dict] = []
    duplicates: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for path in files:
        shown = _display_path(path)
        try:
            sha = file_sha256(path)
        except OSError as exc:
            sha = hashlib.sha256(f"unreadable:{shown}".encode()).hexdigest()
            doc_id = make_doc_id(path, sha)
            task = Task(doc_id, shown, sha, str(doc_dir(out, doc_id)), stages, config_hash=config_hash)
            reason = f"cannot read file ({exc.strerror or exc})"
            outcome = Outcome(failed_record(task, reason))
            _save_outcome(out, outcome)
            outcomes.append((task, outcome))
            entries.append({"doc_id": doc_id, "sha256": sha, "source_file": shown})
            continue
        if sha in seen:
            duplicates.append((shown, seen[sha]))
            continue
        seen[sha] = shown
        doc_id = make_doc_id(path, sha)
        entries.append({"doc_id": doc_id, "sha256": sha, "source_file": shown})
        task = Task(doc_id, shown, sha, str(doc_dir(out, doc_id)), stages, str(path), password, config_hash, hooks, impl)
        record = None if force else done_record(Path(task.work), sha, config_hash, final_stage)
        if record is None:
            if not force and stages[0] == "parse" and len(stages) > 1 and resumable_from_layout(Path(task.work), sha, config_hash):
                task = replace(task, stages=stages[1:])
            tasks.append(task)
            continue
        if record.source_file != shown:
            record = record.model_copy(update={"source_file": shown})
        outcome = Outcome(record, skipped=True)
        _save_outcome(out, outcome)
        outcomes.append((task, outcome))

    for folder in (out / "work", *(Path(task.work) for task, o in outcomes if o.skipped)):
        for tmp in folder.glob(".*.tmp"):  # left by a killed run
            tmp.unlink(missing_ok=True)
    current = [e["doc_id"] for e in entries]
    previous = read_manifest(out) or {}
    table_ids = sorted(set(current) | (set(previous.get("table_doc_ids", [])) if keep_removed else set()))
    _write_manifest(out, entries, table_ids, config_hash)
    appender = _Appender(out, config_hash, write_tables and final_stage == STAGES[-1])
    results, pages = _execute(tasks, out, config, _n_workers(workers, config), _timeout(timeout, config), progress,
                              appender, scheduler)
    outcomes.extend(results)
    if write_tables:
        from pipeline.store.write import write_outputs  # pyarrow: imported only after the workers are done

        write_outputs(out, table_ids, config_hash)
    outcomes.sort(key=lambda to: to[0].source_file)
    print_summary(outcomes, duplicates, time.monotonic() - started, pages)
    return 1 if any(o.record.status == "failed" for _, o in outcomes) else 0


def run_stage(
    out: Path, stage: str, config: Config, doc_ids: list[str] | None = None, *, stage_functions: dict[str, str] | None = None
) -> int:
    """``mgi segment|extract|write OUT``: one stage from the previous intermediates."""
    console = err_console()
    out = Path(out)
    work_root = out / "work"
    if not work_root.is_dir():
        console.print(f"[red]error:[/] {escape(str(work_root))} not found (run `mgi parse` or `mgi run` first)")
        return 2
    try:
        _check_writable(out)
    except OutputError as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}")
        return 2
    manifest = read_manifest(out) or {}
    if stage == "write":
        from pipeline.store.write import write_outputs

        ids = doc_ids or manifest.get("table_doc_ids") or sorted(p.name for p in work_root.iterdir() if (p / STATUS_FILE).exists())
        try:
            counts = write_outputs(out, sorted(set(ids)), config.hash)
            import pyarrow.parquet as pq

            status = pq.read_table(out / "documents", columns=["status"]).column(0).to_pylist()
        except (OutputError, OSError) as exc:
            console.print(f"[red]error:[/] {escape(one_line(str(exc)))}")
            return 2
        failed = status.count("failed")
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(
            f"wrote {len(status)} documents ({failed} failed): " + ", ".join(f"{t} {n}" for t, n in counts.items())
        )
        return 1 if failed else 0
    if stage not in ("segment", "extract"):
        console.print(f"[red]error:[/] unknown stage {stage!r}")
        return 2
    previous = "parse" if stage == "segment" else "segment"
    available = sorted(p.name for p in work_root.iterdir() if (p / STAGE_FILES[previous]).exists())
    if doc_ids:
        missing = [d for d in doc_ids if d not in available]
        if missing:
            console.print(f"[red]error:[/] no {STAGE_FILES[previous]} for doc_id {escape(', '.join(missing))}")
            return 2
        ids = sorted(set(doc_ids))
    else:
        wanted = [e["doc_id"] for e in manifest.get("inputs", [])]
        ids = [d for d in wanted if d in available] if wanted else available
    tasks = []
    config_hash = config.hash
    for doc_id in ids:
        record = _read_status(work_root / doc_id)
        if record is None:
            console.print(f"[yellow]skipped {escape(doc_id)}:[/] {STATUS_FILE} missing or corrupted (run `mgi parse` again)")
            continue
        tasks.append(
            Task(doc_id, record.source_file, record.sha256, str(work_root / doc_id), (stage,), config_hash=config_hash, hooks=_hooks(),
                 impl=tuple(sorted((stage_functions or {}).items())))
        )
    started = time.monotonic()
    results, pages = _execute(tasks, out, config, _n_workers(0, config), _timeout(None, config), True)
    results.sort(key=lambda to: to[0].source_file)
    print_summary(results, [], time.monotonic() - started, pages)
    return 1 if any(o.record.status == "failed" for _, o in results) else 0
