"""``Lexicon.shared``: parse and segment share one document's lexicon only when they read the same lines."""

import re

from pipeline.text.normalize import Lexicon

LINES = ["The com-", "munity of well-being", "and cooperation", "Co-operation with others"]


def _state(lx: Lexicon) -> tuple:
    return (lx.compounds, lx.words, lx.lower, lx.inner, lx.breaks, lx.n_lines, lx.keep_prefix, lx.patterns)


def test_same_lines_and_settings_give_the_same_lexicon_as_of():
    prefix = re.compile("non|multi")
    first = Lexicon.shared(iter(LINES), prefix, ("en_US",))
    assert _state(first) == _state(Lexicon.of(LINES, prefix, ("en_US",)))
    assert Lexicon.shared(list(LINES), re.compile("non|multi"), ["en_US"]) is first


def test_other_lines_or_settings_build_a_new_lexicon():
    first = Lexicon.shared(LINES, None, ())
    other_lines = Lexicon.shared(LINES[:-1], None, ())
    assert other_lines is not first and _state(other_lines) == _state(Lexicon.of(LINES[:-1]))
    other_prefix = Lexicon.shared(LINES[:-1], re.compile("non"), ())
    assert other_prefix is not other_lines and other_prefix.keep_prefix.pattern == "non"
    assert Lexicon.shared(LINES[:-1], re.compile("non"), ("es",)) is not other_prefix
