"""The stage sequence: a fixed tuple of named steps, and one document through it.

``STEPS`` is parse -> segment -> extract. A step reads its input (the PDF for
``parse``, else the previous step's intermediate in ``OUT/work/<doc_id>/``),
calls its stage function, stamps the result with the run's identity (doc_id,
source file, sha256, pipeline version, config hash) and writes its own
intermediate. ``process_document`` (what a worker does with one ``Task``) is a
loop over the steps the task asks for.

Test hooks (environment variables, read by the parent when it plans the run
and handed to the workers in ``Task.hooks``; they exist only so the
test-suite can simulate failures and count parses, never set them in
production):

    MGI_TEST_HANG_ON=<file name>   the worker sleeps forever before parsing it
    MGI_TEST_CRASH_ON=<file name>  the worker SIGKILLs itself before parsing it
    MGI_TEST_PARSE_LOG=<path>      the worker appends each parsed file name

``Task.impl`` replaces a step's stage function by an importable
``"module:function"`` (``run(..., stage_functions=...)``; embedding, tests).
"""

from __future__ import annotations

import importlib
import os
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pipeline import __version__
from pipeline.config import Config
from pipeline.datamodel import DocumentRecord, Extracted, Layout, Model, Segmented
from pipeline.errors import InputError, MGIError
from pipeline.extract.stage import extract
from pipeline.ids import file_sha256
from pipeline.parse.stage import parse_pdf
from pipeline.segment.metadata import cover_metadata
from pipeline.segment.stage import segment
from pipeline.store.workdir import STAGE_FILES, read_model, write_model

ERROR_LOG = "error.log"

HOOK_HANG = "MGI_TEST_HANG_ON"
HOOK_CRASH = "MGI_TEST_CRASH_ON"
HOOK_PARSE_LOG = "MGI_TEST_PARSE_LOG"


@dataclass(frozen=True)
class Task:
    doc_id: str
    source_file: str
    sha256: str
    work: str  # OUT/work/<doc_id>
    stages: tuple[str, ...]
    path: str | None = None  # the PDF; None when starting from an intermediate
    password: str | None = None
    config_hash: str = ""
    hooks: tuple[tuple[str, str], ...] = ()
    impl: tuple[tuple[str, str], ...] = ()  # stage -> "module:function" overrides


@dataclass
class Outcome:
    record: DocumentRecord
    pages: int = 0
    skipped: bool = False
    traceback: str | None = None


def one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def stamp(doc: DocumentRecord, task: Task, **update: Any) -> DocumentRecord:
    """``doc`` with the run's identity (and ``update``) written over it."""
    fields = {
        "doc_id": task.doc_id,
        "source_file": task.source_file,
        "sha256": task.sha256,
        "pipeline_version": __version__,
        "config_hash": task.config_hash,
    }
    fields.update(update)
    return doc.model_copy(update=fields)


def base_record(task: Task) -> DocumentRecord:
    """The task's documents row before any step ran."""
    return stamp(DocumentRecord(doc_id=task.doc_id, source_file=task.source_file, sha256=task.sha256), task)


def failed_record(task: Task, reason: str, record: DocumentRecord | None = None, **extra: Any) -> DocumentRecord:
    """The documents row of a file that failed: ``reason`` is its one-line
    error; ``record`` what the steps had filled in before (else the bare row)."""
    return stamp(record if record is not None else base_record(task), task, status="failed", error=reason, **extra)


# --------------------------------------------------------------------------
# what each step does around its stage function
# --------------------------------------------------------------------------


def _run_hooks(task: Task) -> None:
    hooks = dict(task.hooks)
    name = Path(task.source_file).name
    if hooks.get(HOOK_HANG) == name:
        while True:
            time.sleep(3600)
    if hooks.get(HOOK_CRASH) == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if hooks.get(HOOK_PARSE_LOG):
        with open(hooks[HOOK_PARSE_LOG], "a", encoding="utf-8") as fh:
            fh.write(name + "\n")


def _check_unchanged(task: Task) -> None:
    """The file still has the content hashed when the run was planned: a file
    rewritten while it was read would give rows of neither version."""
    try:
        now = file_sha256(Path(task.path)) if task.path else task.sha256
    except OSError as exc:
        raise InputError(f"{Path(task.source_file).name}: became unreadable during the run ({exc.strerror or exc})") from None
    if now != task.sha256:
        raise InputError(
            f"{Path(task.source_file).name}: file changed while the run read it (sha256 differs from the start); "
            "re-run to process its new content"
        )


def _undecodable_partial(doc: DocumentRecord, layout: Layout) -> DocumentRecord:
    """Pages whose text could not be decoded, or that could not be read at
    all, leave the document incomplete: partial."""
    if doc.status == "failed":
        return doc
    if layout.error_detail:
        doc = doc.model_copy(update={"error_detail": layout.error_detail})
    reasons = [layout.unreadable_reason] if layout.unreadable_reason else []
    if layout.undecodable_pages:
        pages = ", ".join(str(n) for n in layout.undecodable_pages)
        reasons.append(f"text not decodable (fonts without a Unicode mapping) on page{'s' if len(layout.undecodable_pages) > 1 else ''} {pages}")
    if not reasons:
        return doc
    reason = "; ".join(reasons)
    return doc.model_copy(update={"status": "partial", "error": f"{doc.error}; {reason}" if doc.error else reason})


