"""``pipeline.text.collector.paused``: the garbage collector off inside."""

from __future__ import annotations

import gc

import pytest

from pipeline.text.collector import paused


def test_off_inside_and_restored_after_without_freezing() -> None:
    frozen = gc.get_freeze_count()
    with paused():
        assert not gc.isenabled()
        built = [[] for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
    assert len(built) == 1000


def test_freeze_moves_what_was_built_out_of_the_collectors_walk() -> None:
    try:
        with paused(freeze=True):
            built = [[] for _ in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(built)
    finally:
        gc.unfreeze()


def test_a_disabled_collector_stays_disabled_even_after_an_error() -> None:
    gc.disable()
    try:
        with pytest.raises(ValueError):
            with paused():
                raise ValueError("boom")
        assert not gc.isenabled()
    finally:
        gc.enable()
