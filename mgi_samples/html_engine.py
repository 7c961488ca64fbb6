"""A third typesetting engine for the sample PDFs: HTML + CSS paged media,
printed by WeasyPrint (issue 18: "headless browser printing HTML/CSS").

Browser-style engines lay text out with Pango/HarfBuzz and write a text layer
unlike reportlab's or TeX's: TrueType subsets with their own ToUnicode maps,
the hyphen at a broken line printed as U+2010 (CSS ``hyphenate-character``),
CSS footnotes (``float: footnote``) in a footnote area of their own, running
headers and folios in ``@page`` margin boxes, CSS multi-column layout. This
module writes an HTML document with its stylesheet from the structured source
(:class:`~mgi_samples.render.Sample`) and prints it with WeasyPrint.

A design file selects this engine with ``design: {engine: html}``; the keys it
reads (all optional)::

    paragraphs: margin | indent       # space between paragraphs (parskip lines), or a first-line indent
    parskip: 0.5                      # the space in lines (margin mode)
    indent: 1.5                       # the first-line indent in em (indent mode)
    justify: true                     # false: ragged right
    hyphens: true                     # CSS hyphens: auto (lang from the metadata)
    hyphen_char: "\\u2010"            # what a broken line ends with (CSS hyphenate-character)
    columns: 1 | 2 | 3                # the six dimension parts in CSS columns
    column_gap: 18                    # pt
    font: dejavu-serif | dejavu-sans | dejavu-serif-condensed | dejavu-sans-condensed
    body_size: 10                     # pt; leading 1.25 x size unless body_leading
    body_leading: 12.5
    page_size: A4 | Letter
    margins: {left, right, top, bottom}   # pt
    marker_style: superscript | plain     # footnote call (plain: digits glued after punctuation)
    note_number: superscript | plain      # ::footnote-marker raised, or "7." on the baseline
    note_rule: true                   # a rule above the footnote area
    blank_supplied_years: true        # KEY SOURCES: year column left blank for year_supplied entries
    header: "..."                     # running header (@top-left)
    running_part: footer | header     # where the current part's title runs (string-set)
    footer: "{page}"                  # folio (counter(page)); footer_align: right | center
    part_heading: plain | band        # band: white title on an accent band
    accent: "#0033A0"
    labels: {contents: CONTENTS, page: PAGE}
    pdf_title / pdf_author / pdf_subject

Output is deterministic: fixed ``dcterms.created``/``modified`` dates, fonts
loaded from their files (not by fontconfig's choice), no PDF identifier.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from mgi_samples.markup import glue_after_punctuation
from mgi_samples.sources import Sample, load_sample, renderer_main
from pipeline.errors import RenderError

DATE = "2023-01-01T00:00:00Z"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {  # family -> file stems (regular, bold, italic, bold italic)
    "dejavu-serif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"),
    "dejavu-sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"),
    "dejavu-serif-condensed": ("DejaVuSerifCondensed", "DejaVuSerifCondensed-Bold", "DejaVuSerifCondensed-Italic",
                               "DejaVuSerifCondensed-BoldItalic"),
    "dejavu-sans-condensed": ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "DejaVuSansCondensed-Oblique",
                              "DejaVuSansCondensed-BoldOblique"),
}
PAGES = {"A4": "A4", "LETTER": "letter"}

DEFAULTS: dict[str, Any] = {
    "paragraphs": "margin",
    "parskip": 0.5,
    "indent": 1.5,
    "justify": True,
    "hyphens": True,
    "hyphen_char": "\u2010",
    "columns": 1,
    "column_gap": 18,
    "font": "dejavu-serif",
    "body_size": 10.0,
    "page_size": "A4",
    "margins": {"left": 62, "right": 62, "top": 80, "bottom": 70},
    "marker_style": "superscript",
    "note_number": "superscript",
    "note_rule": True,
    "blank_supplied_years": True,
    "header": "",
    "running_part": "footer",
    "footer": "{page}",
    "footer_align": "right",
    "part_heading": "plain",
    "accent": "#0033A0",
    "labels": {"contents": "CONTENTS", "page": "PAGE"},
}


def available() -> bool:
    """Whether WeasyPrint imports (it needs Pango from the system)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return (FONT_DIR / "DejaVuSerif.ttf").is_file()


def is_html(sample: Sample) -> bool:
    return str((sample.design or {}).get("engine", "")).lower() == "html"


def design(sample: Sample) -> dict[str, Any]:
    d = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    for key, value in (sample.design or {}).items():
        d[key] = {**d[key], **value} if isinstance(value, dict) and isinstance(d.get(key), dict) else value
    return d


