"""Very large regular expressions compiled once per machine, not once per process.

spaCy's French tokenizer exceptions compile a 1.45 MB ``TOKEN_MATCH``
pattern when ``spacy.lang.fr`` is imported: ~2 s of CPU in every process
that reads a French document, for a regex that never changes. Inside
``compiled_on_disk()`` a pattern of ``MIN_LENGTH`` characters or more is
compiled by ``re``'s own parser and code generator the first time and its
SRE code kept in the cache folder; later processes rebuild the very same
``re.Pattern`` from that code (``_sre.compile``: milliseconds). The result
equals a fresh ``re.compile`` (``Pattern.__eq__`` compares pattern, flags
and code), so tokens do not change.

The folder is ``$MGI_CACHE_DIR``, else ``$XDG_CACHE_HOME/mgi-pipeline``,
else ``~/.cache/mgi-pipeline``; a cache file is named by the hash of the
pattern, its flags and the Python build. Anything unexpected (no folder, a
damaged file, another Python) falls back to ``re.compile``.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

MIN_LENGTH = 100_000


def cache_folder() -> Path:
    explicit = os.environ.get("MGI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mgi-pipeline"


def _key(pattern: str, flags: int) -> str:
    import _sre

    h = hashlib.sha256()
    for part in (sys.version, str(_sre.MAGIC), str(_sre.CODESIZE), str(flags)):
        h.update(part.encode() + b"\0")
    h.update(pattern.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


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
    folder = cache_folder() if folder is None else folder
    path = folder / f"re-{_key(pattern, flags)}.marshal"
    try:
        data = marshal.loads(path.read_bytes())
        return _sre.compile(pattern, *data)
    except Exception:  # missing, damaged or foreign: compile it (again)
        pass
    try:
        data = _build(pattern, flags)
        compiled = _sre.compile(pattern, *data)
    except Exception:  # this Python's internals differ: the public way
        return re.compile(pattern, flags)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".re-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(data))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:  # a read-only home: compiled, not kept
        pass
    return compiled


@contextmanager
def compiled_on_disk(folder: Path | None = None) -> Iterator[None]:
    """Within the block, ``re.compile`` of a pattern of ``MIN_LENGTH``
    characters or more goes through the cache (``compile_cached``); shorter
    patterns, bytes patterns and compiled ones as usual."""
    original = re.compile

    def compile(pattern, flags=0):  # noqa: A001 - stands in for re.compile
        if isinstance(pattern, str) and len(pattern) >= MIN_LENGTH:
            return compile_cached(pattern, flags, folder)
        return original(pattern, flags)

    re.compile = compile
    try:
        yield
    finally:
        re.compile = original
