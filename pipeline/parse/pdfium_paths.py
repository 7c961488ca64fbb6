"""Drawn objects (lines, rects, curves) of a page read by PDFium, as
pdfminer's layout gives them (``pipeline.parse.chars.page_objects``): the
records the rule and figure searches read."""

from __future__ import annotations

import ctypes
from functools import lru_cache

# PDFium's path segment types (fpdf_edit.h)
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2


class _Handle(ctypes.c_void_p):
    """A PDFium handle as returned: kept a ``c_void_p`` (a subclass is not
    turned into an int), so it is passed on as it is."""


@lru_cache(maxsize=1)
def _fast():
    """The per-object and per-segment PDFium calls as plain C prototypes
    without argument types (handles passed as ``_Handle``, out-parameters
    by ``byref``): ctypes' conversion of typed arguments costs more than
    the calls."""
    import pypdfium2.raw as raw

    from pipeline.parse.pdfium_calls import proto

    i = ctypes.c_int
    return (
        proto(raw.FPDFPage_CountObjects, i),
        proto(raw.FPDFPage_GetObject, _Handle),
        proto(raw.FPDFFormObj_CountObjects, i),
        proto(raw.FPDFFormObj_GetObject, _Handle),
        proto(raw.FPDFPageObj_GetType, i),
        proto(raw.FPDFPageObj_GetMatrix, i),
        proto(raw.FPDFPath_GetDrawMode, i),
        proto(raw.FPDFPath_CountSegments, i),
        proto(raw.FPDFPath_GetPathSegment, _Handle),
        proto(raw.FPDFPathSegment_GetType, i),
        proto(raw.FPDFPathSegment_GetPoint, i),
        proto(raw.FPDFPathSegment_GetClose, i),
    )


def page_walk(page) -> tuple[dict[int, int], list[tuple]]:
    """One walk of a page's objects (``page.raw``), forms in place down to
    four levels: each text object's place in the content stream (by its
    handle's address) and the page's path objects and forms, per level
    (``(PATH, handle)`` / ``(FORM, handle, its level)``), for
    ``drawn_paths``."""
    import pypdfium2.raw as raw

    count_page, get_page_object, count_form, get_form_object, get_type = _fast()[:5]
    text_kind, path_kind, form_kind = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
    order: dict[int, int] = {}

    def level(parent, count: int, get, depth: int) -> list[tuple]:
        found: list[tuple] = []
        for i in range(count):
            obj = get(parent, i)
            kind = get_type(obj)
            if kind == text_kind:
                order[obj.value] = len(order)
            elif kind == path_kind:
                found.append((path_kind, obj))
            elif kind == form_kind and depth < 4:
                found.append((form_kind, obj, level(obj, count_form(obj), get_form_object, depth + 1)))
        return found

    handle = ctypes.cast(page.raw, _Handle)
    return order, level(handle, count_page(handle), get_page_object, 0)


def drawn_paths(raw, levels: list[tuple], mb_top: float, graphics: list[dict] | None) -> list[dict]:
    """The page's lines and rects (and, into ``graphics``, every line, rect
    and curve) as pdfminer makes them: each subpath of a path on its own,
    classified by its operators (``ml`` a line, a closed axis-aligned
    ``mlllh`` a rect, else a curve), boxed by its points (no stroke width),
    form XObjects included (``levels``: from ``page_walk``; a form's paths
    after its level's own)."""
    lines: list[dict] = []
    rects: list[dict] = []
    fillmode, stroke, px, py, buf = ctypes.c_int(), ctypes.c_int(), ctypes.c_float(), ctypes.c_float(), raw.FS_MATRIX()
    state = (ctypes.byref(fillmode), fillmode, ctypes.byref(stroke), ctypes.byref(px), px, ctypes.byref(py), py,
             ctypes.byref(buf), buf, {})  # (the last: a coordinate -> it rounded to 3 places)
    path_kind = raw.FPDF_PAGEOBJ_PATH
    stack = [(levels, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))]
    while stack:
        found, outer = stack.pop()
        for entry in found:
            if entry[0] == path_kind:
                for item in _subpaths(entry[1], outer, mb_top, state):
                    if item["kind"] == "line":
                        lines.append(item)
                    elif item["kind"] == "rect":
                        rects.append(item)
                    if graphics is not None:
                        graphics.append(item)
            else:
                m = _matrix(entry[1], state)
                if m is not None:
                    stack.append((entry[2], _mult(m, outer)))
    return lines + rects


def _matrix(obj, state) -> tuple | None:
    if not _fast()[5](obj, state[7]):
        return None
    buf = state[8]
    return (buf.a, buf.b, buf.c, buf.d, buf.e, buf.f)


def _mult(m, n) -> tuple:
    """``m`` then ``n`` (row vectors, as PDF matrices multiply)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _subpaths(obj, outer, mb_top: float, state) -> list[dict]:
    fillmode_ref, fillmode, stroke_ref, px_ref, px, py_ref, py, _, _, memo = state
    rounded = memo.get
    m = _matrix(obj, state)
    if m is None:
        return []
    a, b, c, d, e, f = _mult(m, outer)
    _, _, _, _, _, _, draw_mode, count_segments, get_segment, get_type, get_point, get_close = _fast()
    draw_mode(obj, fillmode_ref, stroke_ref)
    fill = bool(fillmode.value)
    paths: list[tuple[list[str], list[tuple[float, float]]]] = []  # (operators, points) of each subpath
    ops: list[str] | None = None
    pts: list[tuple[float, float]] = []
    bezier = 0
    for k in range(count_segments(obj)):
        seg = get_segment(obj, k)
        if not seg:  # no segment: PDFium gives it no point either
            continue
        kind = get_type(seg)
        if not get_point(seg, px_ref, py_ref):
            continue
        x = px.value
        y = py.value
        u = a * x + c * y + e
        v = b * x + d * y + f
        ru = rounded(u)  # (a page repeats its coordinates: each is rounded once)
        if ru is None:
            ru = round(u, 3)
            if u:  # (not a zero: -0.0 == 0.0 as a key, but rounds to -0.0)
                memo[u] = ru
        rv = rounded(v)
        if rv is None:
            rv = round(v, 3)
            if v:
                memo[v] = rv
        point = (ru, rv)
        if kind == _MOVETO or ops is None:
            ops, pts = ["m"], [point]
            paths.append((ops, pts))
            bezier = 0
        elif kind == _BEZIERTO:  # three segments per curve: pdfminer keeps the end point
            bezier += 1
            if bezier % 3 == 0:
                ops.append("c")
                pts.append(point)
        else:
            ops.append("l")
            pts.append(point)
        if get_close(seg):
            ops.append("h")
            pts.append(pts[0])
    items = []
    for ops, pts in paths:
        shape = "".join(ops)
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
        xs, ys = zip(*pts)
        item = {"x0": min(xs), "x1": max(xs), "top": mb_top - max(ys), "bottom": mb_top - min(ys), "kind": kind, "fill": fill}
        if kind == "curve":
            item["points"] = len(pts)
        items.append(item)
    return items
