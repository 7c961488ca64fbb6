"""pdfminer's fonts of a page for the PDFium character source
(``pipeline.parse.pdfium_fonts``): which font a name PDFium gives stands
for, read only as far as the lookups need (the page's own fonts, then its
form XObjects' ones), and a damaged resource ending the walk."""

from __future__ import annotations

import pdfplumber

from pipeline.parse.pdfium_fonts import MinerFont, MinerFonts, PageFonts, miner_font


def _font(name: str) -> MinerFont:
    return MinerFont(name, -0.2, {"a": (0.5,)})


class _Fonts:
    """MinerFonts' two walks over made-up resources: {"own": [...], "forms": [...]}
    (a form entry "!" raises, as a damaged resource does); counts the form
    fonts the walk reached."""

    def __init__(self):
        self.reached = 0

    def own_fonts(self, resources):
        yield from resources["own"]

    def form_fonts(self, resources):
        for font in resources["forms"]:
            if font == "!":
                raise ValueError("damaged")
            self.reached += 1
            yield font


def _page(own: list, forms: list) -> tuple[PageFonts, _Fonts]:
    fonts = _Fonts()
    return PageFonts(fonts, {"own": own, "forms": forms}), fonts


def test_a_name_without_prefix_is_the_pages_own_font_before_any_form_is_read():
    subset, plain = _font("BCDEEE+Calibri"), _font("Calibri")
    page, fonts = _page([subset], [plain])
    assert page.font("Calibri") is subset  # PDFium drops the prefix of the page's own subset font
    assert fonts.reached == 0  # (no form XObject resolved for it)
    own_plain = _font("Calibri")
    page, _ = _page([subset, own_plain], [])
    assert page.font("Calibri") is own_plain  # the page's own font of that very name first


def test_a_name_not_among_the_pages_own_fonts_is_looked_for_in_its_forms():
    first, exact, other = _font("QQQQQQ+Foo"), _font("Foo"), _font("Bar")
    page, fonts = _page([other], [first, exact])
    assert page.font("Foo") is exact  # the exact name among the forms' fonts before one with a prefix
    assert page.font("QQQQQQ+Foo") is first
    page, _ = _page([other], [first])
    assert page.font("Foo") is first
    assert page.font("Baz") is None
    assert page.font("Bar") is other


def test_a_name_with_prefix_is_that_font_wherever_it_is_else_one_of_its_name():
    own, form = _font("XYZXYZ+Foo"), _font("ABCDEF+Foo")
    page, fonts = _page([own], [form])
    assert page.font("ABCDEF+Foo") is form
    assert page.font("XYZXYZ+Foo") is own and fonts.reached == 1
    page, _ = _page([own], [])
    assert page.font("GHIJKL+Foo") is own  # no font of that exact name: the first of its name


def test_a_damaged_form_ends_the_walk_and_what_was_found_before_it_stays():
    before, after = _font("Before"), _font("After")
    page, fonts = _page([], [before, "!", after])
    assert page.font("After") is None
    assert page.font("Before") is before
    assert page.font("After") is None and fonts.reached == 1


def test_fonts_of_a_real_page_and_no_fonts_for_a_page_pdfminer_cannot_give(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "fonts.pdf"
    c = canvas.Canvas(str(path), pagesize=(300, 200))
    c.setFont("Helvetica", 10)
    c.drawString(20, 150, "Own text.")
    c.beginForm("box")
    c.setFont("Times-Roman", 10)
    c.drawString(20, 100, "Form text.")
    c.endForm()
    c.doForm("box")
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        fonts = MinerFonts(pdf)
        page = fonts.page(0)
        helvetica, times = miner_font(page, "Helvetica"), miner_font(page, "Times-Roman")
        assert (helvetica.fontname, times.fontname) == ("Helvetica", "Times-Roman")
        assert helvetica.width("a", 0.556) == 0.556 and helvetica.descent < 0
        assert miner_font(page, "Courier") is None and miner_font(None, "Helvetica") is None
        assert fonts.page(0).font("Helvetica") is helvetica  # each font read once per document
        assert fonts.page(5).font("Helvetica") is None  # no such page: PDFium's names and widths
