"""Opening a PDF file: the checks before pdfminer sees it, pdfminer's
exceptions as one-line ``InputError`` reasons, and a damaged cross-reference
table rebuilt by scanning the objects."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import DamagedPDFError, InputError


def check_file(path: Path) -> None:
    name = path.name
    if not path.exists():
        raise InputError.of("E101", name=name)
    if path.is_dir():
        raise InputError.of("E102", name=name)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError.of("E103", name=name, detail=exc.strerror or str(exc)) from None
    if size == 0:
        raise InputError.of("E104", name=name)
    if b"%PDF-" not in head:
        shown = head[:8].decode("latin-1")
        shown = "".join(ch if " " <= ch <= "~" else "." for ch in shown)  # ASCII only: binary junk stays readable
        raise InputError.of("E105", name=name, start=shown)


def pdf_error(name: str, exc: BaseException, password: str | None) -> InputError:
    """Map pdfminer / pdfplumber exceptions to a one-line InputError: an
    encrypted file, else a ``DamagedPDFError`` (worth recovering; pdfminer's
    exception is its ``error_detail``)."""
    inner = getattr(exc, "args", [None])[0] if type(exc).__name__ == "PdfminerException" else exc
    if not isinstance(inner, BaseException):
        inner = exc
    kind = type(inner).__name__
    if kind in ("PDFPasswordIncorrect",):
        if password:
            return InputError.of("E106", name=name)
        return InputError.of("E107", name=name)
    if kind in ("PDFEncryptionError", "PDFEncryptionWarning"):
        return InputError.of("E108", name=name, detail=str(inner))
    detail = " ".join(str(inner).split())[:300]
    return DamagedPDFError.of("E109", name=name, error_detail=f"pdfminer: {kind}: {detail}" if detail else f"pdfminer: {kind}")


def ends_complete(path: Path) -> bool:
    """Whether the file ends with its %%EOF marker (not cut short)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 1024))
        return b"%%EOF" in fh.read()


_OBJ_RE = re.compile(rb"(?:^|[\r\n])(\d{1,10})[ \t]+(\d{1,5})[ \t]+obj\b")
_TRAILER_RE = re.compile(rb"trailer\s*(<<.*?>>)\s*startxref", re.S)
_CATALOG_RE = re.compile(rb"/Type\s*/Catalog\b")


def rebuilt_xref(data: bytes) -> bytes | None:
    """``data`` with a fresh cross-reference section appended: the offset of
    every "N G obj" found by scanning the file (the last one wins, as in an
    incremental update) and the last trailer dictionary (or one naming the
    catalog object when the trailer is gone). None when nothing is found."""
    offsets: dict[int, tuple[int, int]] = {}
    catalog = None
    for m in _OBJ_RE.finditer(data):
        start = m.start(1)
        offsets[int(m.group(1))] = (start, int(m.group(2)))
        end = data.find(b"endobj", m.end())
        if _CATALOG_RE.search(data, m.end(), end if end > 0 else len(data)):
            catalog = int(m.group(1))
    if not offsets:
        return None
    size = max(offsets) + 1
    trailers = list(_TRAILER_RE.finditer(data))
    if trailers:
        trailer = re.sub(rb"/(?:Prev|Size|XRefStm)\s+\d+", b"", trailers[-1].group(1))
        trailer = b"<< /Size %d " % size + trailer[2:]
    elif catalog is not None:
        trailer = b"<< /Size %d /Root %d 0 R >>" % (size, catalog)
    else:
        return None
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        if n in offsets:
            out += b"%010d %05d n \n" % offsets[n]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def open_pdf(path: Path, password: str | None, rebuild_xref: bool):
    import io

    import pdfplumber

    if not rebuild_xref:
        return pdfplumber.open(path, password=password or "")
    repaired = rebuilt_xref(path.read_bytes())
    if repaired is None:
        raise InputError.of("E111", name=path.name)
    return pdfplumber.open(io.BytesIO(repaired), password=password or "")
