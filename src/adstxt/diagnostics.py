"""Diagnostics: what the checker reports about a file, where, and how to fix it."""

from __future__ import annotations

import enum

import attrs

__all__ = ["Diagnostic", "Fix", "Severity"]


class Severity(str, enum.Enum):
    """How serious a diagnostic is. Compare with :attr:`rank`; ``max`` by rank is the worst."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """1 for info, 2 for warning, 3 for error."""
        return _RANKS[self]

    def __str__(self) -> str:
        return self.value


_RANKS = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@attrs.frozen
class Fix:
    """A text edit that resolves a diagnostic.

    The edit replaces the text from (``line``, ``column``) up to, but not including,
    (``end_line``, ``end_column``) with ``replacement``. Positions are 1-based and count
    characters of the decoded text, so a fix that deletes line 3 whole runs from (3, 1) to
    (4, 1). ``safe`` fixes never change what a consumer of the file understands; unsafe ones
    are a best guess that a person should review.
    """

    replacement: str
    safe: bool
    description: str
    line: int
    column: int
    end_line: int
    end_column: int


@attrs.frozen
class Diagnostic:
    """One finding: a rule ``code`` at a 1-based ``line`` and ``column``.

    ``end_column`` is exclusive, so ``end_column - column`` is the length of the offending
    text; a point diagnostic (for something missing) has ``end_column == column``.
    ``pointer`` is a JSON pointer (RFC 6901) to the offending value when the file is JSON,
    such as a sellers.json file.
    """

    code: str
    severity: Severity
    line: int
    column: int
    end_column: int
    message: str
    hint: str | None = None
    fix: Fix | None = None
    pointer: str | None = None

    @property
    def name(self) -> str:
        """The rule's kebab-case name, e.g. ``invalid-relationship``."""
        from adstxt.rules import RULES

        return RULES[self.code].name

    def sort_key(self) -> tuple[int, int, str]:
        """Position first, then code: the order in which reports list diagnostics."""
        return (self.line, self.column, self.code)
