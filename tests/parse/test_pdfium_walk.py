"""One walk of a page's objects for the PDFium source (issue 15, speed):
``page_walk`` gives the text objects in content-stream order with forms read
in place (four levels deep, as before), and the path objects of every level
for ``drawn_paths``, on a page made of nested form XObjects."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from pipeline.parse.pdfium_paths import drawn_paths, page_walk

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "santiago-de-chile-local-2022-designed.pdf"


@pytest.fixture(scope="module")
def nested(tmp_path_factory) -> Path:
    """Pages of the sample as forms (scaled, moved), and those pages as forms again."""
    src = pdfium.PdfDocument(str(SAMPLE))
    inner = pdfium.PdfDocument.new()
    w, h = src[0].get_size()
    for i in range(3):
        page = inner.new_page(w, h)
        for q, (scale, dx, dy) in enumerate([(0.5, 0, h / 2), (0.5, w / 2, 0)]):
            obj = src.page_as_xobject((i + q) % len(src), inner).as_pageobject()
            obj.transform(pdfium.PdfMatrix().scale(scale, scale).translate(dx, dy))
            page.insert_obj(obj)
        page.gen_content()
    outer = pdfium.PdfDocument.new()
    for i in range(len(inner)):
        page = outer.new_page(w, h)
        obj = inner.page_as_xobject(i, outer).as_pageobject()
        obj.transform(pdfium.PdfMatrix().scale(0.9, 0.9).translate(10, 20))
        page.insert_obj(obj)
        page.gen_content()
    path = tmp_path_factory.mktemp("pdfium-walk") / "nested.pdf"
    outer.save(str(path))
    return path


def _address(obj) -> int:
    import ctypes

    return ctypes.cast(obj.raw, ctypes.c_void_p).value


def test_walk_orders_text_and_finds_paths_in_nested_forms(nested):
    doc = pdfium.PdfDocument(str(nested))
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                order, levels = page_walk(page)
                texts = [_address(o) for o in page.get_objects([raw.FPDF_PAGEOBJ_TEXT], max_depth=5)]
                paths = {_address(o) for o in page.get_objects([raw.FPDF_PAGEOBJ_PATH], max_depth=5)}
                assert texts and list(order) == texts and list(order.values()) == list(range(len(texts)))
                found, depth, stack = set(), 0, [(levels, 0)]
                while stack:
                    level, d = stack.pop()
                    depth = max(depth, d)
                    for entry in level:
                        if entry[0] == raw.FPDF_PAGEOBJ_PATH:
                            found.add(entry[1].value)
                        else:
                            stack.append((entry[2], d + 1))
                assert depth >= 2 and paths and found == paths
                graphics: list[dict] = []
                rules = drawn_paths(raw, levels, page.get_size()[1], graphics)
                assert rules and len(graphics) >= len(rules)
            finally:
                page.close()
    finally:
        doc.close()


def test_drawn_paths_rounds_repeated_coordinates_as_each_alone(tmp_path):
    """Each coordinate is rounded once per page and reused: a repeated value
    gives what rounding it again gives, a zero's sign included (-0.0001 rounds
    to -0.0, 0 and 0.0001 to 0.0, whatever came first)."""
    import math

    doc = pdfium.PdfDocument.new()
    page = doc.new_page(200, 200)
    xs = [-0.0001, 0.0001, 0.0, -0.0001, 0.0001, 12.3456, 12.3456]
    for i, x in enumerate(xs):
        rect = raw.FPDFPageObj_CreateNewRect(x, 10.0 * i, 50.0, 0.5)
        raw.FPDFPath_SetDrawMode(rect, raw.FPDF_FILLMODE_ALTERNATE, 0)
        raw.FPDFPage_InsertObject(page.raw, rect)
    page.gen_content()
    path = tmp_path / "rects.pdf"
    doc.save(str(path))
    doc = pdfium.PdfDocument(str(path))
    page = doc[0]
    try:
        _, levels = page_walk(page)
        rules = drawn_paths(raw, levels, 200.0, None)
    finally:
        page.close()
        doc.close()
    assert [r["kind"] for r in rules] == ["rect"] * len(xs)
    import ctypes

    as_float = [ctypes.c_float(x).value for x in xs]  # (PDFium's points are floats)
    assert [math.copysign(1.0, r["x0"]) for r in rules] == [-1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0]
    assert [r["x0"] for r in rules] == [round(x, 3) for x in as_float]
    assert [r["x1"] for r in rules] == [round(x + 50.0, 3) for x in as_float]
