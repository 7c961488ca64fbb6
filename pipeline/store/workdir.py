"""The work folder: per-document intermediates, written atomically.

Layout::

    OUT/work/<doc_id>/layout.json      parse
    OUT/work/<doc_id>/segments.json    segment
    OUT/work/<doc_id>/extracted.json   extract
    OUT/work/<doc_id>/status.json      the document's last status row

Each JSON file is ``{"sha256": <of payload>, "stage": ..., "payload": {...}}``;
a file whose checksum or schema does not match is reported as an
``IntermediateError`` and redone by the caller, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import IntermediateError

STAGE_FILES = {
    "parse": "layout.json",
    "segment": "segments.json",
    "extract": "extracted.json",
}
STATUS_FILE = "status.json"  # the document's last status row

M = TypeVar("M", bound=BaseModel)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what an ordinary open() would give


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename.

    The file gets ordinary permissions (0666 minus the umask), not the
    owner-only mode of the temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def doc_dir(out: Path, doc_id: str) -> Path:
    return Path(out) / "work" / doc_id


def write_model(path: Path, stage: str, model: BaseModel) -> None:
    path = Path(path)
    payload = model.model_dump_json()
    digest = hashlib.sha256(payload.encode()).hexdigest()
    # payload is embedded verbatim so the checksum can be re-verified
    data = '{"stage": %s, "sha256": "%s", "payload": %s}\n' % (json.dumps(stage), digest, payload)
    try:
        if path.stat().st_size == len(data.encode()) and path.read_bytes() == data.encode():
            return  # already there, byte for byte (a re-run's status rows): no write, no fsync
    except OSError:
        pass
    atomic_write_bytes(path, data.encode())


def read_model(path: Path, cls: type[M]) -> M:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IntermediateError.of("E201", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IntermediateError.of("E202", path=path, reason=exc) from None
    start = raw.find('"payload": ')
    if not raw.startswith('{"stage": ') or start < 0:
        raise IntermediateError.of("E203", path=path)
    payload = raw[start + len('"payload": ') :].rstrip()
    if not payload.endswith("}"):
        raise IntermediateError.of("E204", path=path)
    payload = payload[:-1]  # the envelope's closing brace
    header = raw[:start]
    m = re.search(r'"sha256": "([0-9a-f]{64})"', header)
    if not m or hashlib.sha256(payload.encode()).hexdigest() != m.group(1):
        raise IntermediateError.of("E205", path=path)
    try:
        return cls.model_validate_json(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise IntermediateError.of("E206", path=path, loc=loc, msg=first["msg"]) from None
