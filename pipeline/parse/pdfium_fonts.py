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
    form XObject resources; no content stream is interpreted), read when
    PDFium first names them (``PageFonts``), each once per document."""

    def __init__(self, pdf):
        self.pdf = pdf
        self._fonts: dict[int, MinerFont | None] = {}

    def page(self, index: int) -> "PageFonts":
        """The fonts of page ``index`` (0-based), none read yet."""
        try:
            resources = self.pdf.pages[index].page_obj.resources
        except Exception:  # a damaged page: names and widths as PDFium gives them
            resources = None
        return PageFonts(self, resources)

    def mediabox(self, index: int) -> tuple[float, float, float, float] | None:
        try:
            x0, y0, x1, y1 = (float(v) for v in self.pdf.pages[index].page_obj.mediabox)
        except Exception:  # a damaged box: PDFium's
            return None
        return x0, y0, x1, y1

    def own_fonts(self, resources):
        """The fonts pdfminer reads of a resource dictionary's own /Font, in
        order (a font pdfminer cannot read is left out)."""
        from pdfminer.pdftypes import PDFObjRef, resolve1

        fonts = resolve1(resources.get("Font"))
        for spec in (fonts.values() if isinstance(fonts, dict) else ()):
            objid = spec.objid if isinstance(spec, PDFObjRef) else id(spec)
            if objid not in self._fonts:
                self._fonts[objid] = self._font(spec)
            font = self._fonts[objid]
            if font is not None:
                yield font

    def form_fonts(self, resources, depth: int = 1):
        """The fonts of the form XObjects of a resource dictionary (and of
        theirs, depth first), in order, read as the walk reaches them."""
        from pdfminer.pdftypes import PDFStream, resolve1

        xobjects = resolve1(resources.get("XObject"))
        for xobj in (xobjects.values() if isinstance(xobjects, dict) else ()):
            xobj = resolve1(xobj)
            if isinstance(xobj, PDFStream) and getattr(xobj.get("Subtype"), "name", None) == "Form" and "Resources" in xobj:
                inner = resolve1(xobj.get("Resources"))
                if isinstance(inner, dict) and depth <= 4:
                    yield from self.own_fonts(inner)
                    yield from self.form_fonts(inner, depth + 1)

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


class PageFonts:
    """The fonts of one page by the name PDFium gives, read when first asked
    for: the page's own (its /Font), then those of its form XObjects (depth
    first), walked only as far as a lookup needs. A name with a subset
    prefix ("ABCDEF+Foo") is the first font of that name on the page, else
    the first of its name without the prefix. A name without one (PDFium
    drops the prefix of simple fonts) is the page's own font of that name,
    else its own of that name with a prefix, else the same among the forms'
    fonts. A damaged resource ends the walk (what was found before it stays)."""

    def __init__(self, fonts: MinerFonts, resources):
        self._fonts = fonts
        self._resources = resources
        self._own: list[MinerFont] | None = None
        self._forms = None  # the walk of the forms' fonts (None: ended)
        self._formed: list[MinerFont] = []  # the forms' fonts walked so far

    def font(self, name: str) -> MinerFont | None:
        if self._own is None:
            self._start()
        base = name.split("+", 1)[-1]
        for font in self._own:
            if font.fontname == name:
                return font
        if base == name:
            for font in self._own:
                if font.fontname.split("+", 1)[-1] == base:
                    return font
        for font in self._formed:
            if font.fontname == name:
                return font
        while self._forms is not None:
            try:
                font = next(self._forms)
            except Exception:  # the end, or a damaged resource: names and widths as PDFium gives them
                self._forms = None
                break
            self._formed.append(font)
            if font.fontname == name:
                return font
        for font in self._own + self._formed:
            if font.fontname.split("+", 1)[-1] == base:
                return font
        return None

    def _start(self) -> None:
        from pdfminer.pdftypes import resolve1

        self._own = []
        try:
            resources = resolve1(self._resources)
            if isinstance(resources, dict):
                for font in self._fonts.own_fonts(resources):
                    self._own.append(font)
                self._forms = self._fonts.form_fonts(resources)
        except Exception:  # a damaged resource: names and widths as PDFium gives them
            pass


def miner_font(page_fonts: PageFonts | None, name: str) -> MinerFont | None:
    return page_fonts.font(name) if page_fonts is not None else None


# a glyph PDFium spells as several characters, as pdfminer gives it (one character)
LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04", "\u017ft": "\ufb05", "st": "\ufb06"}
