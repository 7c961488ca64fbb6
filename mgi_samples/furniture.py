"""Running furniture variants of the sample renderer: where the running
header, the footer text and the page number (folio) are printed.

Design key ``furniture`` (absent: template.py's own header/footer)::

    furniture:
      header: "REPUBLIC OF CHILE | PROFILE 2018"   # running header text ("" none)
      header_pages: even          # all | even | odd
      header_rule: true           # thin rule under the header
      footer: "Migration Governance Indicators | Chile 2018"   # footer text
      folio: bottom-outer         # bottom-outer | top-outer | bottom-right | bottom-centre | top-right
      folio_text: "{page} | MGI LOCAL PROFILE 2022"   # with top-right: the folio line
      header_align: outer         # outer | right (every header flush right) | left
      size: 7.5                   # type size of the furniture

"Outer" is the left edge on even (verso) pages and the right edge on odd
(recto) pages; the footer text then sits beside the folio, towards the inside. With
``bottom-centre`` the footer text is the folio, centred on the page, and may
name the page and the page count: ``"Página {page} de {pages}"`` (render.py
then re-flows until the count it printed is the count it made).
A header may name the current part, ``header: "{part}"`` (the last level-1
heading set on or before the page, as InDesign running-header variables do);
with ``top-right`` the folio line (``folio_text``) stands flush right on the
header line of every body page and nothing is printed at the foot.
"""

from __future__ import annotations

from typing import Any

from pipeline.errors import RenderError

FOLIO = ("bottom-outer", "top-outer", "bottom-right", "bottom-centre", "top-right")
ALIGN = ("outer", "right", "left")
PAGES = ("all", "even", "odd")


def fitted(text: str, room: float, width) -> str:
    """TEXT as printed in ROOM points (``width(text)`` measures): whole when it
    fits, else cut at a word with an ellipsis, else "" (nothing fits)."""
    if width(text) <= room:
        return text
    words = text.split()
    while words:
        words.pop()
        short = " ".join(words).rstrip(" ,;:—–-") + "…"
        if words and width(short) <= room:
            return short
    return ""


def make_furniture(d: dict[str, Any], width: float, height: float, margins: dict[str, float], accent):
    """A ``draw(canv, doc)`` that prints the running furniture of ``d['furniture']``."""
    from reportlab.lib import colors

    f = dict(d.get("furniture") or {})
    folio = str(f.get("folio", "bottom-outer"))
    pages = str(f.get("header_pages", "all"))
    if folio not in FOLIO:
        raise RenderError.of("E533", folio=folio, known=", ".join(FOLIO))
    if pages not in PAGES:
        raise RenderError.of("E534", pages=pages, known=", ".join(PAGES))
    align = str(f.get("header_align", "outer"))
    if align not in ALIGN:
        raise RenderError.of("E535", align=align, known=", ".join(ALIGN))
    header = str(f.get("header", ""))
    footer = str(f.get("footer", ""))
    size = float(f.get("size", 7.5))
    rule = bool(f.get("header_rule", True))
    left, right = margins["left"], width - margins["right"]
    head_y = height - margins["top"] + 26
    foot_y = margins["bottom"] - 30

    def draw(canv, doc) -> None:
        even = doc.page % 2 == 0
        canv.saveState()
        if header and (pages == "all" or (pages == "even") == even):
            canv.setFont("MGI-Sans", size)
            canv.setFillColor(accent)
            text = header.format(part=getattr(doc, "current_part", "")) if "{part}" in header else header
            if folio == "top-right":  # the folio line shares the header line: the header gives way
                line = str(f.get("folio_text", "{page}")).format(page=doc.page)
                room = right - left - canv.stringWidth(line, "MGI-Sans-Bold", size) - 12
                text = fitted(text, room, lambda t: canv.stringWidth(t, "MGI-Sans", size))
            if (even and align == "outer") or align == "left":
                canv.drawString(left, head_y, text)
            else:
                canv.drawRightString(right, head_y, text)
            if rule:
                canv.setStrokeColor(accent)
                canv.setLineWidth(0.4)
                canv.line(left, head_y - 5, right, head_y - 5)
        canv.setFillColor(colors.black)
        number = str(doc.page)
        if folio == "top-right":
            canv.setFont("MGI-Sans-Bold", size)
            canv.drawRightString(right, head_y, str(f.get("folio_text", "{page}")).format(page=doc.page))
        elif folio == "bottom-centre":
            canv.setFont("MGI-Sans", size)
            canv.drawCentredString(width / 2, foot_y, footer.format(page=doc.page, pages=d.get("_pages", 0)))
        elif folio == "bottom-right":
            canv.setFont("MGI-Sans", size)
            if footer:
                canv.drawString(left, foot_y, footer)
            canv.setFont("MGI-Sans-Bold", size + 0.5)
            canv.drawRightString(right, foot_y, number)
        else:
            y = foot_y if folio == "bottom-outer" else height - margins["top"] + 30
            canv.setFont("MGI-Sans-Bold", size + 1.5)
            gap = canv.stringWidth(number, "MGI-Sans-Bold", size + 1.5) + 10
            if even:
                canv.drawString(left, y, number)
            else:
                canv.drawRightString(right, y, number)
            if footer:
                canv.setFont("MGI-Sans", size)
                canv.setFillColor(accent)
                if folio == "top-outer":  # the footer text is then centred on its own
                    canv.drawCentredString(width / 2, foot_y, footer)
                elif even:
                    canv.drawString(left + gap, foot_y, footer)
                else:
                    canv.drawRightString(right - gap, foot_y, footer)
        canv.restoreState()

    return draw
