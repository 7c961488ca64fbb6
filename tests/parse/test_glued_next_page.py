"""A plain note marker glued after punctuation ("entrepreneurship.22") whose
note did not fit at the foot of its page and went to the next page's foot
(WeasyPrint, TeX): the digits are the marker of that note, not text (issue 18,
random HTML designs with ``marker=plain``)."""

from __future__ import annotations

import re

from parselayout import line_words

from pipeline.config import load_config
from pipeline.parse.layout import PLine
from pipeline.parse.markers import MarkerRules, build_text
from pipeline.parse.stage import glue_markers

RULES = MarkerRules(sup_size_ratio=0.85, rise_ratio=0.25, space_gap=0.1,
                    exponent_bases=tuple(load_config().section("parse")["exponent_bases"]))


def _line(text: str, page: int, role: str, top: float = 100.0, size: float = 10.0) -> PLine:
    ln = PLine(page=page, words=line_words(text, 50.0, top, size))
    ln.measure(re.compile("Bold"), re.compile("Italic"))
    build_text(ln, RULES)
    ln.role = role
    return ln


def test_a_glued_marker_whose_note_went_to_the_next_page() -> None:
    one = [_line("opportunities and entrepreneurship.22 The Offices offer", 12, "body"),
           _line("and the census in 2021.21 counted", 12, "body", top=120.0),
           _line("21. A note of this page.", 12, "footnote", top=700.0, size=8.0)]
    two = [_line("More text of the page and its own marker.23", 13, "body"),
           _line("22. The note that did not fit.", 13, "footnote", top=690.0, size=8.0),
           _line("23. The page's own note.", 13, "footnote", top=700.0, size=8.0)]
    glue_markers([one, two], RULES)
    assert one[0].text == "opportunities and entrepreneurship. The Offices offer" and [m[0] for m in one[0].markers] == [22]
    assert two[0].text == "More text of the page and its own marker." and [m[0] for m in two[0].markers] == [23]
    assert one[1].text == "and the census in 2021.21 counted"  # a year's full stop: part of a number


def test_digits_matching_no_unmatched_note_stay_text() -> None:
    one = [_line("in section.23 of the law", 12, "body")]
    two = [_line("its own marker.23", 13, "body"), _line("23. The page's own note.", 13, "footnote", top=700.0, size=8.0)]
    glue_markers([one, two], RULES)
    assert one[0].text == "in section.23 of the law" and one[0].markers == []  # note 23's marker is on its own page
