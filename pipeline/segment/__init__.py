"""Stage 2, segment: page layout -> document tree (``segments.json``).

Headings and their kinds (MiGOF dimensions, well-developed areas, areas with
potential), the contents page, paragraphs joined across breaks, footnotes,
KEY SOURCES lines and the document metadata. Entry point:
:func:`pipeline.segment.stage.segment`."""
