"""Side-heads in a narrow margin column: a word longer than the column is cut
where the column ends, without a hyphen ("EXAMPLES OF W" / "ELL-DEVELOPED",
"WELL-DEVELOP" / "ED AREAS"); the lines of the side-head join into the word,
from what the document prints elsewhere (``join_cut``), only in margin items."""

from __future__ import annotations

from pipeline.parse.layout import PLine, Word, join_lines
from pipeline.text.normalize import Lexicon, join_cut

BODY = [
    "Examples of well-developed areas in the commune, as well as the",
    "areas with potential for further development, are developed here.",
]


def _lexicon(*side_lines: str) -> Lexicon:
    return Lexicon.of([*BODY, *side_lines])


def _line(text: str, top: float, margin: bool) -> PLine:
    words, x = [], 60.0
    for t in text.split():
        words.append(Word(t, x, top, x + 5.0 * len(t), top + 9.0, "Serif-Bold", 9.0))
        x += 5.0 * len(t) + 3.0
    ln = PLine(page=1, words=words, margin=margin)
    ln.text = ln.raw = text
    return ln


def test_cut_inside_a_word_joins_when_the_document_prints_the_word():
    side = ["1.1. MIGRATION", "GOVERNANCE:", "EXAMPLES OF W", "ELL-DEVELOPED", "AREAS"]
    lex = _lexicon(*side)
    assert join_cut("EXAMPLES OF W", "ELL-DEVELOPED", lex)  # "well" printed; "ell" only at a line start
    assert join_cut("WELL-DEVELOP", "ED AREAS", _lexicon("WELL-DEVELOP", "ED AREAS"))
    assert not join_cut("GOVERNANCE:", "EXAMPLES OF W", lex)  # punctuation: a space break
    assert not join_cut("1.1. MIGRATION", "GOVERNANCE:", lex)  # "migrationgovernance" is no word


def test_a_word_printed_mid_line_is_a_word_not_the_rest_of_a_cut():
    lex = Lexicon.of(["as well as the", "the well of", "an ell of cloth is it"])
    assert not join_cut("the W", "ELL OF", lex)  # "ell" printed mid-line: a word of the document
    # a capitalised word after a lower-case line end starts a new word
    assert not join_cut("in the well", "Developed areas", Lexicon.of(["welldeveloped x"]))
    assert not join_cut("an unknown fra", "gment here", Lexicon.of(["nothing to see"]))


def test_join_lines_glues_a_cut_only_in_margin_items():
    side = ["1.1. MIGRATION", "GOVERNANCE:", "EXAMPLES OF W", "ELL-DEVELOPED", "AREAS"]
    lex = _lexicon(*side)
    margin = [_line(t, 100.0 + 11.0 * i, margin=True) for i, t in enumerate(side)]
    text, raw, _ = join_lines(margin, lex)
    assert text == "1.1. MIGRATION GOVERNANCE: EXAMPLES OF WELL-DEVELOPED AREAS"
    assert raw == "\n".join(side)
    body = [_line(t, 100.0 + 11.0 * i, margin=False) for i, t in enumerate(side)]
    assert join_lines(body, lex)[0] == "1.1. MIGRATION GOVERNANCE: EXAMPLES OF W ELL-DEVELOPED AREAS"
    cut = [_line(t, 100.0 + 11.0 * i, margin=True) for i, t in enumerate(["WELL-DEVELOP", "ED AREAS"])]
    assert join_lines(cut, _lexicon("WELL-DEVELOP", "ED AREAS"))[0] == "WELL-DEVELOPED AREAS"



def test_join_lines_glues_a_cut_in_a_heading_wider_than_its_column():
    """A part heading set in a narrow column, its long word cut where the
    column ends ("WHOLE-OF-GOVERNME" / "NT APPROACH"): one word, as printed
    in the body; body lines are never glued so."""
    head = ["FORMULATE POLICY", "USING EVIDENCE AND", "WHOLE-OF-GOVERNME", "NT APPROACH"]
    lex = Lexicon.of([*BODY, "the government and the whole-of-government approach", *head])
    lines = [_line(t, 100.0 + 20.0 * i, margin=False) for i, t in enumerate(head)]
    for ln in lines:
        ln.role = "heading"
    assert join_lines(lines, lex)[0] == "FORMULATE POLICY USING EVIDENCE AND WHOLE-OF-GOVERNMENT APPROACH"
    for ln in lines:
        ln.role = "body"
    assert join_lines(lines, lex)[0] == "FORMULATE POLICY USING EVIDENCE AND WHOLE-OF-GOVERNME NT APPROACH"
    # an elided article after a line end is no cut word ("DE" + "L’" would make "del")
    fr = Lexicon.of(["la politique del barrio et de l’administration", "APPROCHE MOBILISANT L’ENSEMBLE DE", "L’ADMINISTRATION"])
    assert not join_cut("APPROCHE MOBILISANT L’ENSEMBLE DE", "L’ADMINISTRATION", fr)


# --------------------------------------------------------------------------
# the margin column beside a justified column whose wide word spaces line up
# --------------------------------------------------------------------------

from pipeline.parse.columns import column_regions  # noqa: E402

GUTTER = dict(fill_gap=0.8, min_width=6.0, min_rows_fraction=0.2, min_lines=4)


def test_side_gutter_found_beside_a_justified_column_with_a_river():
    """A page of side-heads beside a narrow justified column whose wide word
    spaces line up in a strip (a "river", no gutter: it fails the test of
    running text). The sparse sidebar's gutter is still found, so the
    side-heads are not read into the body lines beside them."""
    import json
    from pathlib import Path

    from pipeline.parse.layout import group_rows

    data = json.loads((Path(__file__).parent / "data" / "sidehead-river-page.json").read_text())
    words = [Word(t, x0, top, x1, bottom, "DejaVuSans", size) for t, x0, top, x1, bottom, size in data["words"]]
    rows = group_rows(words, 0.85)
    regions = column_regions(rows, *data["page"], [], **GUTTER)
    gutters = {g for r in regions for g in r.gutters}
    assert gutters, "the sidebar's gutter was lost with the river's strip"
    sidebar_right = max(w.x1 for w in words if w.text == "GOVERNANCE:")
    body_left = min(w.x0 for w in words if w.text == "Subdirectorate")
    assert all(sidebar_right <= g0 and g1 <= body_left for g0, g1 in gutters)
