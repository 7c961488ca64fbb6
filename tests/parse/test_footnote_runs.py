"""The run of small lines at a page's foot (``mark_footnotes``) when no rule
is drawn over the notes (Typst ``note_rule=0``, issue 18): a note continued
from the previous page opens the run unnumbered. Left as body text, it and
the numbered note below it were glued to the page's last paragraph (t00029:
note 3 not found, its "2015" counted lost)."""

from __future__ import annotations

import re

from parselayout import ROLE_RULES, measured_line

from pipeline.parse.layout import PLine
from pipeline.parse.noteroles import mark_footnotes

RULES = ROLE_RULES


def _line(text: str, top: float, size: float, page: int = 6) -> PLine:
    ln = measured_line(text, top, 42.0, size, page)
    ln.role = "body"
    return ln


def _page(foot: list[tuple[str, float]]) -> list[PLine]:
    lines = [_line(f"body text line {k} of the page runs on here", 400.0 + 14.5 * k, 10.0) for k in range(14)]
    top = 608.9
    for text, size in foot:
        lines.append(_line(text, top, size))
        top += 10.0
    return lines


CONTINUED = [("with the term migration management, although the latter", 8.0),
             ("narrow act of regulating cross-border movement.", 8.0),
             ("3 The Migration Governance Indicators were developed in 2015 by IOM", 8.0),
             ("Economist Impact.", 8.0)]


def test_a_continued_note_above_a_numbered_note_without_a_rule_is_a_note() -> None:
    lines = _page(CONTINUED)
    mark_footnotes(lines, 10.0, RULES, rule_ys=[], continued=True, last_note=2)
    assert [ln.text for ln in lines if ln.role == "footnote"] == [t for t, _ in CONTINUED]
    assert all(ln.role == "body" for ln in lines if ln.text.startswith("body text"))


def test_without_notes_on_the_page_before_small_lines_stay_body() -> None:
    """No note ran on from the previous page: the unnumbered small lines at the
    top of the run are not notes, so the run is left as it was."""
    lines = _page(CONTINUED)
    mark_footnotes(lines, 10.0, RULES, rule_ys=[], continued=False, last_note=2)
    assert [ln.text for ln in lines if ln.role == "footnote"] == []


def test_small_lines_of_another_size_above_a_note_are_not_its_continuation() -> None:
    lines = _page([("Source: a table's source line set smaller", 7.0)] + CONTINUED[2:])
    mark_footnotes(lines, 10.0, RULES, rule_ys=[], continued=True, last_note=2)
    assert [ln.text for ln in lines if ln.role == "footnote"] == []


def test_lines_opening_with_a_number_out_of_the_note_sequence_are_not_notes() -> None:
    """KEY SOURCES set small after a page with notes: an entry line opening
    with its year ("2018 Estado de situación") is not the next note."""
    entries = [("Association of Municipalities of Chile", 8.0), ("2018 Estado de situación: qué han hecho", 8.0),
               ("los municipios en materia de inmigración", 8.0), ("2021 Situación laboral y acceso", 8.0)]
    lines = _page(entries)
    mark_footnotes(lines, 10.0, RULES, rule_ys=[], continued=True, last_note=4)
    assert [ln.text for ln in lines if ln.role == "footnote"] == []
    lines = _page(CONTINUED)
    mark_footnotes(lines, 10.0, RULES, rule_ys=[], continued=True, last_note=7)
    assert [ln.text for ln in lines if ln.role == "footnote"] == []


def test_a_note_runs_on_from_the_previous_column_of_notes() -> None:
    """Typst sets a page's notes in the body's columns: note 27 opens at the
    foot of column 1 and runs on at the top of column 2's notes, above note
    28 (t00017: "this article on the website of United Nations Chile." read
    into the body of column 2)."""
    def col(k: int, texts: list[tuple[str, float]], top: float) -> list[PLine]:
        out = []
        for j in range(10):
            out.append(_line(f"body line {j} of column {k} here", 400.0 + 13.0 * j, 10.0))
        for text, size in texts:
            out.append(_line(text, top, size))
            top += 10.0
        for ln in out:
            ln.column = k
            for w in ln.words:
                w.x0, w.x1 = w.x0 + 150.0 * k, w.x1 + 150.0 * k
            ln.measure(re.compile("Bold"), re.compile("Italic"))
        return out

    first = col(0, [("27 The project participants were", 8.0), ("IOM and UNHCR. More information is", 8.0)], 584.0)
    second = col(1, [("this article on the website of", 8.0), ("United Nations Chile.", 8.0),
                     ("28 The FRÈ Foundation is a", 8.0), ("Christian organization.", 8.0)], 572.0)
    lines = first + second
    mark_footnotes(lines, 10.0, RULES, rule_ys=[], continued=False, last_note=None)
    assert [ln.text for ln in second if ln.role == "footnote"] == [
        "this article on the website of", "United Nations Chile.", "28 The FRÈ Foundation is a", "Christian organization."]
    assert [ln.text for ln in first if ln.role == "footnote"] == [
        "27 The project participants were", "IOM and UNHCR. More information is"]


def test_table_cells_under_a_rule_beside_a_column_of_notes_are_not_notes() -> None:
    """A table page (a real evaluation matrix): note 33 at the foot of one column,
    the cells of another column set at 9 pt between table rules, one opening
    "1.1. Level ...". Neither the rule nor a section number carries a note on."""
    notes = [_line("33 See the bibliography for full references.", 700.0, 7.0)]
    for ln in notes:
        ln.column = 0
    cells = [_line(t, 608.9 + 11.0 * k, 9.0) for k, t in enumerate(
        ["Data source Method for data", "1.1. Level of alignment of IOM", "34 member states and United", "IASC Global policies"])]
    for ln in cells:
        ln.column = 1
    lines = _page([]) + notes + cells
    mark_footnotes(lines, 10.0, RULES, rule_ys=[606.0], continued=False, last_note=None)
    assert [ln.text for ln in lines if ln.role == "footnote"] == [notes[0].text]
