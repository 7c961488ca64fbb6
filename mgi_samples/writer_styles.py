"""Styles, page layouts and master pages of the Writer-engine samples (mgi_samples/writer.py):
the office:styles / automatic-styles / master-styles parts of the Flat ODT document."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

FIXED_DATE = "2023-01-01T00:00:00"


def pt(value: float) -> str:
    return f"{float(value):.2f}pt"


def font_decls(d: dict[str, Any]) -> str:
    out = []
    for name in dict.fromkeys([d["font"], d["heading_font"], "OpenSymbol"]):
        generic = "swiss" if "Sans" in name else ("system" if name == "OpenSymbol" else "roman")
        out.append(f'<style:font-face style:name={quoteattr(name)} svg:font-family={quoteattr(repr(name))} '
                   f'style:font-family-generic="{generic}" style:font-pitch="variable"/>')
    return "<office:font-face-decls>" + "".join(out) + "</office:font-face-decls>"


def _pstyle(name: str, para: str = "", text: str = "", parent: str = "Standard", extra: str = "", attrs: str = "") -> str:
    display = name.replace("_20_", " ")
    return (f'<style:style style:name="{name}" style:display-name="{display}" style:family="paragraph" '
            f'style:parent-style-name="{parent}"{attrs}>'
            f'<style:paragraph-properties {para}>{extra}</style:paragraph-properties>'
            f'<style:text-properties {text}/></style:style>')


def styles(d: dict[str, Any], text_w: float) -> str:
    body, note = float(d["body_size"]), float(d["note_size"])
    accent = d["accent"]
    sans = f'style:font-name={quoteattr(d["heading_font"])}'
    lh = f'fo:line-height="{int(d["line_height"])}%"'
    indent = float(d["first_line_indent"])
    year_w = float(d["year_column"])
    toc_tab = (f'<style:tab-stops><style:tab-stop style:position="{pt(text_w)}" style:type="right" '
               f'style:leader-style="dotted" style:leader-text="."/></style:tab-stops>')
    ks_tab = f'<style:tab-stops><style:tab-stop style:position="{pt(0)}"/></style:tab-stops>'
    item_tab = ''
    parts = [
        '<style:default-style style:family="paragraph">'
        '<style:paragraph-properties fo:orphans="2" fo:widows="2" style:writing-mode="lr-tb" style:tab-stop-distance="1.25cm"/>'
        f'<style:text-properties style:font-name={quoteattr(d["font"])} fo:font-size="{pt(body)}" fo:language="en" '
        'fo:country="GB" fo:hyphenate="false" style:letter-kerning="true"/></style:default-style>',
        _pstyle("Standard", "", "", parent="", attrs=' style:class="text"').replace(' style:parent-style-name=""', ""),
        _pstyle("Text_20_body", f'fo:margin-top="0pt" fo:margin-bottom="{pt(d["space_after"])}" fo:text-align="justify" '
                f'fo:text-indent="{pt(indent)}" {lh}', ""),
        _pstyle("Quotations", f'fo:margin-left="{pt(24)}" fo:margin-right="{pt(24)}" fo:margin-top="{pt(4)}" '
                f'fo:margin-bottom="{pt(d["space_after"])}" fo:text-align="justify" {lh}', 'fo:font-style="italic"'),
        _pstyle("List_20_Contents", f'fo:margin-top="0pt" fo:margin-bottom="{pt(float(d["space_after"]) / 2)}" fo:text-align="justify" {lh}', "",
                parent="Text_20_body"),
        _pstyle("Heading", 'fo:keep-with-next="always"', f'{sans} fo:font-weight="bold" fo:color="{accent}"'),
        _pstyle("Heading_20_1", f'fo:margin-top="0pt" fo:margin-bottom="{pt(14)}" fo:break-before="page"',
                f'fo:font-size="{pt(body + 10)}"', parent="Heading", attrs=' style:default-outline-level="1"'),
        _pstyle("Dimension_20_Heading", f'fo:margin-top="0pt" fo:margin-bottom="{pt(12)}" fo:break-before="page" fo:padding="{pt(8)}" '
                f'fo:background-color="{accent}"', f'fo:font-size="{pt(body + 5)}" fo:color="#FFFFFF"', parent="Heading",
                attrs=' style:default-outline-level="1"'),
        _pstyle("Heading_20_2", f'fo:margin-top="{pt(10)}" fo:margin-bottom="{pt(5)}"', f'fo:font-size="{pt(body + 1.5)}"',
                parent="Heading", attrs=' style:default-outline-level="2"'),
        _pstyle("Heading_20_3", f'fo:margin-top="{pt(9)}" fo:margin-bottom="{pt(4)}"', f'fo:font-size="{pt(body + 0.5)}"',
                parent="Heading", attrs=' style:default-outline-level="3"'),
        _pstyle("Heading_20_4", f'fo:margin-top="{pt(7)}" fo:margin-bottom="{pt(3)}"', f'fo:font-size="{pt(body)}" fo:color="#000000"',
                parent="Heading", attrs=' style:default-outline-level="4"'),
        _pstyle("Summary_20_Label", f'fo:margin-top="{pt(6)}" fo:margin-bottom="{pt(2)}" fo:keep-with-next="always"',
                f'{sans} fo:font-weight="bold" fo:color="{accent}"'),
        _pstyle("Footnote", f'fo:margin-left="{pt(12)}" fo:text-indent="{pt(-12)}" fo:margin-top="0pt" fo:margin-bottom="{pt(1)}" '
                f'fo:text-align="justify"', f'fo:font-size="{pt(note)}"', attrs=' style:class="extra"'),
        _pstyle("Header", 'fo:text-align="start"', f'{sans} fo:font-size="{pt(7.5)}" fo:color="{accent}"', extra=
                f'<style:tab-stops><style:tab-stop style:position="{pt(text_w)}" style:type="right"/></style:tab-stops>',
                attrs=' style:class="extra"'),
        _pstyle("Footer", f'fo:text-align="{ "start" if d.get("header_part") and d["header"] else {"center": "center", "left": "start"}.get(d["footer_align"], "end") }"',
                f'{sans} fo:font-size="{pt(8)}"', attrs=' style:class="extra"', extra=
                f'<style:tab-stops><style:tab-stop style:position="{pt(text_w)}" style:type="right"/></style:tab-stops>'),
        _pstyle("Contents_20_Heading", f'fo:margin-bottom="{pt(14)}"', f'{sans} fo:font-size="{pt(body + 10)}" fo:font-weight="bold" fo:color="{accent}"'),
        _pstyle("Contents_20_1", f'fo:margin-top="{pt(4)}" fo:margin-bottom="{pt(4)}"', f'{sans} fo:font-size="{pt(body)}" fo:font-weight="bold"', extra=toc_tab),
        _pstyle("Contents_20_2", f'fo:margin-left="{pt(14)}" fo:margin-top="{pt(2)}" fo:margin-bottom="{pt(2)}"', f'{sans} fo:font-size="{pt(body - 0.5)}"',
                extra=toc_tab.replace(pt(text_w), pt(text_w - 14))),
        _pstyle("KS_20_Author", f'fo:margin-top="{pt(8)}" fo:margin-bottom="{pt(3)}" fo:keep-with-next="always"', 'fo:font-weight="bold"'),
        _pstyle("KS_20_Entry", f'fo:margin-left="{pt(year_w)}" fo:text-indent="{pt(-year_w)}" fo:margin-bottom="{pt(3)}" fo:text-align="start"',
                f'fo:font-size="{pt(body - 0.5)}"', extra=ks_tab),
        _pstyle("Small", f'fo:margin-bottom="{pt(5)}" fo:text-align="justify"', f'fo:font-size="{pt(7.8)}"'),
        _pstyle("Small_20_Line", 'fo:margin-bottom="0pt"', f'fo:font-size="{pt(7.8)}"'),
        _pstyle("Cover_20_Title", f'fo:margin-left="0pt" fo:padding-left="{pt(14)}" fo:background-color="{accent}" fo:margin-bottom="0pt" fo:line-height="120%"',
                f'{sans} fo:font-size="{pt(28)}" fo:font-weight="bold" fo:color="#FFFFFF"'),
        _pstyle("Cover_20_Subtitle", f'fo:margin-top="{pt(30)}"', f'{sans} fo:font-size="{pt(17)}" fo:color="{accent}"'),
        _pstyle("Cover_20_Publisher", f'fo:margin-top="{pt(300)}"', f'{sans} fo:font-size="{pt(11)}" fo:font-weight="bold" fo:color="{accent}"'),
        item_tab,
        # character styles
        '<style:style style:name="Footnote_20_Symbol" style:display-name="Footnote Symbol" style:family="text">'
        '<style:text-properties style:text-position="super 58%"/></style:style>',
        '<style:style style:name="Footnote_20_anchor" style:display-name="Footnote anchor" style:family="text">'
        '<style:text-properties style:text-position="super 58%"/></style:style>',
        '<style:style style:name="Bullet_20_Symbols" style:display-name="Bullet Symbols" style:family="text">'
        '<style:text-properties style:font-name="OpenSymbol"/></style:style>',
        f'<style:style style:name="Page_20_Ref" style:display-name="Page Ref" style:family="text"><style:text-properties {sans} '
        f'fo:font-size="{pt(body - 1.5)}" fo:font-weight="normal" fo:color="#555555"/></style:style>',
        # outline: headings carry levels, no numbering
        '<text:outline-style style:name="Outline">' + "".join(
            f'<text:outline-level-style text:level="{n}" style:num-format=""/>' for n in range(1, 11)) + '</text:outline-style>',
        f'<text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_20_anchor" '
        f'text:citation-body-style-name="Footnote_20_Symbol" style:num-format="1" text:start-value="0" '
        f'text:footnotes-position="page" text:start-numbering-at="{d["note_numbering"]}"/>',
        '<text:notes-configuration text:note-class="endnote" style:num-format="i" text:start-value="0"/>',
    ]
    return "<office:styles>" + "".join(parts) + "</office:styles>"


def automatic_styles(d: dict[str, Any], w: float, h: float) -> str:
    m = d["margins"]
    gap = float(d["column_gap"])
    sep = ('<style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.101cm" style:distance-after-sep="0.101cm" '
           'style:line-style="solid" style:adjustment="left" style:rel-width="25%" style:color="#000000"/>')

    def layout(name: str, furniture: bool) -> str:
        head = (f'<style:header-style><style:header-footer-properties fo:min-height="0pt" fo:margin-bottom="{pt(14)}"/></style:header-style>'
                f'<style:footer-style><style:header-footer-properties fo:min-height="0pt" fo:margin-top="{pt(14)}"/></style:footer-style>'
                if furniture else "<style:header-style/><style:footer-style/>")
        return (f'<style:page-layout style:name="{name}"><style:page-layout-properties fo:page-width="{pt(w)}" fo:page-height="{pt(h)}" '
                f'style:print-orientation="portrait" fo:margin-left="{pt(m["left"])}" fo:margin-right="{pt(m["right"])}" '
                f'fo:margin-top="{pt(m["top"])}" fo:margin-bottom="{pt(m["bottom"])}" style:writing-mode="lr-tb" '
                f'style:footnote-max-height="0cm">{sep}</style:page-layout-properties>{head}</style:page-layout>')

    bullets = ('<text:list-style style:name="LBullet">'
               '<text:list-level-style-bullet text:level="1" text:style-name="Bullet_20_Symbols" text:bullet-char="•">'
               '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
               f'<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="{pt(16)}" '
               f'fo:text-indent="{pt(-12)}" fo:margin-left="{pt(16)}"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>')

    def numbered(name: str, fmt: str, prefix: str, suffix: str, tab: float = 24) -> str:
        return (f'<text:list-style style:name="{name}"><text:list-level-style-number text:level="1" style:num-prefix="{prefix}" '
                f'style:num-suffix="{suffix}" style:num-format="{fmt}"><style:list-level-properties '
                'text:list-level-position-and-space-mode="label-alignment">'
                f'<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="{pt(tab)}" '
                f'fo:text-indent="{pt(-tab + 4)}" fo:margin-left="{pt(tab)}"/></style:list-level-properties>'
                '</text:list-level-style-number></text:list-style>')

    two = (f'<style:style style:name="TwoCol" style:family="section"><style:section-properties text:dont-balance-text-columns="false" '
           f'style:editable="false"><style:columns fo:column-count="2" fo:column-gap="{pt(gap)}"/></style:section-properties></style:style>')
    masters_p = "".join(
        f'<style:style style:name="M{name}" style:family="paragraph" style:parent-style-name="{parent}" style:master-page-name="{name}"/>'
        for name, parent in (("Cover", "Cover_20_Title"), ("Front", "Small"), ("Standard", "Contents_20_Heading")))
    spans = ('<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
             '<style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>'
             '<style:style style:name="BI" style:family="text"><style:text-properties fo:font-weight="bold" fo:font-style="italic"/></style:style>'
             '<style:style style:name="PlainAnchor" style:family="text"><style:text-properties style:text-position="0% 100%"/></style:style>')
    return ("<office:automatic-styles>" + layout("PLCover", False) + layout("PLBody", True) + bullets
            + numbered("LArabic", "1", "", ".") + numbered("LRoman", "i", "(", ")", 30) + two + masters_p + spans
            + "</office:automatic-styles>")


def master_styles(d: dict[str, Any]) -> str:
    """Running header: the current part (chapter field) on the right, or the
    report name when ``header_part`` is off; footer: the report name on the
    left (with ``header_part``) and the folio field."""
    name = escape(str(d["header"]))
    folio = escape(str(d["footer"])).replace("{page}", '<text:page-number text:select-page="current"/>')
    if d.get("header_part"):
        header = '<text:tab/><text:chapter text:display="name" text:outline-level="1"/>'
        footer = f"{name}<text:tab/>{folio}" if name else folio
    else:
        header, footer = name, folio
    return ('<office:master-styles>'
            '<style:master-page style:name="Cover" style:page-layout-name="PLCover" style:next-style-name="Front"/>'
            '<style:master-page style:name="Front" style:page-layout-name="PLCover" style:next-style-name="Standard"/>'
            f'<style:master-page style:name="Standard" style:page-layout-name="PLBody">'
            f'<style:header><text:p text:style-name="Header">{header}</text:p></style:header>'
            f'<style:footer><text:p text:style-name="Footer">{footer}</text:p></style:footer></style:master-page>'
            '</office:master-styles>')


def meta(sample: Any) -> str:
    meta = sample.metadata
    title = escape(str(meta.get("title", "")))
    return ('<office:meta><meta:generator>mgi-pipeline sample renderer (Writer engine)</meta:generator>'
            f'<dc:title>{title}</dc:title><dc:subject>Migration Governance Indicators profile (rendered test sample)</dc:subject>'
            '<meta:initial-creator>International Organization for Migration (IOM)</meta:initial-creator>'
            '<dc:creator>International Organization for Migration (IOM)</dc:creator>'
            f'<meta:creation-date>{FIXED_DATE}</meta:creation-date><dc:date>{FIXED_DATE}</dc:date>'
            f'<dc:language>{escape(str(meta.get("language", "en")))}</dc:language>'
            '<meta:editing-cycles>1</meta:editing-cycles><meta:editing-duration>PT0S</meta:editing-duration></office:meta>')
