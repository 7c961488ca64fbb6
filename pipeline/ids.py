"""Identity of an input file: its content hash and the document id made from it.

Shared bottom: the parse stage stamps layouts with them, the runner keys its
cache and manifest on them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def slugify(stem: str, max_len: int = 48) -> str:
    text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return (text[:max_len].strip("-")) or "doc"


def make_doc_id(path: Path, sha256: str) -> str:
    """Deterministic and readable: ``<slug of file stem>-<8 hex of content hash>``."""
    return f"{slugify(Path(path).stem)}-{sha256[:8]}"
