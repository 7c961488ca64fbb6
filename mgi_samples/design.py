"""The design of a sample: defaults merged with the design file's choices,
the page size, and the paragraph styles built from them (typographic
variants: :mod:`mgi_samples.style`)."""

from __future__ import annotations

from typing import Any

from mgi_samples.sources import Sample
from mgi_samples.style import adjust_styles
from pipeline.errors import RenderError

DEFAULT_DESIGN: dict[str, Any] = {
    "page_size": "A4",
    "margins": {"left": 62, "right": 62, "top": 78, "bottom": 66},
    "body_size": 10.0,
    "body_leading": 14.0,
    "note_size": 7.6,
    "note_leading": 9.6,
    "note_number": "superscript",  # or "plain"
    "part_size": 22.0,
    "dimension_size": 16.0,
    "sub_size": 11.5,
    "accent": "#0033A0",
    "box_fill": "#DCE6F2",
    "header": "",
    "header_part": False,
    "footer": "{page}",
    "footer_align": "right",
    "hyphenation": "en_GB",
    "ligatures": True,
    "two_column_dimensions": False,
    "column_gap": 18,
    "labels": {"contents": "CONTENTS", "page": "PAGE"},
    "contents_style": "leaders",  # or "slashes" (TITLE // 12)
    "cover_fill": "#0033A0",
}


def design_of(sample: Sample) -> dict[str, Any]:
    """DEFAULT_DESIGN with the sample's design choices (mappings merged one level deep)."""
    d = dict(DEFAULT_DESIGN)
    for key, value in sample.design.items():
        if isinstance(value, dict) and isinstance(d.get(key), dict):
            d[key] = {**d[key], **value}
        else:
            d[key] = value
    return d


def page_size(d: dict[str, Any]) -> tuple[float, float]:
    """(width, height) in points of the design's ``page_size``."""
    from reportlab.lib.pagesizes import A4, LETTER

    from reportlab.lib.pagesizes import B5, LEGAL

    sizes = {"A4": A4, "LETTER": LETTER, "B5": B5, "LEGAL": LEGAL}
    name = str(d["page_size"]).upper()
    if name not in sizes:
        raise RenderError.of("E509", page_size=d["page_size"])
    return sizes[name]


def paragraph_styles(d: dict[str, Any]) -> dict[str, Any]:
    """The paragraph styles of a design, by name (``body``, ``note``, ``toc``...)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    accent = colors.HexColor(d["accent"])
    size, lead = float(d["body_size"]), float(d["body_leading"])
    hy = d.get("hyphenation") or ""
    body = ParagraphStyle(
        "body", fontName="MGI-Serif", fontSize=size, leading=lead, alignment=TA_JUSTIFY, spaceAfter=lead * 0.55,
        hyphenationLang=hy, embeddedHyphenation=1, uriWasteReduce=0.3,
    )
    s = {
        "body": body,
        "quote": ParagraphStyle("quote", parent=body, fontName="MGI-Serif-Italic", leftIndent=24, rightIndent=24, spaceBefore=6),
        "item": ParagraphStyle("item", parent=body, leftIndent=20, bulletIndent=4, bulletFontName="MGI-Serif", spaceAfter=lead * 0.3),
        "part": ParagraphStyle(
            "part", fontName="MGI-Sans-Bold", fontSize=d["part_size"], leading=d["part_size"] * 1.2, textColor=accent,
            spaceAfter=d["part_size"] * 0.8, alignment=TA_LEFT,
        ),
        "dimension": ParagraphStyle(
            "dimension", fontName="MGI-Sans-Bold", fontSize=d["dimension_size"], leading=d["dimension_size"] * 1.25,
            textColor=accent, spaceAfter=d["dimension_size"] * 0.7, alignment=TA_LEFT,
        ),
        "sub": ParagraphStyle(
            "sub", fontName="MGI-Serif-Bold", fontSize=d["sub_size"], leading=d["sub_size"] * 1.3, textColor=accent,
            spaceBefore=lead * 0.6, spaceAfter=lead * 0.5, keepWithNext=1,
        ),
        "minor": ParagraphStyle(
            "minor", fontName="MGI-Serif-Bold", fontSize=size + 0.5, leading=lead, spaceBefore=lead * 0.5,
            spaceAfter=lead * 0.35, keepWithNext=1,
        ),
        "step": ParagraphStyle(
            "step", fontName="MGI-Sans-Bold", fontSize=size, leading=lead, textColor=accent, spaceBefore=lead * 0.4,
            spaceAfter=lead * 0.2, keepWithNext=1,
        ),
        "note": ParagraphStyle(
            "note", fontName="MGI-Serif", fontSize=d["note_size"], leading=d["note_leading"], alignment=TA_JUSTIFY,
            hyphenationLang=hy, embeddedHyphenation=1,
        ),
        "ks_author": ParagraphStyle(
            "ks_author", fontName="MGI-Serif-Bold", fontSize=size - 0.5, leading=lead - 1, spaceBefore=lead * 0.7,
            spaceAfter=lead * 0.2, keepWithNext=1,
        ),
        "ks_entry": ParagraphStyle("ks_entry", fontName="MGI-Serif", fontSize=size - 1, leading=lead - 2, alignment=TA_LEFT),
        "small": ParagraphStyle("small", fontName="MGI-Serif", fontSize=7.6, leading=10, spaceAfter=5, alignment=TA_JUSTIFY),
        "toc": ParagraphStyle("toc", fontName="MGI-Sans-Bold", fontSize=11, leading=15, textColor=accent),
        "toc2": ParagraphStyle("toc2", fontName="MGI-Sans", fontSize=9, leading=12, leftIndent=14),
        "summary_label": ParagraphStyle(
            "summary_label", fontName="MGI-Sans-Bold", fontSize=size, leading=lead, textColor=accent, spaceBefore=lead * 0.5,
            keepWithNext=1,
        ),
    }
    if d["note_number"] == "plain":
        s["note"] = ParagraphStyle("note_plain", parent=s["note"], leftIndent=12, firstLineIndent=-12)
    if "para_space" in d:  # paragraph separation: space after, in lines (0: none)
        body.spaceAfter = lead * float(d["para_space"])
    if "para_indent" in d:  # first-line indent of body paragraphs, pt
        body.firstLineIndent = float(d["para_indent"])
    if d.get("break_at_hyphens", True) is False:  # no line break after a word's own hyphen ("migration-|related")
        for style in s.values():
            style.embeddedHyphenation = 0
    return adjust_styles(s, d)
