"""Headings split over blocks joined again (``pipeline.segment.units.join_headings``)."""

from __future__ import annotations

from pipeline.config import load_config
from pipeline.datamodel import Block
from pipeline.segment.headings import Wording
from pipeline.segment.units import Unit, join_headings

WORDING = Wording.load(load_config())


def _unit(text: str, top: float, bold: bool) -> Unit:
    bbox = (388.0, top, 388.0 + 6 * len(text), top + 10.0)
    block = Block(page=11, role="heading", column=3, bbox=bbox, text=text, raw=text, font="AAAAAA+DejaVuSans-Bold",
                  size=10.0, bold=bold)
    return Unit(11, 3, bbox, text, 10.0, bold, "heading", [], [block], heading=True)


def test_summary_label_wrapped_with_lighter_page_label_is_joined() -> None:
    """A KEY FINDINGS summary label wrapped in a narrow column: "MOBILITY
    DIMENSION OF" (bold) / "CRISES PAGE 21", whose "PAGE 21" is set lighter,
    so the short line counts as not bold: one heading, read as the summary of
    dimension 5."""
    units = join_headings([_unit("MOBILITY DIMENSION OF", 182.4, True), _unit("CRISES PAGE 21", 196.4, False)], WORDING)
    assert [u.text for u in units] == ["MOBILITY DIMENSION OF CRISES PAGE 21"]
    assert units[0].bold


def test_heading_above_a_lighter_line_without_page_label_stays_apart() -> None:
    """Without a page label a change of weight still parts two headings."""
    units = join_headings([_unit("MOBILITY DIMENSION OF", 182.4, True), _unit("CRISES", 196.4, False)], WORDING)
    assert len(units) == 2
