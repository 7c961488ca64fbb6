"""A third typesetting engine for the sample PDFs: Typst (PyPI ``typst``, the
compiler as a Python binding; no external program).

Real profiles come out of InDesign; text layers differ by engine. Typst's
differs from reportlab's and TeX's: glyphs placed by explicit positioning
(no space glyphs), soft hyphens (U+00AD) in the ToUnicode map of a
hyphenated word, footnote markers as the font's superscript glyphs or as
smaller raised digits, its own footnote separator, tagged PDF (marked
content). This module writes Typst markup from the same structured source
(:class:`~mgi_samples.render.Sample`) and compiles it in-process.

A design file selects this engine with ``design: {engine: typst}``; the keys
it reads (all optional)::

    paragraphs: parskip | indent | both   # space between paragraphs, first-line indent, or both
    parskip: 0.5                      # the space in lines (parskip / both)
    indent: 1.5                       # the first-line indent in em (indent / both)
    justify: true                     # false: ragged right
    hyphenate: true
    columns: 1 | 2 | 3                # the six dimension parts in N columns (page columns)
    column_gap: 18                    # pt
    font: dejavu-sans | dejavu-serif | dejavu-condensed | libertinus | computer-modern
    body_size: 10                     # pt; body_leading: baseline to baseline, pt (1.25 x size)
    page_size: A4 | Letter | B5 | Legal
    margins: {left, right, top, bottom}   # pt
    marker_style: superscript | raised | plain   # the font's superscript glyphs, smaller raised
                                      # digits, or digits glued after punctuation
    note_number: superscript | plain | period    # "7" raised, "7" or "7." on the baseline at the foot
    note_rule: 30                     # footnote separator length, % of the column (0: none)
    blank_supplied_years: true        # KEY SOURCES: year column left blank for year_supplied entries
    sources: grid | inline            # year column, or the year at the start of a hanging paragraph
    heading_style: plain | band | spaced | caps   # part headings: accent text, white on a colour
                                      # band, letter-spaced, or upper case
    header: "..."                     # running header; header_align: left | right; header_part: true
                                      # puts the current part on the other side
    folio: bottom-right | bottom-center | bottom-outer | top-right | top-outer
    footer: "{page}"                  # the folio text
    accent: "#0033A0"
    labels: {contents: CONTENTS, page: PAGE}
    pdf_title / pdf_author

Output is deterministic: the document date is ``none`` and the compiler gets a
fixed timestamp, so the same source gives the same bytes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mgi_samples.markup import glue_after_punctuation
from mgi_samples.sources import Sample, load_sample, renderer_main
from pipeline.errors import RenderError

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
TIMESTAMP = 1672531200  # 2023-01-01, fixed

DEFAULTS: dict[str, Any] = {
    "paragraphs": "parskip",
    "parskip": 0.5,
    "indent": 1.5,
    "justify": True,
    "hyphenate": True,
    "columns": 1,
    "column_gap": 18,
    "font": "dejavu-sans",
    "body_size": 10.0,
    "page_size": "A4",
    "margins": {"left": 62, "right": 62, "top": 80, "bottom": 70},
    "marker_style": "superscript",
    "note_number": "superscript",
    "note_rule": 30,
    "blank_supplied_years": True,
    "sources": "grid",
    "heading_style": "plain",
    "header": "",
    "header_align": "left",
    "header_part": True,
    "folio": "bottom-right",
    "footer": "{page}",
    "accent": "#0033A0",
    "labels": {"contents": "CONTENTS", "page": "PAGE"},
}

# design name -> (body family, heading family, width in %)
FONTS = {
    "dejavu-sans": ("DejaVu Sans", "DejaVu Sans", 100),
    "dejavu-serif": ("DejaVu Serif", "DejaVu Sans", 100),
    "dejavu-condensed": ("DejaVu Sans", "DejaVu Sans", 87.5),
    "libertinus": ("Libertinus Serif", "DejaVu Sans", 100),
    "computer-modern": ("New Computer Modern", "New Computer Modern", 100),
}
PAPERS = {"A4": "a4", "LETTER": "us-letter", "B5": "iso-b5", "LEGAL": "us-legal"}
FOLIOS = ("bottom-right", "bottom-center", "bottom-outer", "top-right", "top-outer")


def available() -> bool:
    """Whether the ``typst`` binding is installed (the ``samples`` extra)."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


