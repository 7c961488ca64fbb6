"""``pipeline.run.startup``: heavy imports with the collector paused."""

from __future__ import annotations

import gc
import sys

from pipeline.run.startup import collector_paused, import_paused


def test_the_collector_is_off_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        built = [[] for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)  # what was built is out of the collector's walk
    gc.unfreeze()


def test_a_disabled_collector_stays_disabled_even_after_an_error() -> None:
    gc.disable()
    try:
        try:
            with collector_paused():
                raise ValueError("boom")
        except ValueError:
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_import_paused_returns_the_module() -> None:
    module = import_paused("pipeline.run.startup")
    assert module is sys.modules["pipeline.run.startup"]
    assert gc.isenabled()
    gc.unfreeze()
