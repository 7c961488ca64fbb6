"""A command's start-up: its heavy imports with the garbage collector paused.

Importing the stages (spaCy, thinc, numpy, pdfminer, pypdfium2, pyarrow)
builds about a million objects that live until the process ends, and
almost no garbage. Each young collection during the imports walks the new
objects only to promote them (``mgi run`` over the 5 real reports: 20
collections, 0.08 s of the parent's CPU). Paused while they load, then
frozen (``gc.freeze``): what the imports built stays out of every later
collection's walk, in the parent and in the workers it forks.
"""

from __future__ import annotations

import gc
import importlib
from contextlib import contextmanager
from types import ModuleType
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector off inside, and what was built frozen after
    (the collector's own state, on or off, is restored)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def import_paused(name: str) -> ModuleType:
    """``importlib.import_module(name)`` with the collector paused."""
    with collector_paused():
        return importlib.import_module(name)
