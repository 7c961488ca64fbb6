"""A body set in two or three columns (issue 18, the ``columns=body`` designs):
rows on a shared baseline across columns, the gutter before a short third
column, note columns of short notes."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from pipeline.parse.columns import column_regions, find_gutters
from pipeline.parse.layout import PLine, Word, group_rows
from pipeline.parse.noteroles import split_note_columns
from pipeline.parse.markers import MarkerRules, build_text

from parselayout import line_words as _words

GUTTER = dict(fill_gap=0.8, min_width=6, min_rows_fraction=0.2, min_lines=4, min_column_fraction=0.2)
BOLD, ITALIC = re.compile("Bold"), re.compile("Italic")
RULES = MarkerRules(sup_size_ratio=0.85, rise_ratio=0.25, space_gap=0.1)


LOREM = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore".split()


def _text(i: int, width: float, size: float) -> str:
    """Words of line ``i`` filling about ``width`` pt (varied, no rivers)."""
    rng = random.Random(i)
    out, used = [], 0.0
    while True:
        t = rng.choice(LOREM)
        if used + (len(t) + 1) * 0.5 * size > width:
            return " ".join(out)
        out.append(t)
        used += (len(t) + 1) * 0.5 * size


def test_enumerator_set_larger_stays_on_its_line_beside_another_column() -> None:
    """The right column's line sits 2.85 pt higher; "(i)" (10 pt) and its item
    (9.5 pt) share a baseline: one row, not two."""
    levels = Word("levels.", 315, 408.82, 345, 418.32, "Serif", 9.5)
    item = [Word(t, x, 411.67, x + 30, 421.17, "Serif", 9.5) for t, x in (("Adheres", 63), ("to", 106))]
    label = Word("(i)", 46, 411.29, 57, 421.29, "Serif", 10.0)
    rows = group_rows([levels, *item, label], 0.85)
    assert any({"(i)", "Adheres"} <= {w.text for w in row} for row in rows)


def test_gutter_before_a_short_third_column() -> None:
    """Three columns, the third holding a few lines only: both gutters."""
    words: list[Word] = []
    for i in range(40):
        top = 180 + 11 * i
        words += _words(_text(i, 151, 9.0), 62, top, x1=213)
        words += _words(_text(i + 3, 150, 9.0), 231, top, x1=381)
        if i < 12:
            words += _words(_text(i + 7, 151, 9.0), 399, top, x1=550)
    gutters = find_gutters(group_rows(words, 0.85), 612, 1008, span=(62, 550), **GUTTER)
    assert len(gutters) == 2
    assert 213 <= gutters[0][0] and gutters[0][1] <= 232
    assert 381 <= gutters[1][0] and gutters[1][1] <= 400


def _note(words: list[Word]) -> PLine:
    ln = PLine(page=1, words=words, role="footnote")
    ln.measure(BOLD, ITALIC)
    build_text(ln, RULES)
    return ln


def test_short_right_note_column_is_cut_at_its_labels() -> None:
    """Two note columns under a body that fills its left column only: the
    right holds "3. Ibid." and "4. See footnote 1.", too short to show a
    quarter of the text width; read 1, 2 in the left column, then 3, 4."""
    size = 6.5
    lines = [
        _note(_words("1. Municipality of Santiago de Chile, Acciones municipales ante la pan-", 62, 904, size, x1=297)
              + _words("3. Ibid.", 315, 904, size)),
        _note(_words("demia COVID-19.", 74, 913, size) + _words("4. See footnote 1.", 315, 915, size)),
        _note(_words("2. For further information, see the relevant web pages of the Ministry", 62, 923, size, x1=293)),
    ]
    out = split_note_columns(lines, RULES, BOLD, ITALIC)
    texts = [ln.text for ln in out]
    assert texts.index("3. Ibid.") > texts.index("2. For further information, see the relevant web pages of the Ministry")
    assert texts.index("4. See footnote 1.") == len(texts) - 1
    assert "demia COVID-19." in texts



def _page_regions(name: str) -> tuple[list[Word], list]:
    """The regions of a page of a random design (``columns=body column_count=3``),
    from its words as the parser grouped them (tests/parse/data)."""
    data = json.loads((Path(__file__).parent / "data" / name).read_text())
    words = [Word(t, x0, top, x1, bottom, "DejaVuSans", size) for t, x0, top, x1, bottom, size in data["words"]]
    seps = [tuple(s) for s in data["separators"]]  # rules: the running header's
    return words, column_regions(group_rows(words, 0.85), *data["page"], seps, **GUTTER)


def _body(regions: list) -> object:
    return max(regions, key=lambda r: len(r.rows))


def test_gutter_ends_where_year_labels_start() -> None:
    """Three narrow columns of KEY SOURCES entries, a year label ("2005a") in
    front of some lines and the titles further in: each gutter ends at the
    labels of the column to its right, so a row with a label there does not
    run through the gutter (and the entries of two columns are not glued
    into one line)."""
    words, regions = _page_regions("three-col-key-sources-page.json")
    body = _body(regions)
    assert len(body.rows) >= 80
    label_x = sorted({round(w.x0) for w in words if re.fullmatch(r"(19|20)\d\d[a-z]?", w.text)})
    assert len(body.gutters) == 2
    assert body.gutters[0][1] <= 225.5 and body.gutters[1][1] <= 388.5
    assert {225, 388} <= set(label_x)


def test_short_middle_column_both_gutters() -> None:
    """Three columns, the middle one holding a few lines only (a sub-heading at
    the top of the third): the empty strip from the first column's end to the
    third's start holds both gutters; both are found (strips taken left to right)."""
    _words_, regions = _page_regions("three-col-short-middle-page.json")
    body = _body(regions)
    assert len(body.gutters) == 2
    assert 207 <= body.gutters[0][0] and body.gutters[0][1] <= 225.5
    assert 370 <= body.gutters[1][0] and body.gutters[1][1] <= 388.5


def test_river_in_a_short_column_is_no_gutter() -> None:
    """Two of three columns used, the second short and justified, a wide word
    space at one x in two of its lines (a running header and the page number
    spread the text over the page): one region, its gutter the one between
    the columns, not the river."""
    _words_, regions = _page_regions("three-col-river-page.json")
    body = _body(regions)
    assert len(body.rows) >= 50
    assert len(body.gutters) == 1 and 207 <= body.gutters[0][0] and body.gutters[0][1] <= 225.5


def test_two_of_three_columns_parted_in_few_rows() -> None:
    """The last KEY SOURCES page of a three-column design: two columns used,
    their lines at other heights, so only one row holds text on both sides
    ("... empleo" / "Puentes UC"): that row is too little evidence of a
    river; the gutter between the columns stays."""
    words, regions = _page_regions("three-col-sources-end-page.json")
    body = _body(regions)
    assert len(body.rows) >= 50
    assert len(body.gutters) == 1 and 213 <= body.gutters[0][1] <= 231.5


def test_row_cut_off_at_a_page_gutter_goes_back_into_its_columns() -> None:
    """A KEY SOURCES page in three columns whose first row holds an author
    line of each of the first two columns and an entry of the third: the
    page's gutters (one of them the space after the middle column's year
    labels) cut that row off as full-width; the gutters of the columns below
    part it, so it goes back into their region instead of being read as one
    line."""
    words, regions = _page_regions("three-col-sources-authors-page.json")
    body = _body(regions)
    first = min(w.top for w in words if w.text == "Association")
    assert any(r.top <= first + 0.5 and len(r.rows) > 100 and len(r.gutters) == 2 for r in regions)
    assert body.gutters[0][1] <= 231.5 and body.gutters[1][1] <= 398.5
