"""The PDFium character source on fonts from Typst (issue 15): a font with
two glyphs for one digit (lining and superscript) and a hyphen glyph mapped
to U+00AD. PDFium's width of a Unicode value is one glyph's (or a default),
so the advance comes from the glyph's own box: "2021" reads as one word,
not "2 02 1", and the characters are pdfminer's."""

from __future__ import annotations

import os

import pytest

from pipeline.config import load_config, with_engine
from pipeline.parse import pdfium
from pipeline.parse.chars import page_objects, upright_words
from pipeline.parse.stage import parse_pdf


@pytest.fixture(scope="module")
def typst_pdf(tmp_path_factory):
    try:
        import typst
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("typst (PyPI) not installed but CI is set: the test extra must install it")
        pytest.skip("typst (PyPI) not installed: pip install typst")
    # the footnote markers come first, so PDFium's width of "1" and "2" is the superscript glyph's
    source = (
        '#set page(width: 300pt, height: 400pt, margin: 30pt)\n'
        '#set text(font: "Libertinus Serif", size: 10pt, lang: "en", hyphenate: true)\n'
        '#set par(justify: true)\n'
        '#"Noted."#footnote[A first note.]#" Again."#footnote[A second note, 2021.]'
        '#" The national evaluation was carried out in 2021 and 2012, with 120 communes and 12.25 per cent;'
        ' internationalization characteristically notwithstanding incomprehensibilities of the whole-of-government '
        'approach and COVID-19."\n'
    )
    path = tmp_path_factory.mktemp("typst-pdfium") / "digits.pdf"
    path.write_bytes(typst.compile(source.encode("utf-8")))
    return path


def _words(path):
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        doc = pdfium.open_document(path)
        try:
            fonts = pdfium.MinerFonts(pdf)
            page = pdf.pages[0]
            miner, _ = page_objects(page)
            ours, *_ = pdfium.page_objects(doc, 0, page.initial_doctop, rotated=True, fonts=fonts)
        finally:
            doc.close()
    return miner, ours


def test_pdfium_digits_of_a_font_with_superscript_glyphs(typst_pdf):
    miner, ours = _words(typst_pdf)
    words = [w[0] for w in upright_words(ours, 0.15)]
    for number in ("2021", "2012", "120", "12.25"):
        assert number in words or f"{number}," in words or f"{number};" in words, words
    assert [w[0] for w in upright_words(miner, 0.15)] == words
    assert [c["text"] for c in miner] == [c["text"] for c in ours]
    for a, b in zip(miner, ours):  # the glyph's own advance: boxes as pdfminer's
        assert abs(a["x0"] - b["x0"]) < 0.05 and abs(a["x1"] - b["x1"]) < 0.05, (a, b)
        assert a.get("narrow_variant") == b.get("narrow_variant"), (a, b)
    assert any(c.get("narrow_variant") for c in ours)  # the superscript glyphs are marked, as pdfminer's


def test_pdfium_engine_reads_typst_numbers_and_notes_as_pdfplumber(typst_pdf):
    read = {}
    for engine in ("pdfplumber", "pdfium"):
        layout = parse_pdf(typst_pdf, with_engine(load_config(), engine))
        page = layout.pages[0]
        read[engine] = (" ".join(b.text for b in page.blocks), [(f.number, f.text) for f in page.footnotes])
    assert read["pdfium"] == read["pdfplumber"]
    assert "2021 and 2012" in read["pdfium"][0] and "12.25 per cent" in read["pdfium"][0]
    assert [n for n, _ in read["pdfium"][1]] == [1, 2]
