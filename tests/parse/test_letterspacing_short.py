"""A tracked (letter-spaced) heading that wraps leaves a short word on a
line of its own ("FORMULATE POLICY USING EVIDENCE" / "A N D" / "WHOLE-OF-
GOVERNMENT APPROACH", long random profile d01054): too few letters to
measure a letter gap on, its letters are one word when their gaps are the
letter gap measured on the heading's other tracked runs."""

from __future__ import annotations

from pipeline.parse.layout import Word
from pipeline.parse.letterspacing import join_spaced_letters

FONT, SIZE, GAP = "Helvetica-Bold", 16.0, 3.0


def _spaced(text: str, x: float, top: float, font: str = FONT) -> list[Word]:
    out = []
    for word in text.split():
        for ch in word:
            out.append(Word(ch, x, top, x + 10.0, top + SIZE, font, SIZE))
            x += 10.0 + GAP
        x += 4 * GAP
    return out


def test_a_short_word_of_a_tracked_heading_is_regrouped() -> None:
    words = _spaced("USING EVIDENCE", 100.0, 100.0) + _spaced("AND", 100.0, 120.0)
    assert [w.text for w in join_spaced_letters(words)] == ["USING", "EVIDENCE", "AND"]


def test_short_runs_without_a_measured_letter_gap_stay_apart() -> None:
    words = _spaced("AND", 100.0, 120.0)
    assert [w.text for w in join_spaced_letters(words)] == ["A", "N", "D"]
    other = _spaced("USING EVIDENCE", 100.0, 100.0) + _spaced("AND", 100.0, 120.0, font="Helvetica")
    assert [w.text for w in join_spaced_letters(other)][-3:] == ["A", "N", "D"]  # another font: no measure
