"""The text layer of a third engine (Typst, issue 18): hyphens drawn with a
glyph the font maps to U+00AD (one glyph serves a word's own hyphen and a
hyphenation break) are hyphens, not soft hyphens to drop; note markers set
with the font's superscript glyphs (full size on the baseline in the text
layer) are markers, not digits glued to the number before them."""

from __future__ import annotations

import os

import pytest

from pipeline.config import load_config, with_engine
from pipeline.parse.chars import drawn_hyphens
from pipeline.parse.stage import parse_pdf


def _char(text: str, x0: float, width: float, size: float = 10.0) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "width": width, "size": size, "top": 0.0, "bottom": size}


def test_a_soft_hyphen_with_an_advance_is_a_hyphen():
    chars = [_char("l", 0, 3), _char("\u00ad", 3, 3.3), _char("b", 6.3, 6)]
    assert [c["text"] for c in drawn_hyphens(chars)] == ["l", "-", "b"]
    assert chars[1]["text"] == "\u00ad"  # the records read are not changed


def test_an_invisible_soft_hyphen_stays_soft():
    chars = [_char("l", 0, 3), _char("\u00ad", 3, 0.0), _char("b", 3, 6)]
    assert drawn_hyphens(chars) is chars


def _typeset(source: str, path):
    """``source`` typeset by Typst into ``path`` (skipped without Typst, unless CI is set)."""
    try:
        import typst
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("typst (PyPI) not installed but CI is set: the test extra must install it")
        pytest.skip("typst (PyPI) not installed: pip install typst")
    path.write_bytes(typst.compile(source.encode("utf-8")))
    return path


@pytest.fixture(scope="module")
def typst_pdf(tmp_path_factory):
    # a hyphenated break first, so the hyphen glyph is mapped to U+00AD
    source = (
        '#set page(width: 300pt, height: 400pt, margin: 30pt)\n'
        '#set text(font: "Libertinus Serif", size: 10pt, lang: "en", hyphenate: true)\n'
        '#set par(justify: true)\n'
        '#"Internationalization characteristically notwithstanding incomprehensibilities "\n'
        '#"of the well-being of migrants, the whole-of-government approach and COVID-19 (ISBN 978-92-9268-605-5)."\n'
    )
    return _typeset(source, tmp_path_factory.mktemp("typst-hyphen") / "hyphens.pdf")


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_typst_hyphens_survive(typst_pdf, engine):
    layout = parse_pdf(typst_pdf, with_engine(load_config(), engine))
    text = " ".join(b.text for page in layout.pages for b in page.blocks)
    for word in ("well-being", "whole-of-government", "COVID-19", "978-92-9268-605-5"):
        assert word in text, text


# --------------------------------------------------------------------------
# OpenType superscript glyphs: full size on the baseline in the text layer
# --------------------------------------------------------------------------


def test_a_narrower_glyph_of_a_digit_is_boxed_as_a_superscript():
    from pipeline.parse.chars import superscript_glyphs

    digits = [_char(d, 10.0 * k, 5.0) for k, d in enumerate("2021112021")]  # the font's usual "1": 0.5 em
    sup = {**_char("1", 200.0, 3.1), "fontname": "X"}
    chars = [{**c, "fontname": "X"} for c in digits] + [sup]
    out = superscript_glyphs(chars)
    assert out[:-1] == chars[:-1]
    assert out[-1]["size"] < 0.7 * 10.0 and out[-1]["bottom"] < 10.0 and out[-1]["top"] == 0.0
    assert superscript_glyphs(chars[:-1]) is chars[:-1] or superscript_glyphs(chars[:-1]) == chars[:-1]


