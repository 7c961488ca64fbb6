"""A running footer whose parts are set in two sizes ("CURRENT PART" small on
the left, the folio larger on the right, as LaTeX's fancyhdr designs do),
with a part name that changes every two pages (too few pages to recur): the
part name is furniture because it shares the folio's row (so it cannot join
the note above it, as it did in random LaTeX designs with two columns)."""

from __future__ import annotations

from parselayout import ROLE_RULES, measured_line

from pipeline.parse.layout import PLine
from pipeline.parse.lineroles import mark_furniture

RULES = ROLE_RULES
HEIGHT = 842.0


def _line(text: str, top: float, x0: float, size: float, page: int) -> PLine:
    return measured_line(text, top, x0, size, page)


def _page(n: int, part: str) -> list[PLine]:
    lines = [_line(f"body text of page {n} line {k} runs on here", 80.0 + 14.0 * k, 62.0, 10.0, n) for k in range(40)]
    lines.append(_line(f"{n * 2}. A note at the foot of page {'x' * n}.", 735.0, 70.0, 7.0, n))
    lines.append(_line(part, 796.0 + 10.0 - 6.3, 62.0, 6.3, n))  # bottom-aligned with the folio
    lines.append(_line(str(n), 796.0 + 10.0 - 7.5, 520.0, 7.5, n))
    return lines


def test_part_name_in_the_folio_row_is_furniture_whatever_its_size() -> None:
    parts = ["KEY FINDINGS", "ADHERE TO INTERNATIONAL STANDARDS", "ADHERE TO INTERNATIONAL STANDARDS",
             "FORMULATE POLICY USING EVIDENCE", "FORMULATE POLICY USING EVIDENCE", "KEY SOURCES"]
    pages = [_page(10 + i, part) for i, part in enumerate(parts)]
    mark_furniture([(HEIGHT, lines) for lines in pages], RULES, body=10.0)
    for lines, part in zip(pages, parts):
        roles = {ln.text: ln.role for ln in lines}
        assert roles[part] == "furniture" and roles[str(lines[0].page)] == "furniture"
        assert all(r != "furniture" for t, r in roles.items() if "A note at the foot" in t)


def test_a_heading_larger_than_the_body_beside_the_folio_stays() -> None:
    """The size rule is relaxed only for lines not set larger than the body."""
    pages = [_page(10 + i, "PART") for i in range(4)]
    big = _line("A Heading Set Large", 796.0 + 10.0 - 14.0, 62.0, 14.0, 11)
    pages[1] = [ln for ln in pages[1] if ln.text != "PART"] + [big]
    mark_furniture([(HEIGHT, lines) for lines in pages], RULES, body=10.0)
    assert big.role != "furniture"


def test_part_name_centred_on_the_folio_row_is_furniture() -> None:
    """CSS margin boxes centre their text: a 6 pt part name beside an 8 pt folio
    has its baseline a point above the folio's (random HTML designs, WeasyPrint)."""
    parts = ["KEY FINDINGS", "ADHERE TO INTERNATIONAL…", "FORMULATE POLICY USING…", "FORMULATE POLICY USING…", "KEY SOURCES"]
    pages = []
    for i, part in enumerate(parts):
        n = 10 + i
        lines = [ln for ln in _page(n, part) if ln.text not in (part, str(n))]
        lines.append(_line(part, 801.0 - 3.0, 62.0, 6.0, n))  # centred on y = 801
        lines.append(_line(f"Page {n}", 801.0 - 4.0, 500.0, 8.0, n))
        pages.append(lines)
    mark_furniture([(HEIGHT, lines) for lines in pages], RULES, body=10.0)
    for lines, part in zip(pages, parts):
        roles = {ln.text: ln.role for ln in lines}
        assert roles[part] == "furniture" and roles[f"Page {lines[0].page}"] == "furniture"
        assert all(r != "furniture" for t, r in roles.items() if "A note at the foot" in t or t.startswith("body text"))


def test_a_running_title_alone_in_its_slot_is_furniture() -> None:
    """The current part's title alone at the top right (a CSS ``@top-right``
    box, no other running header), a new title every one or two pages: its
    slot recurs, its text does not. Body lines and notes stay."""
    parts = ["ADHERE TO INTERNATIONAL…", "ADHERE TO INTERNATIONAL…", "FORMULATE POLICY USING…", "ENGAGE WITH PARTNERS…",
             "ADVANCE THE SOCIOECONOMIC…", "ADVANCE THE SOCIOECONOMIC…"]
    pages = []
    for i, part in enumerate(parts):
        n = 10 + i
        lines = [ln for ln in _page(n, "PART") if ln.text != "PART"]
        width = len(part) * 0.5 * 6.0 + 0.3 * 6.0 * (len(part.split()) - 1)
        lines.append(_line(part, 34.0, 533.0 - width, 6.0, n))  # flush right at x = 533
        pages.append(lines)
    mark_furniture([(HEIGHT, lines) for lines in pages], RULES, body=10.0)
    for lines, part in zip(pages, parts):
        roles = {ln.text: ln.role for ln in lines}
        assert roles[part] == "furniture"
        assert all(r != "furniture" for t, r in roles.items() if "A note at the foot" in t or t.startswith("body text"))
