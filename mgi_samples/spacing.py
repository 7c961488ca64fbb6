"""Letter-spaced headings for the sample renderer: part headings tracked out
as InDesign sets them ("C O N T E X T" in the text layer: every glyph followed
by ``letter_spacing`` points of extra space, word gaps wider still).

Design key ``letter_spacing`` (absent: story.py's plain headings)::

    letter_spacing: {space: 3.4, word: 3.0}   # extra pt after each glyph; word gap in multiples of it

Level-1 headings (parts and dimension parts) are then drawn word by word
with the PDF character spacing operator (Tc); a heading wraps at word
boundaries to the frame width, and a ``\\n`` in its text forces a break.
"""

from __future__ import annotations

from typing import Any


def _heading_class():
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    class SpacedHeading(Flowable):
        def __init__(self, text: str, style, space: float, word: float):
            super().__init__()
            self.text, self.style, self.space, self.word = text, style, space, word
            self.spaceBefore = style.spaceBefore
            self.spaceAfter = style.spaceAfter

        def _width(self, word: str) -> float:
            return stringWidth(word, self.style.fontName, self.style.fontSize) + self.space * len(word)

        def _gap(self) -> float:
            return stringWidth(" ", self.style.fontName, self.style.fontSize) + self.space * self.word

        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            self.lines: list[list[str]] = []
            for chunk in self.text.split("\n"):
                line: list[str] = []
                used = 0.0
                for word in chunk.split():
                    need = self._width(word) + (self._gap() if line else 0.0)
                    if line and used + need > avail_width:
                        self.lines.append(line)
                        line, used = [], 0.0
                        need = self._width(word)
                    line.append(word)
                    used += need
                if line:
                    self.lines.append(line)
            self.height = self.style.leading * len(self.lines)
            return self.width, self.height

        def draw(self):
            st, canv = self.style, self.canv
            canv.saveState()
            canv.setFillColor(st.textColor)
            y = self.height - st.fontSize
            for line in self.lines:
                x = 0.0
                for word in line:
                    text = canv.beginText(x, y)
                    text.setFont(st.fontName, st.fontSize)
                    text.setCharSpace(self.space)
                    text.textOut(word)
                    text.setCharSpace(0)  # Tc outlives the text object
                    canv.drawText(text)
                    x += self._width(word) + self._gap()
                y -= st.leading
            canv.restoreState()

    return SpacedHeading


_CLASS = None


def spaced_heading(text: str, style, d: dict[str, Any]):
    """A level-1 heading drawn letter-spaced (``letter_spacing`` design key)."""
    global _CLASS
    if _CLASS is None:
        _CLASS = _heading_class()
    spec = d.get("letter_spacing") or {}
    return _CLASS(text, style, float(spec.get("space", 3.0)), float(spec.get("word", 3.0)))