# --------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------

_MARKER = re.compile(r"\[\^(=?)(\d+)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def markup(text: str) -> str:
    """Plain source text with ``**bold**``/``*italic*`` -> HTML (escaped)."""
    out = esc(text)
    out = _BOLD.sub(r"<b>\1</b>", out)
    return _ITALIC.sub(r"<i>\1</i>", out)


def css_string(text: str) -> str:
    """A CSS string literal of any text."""
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:;-|()/" else f"\\{ord(ch):x} " for ch in str(text)) + '"'


# --------------------------------------------------------------------------
# stylesheet
# --------------------------------------------------------------------------


def stylesheet(d: dict[str, Any]) -> str:
    """The document's CSS (paged media) for design D."""
    size = float(d["body_size"])
    lead = float(d.get("body_leading") or round(size * 1.25, 2))
    page = PAGES.get(str(d["page_size"]).upper())
    if page is None:
        raise RenderError(f"unknown page_size {d['page_size']!r} (use A4 or Letter)")
    font = str(d["font"]).lower()
    if font not in FONTS:
        raise RenderError(f"unknown font {d['font']!r} (use {', '.join(FONTS)})")
    m, accent = d["margins"], str(d["accent"])
    faces = []
    for family, stems in (("Body", FONTS[font]), ("Heads", FONTS["dejavu-sans"])):
        for stem, (weight, style) in zip(stems, (("normal", "normal"), ("bold", "normal"), ("normal", "italic"), ("bold", "italic"))):
            faces.append(f"@font-face {{ font-family: {family}; font-weight: {weight}; font-style: {style};"
                         f" src: url({(FONT_DIR / (stem + '.ttf')).as_uri()}); }}")
    footer = " ".join(f"counter(page)" if part == "{page}" else css_string(part)
                      for part in re.split(r"(\{page\})", str(d.get("footer") or "")) if part)
    foot_box = "bottom-center" if d.get("footer_align") == "center" else "bottom-right"
    part_box = "top-right" if d.get("running_part") == "header" else "bottom-left"
    furniture = "font-family: Heads; font-size: 6pt; white-space: nowrap; color: " + accent
    # the footnote area takes no padding nor border: with either, WeasyPrint
    # (v70) defers notes to later pages, one a page, and loses some; the rule
    # is a background stripe
    rule = "margin-top: 6pt;" + (f" background: linear-gradient({accent}, {accent}) no-repeat top left / 30% 0.5pt;"
                                 if d.get("note_rule", True) else "")
    if d["paragraphs"] == "margin":
        paras = f"p {{ margin: 0 0 {round(float(d['parskip']) * lead, 2)}pt 0; text-indent: 0; }}"
    else:
        paras = f"p {{ margin: 0; }} p + p {{ text-indent: {float(d['indent'])}em; }}"
    call = "vertical-align: super; font-size: 65%; line-height: 0;"
    marker = ('content: attr(data-n) ". "; vertical-align: baseline; font-size: 100%;' if d["note_number"] == "plain"
              else 'content: attr(data-n) " "; vertical-align: super; font-size: 70%;')
    band = d.get("part_heading") == "band"
    h1 = (f"background: {accent}; color: white; padding: 10pt 12pt;" if band else f"color: {accent};")
    return "\n".join([
        *faces,
        f"@page {{ size: {page}; margin: {m['top']}pt {m['right']}pt {m['bottom']}pt {m['left']}pt;",
        f"  @top-left {{ content: {css_string(d.get('header') or '')}; {furniture}; }}",
        f"  @{part_box} {{ content: string(part); {furniture}; }}",
        f"  @{foot_box} {{ content: {footer}; font-family: Heads; font-size: 8pt; }}",
        f"  @footnote {{ {rule} }} }}",
        "@page front { @top-left { content: none; border: none; } @bottom-left { content: none; }"
        " @top-right { content: none; } @bottom-right { content: none; } @bottom-center { content: none; } }",
        "@page contents { @top-left { content: none; border: none; } @bottom-left { content: none; } @top-right { content: none; } }",
        f"html {{ font-family: Body; font-size: {size}pt; line-height: {lead}pt; }}",
        f"body {{ margin: 0; text-align: {'justify' if d.get('justify', True) else 'left'};"
        f" hyphens: {'auto' if d.get('hyphens', True) else 'manual'};"
        f" hyphenate-character: {css_string(d.get('hyphen_char', chr(0x2010)))}; orphans: 2; widows: 2; }}",
        paras,
        ".front { page: front; } .contents { page: contents; }",
        ".cover { break-after: page; }",
        f".cover .band {{ margin-top: 40pt; background: {accent}; color: white; padding: 24pt 12pt;"
        " font: bold 26pt/32pt Heads; }",
        f".cover .subtitle {{ margin-top: 30pt; font: 16pt/20pt Heads; color: {accent}; }}",
        ".cover .publisher { margin-top: 300pt; font: bold 9pt Heads; }",
        ".copyright { break-before: page; font-size: 7pt; line-height: 9pt; text-align: left; hyphens: manual; }",
        ".copyright p { margin: 0 0 5pt 0; text-indent: 0; }",
        ".contents { break-before: page; text-align: left; hyphens: manual; }",
        f".contents h1 {{ font: bold 22pt/26pt Heads; color: {accent}; margin: 0 0 18pt 0; }}",
        ".toc { display: block; margin: 0 0 7pt 0; font-family: Heads; text-decoration: none; color: black; }",
        f".toc-part {{ font-weight: bold; color: {accent}; }} .toc-dim {{ margin-left: 14pt; font-size: 90%; }}",
        ".toc::after { content: leader('.') target-counter(attr(href), page); }",
        ".part { break-before: page; }",
        f"h1 {{ font: bold 22pt/26pt Heads; {h1} margin: 0 0 14pt 0; text-align: left; hyphens: manual;"
        " string-set: part attr(data-mark); }",
        "h1.dim { font-size: 15pt; line-height: 19pt; }",
        f"h2 {{ font: bold 13pt/16pt Heads; color: {accent}; margin: 10pt 0 4pt 0; text-align: left;"
        " hyphens: manual; break-after: avoid; }",
        "h3 { font-weight: bold; font-size: 1em; margin: 8pt 0 2pt 0; text-align: left; hyphens: manual; break-after: avoid; }",
        f"h4 {{ font-family: Heads; font-weight: bold; font-size: 1em; color: {accent}; margin: 6pt 0 0 0;"
        " text-align: left; hyphens: manual; break-after: avoid; }",
        "h4 .num { margin-right: 1em; }",
        ".item { margin: 0 0 2pt 2.4em; text-indent: -2.4em; }",
        ".item .label { display: inline-block; width: 2.4em; text-indent: 0; }",
        ".list { margin: 4pt 0; }",
        f"blockquote {{ margin: 6pt 24pt; font-style: italic; color: {accent}; }}",
        f".summary {{ font-family: Heads; font-weight: bold; color: {accent}; margin: 6pt 0 0 0; break-after: avoid; }}",
        ".summary .page { font-weight: normal; font-size: 8pt; margin-left: 1em; }",
        ".summary .page::after { content: target-counter(attr(data-href), page); }",
        f".cols {{ columns: {int(d.get('columns', 1))}; column-gap: {float(d['column_gap'])}pt; }}",
        ".ks-author { font-weight: bold; font-size: 90%; margin: 9pt 0 2pt 0; break-after: avoid; text-align: left; }",
        ".ks { font-size: 90%; margin: 0 0 1.5pt 3.6em; text-indent: -3.6em; text-align: left; hyphens: manual; }",
        ".ks .year { display: inline-block; width: 3.6em; text-indent: 0; }",
        f".fn {{ float: footnote; font-size: {round(size * 0.8, 2)}pt; line-height: {round(size * 0.98, 2)}pt;"
        " font-style: normal; font-weight: normal; color: black; text-align: left; text-indent: 0; hyphens: manual;"
        " footnote-policy: line; }",  # the call's line goes to the next page when its note does not fit
        f".fn::footnote-call {{ content: attr(data-n); {call} }}",
        # a marker glued after punctuation (marker_style plain): body-size digits on the baseline
        ".nobr { white-space: nowrap; } .nobr .fn { white-space: normal; }",
        ".fn.glued::footnote-call { vertical-align: baseline; font-size: 100%; line-height: inherit; }",
        f".fn::footnote-marker {{ {marker} }}",
    ]) + "\n"


# --------------------------------------------------------------------------
# document
# --------------------------------------------------------------------------


class _Writer:
    def __init__(self, sample: Sample, d: dict[str, Any]):
        self.sample, self.d = sample, d
        self.notes = self._collect_notes()
        self.scope = "main"

    def _collect_notes(self) -> dict[tuple[str, int], str]:
        notes: dict[tuple[str, int], str] = {}
        scope = "main"
        for block in self.sample.blocks:
            if "heading" in block:
                scope = block.get("footnote_scope", scope)
            elif "footnote" in block:
                notes[(scope, int(block["footnote"]))] = str(block.get("text", ""))
        return notes

    def note(self, number: int, glued: bool = False) -> str:
        text = self.notes.get((self.scope, number))
        if text is None:
            raise RenderError(f"{self.sample.path}: marker [^{number}] has no note in scope {self.scope}")
        return f'<span class="fn{" glued" if glued else ""}" data-n="{number}">{markup(text)}</span>'

    def text(self, s: str) -> str:
        """Source markup -> HTML with its footnotes (each a ``float: footnote`` span)."""
        if self.d["marker_style"] == "plain":  # digits glued after punctuation, as the other engines
            s = glue_after_punctuation(s)
        parts, pos = [], 0
        for m in _MARKER.finditer(s):
            before, note = markup(s[pos : m.start()]), self.note(int(m.group(2)), bool(m.group(1)))
            word = re.search(r"[^\s<>]+$", before) if m.group(1) else None
            if word:  # WeasyPrint would break the line between the word and its glued call
                before, note = before[: word.start()], f'<span class="nobr">{word.group(0)}{note}</span>'
            parts += [before, note]
            pos = m.end()
        parts.append(markup(s[pos:]))
        return "".join(parts)

    def front(self) -> str:
        f = self.sample.front
        title = "<br>".join(esc(t) for t in f.get("cover_title", []))
        out = [
            '<section class="front cover">',
            f'<div class="band">{title}</div><div class="subtitle">{esc(f.get("cover_subtitle", ""))}</div>',
            f'<div class="publisher">{esc(f.get("cover_publisher", "IOM · UN MIGRATION"))}</div></section>',
            '<section class="front copyright">',
        ]
        out += [f"<p>{esc(t)}</p>" for t in f.get("copyright", [])]
        if f.get("publisher"):
            out.append("<p>" + "<br>".join(esc(x) for x in f["publisher"]) + "</p>")
        for key in ("research_by", "citation", "isbn_line", "copyright_line"):
            if f.get(key):
                out.append(f"<p>{markup(f[key])}</p>")
        out += [f"<p>{esc(t)}</p>" for t in f.get("licence", [])]
        if f.get("licence_note"):
            out.append(f'<p style="margin-top: 10pt">{esc(f["licence_note"])}</p>')
        out.append("</section>")
        return "\n".join(out)

    def contents(self) -> str:
        out = ['<section class="contents">', f"<h1>{esc(self.d['labels']['contents'])}</h1>"]
        for i, b in enumerate(self.sample.blocks):
            if "heading" in b and b.get("toc"):
                kind = "toc-dim" if b.get("dimension") else "toc-part"
                out.append(f'<a class="toc {kind}" href="#h{i}">{esc(str(b["heading"]).replace(chr(10), " "))}</a>')
        out.append("</section>")
        return "\n".join(out)

    def heading(self, block: dict[str, Any], index: int) -> str:
        level = min(4, max(1, int(block.get("level", 1))))
        raw = str(block["heading"])
        title = self.text(raw).replace("\n", "<br>")
        if level == 1:
            cls = ' class="dim"' if block.get("dimension") else ""
            return f'<h1 id="h{index}"{cls} data-mark="{esc(running_title(raw))}">{title}</h1>'
        if level == 4 and block.get("label"):
            title = f'<span class="num">{esc(block["label"])}</span>{title}'
        return f'<h{level} id="h{index}">{title}</h{level}>'

    def key_sources(self, groups: list[dict[str, Any]]) -> str:
        blank = bool(self.d.get("blank_supplied_years", True))
        out = []
        for group in groups:
            out.append(f'<div class="ks-author">{esc(group["author"])}</div>')
            for e in group.get("entries") or []:
                year = "" if (blank and e.get("year_supplied")) else esc(e.get("year", ""))
                out.append(f'<div class="ks"><span class="year">{year}</span>{entry_html(e)}</div>')
        return "\n".join(out)

    def body(self) -> str:
        out: list[str] = []
        blocks = self.sample.blocks
        cols = int(self.d.get("columns", 1)) >= 2
        open_part = in_cols = in_list = False
        for i, block in enumerate(blocks):
            if in_list and "item" not in block:
                out.append("</div>")
                in_list = False
            if "heading" in block:
                self.scope = block.get("footnote_scope", self.scope)
                if int(block.get("level", 1)) == 1:
                    if in_cols:
                        out.append("</div>")
                        in_cols = False
                    if open_part:
                        out.append("</section>")
                    style = "" if block.get("new_page", True) else ' style="break-before: auto"'
                    out.append(f'<section class="part"{style}>')
                    open_part = True
                    out.append(self.heading(block, i))
                    if cols and block.get("dimension"):
                        out.append('<div class="cols">')
                        in_cols = True
                else:
                    out.append(self.heading(block, i))
            elif "p" in block:
                out.append(f"<p>{self.text(str(block['p']))}</p>")
            elif "quote" in block:
                out.append(f"<blockquote>{self.text(str(block['quote']))}</blockquote>")
            elif "item" in block:
                if not in_list:
                    out.append('<div class="list">')
                    in_list = True
                label = esc(block.get("label") or "\u2022")
                out.append(f'<div class="item"><span class="label">{label}</span>{self.text(str(block["item"]))}</div>')
            elif "footnote" in block:
                continue  # set at its marker
            elif "dimension_summary" in block:
                target = next((j for j, b in enumerate(blocks) if b.get("id") == block.get("target")), None)
                page = esc(self.d["labels"]["page"])
                ref = f'<span class="page" data-href="#h{target}">{page} </span>' if target is not None else ""
                out.append(f'<div class="summary">{esc(block["dimension_summary"])}{ref}</div>')
                out.append(f"<p>{self.text(str(block.get('text', '')))}</p>")
            elif "key_sources" in block:
                out.append(self.key_sources(block["key_sources"]))
            elif block.get("page_break"):
                out.append('<div style="break-after: page"></div>')
            else:
                raise RenderError(f"{self.sample.path}: block {i} has no known type ({', '.join(block)})")
        if in_list:
            out.append("</div>")
        if in_cols:
            out.append("</div>")
        if open_part:
            out.append("</section>")
        return "\n".join(out)

    def document(self) -> str:
        meta = self.sample.metadata
        d = self.d
        lang = esc(meta.get("language") or "en")
        title = d.get("pdf_title") or meta.get("title", "")
        author = d.get("pdf_author", "International Organization for Migration (IOM)")
        subject = d.get("pdf_subject", "Migration Governance Indicators profile (rendered test sample)")
        return "\n".join([
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
            f"<title>{esc(title)}</title>",
            f'<meta name="author" content="{esc(author)}"><meta name="description" content="{esc(subject)}">',
            '<meta name="generator" content="mgi-pipeline sample renderer (WeasyPrint)">',
            f'<meta name="dcterms.created" content="{DATE}"><meta name="dcterms.modified" content="{DATE}">',
            f"<style>\n{stylesheet(d)}</style></head><body>",
            self.front(),
            self.contents(),
            self.body(),
            "</body></html>\n",
        ])


def running_title(heading: str, limit: int = 30) -> str:
    """A part's title as it runs in a margin box: cut at a word before
    ``limit`` characters, with an ellipsis (a long title would wrap)."""
    text = " ".join(heading.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def entry_html(e: dict[str, Any]) -> str:
    """A KEY SOURCES entry as the other engines print it: italic title,
    (translation), a full stop, the rest and the note."""
    plain = str(e.get("title", "")).strip()
    out = f"<i>{esc(plain)}</i>"
    if e.get("translation"):
        out += f" ({esc(e['translation'])})"
        plain += f" ({e['translation']})"
    if not re.search(r"[.?!]$", plain):
        out += "."
    for key in ("rest", "note"):
        if e.get(key):
            out += " " + esc(e[key])
    return out + esc(e.get("mark", ""))


def to_html(sample: Sample) -> str:
    """The HTML document (stylesheet inline) of a sample."""
    return _Writer(sample, design(sample)).document()


def render(sample: Sample | Path) -> bytes:
    """Print a sample with WeasyPrint: the PDF bytes."""
    if not isinstance(sample, Sample):
        sample = load_sample(Path(sample))
    if not available():
        raise RenderError("WeasyPrint not usable: pip install weasyprint (needs the Debian packages "
                          "libpango-1.0-0 libpangoft2-1.0-0 and fonts-dejavu-core fonts-dejavu-extra)")
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    doc = to_html(sample)
    return weasyprint.HTML(string=doc, base_url=str(Path(sample.path).parent)).write_pdf()


def render_to(sample_path: Path, dest: Path) -> Path:
    """Render one design file into DEST/<output>; rewrites only when changed."""
    sample = load_sample(Path(sample_path))
    pdf = render(sample)
    target = Path(dest) / sample.output
    if not target.is_file() or target.read_bytes() != pdf:
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(pdf)
        os.replace(tmp, target)
    print(f"{target}: {len(pdf)} bytes")
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m mgi_samples.html_engine DESIGN.yaml... [--out samples] [--html]``"""
    return renderer_main(argv, main.__doc__, "--html", to_html, render_to)


if __name__ == "__main__":
    raise SystemExit(main())
