"""A running head that is the current part's title alone, changing with
every part of one or two pages (Typst designs, issue 18): too few pages for
its words to recur, so it recurs by its place, the topmost small line of the
top band. Read as body text, it was glued into a paragraph running on from
the page before ("... in ENGAGE WITH PARTNERS TO ADDRESS... charge of")."""

from __future__ import annotations

from parselayout import ROLE_RULES, measured_line

from pipeline.parse.layout import PLine
from pipeline.parse.lineroles import mark_furniture

RULES = ROLE_RULES
HEIGHT = 842.0


def _line(text: str, top: float, x0: float, size: float, page: int) -> PLine:
    return measured_line(text, top, x0, size, page)


def _page(n: int, head: str | None, first: str = "body") -> list:
    lines = [_line(f"{first} text of page {n} line {k} runs on here", 80.0 + 14.0 * k, 62.0, 10.0, n) for k in range(40)]
    if head is not None:
        lines.append(_line(head, 50.0, 62.0, 6.0, n))
    lines.append(_line(str(n), 800.0, 520.0, 8.0, n))
    return lines


PARTS = ["KEY FINDINGS", "ADHERE TO INTERNATIONAL STANDARDS…", "ADHERE TO INTERNATIONAL STANDARDS…",
         "FORMULATE POLICY USING EVIDENCE…", "ENGAGE WITH PARTNERS TO ADDRESS…", "KEY SOURCES"]


def test_a_part_title_alone_in_the_header_is_furniture() -> None:
    pages = [_page(10 + i, part) for i, part in enumerate(PARTS)]
    mark_furniture([(HEIGHT, lines) for lines in pages], RULES, body=10.0)
    for lines, part in zip(pages, PARTS):
        roles = {ln.text: ln.role for ln in lines}
        assert roles[part] == "furniture"
        assert roles[f"body text of page {lines[0].page} line 0 runs on here"] == "body"


def test_a_small_top_line_on_one_page_only_stays() -> None:
    """Only a place that recurs counts: one small line at the top of one page stays."""
    pages = [_page(10 + i, None) for i in range(5)]
    pages[2].append(_line("A small note set at the top", 50.0, 62.0, 6.0, 12))
    mark_furniture([(HEIGHT, lines) for lines in pages], RULES, body=10.0)
    assert next(ln for ln in pages[2] if ln.text.startswith("A small note")).role != "furniture"


def test_a_part_title_in_a_wide_margin_below_the_band_is_furniture() -> None:
    """A wide top margin puts the running head below the band (B5, Typst
    t00020: 'ENSURE THAT MIGRATION TAKES… 29' 56.6 pt down a 708 pt page, band
    ends at 56.7): set apart from the text, it is still an edge line, and was
    read into a paragraph broken at the page ("... Round Table on ENSURE THAT
    MIGRATION TAKES… 29 Human Trafficking"), its numbers sent to another row."""
    heads = [f"{part} {10 + i}" for i, part in enumerate(PARTS)]
    pages = []
    for i, head in enumerate(heads):
        n = 10 + i
        lines = [_line(f"body text of page {n} line {k} runs on here", 110.0 + 14.0 * k, 62.0, 10.0, n) for k in range(40)]
        lines.append(_line(head, 72.0, 62.0, 6.0, n))
        pages.append(lines)
    assert 72.0 + 6.0 > RULES.band * HEIGHT
    mark_furniture([(HEIGHT, lines) for lines in pages], RULES, body=10.0)
    for lines, head in zip(pages, heads):
        roles = {ln.text: ln.role for ln in lines}
        assert roles[head] == "furniture", head
        assert roles[f"body text of page {lines[0].page} line 0 runs on here"] == "body"


def test_last_note_lines_at_one_height_are_not_a_running_slot() -> None:
    """Notes set at the foot of the frame end at one height on every page: a
    short last note line flush left (or centred) at that height on three pages
    sits at the notes' leading, not apart in a margin, and stays (t00021:
    "equivalent of a municipality." read as furniture, note 5 cut short)."""
    pages = []
    for i, last in enumerate(["equivalent of a municipality.", "equivalent of a metropolises.",
                              "equivalent of a municipality.", "in the national community."]):
        n = 10 + i
        lines = [_line(f"body text of page {n} line {k} runs on here", 80.0 + 14.0 * k, 62.0, 10.0, n) for k in range(50)]
        lines += [_line(f"{n} {['A', 'Another', 'One more', 'The last'][i]} note that runs across the frame and on to",
                        790.0, 62.0, 8.0, n),
                  _line(last, 800.0, 62.0, 8.0, n)]
        pages.append(lines)
    mark_furniture([(HEIGHT, lines) for lines in pages], RULES, body=10.0)
    assert [ln.text for lines in pages for ln in lines if ln.role == "furniture"] == []
