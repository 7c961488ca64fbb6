"""Derived data kept on disk once per machine, not rebuilt by every process.

A cache entry is a ``marshal`` file named by a key the caller derives from
everything the data depends on (the input's bytes, the library and Python
versions), so a changed input can never be served a stale entry. Files are
written atomically (a temporary file renamed); anything unexpected (no
folder, a read-only one, a damaged or foreign file) reads as a miss and a
failed write is ignored: the caller builds the data as if there were no cache.

The folder is ``$MGI_CACHE_DIR``, else ``$XDG_CACHE_HOME/mgi-pipeline``,
else ``~/.cache/mgi-pipeline``.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from pipeline.text.collector import paused


def cache_folder() -> Path:
    explicit = os.environ.get("MGI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mgi-pipeline"


def key_of(*parts: str | bytes) -> str:
    """A file-name-safe digest of ``parts`` and the Python build (marshal's
    format and the objects it rebuilds belong to one build)."""
    h = hashlib.sha256()
    for part in (sys.version, str(marshal.version), *parts):
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:32]


def load(name: str, folder: Path | None = None) -> Any:
    """The data kept under ``name``; None when there is none usable. The
    garbage collector waits meanwhile: the tens of thousands of tuples a
    load builds would trigger collections over the whole heap (in a worker
    that has read PDFs, ~4x the load itself)."""
    try:
        with paused():
            return marshal.loads(((cache_folder() if folder is None else folder) / name).read_bytes())
    except Exception:  # missing, unreadable, damaged or foreign: a miss
        return None


def save(name: str, data: Any, folder: Path | None = None) -> None:
    """Keep ``data`` under ``name`` (atomically); silently nothing when the
    folder cannot be written or the data is not marshal's."""
    folder = cache_folder() if folder is None else folder
    try:
        blob = marshal.dumps(data)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cache-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError):  # a read-only home, an unmarshallable value: built, not kept
        pass
