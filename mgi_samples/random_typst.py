"""Random designs typeset by Typst (issue 18: "put the other engines' layouts
into the random generator where the engine allows").

Varies what the Typst engine (:mod:`mgi_samples.typst_engine`) allows:
paragraphs set apart by space (0.3 to 1.0 line), by indent or both,
justified or ragged, hyphenation on or off, dimension parts in one to three
page columns, five font families (DejaVu Sans, Serif, Condensed, Libertinus,
New Computer Modern), body size and leading, four page sizes, margins, note
markers as the font's superscript glyphs, smaller raised digits or plain
digits glued after punctuation, the note number at the foot raised, plain or
"7.", the footnote rule, blank or printed years in a year column or inline,
part heading styles, running header side and folio position. Typst's text
layer differs from the other engines' (soft hyphens in the ToUnicode map of
hyphen glyphs, positioned glyphs, tagged PDF, its own footnote layout).

Each design is rendered, run through the pipeline in one batch and checked
against its source (:func:`mgi_samples.random_design.evaluate`, the same
thresholds)::

    python -m mgi_samples.random_typst --designs 40 --seed 1 --out /tmp/rt
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from mgi_samples import random_design as rd

HEADER = "MGI LOCAL PROFILE 2022 | SANTIAGO DE CHILE"  # one line beside the part's running title

# gene -> the values it may take; the first is the Typst engine's default
GENES: dict[str, list[Any]] = {
    "paragraphs": ["parskip", "indent", "both"],
    "parskip": [0.5, 0.3, 0.7, 1.0],  # lines between paragraphs (parskip / both)
    "indent": [1.5, 1.0, 2.0],  # first-line indent, em (indent / both)
    "justify": [True, False],
    "hyphenate": [True, False],
    "columns": [1, 2, 3],  # the six dimension parts in N page columns
    "font": ["dejavu-sans", "dejavu-serif", "dejavu-condensed", "libertinus", "computer-modern"],
    "size": [10.0, 9.0, 9.5, 10.5, 11.0],
    "leading": [1.25, 1.2, 1.35, 1.45],
    "page": ["A4", "Letter", "B5", "Legal"],
    "margins": ["normal", "narrow", "wide"],
    "marker": ["superscript", "raised", "plain"],
    "note_number": ["superscript", "plain", "period"],
    "note_rule": [30, 0, 100],
    "blank_years": [True, False],
    "sources": ["grid", "inline"],
    "heading_style": ["plain", "band", "spaced", "caps"],
    "header": [HEADER, ""],
    "header_align": ["left", "right"],
    "folio": ["bottom-right", "bottom-center", "bottom-outer", "top-right", "top-outer"],
    "accent": ["#0033A0", "#00708A", "#8A1538", "#2E6B30"],
}

# the fixed seeds of the CI profile (tests/renderers/test_random_typst.py): eight seeds
# that together give every gene every value it may take (the ten seeds 1-13 left
# size=11.0 and folio=bottom-center untried), among them designs of the classes found
# on seeds 1-40 and fixed (issue 18): notes of a page in the body's columns running on
# from column to column (2, 17), a running head below the band read into a paragraph
# split at the page ("20.507 (2011)" lost, 20), the last note lines at one height taken
# for a running slot (21), a note continued with no rule over the notes (29)
CI_SEEDS = (2, 4, 14, 17, 20, 21, 29, 39)


def design_for(seed: int) -> dict[str, Any]:
    """The genes of Typst design SEED, deterministic."""
    rng = random.Random(f"mgi-typst-design-{seed}")
    return {k: rng.choice(v) for k, v in GENES.items()}


def changed(genes: dict[str, Any]) -> dict[str, Any]:
    """The genes that differ from the engine's defaults, as they take effect."""
    out = {k: v for k, v in genes.items() if v != GENES[k][0]}
    if genes["paragraphs"] == "indent":
        out.pop("parskip", None)
    if genes["paragraphs"] == "parskip":
        out.pop("indent", None)
    return out


def fmt(genes: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in changed(genes).items()) or "(defaults)"


def design_keys(genes: dict[str, Any]) -> dict[str, Any]:
    """The Typst renderer's design keys (:mod:`mgi_samples.typst_engine`) of a gene set."""
    size = float(genes["size"])
    return {
        "engine": "typst",
        "paragraphs": genes["paragraphs"],
        "parskip": float(genes["parskip"]),
        "indent": float(genes["indent"]),
        "justify": bool(genes["justify"]),
        "hyphenate": bool(genes["hyphenate"]),
        "columns": int(genes["columns"]),
        "font": genes["font"],
        "body_size": size,
        "body_leading": round(size * float(genes["leading"]), 2),
        "page_size": genes["page"],
        "margins": dict(rd.MARGINS[genes["margins"]]),
        "marker_style": genes["marker"],
        "note_number": genes["note_number"],
        "note_rule": int(genes["note_rule"]),
        "blank_supplied_years": bool(genes["blank_years"]),
        "sources": genes["sources"],
        "heading_style": genes["heading_style"],
        "header": genes["header"],
        "header_align": genes["header_align"],
        "header_part": True,
        "folio": genes["folio"],
        "footer": "{page}" if genes["folio"] != "bottom-center" else "Page {page}",
        "accent": genes["accent"],
        "labels": {"contents": "CONTENTS", "page": "PAGE"},
    }


def write_design(folder: Path, name: str, genes: dict[str, Any]) -> Path:
    """The design file of a Typst gene set (a regression sample when it fails)."""
    return rd.write_design_file(folder, name, genes, design_keys(genes), changed(genes), "random Typst design")


def evaluate(designs: dict[str, dict[str, Any]], out: Path, workers: int = 2) -> list[rd.Outcome]:
    """Render, run and check Typst designs (NAME -> genes). The render pool
    is spawned, not forked: a process that has compiled with Typst holds its
    thread pool, and a forked child compiling again waits for it forever."""
    import multiprocessing

    return rd.evaluate(designs, out, workers, write=write_design, mp_context=multiprocessing.get_context("spawn"))


def main(argv: list[str] | None = None) -> int:
    return rd.engine_main(argv, "mgi_samples.random_typst", __doc__, "t", "Typst", design_for, evaluate, fmt)


if __name__ == "__main__":
    raise SystemExit(main())
