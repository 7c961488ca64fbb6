"""Hand-built printed words for the parse stage's unit tests."""

from __future__ import annotations

from pipeline.parse.layout import Word


def line_words(text: str, x0: float, top: float, size: float = 9.0, x1: float | None = None) -> list[Word]:
    """Words of one printed line from x0 (spread to x1 when given: justified);
    each character half the size wide, spaces 0.3 of the size."""
    parts = text.split()
    widths = [len(t) * 0.5 * size for t in parts]
    space = 0.3 * size
    if x1 is not None and len(parts) > 1:
        space = (x1 - x0 - sum(widths)) / (len(parts) - 1)
    out, x = [], x0
    for t, w in zip(parts, widths):
        out.append(Word(t, x, top, x + w, top + size, "Serif", size))
        x += w + space
    return out
