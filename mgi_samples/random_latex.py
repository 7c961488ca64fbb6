"""Random designs typeset by LaTeX (issue 18: "put the other engines'
layouts into the random generator where the engine allows").

The reportlab generator (:mod:`mgi_samples.random_design`) varies every design
key of our own renderer; this one varies what the LaTeX engine
(:mod:`mgi_samples.latex`) allows: paragraphs set apart by space (0.3 to 1.0
line) or by indent, justified or ragged, dimension parts in one or two
columns (multicol), four font families, body size and leading, A4 or Letter,
margins, note markers superscript or plain digits glued after punctuation,
note numbers raised or "7." on the baseline, blank or printed years in
KEY SOURCES, running header and folio position. TeX's text layer differs from
reportlab's (inter-word space as positioning gaps, kerning that splits words,
glyph-name ToUnicode maps, TeX's own footnote rule and hyphenation), so the
same content and checks exercise the pipeline on another engine.

Each design is rendered, run through the pipeline in one batch and checked
against its source (:func:`mgi_samples.random_design.evaluate`, the same
thresholds)::

    python -m mgi_samples.random_latex --designs 40 --seed 1 --out /tmp/rl
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from mgi_samples import random_design as rd

# gene -> the values it may take; the first is the LaTeX engine's default
GENES: dict[str, list[Any]] = {
    "paragraphs": ["parskip", "indent"],
    "parskip": [0.5, 0.3, 0.7, 1.0],  # lines between paragraphs (parskip)
    "justify": [True, False],
    "columns": [1, 2],  # 2: the six dimension parts in two columns
    "font": ["helvetica", "times", "palatino"],  # lmodern: not in texlive-fonts-recommended
    "size": [10.0, 9.0, 9.5, 10.5, 11.0],
    "leading": [1.25, 1.2, 1.35],
    "page": ["A4", "Letter"],
    "margins": ["normal", "narrow", "wide"],
    "marker": ["superscript", "plain"],
    "note_number": ["superscript", "plain"],
    "blank_years": [True, False],
    "header": ["", "MIGRATION GOVERNANCE INDICATORS LOCAL PROFILE 2022 | SANTIAGO DE CHILE"],
    "footer_align": ["right", "center"],
    "accent": ["#0033A0", "#00708A", "#8A1538", "#2E6B30"],
}


def design_for(seed: int) -> dict[str, Any]:
    """The genes of LaTeX design SEED, deterministic."""
    rng = random.Random(f"mgi-latex-design-{seed}")
    return {k: rng.choice(v) for k, v in GENES.items()}


def changed(genes: dict[str, Any]) -> dict[str, Any]:
    """The genes that differ from the engine's defaults, as they take effect."""
    out = {k: v for k, v in genes.items() if v != GENES[k][0]}
    if genes["paragraphs"] != "parskip":
        out.pop("parskip", None)
    return out


def fmt(genes: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in changed(genes).items()) or "(defaults)"


def design_keys(genes: dict[str, Any]) -> dict[str, Any]:
    """The LaTeX renderer's design keys (:mod:`mgi_samples.latex`) of a gene set."""
    size = float(genes["size"])
    return {
        "engine": "latex",
        "paragraphs": genes["paragraphs"],
        "parskip": float(genes["parskip"]),
        "justify": bool(genes["justify"]),
        "columns": int(genes["columns"]),
        "font": genes["font"],
        "body_size": size,
        "body_leading": round(size * float(genes["leading"]), 2),
        "page_size": genes["page"],
        "margins": dict(rd.MARGINS[genes["margins"]]),
        "marker_style": genes["marker"],
        "note_number": genes["note_number"],
        "blank_supplied_years": bool(genes["blank_years"]),
        "header": genes["header"],
        "footer": "{page}" if genes["footer_align"] == "right" else "Page {page}",
        "footer_align": genes["footer_align"],
        "accent": genes["accent"],
        "labels": {"contents": "CONTENTS", "page": "PAGE"},
    }


def write_design(folder: Path, name: str, genes: dict[str, Any]) -> Path:
    """The design file of a LaTeX gene set (a regression sample when it fails)."""
    return rd.write_design_file(folder, name, genes, design_keys(genes), changed(genes), "random LaTeX design")


def evaluate(designs: dict[str, dict[str, Any]], out: Path, workers: int = 2) -> list[rd.Outcome]:
    """Render, run and check LaTeX designs (NAME -> genes)."""
    return rd.evaluate(designs, out, workers, write=write_design)


def main(argv: list[str] | None = None) -> int:
    return rd.engine_main(argv, "mgi_samples.random_latex", __doc__, "l", "LaTeX", design_for, evaluate, fmt)


if __name__ == "__main__":
    raise SystemExit(main())
