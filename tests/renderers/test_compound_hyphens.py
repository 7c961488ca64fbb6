"""A paragraph broken after a compound's own hyphen ("nutrient-|enriched") keeps
that hyphen when ReportLab wraps it again, and the first part of a page split
fits the room it was split for (random design d00020: "Splitting error")."""

from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

import reportlab.platypus.paragraph as rl_paragraph  # noqa: E402
from reportlab.lib.enums import TA_JUSTIFY  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus.paragraph import Paragraph  # noqa: E402

from mgi_samples.style import compound_hyphens_kept  # noqa: E402

TEXT = ("Food Programme for the Elderly, which consists of home delivery of nutrient-enriched food, "
        "at-home testing for COVID-19, free PCR tests and emotional support<super>4</super> for elderly "
        "adults and other people requiring such services, tax-exempt properties and state-run centres.")
COMPOUNDS = ("nutrient-enriched", "at-home", "tax-exempt", "state-run")
LEADING = 12


def style(lang: str | None) -> ParagraphStyle:
    return ParagraphStyle("body", fontName="Times-Roman", fontSize=10, leading=LEADING, alignment=TA_JUSTIFY,
                          hyphenationLang=lang, embeddedHyphenation=1)


def lines(p: Paragraph) -> list[str]:
    return [" ".join("".join(f.text for f in line.words if hasattr(f, "text")).split()) for line in p.blPara.lines]


def fused(text_lines: list[str]) -> list[str]:
    """Compounds printed without their hyphen ("nutrientenriched")."""
    words = {w.strip(",.") for line in text_lines for w in line.split()}
    return [c for c in COMPOUNDS if c.replace("-", "") in words]


def broken_at_a_compound(text_lines: list[str]) -> bool:
    return any(line.split()[-1] == c.split("-")[0] + "-" for line in text_lines for c in COMPOUNDS)


@pytest.mark.parametrize("lang", [None, "en_US"])
def test_rewrapped_and_split_paragraphs_keep_compound_hyphens(lang):
    seen_breaks = seen_splits = 0
    with compound_hyphens_kept():
        for width in range(150, 330, 3):
            p = Paragraph(TEXT, style(lang))
            p.wrap(width, 10_000)
            first = lines(p)
            if not broken_at_a_compound(first):
                continue
            seen_breaks += 1
            assert not fused(first)
            p.wrap(width, 10_000)  # a second wrap joins the split words again and re-breaks them
            assert lines(p) == first, width
            for k in range(1, len(first)):
                room = LEADING * k + 1
                fresh = Paragraph(TEXT, style(lang))
                fresh.wrap(width, 10_000)
                parts = fresh.split(width, room)
                if len(parts) != 2:
                    continue
                seen_splits += 1
                _, height = parts[0].wrap(width, room)
                assert height <= room, (width, k, lines(parts[0]))
                parts[1].wrap(width, 10_000)
                assert lines(parts[0]) + lines(parts[1]) == first, (width, k)
    assert seen_breaks >= 5 and seen_splits >= 20  # the widths do break after compound hyphens


def test_reportlab_is_left_as_it_was():
    before = rl_paragraph._rejoinSplitFragWords
    with compound_hyphens_kept():
        assert rl_paragraph._rejoinSplitFragWords is not before
    assert rl_paragraph._rejoinSplitFragWords is before
