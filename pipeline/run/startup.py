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

import importlib
from types import ModuleType

from pipeline.text.collector import paused


def import_paused(name: str) -> ModuleType:
    """``importlib.import_module(name)`` with the collector paused, and what
    it built frozen after."""
    with paused(freeze=True):
        return importlib.import_module(name)
