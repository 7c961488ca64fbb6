"""The document template of the samples: page templates (cover, front
matter, body, two columns), frames that shrink by the room the page's
footnotes need, and the measurements one pass takes (:class:`Layout`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mgi_samples.design import page_size
from mgi_samples.furniture import fitted, make_furniture
from mgi_samples.notes import make_note_drawer, note_paragraphs
from mgi_samples.sources import Sample


@dataclass
class Layout:
    """What one pass measured: where headings and footnote markers landed and
    how much room each page's notes need."""

    n_pages: int = 0
    heading_pages: dict[str, int] = field(default_factory=dict)
    marker_pages: dict[str, int] = field(default_factory=dict)
    page_notes: dict[int, list[str]] = field(default_factory=dict)
    needed: dict[int, float] = field(default_factory=dict)

    def note_numbers(self) -> dict[str, int]:
        """Notes numbered per page: each marker key -> its rank among the
        markers of the page it landed on."""
        out: dict[str, int] = {}
        for page in sorted(self.page_notes):
            for rank, key in enumerate(dict.fromkeys(self.page_notes[page]), 1):
                out.setdefault(key, rank)
        return out


def make_doc(buf, sample: Sample, d: dict[str, Any], styles: dict[str, Any], notes: dict[str, str], reserve: dict[int, float]):
    from reportlab.lib import colors
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = page_size(d)
    m = d["margins"]
    text_w = width - m["left"] - m["right"]
    text_h = height - m["top"] - m["bottom"]
    accent = colors.HexColor(d["accent"])
    meta = sample.metadata
    layout = Layout()

    class ProfileDoc(BaseDocTemplate):
        current_part = ""

        def beforePage(self):
            self.canv.setNamedCB("mgi_fn", self._marker)
            self.canv.setNamedCB("mgi_nop", lambda *a: None)
            room = reserve.get(self.page, 0.0)
            for frame in self.pageTemplate.frames:
                base = getattr(frame, "_mgi_base", None)
                if base is None:
                    continue
                frame._y1 = base[0] + room
                frame._height = base[1] - room
                frame._geom()
                frame._reset()

        def _marker(self, canvas, kind, label):
            layout.marker_pages.setdefault(label, self.page)
            layout.page_notes.setdefault(self.page, []).append(label)

        def afterFlowable(self, flowable):
            key = getattr(flowable, "_mgi_key", None)
            if key:
                layout.heading_pages.setdefault(key, self.page)
            part = getattr(flowable, "_mgi_part", None)
            if part:
                self.current_part = part

    def flex_frame(x, y, w, h, fid):
        frame = Frame(x, y, w, h, id=fid, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        frame._mgi_base = (y, h)
        return frame

    def foot_notes(canv, doc):  # the page's notes across the text width, above the bottom margin
        keys = layout.page_notes.get(doc.page, [])
        if not keys:
            return
        paras = note_paragraphs(keys, notes, styles, sample.path)
        gap = 2.0
        heights = [p.wrap(text_w, height)[1] for p in paras]
        total = sum(heights) + gap * (len(paras) - 1) + 10.0
        layout.needed[doc.page] = max(layout.needed.get(doc.page, 0.0), total + 4.0)
        y = m["bottom"]
        for para, h in zip(reversed(paras), reversed(heights)):
            para.drawOn(canv, m["left"], y)
            y += h + gap
        if d.get("note_rule", True):
            canv.saveState()
            canv.setStrokeColor(colors.black)
            canv.setLineWidth(0.5)
            canv.line(m["left"], y + 3, m["left"] + 72, y + 3)
            canv.restoreState()

    def header_footer(canv, doc):  # one header line and a folio
        canv.saveState()
        if d["header"]:
            canv.setFont("MGI-Sans", 7.2)
            canv.setFillColor(accent)
            y = height - m["top"] + 26
            canv.drawString(m["left"], y, d["header"])
            if d["header_part"] and doc.current_part:
                room = text_w - canv.stringWidth(d["header"], "MGI-Sans", 7.2) - 12  # a gap after the header
                part = fitted(doc.current_part, room, lambda t: canv.stringWidth(t, "MGI-Sans", 7.2))
                if part:  # a page too narrow for both: the part name shortened, or left out
                    canv.drawRightString(width - m["right"], y, part)
            canv.setStrokeColor(accent)
            canv.setLineWidth(0.4)
            canv.line(m["left"], y - 5, width - m["right"], y - 5)
        canv.setFont("MGI-Sans", 8)
        canv.setFillColor(colors.black)
        folio = d["footer"].format(page=doc.page)
        fy = m["bottom"] - 30
        if d["footer_align"] == "center":
            canv.drawCentredString(width / 2, fy, folio)
        else:
            canv.drawRightString(width - m["right"], fy, folio)
        canv.restoreState()

    draw_furniture = make_furniture(d, width, height, m, accent) if d.get("furniture") else header_footer
    draw_notes = make_note_drawer(d, layout, notes, styles, m, text_w, height, sample.path) if d.get("note_columns") else foot_notes

    def body_end(canv, doc):
        draw_notes(canv, doc)
        draw_furniture(canv, doc)

    def cover(canv, doc):
        front, cx = sample.front, float(d.get("cover_left", m["left"]))
        canv.saveState()
        canv.setFillColor(colors.HexColor(d["cover_fill"]))
        canv.rect(0, height * 0.42, width, height * 0.58, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        y = height - 150
        lines = front.get("cover_title", [])
        size = 30.0
        while size > 12 and any(canv.stringWidth(t, "MGI-Sans-Bold", size) > width - 2 * cx for t in lines):
            size -= 1
        for line in lines:
            canv.setFont("MGI-Sans-Bold", size)
            canv.drawString(cx, y, line)
            y -= size * 1.27
        canv.setFillColor(accent)
        canv.setFont("MGI-Sans", 17)
        canv.drawString(cx, height * 0.42 - 50, front.get("cover_subtitle", ""))
        canv.setFont("MGI-Sans-Bold", 11)
        canv.drawString(cx, 60, front.get("cover_publisher", "IOM · UN MIGRATION"))
        canv.restoreState()

    def front_end(canv, doc):
        draw_notes(canv, doc)

    single = flex_frame(m["left"], m["bottom"], text_w, text_h, "body")
    gap = float(d["column_gap"])
    count = int(d.get("column_count", 2))  # columns of the multi-column templates
    col_w = (text_w - gap * (count - 1)) / count
    head_h = float(d.get("column_head_height", 96))

    def columns(h: float) -> list:
        return [flex_frame(m["left"] + k * (col_w + gap), m["bottom"], col_w, h, f"c{k + 1}") for k in range(count)]

    templates = [
        PageTemplate("cover", [Frame(m["left"], m["bottom"], text_w, text_h, id="cover")], onPage=cover),
        PageTemplate("front", [Frame(m["left"], m["bottom"], text_w, text_h, id="front", leftPadding=0, rightPadding=0)], onPageEnd=front_end),
        PageTemplate("body", [single], onPageEnd=body_end),
        PageTemplate(
            "twocol_head",
            [
                Frame(m["left"], m["bottom"] + text_h - head_h, text_w, head_h, id="head", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
                *columns(text_h - head_h),
            ],
            onPageEnd=body_end,
            autoNextPageTemplate="twocol",
        ),
        PageTemplate(
            "twocol",
            columns(text_h),
            onPageEnd=body_end,
        ),
    ]
    doc = ProfileDoc(
        buf,
        pagesize=(width, height),
        pageTemplates=templates,
        leftMargin=m["left"], rightMargin=m["right"], topMargin=m["top"], bottomMargin=m["bottom"],
        title=str(meta.get("title", "")),
        author=str(d.get("pdf_author", "International Organization for Migration (IOM)")),
        subject=str(d.get("pdf_subject", "Migration Governance Indicators profile (rendered test sample)")),
        creator="mgi-pipeline sample renderer",
        producer="mgi-pipeline sample renderer (ReportLab)",
        invariant=1,
        pageCompression=1,
    )
    return doc, layout
