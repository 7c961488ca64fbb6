"""pdfminer's fonts of a page for the PDFium character source
(``pipeline.parse.pdfium``): what PDFium does not give (font names with their
subset prefix, descents, exact glyph widths, whether a ligature maps to one
character), read from the page and form resources only; no content stream
is interpreted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MinerFont:
    """What pdfminer knows of one font that PDFium does not give: its name
    (subset prefix included), its descent (from the font descriptor) and
    its exact glyph widths (PDFium keeps whole thousandths of an em), by
    character (so also whether a ligature maps to one character, "ﬁ", or
    to its letters, "fi")."""

    fontname: str
    descent: float  # per unit of font size, negative
    widths: dict[str, tuple[float, ...]]  # character -> its glyphs' advances per unit of font size

    def width(self, text: str, near: float) -> float | None:
        """The advance of ``text``'s glyph nearest ``near`` (PDFium's), when
        it is PDFium's rounded down to whole thousandths (else None)."""
        found = self.widths.get(text)
        if not found:
            return None
        best = min(found, key=lambda w: abs(w - near)) if len(found) > 1 else found[0]
        return best if -0.0001 <= best - near < 0.0011 else None

    def ligature(self, spelled: str) -> str:
        """A ligature PDFium spells out ("fi"), as pdfminer gives it."""
        composed = LIGATURES.get(spelled)
        if composed is None or (spelled in self.widths and composed not in self.widths):
            return spelled
        return composed


class MinerFonts:
    """pdfminer's fonts of each page of an open pdfplumber ``PDF`` (page and
    form XObject resources; no content stream is interpreted), by name
    without the subset prefix."""

    def __init__(self, pdf):
        self.pdf = pdf
        self._fonts: dict[int, MinerFont | None] = {}

    def page(self, index: int) -> dict[str, list[MinerFont]]:
        out: dict[str, list[MinerFont]] = {}
        try:
            self._collect(self.pdf.pages[index].page_obj.resources, out, 0)
        except Exception:  # a damaged resource: names and widths as PDFium gives them
            pass
        return out

    def mediabox(self, index: int) -> tuple[float, float, float, float] | None:
        try:
            x0, y0, x1, y1 = (float(v) for v in self.pdf.pages[index].page_obj.mediabox)
        except Exception:  # a damaged box: PDFium's
            return None
        return x0, y0, x1, y1

    def _collect(self, resources, out: dict[str, list[MinerFont]], depth: int) -> None:
        from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1  # noqa: F401

        resources = resolve1(resources)
        if not isinstance(resources, dict) or depth > 4:
            return
        fonts = resolve1(resources.get("Font"))
        for spec in (fonts.values() if isinstance(fonts, dict) else ()):
            objid = spec.objid if isinstance(spec, PDFObjRef) else id(spec)
            if objid not in self._fonts:
                self._fonts[objid] = self._font(spec)
            font = self._fonts[objid]
            if font is not None:
                found = out.setdefault(font.fontname.split("+", 1)[-1], [])
                if font not in found:
                    found.append(font)
        xobjects = resolve1(resources.get("XObject"))
        for xobj in (xobjects.values() if isinstance(xobjects, dict) else ()):
            xobj = resolve1(xobj)
            if isinstance(xobj, PDFStream) and getattr(xobj.get("Subtype"), "name", None) == "Form" and "Resources" in xobj:
                self._collect(xobj.get("Resources"), out, depth + 1)

    def _font(self, spec) -> MinerFont | None:
        from pdfminer.pdftypes import PDFObjRef, resolve1

        try:
            objid = spec.objid if isinstance(spec, PDFObjRef) else None
            font = self.pdf.rsrcmgr.get_font(objid, resolve1(spec))
            name = font.fontname
            if isinstance(name, bytes):
                from pdfplumber.utils.pdfinternals import fix_fontname_bytes

                name = fix_fontname_bytes(name)
            if getattr(font, "unicode_map", None) is not None:
                mapping = dict(font.unicode_map.cid2unichr)
            else:
                mapping = dict(getattr(font, "cid2unicode", {}) or {})
            widths: dict[str, tuple[float, ...]] = {}
            for cid, text in mapping.items():
                if isinstance(text, str):
                    w = float(font.char_width(cid))
                    if w not in widths.get(text, ()):
                        widths[text] = widths.get(text, ()) + (w,)
            return MinerFont(str(name), float(font.get_descent()), widths)
        except Exception:  # a font pdfminer cannot read: PDFium's name and widths
            return None


def miner_font(page_fonts: dict[str, list[MinerFont]] | None, name: str) -> MinerFont | None:
    found = page_fonts.get(name.split("+", 1)[-1]) if page_fonts else None
    if not found:
        return None
    for font in found:
        if font.fontname == name:
            return font
    return found[0]


# a glyph PDFium spells as several characters, as pdfminer gives it (one character)
LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04", "\u017ft": "\ufb05", "st": "\ufb06"}
