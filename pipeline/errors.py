"""Documented error types. Anything else escaping a stage is a bug."""

from __future__ import annotations


class MGIError(Exception):
    """Base class: carries a one-line, user-facing reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

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
