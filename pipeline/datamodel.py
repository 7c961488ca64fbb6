"""Typed classes passed between stages and written as work-folder intermediates.

Every stage boundary is one of the top-level models here:

    parse    -> ``Layout``      (OUT/work/<doc_id>/layout.json)
    segment  -> ``Segmented``   (OUT/work/<doc_id>/segments.json)
    extract  -> ``Extracted``   (OUT/work/<doc_id>/extracted.json)
    write    -> Parquet tables  (OUT/<table>/)

Models are immutable (``frozen``); a stage derives new objects instead of
mutating the ones it was given. Geometry (page, bbox) is kept on every object
that has a place on a page. Field names of the row models (``DocumentRecord``,
``Section``, ``Paragraph``, ``Footnote``, ``Statistic``, ``Citation``,
``LegalReference``, ``Reference``) are the column names of the output tables
(see ``pipeline.store.tables`` for the Parquet schemas and README "Output tables").
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pipeline.types import (
    BBox,
    CitationStyle,
    Instrument,
    LineRole,
    PageNo,
    ParagraphKind,
    ProfileLevel,
    Qualifier,
    SectionKind,
    StatisticKind,
    Status,
)

SCHEMA_VERSION = "1.0"  # of the intermediates and the tables; bump on change


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------
# parse: page layout
# --------------------------------------------------------------------------


class Marker(Model):
    """A footnote marker (superscript digits, or digits glued to a word).

    ``offset`` is the character position in the owning line/block ``text``
    where the marker stood; the marker itself is *not* in ``text``.
    """

    number: int
    offset: int
    page: PageNo
    bbox: BBox | None = None


class Line(Model):
    page: PageNo
    text: str  # NFC, ligatures expanded, markers removed
    raw: str  # characters as read from the PDF, markers included
    bbox: BBox
    font: str
    size: float
    bold: bool = False
    italic: bool = False
    column: int = 0  # 0 = full width, 1.. = column index left to right
    role: LineRole = "body"
    markers: tuple[Marker, ...] = ()


class Block(Model):
    """Consecutive lines of one role and column with no paragraph gap.

    ``text`` joins the lines with a space, line-end hyphens joined where the
    hyphen was a break (``raw`` keeps them, joined by newlines).
    ``markers`` offsets refer to ``text``.
    """

    page: PageNo
    role: LineRole
    column: int
    bbox: BBox
    text: str
    raw: str
    font: str
    size: float
    bold: bool = False
    italic: bool = False
    markers: tuple[Marker, ...] = ()
    lines: tuple[Line, ...] = ()


class PageFootnote(Model):
    """A note printed at the foot of a page, as found by the parse stage."""

    number: int | None
    page: PageNo
    text: str
    bbox: BBox


class Page(Model):
    number: PageNo
    width: float
    height: float
    n_columns: int = 1
    has_text: bool = True
    blocks: tuple[Block, ...] = ()  # in reading order, furniture included
    footnotes: tuple[PageFootnote, ...] = ()


class DocumentMeta(Model):
    """What the cover / copyright page / text say about the document."""

    title: str | None = None
    profile_level: ProfileLevel | None = None
    country: str | None = None
    locality: str | None = None
    profile_year: int | None = None
    publication_year: int | None = None
    language: str | None = None  # ISO 639-1
    isbn: str | None = None


class Layout(Model):
    schema_version: str = SCHEMA_VERSION
    doc_id: str
    source_file: str
    sha256: str
    n_pages: int
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()
    # pages whose text could not be decoded (fonts without a Unicode mapping:
    # "(cid:NN)" / private-use glyphs); left empty, the document is "partial"
    undecodable_pages: tuple[int, ...] = ()
    # pages no reader could read (broken content stream, font or resources);
    # left empty, named in ``unreadable_reason``; the document is "partial"
    unreadable_pages: tuple[int, ...] = ()
    unreadable_reason: str | None = None  # "page 12 cannot be read: damaged font"
    error_detail: str | None = None  # the parsers' own exceptions, when the file was damaged


# --------------------------------------------------------------------------
# segment: document tree
# --------------------------------------------------------------------------


class DocumentFile(Model):
    """Which file a document row is about (the first columns of ``documents``)."""

    doc_id: str
    source_file: str
    sha256: str
    n_pages: int | None = None


class DocumentRecord(DocumentMeta, DocumentFile):
    """One row of the ``documents`` table: the file, its metadata, its status.

    Pydantic orders inherited fields by reversed MRO, so the fields (and the
    table's columns and the keys of ``status.json``) are ``DocumentFile``'s,
    then ``DocumentMeta``'s, then these; keep the base classes in this order.
    """

    status: Status = "ok"
    error: str | None = None
    pipeline_version: str | None = None
    config_hash: str | None = None
    error_detail: str | None = None  # the parser's own exception behind ``error`` (added last: columns are only appended)


class Section(Model):
    doc_id: str
    section_id: str  # "<doc_id>:s<n>"
    parent_id: str | None
    kind: SectionKind
    dimension: int | None
    heading: str
    page_start: PageNo
    page_end: PageNo
    order: int
    text: str  # body text governed, sub-sections included
    level: int = 1
    bbox: BBox | None = None  # of the heading on page_start


class PageBreak(Model):
    """From character ``offset`` of a paragraph's text on, it is on ``page``."""

    offset: int
    page: PageNo


class Paragraph(Model):
    doc_id: str
    paragraph_id: str  # "<doc_id>:p<n>"
    section_id: str | None
    order: int
    page_start: PageNo
    page_end: PageNo
    text: str
    kind: ParagraphKind = "body"
    bold: bool = False
    bbox: BBox | None = None  # of its first block on page_start
    markers: tuple[Marker, ...] = ()  # offsets into ``text``
    page_breaks: tuple[PageBreak, ...] = ()  # offsets where a new page starts


class Footnote(Model):
    doc_id: str
    footnote_id: str  # "<doc_id>:f<page>-<number>"
    number: int | None
    page: PageNo
    text: str
    paragraph_id: str | None = None
    section_id: str | None = None
    bbox: BBox | None = None
    page_end: PageNo | None = None  # last page of a note continued on the next page, else ``page`` (added last)


class TextLine(Model):
    """Characters ``offset`` .. ``offset + length`` of a text are printed on one line."""

    offset: int
    length: int
    page: PageNo
    bbox: BBox


class TextGeometry(Model):
    """Where the text of one paragraph or footnote (``owner_id``) is printed, line by line."""

    owner_id: str
    lines: tuple[TextLine, ...] = ()


class Segmented(Model):
    schema_version: str = SCHEMA_VERSION
    document: DocumentRecord
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    warnings: tuple[str, ...] = ()
    # the printed lines of every paragraph and footnote (for the boxes of spans)
    geometry: tuple[TextGeometry, ...] = ()


# --------------------------------------------------------------------------
# extract: facts
# --------------------------------------------------------------------------


class Statistic(Model):
    doc_id: str
    stat_id: str
    paragraph_id: str | None
    footnote_id: str | None = None
    section_id: str | None
    page: PageNo
    kind: StatisticKind
    raw: str
    value: float
    unit: str | None
    qualifier: Qualifier | None
    subject: str | None
    sentence: str
    char_start: int
    char_end: int
    value_high: float | None = None
    bbox: BBox | None = None  # union of the boxes of its characters on ``page`` (added last: columns are only appended)
    page_end: PageNo | None = None  # last page of a row printed across a page break, else ``page``


class Citation(Model):
    doc_id: str
    citation_id: str
    paragraph_id: str | None
    footnote_id: str | None
    section_id: str | None
    page: PageNo
    style: CitationStyle
    raw: str
    author: str | None
    year: int | None
    year_suffix: str | None
    reference_id: str | None
    char_start: int
    char_end: int
    title: str | None = None
    date: str | None = None
    bbox: BBox | None = None  # union of the boxes of its characters on ``page`` (added last: columns are only appended)
    page_end: PageNo | None = None  # last page of a row printed across a page break, else ``page``


class LegalReference(Model):
    doc_id: str
    legal_id: str
    paragraph_id: str | None
    footnote_id: str | None
    section_id: str | None
    page: PageNo
    instrument: Instrument
    number: str
    year: int | None
    raw: str
    char_start: int
    char_end: int
    bbox: BBox | None = None  # union of the boxes of its characters on ``page`` (added last: columns are only appended)
    page_end: PageNo | None = None  # last page of a row printed across a page break, else ``page``


class Reference(Model):
    doc_id: str
    reference_id: str
    author: str
    year: int | None
    year_suffix: str | None
    title: str
    note: str | None
    raw: str
    translation: str | None = None
    acronym: str | None = None  # of the author heading, e.g. "INE"
    page: PageNo | None = None
    bbox: BBox | None = None  # union of the boxes of its characters on ``page`` (added last: columns are only appended)
    page_end: PageNo | None = None  # last page of a row printed across a page break, else ``page``


class Extracted(Model):
    schema_version: str = SCHEMA_VERSION
    document: DocumentRecord
    footnotes: tuple[Footnote, ...] = ()  # with paragraph_id linked
    statistics: tuple[Statistic, ...] = ()
    citations: tuple[Citation, ...] = ()
    legal_references: tuple[LegalReference, ...] = ()
    references: tuple[Reference, ...] = ()
    warnings: tuple[str, ...] = Field(default=())
