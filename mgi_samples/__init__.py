"""The sample renderer: typesets the shipped sample profiles from their
structured sources (``samples/source/``) with reportlab.

A development tool, not part of the product: it needs the ``samples`` extra
(``pip install -e '.[samples]'``) and is not covered by the pipeline's code
fingerprint, so editing it never re-runs anybody's documents."""
