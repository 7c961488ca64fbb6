"""The bar chart of the designed samples in a narrow column (issue 18,
``column_count=3`` designs): its labels stay in the column and off the bars."""

from __future__ import annotations

import io

import pdfplumber
import pytest

pytest.importorskip("reportlab")

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from mgi_samples.figure import _cls  # noqa: E402

BARS = [["Venezuela (Bolivarian Republic of)", 30.7], ["Peru", 16.3], ["Haiti", 12.5], ["Colombia", 11.4]]


def _draw(width: float) -> pdfplumber.page.Page:
    bar_chart, _quote = _cls()
    chart = bar_chart({"bars": BARS, "unit": "%", "ticks": [0, 10, 20, 30], "caption": "Figure 1."},
                      ParagraphStyle("c", fontName="Helvetica", fontSize=8), "Helvetica", colors.blue)
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(595, 842))
    _w, h = chart.wrap(width, 600)
    chart.drawOn(canv, 100, 700 - h)
    canv.save()
    return pdfplumber.open(io.BytesIO(buf.getvalue())).pages[0]


@pytest.mark.parametrize("width", [140.0, 300.0])
def test_labels_inside_the_column_and_off_the_bars(width: float) -> None:
    page = _draw(width)
    bars = [r for r in page.rects if r["height"] == pytest.approx(11.0)]
    assert len(bars) == len(BARS)
    per_point = [r["width"] / v for r, (_, v) in zip(sorted(bars, key=lambda r: r["top"]), BARS)]
    assert min(per_point) > 0 and max(per_point) - min(per_point) < 0.01
    for c in page.chars:
        assert 100 - 0.5 <= c["x0"] and c["x1"] <= 100 + width + 0.5, c["text"]
        assert not any(r["x0"] < (c["x0"] + c["x1"]) / 2 < r["x1"] and r["top"] < (c["top"] + c["bottom"]) / 2 < r["bottom"]
                       for r in bars), c["text"]
    words = {w["text"] for w in page.extract_words()}
    assert {"Venezuela", "Peru", "30.7%", "16.3%"} <= words