def is_typst(sample: Sample) -> bool:
    return str((sample.design or {}).get("engine", "")).lower() == "typst"


def design(sample: Sample) -> dict[str, Any]:
    d = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    for key, value in (sample.design or {}).items():
        if isinstance(value, dict) and isinstance(d.get(key), dict):
            d[key] = {**d[key], **value}
        else:
            d[key] = value
    return d


# --------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------


def string(text: str) -> str:
    """A Typst string literal printing exactly TEXT (no markup, no smart quotes)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def lit(text: str) -> str:
    """TEXT as markup: a string literal in code mode (empty for no text)."""
    return f"#{string(text)}" if text else ""


_MARKER = re.compile(r"\[\^(=?)(\d+)\]")
_STYLED = re.compile(r"\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def markup(text: str) -> str:
    """``**bold**`` and ``*italic*`` source markup -> Typst (everything else literal)."""
    out, pos = [], 0
    for m in _STYLED.finditer(text):
        out.append(lit(text[pos : m.start()]))
        out.append(f"#strong({string(m.group(1))})" if m.group(1) is not None else f"#emph({string(m.group(2))})")
        pos = m.end()
    out.append(lit(text[pos:]))
    return "".join(out)


def _colour(hexcode: str) -> str:
    code = str(hexcode).lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", code):
        raise RenderError(f"bad accent colour {hexcode!r} (use #RRGGBB)")
    return f'rgb("#{code}")'


def _pt(x: Any) -> str:
    return f"{round(float(x), 3)}pt"


# --------------------------------------------------------------------------
# document
# --------------------------------------------------------------------------


class _Writer:
    def __init__(self, sample: Sample, d: dict[str, Any]):
        self.sample, self.d = sample, d
        self.notes = self._collect_notes()
        self.scope = "main"
        self.gap = 2.5  # the body's leading (set by the preamble): KEY SOURCES rows one point further apart

    def _collect_notes(self) -> dict[tuple[str, int], str]:
        notes: dict[tuple[str, int], str] = {}
        scope = "main"
        for block in self.sample.blocks:
            if "heading" in block:
                scope = block.get("footnote_scope", scope)
            elif "footnote" in block:
                notes[(scope, int(block["footnote"]))] = str(block.get("text", ""))
        return notes

    def note(self, number: int, glued: bool) -> str:
        """A footnote printing NUMBER (the counter is set, so scopes restart)."""
        text = self.notes.get((self.scope, number))
        if text is None:
            raise RenderError(f"{self.sample.path}: marker [^{number}] has no note in scope {self.scope}")
        call = f"#counter(footnote).update({number - 1})#footnote[{markup(text)}]"
        return f"#plainnote[{call}]" if glued else call

    def text(self, s: str) -> str:
        if self.d["marker_style"] == "plain":  # digits glued after punctuation, as the other engines
            s = glue_after_punctuation(s)
        parts, pos = [], 0
        for m in _MARKER.finditer(s):
            parts.append(markup(s[pos : m.start()]))
            parts.append(self.note(int(m.group(2)), bool(m.group(1))))
            pos = m.end()
        parts.append(markup(s[pos:]))
        return "".join(parts)

    # -- preamble ------------------------------------------------------------

    def preamble(self) -> str:
        d = self.d
        size = float(d["body_size"])
        lead = float(d.get("body_leading") or round(size * 1.25, 2))
        m = d["margins"]
        paper = PAPERS.get(str(d["page_size"]).upper())
        if paper is None:
            raise RenderError(f"unknown page_size {d['page_size']!r} (use {', '.join(PAPERS)})")
        font = str(d["font"]).lower()
        if font not in FONTS:
            raise RenderError(f"unknown font {d['font']!r} (use {', '.join(FONTS)})")
        body_font, head_font, stretch = FONTS[font]
        folio = str(d["folio"])
        if folio not in FOLIOS:
            raise RenderError(f"unknown folio {folio!r} (use {', '.join(FOLIOS)})")
        meta = self.sample.metadata
        title = d.get("pdf_title") or meta.get("title", "")
        author = d.get("pdf_author", "International Organization for Migration (IOM)")
        mode = str(d["paragraphs"])
        if mode not in ("parskip", "indent", "both"):
            raise RenderError(f"unknown paragraphs {mode!r} (use parskip, indent or both)")
        gap = self.gap = lead - size  # the text's line box is 1 em: leading is what lies between boxes
        space = gap + (float(d["parskip"]) * lead if mode != "indent" else 0.0)
        indent = f"{float(d['indent'])}em" if mode != "parskip" else "0pt"
        footer = str(d.get("footer") or "{page}")
        pre, _, post = footer.partition("{page}")
        folio_text = f"{lit(pre)}#counter(page).display(){lit(post)}"
        header = self._header(d, folio, folio_text)
        foot = self._footer(folio, folio_text)
        n = {"superscript": "super(numbering(\"1\", ..nums))",
             "plain": "numbering(\"1\", ..nums)", "period": "numbering(\"1.\", ..nums)"}.get(str(d["note_number"]))
        if n is None:
            raise RenderError(f"unknown note_number {d['note_number']!r} (use superscript, plain or period)")
        rule = float(d.get("note_rule", 30))
        separator = f"line(length: {rule}%, stroke: 0.5pt)" if rule > 0 else "none"
        marker = {"superscript": "", "raised": "#show footnote: set super(typographic: false)",
                  "plain": ""}.get(str(d["marker_style"]))
        if marker is None:
            raise RenderError(f"unknown marker_style {d['marker_style']!r} (use superscript, raised or plain)")
        lines = [
            f"#set document(title: {string(title)}, author: {string(author)}, date: none)",
            f"#let accent = {_colour(d['accent'])}",
            f"#let headfont = {string(head_font)}",
            f"#set page(paper: {string(paper)}, margin: (left: {_pt(m['left'])}, right: {_pt(m['right'])}, "
            f"top: {_pt(m['top'])}, bottom: {_pt(m['bottom'])}), header-ascent: 35%, footer-descent: 30%,",
            f"  header: {header},",
            f"  footer: {foot})",
            f"#set text(font: {string(body_font)}, stretch: {stretch}%, size: {_pt(size)}, lang: \"en\", region: \"GB\", "
            f"hyphenate: {'true' if d.get('hyphenate', True) else 'false'}, top-edge: 0.8em, bottom-edge: -0.2em)",
            f"#set par(justify: {'true' if d.get('justify', True) else 'false'}, leading: {_pt(gap)}, "
            f"spacing: {_pt(space)}, first-line-indent: {indent})",
            f"#set columns(gutter: {_pt(d['column_gap'])})",
            f"#set footnote.entry(separator: {separator}, clearance: 0.9em, gap: 0.45em, indent: 0pt)",
            "#show footnote.entry: it => {",
            "  let nums = counter(footnote).at(it.note.location())",
            f"  set text(size: {_pt(size * 0.8)})",
            f"  set par(leading: {_pt(size * 0.18)}, first-line-indent: 0pt, hanging-indent: 0pt)",
            f"  {n}; h(0.4em); it.note.body",
            "}",
            "#let plainnote(body) = {",
            "  show footnote: it => context numbering(\"1\", ..counter(footnote).at(it.location()))",
            "  body",
            "}",
            marker,
            "#let partmark(title) = [#metadata(title) <partmark>]",
        ]
        return "\n".join(x for x in lines if x) + "\n"

    def _header(self, d: dict[str, Any], folio: str, folio_text: str) -> str:
        """The running header: its text on one side and, with ``header_part``,
        the current part's title in a box on the other; top folios."""
        text = lit(str(d.get("header") or ""))
        part = ("#set par(justify: false); #set text(hyphenate: false); "
                "#context { let ps = query(selector(<partmark>).before(here())); if ps.len() > 0 { ps.last().value } }"
                if d.get("header_part") else "")
        if d.get("header_align", "left") == "left":
            cols, left, right = "(auto, 1fr)", text, part
        else:
            cols, left, right = "(1fr, auto)", part, text
        cells = f"grid(columns: {cols}, column-gutter: 2em, align: (left + bottom, right + bottom), [{left}], [{right}])"
        if folio == "top-right":
            cells = f"grid(columns: (1fr, auto), column-gutter: 1.2em, align: bottom, {cells}, [{folio_text}])"
        elif folio == "top-outer":
            cells = (f"if calc.odd(counter(page).get().first()) {{ grid(columns: (1fr, auto), column-gutter: 1.2em, "
                     f"align: bottom, {cells}, [{folio_text}]) }} else {{ grid(columns: (auto, 1fr), column-gutter: 1.2em, "
                     f"align: bottom, [{folio_text}], {cells}) }}")
        return (
            "context { if counter(page).get().first() < 3 { none } else { "
            f"set text(font: headfont, size: 6pt, fill: accent); {cells} }} }}"
        )

    def _footer(self, folio: str, folio_text: str) -> str:
        if folio.startswith("top"):
            return "none"
        body = {
            "bottom-right": f"[#h(1fr){folio_text}]",
            "bottom-center": f"align(center)[{folio_text}]",
            "bottom-outer": f"if calc.odd(counter(page).get().first()) [#h(1fr){folio_text}] else [{folio_text}]",
        }[folio]
        return f"context {{ set text(font: headfont, size: 8pt); {body} }}"

    # -- front matter --------------------------------------------------------

    def cover(self) -> str:
        f = self.sample.front
        title = "#linebreak()".join(lit(t) for t in f.get("cover_title", []))
        return (
            "#v(40pt)\n"
            "#block(fill: accent, inset: 24pt, width: 100%)[#set par(justify: false, first-line-indent: 0pt)\n"
            f"#set text(font: headfont, size: 26pt, weight: \"bold\", fill: white); {title}]\n"
            f"#v(30pt)\n#text(font: headfont, size: 16pt, fill: accent)[{lit(f.get('cover_subtitle', ''))}]\n"
            f"#v(1fr)\n#text(font: headfont, size: 9pt, weight: \"bold\")[{lit(f.get('cover_publisher', 'IOM · UN MIGRATION'))}]\n"
            "#pagebreak()\n"
        )

    def copyright(self) -> str:
        f = self.sample.front
        paras = [lit(t) for t in f.get("copyright", [])]
        if f.get("publisher"):
            paras.append("#linebreak()".join(lit(x) for x in f["publisher"]))
        if f.get("research_by"):
            paras.append(lit(f["research_by"]))
        if f.get("citation"):
            paras.append(markup(f["citation"]))
        paras += [lit(f[k]) for k in ("isbn_line", "copyright_line") if f.get(k)]
        paras += [lit(t) for t in f.get("licence", [])]
        if f.get("licence_note"):
            paras.append(lit(f["licence_note"]))
        body = "\n\n".join(paras)
        return (
            "#[#set text(size: 7pt)\n#set par(spacing: 6pt, first-line-indent: 0pt, justify: false)\n"
            f"{body}\n]\n#pagebreak()\n"
        )

    def contents(self) -> str:
        label = lit(self.d["labels"]["contents"])
        out = [
            f"#text(font: headfont, size: 22pt, weight: \"bold\", fill: accent)[{label}]\n#v(18pt)",
            "#[#set par(spacing: 8pt, first-line-indent: 0pt, justify: false)",
        ]
        for i, b in enumerate(self.sample.blocks):
            if "heading" not in b or not b.get("toc"):
                continue
            title = lit(str(b["heading"]).replace("\n", " "))
            page = f"#context counter(page).at(<h{i}>).first()"
            if b.get("dimension"):
                out.append(f"#h(14pt)#text(size: 0.9em)[{title}]#box(width: 1fr, repeat[.])#text(size: 0.9em)[{page}]\n")
            else:
                out.append(f"#text(weight: \"bold\", fill: accent)[{title}#box(width: 1fr, repeat[.]){page}]\n")
        out.append("]\n#pagebreak()\n")
        return "\n".join(out)

    # -- body ----------------------------------------------------------------

    def heading(self, block: dict[str, Any], index: int) -> str:
        level = int(block.get("level", 1))
        raw = str(block["heading"])
        title = "#linebreak()".join(self.text(x) for x in raw.split("\n")) if level == 1 else self.text(raw.replace("\n", " "))
        label = f"<h{index}>"
        if level == 1:
            size = 15 if block.get("dimension") else 22
            style = str(self.d.get("heading_style", "plain"))
            if style not in ("plain", "band", "spaced", "caps"):
                raise RenderError(f"unknown heading_style {style!r} (use plain, band, spaced or caps)")
            set_text = f"set text(font: headfont, size: {size}pt, weight: \"bold\", fill: {'white' if style == 'band' else 'accent'}"
            set_text += ", tracking: 0.12em)" if style == "spaced" else ")"
            body = f"#upper[{title}]" if style == "caps" else title
            inner = f"#{set_text}\n#set text(hyphenate: false)\n#set par(justify: false, first-line-indent: 0pt)\n{body}"
            box = (f"#block(fill: accent, inset: (x: 8pt, y: 7pt), width: 100%, below: 14pt)[{inner}]" if style == "band"
                   else f"#block(below: 14pt)[{inner}]")
            return f"#partmark({string(running_title(raw))})\n{box}{label}\n"
        if level == 2:
            return (f"#block(above: 12pt, below: 6pt, sticky: true)[#set text(font: headfont, size: 1.2em, "
                    f"weight: \"bold\", fill: accent)\n#set par(justify: false, first-line-indent: 0pt)\n#set text(hyphenate: false)\n{title}]{label}\n")
        if level == 3:
            return (f"#block(above: 10pt, below: 4pt, sticky: true)[#set text(weight: \"bold\")\n"
                    f"#set par(justify: false, first-line-indent: 0pt)\n#set text(hyphenate: false)\n{title}]{label}\n")
        num = lit(block.get("label", ""))
        num = f"{num}#h(1em)" if num else ""
        return (f"#block(above: 8pt, below: 4pt, sticky: true)[#set text(font: headfont, weight: \"bold\", fill: accent)\n"
                f"#set par(justify: false, first-line-indent: 0pt)\n#set text(hyphenate: false)\n{num}{title}]{label}\n")

    def key_sources(self, groups: list[dict[str, Any]]) -> str:
        blank = bool(self.d.get("blank_supplied_years", True))
        inline = str(self.d.get("sources", "grid")) == "inline"
        out = ["#[#set text(size: 0.9em)\n#set par(justify: false, first-line-indent: 0pt)"]
        for group in groups:
            out.append(f"#block(above: 9pt, below: 3pt, sticky: true)[#strong({string(group['author'])})]")
            cells = []
            for e in group.get("entries") or []:
                year = "" if (blank and e.get("year_supplied")) else str(e.get("year", ""))
                if inline:
                    lead = f"{lit(year)}#h(0.6em)" if year else ""
                    out.append(f"#par(hanging-indent: 2em)[{lead}{entry_typst(e)}]")
                else:
                    cells.append(f"[{lit(year)}], [{entry_typst(e)}]")
            if cells:
                out.append(f"#grid(columns: (3.4em, 1fr), column-gutter: 0.4em, row-gutter: {_pt(self.gap + 1.0)},\n  "
                           + ",\n  ".join(cells) + ")")
        out.append("]")
        return "\n".join(out) + "\n"

    def body(self) -> str:
        out: list[str] = []
        blocks = self.sample.blocks
        cols = int(self.d.get("columns", 1))
        in_cols = False
        first_part = True
        for i, block in enumerate(blocks):
            if "heading" in block:
                self.scope = block.get("footnote_scope", self.scope)
                if int(block.get("level", 1)) == 1:
                    dim = cols > 1 and bool(block.get("dimension"))
                    if dim != in_cols or (block.get("new_page", True) and not first_part):
                        # a page break, in or out of page columns; parts start on a new page
                        out.append(f"#set page(columns: {cols if dim else 1})" if dim != in_cols else "#pagebreak()")
                        in_cols = dim
                    first_part = False
                    head = self.heading(block, i)
                    out.append(f"#place(top, scope: \"parent\", float: true)[{head}]" if dim else head)
                else:
                    out.append(self.heading(block, i))
            elif "p" in block:
                after_heading = i > 0 and "heading" in blocks[i - 1]
                text = self.text(str(block["p"]))
                out.append(f"#par(first-line-indent: 0pt)[{text}]" if after_heading else text)
            elif "quote" in block:
                out.append(f"#block(inset: (left: 18pt, right: 18pt), above: 10pt, below: 10pt)[#set text(style: \"italic\", "
                           f"fill: accent.darken(30%))\n{self.text(str(block['quote']))}]")
            elif "item" in block:
                label = lit(block.get("label") or "•")
                out.append(f"#pad(left: 24pt)[#par(hanging-indent: 0pt, first-line-indent: 0pt)[#h(-24pt)#box(width: 24pt)[{label}]"
                           f"{self.text(str(block['item']))}]]")
            elif "footnote" in block:
                continue  # set at its marker
            elif "dimension_summary" in block:
                page = lit(self.d["labels"]["page"])
                target = next((j for j, b in enumerate(blocks) if b.get("id") == block.get("target")), None)
                ref = f"#context counter(page).at(<h{target}>).first()" if target is not None else ""
                out.append(f"#block(above: 8pt, below: 3pt, sticky: true)[#text(font: headfont, weight: \"bold\", fill: accent)"
                           f"[{lit(block['dimension_summary'])}]#h(1em)#text(size: 0.8em)[{page} {ref}]]")
                out.append(f"#par(first-line-indent: 0pt)[{self.text(str(block.get('text', '')))}]")
            elif "key_sources" in block:
                out.append(self.key_sources(block["key_sources"]))
            elif block.get("page_break"):
                out.append("#pagebreak()")
            else:
                raise RenderError(f"{self.sample.path}: block {i} has no known type ({', '.join(block)})")
            out.append("")
        return "\n".join(out)

    def document(self) -> str:
        return self.preamble() + self.cover() + self.copyright() + self.contents() + self.body()


