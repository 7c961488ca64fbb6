"""Stage 1, parse: PDF -> page layout (``layout.json``).

Characters are read once per page, grouped into words, lines, columns and
blocks with their geometry; every line gets a role (body, heading, footnote,
furniture, caption) and note markers are found. Entry point:
:func:`pipeline.parse.stage.parse_pdf`."""
