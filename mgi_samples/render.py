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

Here: the re-flow loop and ``mgi samples render``. The base renderer:
``sources`` (design and content files), ``design`` (defaults, page size,
paragraph styles), ``story`` (blocks -> flowables), ``template`` (page
templates, frames shrinking by the notes' room), ``fonts``, ``markup``,
``shared``; the design variants: ``columns``, ``edition``, ``figure``,
``furniture``, ``notes``, ``sidebar``, ``spacing``, ``style``.
"""

from __future__ import annotations

import io
import os
from contextlib import nullcontext
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from mgi_samples.design import design_of, paragraph_styles
from mgi_samples.fonts import register_fonts
from mgi_samples.sources import Sample, design_files, engine_of, load_sample
from mgi_samples.story import Story
from mgi_samples.style import compound_hyphens_kept, no_break_spaces
from mgi_samples.template import Layout, make_doc
from pipeline.errors import MGIError, RenderError

MAX_PASSES = 14
EXTRA = ("reportlab", "pyphen")  # the 'samples' extra; pyphen: reportlab's hyphenation


def require_extra() -> None:
    """Import the extra's libraries now (``ModuleNotFoundError`` naming the
    missing one), so that the command line can say which extra to install
    before any work: reportlab is otherwise imported only while rendering, and
    without pyphen reportlab would silently not hyphenate."""
    for name in EXTRA:
        import_module(name)


@dataclass
class RenderResult:
    pdf: bytes
    layout: Layout
    passes: int


def one_pass(sample: Sample, d: dict[str, Any], reserve: dict[int, float], page_of: dict[str, int]) -> tuple[bytes, Layout]:
    from reportlab.platypus.doctemplate import LayoutError

    register_fonts()
    styles = paragraph_styles(d)
    story_builder = Story(sample, d, styles, page_of)
    buf = io.BytesIO()
    try:
        # paragraphs split their words when made and when wrapped; ``rewrap_keeps_hyphens`` (style.py)
        kept = compound_hyphens_kept() if d.get("rewrap_keeps_hyphens") else nullcontext()
        with no_break_spaces(), kept:
            story = story_builder.build()
            doc, layout = make_doc(buf, sample, d, styles, story_builder.notes, reserve)
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
    register_fonts()
    d = design_of(sample)
    if "{pages}" in str((d.get("furniture") or {}).get("footer", "")):
        d["_pages"] = 0
    reserve: dict[int, float] = {}
    page_of: dict[str, int] = {}
    per_page = str(d.get("note_numbering", "document")) == "page"
    if per_page:  # notes numbered per page: re-flow until the numbers printed are the ranks on each page
        d["_note_numbers"] = {}
    for n in range(1, MAX_PASSES + 1):
        pdf, layout = one_pass(sample, d, reserve, page_of)
        fits = all(need <= reserve.get(page, 0.0) + 0.01 for page, need in layout.needed.items())
        if per_page:
            fits, d["_note_numbers"] = fits and d["_note_numbers"] == layout.note_numbers(), layout.note_numbers()
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
            engine = engine_of(path)
            if engine == "latex":
                from mgi_samples import latex

                pdf, runs = latex.render(sample)
                detail = f"LaTeX, {runs} pdflatex runs"
            elif engine == "writer":
                from mgi_samples import writer

                pdf = writer.render_writer(sample).pdf
                detail = "LibreOffice Writer"
            elif engine == "html":
                from mgi_samples import html_engine

                pdf = html_engine.render(sample)
                detail = "HTML/CSS, WeasyPrint"
            elif engine == "typst":
                from mgi_samples import typst_engine

                pdf = typst_engine.render(sample)
                detail = "Typst"
            elif engine == "reportlab":
                result = render_sample(sample)
                pdf = result.pdf
                detail = f"{result.layout.n_pages} pages, {len(result.layout.marker_pages)} footnotes, {result.passes} passes"
            else:
                print(f"error: {path}: unknown engine {engine!r} (reportlab, latex, writer, html or typst)")
                return 2
            target = Path(dest) / sample.output
            old = target.read_bytes() if target.is_file() else None
            state = "unchanged" if old == pdf else "written"
            if old != pdf:
                tmp = target.with_name(target.name + ".tmp")
                tmp.write_bytes(pdf)
                os.replace(tmp, target)
            print(f"{target}: {detail} ({state})")
    except MGIError as exc:
        print(f"error: {exc}")
        return 2
    except OSError as exc:
        print(f"error: cannot write samples: {exc.strerror or exc}")
        return 2
    return 0
