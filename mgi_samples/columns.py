"""Two-column body and banded part headings for the sample renderer.

Design keys read here (absent: the base renderer's behaviour):

``two_column_body``  every part (level-1 heading on a new page) opens a page
                     whose heading spans both columns (template.py's
                     ``twocol_head`` template) and flows on in two columns;
                     the contents page is set in two columns too.
``heading_band``     level-1 headings printed in white on a filled band the
                     width of the frame (``band_fill``, default the accent).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from mgi_samples.shared import heading_key, style_like


def shaded_box_class():
    """``ShadedBox(xml, style, fill, pad, space_before, space_after, rule=None)``:
    a paragraph on a filled rectangle as wide as its frame, with optional rules
    above and below (part-heading bands, pull quotes)."""
    from reportlab.platypus import Flowable, Paragraph

    class ShadedBox(Flowable):
        def __init__(self, xml: str, style, fill, pad: float, space_before: float, space_after: float, rule=None):
            super().__init__()
            self.para = Paragraph(xml, style)
            self.fill, self.rule, self.pad = fill, rule, pad
            self.spaceBefore, self.spaceAfter = space_before, space_after

        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            _, h = self.para.wrap(avail_width - 2 * self.pad, avail_height)
            self.height = h + 2 * self.pad
            return self.width, self.height

        def draw(self):
            canv = self.canv
            canv.saveState()
            canv.setFillColor(self.fill)
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            if self.rule is not None:
                canv.setStrokeColor(self.rule)
                canv.setLineWidth(1.5)
                canv.line(0, self.height, self.width, self.height)
                canv.line(0, 0, self.width, 0)
            canv.restoreState()
            self.para.drawOn(canv, self.pad, self.pad)

    return ShadedBox


def band_heading(xml: str, style, d: dict[str, Any]):
    """A level-1 heading set in white on a band (a copy of ``style`` recoloured)."""
    from reportlab.lib import colors

    white = style_like(style, textColor=colors.white, spaceAfter=style.spaceAfter)
    fill = colors.HexColor(str(d.get("band_fill") or d["accent"]))
    return shaded_box_class()(xml, white, fill, 8.0, 0, style.spaceAfter * 0.6)


def column_width(d: dict[str, Any], full: float, columns: bool | None = None) -> float:
    """Width of one column of a multi-column body (``column_count``, default 2;
    ``full`` when one column). ``columns``: whether the text at hand is set in
    columns (default: whether the whole body is)."""
    if not (d.get("two_column_body") if columns is None else columns):
        return full
    count = int(d.get("column_count", 2))
    return (full - float(d["column_gap"]) * (count - 1)) / count


def contents_two_columns(story) -> list:
    """The contents page: a banded title across the page, the entries in two
    columns (the first half in the left one), page numbers flush right."""
    from reportlab.lib import colors
    from reportlab.platypus import FrameBreak, NextPageTemplate, PageBreak, Paragraph, Table, TableStyle

    d, s = story.d, story.s
    out = [NextPageTemplate("twocol_head"), PageBreak()]
    title = escape(d["labels"]["contents"])
    out.append(band_heading(title, s["part"], d) if d.get("heading_band") else Paragraph(title, s["part"]))
    out.append(FrameBreak())
    entries = [(i, b) for i, b in enumerate(story.sample.blocks) if "heading" in b and b.get("toc")]
    col_w = column_width(d, story.frame_width())
    half = (len(entries) + 1) // 2
    number_w = 26
    for n, (i, b) in enumerate(entries):
        if n == half:
            out.append(FrameBreak())
        style = s["toc"] if not b.get("dimension") else style_like(s["toc2"], leftIndent=0)
        title = escape(str(b["heading"]).replace("\n", " "))
        row = [[Paragraph(title, style), Paragraph(story.page(heading_key(b, i)), style_like(style, alignment=2))]]
        out.append(Table(row, colWidths=[col_w - number_w, number_w], hAlign="LEFT", style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#9AA5B1")),
        ])))
    return out
