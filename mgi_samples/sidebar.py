"""Side-head design family of the sample renderer: sub-headings set in a
margin sidebar beside the text they head, and a contents page with dot
leaders.

Design keys read here (absent: the base renderer's behaviour):

``side_heads``     heading levels (e.g. ``[2, 3]``) set as *side-heads*: in a
                   sidebar left of the body column, the heading's first
                   baseline on the first baseline of the paragraph it heads
                   (the heading stands beside its text, not above it). The
                   body frame is the text column (``margins.left`` is its left
                   edge); the sidebar is the ``sidebar.width`` points left of
                   it, ``sidebar.gap`` points away. A side-head must be
                   followed by a paragraph, quotation or list item.
``sidebar``        ``{width: 128, gap: 16}``.
``contents_style`` ``dots``: contents entries "CONTEXTO ........ 5", a
                   wrapped title's dots on its last line, the page number
                   flush right.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from mgi_samples.shared import heading_key
from pipeline.errors import RenderError


def _classes():
    from reportlab.platypus import Flowable

    class SideHeadMark(Flowable):
        """Placeholder for a side-head until it is joined to the text it heads."""

        def __init__(self, xml: str, style):
            super().__init__()
            self.xml, self.style = xml, style

        def wrap(self, avail_width, avail_height):  # pragma: no cover - replaced before layout
            return 0, 0

        def draw(self):  # pragma: no cover
            pass

    class SideHead(Flowable):
        """A heading in the sidebar beside the first lines of its paragraph."""

        def __init__(self, head, body, side: float, gap: float, key: str | None):
            super().__init__()
            self.head, self.body, self.side, self.gap = head, body, side, gap
            if key:
                self._mgi_key = key
            self.spaceBefore = max(head.style.spaceBefore, body.getSpaceBefore())
            self.spaceAfter = body.getSpaceAfter()

        def _lift(self) -> float:
            # first baselines level: a paragraph's first baseline is fontSize below its top
            return float(self.body.style.fontSize) - float(self.head.style.fontSize)

        def wrap(self, avail_width, avail_height):
            _, self.hh = self.head.wrap(self.side, avail_height)
            _, self.bh = self.body.wrap(avail_width, avail_height)
            self.width = avail_width
            self.height = max(self.bh, self.hh + self._lift())
            return self.width, self.height

        def split(self, avail_width, avail_height):
            _, hh = self.head.wrap(self.side, avail_height)
            if hh + self._lift() > avail_height:
                return []
            parts = self.body.split(avail_width, avail_height)
            if len(parts) < 2:
                return []
            first = SideHead(self.head, parts[0], self.side, self.gap, getattr(self, "_mgi_key", None))
            first.spaceAfter = 0
            return [first, *parts[1:]]

        def draw(self):
            self.body.drawOn(self.canv, 0, self.height - self.bh)
            top = self.height - self._lift()
            self.head.drawOn(self.canv, -(self.side + self.gap), top - self.hh)

    return SideHeadMark, SideHead


_cls = lru_cache(maxsize=1)(_classes)  # the reportlab classes, built on first use


def side_head(xml: str, style):
    """A side-head placeholder (joined to the next paragraph by ``merge_side_heads``)."""
    return _cls()[0](xml, style)


def merge_side_heads(story: list, d: dict[str, Any]) -> list:
    """The story with each side-head joined to the paragraph that follows it."""
    if not d.get("side_heads"):
        return story
    from reportlab.platypus import Paragraph

    mark_cls, head_cls = _cls()
    bar = {"width": 128.0, "gap": 16.0, **(d.get("sidebar") or {})}
    side, gap = float(bar["width"]), float(bar["gap"])
    out: list = []
    i = 0
    while i < len(story):
        item = story[i]
        if not isinstance(item, mark_cls):
            out.append(item)
            i += 1
            continue
        body = story[i + 1] if i + 1 < len(story) else None
        if not isinstance(body, Paragraph) or hasattr(body, "_mgi_key"):  # headings carry a key
            raise RenderError.of("E537", start=item.xml[:40])
        out.append(head_cls(Paragraph(item.xml, item.style), body, side, gap, getattr(item, "_mgi_key", None)))
        i += 2
    return out


def _dot_entry_class():
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.lib.utils import simpleSplit
    from reportlab.platypus import Flowable

    class DotEntry(Flowable):
        """One contents line: title (wrapped), dot leaders, page number flush right."""

        def __init__(self, title: str, number: str, style, indent: float, pad: float = 4.0):
            super().__init__()
            self.title, self.number, self.style, self.indent, self.pad = title, number, style, indent, pad

        def wrap(self, avail_width, avail_height):
            st = self.style
            self.width = avail_width
            room = avail_width - self.indent - stringWidth("000", st.fontName, st.fontSize) - 24
            self.lines = simpleSplit(self.title, st.fontName, st.fontSize, room)
            self.height = st.leading * len(self.lines) + 2 * self.pad
            return self.width, self.height

        def draw(self):
            st, canv = self.style, self.canv
            canv.saveState()
            canv.setFillColor(st.textColor)
            canv.setFont(st.fontName, st.fontSize)
            y = self.height - self.pad - st.fontSize
            for n, line in enumerate(self.lines):
                if n:
                    y -= st.leading
                canv.drawString(self.indent, y, line)
            start = self.indent + stringWidth(self.lines[-1], st.fontName, st.fontSize) + 5
            end = self.width - stringWidth(self.number, st.fontName, st.fontSize) - 7
            dot = stringWidth(".", st.fontName, st.fontSize) + 1.6
            count = int((end - start) // dot)
            if count > 0:
                text = canv.beginText(end - count * dot, y)
                text.setFont(st.fontName, st.fontSize)
                text.setCharSpace(1.6)
                text.textOut("." * count)
                text.setCharSpace(0)  # Tc outlives the text object: the page number is set solid
                canv.drawText(text)
            canv.drawRightString(self.width, y, self.number)
            canv.restoreState()

    return DotEntry


def dot_contents(story) -> list:
    """The contents page with dot leaders (``contents_style: dots``)."""
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    d, s = story.d, story.s
    entry_cls = _dot_entry_class()
    out = [PageBreak(), Paragraph(escape(d["labels"]["contents"]), s["part"]), Spacer(1, 10)]
    for i, block in enumerate(story.sample.blocks):
        if "heading" not in block or not block.get("toc"):
            continue
        dimension = bool(block.get("dimension"))
        style = s["toc2"] if dimension else s["toc"]
        title = str(block["heading"]).replace("\n", " ")
        out.append(entry_cls(title, story.page(heading_key(block, i)), style, 14.0 if dimension else 0.0))
    return out
