"""Stage 3, extract: document tree -> facts (``extracted.json``).

spaCy components for statistics, citations and legal references, the KEY
SOURCES parser and footnote linking. Entry point:
:func:`pipeline.extract.stage.extract`."""

from pipeline.extract.spacyimport import import_spacy

import_spacy()  # before any extract module imports spaCy: without its command line
