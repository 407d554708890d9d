"""Diagnostics: what the checker reports about a file, where, and how to fix it."""

from __future__ import annotations

import enum
import operator
from collections.abc import Iterable
from typing import Final

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

    # A severity equals its value ("error"), so it hashes as its value too: Enum's own
    # hash (of the member's name) broke that rule, and ran in Python for every finding
    # counted.
    __hash__ = str.__hash__


_RANKS = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}

#: Each rule's name by its code. The rule registry, :mod:`adstxt.rules`, is built on this
#: module (a rule has a :class:`Severity`), so it fills this table in as it is imported,
#: which ``import adstxt`` always does first.
RULE_NAMES: dict[str, str] = {}


class _FixSlots:
    """The storage of :class:`Fix`; see :func:`fast_positional_fix`."""

    __slots__ = (
        "__weakref__",
        "column",
        "description",
        "end_column",
        "end_line",
        "line",
        "replacement",
        "safe",
    )
    replacement: str
    safe: bool
    description: str
    line: int
    column: int
    end_line: int
    end_column: int


class _FixBuilder(_FixSlots):
    """A mutable :class:`Fix` under construction, of the very same layout."""

    __slots__ = ()


@attrs.frozen
class Fix(_FixSlots):
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


def fix_replacing_character(
    line: int, column: int, replacement: str, *, safe: bool, description: str
) -> Fix:
    """A fix that replaces the one character at (``line``, ``column``)."""
    return Fix(
        replacement=replacement,
        safe=safe,
        description=description,
        line=line,
        column=column,
        end_line=line,
        end_column=column + 1,
    )


class _DiagnosticSlots:
    """The storage of :class:`Diagnostic`; see :func:`fast_positional_diagnostic`."""

    __slots__ = (
        "__weakref__",
        "code",
        "column",
        "end_column",
        "fix",
        "hint",
        "line",
        "message",
        "pointer",
        "severity",
    )
    code: str
    severity: Severity
    line: int
    column: int
    end_column: int
    message: str
    hint: str | None
    fix: Fix | None
    pointer: str | None


class _DiagnosticBuilder(_DiagnosticSlots):
    """A mutable :class:`Diagnostic` under construction, of the very same layout."""

    __slots__ = ()


@attrs.frozen
class Diagnostic(_DiagnosticSlots):
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
        return RULE_NAMES[self.code]

    def sort_key(self) -> tuple[int, int, str]:
        """Position first, then code: the order in which reports list diagnostics."""
        return (self.line, self.column, self.code)


#: :meth:`Diagnostic.sort_key` as one C call per diagnostic, for the sorts of the check's
#: own hot path (a large file has tens of thousands of findings to sort).
REPORT_ORDER: Final = operator.attrgetter("line", "column", "code")


def count_by_code(diagnostics: Iterable[Diagnostic], counts: dict[str, int]) -> int:
    """Add ``diagnostics`` to ``counts`` (how many there are of each code); returns how
    many of them are errors."""
    errors = 0
    for diagnostic in diagnostics:
        counts[diagnostic.code] = counts.get(diagnostic.code, 0) + 1
        errors += diagnostic.severity is Severity.ERROR
    return errors


# The checker builds tens of thousands of diagnostics on a large file. The attrs __init__ of
# a frozen class sets each field through ``object.__setattr__``; filling a mutable object of
# the same layout with plain stores and then giving it its final class builds the very same
# instance (same class, fields, equality, hash and repr) in well under half the time. The
# slots live in a shared base class because CPython allows the class change only between
# classes that differ in no slot. The two constructors below take their arguments by
# position, in field order, because they sit on the engine's hot path; everywhere else,
# build Fix and Diagnostic with keywords.


#: The fields :func:`fast_positional_fix` takes, in order (the C builders fill the same
#: slots).
_FIX_ARGUMENTS = ("replacement", "safe", "description", "line", "column", "end_line", "end_column")
#: The fields of a :class:`Diagnostic` in order: :func:`fast_positional_diagnostic` takes
#: the first :data:`_DIAGNOSTIC_REQUIRED` and may take the next two; the rest are None.
_DIAGNOSTIC_ARGUMENTS = (
    "code",
    "severity",
    "line",
    "column",
    "end_column",
    "message",
    "hint",
    "fix",
    "pointer",
)
_DIAGNOSTIC_REQUIRED = 6


def fast_positional_fix(
    replacement: str,
    safe: bool,
    description: str,
    line: int,
    column: int,
    end_line: int,
    end_column: int,
) -> Fix:
    """``Fix(...)`` with the fields by position, built quickly (see above)."""
    fix = _FixBuilder.__new__(_FixBuilder)
    fix.replacement = replacement
    fix.safe = safe
    fix.description = description
    fix.line = line
    fix.column = column
    fix.end_line = end_line
    fix.end_column = end_column
    fix.__class__ = Fix  # type: ignore[assignment]
    return fix  # type: ignore[return-value]


def fast_positional_diagnostic(
    code: str,
    severity: Severity,
    line: int,
    column: int,
    end_column: int,
    message: str,
    hint: str | None = None,
    fix: Fix | None = None,
) -> Diagnostic:
    """``Diagnostic(...)`` with the fields by position and no pointer, built quickly (see above)."""
    diagnostic = _DiagnosticBuilder.__new__(_DiagnosticBuilder)
    diagnostic.code = code
    diagnostic.severity = severity
    diagnostic.line = line
    diagnostic.column = column
    diagnostic.end_column = end_column
    diagnostic.message = message
    diagnostic.hint = hint
    diagnostic.fix = fix
    diagnostic.pointer = None
    diagnostic.__class__ = Diagnostic  # type: ignore[assignment]
    return diagnostic  # type: ignore[return-value]
