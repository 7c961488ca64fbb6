"""A body in three narrow columns (issue 18, ``columns=body column_count=3``):
what the narrow measure brings that two columns do not."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from pipeline.parse.columns import assign_columns, column_regions, split_rows
from pipeline.parse.layout import PLine, Word, group_rows, measure_flow, split_blocks

from parselayout import line_words as _words

GUTTER = dict(fill_gap=0.8, min_width=6, min_rows_fraction=0.2, min_lines=4, min_column_fraction=0.2)
LOREM = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore".split()
COLUMNS = ((62, 213), (231, 381), (399, 550))


def _text(i: int, width: float, size: float) -> str:
    rng = random.Random(i)
    out, used = [], 0.0
    while True:
        t = rng.choice(LOREM)
        if used + (len(t) + 1) * 0.5 * size > width:
            return " ".join(out)
        out.append(t)
        used += (len(t) + 1) * 0.5 * size


def _columns(first_top: float, n: int, size: float = 8.5, justified: bool = False) -> list[Word]:
    """N rows of three columns, set ragged right or justified."""
    words: list[Word] = []
    for i in range(n):
        for k, (x0, x1) in enumerate(COLUMNS):
            words += _words(_text(3 * i + k, x1 - x0 - 4, size), x0, first_top + 11 * i, size, x1=x1 if justified else None)
    return words


@pytest.mark.parametrize("left_end, right_start, justified", [(201.1, 220.7, False), (211.5, 233.0, True)])
def test_letter_spaced_heading_word_space_on_a_gutter_is_one_line(left_end, right_start, justified) -> None:
    """A part heading set large and tracked out, "COVID-19 ANALYSIS", whose
    wide word space lies across the first gutter: "ANALYSIS" starts inside
    the gutter, or just right of it but not where the second column's lines
    start. One full-width line read before the columns, not "COVID-19"
    heading the first column and "ANALYSIS" the second."""
    heading = [Word("COVID-19", 62.0, 85.3, left_end, 107.3, "Sans-Bold", 22.0),
               Word("ANALYSIS", right_start, 85.3, right_start + 143.3, 107.3, "Sans-Bold", 22.0)]
    rows = group_rows(heading + _columns(202, 50, justified=justified), 0.85)
    regions = column_regions(rows, 612, 1008, **GUTTER)
    lines = split_rows(rows, regions, 1)
    assign_columns(lines, regions)
    first = [ln for ln in lines if ln.row == 0]
    assert [" ".join(w.text for w in ln.words) for ln in first] == ["COVID-19 ANALYSIS"]
    assert first[0].column == 0
    body = max(regions, key=lambda r: len(r.rows))
    assert len(body.gutters) == 2 and 0 not in body.rows


@pytest.mark.parametrize("right_x0", [231.0, 399.0])
def test_sub_headings_side_by_side_stay_in_their_columns(right_x0) -> None:
    """Larger words on both sides of a gutter are two columns when the right
    one starts where the column's lines start, or in a column further right
    (sub-headings atop the first and third columns, the second empty there)."""
    heads = [Word("Context", 62.0, 180.0, 140.0, 192.0, "Sans-Bold", 12.0),
             Word("Governance", right_x0, 180.0, right_x0 + 99.0, 192.0, "Sans-Bold", 12.0)]
    rows = group_rows(heads + _columns(202, 50), 0.85)
    regions = column_regions(rows, 612, 1008, **GUTTER)
    lines = split_rows(rows, regions, 1)
    assert sorted(" ".join(w.text for w in ln.words) for ln in lines if ln.row == 0) == ["Context", "Governance"]


def test_gutters_found_when_two_columns_have_year_labels() -> None:
    """KEY SOURCES in three columns, the second and third with a year column
    ("1990", "2005a" before their entries' titles): the empty strips run from
    one column's end to the next one's titles, so before the labels were
    taken out of them the middle column looked too narrow and the second
    gutter was lost (two columns' entries glued into one line). Each strip is
    ended at the labels before the columns' widths are compared."""
    data = json.loads((Path(__file__).parent / "data" / "three-col-key-sources-two-year-columns-page.json").read_text())
    words = [Word(t, x0, top, x1, bottom, "DejaVuSerif", size) for t, x0, top, x1, bottom, size in data["words"]]
    rows = group_rows(words, 0.85)
    regions = column_regions(rows, *data["page"], [tuple(s) for s in data["separators"]], **GUTTER)
    body = max(regions, key=lambda r: len(r.rows))
    assert len(body.rows) >= 90
    assert len(body.gutters) == 2
    (a0, a1), (b0, b1) = body.gutters
    assert a1 <= 237 and 365 <= b0 and b1 <= 393.5  # ended at "1990" / "2005a"
    lines = split_rows(rows, regions, 30)
    assert not any("Government of the" in " ".join(w.text for w in ln.words) and "2005a" in [w.text for w in ln.words]
                   for ln in lines)


def _body_line(text: str, top: float, x0: float = 62.0, x1: float = 205.0) -> PLine:
    words = _words(text, x0, top, 8.5, x1=x1)
    words[-1].x1 = x1
    ln = PLine(page=1, words=words, column=1)
    ln.measure(re.compile("Bold"), re.compile("Italic"))
    ln.text = ln.raw = text
    return ln


def test_enumeration_broken_before_its_labels_in_a_ragged_column_stays_one_paragraph() -> None:
    """Ragged right, paragraphs marked by a first-line indent: in a narrow
    column "(a)" and "(b)" of a running enumeration both fall at line starts,
    flush with the text, and each wraps back to that edge at the paragraph's
    leading. One paragraph (a list item wraps at its hanging indent, or the
    next line is the next item)."""
    texts = ["The municipality, working", "through the Migrant Office, deals", "with humanitarian emergencies.",
             "For this, it has established the", "Initial Reception Programme, which", "comprises the following:",
             "(a) the relocation of families in", "hostels for one or two weeks; and", "(b) the transfer to residences of",
             "partner foundations or to emer-", "gency accommodations for famil-", "ies, with the FRÈ Foundation."]
    ends = [193, 207, 202, 198, 206, 190, 195, 207, 199, 199, 205, 180]
    lines = [_body_line(t, 282.3 + 11.1 * k, x0=80.0 if k == 0 else 62.0, x1=x1) for k, (t, x1) in enumerate(zip(texts, ends))]
    after = [_body_line("The municipality of Santiago de", 282.3 + 11.1 * 12, x0=80.0, x1=190),
             _body_line("Chile provides information on", 282.3 + 11.1 * 13, x1=200)]
    real = [_body_line("It comprises the following:", 450.0, x1=170),
            _body_line("(a) the relocation of families;", 461.1, x0=66.0, x1=190),
            _body_line("(b) the transfer to residences.", 472.2, x0=66.0, x1=190)]
    everything = lines + after + real
    flow = measure_flow(everything, para_gap=0.4)
    assert not flow.justified
    blocks = split_blocks(everything, flow, 0.8)
    starts = [b[0].text.split()[0] for b in blocks]
    assert starts == ["The", "The", "It", "(a)", "(b)"], [[ln.text for ln in b] for b in blocks]


def test_last_line_carried_to_the_top_of_the_third_column() -> None:
    """A page whose third column holds only "migrants.", the last line of a
    paragraph of the second: the text there is narrower than a column, but
    the three measures are even and it starts at the third column's edge,
    so the second gutter is found and the line is not glued to the second
    column's "Social Investment Fund." beside it."""
    data = json.loads((Path(__file__).parent / "data" / "three-col-last-line-atop-third-page.json").read_text())
    words = [Word(t, x0, top, x1, bottom, "DejaVuSerif", size) for t, x0, top, x1, bottom, size in data["words"]]
    rows = group_rows(words, 0.85)
    regions = column_regions(rows, *data["page"], [tuple(s) for s in data["separators"]], **GUTTER)
    body = max(regions, key=lambda r: len(r.rows))
    assert len(body.gutters) == 2
    lines = split_rows(rows, regions, 9)
    assert any([w.text for w in ln.words] == ["migrants."] for ln in lines)


@pytest.mark.parametrize("first, split", [("Therefore, the methodology", False), ("It is adapted to", True)])
def test_short_line_in_a_narrow_ragged_column_ends_a_paragraph_only_if_the_next_word_fitted(first, split) -> None:
    """Ragged right in a narrow column, paragraphs set apart by space: a
    sentence ends on a line 47 pt short of the edge, the next sentence starts
    flush at the paragraph's leading. "Therefore," (51 pt) would not have
    fitted there, so the typesetter wrapped it: the paragraph goes on; "It"
    would have: the line ended its paragraph."""
    texts = ["local authorities have different", "capacities, competencies and", "added value when it comes to",
             "governing migration.", first, "has been adapted to reflect the", "fact that the degree of fiscal"]
    ends = [548, 541, 543, 501, 534, 550, 536]
    lines = [_body_line(t, 700.0 + 12.3 * k, x0=399.0, x1=x1) for k, (t, x1) in enumerate(zip(texts, ends))]
    first_word = lines[4].words[0]
    first_word.x1 = first_word.x0 + (51.0 if first.startswith("Therefore") else 8.0)
    spaced = [_body_line(f"Paragraph {k} goes on here for a while", 100.0 + 12.3 * k + 8.0 * (k // 3), x0=399.0,
                         x1=505.0 + (7 * k) % 44) for k in range(30)]
    everything = spaced + lines
    flow = measure_flow(everything, para_gap=0.4)
    assert not flow.justified
    blocks = split_blocks(everything, flow, 0.8)
    assert any(b[0].text == first for b in blocks) == split


def test_both_gutters_of_a_strip_over_a_short_middle_column() -> None:
    """The middle column ends halfway down the page: below it the empty
    strip runs from the first column's end to the third's start, so one
    strip holds both gutters, the second (fewer rows run across it) the
    stronger. The first gutter is a run of its own where most rows part, and
    is found too (the sub-heading "EXAMPLES OF" is not glued to the second
    column's "Prevention, and it can be used")."""
    data = json.loads((Path(__file__).parent / "data" / "three-col-short-middle-wide-strip-page.json").read_text())
    words = [Word(t, x0, top, x1, bottom, "DejaVuSans", size) for t, x0, top, x1, bottom, size in data["words"]]
    rows = group_rows(words, 0.85)
    regions = column_regions(rows, *data["page"], [tuple(s) for s in data["separators"]], **GUTTER)
    body = max(regions, key=lambda r: len(r.rows))
    assert len(body.gutters) == 2 and body.gutters[0][0] >= 218 and body.gutters[0][1] <= 237.5
    lines = [" ".join(w.text for w in ln.words) for ln in split_rows(rows, regions, 18)]
    assert "EXAMPLES OF" in lines


def test_one_word_line_after_a_sentence_end_in_a_narrow_justified_column() -> None:
    """Justified, 139 pt wide: "displacement." ends a sentence 65 pt short of
    the edge and "Researchers," (70 pt) stands alone on the next line (a line
    of one word cannot be spread). It would not have fitted after the full
    stop: the paragraph goes on."""
    full = ["The role of cities and", "municipalities in migration", "governance has grown over",
            "recent decades, as they are", "destinations for all forms", "of migration and"]
    lines = [_body_line(t, 200.0 + 12.6 * k, x0=80.0, x1=219.0) for k, t in enumerate(full)]
    lines.append(_body_line("displacement.", 200.0 + 12.6 * 6, x0=80.0, x1=154.0))
    lines.append(_body_line("Researchers,", 200.0 + 12.6 * 7, x0=80.0, x1=150.0))
    lines += [_body_line(t, 200.0 + 12.6 * (8 + k), x0=80.0, x1=219.0)
              for k, t in enumerate(["policymakers and", "international development", "actors have recognized the"])]
    lines.append(_body_line("role of cities.", 200.0 + 12.6 * 11, x0=80.0, x1=140.0))
    flow = measure_flow(lines, para_gap=0.4)
    assert flow.justified
    assert len(split_blocks(lines, flow, 0.8)) == 1


def test_short_list_items_then_a_flush_paragraph_are_not_a_wrapped_enumeration() -> None:
    """A list of short items "(i) ...;" set flush at the text's edge, at the
    body's leading, followed by a paragraph set flush too ("As it seeks to:"):
    the line after "(iii) ... issues;" would have fitted on its line, so the
    item does not wrap there; each item is a block of its own, not glued to
    the one above (a Typst design of the MiGOF annex)."""
    texts = ["When it:", "(i) Adheres to international standards;", "(ii) Formulates policy using evidence;",
             "(iii) Engages with partners to address issues;", "As it seeks to:",
             "(i) Advance the socioeconomic well-being;"]
    ends = [100, 170, 172, 180, 120, 180]
    lines = [_body_line(t, 300.0 + 11.1 * k, x1=x1) for k, (t, x1) in enumerate(zip(texts, ends))]
    full = [_body_line("lorem ipsum dolor sit amet consectetur", 400.0 + 11.1 * k, x1=205.0) for k in range(6)]
    flow = measure_flow(lines + full, para_gap=0.4)
    blocks = split_blocks(lines + full, flow, 0.8)
    starts = [b[0].text.split(" ")[0] for b in blocks][:6]
    assert starts == ["When", "(i)", "(ii)", "(iii)", "As", "(i)"], [[ln.text for ln in b] for b in blocks]
