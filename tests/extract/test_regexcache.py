"""The on-disk cache of very large compiled regexes (spaCy's French tokenizer)."""

from __future__ import annotations

import re

from pipeline.extract import regexcache
from pipeline.extract.regexcache import compile_cached, compiled_on_disk

PATTERN = "(?iu)" + "|".join(f"(?:^{w}[-‐][a-zà-ÿ]+$)" for w in ("faux", "demi", "anti", "entre")) + "|(?P<x>l')"


def test_same_pattern_as_re_compile_first_and_from_disk(tmp_path):
    fresh = re.compile(PATTERN)
    first = compile_cached(PATTERN, 0, tmp_path)
    files = list(tmp_path.glob("re-*.marshal"))
    assert len(files) == 1
    again = compile_cached(PATTERN, 0, tmp_path)
    for compiled in (first, again):
        assert compiled == fresh  # pattern, flags and SRE code equal
        assert compiled.groupindex == fresh.groupindex
        assert compiled.match("Faux-vampire") and not compiled.match("faux vampire")


def test_damaged_cache_file_is_rebuilt(tmp_path):
    compile_cached(PATTERN, re.M, tmp_path)
    (path,) = tmp_path.glob("re-*.marshal")
    path.write_bytes(b"not marshal")
    assert compile_cached(PATTERN, re.M, tmp_path) == re.compile(PATTERN, re.M)
    assert path.read_bytes() != b"not marshal"


def test_unwritable_folder_still_compiles(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert compile_cached(PATTERN, 0, blocker / "sub") == re.compile(PATTERN)


def test_only_long_patterns_inside_the_block_and_re_compile_restored(tmp_path, monkeypatch):
    monkeypatch.setattr(regexcache, "MIN_LENGTH", 50)
    original = re.compile
    with compiled_on_disk(tmp_path):
        assert re.compile is not original
        assert re.compile(PATTERN) == original(PATTERN)
        assert re.compile("a+b") == original("a+b")
    assert re.compile is original
    assert len(list(tmp_path.glob("re-*.marshal"))) == 1  # the long one only


def test_cache_folder_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MGI_CACHE_DIR", str(tmp_path / "c"))
    assert regexcache.cache_folder() == tmp_path / "c"
    monkeypatch.delenv("MGI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert regexcache.cache_folder() == tmp_path / "x" / "mgi-pipeline"
