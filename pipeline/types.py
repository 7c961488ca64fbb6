"""Type aliases shared by every stage (one place, like pdfplumber's _typing)."""

from __future__ import annotations

from typing import Literal

# (x0, top, x1, bottom) in PDF points, origin at the top-left of the page,
# exactly as pdfplumber reports geometry.
BBox = tuple[float, float, float, float]

PageNo = int  # 1-based PDF page index (not the printed folio)

LineRole = Literal["body", "heading", "footnote", "furniture", "caption"]

SectionKind = Literal[
    "front_matter",
    "contents",
    "objectives",
    "introduction",
    "context",
    "key_findings",
    "dimension",
    "well_developed",
    "further_development",
    "covid19",
    "key_sources",
    "annex",
    "subsection",
]

ParagraphKind = Literal["body", "list_item", "source_author", "source_entry"]

Status = Literal["ok", "partial", "failed"]

ProfileLevel = Literal["national", "local"]

StatisticKind = Literal["percent", "count", "money", "other"]

Qualifier = Literal["approximately", "more_than", "less_than", "at_least", "up_to"]

CitationStyle = Literal["parenthetical", "narrative", "ibid"]

Instrument = Literal[
    "law",
    "decree",
    "decree_with_force_of_law",
    "decree_law",
    "resolution",
    "ordinance",
    "presidential_instruction",
    "other",
]
