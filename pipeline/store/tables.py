"""One descriptor per output table: its row model, key, JSON columns and docs.

A table's columns are the fields of its row model (``pipeline.datamodel``),
in definition order, plus the descriptor's ``extra_columns`` (the documents
table adds ``warnings``). The Arrow schema is derived from the fields' type
annotations:

    str, a ``Literal`` of strings (``pipeline.types``)  -> string
    int                                                 -> int64, or int32 for
                                                           the descriptor's ``int32`` columns
    float -> double;  bool -> bool
    tuple[X, ...] / tuple[X, X, ...] / list[X]           -> list<X>  (``BBox`` -> list<double>)
    X | None                                            -> X, nullable
    a ``json_columns`` field (list of objects)          -> string (a JSON array)

Only what the annotation cannot say is written here: which integers are
stored as int32, the one-line description of every column (Arrow field
metadata ``description``), the primary key and the table's intro line, from
which ``docs/SCHEMA.md`` is generated (``python -m pipeline.store.tables``).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

import pyarrow as pa

from pipeline.datamodel import (
    Citation,
    DocumentRecord,
    Footnote,
    LegalReference,
    Model,
    Paragraph,
    Reference,
    Section,
    Statistic,
)

_SCALARS: dict[Any, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _optional(annotation: Any) -> tuple[Any, bool]:
    """(the annotation without ``None``, whether ``None`` was allowed)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(typing.get_args(annotation))
        raise TypeError(f"no Arrow type for the union {annotation}")
    return annotation, False


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of a (non-optional) field annotation."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        if all(isinstance(a, str) for a in typing.get_args(annotation)):
            return pa.string()
    elif origin in (tuple, list):
        items = {a for a in typing.get_args(annotation) if a is not Ellipsis}
        if len(items) == 1:
            return pa.list_(arrow_type(items.pop()))
    elif annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no Arrow type for {annotation}")


@dataclass(frozen=True)
class TableSpec:
    """What defines one output table; ``schema`` is derived from ``row_model``."""

    name: str
    row_model: type[Model]
    primary_key: tuple[str, ...]
    intro: str  # the table's one-line description in docs/SCHEMA.md
    descriptions: Mapping[str, str]  # column -> one-line meaning (every column)
    int32: tuple[str, ...] = ()  # integer columns stored as int32 (not int64)
    json_columns: tuple[str, ...] = ()  # list-of-object fields, stored as JSON strings
    extra_columns: tuple[tuple[str, Any], ...] = ()  # (name, annotation) not on the row model
    # row-model fields added after the extra columns existed: written after them,
    # so that columns are only ever appended (docs/CONTRACT.md)
    after_extra: tuple[str, ...] = ()
    schema: pa.Schema = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "schema", self._derive_schema())

    def _derive_schema(self) -> pa.Schema:
        model = [(n, f.annotation) for n, f in self.row_model.model_fields.items()]
        annotations = [a for a in model if a[0] not in self.after_extra] + list(self.extra_columns)
        annotations += [a for a in model if a[0] in self.after_extra]
        names = [n for n, _ in annotations]
        for label, given in (("description", self.descriptions), ("int32", self.int32),
                             ("json_columns", self.json_columns), ("primary_key", self.primary_key)):
            unknown = sorted(set(given) - set(names))
            if unknown:
                raise TypeError(f"table {self.name}: {label} names no column {', '.join(unknown)}")
        undescribed = [n for n in names if n not in self.descriptions]
        if undescribed:
            raise TypeError(f"table {self.name}: no description for {', '.join(undescribed)}")
        fields = []
        for name, annotation in annotations:
            inner, nullable = _optional(annotation)
            if name in self.json_columns:
                typ = pa.string()
            elif name in self.int32:
                if inner is not int:
                    raise TypeError(f"table {self.name}: int32 column {name} is not an int field")
                typ = pa.int32()
            else:
                typ = arrow_type(inner)
            fields.append(pa.field(name, typ, nullable=nullable, metadata={"description": self.descriptions[name]}))
        return pa.schema(fields)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.schema.names)


_ID, _PARA, _NOTE, _SECT = (
    "Document id.",
    "Paragraph holding it (null when in a footnote).",
    "Footnote holding it (null when in body text).",
    "Section holding it.",
)
_PAGE_OF_FACT = "PDF page where its first character is printed."
_START, _END = (
    "Start offset of raw in the paragraph (or footnote) text.",
    "End offset (exclusive) of raw in that text.",
)

