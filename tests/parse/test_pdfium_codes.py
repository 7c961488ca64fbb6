"""The PDFium character source's code points (issue 15, speed): the page's
text in one ``FPDFText_GetText`` call stands for ``FPDFText_GetUnicode`` per
character only where it maps one to one onto the characters; PDFium's
U+FFFE in the text (its line-end hyphen mark 2) is asked one by one, and a
page whose text leaves a character out (a control character) is read one
character at a time."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from pipeline.parse.pdfium_calls import page_codes

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /T def 1 begincodespacerange <00> <FF> endcodespacerange
%s
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _pdf(content: bytes, cmap: bytes) -> bytes:
    """A one-page PDF in Helvetica whose ToUnicode map is ``cmap``."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _read(pdf: bytes | str, index: int = 0):
    """(page codes, GetUnicode per character, GetText's units, last text index) of a page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        textpage = page.get_textpage()
        try:
            n = raw.FPDFText_CountChars(textpage.raw)
            codes = page_codes(ctypes.cast(textpage.raw, ctypes.c_void_p), n)
            each = [raw.FPDFText_GetUnicode(textpage.raw, k) for k in range(n)]
            buf = (ctypes.c_uint16 * (n + 1))()
            got = raw.FPDFText_GetText(textpage.raw, 0, n, buf)
            units = list(buf)[: max(0, got - 1)]
            last = raw.FPDFText_GetTextIndexFromCharIndex(textpage.raw, n - 1) if n else -1
            return codes, each, units, last
        finally:
            textpage.close()
            page.close()
    finally:
        doc.close()


def test_line_end_hyphen_is_asked_one_by_one():
    cmap = _CMAP % b"1 beginbfrange <20> <7E> <0020> endbfrange"
    codes, each, units, last = _read(_pdf(b"BT /F1 12 Tf 20 100 Td (exam-) Tj ET BT /F1 12 Tf 20 80 Td (ple) Tj ET", cmap))
    assert last == len(each) - 1 and len(units) == len(each)  # one to one: the bulk text is used
    assert 2 in each and 0xFFFE in units  # PDFium's hyphen mark: 2 per character, U+FFFE in the text
    assert codes == each


def test_text_without_a_control_character_falls_back():
    cmap = _CMAP % b"2 beginbfchar <41> <0003> <42> <0042> endbfchar\n1 beginbfrange <43> <5A> <0043> endbfrange"
    codes, each, units, last = _read(_pdf(b"BT /F1 12 Tf 20 100 Td (BAC DEF) Tj ET", cmap))
    assert 3 in each and 3 not in units  # the control character is not in PDFium's text ...
    assert last != len(each) - 1 and units != each  # ... which shifts it: not one to one
    assert codes == each


def test_sample_pages_equal_per_character_codes():
    for pdf in (SAMPLES / "santiago-de-chile-local-2022-latex-2col.pdf", SAMPLES / "chile-national-2019-es.pdf"):
        doc = pdfium.PdfDocument(str(pdf))
        pages = len(doc)
        doc.close()
        seen = 0
        for index in range(pages):
            codes, each, _, _ = _read(str(pdf), index)
            assert codes == each, (pdf.name, index)
            seen += len(each)
        assert seen > 1000
