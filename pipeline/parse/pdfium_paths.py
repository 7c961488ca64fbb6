"""Drawn objects (lines, rects, curves) of a page read by PDFium, as
pdfminer's layout gives them (``pipeline.parse.chars.page_objects``): the
records the rule and figure searches read."""

from __future__ import annotations

import ctypes
from functools import lru_cache

# PDFium's path segment types (fpdf_edit.h)
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2


def drawn_paths(raw, page, mb_top: float, graphics: list[dict] | None) -> list[dict]:
    """The page's lines and rects (and, into ``graphics``, every line, rect
    and curve) as pdfminer makes them: each subpath of a path on its own,
    classified by its operators (``ml`` a line, a closed axis-aligned
    ``mlllh`` a rect, else a curve), boxed by its points (no stroke width),
    form XObjects included."""
    lines: list[dict] = []
    rects: list[dict] = []
    state = (ctypes.c_int(), ctypes.c_int(), ctypes.c_float(), ctypes.c_float(), raw.FS_MATRIX())
    stack = [(page.raw, raw.FPDFPage_CountObjects(page.raw), raw.FPDFPage_GetObject, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)]
    while stack:
        parent, count, get, outer, depth = stack.pop()
        for i in range(max(0, count)):
            obj = get(parent, i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM and depth < 4:
                m = _matrix(raw, obj, state[4])
                if m is not None:
                    stack.append((obj, raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, _mult(m, outer), depth + 1))
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                for item in _subpaths(raw, obj, outer, mb_top, state):
                    if item["kind"] == "line":
                        lines.append(item)
                    elif item["kind"] == "rect":
                        rects.append(item)
                    if graphics is not None:
                        graphics.append(item)
    return lines + rects


def _matrix(raw, obj, buf) -> tuple | None:
    if not raw.FPDFPageObj_GetMatrix(obj, buf):
        return None
    return (buf.a, buf.b, buf.c, buf.d, buf.e, buf.f)


def _mult(m, n) -> tuple:
    """``m`` then ``n`` (row vectors, as PDF matrices multiply)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


@lru_cache(maxsize=1)
def _fast():
    """The per-segment PDFium calls as plain C prototypes (handles passed as
    integers): pypdfium2's typed pointers cost more than the calls."""
    import pypdfium2.raw as raw

    vp, i, fp = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)

    def proto(fn, restype, *argtypes):
        return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, vp).value)

    return (
        proto(raw.FPDFPath_GetPathSegment, vp, vp, i),
        proto(raw.FPDFPathSegment_GetType, i, vp),
        proto(raw.FPDFPathSegment_GetPoint, i, vp, fp, fp),
        proto(raw.FPDFPathSegment_GetClose, i, vp),
    )


def _subpaths(raw, obj, outer, mb_top: float, state) -> list[dict]:
    fillmode, stroke, px, py, buf = state
    m = _matrix(raw, obj, buf)
    if m is None:
        return []
    a, b, c, d, e, f = _mult(m, outer)
    raw.FPDFPath_GetDrawMode(obj, fillmode, stroke)
    fill = bool(fillmode.value)
    paths: list[list[tuple[str, float, float]]] = []
    bezier = 0
    get_segment, get_type, get_point, get_close = _fast()
    handle = ctypes.cast(obj, ctypes.c_void_p).value
    for k in range(max(0, raw.FPDFPath_CountSegments(obj))):
        seg = get_segment(handle, k)
        if not seg:  # no segment: PDFium gives it no point either
            continue
        kind = get_type(seg)
        if not get_point(seg, px, py):
            continue
        x, y = px.value, py.value
        point = (round(a * x + c * y + e, 3), round(b * x + d * y + f, 3))
        if kind == _MOVETO or not paths:
            paths.append([("m", *point)])
            bezier = 0
        elif kind == _BEZIERTO:  # three segments per curve: pdfminer keeps the end point
            bezier += 1
            if bezier % 3 == 0:
                paths[-1].append(("c", *point))
        else:
            paths[-1].append(("l", *point))
        if get_close(seg):
            paths[-1].append(("h", *paths[-1][0][1:]))
    items = []
    for path in paths:
        shape = "".join(op for op, _, _ in path)
        pts = [(x, y) for _, x, y in path]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:  # pdfminer drops the redundant "l"
            shape = shape[:-2] + "h"
            pts.pop(-2)
        if shape in ("ml", "mlh"):
            kind = "line"
        elif shape in ("mlllh", "mllll") and len(pts) == 5:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            kind = "rect" if pts[0] == pts[4] and square else "curve"
        else:
            kind = "curve"
        if shape == "m":  # a lone move draws nothing (pdfminer makes a one-point curve)
            kind = "curve"
        xs, ys = [x for x, _ in pts], [y for _, y in pts]
        item = {"x0": min(xs), "x1": max(xs), "top": mb_top - max(ys), "bottom": mb_top - min(ys), "kind": kind, "fill": fill}
        if kind == "curve":
            item["points"] = len(pts)
        items.append(item)
    return items
