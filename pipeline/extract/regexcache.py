"""Regular expressions compiled once per machine, not once per process.

spaCy's French tokenizer exceptions compile a 1.45 MB ``TOKEN_MATCH``
pattern when ``spacy.lang.fr`` is imported: ~2 s of CPU in every process
that reads a French document, for a regex that never changes; its other
tokenizer patterns (10-18 KB) and our components' rules cost ~0.1 s more.
Inside ``compiled_on_disk()`` a pattern long enough is compiled by ``re``'s
own parser and code generator the first time and its SRE code kept in the
cache folder (:mod:`pipeline.text.diskcache`); later processes rebuild the
very same ``re.Pattern`` from that code (``_sre.compile``: ~20 µs). The
result equals a fresh ``re.compile`` (``Pattern.__eq__`` compares pattern,
flags and code), so tokens do not change. Only blocks whose patterns come
from configs and libraries' data use it (never a document's text: the
cache would grow with every document).

A cache file is named by the hash of the pattern, its flags and the Python
build. Anything unexpected (no folder, a damaged file, another Python)
falls back to ``re``'s compile.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from re import _compiler
from typing import Iterator

from pipeline.text import diskcache

MIN_LENGTH = 100_000
# the threshold for a block whose patterns come from configs and libraries'
# data (a bounded set, never a document's text): measured, a read costs
# ~15-20 µs, a compile ~20 µs at 10-20 characters, ~70 at 40-60, ~2 ms at 200+
BUILD_MIN_LENGTH = 20
_COMPILE = _compiler.compile  # re's own, whatever a block puts in its place


def _key(pattern: str, flags: int) -> str:
    import _sre

    return diskcache.key_of("re", str(_sre.MAGIC), str(_sre.CODESIZE), str(flags), pattern)


def _build(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands ``_sre.compile``, in plain types."""
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def compile_cached(pattern: str, flags: int = 0, folder: Path | None = None) -> re.Pattern:
    """``re.compile(pattern, flags)``, the SRE code read from (or saved to) the cache."""
    import _sre

    flags = int(flags)
    name = f"re-{_key(pattern, flags)}.marshal"
    data = diskcache.load(name, folder)
    if data is not None:
        try:
            return _sre.compile(pattern, *data)
        except Exception:  # damaged or foreign: compile it (again)
            pass
    try:
        data = _build(pattern, flags)
        compiled = _sre.compile(pattern, *data)
    except Exception:  # this Python's internals differ: the public way
        return _COMPILE(pattern, flags)
    diskcache.save(name, data, folder)
    return compiled


@contextmanager
def compiled_on_disk(folder: Path | None = None, min_length: int | None = None) -> Iterator[None]:
    """Within the block, a compile of a pattern of ``min_length`` characters
    or more (``MIN_LENGTH`` by default) goes through the cache
    (``compile_cached``): ``re.compile``, ``re.search(pattern, ...)`` and the
    like, behind ``re``'s own cache of recent patterns. Shorter patterns and
    bytes ones are compiled as usual."""
    least = MIN_LENGTH if min_length is None else min_length
    original = _compiler.compile

    def compile(p, flags=0):  # noqa: A001 - stands in for re._compiler.compile
        if isinstance(p, str) and len(p) >= least and not flags & re.DEBUG:
            return compile_cached(p, flags, folder)
        return original(p, flags)

    _compiler.compile = compile
    try:
        yield
    finally:
        _compiler.compile = original
