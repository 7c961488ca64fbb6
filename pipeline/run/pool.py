"""The pool of long-lived worker processes: one file at a time each, killed on hang.

Workers are forked (``fork`` where available) after the modules the steps
import lazily are loaded, and each runs ``process_document`` on the tasks it
is sent, reporting pages as it goes. A worker that crashes (segfault,
``os._exit``, SIGKILL) or runs past the per-file timeout is killed and
replaced; only its file fails ("worker crashed (signal 9)", "timed out after
300 s"). A worker is also replaced after ``batch.max_tasks_per_worker`` files,
so the memory of long batches stays bounded. Before forking a replacement,
the parent builds the spaCy pipelines of the languages its workers have met
so far (:func:`pipeline.extract.nlp.warm`): the new worker inherits them
instead of building them again (~2 s of CPU for French).
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing as mp
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait as mp_wait
from typing import Any, Callable

from pipeline.config import Config
from pipeline.datamodel import DocumentRecord
from pipeline.run.steps import STEPS, Outcome, Task, failed_record, process_document
from pipeline.text.collector import paused


# the worker's garbage-collector thresholds: a young collection every 100,000
# new container objects instead of 700. A page's records are built and
# dropped well within that, so most die before any collection looks at
# them; cycles are rare (what collections find over the 5 real reports:
# 2,000-15,000 objects), and 100,000 young objects bound what can wait for
# the next one (a few MB). Measured on those reports, the collector's CPU
# in a worker: 0.40 s with the defaults, 0.16 s with the freeze below
# alone, 0.17-0.19 s with it and 5,000, 0.05-0.07 s with 50,000, 0.013-0.015 s
# with 100,000; peak memory 149-153 MB, 156 MB with 100,000 (one process).
WORKER_GC_THRESHOLD = (100_000, 10, 10)


def _worker_main(conn, config: Config) -> None:  # pragma: no cover - runs in a child process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    # what the worker inherits (modules, spaCy pipelines) is never garbage:
    # out of the collector's sight, so no full collection walks it again
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        outcome = process_document(task, config, notify=conn.send)
        conn.send(("done", outcome.record.model_dump_json(), outcome.pages, outcome.traceback))


def _mp_context():
    """``fork`` where available: workers start instantly, with the stage
    modules the parent already imported, and never re-run the caller's
    ``__main__``. The parent keeps no helper threads while forking (the
    progress bar is refreshed from the main loop)."""
    if "fork" in mp.get_all_start_methods():
        # imported before forking, so that no worker (a fresh one after a crash
        # or timeout included) spends its file's time budget on imports
        with paused(freeze=True):  # (as pipeline.run.startup imports)
            for module in (m for step in STEPS for m in step.lazy_imports):
                try:
                    importlib.import_module(module)
                except Exception:  # reported per document by the worker
                    pass
        return mp.get_context("fork")
    return mp.get_context("spawn")


@dataclass
class _Worker:
    proc: Any
    conn: Any
    task: Task | None = None
    started: float = 0.0
    pages: int = 0
    done: int = 0


class Pool:
    """``n`` forked workers; ``run`` hands each a task at a time."""

    def __init__(self, n: int, config: Config):
        self.ctx = _mp_context()
        self.config = config
        # a worker is replaced after this many files (memory of long batches stays bounded)
        self.max_tasks = max(1, int(config.section("batch").get("max_tasks_per_worker") or 20))
        self.languages: set[str] = set()  # of the documents done, for the pipelines a new worker inherits
        self.workers = [self._spawn() for _ in range(max(1, n))]

    def _spawn(self) -> _Worker:
        if self.languages and self.ctx.get_start_method() == "fork":
            from pipeline.extract.nlp import warm

            warm(self.languages, self.config)
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_worker_main, args=(child, self.config), daemon=True, name="mgi-worker")
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _retire(self, w: _Worker) -> str:
        """Kill a worker (if alive) and describe how it ended."""
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join(5)
        w.conn.close()
        code = w.proc.exitcode
        if code is not None and code < 0:
            return f"worker crashed (signal {-code})"
        return f"worker exited unexpectedly (code {code})"

    def _recycle(self, i: int) -> None:
        w = self.workers[i]
        try:
            w.conn.send(None)
        except OSError:
            pass
        w.proc.join(5)
        self._retire(w)
        self.workers[i] = self._spawn()

    def close(self) -> None:
        for w in self.workers:
            try:
                if w.task is None:
                    w.conn.send(None)  # finish
                else:
                    w.proc.kill()  # interrupted mid-file
            except OSError:
                pass
        deadline = time.monotonic() + 5
        for w in self.workers:
            w.proc.join(max(0.0, deadline - time.monotonic()))
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(5)
            w.conn.close()

    def run(
        self,
        tasks: list[Task],
        timeout: float | None,
        on_pages: Callable[[int], None],
        on_done: Callable[[Task, Outcome], None],
        on_tick: Callable[[], None] = lambda: None,
    ) -> None:
        pending = deque(tasks)
        while pending or any(w.task for w in self.workers):
            on_tick()
            for i, w in enumerate(self.workers):
                if w.task is None and pending:
                    task = pending.popleft()
                    try:
                        w.conn.send(task)
                    except OSError:  # the idle worker died (e.g. OOM killer): replace it, retry
                        self._retire(w)
                        self.workers[i] = w = self._spawn()
                        w.conn.send(task)
                    w.task, w.started, w.pages = task, time.monotonic(), 0
            busy = [w for w in self.workers if w.task is not None]
            wait_for = 0.5
            if timeout:
                soonest = min(w.started + timeout for w in busy) - time.monotonic()
                wait_for = max(0.0, min(wait_for, soonest))
            mp_wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for)
            for i, w in enumerate(self.workers):
                if w.task is None:
                    continue
                task = w.task
                ended: str | None = None
                finished: Outcome | None = None
                try:
                    while finished is None and w.conn.poll():
                        msg = w.conn.recv()
                        if msg[0] == "pages":
                            w.pages += msg[1]
                            on_pages(msg[1])
                        elif msg[0] == "done":
                            finished = Outcome(DocumentRecord.model_validate_json(msg[1]), msg[2], traceback=msg[3])
                except (EOFError, OSError):
                    ended = self._retire(w)
                if finished is None and ended is None and not w.proc.is_alive():
                    ended = self._retire(w)
                if finished is None and ended is None and timeout and time.monotonic() - w.started > timeout:
                    self._retire(w)
                    ended = f"timed out after {timeout:g} s"
                if finished is not None:
                    if finished.record.language:
                        self.languages.add(finished.record.language)
                    w.task = None
                    w.done += 1
                    if w.done >= self.max_tasks and pending:
                        self._recycle(i)
                    on_done(task, finished)
                elif ended is not None:
                    w.task = None
                    if pending:
                        self.workers[i] = self._spawn()
                    on_done(task, Outcome(failed_record(task, ended), w.pages))
