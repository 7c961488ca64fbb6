"""Footnote area in columns for the sample renderer: on pages whose body runs
in two columns, the notes are set in two columns too, under a rule as wide as
the text (InDesign "span/split" note areas); on one-column pages they stay
full width under a short rule, as template.py sets them.

Design key ``note_columns: 2`` (absent: template.py's full-width notes). The
notes keep their order: the left column is filled first, then the right one,
balanced so neither is much taller than the other (the left one never the
shorter). The room the page needs is reported into ``layout.needed`` exactly
as template.py's own drawer does, so the re-flow loop reserves it.
"""

from __future__ import annotations

from typing import Any

from pipeline.errors import RenderError

TWO_COLUMN_TEMPLATES = ("twocol", "twocol_head")


def _balance(heights: list[float], gap: float) -> int:
    """How many notes go in the left column (at least half the height, and
    the split leaving the taller column as short as possible)."""
    best, best_h = len(heights), float("inf")
    for k in range(1, len(heights) + 1):
        left = sum(heights[:k]) + gap * (k - 1)
        right = sum(heights[k:]) + gap * max(0, len(heights) - k - 1)
        if left + 0.01 < right:
            continue
        if max(left, right) < best_h - 0.01:
            best, best_h = k, max(left, right)
    return best


def note_paragraphs(keys, notes: dict[str, str], styles: dict[str, Any], where) -> list:
    """The note paragraphs of one page, in marker order; a marker without a
    note is a one-line ``RenderError``."""
    from reportlab.platypus import Paragraph

    missing = [key for key in keys if key not in notes]
    if missing:
        raise RenderError.of("E536", where=where, marker=missing[0])
    return [Paragraph(notes[key], styles["note"]) for key in keys]


def make_note_drawer(d: dict[str, Any], layout, notes: dict[str, str], styles: dict[str, Any], margins: dict[str, float],
                     text_w: float, height: float, where):
    """A ``draw(canv, doc)`` that prints the page's notes (columns on two-column pages)."""
    from reportlab.lib import colors

    gap = 2.0
    col_gap = float(d["column_gap"])
    col_w = (text_w - col_gap) / 2

    def draw(canv, doc) -> None:
        keys = layout.page_notes.get(doc.page, [])
        if not keys:
            return
        paras = note_paragraphs(keys, notes, styles, where)
        columns = int(d.get("note_columns", 1)) == 2 and doc.pageTemplate.id in TWO_COLUMN_TEMPLATES
        width = col_w if columns else text_w
        heights = [p.wrap(width, height)[1] for p in paras]
        split = _balance(heights, gap) if columns else len(paras)
        stacks = [(margins["left"], paras[:split], heights[:split])]
        if columns:
            stacks.append((margins["left"] + col_w + col_gap, paras[split:], heights[split:]))
        tall = max(sum(h) + gap * max(0, len(h) - 1) for _, _, h in stacks)
        layout.needed[doc.page] = max(layout.needed.get(doc.page, 0.0), tall + 10.0 + 4.0)
        top = margins["bottom"] + tall
        for x, column, hs in stacks:  # top-aligned columns, notes in reading order
            y = top
            for para, h in zip(column, hs):
                y -= h
                para.drawOn(canv, x, y)
                y -= gap
        canv.saveState()
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.5)
        canv.line(margins["left"], top + 3, margins["left"] + (text_w if columns else 72), top + 3)
        canv.restoreState()

    return draw
