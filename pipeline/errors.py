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

    # E1xx input files --------------------------------------------------------

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

    # E4xx gold and validation ------------------------------------------------

    # E5xx sample renderer ----------------------------------------------------


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

    @classmethod
    def of(cls, code: str, **context: Any) -> "MGIError":
        """The error for catalogue entry ``code``, its message filled from ``context``."""
        return cls(message(code, **context), code=code, context=context)

    def __str__(self) -> str:  # one line, always
        return " ".join(self.reason.split())


class InputError(MGIError):
    """The input file cannot be read as a PDF with text (zero-byte, not a PDF,
    truncated, encrypted, image-only, ...)."""


class IntermediateError(MGIError):
    """A work-folder intermediate is missing, corrupted or from another version."""


class ConfigError(MGIError):
    """A config file is missing or malformed."""


class GoldFormatError(MGIError):
    """A hand-labelled gold file is malformed (names the file and the field)."""


class OutputError(MGIError):
    """The output folder cannot be written (read-only, full, ...)."""


class QueryError(OutputError):
    """The SQL itself failed (syntax, unknown table, write on the read-only database)."""