def _parse(function: Callable, task: Task, _pdf: None, config: Config) -> Layout:
    _run_hooks(task)
    layout = function(Path(task.path), config, password=task.password)
    _check_unchanged(task)
    return layout.model_copy(update={"doc_id": task.doc_id, "source_file": task.source_file, "sha256": task.sha256})


def _segment(function: Callable, task: Task, layout: Layout, config: Config) -> Segmented:
    segmented = function(layout, config)
    extra = tuple(w for w in layout.warnings if w not in segmented.warnings)
    return segmented.model_copy(
        update={"document": _undecodable_partial(stamp(segmented.document, task), layout),
                "warnings": extra + tuple(segmented.warnings)}
    )


def _extract(function: Callable, task: Task, segmented: Segmented, config: Config) -> Extracted:
    extracted = function(segmented, config)
    doc = stamp(extracted.document, task)
    if segmented.document.status == "partial" and doc.status == "ok":
        doc = doc.model_copy(update={"status": "partial", "error": doc.error or segmented.document.error})
    return extracted.model_copy(update={"document": doc})


def _layout_record(record: DocumentRecord, layout: Layout, task: Task, config: Config) -> DocumentRecord:
    return stamp(record, task, n_pages=layout.n_pages, **cover_metadata(layout, config).model_dump())


def _own_record(record: DocumentRecord, output: Segmented | Extracted, task: Task, config: Config) -> DocumentRecord:
    return output.document


# --------------------------------------------------------------------------
# the steps
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One stage of the sequence and its place in the work folder."""

    name: str
    function: Callable[..., Model]  # the stage function
    input: type[Model] | None  # the model read from ``input_file``; None: the PDF
    input_file: str | None
    output: type[Model]
    output_file: str
    # (stage function, task, input, config) -> the stamped output
    call: Callable[[Callable, Task, Any, Config], Model]
    # (documents row so far, output, task, config) -> the row once the step is done
    record: Callable[[DocumentRecord, Any, Task, Config], DocumentRecord]
    # modules the stage function imports on its first call; the pool imports
    # them before it forks workers (a module that is missing is skipped)
    lazy_imports: tuple[str, ...] = ()


STEPS: tuple[Step, ...] = (
    Step(
        "parse", parse_pdf, None, None, Layout, STAGE_FILES["parse"], _parse, _layout_record,
        # ~0.07 s of imports a worker would otherwise pay on its first file
        lazy_imports=("pdfplumber", "pdfplumber.page", "pdfminer.converter", "pypdfium2", "pypdfium2.raw", "pyphen"),
    ),
    Step("segment", segment, Layout, STAGE_FILES["parse"], Segmented, STAGE_FILES["segment"], _segment, _own_record),
    Step(
        "extract", extract, Segmented, STAGE_FILES["segment"], Extracted, STAGE_FILES["extract"], _extract, _own_record,
        lazy_imports=(
            "spacy",
            "spacy.pipeline.factories",
            "pipeline.extract.geometry",
            "pipeline.extract.statistics",
            "pipeline.extract.citations",
            "pipeline.extract.legal",
            "pipeline.extract.references",
        ),
    ),
)

STAGES: tuple[str, ...] = tuple(step.name for step in STEPS)


def _stage_function(task: Task, step: Step) -> Callable:
    spec = dict(task.impl).get(step.name)
    if spec is None:
        return step.function
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _page_count(model: Layout | Segmented) -> int:
    return model.n_pages if isinstance(model, Layout) else model.document.n_pages or 0


def process_document(task: Task, config: Config, notify: Callable[[tuple], None] = lambda m: None) -> Outcome:
    """Run ``task.stages`` on one document; never raises for a document's fault.

    The page count is reported (``notify(("pages", n))``) once, from the first
    model the task has: its first step's input, or the layout it parsed."""
    work = Path(task.work)
    record = base_record(task)
    pages: int | None = None
    try:
        # what this task redoes, and everything downstream of it, is stale
        first = STAGES.index(task.stages[0])
        if first == 0:
            work.mkdir(parents=True, exist_ok=True)
        for step in STEPS[first:]:
            (work / step.output_file).unlink(missing_ok=True)
        (work / ERROR_LOG).unlink(missing_ok=True)
        for tmp in work.glob(".*.tmp"):  # left by a killed run
            tmp.unlink(missing_ok=True)
        current: Model | None = None  # the last step's output
        for step in STEPS:
            if step.name not in task.stages:
                continue
            if current is None and step.input is not None:
                current = read_model(work / step.input_file, step.input)
                pages = _page_count(current)
                notify(("pages", pages))
            output = step.call(_stage_function(task, step), task, current, config)
            write_model(work / step.output_file, step.name, output)
            if pages is None:
                pages = _page_count(output)
                notify(("pages", pages))
            record = step.record(record, output, task, config)
            current = output
        return Outcome(record, pages or 0)
    except MGIError as exc:  # InputError, IntermediateError, ...: expected, one line
        return Outcome(failed_record(task, one_line(str(exc)), record, error_detail=exc.error_detail), pages or 0)
    except Exception as exc:  # a bug in a stage: one line on the console, traceback to error.log
        reason = one_line(f"{type(exc).__name__}: {exc}")
        return Outcome(failed_record(task, reason, record), pages or 0, traceback=traceback.format_exc())
