"""Command line: ``mgi``. Heavy libraries are imported inside the commands so
that ``mgi --help`` starts fast."""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from pipeline import __version__

# One thread per process for the numerical libraries: the pipeline runs one
# process per worker and makes no BLAS calls, and OpenBLAS would otherwise
# start (and spin) a thread per core in every process. A value already set
# in the environment is kept.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# The garbage collector looks at the young objects every 50,000 new containers
# instead of 700: a command holds hundreds of thousands of long-lived objects
# (its modules, a batch's rows), and each collection of the young promotes
# them only to walk them again. The stages' imports run with the collector
# paused and are then frozen (run/startup.py); workers freeze what they
# inherit and collect less often still (run/pool.py, WORKER_GC_THRESHOLD).
gc.set_threshold(50_000, 10, 10)

app = typer.Typer(
    name="mgi",
    help=(
        "Turn IOM Migration Governance Indicators (MGI) profiles (PDF) into typed "
        "Parquet tables and a DuckDB research database.\n\n"
        "Typical use:  mgi run profiles/ --out outputs/   then   mgi db build outputs/\n\n"
        "Stages (each also runnable alone, reading the previous stage's intermediate "
        "from OUT/work/<doc_id>/):  parse -> segment -> extract -> write."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Build and query the DuckDB research database (OUT/mgi.duckdb); load a shared PostgreSQL one.", no_args_is_help=True)
samples_app = typer.Typer(help="Developer tools for the shipped sample PDFs.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(samples_app, name="samples")

OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder: tables in OUT/<table>/, intermediates in OUT/work/.")]
ConfigOpt = Annotated[
    Optional[Path],
    typer.Option("--config", "-c", help="YAML file overriding configs/default.yaml (same keys).", exists=True, dir_okay=False),
]
Inputs = Annotated[list[Path], typer.Argument(help="PDF files and/or folders (searched recursively for *.pdf).")]
EngineOpt = Annotated[
    Optional[str],
    typer.Option("--engine", help="Character source: pdfium (default, config parse.engine) or pdfplumber (pdfminer, the reference)."),
]


def _batch():
    """``pipeline.run.batch``, imported with the garbage collector paused
    (``pipeline.run.startup``): it brings in every stage and spaCy."""
    from pipeline.run.startup import import_paused

    return import_paused("pipeline.run.batch")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mgi-pipeline {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """MGI profiles -> research tables."""


def _config(path: Optional[Path], engine: Optional[str] = None):
    from pipeline.config import load_config, with_engine
    from pipeline.errors import ConfigError

    try:
        return with_engine(load_config(path), engine)
    except ConfigError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        raise typer.Exit(2)


@app.command()
def run(
    inputs: Inputs,
    out: OutOpt = Path("outputs"),
    workers: Annotated[int, typer.Option("--workers", "-w", help="Worker processes (0 = all cores).")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Redo every file, even those already done with this version and config.")] = False,
    timeout: Annotated[Optional[float], typer.Option(help="Seconds per file before it is marked failed (default from config).")] = None,
    password: Annotated[Optional[str], typer.Option(help="Password for encrypted PDFs.")] = None,
    keep_removed: Annotated[bool, typer.Option("--keep-removed", help="Keep rows of documents no longer among the inputs.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", envvar="MGI_DASK_SCHEDULER",
        help="Dask scheduler address (tcp://HOST:8786): run the files on that cluster; OUT must be on storage the workers share.")] = None,
    config: ConfigOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Run every stage on PDFs and write the Parquet tables (resumable, incremental).

    Files are keyed by content hash: a re-run skips files already done with the
    same pipeline version and config. Exit status is 0 when every file is ok or
    partial, 1 when any failed.
    """
    batch = _batch()

    code = batch.run(
        inputs,
        out,
        _config(config, engine),
        workers=workers,
        force=force,
        timeout=timeout,
        password=password,
        keep_removed=keep_removed,
        progress=progress,
        scheduler=scheduler,
    )
    raise typer.Exit(code)


@app.command()
def parse(
    inputs: Inputs,
    out: OutOpt = Path("outputs"),
    workers: Annotated[int, typer.Option("--workers", "-w", help="Worker processes (0 = all cores).")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Redo files already parsed.")] = False,
    password: Annotated[Optional[str], typer.Option(help="Password for encrypted PDFs.")] = None,
    config: ConfigOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Stage 1: PDF -> page layout (OUT/work/<doc_id>/layout.json)."""
    batch = _batch()

    code = batch.run(
        inputs, out, _config(config, engine), workers=workers, force=force, password=password, stages=("parse",), write_tables=False
    )
    raise typer.Exit(code)


def _stage_command(stage: str, doc: Optional[list[str]], out: Path, config: Optional[Path]) -> None:
    batch = _batch()

    raise typer.Exit(batch.run_stage(out, stage, _config(config), doc_ids=doc or None))


DocOpt = Annotated[Optional[list[str]], typer.Option("--doc", help="Only this doc_id (repeatable).")]


@app.command()
def segment(out: Annotated[Path, typer.Argument(help="Output folder of a previous `mgi parse`.")], doc: DocOpt = None, config: ConfigOpt = None) -> None:
    """Stage 2: layout -> sections, paragraphs, footnotes, metadata (segments.json)."""
    _stage_command("segment", doc, out, config)


@app.command()
def extract(out: Annotated[Path, typer.Argument(help="Output folder of a previous `mgi segment`.")], doc: DocOpt = None, config: ConfigOpt = None) -> None:
    """Stage 3: statistics, citations, legal references, KEY SOURCES (extracted.json)."""
    _stage_command("extract", doc, out, config)


@app.command()
def write(out: Annotated[Path, typer.Argument(help="Output folder of a previous `mgi extract`.")], config: ConfigOpt = None) -> None:
    """Stage 4: write the Parquet tables OUT/<table>/ from the work folder."""
    batch = _batch()

    raise typer.Exit(batch.run_stage(out, "write", _config(config)))


@db_app.command("build")
def db_build(out: Annotated[Path, typer.Argument(help="Output folder holding the Parquet tables.")]) -> None:
    """Create OUT/mgi.duckdb with every table, primary keys and convenience views."""
    from pipeline.store import db

    raise typer.Exit(db.build_command(out))


@db_app.command("query")
def db_query(
    out: Annotated[Path, typer.Argument(help="Output folder holding mgi.duckdb.")],
    sql: Annotated[str, typer.Argument(help="SQL to run, e.g. \"SELECT * FROM v_statistics LIMIT 5\".")],
    max_rows: Annotated[int, typer.Option("--max-rows", help="Rows to print.")] = 50,
) -> None:
    """Run SQL against OUT/mgi.duckdb and print the result as a table."""
    from pipeline.store import db

    raise typer.Exit(db.query_command(out, sql, max_rows=max_rows))


@db_app.command("load")
def db_load(
    out: Annotated[Path, typer.Argument(help="Output folder holding the Parquet tables.")],
    url: Annotated[Optional[str], typer.Option("--url", envvar="MGI_DATABASE_URL", show_envvar=True,
        help="postgresql://user@host:port/dbname (password from the URL, PGPASSWORD or ~/.pgpass; never printed).")] = None,
    schema: Annotated[str, typer.Option("--schema", help="Schema to load into.")] = "public",
    keep_removed: Annotated[bool, typer.Option("--keep-removed", help="Keep documents no longer in OUT.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Load the tables into a shared PostgreSQL database (one transaction per document).

    Creates or migrates the tables, keys, indexes and the same views as
    OUT/mgi.duckdb; re-loads only documents whose rows changed. Exit status 0
    loaded, 1 a document refused (its old rows kept), 2 nothing loaded."""
    from pipeline.store import postgres

    raise typer.Exit(postgres.load_command(out, url, schema=schema, keep_removed=keep_removed, progress=progress))


@app.command()
def validate(
    out: Annotated[Path, typer.Argument(help="Output folder of `mgi run`.")],
    gold: Annotated[Path, typer.Option("--gold", help="Folder of hand-labelled gold JSON files (one per PDF stem).")] = Path("samples/gold"),
    min_f1: Annotated[Optional[float], typer.Option("--min-f1", help="Exit 1 when any table's F1 is below this.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown | json")] = "markdown",
    report: Annotated[Optional[Path], typer.Option("--report", help="Also write the report (and its chart) to this file.")] = None,
) -> None:
    """Score the output against hand-labelled gold files: precision, recall, F1 per table."""
    from pipeline.evaluate import validate as validate_mod

    raise typer.Exit(validate_mod.validate_command(out, gold, min_f1=min_f1, fmt=fmt, report=report))


@app.command()
def review(
    out: Annotated[Path, typer.Argument(help="Output folder of `mgi run`.")],
    gold: Annotated[Optional[Path], typer.Option("--gold", help="Folder of gold JSON files: show matches, misses and extras.")] = None,
    doc: DocOpt = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar while pages are drawn.")] = True,
) -> None:
    """Write static review pages (OUT/review/index.html): page images with a box per row, labelling to gold."""
    from pipeline.review.build import review_command

    raise typer.Exit(review_command(out, gold, doc, progress))


@app.command("gold-skeleton")
def gold_skeleton(
    pdf: Annotated[Path, typer.Argument(help="PDF to start a gold file for.", exists=True, dir_okay=False)],
    dest: Annotated[Optional[Path], typer.Option("--dest", help="Where to write (default: <stem>.skeleton.json beside the PDF).")] = None,
    timeout: Annotated[Optional[float], typer.Option(help="Seconds before the PDF is given up (default from config).")] = None,
) -> None:
    """Write a gold-file skeleton to speed up hand labelling (never the gold itself)."""
    raise typer.Exit(skeleton_command(pdf, dest, timeout))


def skeleton_command(pdf: Path, dest: Optional[Path], timeout: Optional[float] = None) -> int:
    """``mgi gold-skeleton PDF [--dest PATH] [--timeout S]``: 0 written, 2 refused/failed.

    parse, segment and extract run through the batch runner into a temporary
    folder, so the PDF is read in an isolated worker under the per-file
    timeout (a file that makes the parser spin cannot hang the command); the
    skeleton is then built from that work folder."""
    import contextlib
    import io
    import sys
    import tempfile

    from pipeline.errors import MGIError
    from pipeline.evaluate import gold

    try:
        target = gold.skeleton_target(pdf, dest)
        from pipeline.config import load_config
        from pipeline.run.batch import run as run_batch

        with tempfile.TemporaryDirectory(prefix="mgi-skeleton-") as tmp:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                run_batch([pdf], Path(tmp), load_config(), workers=1, timeout=timeout, progress=False, write_tables=False)
            data, notes = gold.write_skeleton(pdf, target, Path(tmp))
    except MGIError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"error: the parse stage is not available ({exc})", file=sys.stderr)
        return 2
    for note in notes:
        print(f"warning: {note}; those lists are empty", file=sys.stderr)
    counts = ", ".join(f"{len(data[k])} {k}" for k in gold.GOLD_LISTS)
    print(f"wrote {target} ({counts}); every item is \"checked\": false - verify, fix, set true, "
          f"then save as {Path(pdf).stem}.json in the gold folder")
    return 0


@samples_app.command("render")
def samples_render(
    source: Annotated[Path, typer.Option(help="Folder of structured sample sources.")] = Path("samples/source"),
    dest: Annotated[Path, typer.Option(help="Folder for the rendered PDFs.")] = Path("samples"),
) -> None:
    """Re-render the sample PDFs from their structured sources (deterministic).

    Needs the renderer's extra: pip install -e '.[samples]'."""
    try:
        from mgi_samples import render

        render.require_extra()
    except ModuleNotFoundError as exc:
        if exc.name not in ("reportlab", "pyphen", "mgi_samples") and not (exc.name or "").startswith("reportlab."):
            raise
        typer.echo("error: the sample renderer needs its extra (reportlab, pyphen): pip install -e '.[samples]'", err=True)
        raise typer.Exit(2)

    raise typer.Exit(render.render_command(source, dest))


def console_main() -> NoReturn:
    """The ``mgi`` command (the console script and ``python -m pipeline.cli``).

    When the command is done, the process leaves without tearing the
    interpreter down: other threads are joined, atexit handlers run and the
    standard streams are flushed as at any exit, but the ~1,000 imported
    modules (spaCy, numpy, pyarrow, pdfminer) are not finalised one by one
    (0.1-0.2 s of CPU per command; files and databases are closed by the
    commands themselves). An exception other than an exit leaves the usual
    way, with its traceback."""
    try:
        app()
        code = 0
    except SystemExit as stop:
        code = stop.code
    exit_now(code)


def exit_now(code: object) -> NoReturn:
    """Exit with ``code`` as ``SystemExit(code)`` would (None: 0; a message:
    printed to stderr, status 1), skipping the interpreter's teardown."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    main_thread = threading.main_thread()
    for thread in threading.enumerate():
        if thread is not main_thread and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said there
            pass
    os._exit(status & 0xFF)  # (as the system truncates any exit status)


if __name__ == "__main__":  # pragma: no cover
    console_main()
