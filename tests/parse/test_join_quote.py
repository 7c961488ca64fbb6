"""A closing quotation mark set at the start of the next line ('"whole-of-
government' / '" approach;', long random profile d01017) closes the quote
without a space; an opening quote at a line start keeps the space."""

from __future__ import annotations

from pipeline.parse.layout import PLine, Word, join_lines
from pipeline.text.normalize import Lexicon


def _line(text: str, top: float) -> PLine:
    words, x = [], 60.0
    for t in text.split():
        words.append(Word(t, x, top, x + 5.0 * len(t), top + 9.0, "Serif", 9.0))
        x += 5.0 * len(t) + 3.0
    ln = PLine(page=1, words=words)
    ln.text = ln.raw = text
    return ln


def _joined(*texts: str) -> str:
    return join_lines([_line(t, 100.0 + 12 * k) for k, t in enumerate(texts)], Lexicon.of(texts))[0]


def test_a_closing_quote_at_the_line_start_closes_without_a_space() -> None:
    assert _joined('and a "whole-of-government', '" approach;') == 'and a "whole-of-government" approach;'
    assert _joined("and a \u201cwhole-of-government", "\u201d approach;") == "and a \u201cwhole-of-government\u201d approach;"


def test_an_opening_quote_at_the_line_start_keeps_the_space() -> None:
    assert _joined('the plans "Advice" and', '"Consejos para" are') == 'the plans "Advice" and "Consejos para" are'
    assert _joined("the plans and", '" apart') == 'the plans and " apart'  # no quote open: kept as printed, with a space
