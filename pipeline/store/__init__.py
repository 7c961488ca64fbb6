"""Stage 4, write, and the stores: the work folder (intermediates, status,
manifest, atomic publish), the Parquet tables and the DuckDB database."""