SPECS: tuple[TableSpec, ...] = (
    TableSpec(
        "documents",
        DocumentRecord,
        ("doc_id",),
        "One row per input file (failed files included), with its metadata and status.",
        {
            "doc_id": "Document id: <slug of file name>-<first 8 hex of sha256>.",
            "source_file": "Input path as found (relative to the working directory when below it).",
            "sha256": "SHA-256 of the file's bytes (hex).",
            "n_pages": "Number of PDF pages; null when the file could not be read.",
            "title": "Document title from the cover.",
            "profile_level": "'national' or 'local'.",
            "country": "Country profiled, always in English ('Chile' for a profile printed 'Chili' or 'Chile'), so profiles in every language join on one name.",
            "locality": "City / region profiled; null for national profiles.",
            "profile_year": "Year of the profile (as in the title).",
            "publication_year": "Year of publication (copyright page).",
            "language": "ISO 639-1 language code.",
            "isbn": "ISBN as printed.",
            "status": "'ok', 'partial' (not recognisably an MGI profile) or 'failed'.",
            "error": "One-line reason when status is 'failed' (or why 'partial').",
            "pipeline_version": "mgi-pipeline version that produced the row.",
            "config_hash": "Hash of the effective settings and wording files.",
            "error_detail": "The parser's own exception behind 'error' (pdfminer's, PDFium's, per unreadable page), "
            "one line; null when nothing went wrong.",
            "warnings": "Warnings of the parse, segment and extract stages, in order.",
        },
        int32=("n_pages", "profile_year", "publication_year"),
        extra_columns=(("warnings", tuple[str, ...]),),
        after_extra=("error_detail",),
    ),
    TableSpec(
        "sections",
        Section,
        ("section_id",),
        "One row per heading and the text it governs.",
        {
            "doc_id": _ID,
            "section_id": "Section id, unique within a run (<doc_id>:s<n>).",
            "parent_id": "section_id of the enclosing section; null at top level.",
            "kind": "Section kind (front_matter, contents, ..., dimension, well_developed, further_development, ..., subsection).",
            "dimension": "MiGOF dimension 1-6 on a dimension section and everything under it.",
            "heading": "Heading text.",
            "page_start": "PDF page of the heading (1-based).",
            "page_end": "Last PDF page of the governed text.",
            "order": "Position of the section in the document (reading order).",
            "text": "Body text governed, sub-sections included; headings and footnotes excluded.",
            "level": "Nesting level (1 = top).",
            "bbox": "Heading box on page_start: [x0, top, x1, bottom] in PDF points.",
        },
        int32=("dimension", "page_start", "page_end", "order", "level"),
    ),
    TableSpec(
        "paragraphs",
        Paragraph,
        ("paragraph_id",),
        "One row per body paragraph, joined across page breaks.",
        {
            "doc_id": _ID,
            "paragraph_id": "Paragraph id, unique within a run (<doc_id>:p<n>).",
            "section_id": "Section the paragraph belongs to.",
            "order": "Position of the paragraph in the document (reading order).",
            "page_start": "PDF page of the first character.",
            "page_end": "PDF page of the last character.",
            "text": "Paragraph text joined across line and page breaks, footnote markers removed.",
            "kind": "'body', 'list_item', 'source_author' or 'source_entry'.",
            "bold": "Whether the paragraph is set in bold.",
            "bbox": "Box of its first block on page_start: [x0, top, x1, bottom].",
            "markers": "JSON array of footnote markers removed from text: {number, offset, page, bbox}.",
            "page_breaks": "JSON array of {offset, page}: from character offset on, the text is on page.",
        },
        int32=("order", "page_start", "page_end"),
        json_columns=("markers", "page_breaks"),
    ),
    TableSpec(
        "footnotes",
        Footnote,
        ("footnote_id",),
        "One row per footnote, linked to the paragraph holding its marker.",
        {
            "doc_id": _ID,
            "footnote_id": "Footnote id (<doc_id>:f<page>-<number>).",
            "number": "Footnote number as printed.",
            "page": "PDF page where the note is printed.",
            "text": "Note text.",
            "paragraph_id": "Paragraph holding its marker; null if none was found.",
            "section_id": "Section of that paragraph (or of the note's page).",
            "bbox": "Box of the note: [x0, top, x1, bottom].",
            "page_end": "PDF page of the note's last character (the next page when the note is continued there).",
        },
        int32=("number", "page", "page_end"),
    ),
    TableSpec(
        "statistics",
        Statistic,
        ("stat_id",),
        "One row per quantitative fact, in body text or a footnote.",
        {
            "doc_id": _ID,
            "stat_id": "Statistic id, unique within a run.",
            "paragraph_id": _PARA,
            "footnote_id": _NOTE,
            "section_id": _SECT,
            "page": _PAGE_OF_FACT,
            "kind": "'percent', 'count', 'money' or 'other'.",
            "raw": "Text as printed, e.g. '30,7 %'.",
            "value": "Number parsed with the document's conventions (30.7 for 30.7 %).",
            "unit": "'%', the counted noun in singular, or an ISO currency code.",
            "qualifier": "approximately, more_than, less_than, at_least, up_to, or null.",
            "subject": "Short noun phrase the number measures.",
            "sentence": "The sentence holding the statistic.",
            "char_start": _START,
            "char_end": _END,
            "value_high": "High end of a range ('18-25 years', '6-8 individuals': value 18 / 6); null otherwise.",
            "bbox": "Box of its characters on page (union of their word boxes): [x0, top, x1, bottom] in PDF points; null when not located.",
            "page_end": "PDF page of its last character (differs from page when printed across a page break); null when not located.",
        },
        int32=("page", "char_start", "char_end", "page_end"),
    ),
    TableSpec(
        "citations",
        Citation,
        ("citation_id",),
        "One row per in-text source reference.",
        {
            "doc_id": _ID,
            "citation_id": "Citation id, unique within a run.",
            "paragraph_id": _PARA,
            "footnote_id": _NOTE,
            "section_id": _SECT,
            "page": _PAGE_OF_FACT,
            "style": "'parenthetical', 'narrative' or 'ibid'.",
            "raw": "Text as printed.",
            "author": "Author or organisation as printed (acronym kept).",
            "year": "Year; null for n.d.",
            "year_suffix": "Letter after the year, e.g. 'a'.",
            "reference_id": "KEY SOURCES entry it points to (references.reference_id).",
            "char_start": _START,
            "char_end": _END,
            "title": "Title of the cited work when printed (quoted or before the year), else null.",
            "date": "ISO date ('2025-02-04') or year-month ('2022-09') when a day or month is printed, else null.",
            "bbox": "Box of its characters on page (union of their word boxes): [x0, top, x1, bottom] in PDF points; null when not located.",
            "page_end": "PDF page of its last character (differs from page when printed across a page break); null when not located.",
        },
        int32=("page", "year", "char_start", "char_end", "page_end"),
    ),
    TableSpec(
        "legal_references",
        LegalReference,
        ("legal_id",),
        "One row per mention of a numbered legal instrument.",
        {
            "doc_id": _ID,
            "legal_id": "Legal reference id, unique within a run.",
            "paragraph_id": _PARA,
            "footnote_id": _NOTE,
            "section_id": _SECT,
            "page": _PAGE_OF_FACT,
            "instrument": "law, decree, decree_with_force_of_law, decree_law, resolution, ordinance, presidential_instruction or other.",
            "number": "Number as printed, e.g. '21.325'.",
            "year": "Year when printed beside it.",
            "raw": "Text as printed.",
            "char_start": _START,
            "char_end": _END,
            "bbox": "Box of its characters on page (union of their word boxes): [x0, top, x1, bottom] in PDF points; null when not located.",
            "page_end": "PDF page of its last character (differs from page when printed across a page break); null when not located.",
        },
        int32=("page", "year", "char_start", "char_end", "page_end"),
    ),
    TableSpec(
        "references",
        Reference,
        ("reference_id",),
        "One row per KEY SOURCES (bibliography) entry.",
        {
            "doc_id": _ID,
            "reference_id": "Reference id, unique within a run.",
            "author": "Author heading the entry is grouped under.",
            "year": "Year of the entry; null for n.d.",
            "year_suffix": "Letter after the year, e.g. 'a'.",
            "title": "Title of the work.",
            "note": "Note such as 'Not available online.'.",
            "raw": "Entry text as printed.",
            "translation": "Translated title when printed in brackets.",
            "acronym": "Acronym of the author heading, e.g. 'INE'.",
            "page": "PDF page of the entry.",
            "bbox": "Box of its characters on page (union of their word boxes): [x0, top, x1, bottom] in PDF points; null when not located.",
            "page_end": "PDF page of its last character (differs from page when printed across a page break); null when not located.",
        },
        int32=("year", "page", "page_end"),
    ),
)

