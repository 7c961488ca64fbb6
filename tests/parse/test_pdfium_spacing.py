"""The PDFium character source on letter-spaced text (issue 15): PDFium
puts a space of its own between two text objects when the gap is wide; a
tracked heading set as two strings ("COVID" / "-19 ANALYSIS", Typst t00019
of the random designs) read "COVID -19 ANALYSIS". The characters must be
pdfminer's: no space where the file draws none, the file's own spaces
kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.parse import pdfium


def _pdf(parts: list[str], spacing: float, size: float = 22.0) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    x = 62.0
    for part in parts:  # each string its own text object, placed where the last one ends
        t = c.beginText(x, 700)
        t.setFont("Helvetica-Bold", size)
        t.setCharSpace(spacing)
        t.textOut(part)
        c.drawText(t)
        x += stringWidth(part, "Helvetica-Bold", size) + spacing * len(part)
    c.setFont("Helvetica", 10)
    for i in range(6):
        c.drawString(62, 600 - 14 * i, "Migration governance refers to the system of institutions and practices.")
    c.showPage()
    c.save()
    return buf.getvalue()


def _texts(path: Path) -> tuple[str, str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        miner = "".join(c["text"] for c in pdf.pages[0].chars if c["top"] < 200)
        doc = pdfium.open_document(path)
        try:
            ours, *_ = pdfium.page_objects(doc, 0, 0.0, rotated=True, fonts=pdfium.MinerFonts(pdf))
        finally:
            doc.close()
    return miner, "".join(c["text"] for c in ours if c["top"] < 200)


@pytest.mark.parametrize("spacing", [0.0, 1.0, 2.64, 4.0, 6.0])
@pytest.mark.parametrize("parts", [["COVID", "-19 ANALYSIS"], ["COVID ", "ANALYSIS"], ["COVID", " ANALYSIS"]])
def test_pdfium_spaces_of_letter_spaced_strings_are_pdfminer_s(tmp_path: Path, parts: list[str], spacing: float):
    p = tmp_path / "tracked.pdf"
    p.write_bytes(_pdf(parts, spacing))
    miner, ours = _texts(p)
    assert miner == "".join(parts)
    assert ours == miner
