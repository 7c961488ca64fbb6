"""Typographic variants of the sample renderer (designs other than the first
family): body face and alignment, heading weights, footnote numbering, and
KEY SOURCES set inline instead of in a hanging year column.

Design keys read here (all optional; the defaults leave ``design.paragraph_styles``
untouched, so existing samples render byte-identically):

``body_font``         ``Serif`` (default) or ``Sans``: face of body text,
                      quotes, list items, minor headings, notes, sources.
``body_align``        ``justify`` (default) or ``left`` (ragged right).
``styles``            per-style attribute overrides, e.g.
                      ``{sub: {fontName: MGI-Sans, fontSize: 13}}``; colours
                      given as ``#RRGGBB``.
``note_number``       ``superscript`` / ``plain`` (story.py), ``period``
                      ("6. Note text", number on the line) or ``tab`` (a
                      plain number, the text at a tab stop ``note_tab`` pt in,
                      wrapped lines aligned with it).
``marker_scale``      footnote markers at this fraction of the body size
                      (default story.py's 0.62) raised by ``marker_rise`` pt
                      (default 2): e.g. 0.75 and 2, barely a superscript.
``key_sources_layout`` ``table`` (default, hanging year column) or ``inline``
                      ("2021a  Title ..." in one paragraph).
``ks_author_case``    ``as_is`` (default) or ``upper``.
``rewrap_keeps_hyphens`` ``true``: a compound broken after its own hyphen keeps
                      it when ReportLab wraps the paragraph again (see
                      ``compound_hyphens_kept``). Off by default: the shipped
                      samples were typeset with ReportLab's own join, which
                      drops it ("Migration MultiPartner Trust Fund" in the
                      national 2018 sample), and must stay byte-identical.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape

from mgi_samples.fonts import register_sans_text
from mgi_samples.shared import style_like
from pipeline.errors import RenderError

# which font of the sans text family replaces which serif one
_SWAP = {
    "MGI-Serif": "MGI-SansText",
    "MGI-Serif-Bold": "MGI-SansText-Bold",
    "MGI-Serif-Italic": "MGI-SansText-Oblique",
    "MGI-Serif-BoldItalic": "MGI-SansText-BoldOblique",
}


def _value(key: str, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("#") and "olor" in key:
        from reportlab.lib import colors

        return colors.HexColor(value)
    return value


def adjust_styles(s: dict[str, Any], d: dict[str, Any]) -> dict[str, Any]:
    """Apply the design's typographic variants to the styles design.py built."""
    from reportlab.lib.enums import TA_LEFT

    font = str(d.get("body_font", "Serif"))
    if font not in ("Serif", "Sans"):
        raise RenderError.of("E539", font=font)
    if font == "Sans":
        register_sans_text()
        for style in s.values():
            if style.fontName in _SWAP:
                style.fontName = _SWAP[style.fontName]
            if getattr(style, "bulletFontName", None) in _SWAP:
                style.bulletFontName = _SWAP[style.bulletFontName]
    align = str(d.get("body_align", "justify"))
    if align not in ("justify", "left"):
        raise RenderError.of("E540", align=align)
    if align == "left":
        for name in ("body", "quote", "item", "note", "small"):
            s[name].alignment = TA_LEFT
    if d.get("note_number") == "tab":
        from reportlab.lib.styles import ParagraphStyle

        note = s["note"]
        s["note"] = ParagraphStyle("note_tab", parent=note, leftIndent=float(d.get("note_tab", 14)), bulletIndent=0,
                                   bulletFontName=note.fontName, bulletFontSize=note.fontSize)
    for name, attrs in (d.get("styles") or {}).items():
        if name not in s:
            raise RenderError.of("E541", name=name, known=", ".join(sorted(s)))
        for key, value in (attrs or {}).items():
            if not hasattr(s[name], key):
                raise RenderError.of("E542", name=name, key=key)
            setattr(s[name], key, _value(key, value))
    return s


def note_xml(d: dict[str, Any], number: int, body: str) -> str | None:
    """Note paragraph XML for the numbering styles defined here (None: not ours)."""
    if d.get("note_number") == "period":
        return f"{number}. {body}"
    if d.get("note_number") == "tab":
        return f"<bullet>{number}</bullet>{body}"
    return None


def marker_sup(d: dict[str, Any]) -> tuple[float, float] | None:
    """(size, rise) of footnote markers when the design sets ``marker_scale``."""
    if "marker_scale" not in d:
        return None
    return (round(float(d["body_size"]) * float(d["marker_scale"]), 2), float(d.get("marker_rise", 2.0)))


