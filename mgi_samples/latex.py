"""A second typesetting engine for the sample PDFs: LaTeX (pdflatex).

The reportlab renderer (``mgi_samples.render``) is the only engine the
pipeline was tuned on; real profiles come out of InDesign, and text layers
differ by engine (TeX sets inter-word space as positioning gaps, not space
glyphs; kerning splits words into runs; footnotes sit under TeX's own rule;
Type 1 fonts with glyph-name ToUnicode maps). This module writes a ``.tex``
from the same structured source (:class:`~mgi_samples.render.Sample`) and
compiles it with ``pdflatex`` in a temporary folder.

A design file selects this engine with ``design: {engine: latex}``; the keys
it reads (all optional)::

    paragraphs: parskip | indent      # space of ~0.5 line and no indent, or indent and no space
    parskip: 0.5                      # the space in lines (parskip mode)
    justify: true                     # false: ragged right
    columns: 1 | 2                    # 2: the six dimension parts in two columns (multicol)
    column_gap: 18                    # pt
    font: helvetica | times | palatino | lmodern
    body_size: 10                     # pt; leading 1.2 x size unless body_leading
    body_leading: 12.5
    page_size: A4 | Letter
    margins: {left, right, top, bottom}   # pt
    marker_style: superscript | plain     # the note marker in the text (plain: digits glued after
                                          # punctuation, not after a number's own full stop)
    note_number: superscript | plain      # the number in front of the note at the page foot
    blank_supplied_years: true        # KEY SOURCES: year column left blank for year_supplied entries
    header: "..."                     # running header (left); the current part on the right
    footer: "{page}"                  # folio; footer_align: right | center
    accent: "#0033A0"
    labels: {contents: CONTENTS, page: PAGE}
    pdf_title / pdf_author / pdf_subject

Output is deterministic: ``SOURCE_DATE_EPOCH``/``FORCE_SOURCE_DATE``,
``\\pdftrailerid{}``, ``\\pdfinfoomitdate=1``, ``\\pdfsuppressptexinfo=-1`` and
fixed metadata; the document is compiled until its ``.aux`` file (contents
page numbers) is stable.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from mgi_samples.markup import glue_after_punctuation
from mgi_samples.sources import Sample, load_sample, renderer_main
from pipeline.errors import RenderError

ENGINE = "pdflatex"
MAX_RUNS = 5

DEFAULTS: dict[str, Any] = {
    "paragraphs": "parskip",
    "parskip": 0.5,
    "justify": True,
    "columns": 1,
    "column_gap": 18,
    "font": "helvetica",
    "body_size": 10.0,
    "page_size": "A4",
    "margins": {"left": 62, "right": 62, "top": 80, "bottom": 70},
    "marker_style": "superscript",
    "note_number": "superscript",
    "blank_supplied_years": True,
    "header": "",
    "footer": "{page}",
    "footer_align": "right",
    "accent": "#0033A0",
    "labels": {"contents": "CONTENTS", "page": "PAGE"},
}

FONTS = {
    # family -> (preamble lines, use sans as the main family)
    "helvetica": (["\\usepackage[scaled=0.92]{helvet}"], True),
    "times": (["\\usepackage{mathptmx}", "\\usepackage[scaled=0.9]{helvet}"], False),
    "palatino": (["\\usepackage{mathpazo}", "\\usepackage[scaled=0.9]{helvet}"], False),
    "lmodern": (["\\usepackage{lmodern}"], False),
}


# The LaTeX engine is missing or a source could not be compiled: the renderers'
# error class (pipeline/errors.py), under this engine's name.
LatexError = RenderError


def available() -> bool:
    """Whether pdflatex is on the PATH."""
    return shutil.which(ENGINE) is not None


def design(sample: Sample) -> dict[str, Any]:
    d = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    for key, value in (sample.design or {}).items():
        if isinstance(value, dict) and isinstance(d.get(key), dict):
            d[key] = {**d[key], **value}
        else:
            d[key] = value
    return d


def is_latex(sample: Sample) -> bool:
    return str((sample.design or {}).get("engine", "")).lower() == "latex"


# --------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------

_SPECIALS = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    "$": "\\$",
    "&": "\\&",
    "#": "\\#",
    "%": "\\%",
    "_": "\\_",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
    "<": "\\textless{}",
    ">": "\\textgreater{}",
    "|": "\\textbar{}",
    '"': "\\textquotedbl{}",
    "`": "\\textasciigrave{}",
    "•": "\\textbullet{}",
    "×": "\\texttimes{}",
    "²": "\\texttwosuperior{}",
    "³": "\\textthreesuperior{}",
    "\u00a0": "~",
}


def escape(text: str) -> str:
    """Plain text -> LaTeX source that prints exactly that text (T1 fonts):
    specials escaped, and the T1 input ligatures (``--``, ``,,``, ``?```, ``!```)
    broken so TeX does not turn them into other characters."""
    out = "".join(_SPECIALS.get(ch, ch) for ch in str(text))
    out = out.replace("--", "-{}-").replace("--", "-{}-").replace(",,", ",{},").replace("''", "'{}'")
    return out


_MARKER = re.compile(r"\[\^(=?)(\d+)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def inline(text: str, note_of) -> str:
    """Source markup -> LaTeX: ``**bold**``, ``*italic*``, ``[^N]`` footnotes
    (``note_of(n, plain)`` returns the LaTeX of note n with its marker)."""
    parts: list[str] = []
    pos = 0
    for m in _MARKER.finditer(text):
        parts.append(_markup(text[pos : m.start()]))
        parts.append(note_of(int(m.group(2)), bool(m.group(1))))
        pos = m.end()
    parts.append(_markup(text[pos:]))
    return "".join(parts)


def _markup(text: str) -> str:
    # split on markup first so the asterisks are not escaped away
    out = escape(text)
    out = _BOLD.sub(lambda m: "\\textbf{" + m.group(1) + "}", out)
    out = _ITALIC.sub(lambda m: "\\textit{" + m.group(1) + "}", out)
    return out


def _pdf_string(text: str) -> str:
    """A PDF text string in UTF-16BE hex (any character, no escaping)."""
    return "<FEFF" + str(text).encode("utf-16-be").hex().upper() + ">"


def _colour(hexcode: str) -> str:
    return str(hexcode).lstrip("#").upper()


# --------------------------------------------------------------------------
# document
# --------------------------------------------------------------------------


class _Writer:
    def __init__(self, sample: Sample, d: dict[str, Any]):
        self.sample, self.d = sample, d
        self.notes = self._collect_notes()
        self.scope = "main"
        self.pending: list[str] = []  # \footnotetext after a heading

    def _collect_notes(self) -> dict[tuple[str, int], str]:
        notes: dict[tuple[str, int], str] = {}
        scope = "main"
        for block in self.sample.blocks:
            if "heading" in block:
                scope = block.get("footnote_scope", scope)
            elif "footnote" in block:
                notes[(scope, int(block["footnote"]))] = str(block.get("text", ""))
        return notes

    def note(self, number: int, glued: bool, *, deferred: bool = False) -> str:
        text = self.notes.get((self.scope, number))
        if text is None:
            raise LatexError(f"{self.sample.path}: marker [^{number}] has no note in scope {self.scope}")
        body = f"\\label{{fn:{self.scope}:{number}}}" + _markup(text)
        plain = glued
        mark = f"\\plainfnmark{{{number}}}" if plain else f"\\footnotemark[{number}]"
        if deferred:
            self.pending.append(f"\\footnotetext[{number}]{{{body}}}")
            return mark
        return f"{mark}\\footnotetext[{number}]{{{body}}}"

    def text(self, s: str) -> str:
        if self.d["marker_style"] == "plain":  # plain digits glued after punctuation, as the reportlab designs
            s = glue_after_punctuation(s)  # (superscript after a number's full stop: "2021.4" reads as a decimal)
        return inline(s, lambda n, g: self.note(n, g))

    # -- preamble ------------------------------------------------------------

    def preamble(self) -> str:
        d = self.d
        size = float(d["body_size"])
        lead = float(d.get("body_leading") or round(size * 1.25, 2))
        m = d["margins"]
        paper = {"A4": "a4paper", "LETTER": "letterpaper"}.get(str(d["page_size"]).upper())
        if paper is None:
            raise LatexError(f"unknown page_size {d['page_size']!r} (use A4 or Letter)")
        font = str(d["font"]).lower()
        if font not in FONTS:
            raise LatexError(f"unknown font {d['font']!r} (use {', '.join(FONTS)})")
        font_lines, sans_main = FONTS[font]
        meta = self.sample.metadata
        title = d.get("pdf_title") or meta.get("title", "")
        author = d.get("pdf_author", "International Organization for Migration (IOM)")
        subject = d.get("pdf_subject", "Migration Governance Indicators profile (rendered test sample)")
        header = escape(d.get("header") or "")
        footer = escape(str(d.get("footer") or "")).replace("\\{page\\}", "\\thepage")
        foot_cmd = "\\fancyfoot[C]" if d.get("footer_align") == "center" else "\\fancyfoot[R]"
        lines = [
            "\\pdfinfoomitdate=1",
            "\\pdftrailerid{}",
            "\\pdfsuppressptexinfo=-1",
            "\\pdfcompresslevel=9",
            "\\pdfobjcompresslevel=2",
            "\\documentclass{article}",
            "\\input{glyphtounicode}",
            "\\pdfgentounicode=1",
            "\\usepackage[utf8]{inputenc}",
            "\\usepackage[T1]{fontenc}",
            "\\usepackage{textcomp}",
            *font_lines,
            *(["\\renewcommand{\\familydefault}{\\sfdefault}"] if sans_main else []),
            f"\\usepackage[{paper},left={m['left']}pt,right={m['right']}pt,top={m['top']}pt,bottom={m['bottom']}pt,"
            "headsep=18pt,footskip=30pt]{geometry}",
            "\\usepackage{xcolor}",
            f"\\definecolor{{accent}}{{HTML}}{{{_colour(d['accent'])}}}",
            "\\usepackage{multicol}",
            "\\usepackage{fancyhdr}",
            "\\usepackage{ragged2e}",
            f"\\setlength{{\\columnsep}}{{{float(d['column_gap'])}pt}}",
            f"\\pdfinfo{{/Title {_pdf_string(title)} /Author {_pdf_string(author)} /Subject {_pdf_string(subject)}"
            f" /Creator (mgi-pipeline sample renderer) /Producer (mgi-pipeline sample renderer \\string(pdfTeX\\string))}}",
            "\\makeatletter",
            f"\\renewcommand\\normalsize{{\\@setfontsize\\normalsize{{{size}pt}}{{{lead}pt}}"
            "\\abovedisplayskip 10pt \\belowdisplayskip 10pt}",
            f"\\renewcommand\\footnotesize{{\\@setfontsize\\footnotesize{{{round(size * 0.8, 2)}pt}}{{{round(size * 0.98, 2)}pt}}}}",
            "\\newcommand\\plainfnmark[1]{{\\def\\@makefnmark{\\hbox{\\normalfont\\@thefnmark}}\\footnotemark[#1]}}",
        ]
        if d["note_number"] == "plain":
            lines.append("\\renewcommand\\@makefntext[1]{\\parindent 1em\\noindent\\hb@xt@1.8em{\\hss\\@thefnmark.\\ }#1}")
        lines += [
            "\\makeatother",
            "\\normalsize",
            "\\setlength{\\skip\\footins}{12pt plus 4pt}",
            "\\interfootnotelinepenalty=10000",
        ]
        if d["paragraphs"] == "parskip":
            lines += [
                "\\setlength{\\parindent}{0pt}",
                f"\\setlength{{\\parskip}}{{{round(float(d['parskip']) * lead, 2)}pt plus 1pt}}",
            ]
        else:
            lines += ["\\setlength{\\parindent}{1.5em}", "\\setlength{\\parskip}{0pt}"]
        lines += [
            "\\pagestyle{fancy}",
            "\\fancyhf{}",
            f"\\fancyhead[L]{{\\sffamily\\scriptsize\\color{{accent}}{header}}}",
            "\\fancyfoot[L]{\\parbox[b]{0.7\\textwidth}{\\raggedright\\sffamily\\scriptsize\\color{accent}\\leftmark}}",
            f"{foot_cmd}{{\\sffamily\\footnotesize {footer}}}",
            "\\renewcommand{\\headrulewidth}{0.4pt}",
            "\\renewcommand{\\headrule}{{\\color{accent}\\hrule height 0.4pt}}",
            "\\newcommand{\\partmark}[1]{\\markboth{#1}{#1}}",
            "\\fancypagestyle{plain}{\\fancyhf{}" + f"{foot_cmd}{{\\sffamily\\footnotesize {footer}}}"
            "\\renewcommand{\\headrulewidth}{0pt}}",
        ]
        if not d.get("justify", True):
            lines.append("\\AtBeginDocument{\\setlength{\\RaggedRightParindent}{\\parindent}\\RaggedRight}")
        return "\n".join(lines) + "\n"

    # -- front matter --------------------------------------------------------

    def cover(self) -> str:
        f = self.sample.front
        title = "\\\\[4pt]\n".join(escape(t) for t in f.get("cover_title", []))
        return (
            "\\thispagestyle{empty}\n\\vspace*{40pt}\n"
            "\\noindent\\colorbox{accent}{\\parbox{\\dimexpr\\textwidth-2\\fboxsep}{\\vspace{24pt}"
            f"\\raggedright\\sffamily\\bfseries\\fontsize{{26}}{{32}}\\selectfont\\color{{white}}{title}\\vspace{{24pt}}}}}}\n\n"
            f"\\vspace{{30pt}}\\noindent{{\\sffamily\\fontsize{{16}}{{20}}\\selectfont\\color{{accent}}{escape(f.get('cover_subtitle', ''))}\\par}}\n"
            f"\\vfill\\noindent{{\\sffamily\\bfseries\\small {escape(f.get('cover_publisher', 'IOM · UN MIGRATION'))}\\par}}\n"
            "\\clearpage\n"
        )

    def copyright(self) -> str:
        f = self.sample.front
        out = ["\\clearpage\\thispagestyle{empty}", "{\\scriptsize\\setlength{\\parskip}{5pt}\\setlength{\\parindent}{0pt}"]
        out += [escape(t) + "\n" for t in f.get("copyright", [])]
        pub = f.get("publisher", [])
        if pub:
            out.append("\\vspace{6pt}" + "\\\\\n".join(escape(x) for x in pub) + "\n")
        if f.get("research_by"):
            out.append(escape(f["research_by"]) + "\n")
        if f.get("citation"):
            out.append(_markup(f["citation"]) + "\n")
        for key in ("isbn_line", "copyright_line"):
            if f.get(key):
                out.append(escape(f[key]) + "\n")
        out += [escape(t) + "\n" for t in f.get("licence", [])]
        if f.get("licence_note"):
            out.append("\\vspace{10pt}" + escape(f["licence_note"]) + "\n")
        out.append("\\par}")
        return "\n".join(out) + "\n"

    def contents(self) -> str:
        label = escape(self.d["labels"]["contents"])
        out = [
            "\\clearpage",
            "\\thispagestyle{plain}",
            f"{{\\noindent\\sffamily\\bfseries\\fontsize{{22}}{{26}}\\selectfont\\color{{accent}}{label}\\par}}\\vspace{{18pt}}",
            "{\\setlength{\\parskip}{7pt}\\setlength{\\parindent}{0pt}",
        ]
        for i, b in enumerate(self.sample.blocks):
            if "heading" not in b or not b.get("toc"):
                continue
            title = escape(str(b["heading"]).replace("\n", " "))
            style = "\\small" if b.get("dimension") else "\\bfseries\\color{accent}"
            indent = "\\hspace*{14pt}" if b.get("dimension") else ""
            out.append(
                f"\\noindent{indent}\\parbox[b]{{0.8\\textwidth}}{{\\raggedright\\sffamily{style} {title}}}"
                f"\\dotfill{{\\sffamily{style} \\pageref{{h{i}}}}}\\par"
            )
        out.append("}")
        return "\n".join(out) + "\n"

    # -- body ----------------------------------------------------------------

    def heading(self, block: dict[str, Any], index: int) -> str:
        level = int(block.get("level", 1))
        raw = str(block["heading"])
        title = inline(raw.replace("\n", " "), lambda n, g: self.note(n, g, deferred=True))
        mark = escape(raw.replace("\n", " "))
        label = f"\\label{{h{index}}}"
        if level == 1:
            size = (15, 19) if block.get("dimension") else (22, 26)
            out = (
                f"\\partmark{{{mark}}}"
                f"{{\\noindent\\raggedright\\sffamily\\bfseries\\fontsize{{{size[0]}}}{{{size[1]}}}\\selectfont\\color{{accent}}"
                f"{title}{label}\\par}}\\vspace{{14pt}}\n"
            )
        elif level == 2:
            out = (
                "\\par\\addvspace{10pt}"
                f"{{\\noindent\\raggedright\\sffamily\\bfseries\\large\\color{{accent}}{title}{label}\\par}}"
                "\\nopagebreak\\vspace{4pt}\\nopagebreak\n"
            )
        elif level == 3:
            out = (
                "\\par\\addvspace{8pt}"
                f"{{\\noindent\\raggedright\\bfseries\\normalsize {title}{label}\\par}}\\nopagebreak\\vspace{{2pt}}\\nopagebreak\n"
            )
        else:
            num = escape(block.get("label", ""))
            num = f"{num}\\quad " if num else ""
            out = (
                "\\par\\addvspace{6pt}"
                f"{{\\noindent\\raggedright\\sffamily\\bfseries\\color{{accent}}{num}{title}{label}\\par}}\\nopagebreak\n"
            )
        if self.pending:
            out += "".join(self.pending) + "\n"
            self.pending = []
        return out

    def key_sources(self, groups: list[dict[str, Any]]) -> str:
        blank = bool(self.d.get("blank_supplied_years", True))
        out = []
        for group in groups:
            out.append(
                f"\\par\\addvspace{{9pt}}{{\\noindent\\raggedright\\bfseries\\small {escape(group['author'])}\\par}}\\nopagebreak\\vspace{{2pt}}"
            )
            entries = group.get("entries") or []
            if not entries:
                continue
            out.append(
                "\\begin{list}{}{\\small\\setlength{\\leftmargin}{3.6em}\\setlength{\\labelwidth}{3.2em}"
                "\\setlength{\\labelsep}{0.4em}\\setlength{\\itemsep}{1.5pt}\\setlength{\\parsep}{0pt}\\setlength{\\topsep}{0pt}"
                "\\RaggedRight}"
            )
            for e in entries:
                year = "" if (blank and e.get("year_supplied")) else escape(e.get("year", ""))
                out.append(f"\\item[{{{year}\\hfill}}] {entry_latex(e)}")
            out.append("\\end{list}")
        return "\n".join(out) + "\n"

    def body(self) -> str:
        out: list[str] = []
        blocks = self.sample.blocks
        in_cols = False
        in_list = False
        two = int(self.d.get("columns", 1)) >= 2
        for i, block in enumerate(blocks):
            is_item = "item" in block
            if in_list and not is_item:
                out.append("\\end{list}")
                in_list = False
            if "heading" in block:
                self.scope = block.get("footnote_scope", self.scope)
                level = int(block.get("level", 1))
                if level == 1:
                    if in_cols:
                        out.append("\\end{multicols}")
                        in_cols = False
                    if block.get("new_page", True):
                        out.append("\\clearpage")
                    out.append(self.heading(block, i))
                    if two and block.get("dimension"):
                        out.append("\\begin{multicols}{2}")
                        in_cols = True
                else:
                    out.append(self.heading(block, i))
            elif "p" in block:
                after_heading = i > 0 and "heading" in blocks[i - 1]
                out.append(("\\noindent " if after_heading else "") + self.text(str(block["p"])) + "\n")
            elif "quote" in block:
                out.append(
                    "\\begin{quote}\\itshape\\color{accent!70!black}" + self.text(str(block["quote"])) + "\\end{quote}\n"
                )
            elif is_item:
                if not in_list:
                    out.append(
                        "\\begin{list}{}{\\setlength{\\leftmargin}{20pt}\\setlength{\\labelwidth}{14pt}"
                        "\\setlength{\\labelsep}{6pt}\\setlength{\\itemsep}{2pt}\\setlength{\\topsep}{4pt}\\setlength{\\parsep}{0pt}}"
                    )
                    in_list = True
                label = block.get("label") or "\\textbullet"
                if label != "\\textbullet":
                    label = escape(label)
                out.append(f"\\item[{label}] " + self.text(str(block["item"])))
            elif "footnote" in block:
                continue  # set at its marker
            elif "dimension_summary" in block:
                page = escape(self.d["labels"]["page"])
                target = next((j for j, b in enumerate(blocks) if b.get("id") == block.get("target")), None)
                ref = f"\\pageref{{h{target}}}" if target is not None else ""
                out.append(
                    f"\\par\\addvspace{{6pt}}{{\\noindent\\sffamily\\bfseries\\color{{accent}}{escape(block['dimension_summary'])}"
                    f"\\quad{{\\mdseries\\footnotesize {page} {ref}}}\\par}}\\nopagebreak\n"
                    + self.text(str(block.get("text", "")))
                    + "\n"
                )
            elif "key_sources" in block:
                out.append(self.key_sources(block["key_sources"]))
            elif block.get("page_break"):
                out.append("\\clearpage")
            else:
                raise LatexError(f"{self.sample.path}: block {i} has no known type ({', '.join(block)})")
            out.append("")
        if in_list:
            out.append("\\end{list}")
        if in_cols:
            out.append("\\end{multicols}")
        return "\n".join(out)

    def document(self) -> str:
        return (
            self.preamble()
            + "\\begin{document}\n"
            + self.cover()
            + self.copyright()
            + self.contents()
            + self.body()
            + "\n\\end{document}\n"
        )


def entry_latex(e: dict[str, Any]) -> str:
    """A KEY SOURCES entry as the reportlab renderer prints it: italic title,
    (translation), a full stop, the rest and the note."""
    title = escape(str(e.get("title", "")).strip())
    plain = str(e.get("title", "")).strip()
    out = f"\\textit{{{title}}}"
    if e.get("translation"):
        out += f" ({escape(e['translation'])})"
        plain += f" ({e['translation']})"
    if not re.search(r"[.?!]$", plain):
        out += "."
    for key in ("rest", "note"):
        if e.get(key):
            out += " " + escape(e[key])
    return out + escape(e.get("mark", ""))


def to_tex(sample: Sample) -> str:
    """The LaTeX source of a sample."""
    return _Writer(sample, design(sample)).document()


def compile_tex(tex: str, *, label: str = "sample", aux_out: dict | None = None) -> tuple[bytes, int]:
    """Compile with pdflatex until the .aux is stable; returns (pdf, runs).
    With ``aux_out``, fills it with the pages TeX recorded for the labels
    (``h<block index>`` headings, ``fn:<scope>:<n>`` notes)."""
    if not available():
        raise LatexError(f"{ENGINE} not found: install the Debian packages texlive-latex-base texlive-latex-recommended texlive-fonts-recommended")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1672531200", FORCE_SOURCE_DATE="1", TZ="UTC", LC_ALL="C")
    with tempfile.TemporaryDirectory(prefix="mgi-latex-") as tmp:
        work = Path(tmp)
        (work / "sample.tex").write_text(tex, encoding="utf-8")
        prev = None
        for run in range(1, MAX_RUNS + 1):
            proc = subprocess.run(
                [ENGINE, "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "sample.tex"],
                cwd=work, env=env, capture_output=True, text=True, errors="replace", timeout=300,
            )
            if proc.returncode != 0:
                log = (work / "sample.log").read_text(errors="replace") if (work / "sample.log").is_file() else proc.stdout
                errors = [ln for ln in log.splitlines() if ln.startswith(("!", "sample.tex:"))][:6]
                raise LatexError(f"{label}: {ENGINE} failed: " + " | ".join(errors or log.splitlines()[-5:]))
            aux = (work / "sample.aux").read_bytes()
            if aux == prev:
                if aux_out is not None:
                    for m in re.finditer(r"\\newlabel\{([^}]*)\}\{\{[^}]*\}\{(\d+)\}", aux.decode("utf-8", "replace")):
                        aux_out[m.group(1)] = int(m.group(2))
                return (work / "sample.pdf").read_bytes(), run
            prev = aux
        raise LatexError(f"{label}: page references did not settle after {MAX_RUNS} runs")


def render(sample: Sample | Path, aux_out: dict | None = None) -> tuple[bytes, int]:
    """Typeset a sample with LaTeX: (pdf bytes, pdflatex runs); ``aux_out``
    receives the label pages (see :func:`compile_tex`)."""
    if not isinstance(sample, Sample):
        sample = load_sample(Path(sample))
    return compile_tex(to_tex(sample), label=str(sample.path), aux_out=aux_out)


def render_to(sample_path: Path, dest: Path) -> Path:
    """Render one design file into DEST/<output>; rewrites only when changed."""
    sample = load_sample(Path(sample_path))
    pdf, runs = render(sample)
    target = Path(dest) / sample.output
    if not target.is_file() or target.read_bytes() != pdf:
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(pdf)
        os.replace(tmp, target)
        state = "written"
    else:
        state = "unchanged"
    print(f"{target}: {len(pdf)} bytes, {runs} pdflatex runs ({state})")
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m mgi_samples.latex DESIGN.yaml... [--out samples] [--tex]``"""
    return renderer_main(argv, main.__doc__, "--tex", to_tex, render_to)


if __name__ == "__main__":
    raise SystemExit(main())
