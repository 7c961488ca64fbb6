"""A note marker printed as plain digits glued after punctuation, set as a
text run of its own ("it." then "13", no space: a CSS footnote call is a box
of its own in WeasyPrint's text layer), is a glued marker like "it.13" set
in one run (issue 18, random HTML designs with ``marker=plain``)."""

from __future__ import annotations

import re

from pipeline.config import load_config
from pipeline.parse.layout import PLine, Word
from pipeline.parse.markers import MarkerRules, build_text

RULES = MarkerRules(sup_size_ratio=0.85, rise_ratio=0.25, space_gap=0.1,
                    exponent_bases=tuple(load_config().section("parse")["exponent_bases"]))


def _line(runs: list[str], glued: frozenset[int]) -> PLine:
    """Words of ``runs``; a run starting with "+" is set right after the one before it, no gap."""
    words, x, size = [], 50.0, 10.0
    for run in runs:
        text = run.lstrip("+")
        if not run.startswith("+") and words:
            x += 0.3 * size
        w = len(text) * 0.5 * size
        words.append(Word(text, x, 100.0, x + w, 100.0 + size, "Serif", size))
        x += w
    ln = PLine(page=1, words=words)
    ln.measure(re.compile("Bold"), re.compile("Italic"))
    build_text(ln, RULES, glued)
    return ln


def test_digits_in_a_run_of_their_own_after_punctuation_are_a_glued_marker() -> None:
    ln = _line(["support", "from", "it.", "+13"], frozenset({13}))
    assert ln.text == "support from it." and [m[:2] for m in ln.markers] == [(13, len("support from it."))]
    ln = _line(["the", "Programme,", "+14", "the", "Fund"], frozenset({14}))
    assert ln.text == "the Programme, the Fund" and [m[0] for m in ln.markers] == [14]


def test_a_separate_run_of_digits_stays_text_when_not_a_note_of_the_page_or_part_of_a_number() -> None:
    assert _line(["support", "from", "it.", "+13"], frozenset({12})).text == "support from it.13"
    ln = _line(["carried", "out", "in", "2021.", "+4"], frozenset({4}))
    assert ln.text == "carried out in 2021.4" and ln.markers == []
    assert _line(["rose", "to", "12.", "+7"], frozenset({7})).markers == []
