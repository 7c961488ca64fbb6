"""Boxes of the extracted rows: the printed place of a span of characters.

A span (``char_start`` .. ``char_end`` of a paragraph's or footnote's text)
covers parts of one or more printed lines (``Segmented.geometry``). On each
line its characters are placed along the line's width by typical character
widths (``char_width``) and widened to whole words; the row's box is the union of those word boxes on the
span's first page, and ``page_end`` the page of its last character. A text
whose lines were not found falls back to its paragraph / footnote box.
"""

from __future__ import annotations

from typing import Iterable, Sequence, TypeVar

from pipeline.datamodel import Model, Paragraph, Segmented, TextLine

R = TypeVar("R", bound=Model)


def _word_edges(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """``start`` / ``end`` moved out to word boundaries, within ``lo`` .. ``hi``."""
    while start > lo and not text[start - 1].isspace():
        start -= 1
    while end < hi and not text[end].isspace():
        end += 1
    return start, end


# relative advance widths of characters in a proportional typeface (Helvetica /
# Times averages, em = 1): a span's place along its line follows the widths of
# the characters before it, not their count
_NARROW = dict.fromkeys("il.,;:!|'`", 0.28) | dict.fromkeys("jtfI()[]/-", 0.33) | {"r": 0.36, " ": 0.27}
_WIDE = dict.fromkeys("mwMW%", 0.86) | dict.fromkeys("—@", 0.95)


def char_width(c: str) -> float:
    if c in _NARROW:
        return _NARROW[c]
    if c in _WIDE:
        return _WIDE[c]
    if c.isupper():
        return 0.68
    return 0.52


def _fraction(text: str, lo: int, at: int, total: float) -> float:
    """How far along a line starting at ``lo`` (widths summing to ``total``) character ``at`` starts."""
    return sum(map(char_width, text[lo:at])) / total


def span_box(text: str, lines: Sequence[TextLine], start: int, end: int) -> tuple[int, tuple, int] | None:
    """(first page, box on it, last page) of ``text[start:end]``; None when no line holds it."""
    boxes: list[tuple[int, tuple]] = []
    for ln in lines:
        lo, hi = ln.offset, ln.offset + ln.length
        a, b = max(start, lo), min(end, hi)
        if a >= b or ln.length <= 0:
            continue
        a, b = _word_edges(text, a, b, lo, hi)
        x0, top, x1, bottom = ln.bbox
        width = x1 - x0
        total = sum(map(char_width, text[lo:hi])) or 1.0  # the line's width, once for both ends
        boxes.append((ln.page, (round(x0 + width * _fraction(text, lo, a, total), 2), top,
                                round(x0 + width * _fraction(text, lo, b, total), 2), bottom)))
    if not boxes:
        return None
    first = boxes[0][0]
    on_first = [b for p, b in boxes if p == first]
    box = (min(b[0] for b in on_first), min(b[1] for b in on_first), max(b[2] for b in on_first), max(b[3] for b in on_first))
    return first, box, boxes[-1][0]


class Placer:
    """Boxes for spans of the paragraphs and footnotes of one document."""

    def __init__(self, segmented: Segmented, footnotes: Iterable = ()):
        self.lines = {g.owner_id: g.lines for g in segmented.geometry}
        self.paragraphs = {p.paragraph_id: p for p in segmented.paragraphs}
        self.notes = {f.footnote_id: f for f in (*segmented.footnotes, *footnotes)}

    def place(self, row: R, start: int | None = None, end: int | None = None) -> R:
        """``row`` with ``bbox`` and ``page_end`` set from its span (char_start .. char_end)."""
        owner = getattr(row, "footnote_id", None) or getattr(row, "paragraph_id", None)
        start = row.char_start if start is None else start
        end = row.char_end if end is None else end
        owner_row = self.notes.get(owner) or self.paragraphs.get(owner)
        if owner_row is None:
            return row
        found = span_box(owner_row.text, self.lines.get(owner, ()), start, end)
        if found is not None:
            page, box, last = found
            if page == row.page:
                return row.model_copy(update={"bbox": box, "page_end": last})
        box = owner_row.bbox
        page = getattr(owner_row, "page", None) or getattr(owner_row, "page_start", None)
        if box is not None and page == row.page:
            return row.model_copy(update={"bbox": tuple(box), "page_end": row.page})
        return row.model_copy(update={"page_end": row.page})

    def place_reference(self, row: R, paragraphs: Sequence[Paragraph]) -> R:
        """A KEY SOURCES entry: the box of its text found in the source paragraphs."""
        raw = " ".join(row.raw.split())
        head = raw[:40]
        for p in paragraphs:
            at = p.text.find(head) if head else -1
            if at < 0:
                continue
            found = span_box(p.text, self.lines.get(p.paragraph_id, ()), at, min(len(p.text), at + len(raw)))
            if found is not None:
                page, box, last = found
                if page != row.page:
                    return row
                return row.model_copy(update={"bbox": box, "page_end": last})
            if p.bbox is not None and p.page_start == row.page:
                return row.model_copy(update={"bbox": tuple(p.bbox), "page_end": p.page_end})
        return row
