"""``pipeline.run.startup``: heavy imports with the collector paused, then frozen."""

from __future__ import annotations

import gc
import sys

from pipeline.run.startup import import_paused


def test_import_paused_returns_the_module_and_freezes_what_exists() -> None:
    try:
        module = import_paused("pipeline.run.startup")
        assert module is sys.modules["pipeline.run.startup"]
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
