"""Every error the pipeline raises on purpose, with a stable code.

As in spaCy, each message is a template with a code in the catalogue
:class:`Errors`; an error is raised with its context::

    raise InputError.of("E101", path=path)

The code stays the same when the wording changes, so scripts and issue
reports can rely on it (``err.code``); the message (``str(err)``) is one line
for people and is what the ``documents`` table and the console show. Anything
else escaping a stage is a bug.

Codes by area: E0xx configuration, E1xx input files (parse), E2xx work
folder, E3xx output and database, E4xx gold and validation, E5xx the sample
renderer (a development tool; its errors live here too).
"""

from __future__ import annotations

from typing import Any


class Errors:
    """Message templates by code (``str.format`` fields are the context)."""

    # E0xx configuration ------------------------------------------------------
    # extract stage: statistics, legal references (E04x)
    E040 = "none of the statistical models {models} is installed"
    E041 = "unknown legal instrument kind {instrument!r} in configs/legal"
    E042 = "configs/legal: no instrument words configured"

    # E1xx input files --------------------------------------------------------
    E101 = "{name}: file not found"
    E102 = "{name}: is a folder, not a PDF file"
    E103 = "{name}: unreadable ({detail})"
    E104 = "{name}: zero-byte file"
    E105 = "{name}: not a PDF (starts with {start!r})"
    E106 = "{name}: encrypted PDF (wrong password)"
    E107 = "{name}: encrypted PDF (password required)"
    E108 = "{name}: encrypted PDF (unsupported encryption: {detail})"
    # damaged files: the words say what is wrong; the parsers' own exceptions
    # go to ``error_detail`` (the documents column of that name)
    E109 = "{name}: the file is damaged and no page can be read"
    E110 = "{name}: the file is damaged: it has no pages"
    E111 = "{name}: no objects found"  # nothing to rebuild a cross-reference table from
    E112 = "{name}: {reasons}"  # no page with usable text; reasons: "no text layer ... on pages 1-3; ..."
    E113 = "{name}: the file is cut short and no page can be read"
    E114 = "took longer than {seconds:g} s"  # the page time budget (PageTimeout), in error_detail

    # E2xx work folder --------------------------------------------------------
    E201 = "{path}: missing (run the previous stage first)"
    E202 = "{path}: unreadable ({reason})"
    E203 = "{path}: not a pipeline intermediate"
    E204 = "{path}: truncated"
    E205 = "{path}: checksum mismatch (corrupted)"
    E206 = "{path}: schema mismatch at {loc}: {msg}"

    # E3xx output and database ------------------------------------------------
    E301 = "output folder {out} is not writable ({reason})"
    E302 = "table {table}: column {column} is null in a row of {doc_id}"
    E303 = "table {table}: cannot build ({reason})"
    E304 = "table {table}: duplicate id {key}"
    E305 = "cannot write {path}: {reason}"
    E306 = "no DuckDB type for Arrow type {arrow_type}"
    E307 = "{folder}: no Parquet files (run `mgi run` first)"
    E308 = "cannot build {path}: {reason}"
    E309 = "{path} not found (run `mgi db build {out}` first)"
    E310 = "cannot open {path}: {reason}"
    E311 = "query failed: {reason}"
    # PostgreSQL (`mgi db load`); {where} is "host H port P database D", never a password
    E312 = "no database given: pass --url postgresql://user@host:port/dbname or set MGI_DATABASE_URL"
    E313 = "invalid database URL ({reason})"
    E314 = "cannot connect to PostgreSQL at {where}: {reason}"
    E315 = "PostgreSQL at {where}: {reason}"
    E316 = ("schema {schema} at {where} holds tables of schema version {found}, newer than this "
            "mgi-pipeline's {ours}: upgrade mgi-pipeline (pip install -U mgi-pipeline) or load into another --schema")
    E317 = ("schema {schema} at {where}: column {table}.{column} is {found} on the server, {expected} expected; "
            "drop it (psql \"{url}\" -c 'DROP SCHEMA {schema} CASCADE') and run `mgi db load` again")
    E318 = "no PostgreSQL type for Arrow type {arrow_type}"
    E319 = "{doc_id}: not loaded, its old rows kept ({reason})"
    E320 = "cannot read {path}: {reason}"

    # E4xx gold and validation ------------------------------------------------
    # scoring: reading the output and gold folders, matching documents
    E401 = "the output has no documents table"
    E402 = "{gold}: no document in the output comes from a PDF named {stem!r}.pdf{more}"
    E403 = "{out}: output folder not found (run `mgi run ... --out {out}` first)"
    E404 = "{path}: unreadable Parquet ({kind}: {detail})"
    E405 = "{out}: no documents table (expected {expected}/*.parquet)"
    E406 = "{folder}: gold folder not found"
    E407 = "{folder}: no gold files (*.json) found"
    E408 = "{path}: a checked skeleton; rename it to {name}.json to use it as gold"
    # gold files and skeletons
    E420 = "{name}: expected a JSON object at the top level"
    E421 = "{name}: {where}{msg}{more}"
    E422 = '{name}: {count} items not yet checked (first: {first}); verify each and set "checked": true (or drop the key)'
    E423 = "{path}: gold file not found"
    E424 = "{path}: unreadable ({kind}: {detail})"
    E425 = "{path}: invalid JSON at line {line} column {column}: {msg}"
    E426 = "{target}: already exists; remove it or choose another --dest (never overwritten)"
    E427 = "{pdf}: no such file"
    E428 = "{reason}"  # the batch run's own error for the PDF, or "the pipeline did not finish"
    E429 = "{target}: cannot write ({reason})"

    # E5xx sample renderer ----------------------------------------------------
    # sources, fonts, blocks, page size and the re-flow loop
    E501 = "{path}: file not found"
    E502 = "{path}: malformed YAML{where} ({problem})"
    E503 = "{path}: expected a mapping at the top level"
    E504 = "{path}: not a design file (no 'output' key)"
    E505 = "{path}: content has no 'blocks' list"
    E506 = "{path}: block {index} is not a mapping"
    E507 = "DejaVu fonts missing in {font_dir} ({missing}); install Debian fonts-dejavu-core or set MGI_FONT_DIR"
    E508 = "{path}: block {index} has no known type ({keys})"
    E509 = "unknown page_size {page_size!r} (use A4 or Letter)"
    E510 = "{path}: layout failed ({detail})"
    E511 = "{path}: layout did not settle after {passes} passes"
    # editions
    E520 = "{where}: expected a mapping"
    E521 = "{where}: rewrite rule {index} must be a [pattern, replacement] pair"
    E522 = "{where}: rewrite rule {index} is not a valid pattern ({reason})"
    E523 = "{where}: unknown key(s) {keys}"
    E524 = "{where}: no heading with id {ids}"
    # design variants: inserts, furniture, notes, side-heads, styles
    E530 = "design 'inserts': a figure needs 'bars'"
    E531 = "design 'inserts': each insert needs a 'figure' or a 'pull_quote'"
    E532 = "design 'inserts': paragraph {start!r} has no line {line} to continue after the figure"
    E533 = "furniture.folio {folio!r} unknown (use {known})"
    E534 = "furniture.header_pages {pages!r} unknown (use {known})"
    E535 = "furniture.header_align {align!r} unknown (use {known})"
    E536 = "{where}: footnote marker {marker} has no note text"
    E537 = "side-head {start!r} must be followed by a paragraph"
    E538 = "DejaVu fonts missing in {font_dir} ({missing}); install Debian fonts-dejavu-core"
    E539 = "unknown body_font {font!r} (use Serif or Sans)"
    E540 = "unknown body_align {align!r} (use justify or left)"
    E541 = "design 'styles': no style named {name!r} (known: {known})"
    E542 = "design 'styles': style {name!r} has no attribute {key!r}"
    E543 = "unknown ks_author_case {case!r} (use as_is or upper)"


