"""Renderer of the shipped sample PDFs (developer tool, ``mgi samples render``).

No published MGI profile can be downloaded in the build environment, so the
samples are typeset here from structured YAML sources (``samples/source/``) to
look like published profiles and to exercise the parser realistically: cover,
copyright page, a CONTENTS page whose page numbers are right (the layout is
iterated until stable), running headers and footers, superscript footnote
markers whose notes sit at the foot of the page where the marker is printed,
justified and hyphenated body text with ligature glyphs, KEY SOURCES with
hanging indents, and (per design) parts set in two columns.

A *design* file names its output PDF, the content file it typesets and the
design choices (page size, margins, sizes, header wording...). A *content*
file holds metadata, front matter and an ordered list of blocks::

    {heading: TEXT, level: 1|2|3|4, id: ..., toc: bool, new_page: bool,
     dimension: N, box: bool, footnote_scope: NAME, label: "1"}
    {p: TEXT}  {quote: TEXT}  {item: TEXT, label: "1."}
    {footnote: N, text: TEXT}            # note of marker [^N] in the current scope
    {dimension_summary: LABEL, target: HEADING_ID, text: TEXT}
    {key_sources: [{author: ..., entries: [{year, title, translation, rest, note}]}]}
    {page_break: true}

Inline markup: ``[^N]`` footnote marker, ``**bold**``, ``*italic*``; a ``\\n``
in a heading forces a line break. Output is deterministic: same sources give
byte-identical PDFs (reportlab ``invariant`` mode, fixed metadata).
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

from pipeline.errors import MGIError, RenderError
from mgi_samples.columns import band_heading, column_width, contents_two_columns
from mgi_samples.edition import apply_edition
from mgi_samples.figure import place_inserts
from mgi_samples.sidebar import dot_contents, merge_side_heads, side_head
from mgi_samples.notes import make_note_drawer, note_paragraphs
from mgi_samples.spacing import spaced_heading
from mgi_samples.style import adjust_styles, inline_sources, marker_sup, no_break_spaces, note_xml, starred_sources

FONT_DIR = Path(os.environ.get("MGI_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT_FILES = {
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Serif-Italic": "DejaVuSerif-Italic.ttf",
    "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
}
LIGATURES = (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"))
MAX_PASSES = 14


# --------------------------------------------------------------------------
# sources
# --------------------------------------------------------------------------


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError.of("E501", path=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RenderError.of("E502", path=path, where=where, problem=str(exc).splitlines()[0]) from None
    if not isinstance(data, dict):
        raise RenderError.of("E503", path=path)
    return data


@dataclass
class Sample:
    """A design merged with the content it typesets."""

    path: Path
    output: str
    design: dict[str, Any]
    metadata: dict[str, Any]
    front: dict[str, Any]
    blocks: list[dict[str, Any]]


def load_sample(path: Path) -> Sample:
    """Read a design file (and the content file it names, if any)."""
    path = Path(path)
    data = _read_yaml(path)
    if "output" not in data:
        raise RenderError.of("E504", path=path)
    content = data
    if data.get("content"):
        content = _read_yaml(path.parent / data["content"])
    blocks = content.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        raise RenderError.of("E505", path=path)
    for i, block in enumerate(blocks):
        if not isinstance(block, dict):
            raise RenderError.of("E506", path=path, index=i)
    sample = Sample(
        path=path,
        output=str(data["output"]),
        design=data.get("design") or {},
        metadata=content.get("metadata") or {},
        front=content.get("front_matter") or {},
        blocks=blocks,
    )
    return apply_edition(sample, data)


def design_files(source: Path) -> list[Path]:
    """Design files in a source folder (YAML files with an ``output`` key), sorted."""
    found = []
    for path in sorted(Path(source).glob("*.yaml")):
        data = _read_yaml(path)
        if "output" in data:
            found.append(path)
    return found


# --------------------------------------------------------------------------
# fonts and inline markup
# --------------------------------------------------------------------------

_FONTS_READY = False


def fonts_available() -> bool:
    return all((FONT_DIR / name).is_file() for name in FONT_FILES.values())


def _register_fonts() -> None:
    global _FONTS_READY
    if _FONTS_READY:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    missing = [name for name in FONT_FILES.values() if not (FONT_DIR / name).is_file()]
    if missing:
        raise RenderError.of("E507", font_dir=FONT_DIR, missing=", ".join(missing))
    for alias, name in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont("MGI-" + alias, str(FONT_DIR / name)))
    addMapping("MGI-Serif", 0, 0, "MGI-Serif")
    addMapping("MGI-Serif", 1, 0, "MGI-Serif-Bold")
    addMapping("MGI-Serif", 0, 1, "MGI-Serif-Italic")
    addMapping("MGI-Serif", 1, 1, "MGI-Serif-BoldItalic")
    addMapping("MGI-Sans", 0, 0, "MGI-Sans")
    addMapping("MGI-Sans", 1, 0, "MGI-Sans-Bold")
    addMapping("MGI-Sans", 0, 1, "MGI-Sans")
    addMapping("MGI-Sans", 1, 1, "MGI-Sans-Bold")
    _FONTS_READY = True


def ligate(text: str) -> str:
    """Replace ff/fi/fl/ffi/ffl by their ligature code points (DejaVu has the glyphs)."""
    for seq, glyph in LIGATURES:
        text = text.replace(seq, glyph)
    return text


_MARKER = re.compile(r"\[\^(=?)(\d+)\]")  # [^=7]: a plain digit glued to the word


def inline(text: str, *, scope: str = "main", ligatures: bool = False, sup: tuple = (6.0, 3.5)) -> str:
    """Source markup -> reportlab paragraph XML (footnote markers become
    superscripts carrying an onDraw callback that records their page; a third
    ``sup`` item names the markers' font)."""
    if ligatures:
        text = ligate(text)
    out = escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    size, rise, *face = sup
    font = (f'<font name="{face[0]}">', "</font>") if face else ("", "")
    out = _MARKER.sub(
        lambda m: (m.group(2) if m.group(1) else f'{font[0]}<super size="{size}" rise="{rise}">{m.group(2)}</super>{font[1]}') + f'<onDraw name="mgi_fn" label="{scope}:{m.group(2)}"/>',
        out,
    )
    return out.replace("\n", "<br/>")


# --------------------------------------------------------------------------
# design
# --------------------------------------------------------------------------

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


def _design(sample: Sample) -> dict[str, Any]:
    d = dict(DEFAULT_DESIGN)
    for key, value in sample.design.items():
        if isinstance(value, dict) and isinstance(d.get(key), dict):
            d[key] = {**d[key], **value}
        else:
            d[key] = value
    return d


# --------------------------------------------------------------------------
# layout state shared between passes
# --------------------------------------------------------------------------


@dataclass
class Layout:
    """What one pass measured: where headings and footnote markers landed and
    how much room each page's notes need."""

    n_pages: int = 0
    heading_pages: dict[str, int] = field(default_factory=dict)
    marker_pages: dict[str, int] = field(default_factory=dict)
    page_notes: dict[int, list[str]] = field(default_factory=dict)
    needed: dict[int, float] = field(default_factory=dict)


@dataclass
class RenderResult:
    pdf: bytes
    layout: Layout
    passes: int


# --------------------------------------------------------------------------
# styles and flowables
# --------------------------------------------------------------------------


def _styles(d: dict[str, Any]) -> dict[str, Any]:
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
    return adjust_styles(s, d)


def _tagged(flowable, key: str | None = None, part: str | None = None):
    if key:
        flowable._mgi_key = key
    if part:
        flowable._mgi_part = part
    return flowable


def _heading_key(block: dict[str, Any], index: int) -> str:
    return str(block.get("id") or f"h{index}")


def _entry_xml(entry: dict[str, Any]) -> str:
    title = escape(str(entry.get("title", ""))).strip()
    xml = f"<i>{title}</i>"
    if entry.get("translation"):
        xml += f" ({escape(str(entry['translation']))})"
    if not re.search(r"[.?!]$", re.sub(r"<[^>]+>", "", xml)):
        xml += "."
    for key in ("rest", "note"):
        if entry.get(key):
            xml += " " + escape(str(entry[key]))
    return xml + escape(str(entry.get("mark", "")))


class _Story:
    """Turns content blocks into platypus flowables for one design."""

    def __init__(self, sample: Sample, design: dict[str, Any], styles: dict[str, Any], page_of: dict[str, int]):
        self.sample, self.d, self.s, self.page_of = sample, design, styles, page_of
        self.notes: dict[str, str] = {}  # "scope:n" -> note XML

    def _page(self, key: str) -> str:
        return str(self.page_of.get(key, 0)) if self.page_of else "00"

    def build(self) -> list:
        from reportlab.platypus import NextPageTemplate, PageBreak

        story = self._cover() + self._copyright() + self._contents()
        scope = "main"
        mode = "body"
        lig = bool(self.d["ligatures"])
        for i, block in enumerate(self.sample.blocks):
            if "heading" in block:
                scope = block.get("footnote_scope", scope)
                level = int(block.get("level", 1))
                if level == 1 and (block.get("new_page", True) or i == 0):
                    two = self.d.get("two_column_body") or (self.d["two_column_dimensions"] and block.get("dimension"))
                    target = "twocol_head" if two else "body"
                    story += [NextPageTemplate(target), PageBreak()]
                    mode = target
                story += self._heading(block, i, scope)
                if mode == "twocol_head":
                    from reportlab.platypus import FrameBreak

                    story.append(FrameBreak())
                    mode = "twocol"
            elif "p" in block:
                para = self._para(block["p"], "body", scope, lig)
                story += place_inserts(para, str(block["p"]), self.d, self.s, self._frame_width()) if self.d.get("inserts") else [para]
            elif "quote" in block:
                story.append(self._para(block["quote"], "quote", scope, lig))
            elif "item" in block:
                label = escape(str(self.d.get("item_bullet") or block.get("label", "\u2022")))
                from reportlab.platypus import Paragraph

                story.append(Paragraph(inline(block["item"], scope=scope, ligatures=lig, sup=self._sup()), self.s["item"], bulletText=label))
            elif "footnote" in block:
                self._add_note(scope, int(block["footnote"]), str(block.get("text", "")))
            elif "dimension_summary" in block:
                story += self._summary(block, scope, lig)
            elif "key_sources" in block:
                story += self._key_sources(block["key_sources"])
            elif block.get("page_break"):
                story.append(PageBreak())
            else:
                raise RenderError.of("E508", path=self.sample.path, index=i, keys=", ".join(block))
        return merge_side_heads(story, self.d)

    # -- pieces ------------------------------------------------------------

    def _sup(self) -> tuple:
        size = float(self.d["body_size"])
        sup = marker_sup(self.d) or (round(size * 0.62, 2), round(size * 0.38, 2))
        return (*sup, self.d["marker_font"]) if self.d.get("marker_font") else sup

    def _para(self, text: str, style: str, scope: str, lig: bool):
        from reportlab.platypus import Paragraph

        return Paragraph(inline(text, scope=scope, ligatures=lig, sup=self._sup()), self.s[style])

    def _add_note(self, scope: str, number: int, text: str) -> None:
        size = float(self.d["note_size"])
        body = inline(text, scope=scope, ligatures=bool(self.d["ligatures"]))
        body = body.replace('<onDraw name="mgi_fn"', '<onDraw name="mgi_nop"')  # notes hold no markers
        xml = note_xml(self.d, number, body)  # numbering styles of render_style
        if xml is None and self.d["note_number"] == "plain":
            xml = f"{number} {body}"
        elif xml is None:
            xml = f'<super size="{round(size * 0.7, 2)}" rise="{round(size * 0.4, 2)}">{number}</super> {body}'
        self.notes[f"{scope}:{number}"] = xml

    def _heading(self, block: dict[str, Any], index: int, scope: str) -> list:
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        level = int(block.get("level", 1))
        key = _heading_key(block, index)
        text = inline(str(block["heading"]), scope=scope, sup=(7.0, 5.0))
        if level == 1:
            style = self.s["dimension"] if block.get("dimension") else self.s["part"]
            para = Paragraph(text, style)
            part = str(block["heading"]).replace("\n", " ")
            if self.d.get("heading_band"):
                return [_tagged(band_heading(text, style, self.d), key, part)]
            if self.d.get("letter_spacing"):
                return [_tagged(spaced_heading(str(block["heading"]), style, self.d), key, part)]
            if block.get("box") or key in (self.d.get("boxed") or []):
                box = Table([[Paragraph(text, style)]], style=TableStyle([
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(self.d["box_fill"])),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 9), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]))
                box.hAlign = "LEFT"
                box.spaceAfter = style.spaceAfter
                return [_tagged(box, key, part)]
            return [_tagged(para, key, part)]
        if level in (self.d.get("side_heads") or ()):  # heading in the margin beside its text
            return [_tagged(side_head(text, self.s["sub" if level == 2 else "minor"]), key)]
        if level == 2:
            return [_tagged(Paragraph(text, self.s["sub"]), key)]
        if level == 3:
            return [_tagged(Paragraph(text, self.s["minor"]), key)]
        label = block.get("label")
        return [_tagged(Paragraph((f"{escape(str(label))}   " if label else "") + text, self.s["step"]), key)]

    def _summary(self, block: dict[str, Any], scope: str, lig: bool) -> list:
        from reportlab.platypus import Paragraph

        page_word = escape(self.d["labels"]["page"])
        label = f"{escape(str(block['dimension_summary']))}  <font name='MGI-Sans' size='{self.d['body_size'] - 1.5}'>{page_word} {self._page(str(block.get('target')))}</font>"
        return [Paragraph(label, self.s["summary_label"]), self._para(str(block.get("text", "")), "body", scope, lig)]

    def _key_sources(self, groups: list[dict[str, Any]]) -> list:
        from reportlab.platypus import Paragraph, Table, TableStyle

        if self.d.get("key_sources_layout", "table") == "inline":
            return inline_sources(groups, self.s, self.d, _entry_xml)
        width = column_width(self.d, self._frame_width())
        groups, legend = starred_sources(groups, self.d)
        out = [Paragraph(escape(legend), self.s["ks_entry"])] if legend else []
        for group in groups:
            out.append(Paragraph(escape(str(group["author"])), self.s["ks_author"]))
            rows = [[Paragraph(escape(str(e.get("year", ""))), self.s["ks_entry"]), Paragraph(_entry_xml(e), self.s["ks_entry"])] for e in group.get("entries", [])]
            if rows:
                table = Table(rows, colWidths=[44, width - 44], hAlign="LEFT", style=TableStyle([
                    ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]))
                out.append(table)
        return out

    def _frame_width(self) -> float:
        w, _ = _page_size(self.d)
        m = self.d["margins"]
        return w - m["left"] - m["right"]

    # -- front matter ------------------------------------------------------

    def _cover(self) -> list:
        from reportlab.platypus import NextPageTemplate, PageBreak, Spacer

        return [Spacer(1, 1), NextPageTemplate("front"), PageBreak()]

    def _copyright(self) -> list:
        from reportlab.platypus import Paragraph, Spacer

        f = self.sample.front
        small = self.s["small"]
        out = [Paragraph(escape(t), small) for t in f.get("copyright", [])]
        out.append(Spacer(1, 6))
        out += [Paragraph(escape(line), _style_like(small, spaceAfter=0)) for line in f.get("publisher", [])]
        out.append(Spacer(1, 8))
        if f.get("research_by"):
            out.append(Paragraph(escape(f["research_by"]), small))
        if f.get("citation"):
            out.append(Paragraph(inline(f["citation"]), small))
        for key in ("isbn_line", "copyright_line"):
            if f.get(key):
                out.append(Paragraph(escape(f[key]), small))
        out += [Paragraph(escape(t), small) for t in f.get("licence", [])]
        if f.get("licence_note"):
            out += [Spacer(1, 10), Paragraph(escape(f["licence_note"]), small)]
        return out

    def _contents(self) -> list:
        from reportlab.lib import colors
        from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

        if self.d.get("two_column_body"):
            return contents_two_columns(self)
        if self.d["contents_style"] == "dots":
            return dot_contents(self)
        out = [PageBreak(), Paragraph(escape(self.d["labels"]["contents"]), self.s["part"]), Spacer(1, 10)]
        entries = [(i, b) for i, b in enumerate(self.sample.blocks) if "heading" in b and b.get("toc")]
        width = self._frame_width()
        if self.d["contents_style"] == "slashes":
            for i, b in entries:
                style = self.s["toc"] if not b.get("dimension") else self.s["toc2"]
                title = escape(str(b["heading"]).replace("\n", " "))
                out.append(Paragraph(f"{title} // {self._page(_heading_key(b, i))}", style))
                out.append(Spacer(1, 3))
            return out
        rows, cmds = [], []
        if not entries:
            return out
        for r, (i, b) in enumerate(entries):
            style = self.s["toc"] if not b.get("dimension") else self.s["toc2"]
            title = escape(str(b["heading"]).replace("\n", " "))
            rows.append([Paragraph(title, style), Paragraph(self._page(_heading_key(b, i)), style)])
            cmds.append(("LINEBELOW", (0, r), (-1, r), 0.3, colors.HexColor("#9AA5B1")))
        table = Table(rows, colWidths=[width - 40, 40], hAlign="LEFT", style=TableStyle(cmds + [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        out.append(table)
        return out


def _style_like(parent, **kw):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(parent.name + "_x", parent=parent, **kw)


def _page_size(d: dict[str, Any]) -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4, LETTER

    sizes = {"A4": A4, "LETTER": LETTER}
    name = str(d["page_size"]).upper()
    if name not in sizes:
        raise RenderError.of("E509", page_size=d["page_size"])
    return sizes[name]


# --------------------------------------------------------------------------
# document template: frames shrink by the room the page's notes need
# --------------------------------------------------------------------------


def _make_doc(buf, sample: Sample, d: dict[str, Any], styles: dict[str, Any], notes: dict[str, str], reserve: dict[int, float]):
    from reportlab.lib import colors
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = _page_size(d)
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

    def draw_notes(canv, doc):
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

    def draw_furniture(canv, doc):
        canv.saveState()
        if d["header"]:
            canv.setFont("MGI-Sans", 7.2)
            canv.setFillColor(accent)
            y = height - m["top"] + 26
            canv.drawString(m["left"], y, d["header"])
            if d["header_part"] and doc.current_part:
                canv.drawRightString(width - m["right"], y, doc.current_part)
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

    if d.get("furniture"):
        from mgi_samples.furniture import make_furniture

        draw_furniture = make_furniture(d, width, height, m, accent)  # noqa: F811

    if d.get("note_columns"):

        draw_notes = make_note_drawer(d, layout, notes, styles, m, text_w, height, sample.path)  # noqa: F811

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
    col_w = (text_w - gap) / 2
    head_h = float(d.get("column_head_height", 96))
    templates = [
        PageTemplate("cover", [Frame(m["left"], m["bottom"], text_w, text_h, id="cover")], onPage=cover),
        PageTemplate("front", [Frame(m["left"], m["bottom"], text_w, text_h, id="front", leftPadding=0, rightPadding=0)], onPageEnd=front_end),
        PageTemplate("body", [single], onPageEnd=body_end),
        PageTemplate(
            "twocol_head",
            [
                Frame(m["left"], m["bottom"] + text_h - head_h, text_w, head_h, id="head", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
                flex_frame(m["left"], m["bottom"], col_w, text_h - head_h, "c1"),
                flex_frame(m["left"] + col_w + gap, m["bottom"], col_w, text_h - head_h, "c2"),
            ],
            onPageEnd=body_end,
            autoNextPageTemplate="twocol",
        ),
        PageTemplate(
            "twocol",
            [flex_frame(m["left"], m["bottom"], col_w, text_h, "c1"), flex_frame(m["left"] + col_w + gap, m["bottom"], col_w, text_h, "c2")],
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


def _one_pass(sample: Sample, d: dict[str, Any], reserve: dict[int, float], page_of: dict[str, int]) -> tuple[bytes, Layout]:
    from reportlab.platypus.doctemplate import LayoutError

    _register_fonts()
    styles = _styles(d)
    story_builder = _Story(sample, d, styles, page_of)
    buf = io.BytesIO()
    try:
        with no_break_spaces():  # paragraphs split their words when made and when wrapped
            story = story_builder.build()
            doc, layout = _make_doc(buf, sample, d, styles, story_builder.notes, reserve)
            doc.build(story)
    except LayoutError as exc:
        raise RenderError.of("E510", path=sample.path, detail=str(exc).splitlines()[0][:160]) from None
    layout.n_pages = doc.page
    return buf.getvalue(), layout


def render_sample(sample: Sample | Path) -> RenderResult:
    """Typeset a sample, re-flowing until contents page numbers and the room
    reserved for footnotes at each page foot agree with where things landed."""
    if not isinstance(sample, Sample):
        sample = load_sample(Path(sample))
    _register_fonts()
    d = _design(sample)
    if "{pages}" in str((d.get("furniture") or {}).get("footer", "")):
        d["_pages"] = 0
    reserve: dict[int, float] = {}
    page_of: dict[str, int] = {}
    for n in range(1, MAX_PASSES + 1):
        pdf, layout = _one_pass(sample, d, reserve, page_of)
        fits = all(need <= reserve.get(page, 0.0) + 0.01 for page, need in layout.needed.items())
        if "_pages" in d:  # a "page 7 of 15" footer: re-flow until the page count is known
            fits, d["_pages"] = fits and d["_pages"] == layout.n_pages, layout.n_pages
        if fits and layout.heading_pages == page_of:
            return RenderResult(pdf=pdf, layout=layout, passes=n)
        if n < 3:  # first passes: take the measured needs as they are
            reserve = dict(layout.needed)
        else:  # grow monotonically so the loop cannot oscillate
            reserve = {p: max(reserve.get(p, 0.0), layout.needed.get(p, 0.0)) for p in set(reserve) | set(layout.needed)}
        page_of = dict(layout.heading_pages)
    raise RenderError.of("E511", path=sample.path, passes=MAX_PASSES)


def render_command(source: Path, dest: Path) -> int:
    """``mgi samples render``: render every design file of SOURCE into DEST."""
    try:
        paths = design_files(Path(source))
        if not paths:
            print(f"error: no design files (YAML with an 'output' key) in {source}")
            return 2
        Path(dest).mkdir(parents=True, exist_ok=True)
        for path in paths:
            sample = load_sample(path)
            result = render_sample(sample)
            target = Path(dest) / sample.output
            old = target.read_bytes() if target.is_file() else None
            state = "unchanged" if old == result.pdf else "written"
            if old != result.pdf:
                tmp = target.with_name(target.name + ".tmp")
                tmp.write_bytes(result.pdf)
                os.replace(tmp, target)
            print(f"{target}: {result.layout.n_pages} pages, {len(result.layout.marker_pages)} footnotes, {result.passes} passes ({state})")
    except MGIError as exc:
        print(f"error: {exc}")
        return 2
    except OSError as exc:
        print(f"error: cannot write samples: {exc.strerror or exc}")
        return 2
    return 0