def test_a_digit_touching_a_superscript_glyph_as_narrow_is_one_too():
    """Marker "29" after a bold heading word: the page prints a usual bold "9"
    often enough to tell its superscript glyph, but "2" once only; the "2",
    touching the raised "9" and as narrow, is its first digit, not a "2" glued
    to "Framework" (t00035: heading 'MiGOF: Migration Governance Framework2',
    the section not found)."""
    from pipeline.parse.chars import superscript_glyphs

    usual = [{**_char(d, 10.0 * k, 5.0), "fontname": "B"} for k, d in enumerate("99199")]
    two = {**_char("2", 100.0, 2.6), "fontname": "B"}
    nine = {**_char("9", 102.7, 2.5), "fontname": "B"}
    wide = {**_char("2", 120.0, 5.0), "fontname": "B"}  # a usual "2" apart: stays
    out = superscript_glyphs(usual + [two, nine, wide])
    assert out[-2]["size"] < 0.7 * 10.0  # the "9": narrower than the page's usual bold "9"
    assert out[-3]["size"] == out[-2]["size"] and out[-3]["bottom"] == out[-2]["bottom"]
    assert out[-1] == wide and out[:5] == usual


def test_typst_superscript_glyphs_are_note_markers(tmp_path):
    """Libertinus has superscript digits: Typst's footnote marker is such a
    glyph, with the digit's Unicode, full size on the baseline in the text
    layer. "2021." + marker 1 must not read "2021.1" (and the notes must be
    found)."""
    source = (
        '#set page(width: 360pt, height: 300pt, margin: 30pt)\n'
        '#set text(font: "Libertinus Serif", size: 10pt, lang: "en")\n'
        '#"The national evaluation was carried out in 2021."#footnote[A note on 2021.]'
        '#" The country has 16 regions, 345 communes and 12.7 per cent in 2020."#footnote[Another note, 48.8 per cent.]'
        '#" More text about the 1,000 people."\n'
    )
    path = _typeset(source, tmp_path / "sups.pdf")
    layout = parse_pdf(path, with_engine(load_config(), "pdfplumber"))
    body = " ".join(b.text for b in layout.pages[0].blocks if b.role == "body")
    assert "2021. The country" in body and "2021.1" not in body and "in 2020. More" in body
    assert [m.number for b in layout.pages[0].blocks for m in b.markers] == [1, 2]
    assert [(f.number, f.text) for f in layout.pages[0].footnotes] == [(1, "A note on 2021."), (2, "Another note, 48.8 per cent.")]


def test_a_superscript_glyph_printed_once_on_its_page(tmp_path):
    """The page prints no lining 7 to compare the marker 7 with (the next
    page does): the font's own widths tell (its widest glyph for "7")."""
    source = (
        '#set page(width: 360pt, height: 300pt, margin: 30pt)\n'
        '#set text(font: "Libertinus Serif", size: 10pt, lang: "en")\n'
        '#counter(footnote).update(6)'
        '#"The evaluation was carried out in 2021."#footnote[A note.]#" The country has 16 regions."\n'
        '#pagebreak()\n#"A law of 1977 and more text on this page."\n'
    )
    path = _typeset(source, tmp_path / "sup7.pdf")
    layout = parse_pdf(path, with_engine(load_config(), "pdfplumber"))
    body = " ".join(b.text for b in layout.pages[0].blocks if b.role == "body")
    assert "2021. The country" in body and "2021.7" not in body
    assert [(f.number, f.text) for f in layout.pages[0].footnotes] == [(7, "A note.")]


def test_a_narrow_figure_glued_to_a_full_size_digit_stays_in_the_number():
    """A font with tabular and proportional figures: a table on the page
    prints the tabular "1" often, the text "2021" its proportional "1",
    narrower. Touching the full-size "2" before it, that "1" is part of the
    number, not a superscript glyph: "2021" is not read "202" + marker 1."""
    from pipeline.parse.chars import superscript_glyphs

    tabular = [{**_char("1", 10.0 * k, 5.5), "fontname": "R"} for k in range(5)]
    year = [{**_char(d, x, w), "fontname": "R"} for d, x, w in (("2", 100.0, 5.5), ("0", 105.5, 5.5), ("2", 111.0, 5.5),
                                                                  ("1", 116.5, 3.4))]
    out = superscript_glyphs(tabular + year)
    assert out[-4:] == year
