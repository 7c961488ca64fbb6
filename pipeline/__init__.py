"""mgi-pipeline: IOM Migration Governance Indicators profiles -> research tables.

Stages, each a module: ``parse`` (PDF -> page layout), ``segment`` (layout ->
sections, paragraphs, footnotes, metadata), ``extract`` (statistics,
citations, legal references, KEY SOURCES), ``write`` (typed Parquet).
``batch`` chains them over many files; ``db`` builds the DuckDB database;
``validate`` scores output against hand-labelled gold files.
"""

__version__ = "0.1.0"
