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
    E101 = "{name}: file not found"
    E102 = "{name}: is a folder, not a PDF file"
    E103 = "{name}: unreadable ({detail})"
    E104 = "{name}: zero-byte file"
    E105 = "{name}: not a PDF (starts with {start!r})"
    E106 = "{name}: encrypted PDF (wrong password)"
    E107 = "{name}: encrypted PDF (password required)"
    E108 = "{name}: encrypted PDF (unsupported encryption: {detail})"
    E109 = "{name}: truncated or damaged PDF ({kind}: {detail})"
    E110 = "{name}: truncated or damaged PDF (no pages)"
    E111 = "{name}: no objects found"  # nothing to rebuild a cross-reference table from
    E112 = "{name}: {reasons}"  # no page with usable text; reasons: "no text layer ... on pages 1-3; ..."

    # E2xx work folder --------------------------------------------------------

    # E3xx output and database ------------------------------------------------

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


class DamagedPDFError(InputError):
    """Structural damage pdfminer cannot read past (E109, E110): the parse
    stage reads the file again with its cross-reference table rebuilt, and
    reports the first error as an ``InputError`` when that fails too."""


class IntermediateError(MGIError):
    """A work-folder intermediate is missing, corrupted or from another version."""


class ConfigError(MGIError):
    """A config file is missing or malformed."""


class GoldFormatError(MGIError):
    """A hand-labelled gold file is malformed (names the file and the field)."""


class OutputError(MGIError):
    """The output folder cannot be written (read-only, full, ...)."""
