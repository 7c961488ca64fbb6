"""Stage 3, extract: document tree -> facts (``extracted.json``).

spaCy components for statistics, citations and legal references, the KEY
SOURCES parser and footnote linking. Entry point:
:func:`pipeline.extract.stage.extract`."""
