"""The on-disk cache of very large compiled regexes (spaCy's French tokenizer)."""

from __future__ import annotations

import re
import sys
import tempfile
from re import _compiler

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


def test_only_long_patterns_inside_the_block_and_re_restored(tmp_path, monkeypatch):
    monkeypatch.setattr(regexcache, "MIN_LENGTH", 50)
    original = _compiler.compile
    re.purge()
    with compiled_on_disk(tmp_path):
        assert _compiler.compile is not original
        assert re.compile(PATTERN) == original(PATTERN)
        assert re.compile("a+b") == original("a+b")
    assert _compiler.compile is original
    assert len(list(tmp_path.glob("re-*.marshal"))) == 1  # the long one only


def test_block_threshold_and_every_re_function_and_nesting(tmp_path):
    re.purge()
    with compiled_on_disk(tmp_path, min_length=5):
        with compiled_on_disk(tmp_path / "inner"):  # (the default: none of these)
            assert re.search(r"(?P<y>\d{4})-x", "in 2021-x").group("y") == "2021"  # re.search compiles too
            assert re.compile("ab") == re.compile("ab")  # short: as usual
            assert re.compile(b"bytes+ pattern").match(b"bytesss pattern")
        assert re.sub(r"\s+and\s+", "&", "a  and b") == "a&b"
    assert not (tmp_path / "inner").exists()
    assert len(list(tmp_path.glob("re-*.marshal"))) == 2  # the two long str patterns


def test_read_only_folder_still_compiles(tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    assert compile_cached(PATTERN, 0, tmp_path / "ro") == re.compile(PATTERN)
    assert not list((tmp_path / "ro").iterdir())


def test_stale_key_python_build_or_flags(tmp_path, monkeypatch):
    compile_cached(PATTERN, 0, tmp_path)
    compile_cached(PATTERN, re.I, tmp_path)
    assert len(list(tmp_path.glob("re-*.marshal"))) == 2  # flags are part of the key
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert compile_cached(PATTERN, 0, tmp_path) == re.compile(PATTERN)
    assert len(list(tmp_path.glob("re-*.marshal"))) == 3