def inline_sources(groups: list[dict[str, Any]], styles: dict[str, Any], d: dict[str, Any], entry_xml) -> list:
    """KEY SOURCES as author headings followed by one paragraph per entry that
    starts with its year label ("2021a  Title ...")."""
    from reportlab.platypus import Paragraph

    case = str(d.get("ks_author_case", "as_is"))
    if case not in ("as_is", "upper"):
        raise RenderError.of("E543", case=case)
    entry_style = style_like(styles["ks_entry"], spaceAfter=3)
    out = []
    for group in groups:
        author = str(group["author"])
        out.append(Paragraph(escape(author.upper() if case == "upper" else author), styles["ks_author"]))
        for entry in group.get("entries", []):
            year = escape(printed_year(entry, d))
            out.append(Paragraph(f"{year}\u2002{entry_xml(entry)}" if year else entry_xml(entry), entry_style))
    return out


def printed_year(entry: dict[str, Any], d: dict[str, Any]) -> str:
    """The year label a KEY SOURCES entry prints: blank for a ``year_supplied``
    entry when the design sets ``blank_supplied_years`` (real profiles print
    none where the year is not known)."""
    if d.get("blank_supplied_years") and entry.get("year_supplied"):
        return ""
    return str(entry.get("year", ""))


def heading_as_set(block: dict[str, Any], d: dict[str, Any]) -> dict[str, Any]:
    """A heading block as the design prints it: ``number_dimensions`` puts
    "N. " before a dimension heading, ``sub_case: upper`` sets level-2 and
    level-3 headings in capitals. Unchanged when the design sets neither."""
    text = str(block["heading"])
    level = int(block.get("level", 1))
    if d.get("number_dimensions") and level == 1 and block.get("dimension"):
        text = f"{int(block['dimension'])}. {text}"
    if d.get("sub_case") == "upper" and level in (2, 3):
        text = re.sub(r"(\*\*|\[\^=?\d+\])|([^*\[]+)", lambda m: m.group(1) or m.group(2).upper(), text)
    return block if text == str(block["heading"]) else {**block, "heading": text}


@contextmanager
def no_break_spaces():
    """While a document is built, keep words joined by U+202F NARROW NO-BREAK
    SPACE on one line (French "1\u202f450\u202f333", "30,7\u202f%", "«\u202fà\u202f»").

    ReportLab counts U+202F among the spaces it breaks lines at, but draws it as
    itself, so only its word splitter is narrowed here, and only for text that
    holds the character: every other text is split exactly as before.
    """
    import reportlab.platypus.paragraph as rl_paragraph

    original = rl_paragraph.split
    spaces = rl_paragraph._wsc.replace("\u202f", "")
    splitter = re.compile("[%s]+" % re.escape(spaces)).split

    def split(text, delim=None):
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if delim is None and "\u202f" in text:
            return splitter(text)
        return original(text, delim)

    rl_paragraph.split = split
    try:
        yield
    finally:
        rl_paragraph.split = original


@contextmanager
def compound_hyphens_kept():
    """While a document is built, keep a compound's own hyphen when ReportLab
    re-wraps a paragraph it broke after that hyphen ("nutrient-|enriched").

    ReportLab 5 joins the two halves of such a split word again whenever a
    paragraph is wrapped a second time (a page split, a frame retry) and its
    joiner strips every trailing hyphen, also one that was in the text: the PDF
    then reads "nutrientenriched", and the first part of a split paragraph can
    come out a line taller than the room it was split for ("Splitting error").
    Only that join of plain strings is changed here: a hyphen ReportLab added
    itself (a ``_SplitFragHY`` head) and soft-hyphen words go the original way.
    """
    import reportlab.platypus.paragraph as rl_paragraph

    original = rl_paragraph._rejoinSplitFragWords
    shy_str = rl_paragraph._SHYIndexedStr
    added_hyphen = rl_paragraph._SplitFragHY

    def rejoin(frags):
        if any(isinstance(f, added_hyphen) or any(isinstance(t, shy_str) for _, t in f[1:]) for f in frags):
            return original(frags)
        joined: list[Any] = [sum(f[0] for f in frags)]
        previous = None
        for f in frags:
            for style, text in f[1:]:
                if style is previous:
                    joined[-1] = (style, joined[-1][1] + text)
                else:
                    joined.append((style, text))
                    previous = style
        return rl_paragraph._reconstructSplitFrags(frags[-1])(joined)

    rl_paragraph._rejoinSplitFragWords = rejoin
    try:
        yield
    finally:
        rl_paragraph._rejoinSplitFragWords = original


def starred_sources(groups: list[dict[str, Any]], d: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """KEY SOURCES with an asterisk convention (design key ``unavailable``:
    ``{note: "Not available online.", mark: "*", legend: "* Not available online."}``):
    entries whose note is that note end in the mark instead, and the legend is
    printed once above the list. Other notes stay as they are."""
    spec = d.get("unavailable")
    if not spec:
        return groups, None
    note, mark = str(spec.get("note", "Not available online.")), str(spec.get("mark", "*"))
    out = []
    for group in groups:
        entries = []
        for entry in group.get("entries", []):
            if str(entry.get("note", "")).strip() == note:
                entry = {k: v for k, v in entry.items() if k != "note"}
                entry["mark"] = mark
            entries.append(entry)
        out.append({**group, "entries": entries})
    return out, str(spec.get("legend", f"{mark} {note}"))
