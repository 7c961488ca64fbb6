"""The run's files on a Dask distributed cluster (``mgi run --scheduler tcp://host:8786``).

``ClusterPool`` has the interface of the local ``Pool``: each task is one
Dask task (``document_task``) that runs ``process_document`` in a child
process of the Dask worker, so the per-file timeout and crash rules are the
local ones: a file that runs past the timeout is killed ("timed out after
300 s"), a child that crashes fails only its file ("worker crashed (signal
9)"). The parent (the ``mgi run`` process) writes the status rows and the
Parquet datasets, as with the local pool; the workers write the
intermediates to ``OUT/work/<doc_id>/``, so OUT must be on storage every
worker sees at the same path (a shared filesystem).

A Dask worker that dies mid-file (killed, out of memory) is handled by Dask:
its tasks are run again on another worker; a task whose workers keep dying
(``distributed.scheduler.allowed-failures``) fails its file ("Dask worker
lost ..."). Each file gives exactly one outcome either way.

Run as ``python -m pipeline.run.cluster``: the child side (a pickled
``(task, config)`` on stdin, the pickled result on stdout).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import replace
from typing import Any, Callable

from pipeline.config import Config
from pipeline.datamodel import DocumentRecord
from pipeline.errors import InputError
from pipeline.run.steps import Outcome, Task, failed_record, one_line, process_document

CONNECT_TIMEOUT = "20s"


def _failed(task: Task, reason: str, pages: int = 0) -> tuple[str, int, str | None]:
    return failed_record(task, reason).model_dump_json(), pages, None


def document_task(task: Task, config: Config, timeout: float | None) -> tuple[str, int, str | None]:
    """One file on a Dask worker: ``process_document`` in a child process,
    killed after ``timeout`` seconds. Returns (documents row as JSON, pages,
    traceback or None)."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.run.cluster"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        data, _ = proc.communicate(pickle.dumps((task, config)), timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return _failed(task, f"timed out after {timeout:g} s")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode < 0:
        return _failed(task, f"worker crashed (signal {-proc.returncode})")
    try:
        return pickle.loads(data)
    except Exception:
        return _failed(task, f"worker exited unexpectedly (code {proc.returncode})")


def _child() -> None:  # pragma: no cover - runs in the child process
    parent = os.getppid()

    def orphaned() -> None:  # the Dask worker died: stop too (its file is run again elsewhere)
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=orphaned, daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    task, config = pickle.loads(sys.stdin.buffer.read())
    outcome = process_document(task, config)
    sys.stdout.buffer.write(pickle.dumps((outcome.record.model_dump_json(), outcome.pages, outcome.traceback)))
    sys.stdout.buffer.flush()


class ClusterPool:
    """The local ``Pool``'s interface over a ``distributed.Client``."""

    def __init__(self, address: str, config: Config):
        try:
            from distributed import Client
        except ImportError:
            raise InputError("--scheduler needs Dask: pip install 'mgi-pipeline[dask]'") from None
        self.config = config
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {address}: {one_line(str(exc))}") from None

    def run(self, tasks: list[Task], timeout: float | None, on_pages: Callable[[int], None],
            on_done: Callable[[Task, Outcome], None], on_tick: Callable[[], None] = lambda: None) -> None:
        from distributed import as_completed

        run_id = uuid.uuid4().hex[:8]
        futures = {}
        for task in tasks:
            # absolute paths: a worker elsewhere has another working directory (the same shared mount is assumed)
            remote = replace(task, work=os.path.abspath(task.work), path=os.path.abspath(task.path) if task.path else None)
            fut = self.client.submit(document_task, remote, self.config, timeout, key=f"mgi-{run_id}-{task.doc_id}", pure=False)
            futures[fut.key] = (fut, task)
        with self.client.as_current():  # as_completed finds its client there
            for fut in as_completed([f for f, _ in futures.values()]):
                task = futures[fut.key][1]
                on_tick()
                if fut.status == "finished":
                    record_json, pages, trace = fut.result()
                    outcome = Outcome(DocumentRecord.model_validate_json(record_json), pages, traceback=trace)
                else:
                    exc: Any = fut.exception()
                    reason = f"Dask worker lost ({one_line(str(exc), 200)})" if type(exc).__name__ == "KilledWorker" else \
                        one_line(f"Dask: {type(exc).__name__}: {exc}")
                    outcome = Outcome(failed_record(task, reason))
                fut.release()
                on_pages(outcome.pages)
                on_done(task, outcome)

    def close(self) -> None:
        self.client.close()


if __name__ == "__main__":  # pragma: no cover
    _child()
