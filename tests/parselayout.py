"""Hand-built printed words for the parse stage's unit tests."""

from __future__ import annotations

import re

from pipeline.parse.layout import PLine, Word
from pipeline.parse.lineroles import RoleRules

# the line-role rules of the tests: no caption wording, page numbers of 1-4 digits
ROLE_RULES = RoleRules(
    band=0.08, min_pages=3, footnote_max_ratio=0.9, heading_size_ratio=1.15, heading_max_words=20,
    caption_re=re.compile(r"(?!)"), page_number_re=re.compile(r"^\d{1,4}$"),
)


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


def measured_line(text: str, top: float, x0: float = 50.0, size: float = 10.0, page: int = 1) -> PLine:
    """A line of ``line_words`` measured as the parse stage measures it (fonts
    named "Bold" / "Italic" are bold / italic), its text as printed."""
    ln = PLine(page=page, words=line_words(text, x0, top, size))
    ln.measure(re.compile("Bold"), re.compile("Italic"))
    ln.text = ln.raw = text
    return ln