def message(code: str, **context: Any) -> str:
    """The catalogue's template for ``code`` filled with ``context``."""
    try:
        template = getattr(Errors, code)
    except AttributeError:
        raise KeyError(f"unknown error code {code!r}") from None
    return template.format(**context)


class MGIError(Exception):
    """Base class: carries a one-line, user-facing reason and, when raised from
    the catalogue, its code and context."""

    def __init__(self, reason: str, *, code: str | None = None, context: dict[str, Any] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.context = dict(context or {})

    @property
    def error_detail(self) -> str | None:
        """The underlying parser's own exception, one line (context key
        ``error_detail``), for the ``documents.error_detail`` column."""
        value = self.context.get("error_detail")
        return " ".join(str(value).split()) if value else None

    @classmethod
    def of(cls, code: str, **context: Any) -> "MGIError":
        """The error for catalogue entry ``code``, its message filled from ``context``."""
        return cls(message(code, **context), code=code, context=context)

    def __str__(self) -> str:  # one line, always
        return " ".join(self.reason.split())


class InputError(MGIError):
    """The input file cannot be read as a PDF with text (zero-byte, not a PDF,
    truncated, encrypted, image-only, ...)."""


class DamagedPDFError(InputError):
    """Structural damage pdfminer cannot read past (E109, E110, E113): the
    parse stage tries to recover the file (a rebuilt cross-reference table,
    PDFium) and raises this only when no page can be read."""


class IntermediateError(MGIError):
    """A work-folder intermediate is missing, corrupted or from another version."""


class ConfigError(MGIError):
    """A config file is missing or malformed."""


class GoldFormatError(MGIError):
    """A hand-labelled gold file is malformed (names the file and the field)."""


class ValidationInputError(MGIError):
    """The output folder or gold folder cannot be scored (missing, empty, unmatched)."""


class RenderError(MGIError):
    """A sample source cannot be rendered (missing fonts, malformed YAML, ...)."""


class OutputError(MGIError):
    """The output folder cannot be written (read-only, full, ...)."""


class QueryError(OutputError):
    """The SQL itself failed (syntax, unknown table, write on the read-only database)."""


class PageTimeout(BaseException):
    """The parse stage's page time budget ran out (E114). A ``BaseException``,
    so that pdfminer's own ``except Exception`` around damaged objects does
    not swallow it; ``pipeline.parse.recovery`` turns it into a page (or file)
    read by PDFium, or named as unreadable."""
