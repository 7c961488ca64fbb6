"""Hyphens drawn with a glyph the font maps to U+00AD (Typst does: one glyph
serves a word's own hyphen and a hyphenation break) are hyphens, not soft
hyphens to drop (issue 18, third engine). Both character sources."""

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


@pytest.fixture(scope="module")
def typst_pdf(tmp_path_factory):
    try:
        import typst
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("typst (PyPI) not installed but CI is set: the test extra must install it")
        pytest.skip("typst (PyPI) not installed: pip install typst")
    # a hyphenated break first, so the hyphen glyph is mapped to U+00AD
    source = (
        '#set page(width: 300pt, height: 400pt, margin: 30pt)\n'
        '#set text(font: "Libertinus Serif", size: 10pt, lang: "en", hyphenate: true)\n'
        '#set par(justify: true)\n'
        '#"Internationalization characteristically notwithstanding incomprehensibilities "\n'
        '#"of the well-being of migrants, the whole-of-government approach and COVID-19 (ISBN 978-92-9268-605-5)."\n'
    )
    path = tmp_path_factory.mktemp("typst-hyphen") / "hyphens.pdf"
    path.write_bytes(typst.compile(source.encode("utf-8")))
    return path


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_typst_hyphens_survive(typst_pdf, engine):
    layout = parse_pdf(typst_pdf, with_engine(load_config(), engine))
    text = " ".join(b.text for page in layout.pages for b in page.blocks)
    for word in ("well-being", "whole-of-government", "COVID-19", "978-92-9268-605-5"):
        assert word in text, text
