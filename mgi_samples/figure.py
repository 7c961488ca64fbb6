"""Figures and call-outs set into the body flow of a sample (sample renderer,
``mgi samples render``), as InDesign layouts of published profiles do: a bar
chart drawn with vector rectangles and lines, its caption above it, placed
inside a paragraph (text before the figure, the figure, the same paragraph's
continuation after it), and a pull quote in a shaded box between two
paragraphs. The figure's labels and numbers are graphics text, not body text.

Design key ``inserts`` (absent: nothing is inserted), a list of::

    - in_paragraph: "According to the National Statistics"  # start of the paragraph's source text
      after_lines: 4            # split the paragraph after its 4th line (absent: after the paragraph)
      figure:
        caption: "Figure 1. Foreign habitual residents by country of origin, 2020"
        bars: [["Peru", 16.3], ...]     # label, value (drawn "16.3%")
        unit: "%"
        axis_max: 35
        ticks: [0, 10, 20, 30]
        colour: "#006A8E"
    - in_paragraph: "Migrants usually access"
      pull_quote: "“The municipality always applies an intersectoral approach.”"

A split paragraph keeps its footnote markers (their page is where the part
holding them is drawn); the split is made at the width of the frame the
paragraph is set in (``width`` given by the caller).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from mgi_samples.columns import shaded_box_class
from mgi_samples.fonts import register_sans_text
from mgi_samples.shared import style_like
from pipeline.errors import RenderError


def _classes():
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    class BarChart(Flowable):
        """A captioned horizontal bar chart: country labels left of the bars,
        values at the bar ends, an axis line with numbered ticks under it."""

        def __init__(self, spec: dict[str, Any], caption_style, label_font: str, accent):
            super().__init__()
            from reportlab.platypus import Paragraph

            self.bars = [(str(label), float(value)) for label, value in spec.get("bars") or []]
            if not self.bars:
                raise RenderError.of("E530")
            self.unit = str(spec.get("unit", ""))
            self.axis_max = float(spec.get("axis_max") or max(v for _, v in self.bars) * 1.15)
            self.ticks = [float(t) for t in spec.get("ticks") or []]
            self.caption = Paragraph(escape(str(spec.get("caption", ""))), caption_style)
            self.font, self.size = label_font, float(spec.get("label_size", 7.5))
            self.fill = colors.HexColor(str(spec["colour"])) if spec.get("colour") else accent
            self.bar_h, self.pitch = 11.0, 17.0
            self.spaceBefore, self.spaceAfter = 6.0, 12.0

        def _number(self, value: float) -> str:
            text = f"{value:.1f}" if value != int(value) else f"{int(value)}"
            return text + self.unit

        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            _, self.cap_h = self.caption.wrap(avail_width, avail_height)
            # a column too narrow for labels beside the bars (a third of a page):
            # each label above its bar, so the bars keep their length and no label
            # runs over a bar or out of the column
            self.label_w = max(stringWidth(label, self.font, self.size) for label, _ in self.bars) + 8
            self.stacked = avail_width - self.label_w - 40 < 0.4 * avail_width
            if self.stacked:
                self.pitch = self.size + 2 + self.bar_h + 5
            self.plot_h = self.pitch * len(self.bars) + 6
            self.height = self.cap_h + 8 + self.plot_h + 4 + self.size + 4
            return self.width, self.height

        def draw(self):
            canv = self.canv
            self.caption.drawOn(canv, 0, self.height - self.cap_h)
            # (stacked: the axis in by half the first tick's number, centred under it)
            first = self._number(self.ticks[0]) if self.ticks else ""
            x0 = stringWidth(first, self.font, self.size) / 2 + 1 if self.stacked else self.label_w
            span = self.width - x0 - 40
            scale = span / self.axis_max
            axis_y = self.size + 8
            top = axis_y + self.plot_h
            canv.saveState()
            canv.setLineWidth(0.6)
            canv.setStrokeColor(colors.HexColor("#4D4D4D"))
            canv.line(x0, axis_y, x0, top)  # vertical axis
            canv.line(x0, axis_y, x0 + self.axis_max * scale, axis_y)  # horizontal axis
            canv.setFont(self.font, self.size)
            canv.setFillColor(colors.HexColor("#4D4D4D"))
            for tick in self.ticks:
                x = x0 + tick * scale
                canv.line(x, axis_y, x, axis_y - 3)
                canv.drawCentredString(x, axis_y - 4 - self.size, self._number(tick))
            for n, (label, value) in enumerate(self.bars):
                # (stacked: the bar at the foot of its pitch, its label above it)
                y = top - (n + 1) * self.pitch + (3 if self.stacked else (self.pitch - self.bar_h) / 2)
                canv.setFillColor(self.fill)
                canv.rect(x0, y, value * scale, self.bar_h, stroke=0, fill=1)
                canv.setFillColor(colors.black)
                base = y + (self.bar_h - self.size) / 2 + 1.2
                if self.stacked:
                    canv.drawString(x0 + 2, y + self.bar_h + 2, label)
                else:
                    canv.drawRightString(x0 - 6, base, label)
                canv.drawString(x0 + value * scale + 4, base, self._number(value))
            canv.restoreState()

    ShadedBox = shaded_box_class()

    def PullQuote(xml: str, style, fill, rule):
        """A short sentence in large italic on a shaded box, rules above and below."""
        return ShadedBox(xml, style, fill, 9.0, 6.0, 12.0, rule=rule)

    return BarChart, PullQuote


_cls = lru_cache(maxsize=1)(_classes)  # the reportlab classes, built on first use


def _styles(d: dict[str, Any], styles: dict[str, Any]):
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT

    register_sans_text()  # a sans with a real oblique for captions and quotes
    size = float(d["body_size"])
    caption = style_like(styles["body"], fontName="MGI-SansText-Oblique", fontSize=size - 1.5, leading=size + 1,
                          alignment=TA_LEFT, hyphenationLang="", spaceAfter=0, firstLineIndent=0, textColor=colors.HexColor("#333333"))
    quote = style_like(styles["body"], fontName="MGI-Serif-Italic", fontSize=size + 4, leading=size + 8,
                        alignment=TA_LEFT, hyphenationLang="", spaceAfter=0, firstLineIndent=0, textColor=colors.HexColor(d["accent"]))
    return caption, quote


def _insert(spec: dict[str, Any], d: dict[str, Any], styles: dict[str, Any]):
    from reportlab.lib import colors

    chart_cls, quote_cls = _cls()
    caption, quote = _styles(d, styles)
    accent = colors.HexColor(d["accent"])
    if "figure" in spec:
        return chart_cls(dict(spec["figure"] or {}), caption, "MGI-Sans", accent)
    if "pull_quote" in spec:
        return quote_cls(escape(str(spec["pull_quote"])), quote, colors.HexColor(d["box_fill"]), accent)
    raise RenderError.of("E531")


def place_inserts(para, source: str, d: dict[str, Any], styles: dict[str, Any], width: float) -> list:
    """The flowables for one body paragraph: the paragraph itself, or the
    paragraph with the design's inserts that name it (inside it after
    ``after_lines`` lines, else after it)."""
    specs = [s for s in d.get("inserts") or [] if source.startswith(str(s.get("in_paragraph", "\0")))]
    if not specs:
        return [para]
    out = [para]
    for spec in specs:
        flow = _insert(spec, d, styles)
        lines = spec.get("after_lines")
        if lines:
            last = out.pop()
            last.wrap(width, 10_000)
            parts = last.split(width, int(lines) * last.style.leading + 0.5)
            if len(parts) != 2:
                raise RenderError.of("E532", start=source[:40], line=int(lines) + 1)
            out += [parts[0], flow, parts[1]]
        else:
            out.append(flow)
    return out
