"""Second typesetting engine for the samples: a word processor (LibreOffice Writer).

A design file with ``engine: writer`` is typeset by writing a Flat ODT
document (``.fodt``, plain XML) and converting it with
``soffice --headless --convert-to pdf``. The document uses Writer's own
machinery, as a report written in a word processor would:

* real footnotes (``text:note``) numbered by Writer, continuous through the
  document (design ``note_numbering: document|page|chapter``); where the
  content restarts its numbering (a ``footnote_scope`` such as the COVID-19
  annex) and the numbering is per document, those notes carry the printed
  number as a custom mark, which Writer does not count, so the main sequence
  runs on after them;
* the footnote area under Writer's short separator rule (25 % of the text
  width), the number superscript in the text and superscript then a tab
  (hanging indent) in the note;
* paragraph styles: justified body separated by space after only, no
  first-line indent (designs may set one); headings with outline levels;
  bulleted and numbered lists;
* the six dimension parts in two-column sections (``text:section`` with
  ``style:columns``), notes full width at the page foot;
* running header (the report name and, on the right, the current part via a
  chapter field) and a footer with a page-number field;
* cover and copyright pages from the front matter, a contents list whose
  page numbers are bookmark-reference fields;
* KEY SOURCES under author headings, entries with a hanging indent: year,
  tab, entry; the year column is left blank for entries whose year the
  real profile does not print (``year_supplied: true``).

Design keys (all optional): page_size (A4|Letter), margins {left,right,top,
bottom} (pt), font, heading_font, body_size, line_height (per cent),
space_after (pt), first_line_indent (pt), note_size, note_numbering,
accent, header, footer ("Page {page}"), footer_align (left|center|right),
two_column_dimensions, column_gap (pt), year_column (pt), labels.

Output: the PDF bytes are Writer's; ``normalize_pdf`` replaces the export's
creation date and document ID (the only bytes that vary between two
conversions of the same file) by fixed values of the same length.

    python -m mgi_samples.writer samples/source/X.yaml [--dest samples] [--keep-fodt]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pipeline.errors import RenderError
from mgi_samples.sources import Sample, engine_of, load_sample
from mgi_samples.writer_styles import automatic_styles, font_decls, master_styles, meta, styles

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
}

DEFAULTS: dict[str, Any] = {
    "page_size": "A4",
    "margins": {"left": 64, "right": 64, "top": 56, "bottom": 56},
    "font": "DejaVu Serif",
    "heading_font": "DejaVu Sans",
    "body_size": 10.0,
    "line_height": 115,
    "space_after": 6.0,
    "first_line_indent": 0.0,
    "note_size": 8.0,
    "note_numbering": "document",  # or "page" / "chapter" (Writer restarts; printed numbers then follow Writer)
    "accent": "#1F4E79",
    "header": "Santiago de Chile (Chile) — MGI Local Profile 2022",
    "header_part": True,
    "footer": "Page {page}",
    "footer_align": "right",
    "two_column_dimensions": True,
    "column_gap": 18.0,
    "year_column": 40.0,
    "labels": {"contents": "CONTENTS", "page": "PAGE"},
    "cover_publisher": "IOM · UN MIGRATION",
}
PAGE_SIZES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
MARKER = re.compile(r"\[\^(=?)(\d+)\]")


# The Writer engine cannot typeset a sample (soffice missing, conversion failed): the
# renderers' error class (pipeline/errors.py), under this engine's name.
WriterError = RenderError


def design_of(sample: Sample) -> dict[str, Any]:
    d = {**DEFAULTS, **(sample.design or {})}
    d["margins"] = {**DEFAULTS["margins"], **(sample.design.get("margins") or {})}
    d["labels"] = {**DEFAULTS["labels"], **(sample.design.get("labels") or {})}
    return d


# --------------------------------------------------------------------------
# inline markup -> ODF text spans and notes
# --------------------------------------------------------------------------

_TOKEN = re.compile(r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|\[\^=?\d+\]|\n")


class _Inline:
    """Converts source markup to ODF paragraph content; footnote markers
    become ``text:note`` elements holding the note text of their scope."""

    def __init__(self, notes: dict[tuple[str, int], str], numbering: str):
        self.notes = notes
        self.numbering = numbering
        self.counter = 0
        self.used: list[tuple[str, int]] = []

    def __call__(self, text: str, scope: str = "main", notes: bool = True) -> str:
        out: list[str] = []
        bold = italic = False
        pos = 0
        for m in _TOKEN.finditer(text):
            out.append(self._span(text[pos:m.start()], bold, italic))
            tok = m.group(0)
            if tok == "**":
                bold = not bold
            elif tok == "*":
                italic = not italic
            elif tok == "\n":
                out.append("<text:line-break/>")
            else:
                plain, number = MARKER.fullmatch(tok).groups()
                if notes:
                    out.append(self._note(scope, int(number), bool(plain)))
            pos = m.end()
        out.append(self._span(text[pos:], bold, italic))
        return "".join(out)

    @staticmethod
    def _span(text: str, bold: bool, italic: bool) -> str:
        if not text:
            return ""
        body = escape(text)
        body = re.sub(r"  +", lambda m: " " + f'<text:s text:c="{len(m.group(0)) - 1}"/>', body)
        name = {(True, True): "BI", (True, False): "B", (False, True): "I"}.get((bold, italic))
        return f'<text:span text:style-name="{name}">{body}</text:span>' if name else body

    def _note(self, scope: str, number: int, plain: bool) -> str:
        key = (scope, number)
        if key not in self.notes:
            raise WriterError(f"footnote marker {scope}:{number} has no note text")
        self.used.append(key)
        self.counter += 1
        body = self(self.notes[key], scope, notes=False)
        # a scope that restarts the numbering (per-document numbering): custom mark
        label = f' text:label="{number}"' if scope != "main" and self.numbering == "document" else ""
        cite = f'<text:note-citation{label}>{number}</text:note-citation>'
        style = ' text:style-name="PlainAnchor"' if plain else ""
        note = (f'<text:note text:id="ftn{self.counter}" text:note-class="footnote">{cite}'
                f'<text:note-body><text:p text:style-name="Footnote">{body}</text:p></text:note-body></text:note>')
        return f"<text:span{style}>{note}</text:span>" if plain else note


def _plain(text: str) -> str:
    text = MARKER.sub("", text).replace("**", "")
    return re.sub(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", "", text).replace("\n", " ")


# --------------------------------------------------------------------------
# body
# --------------------------------------------------------------------------

def _heading_id(block: dict[str, Any], index: int) -> str:
    return str(block.get("id") or f"h{index}")


def _entry(entry: dict[str, Any], inline: _Inline) -> str:
    """One KEY SOURCES entry: year (blank when the profile prints none), tab, entry."""
    year = "" if entry.get("year_supplied") else escape(str(entry.get("year", "")))
    title = str(entry.get("title", "")).strip()
    text = f'<text:span text:style-name="I">{escape(title)}</text:span>'
    plain = title
    if entry.get("translation"):
        text += f" ({escape(str(entry['translation']))})"
        plain += f" ({entry['translation']})"
    if not re.search(r"[.?!]$", plain):
        text += "."
    for key in ("rest", "note"):
        if entry.get(key):
            text += " " + escape(str(entry[key]))
    return f'<text:p text:style-name="KS_20_Entry">{year}<text:tab/>{text}</text:p>'


def _list_kind(label: str | None) -> tuple[str, int] | None:
    if label is None:
        return ("LBullet", 1)
    if re.fullmatch(r"\d+\.", label):
        return ("LArabic", int(label[:-1]))
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
    m = re.fullmatch(r"\(([ivx]+)\)", label)
    if m and m.group(1) in roman:
        return ("LRoman", roman[m.group(1)])
    return None


def build_fodt(sample: Sample) -> str:
    """The Flat ODT document of a sample."""
    d = design_of(sample)
    w, h = PAGE_SIZES[str(d["page_size"])]
    text_w = w - float(d["margins"]["left"]) - float(d["margins"]["right"])
    blocks = sample.blocks

    notes: dict[tuple[str, int], str] = {}
    scope = "main"
    for block in blocks:
        if "heading" in block:
            scope = block.get("footnote_scope", scope)
        if "footnote" in block:
            notes[(scope, int(block["footnote"]))] = str(block.get("text", ""))
    inline = _Inline(notes, str(d["note_numbering"]))

    body: list[str] = []
    body += _cover(sample, d)
    body += _copyright(sample, inline)
    body += _contents(sample, d)

    scope = "main"
    section_open = False
    list_open: str | None = None

    def close_list() -> None:
        nonlocal list_open
        if list_open:
            body.append("</text:list>")
            list_open = None

    for i, block in enumerate(blocks):
        if "item" not in block:
            close_list()
        if "heading" in block:
            scope = block.get("footnote_scope", scope)
            level = int(block.get("level", 1))
            key = _heading_id(block, i)
            content = inline(str(block["heading"]), scope)
            if level == 1:
                if section_open:
                    body.append("</text:section>")
                    section_open = False
                style = "Dimension_20_Heading" if block.get("dimension") else "Heading_20_1"
                body.append(f'<text:h text:style-name="{style}" text:outline-level="1"><text:bookmark text:name="{key}"/>{content}</text:h>')
                if block.get("dimension") and d["two_column_dimensions"]:
                    body.append(f'<text:section text:style-name="TwoCol" text:name="{key}_text">')
                    section_open = True
            else:
                label = block.get("label")
                prefix = f"{escape(str(label))}<text:tab/>" if label else ""
                body.append(f'<text:h text:style-name="Heading_20_{min(level, 4)}" text:outline-level="{level}">'
                            f'<text:bookmark text:name="{key}"/>{prefix}{content}</text:h>')
        elif "p" in block:
            body.append(f'<text:p text:style-name="Text_20_body">{inline(str(block["p"]), scope)}</text:p>')
        elif "quote" in block:
            body.append(f'<text:p text:style-name="Quotations">{inline(str(block["quote"]), scope)}</text:p>')
        elif "item" in block:
            label = block.get("label")
            kind = _list_kind(None if label is None else str(label))
            content = inline(str(block["item"]), scope)
            if kind is None:  # a label Writer cannot number: written out
                close_list()
                body.append(f'<text:p text:style-name="List_20_Contents">{escape(str(label))}<text:tab/>{content}</text:p>')
                continue
            style, value = kind
            if list_open != style:
                close_list()
                body.append(f'<text:list text:style-name="{style}">')
                list_open = style
                start = f' text:start-value="{value}"' if value != 1 else ""
            else:
                start = ""
            body.append(f'<text:list-item{start}><text:p text:style-name="List_20_Contents">{content}</text:p></text:list-item>')
        elif "footnote" in block:
            continue
        elif "dimension_summary" in block:
            page = escape(str(d["labels"]["page"]))
            target = escape(str(block.get("target", "")))
            body.append(f'<text:p text:style-name="Summary_20_Label">{escape(str(block["dimension_summary"]))}<text:s text:c="2"/>'
                        f'<text:span text:style-name="Page_20_Ref">{page} <text:bookmark-ref text:reference-format="page" '
                        f'text:ref-name="{target}">0</text:bookmark-ref></text:span></text:p>')
            body.append(f'<text:p text:style-name="Text_20_body">{inline(str(block.get("text", "")), scope)}</text:p>')
        elif "key_sources" in block:
            for group in block["key_sources"]:
                body.append(f'<text:p text:style-name="KS_20_Author">{escape(str(group["author"]))}</text:p>')
                body += [_entry(e, inline) for e in group.get("entries", [])]
        elif block.get("page_break"):
            body.append('<text:p text:style-name="Text_20_body"><text:soft-page-break/></text:p>')
        else:
            raise WriterError(f"{sample.path}: block {i} has no known type ({', '.join(block)})")
    close_list()
    if section_open:
        body.append("</text:section>")

    decls = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document {decls} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
            + meta(sample) + font_decls(d) + styles(d, text_w) + automatic_styles(d, w, h) + master_styles(d)
            + "<office:body><office:text>" + "\n".join(body) + "</office:text></office:body></office:document>\n")


def _cover(sample: Sample, d: dict[str, Any]) -> list[str]:
    f = sample.front
    lines = [escape(str(t)) for t in f.get("cover_title", [])] or [escape(str(sample.metadata.get("title", "")))]
    out = [f'<text:p text:style-name="MCover">{lines[0]}</text:p>']
    out += [f'<text:p text:style-name="Cover_20_Title">{t}</text:p>' for t in lines[1:]]
    if f.get("cover_subtitle"):
        out.append(f'<text:p text:style-name="Cover_20_Subtitle">{escape(str(f["cover_subtitle"]))}</text:p>')
    out.append(f'<text:p text:style-name="Cover_20_Publisher">{escape(str(d["cover_publisher"]))}</text:p>')
    return out


def _copyright(sample: Sample, inline: _Inline) -> list[str]:
    f = sample.front
    paras = [("Small", escape(str(t))) for t in f.get("copyright", [])]
    paras += [("Small_20_Line", escape(str(t))) for t in f.get("publisher", [])]
    if f.get("research_by"):
        paras.append(("Small", escape(str(f["research_by"]))))
    if f.get("citation"):
        paras.append(("Small", inline(str(f["citation"]), notes=False)))
    for key in ("isbn_line", "copyright_line"):
        if f.get(key):
            paras.append(("Small", escape(str(f[key]))))
    paras += [("Small", escape(str(t))) for t in f.get("licence", [])]
    if f.get("licence_note"):
        paras.append(("Small", escape(str(f["licence_note"]))))
    if not paras:
        paras = [("Small", "")]
    first_style, first = paras[0]
    out = [f'<text:p text:style-name="MFront">{first}</text:p>']
    out += [f'<text:p text:style-name="{s}">{t}</text:p>' for s, t in paras[1:]]
    return out


def _contents(sample: Sample, d: dict[str, Any]) -> list[str]:
    out = [f'<text:p text:style-name="MStandard">{escape(str(d["labels"]["contents"]))}</text:p>']
    for i, b in enumerate(sample.blocks):
        if "heading" in b and b.get("toc"):
            style = "Contents_20_2" if b.get("dimension") else "Contents_20_1"
            title = escape(_plain(str(b["heading"])))
            out.append(f'<text:p text:style-name="{style}">{title}<text:tab/><text:bookmark-ref text:reference-format="page" '
                       f'text:ref-name="{_heading_id(b, i)}">0</text:bookmark-ref></text:p>')
    return out


# --------------------------------------------------------------------------
# conversion
# --------------------------------------------------------------------------

def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_DATE = re.compile(rb"/CreationDate\s*\(D:[^)]*\)")
_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]|/DocChecksum\s*/[0-9A-Fa-f]+")


def normalize_pdf(pdf: bytes) -> bytes:
    """Fix the bytes Writer varies per conversion (creation date, document
    ID, /DocChecksum in the trailer) to constants of the same length, so xref offsets stay valid."""

    def date(m: re.Match) -> bytes:
        fixed = b"/CreationDate(D:20230101000000Z)"
        return fixed.ljust(len(m.group(0)), b" ") if len(fixed) <= len(m.group(0)) else m.group(0)

    def ident(m: re.Match) -> bytes:  # hex digits inside <...> (ID) or after the checksum name
        zero = lambda h: re.sub(rb"[0-9A-Fa-f]", b"0", h.group(0))  # noqa: E731
        if m.group(0).startswith(b"/DocChecksum"):
            return b"/DocChecksum /" + re.sub(rb"[0-9A-Fa-f]+$", zero, m.group(0).split(b"/")[-1])
        return re.sub(rb"<[0-9A-Fa-f]+>", zero, m.group(0))

    return _ID.sub(ident, _DATE.sub(date, pdf))


@dataclass
class WriterResult:
    pdf: bytes
    raw_pdf: bytes
    fodt: str
    seconds: float


def convert(fodt: str, *, name: str = "sample") -> tuple[bytes, float]:
    """Convert a Flat ODT text to PDF with headless Writer (a throwaway profile per run)."""
    exe = soffice()
    if not exe:
        raise WriterError("soffice not found (install Debian libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="mgi-writer-") as tmp:
        tmpd = Path(tmp)
        src = tmpd / f"{name}.fodt"
        src.write_text(fodt, encoding="utf-8")
        profile = (tmpd / "profile").as_uri()
        env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp", "TZ": "UTC", "LC_ALL": "C.UTF-8"}
        start = time.monotonic()
        proc = subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                               "--outdir", str(tmpd), str(src)], capture_output=True, text=True, timeout=300, env=env)
        seconds = time.monotonic() - start
        out = tmpd / f"{name}.pdf"
        if proc.returncode != 0 or not out.is_file():
            raise WriterError(f"soffice failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
        return out.read_bytes(), seconds


def render_writer(sample: Sample | Path) -> WriterResult:
    if not isinstance(sample, Sample):
        sample = load_sample(Path(sample))
    fodt = build_fodt(sample)
    raw, seconds = convert(fodt, name=Path(sample.output).stem)
    return WriterResult(pdf=normalize_pdf(raw), raw_pdf=raw, fodt=fodt, seconds=seconds)


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m mgi_samples.writer", description=__doc__.splitlines()[0])
    ap.add_argument("design", nargs="+", type=Path)
    ap.add_argument("--dest", type=Path, default=Path("samples"))
    ap.add_argument("--keep-fodt", action="store_true", help="also write the .fodt next to the PDF")
    args = ap.parse_args(argv)
    for path in args.design:
        sample = load_sample(path)
        if engine_of(path) != "writer":
            print(f"{path}: not a Writer design (engine: writer)")
            return 2
        try:
            result = render_writer(sample)
        except WriterError as exc:
            print(f"error: {exc}")
            return 2
        args.dest.mkdir(parents=True, exist_ok=True)
        target = args.dest / sample.output
        target.write_bytes(result.pdf)
        if args.keep_fodt:
            target.with_suffix(".fodt").write_text(result.fodt, encoding="utf-8")
        print(f"{target}: {len(result.pdf)} bytes, converted in {result.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
