"""A paragraph going on across a break in a multi-column body
(``paragraphs.flows_on``): below a figure set in its own column."""

from __future__ import annotations

from pipeline.segment.paragraphs import Para, Piece, flows_on


def _para(tail: tuple, open_end: bool = True) -> Para:
    return Para(0, "body", "and what was known at the time as the Department of Aliens and Migration, as of 31",
                7, 7, (62, 200, 297, 250), False, tail=tail, open_end=open_end)


def _piece(head: tuple, flush: bool = True, ragged: bool = False, after_insert: bool = False) -> Piece:
    return Piece(7, "December 2020 Chile had an estimated 1,450,333 foreign habitual residents.", [],
                 (62, 397, 297, 541), False, "body", head=head, flush=flush, ragged=ragged, size=9.0,
                 after_insert=after_insert, at_left=True, first_word=60.0)


def test_goes_on_below_a_figure_in_the_same_column() -> None:
    # the last line fills the measure at 250, the text goes on flush at 397 below a chart
    assert flows_on(_para((7, 1, 250.0, True)), _piece((7, 1, 397.0)))


def test_next_paragraph_in_the_same_column_is_not_joined() -> None:
    # the ordinary space between paragraphs (under three lines) is no break
    assert not flows_on(_para((7, 1, 250.0, True)), _piece((7, 1, 262.0)))
    # a short last line ends its paragraph, whatever lies below
    assert not flows_on(_para((7, 1, 250.0, True), open_end=False), _piece((7, 1, 397.0)))
    # a full-width page (column 0: a cover, a one-column page) and ragged text keep to breaks
    assert not flows_on(_para((1, 0, 542.0, True)), _piece((1, 0, 773.0)))
    assert not flows_on(_para((7, 1, 250.0, True)), _piece((7, 1, 397.0), ragged=True))
    # a line that does not start at the column's left edge (a centred line)
    assert not flows_on(_para((7, 1, 250.0, False)), _piece((7, 1, 397.0)))


def test_goes_on_below_a_figure_on_a_one_column_page() -> None:
    # right below a figure (captions) on a one-column page: the break of a
    # paragraph whose line filled the measure; a short line still ends it
    assert flows_on(_para((1, 0, 542.0, True)), _piece((1, 0, 773.0), after_insert=True))
    assert not flows_on(_para((1, 0, 542.0, True), open_end=False), _piece((1, 0, 773.0), after_insert=True))
    # a sentence ended above the figure: a paragraph ended there, however full its line
    ended = _para((1, 0, 542.0, True))
    ended.text = "... services in different municipal departments."
    assert not flows_on(ended, _piece((1, 0, 773.0), after_insert=True))
    # ragged: when the first word below would not have fitted on the last line
    assert flows_on(_para((1, 0, 542.0, True)), _piece((1, 0, 773.0), ragged=True, after_insert=True))


def test_a_sentence_end_close_to_the_edge_is_a_last_line() -> None:
    """Justified text: a line ending a sentence 1.5 pt short of the right edge
    is a paragraph's natural last line; the same line reaching the edge, or a
    line ending mid-sentence as close to it, fills the measure."""
    from pipeline.datamodel import Line
    from pipeline.segment.flow import TextFlow, open_end

    flow = TextFlow({(10, 0): (186.0, 436.9)}, None, True)

    def line(text: str, x1: float) -> Line:
        return Line(page=10, text=text, raw=text, bbox=(186.0, 600.0, x1, 611.0), font="Sans", size=11.0)

    assert not open_end(flow, line("those with potential for further development.", 435.4))
    assert open_end(flow, line("those with potential for further development.", 436.9))
    assert open_end(flow, line("those with potential for further development of", 435.4))
