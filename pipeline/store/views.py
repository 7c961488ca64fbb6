"""The research views, one SQL definition for DuckDB and PostgreSQL.

Both ``mgi db build`` (DuckDB, ``pipeline.store.db``) and ``mgi db load``
(PostgreSQL, ``pipeline.store.postgres``) create these views from the same
text, so they cannot drift; the SQL therefore keeps to what both engines
share (recursive CTEs, window functions, ``coalesce``; no ``arg_min``, no
``GROUP BY ALL``). ``references`` is an SQL keyword and is always quoted.

Views (document columns: title, country, locality, profile_level,
profile_year, language; section columns: dimension, section_kind, heading,
finding_kind = kind of the nearest well_developed / further_development
section at or above the fact's section, null elsewhere):

    v_section_context   one row per section with finding_kind / finding_section_id
    v_statistics        one row per statistic, with document and section columns
    v_findings          one row per paragraph under a well_developed /
                        further_development section
    v_citations         one row per citation, with its reference's author / title (its own printed
                        title and date as cited_title, cited_date: the view's title is the document's)
    v_legal_references  one row per legal reference
    v_references        one row per KEY SOURCES entry, with document columns

Views are listed in creation order (each may use the ones before it).
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.store.tables import SCHEMAS

def quote(name: str) -> str:
    """A quoted SQL identifier (the same rule in both engines)."""
    return '"' + name.replace('"', '""') + '"'


def sql_type(typ: pa.DataType, names: dict[str, str]) -> str | None:
    """The SQL type of an Arrow type, spelled with ``names`` (one engine's
    words for string, int32, int64, float64, bool); lists get ``[]``. None
    when the engine has no such type (the caller raises its own error)."""
    for kind, test in (("string", pa.types.is_string), ("string", pa.types.is_large_string),
                       ("int32", pa.types.is_int32), ("int64", pa.types.is_int64),
                       ("float64", pa.types.is_float64), ("bool", pa.types.is_boolean)):
        if test(typ):
            return names[kind]
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        inner = sql_type(typ.value_type, names)
        return inner + "[]" if inner else None
    return None


_DOC_COLUMNS = "d.title, d.country, d.locality, d.profile_level, d.profile_year, d.language"
_SECTION_COLUMNS = "sc.dimension, sc.section_kind, sc.heading, sc.finding_kind, sc.finding_section_id"

# the section kinds a finding hangs under (the views filter sections.kind on them)
FINDING_KINDS = ("well_developed", "further_development")


def _own_columns(table: str, alias: str, prefix: str) -> str:
    """The fact table's columns, each by name; one that a document column of
    the view also names (a citation's own ``title``) gets ``prefix``:
    ``cited_title``, so the view's ``title`` stays the document's."""
    doc_names = {c.strip().split(".")[-1] for c in _DOC_COLUMNS.split(",")}
    return ", ".join(
        f"{alias}.{name} AS {prefix}_{name}" if name in doc_names else f'{alias}."{name}"'
        for name in SCHEMAS[table].names
    )


def _fact_view(table: str, alias: str, order: str, columns: str = "", joins: str = "", prefix: str = "own") -> str:
    """One row per fact (statistic, citation, legal reference) with its
    document's columns and the section context of its paragraph or footnote."""
    return f"""
        SELECT {_own_columns(table, alias, prefix)}, {columns}{_DOC_COLUMNS}, {_SECTION_COLUMNS}
        FROM {table} {alias}
        JOIN documents d ON d.doc_id = {alias}.doc_id
        {joins}
        LEFT JOIN paragraphs p ON p.paragraph_id = {alias}.paragraph_id
        LEFT JOIN footnotes f ON f.footnote_id = {alias}.footnote_id
        LEFT JOIN v_section_context sc ON sc.section_id = coalesce({alias}.section_id, p.section_id, f.section_id)
        ORDER BY {order}
    """


_KINDS = ", ".join(f"'{k}'" for k in FINDING_KINDS)

VIEWS: dict[str, str] = {
    # the nearest finding section at or above each section: climb the parent
    # chain, keep the shallowest well_developed / further_development ancestor
    "v_section_context": f"""
        WITH RECURSIVE chain(section_id, ancestor_id, depth) AS (
            SELECT section_id, section_id, 0 FROM sections
            UNION ALL
            SELECT c.section_id, s.parent_id, c.depth + 1
            FROM chain c JOIN sections s ON s.section_id = c.ancestor_id
            WHERE s.parent_id IS NOT NULL AND c.depth < 64
        ),
        ranked AS (
            SELECT c.section_id, a.kind AS finding_kind, a.section_id AS finding_section_id,
                   row_number() OVER (PARTITION BY c.section_id ORDER BY c.depth) AS nearest
            FROM chain c JOIN sections a ON a.section_id = c.ancestor_id
            WHERE a.kind IN ({_KINDS})
        )
        SELECT s.doc_id, s.section_id, s.parent_id, s.kind AS section_kind, s.dimension, s.heading,
               s.page_start, s.page_end, f.finding_kind, f.finding_section_id
        FROM sections s LEFT JOIN ranked f ON f.section_id = s.section_id AND f.nearest = 1
    """,
    "v_statistics": _fact_view("statistics", "st", "st.doc_id, st.page, st.stat_id"),
    "v_findings": f"""
        SELECT p.doc_id, p.paragraph_id, p.section_id, p."order", p.page_start, p.page_end,
               p.kind AS paragraph_kind, p.text, {_DOC_COLUMNS}, {_SECTION_COLUMNS}
        FROM paragraphs p
        JOIN documents d ON d.doc_id = p.doc_id
        JOIN v_section_context sc ON sc.section_id = p.section_id
        WHERE sc.finding_kind IS NOT NULL
        ORDER BY p.doc_id, p."order"
    """,
    "v_citations": _fact_view(
        "citations", "c", "c.doc_id, c.page, c.char_start, c.citation_id",
        columns="r.author AS reference_author, r.title AS reference_title, "
        "r.year AS reference_year, r.year_suffix AS reference_year_suffix, ",
        joins='LEFT JOIN "references" r ON r.reference_id = c.reference_id',
        prefix="cited",
    ),
    "v_legal_references": _fact_view("legal_references", "l", "l.doc_id, l.page, l.char_start, l.legal_id"),
    # references has a title of its own: the document's is title_1 (the name
    # DuckDB gave the duplicate before the views were shared; kept, CONTRACT)
    "v_references": f"""
        SELECT r.*, {_DOC_COLUMNS.replace("d.title,", "d.title AS title_1,")}
        FROM "references" r JOIN documents d ON d.doc_id = r.doc_id
        ORDER BY r.doc_id, r.reference_id
    """,
}

# columns the views join or filter on besides primary keys and doc_id: each
# gets an index on engines that need them declared (PostgreSQL)
FILTER_COLUMNS: dict[str, tuple[str, ...]] = {"sections": ("kind", "parent_id")}