TABLE_SPECS: dict[str, TableSpec] = {spec.name: spec for spec in SPECS}
TABLES: tuple[str, ...] = tuple(TABLE_SPECS)
SCHEMAS: dict[str, pa.Schema] = {spec.name: spec.schema for spec in SPECS}
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {spec.name: spec.primary_key for spec in SPECS}


# --------------------------------------------------------------------------
# docs/SCHEMA.md
# --------------------------------------------------------------------------


def type_name(typ: pa.DataType) -> str:
    """Short Arrow type name for the docs: string, int32, list<double>, ..."""
    if pa.types.is_list(typ):
        return f"list<{type_name(typ.value_type)}>"
    return {"bool": "boolean"}.get(str(typ), str(typ))


def column_docs(table: str) -> list[tuple[str, str, bool, str]]:
    """(name, type name, nullable, description) of a table's columns."""
    return [(f.name, type_name(f.type), f.nullable, f.metadata[b"description"].decode()) for f in SCHEMAS[table]]


def schema_markdown() -> str:
    """The per-table column reference of docs/SCHEMA.md (generated from the descriptors)."""
    lines: list[str] = []
    for spec in SPECS:
        lines += [f"### {spec.name}", "", spec.intro, f"Primary key: `{', '.join(spec.primary_key)}`.", ""]
        lines += ["| column | type | nullable | meaning |", "|---|---|---|---|"]
        for name, typ, nullable, desc in column_docs(spec.name):
            lines.append(f"| `{name}` | {typ} | {'yes' if nullable else 'no'} | {desc} |")
        lines.append("")
    return "\n".join(lines)


SCHEMA_DOC_BEGIN = "<!-- BEGIN generated columns: python -m pipeline.store.tables > part; keep in sync -->"
SCHEMA_DOC_END = "<!-- END generated columns -->"


if __name__ == "__main__":  # print the generated part of docs/SCHEMA.md
    print(schema_markdown())
