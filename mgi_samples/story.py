"""Content blocks -> platypus flowables for one design (:class:`Story`).

Headings carry ``_mgi_key`` (their contents key) and level-1 headings
``_mgi_part`` (the running header's part name) for the document template.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from mgi_samples.columns import band_heading, column_width, contents_two_columns
from mgi_samples.design import page_size
from mgi_samples.figure import place_inserts
from mgi_samples.markup import glue_after_punctuation, inline
from mgi_samples.shared import heading_key, style_like
from mgi_samples.sidebar import dot_contents, merge_side_heads, side_head
from mgi_samples.sources import Sample
from mgi_samples.spacing import spaced_heading
from mgi_samples.style import heading_as_set, inline_sources, marker_sup, note_xml, printed_year, starred_sources
from pipeline.errors import RenderError


def _tagged(flowable, key: str | None = None, part: str | None = None):
    if key:
        flowable._mgi_key = key
    if part:
        flowable._mgi_part = part
    return flowable


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


class Story:
    """Turns content blocks into platypus flowables for one design."""

    def __init__(self, sample: Sample, design: dict[str, Any], styles: dict[str, Any], page_of: dict[str, int]):
        self.sample, self.d, self.s, self.page_of = sample, design, styles, page_of
        self.notes: dict[str, str] = {}  # "scope:n" -> note XML

    def page(self, key: str) -> str:
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
                width = column_width(self.d, self.frame_width(), columns=mode != "body")
                story += place_inserts(para, str(block["p"]), self.d, self.s, width) if self.d.get("inserts") else [para]
            elif "quote" in block:
                story.append(self._para(block["quote"], "quote", scope, lig))
            elif "item" in block:
                label = escape(str(self.d.get("item_bullet") or block.get("label", "\u2022")))
                from reportlab.platypus import Paragraph

                story.append(Paragraph(self._inline(block["item"], scope, lig), self.s["item"], bulletText=label))
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

    def _inline(self, text: str, scope: str, lig: bool) -> str:
        if self.d.get("plain_markers") == "after_punctuation":
            text = glue_after_punctuation(str(text))
        return inline(text, scope=scope, ligatures=lig, sup=self._sup(), numbers=self.d.get("_note_numbers"))

    def _para(self, text: str, style: str, scope: str, lig: bool):
        from reportlab.platypus import Paragraph

        return Paragraph(self._inline(text, scope, lig), self.s[style])

    def _add_note(self, scope: str, number: int, text: str) -> None:
        size = float(self.d["note_size"])
        body = inline(text, scope=scope, ligatures=bool(self.d["ligatures"]))
        body = body.replace('<onDraw name="mgi_fn"', '<onDraw name="mgi_nop"')  # notes hold no markers
        key = f"{scope}:{number}"
        number = (self.d.get("_note_numbers") or {}).get(key, number)  # notes numbered per page
        xml = note_xml(self.d, number, body)  # numbering styles of render_style
        if xml is None and self.d["note_number"] == "plain":
            xml = f"{number} {body}"
        elif xml is None:
            xml = f'<super size="{round(size * 0.7, 2)}" rise="{round(size * 0.4, 2)}">{number}</super> {body}'
        self.notes[key] = xml

    def _heading(self, block: dict[str, Any], index: int, scope: str) -> list:
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        level = int(block.get("level", 1))
        key = heading_key(block, index)
        block = heading_as_set(block, self.d)
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
        label = f"{escape(str(block['dimension_summary']))}  <font name='MGI-Sans' size='{self.d['body_size'] - 1.5}'>{page_word} {self.page(str(block.get('target')))}</font>"
        return [Paragraph(label, self.s["summary_label"]), self._para(str(block.get("text", "")), "body", scope, lig)]

    def _key_sources(self, groups: list[dict[str, Any]]) -> list:
        from reportlab.platypus import Paragraph, Table, TableStyle

        if self.d.get("key_sources_layout", "table") == "inline":
            return inline_sources(groups, self.s, self.d, _entry_xml)
        width = column_width(self.d, self.frame_width())
        groups, legend = starred_sources(groups, self.d)
        out = [Paragraph(escape(legend), self.s["ks_entry"])] if legend else []
        for group in groups:
            out.append(Paragraph(escape(str(group["author"])), self.s["ks_author"]))
            rows = [[Paragraph(escape(printed_year(e, self.d)), self.s["ks_entry"]), Paragraph(_entry_xml(e), self.s["ks_entry"])] for e in group.get("entries", [])]
            if rows:
                table = Table(rows, colWidths=[44, width - 44], hAlign="LEFT", style=TableStyle([
                    ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]))
                out.append(table)
        return out

    def frame_width(self) -> float:
        w, _ = page_size(self.d)
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
        out += [Paragraph(escape(line), style_like(small, spaceAfter=0)) for line in f.get("publisher", [])]
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
        width = self.frame_width()
        if self.d["contents_style"] == "slashes":
            for i, b in entries:
                style = self.s["toc"] if not b.get("dimension") else self.s["toc2"]
                title = escape(str(b["heading"]).replace("\n", " "))
                out.append(Paragraph(f"{title} // {self.page(heading_key(b, i))}", style))
                out.append(Spacer(1, 3))
            return out
        rows, cmds = [], []
        if not entries:
            return out
        for r, (i, b) in enumerate(entries):
            style = self.s["toc"] if not b.get("dimension") else self.s["toc2"]
            title = escape(str(b["heading"]).replace("\n", " "))
            rows.append([Paragraph(title, style), Paragraph(self.page(heading_key(b, i)), style)])
            cmds.append(("LINEBELOW", (0, r), (-1, r), 0.3, colors.HexColor("#9AA5B1")))
        table = Table(rows, colWidths=[width - 40, 40], hAlign="LEFT", style=TableStyle(cmds + [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        out.append(table)
        return out
