"""``pipeline.text.diskcache``: where the cache folder is, and what a load
does with the garbage collector."""

from __future__ import annotations

import gc

from pipeline.text import diskcache


def test_cache_folder_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MGI_CACHE_DIR", str(tmp_path / "c"))
    assert diskcache.cache_folder() == tmp_path / "c"
    monkeypatch.delenv("MGI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert diskcache.cache_folder() == tmp_path / "x" / "mgi-pipeline"


def test_a_load_leaves_the_collector_as_it_found_it_and_freezes_nothing(tmp_path):
    diskcache.save("entry.marshal", {"a": [1, 2, 3]}, tmp_path)
    frozen = gc.get_freeze_count()
    assert diskcache.load("entry.marshal", tmp_path) == {"a": [1, 2, 3]}
    assert diskcache.load("missing.marshal", tmp_path) is None
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
