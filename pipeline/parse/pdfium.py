"""A second character source: PDFium (pypdfium2's raw API), giving the same
character and drawn-object records as ``pipeline.parse.chars.page_objects``
(the pdfminer device).

Today it reads the pages pdfminer cannot (a damaged cross-reference table,
a broken font or content stream: ``pipeline.parse.recovery``); it is built
to become a full engine later (issue 15): characters come from PDFium's
text page with their own boxes (its generated spaces and line breaks are
skipped), lines / rects / curves from its page objects.

Coordinates are pdfplumber's: x in user space, ``top`` / ``bottom`` measured
down from the top of the MediaBox. Pages are read without their /Rotate
(text drawn upright in unrotated space reads upright, as in the pdfminer
path's second reading of turned pages).
"""

from __future__ import annotations

import ctypes
from pathlib import Path

# PDFium's path segment types (fpdf_edit.h)
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2


def open_document(source: Path | bytes, password: str | None = None):
    """A ``pypdfium2.PdfDocument``; raises PDFium's own error when it cannot."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(source if isinstance(source, bytes) else str(source), password=password or None)


def page_size(doc, index: int) -> tuple[float, float, float, float]:
    """The MediaBox (x0, y0, x1, y1) of page ``index``, normalised."""
    page = doc[index]
    try:
        x0, y0, x1, y1 = page.get_mediabox()
    finally:
        page.close()
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def page_objects(doc, index: int, initial_doctop: float = 0.0, graphics: list[dict] | None = None):
    """(chars, lines + rects, width, height) of page ``index`` (0-based),
    with the dict keys of ``pipeline.parse.chars.page_objects``."""
    import pypdfium2.raw as raw

    page = doc[index]
    try:
        x0, y0, x1, y1 = page.get_mediabox()
        mb_y1 = max(y0, y1)
        width, height = abs(x1 - x0), abs(y1 - y0)
        textpage = page.get_textpage()
        try:
            chars = _chars(raw, textpage, mb_y1, initial_doctop)
        finally:
            textpage.close()
        rules = _drawn(raw, page, mb_y1, graphics)
    finally:
        page.close()
    return chars, rules, width, height


def _chars(raw, textpage, mb_top: float, doctop0: float) -> list[dict]:
    tp = textpage.raw
    n = raw.FPDFText_CountChars(tp)
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    chars: list[dict] = []
    pending_high = None
    for k in range(max(0, n)):
        if raw.FPDFText_IsGenerated(tp, k) == 1:  # PDFium's own spaces and line breaks
            continue
        code = raw.FPDFText_GetUnicode(tp, k)
        if 0xD800 <= code < 0xDC00:  # a surrogate pair: two PDFium characters, one glyph
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000 and pending_high is not None:
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
        pending_high = None
        if code == 2:  # PDFium's mark for a hyphen at a line end: the hyphen as printed
            code = 0x2D
        if code in (0, 0xFFFE, 0xFFFF) or raw.FPDFText_HasUnicodeMapError(tp, k) == 1:
            text = "\ufffd"  # no Unicode mapping: flagged like pdfminer's "(cid:NN)"
        else:
            text = chr(code)
        if text in ("\r", "\n"):
            continue
        if not raw.FPDFText_GetLooseCharBox(tp, k, rect):
            continue
        size = float(raw.FPDFText_GetFontSize(tp, k))
        got = raw.FPDFText_GetFontInfo(tp, k, name, len(name), flags)
        fontname = name.value.decode("utf-8", "replace") if got else ""
        a = d = 1.0
        b = c = 0.0
        if raw.FPDFText_GetMatrix(tp, k, matrix):
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        cx0, cx1 = sorted((rect.left, rect.right))
        cy0, cy1 = sorted((rect.bottom, rect.top))
        upright = a * d > 0 and b * c <= 0
        if upright and a > 0 and raw.FPDFText_GetCharOrigin(tp, k, ox, oy) and ox.value < cx1:
            cx0 = ox.value  # pdfminer's box starts at the origin, not at the glyph's ink
        if upright and size > 0:  # pdfminer's box: one em tall from the descent
            cy1 = cy0 + size
        w, h = cx1 - cx0, cy1 - cy0
        top = mb_top - cy1
        last = chars[-1] if chars else None
        if last is not None and (last["x0"], last["x1"], last["top"]) == (cx0, cx1, top) and w > 0:
            last["text"] += text  # one glyph PDFium spells as several characters (a ligature: "fi")
            continue
        chars.append({
            "text": text, "fontname": fontname, "size": size if size > 0 else h, "upright": upright,
            "forward": a > 0, "x0": cx0, "x1": cx1, "top": top, "bottom": mb_top - cy0,
            "doctop": doctop0 + top, "width": w, "height": h,
        })
    return chars


def _drawn(raw, page, mb_top: float, graphics: list[dict] | None) -> list[dict]:
    lines: list[dict] = []
    rects: list[dict] = []
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    px, py = ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,), max_depth=3):
        try:
            m = obj.get_matrix()
            bounds = obj.get_bounds()  # includes the stroke width, unlike pdfminer's
        except Exception:  # a path PDFium cannot measure
            continue
        n = raw.FPDFPath_CountSegments(obj.raw)
        kinds, points = [], []
        for k in range(max(0, n)):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, k)
            kinds.append(raw.FPDFPathSegment_GetType(seg))
            if raw.FPDFPathSegment_GetPoint(seg, px, py):
                x, y = px.value, py.value
                points.append((round(m.a * x + m.c * y + m.e, 2), round(m.b * x + m.d * y + m.f, 2)))
        if points and obj.level == 0:  # pdfminer measures the points
            left, right = min(x for x, _ in points), max(x for x, _ in points)
            bottom, top = min(y for _, y in points), max(y for _, y in points)
        else:
            left, bottom, right, top = bounds
        raw.FPDFPath_GetDrawMode(obj.raw, fillmode, stroke)
        kind = _path_kind(kinds, points)
        item = {"x0": left, "x1": right, "top": mb_top - top, "bottom": mb_top - bottom, "kind": kind,
                "fill": bool(fillmode.value)}
        if kind == "curve":
            item["points"] = len(points)
        else:
            (lines if kind == "line" else rects).append(item)
        if graphics is not None:
            graphics.append(item)
    return lines + rects


def _path_kind(kinds: list[int], points: list[tuple[float, float]]) -> str:
    """pdfminer's classification: two points make a line, an axis-aligned
    closed four-sided path a rect, anything else (Béziers) a curve."""
    if _BEZIERTO in kinds or not points:
        return "curve"
    if len(points) == 2:
        return "line"
    corners = points[:4]
    if len(points) in (4, 5) and (len(points) == 4 or points[4] == points[0]):
        xs = {x for x, _ in corners}
        ys = {y for _, y in corners}
        if len(xs) <= 2 and len(ys) <= 2:
            return "rect"
    return "curve"