def running_title(title: str, limit: int = 32) -> str:
    """A part's title as a one-line running header prints it: cut at a word
    boundary with an ellipsis when longer than LIMIT characters."""
    words, out = str(title).replace("\n", " ").split(), ""
    for w in words:
        if len(out) + len(w) + 1 > limit:
            return out + "…"
        out = f"{out} {w}".strip()
    return out


def entry_typst(e: dict[str, Any]) -> str:
    """A KEY SOURCES entry as the other engines print it: italic title,
    (translation), a full stop, the rest and the note."""
    plain = str(e.get("title", "")).strip()
    out = f"#emph({string(plain)})"
    if e.get("translation"):
        out += lit(f" ({e['translation']})")
        plain += f" ({e['translation']})"
    if not re.search(r"[.?!]$", plain):
        out += lit(".")
    for key in ("rest", "note"):
        if e.get(key):
            out += lit(" " + str(e[key]))
    return out + lit(str(e.get("mark", "")))


def to_typst(sample: Sample) -> str:
    """The Typst source of a sample."""
    return _Writer(sample, design(sample)).document()


def compile_typst(source: str, *, label: str = "sample") -> bytes:
    """Compile Typst markup to PDF bytes, in-process and deterministic."""
    try:
        import typst
    except ImportError:
        raise RenderError("typst not installed: pip install 'mgi-pipeline[samples]' (PyPI typst)") from None
    fonts = [p for p in FONT_DIRS if os.path.isdir(p)]
    try:
        return typst.compile(source.encode("utf-8"), font_paths=fonts, format="pdf", timestamp=TIMESTAMP)
    except Exception as exc:  # typst.TypstError and compile failures of the binding
        raise RenderError(f"{label}: typst failed: {str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}") from None


def render(sample: Sample | Path) -> bytes:
    """Typeset a sample with Typst: the PDF bytes."""
    if not isinstance(sample, Sample):
        sample = load_sample(Path(sample))
    return compile_typst(to_typst(sample), label=str(sample.path))


def render_to(sample_path: Path, dest: Path) -> Path:
    """Typeset one design file into ``dest`` (atomically); the PDF's path."""
    sample = load_sample(sample_path)
    pdf = render(sample)
    target = dest / sample.output
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, target)
    print(f"{target}: {len(pdf)} bytes (Typst)")
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m mgi_samples.typst_engine DESIGN.yaml... [--out DIR] [--typ]``"""
    return renderer_main(argv, main.__doc__, "--typ", to_typst, render_to)


if __name__ == "__main__":
    raise SystemExit(main())
