"""What a body holds and what its check found, kept as compact JSON.

A body's records and diagnostics are one row of ``body_parsed`` (two JSON arrays), written
once when the body is first stored. A body is stored once whatever the site serving it,
but some of its findings depend on the site (an OWNERDOMAIN or SUBDOMAIN value is checked
against it), so the findings of each file's current copy are also kept in its ``files``
row: a 304 then reports the copy as it was checked, without parsing it again.
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any, Final, TypeGuard

import attrs

from adstxt.diagnostics import Diagnostic, Severity, _DiagnosticBuilder, count_by_code
from adstxt.model import Record, Variable

__all__ = [
    "BODY_FINDINGS",
    "DAMAGED",
    "Damaged",
    "Tally",
    "compact_json",
    "decode_findings",
    "decode_tally",
    "encode_findings",
    "encode_records",
    "encode_tally",
    "record_rows",
    "tally_findings",
    "variable_rows",
]


def compact_json(value: object) -> str:
    """``value`` as JSON without spaces, non-ASCII text as it is: how the store keeps
    what a body holds and what its check found."""
    return _COMPACT.encode(value)


#: The encoder of :func:`compact_json`, made once (``json.dumps`` with options makes one per
#: call).
_COMPACT: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


#: One record as ``body_parsed.records`` holds it: line, ad system, seller ID,
#: relationship, certification ID, extension.
RecordRow = tuple[int, str, str, str, "str | None", "str | None"]


#: What a ``files`` row holds in ``findings`` when the file's findings are its body's own
#: diagnostics (``body_parsed.diagnostics``): the findings are then kept once, with the body.
#: Not NULL, which says that no findings were kept (a copy stored before version 4), nor
#: JSON: an adstxt from before this reads it as findings it cannot trust, and parses the
#: copy again.
BODY_FINDINGS: Final = ""

#: The fields of a record in ``body_parsed.records``, and of a finding in the findings
#: text, in order.
_RECORD_FIELDS = (
    "line",
    "domain",
    "account_id",
    "relationship",
    "certification_authority_id",
    "extension",
)
_FINDING_FIELDS = ("line", "column", "end_column", "code", "severity", "message", "hint")
_RowWriter = Callable[[Sequence[Any]], str]


@functools.cache
def _writers() -> tuple[_RowWriter | None, _RowWriter | None]:
    """The writers of records and of findings: the same JSON written in C from the
    objects' slots, with the compiled checker (a crawl writes every new body's records and
    findings, and json's encoder spends most of its time on the lists it is given: a third
    of what storing a new body cost); None each otherwise.

    Asked at the first write, not on import: choosing the checker loads it, which a crawl
    that only confirms copies it holds never needs."""
    from adstxt._engine_choice import row_writer

    return row_writer(Record, _RECORD_FIELDS), row_writer(Diagnostic, _FINDING_FIELDS)


#: What the C writer raises on a value it does not write the way json does.
_UNWRITTEN = (TypeError, ValueError, OverflowError, AttributeError)


def encode_records(records: Sequence[Record]) -> str:
    """``[[line, ad_system, seller_id, relationship, certification_id, extension], ...]``
    as JSON, in line order."""
    write = _writers()[0]
    if write is not None:
        try:
            return write(records)
        except _UNWRITTEN:
            pass
    return compact_json(
        [
            # ``_value_``: the plain attribute behind ``.value`` (a descriptor call otherwise)
            [
                r.line,
                r.domain,
                r.account_id,
                r.relationship._value_,
                r.certification_authority_id,
                r.extension,
            ]
            for r in records
        ]
    )


def record_rows(stored: object) -> list[RecordRow] | None:
    """The records :func:`encode_records` wrote (the text, or the list PostgreSQL's driver
    decodes it to); None when they are not such a list."""
    try:
        rows = json.loads(stored) if isinstance(stored, str) else stored
        if not isinstance(rows, list):
            return None
        found: list[RecordRow] = []
        for line, system, seller, kind, certification, extension in rows:
            if not all(isinstance(v, str) for v in (system, seller, kind)) or not all(
                v is None or isinstance(v, str) for v in (certification, extension)
            ):
                return None
            found.append((int(line), system, seller, kind, certification, extension))
    except (ValueError, TypeError):
        return None
    return found


def encode_findings(diagnostics: Sequence[Diagnostic]) -> str:
    """``[[line, column, end_column, code, severity, message, hint], ...]`` as JSON."""
    write = _writers()[1]
    if write is not None:
        try:
            return write(diagnostics)
        except _UNWRITTEN:
            pass
    return compact_json(
        [
            [d.line, d.column, d.end_column, d.code, d.severity._value_, d.message, d.hint]
            for d in diagnostics
        ]
    )


def decode_findings(text: str | bytes | None) -> tuple[Diagnostic, ...] | None:
    """The findings :func:`encode_findings` wrote; None when there are none to trust."""
    if text is None:
        return None
    try:
        rows = json.loads(text)
        # Anything but a list is no list of findings ('{}' would iterate as none).
        return _diagnostics(rows) if isinstance(rows, list) else None
    except (ValueError, TypeError):
        return None


def _diagnostics(rows: Iterable[Sequence[object]]) -> tuple[Diagnostic, ...] | None:
    """The diagnostics of ``[line, column, end_column, code, severity, message, hint]``
    rows; None when a row is not one. A 304 reads these back for every site: each is built
    as :func:`adstxt.diagnostics.fast_positional_diagnostic` builds one, without a call per
    row, each value's type checked as JSON gives it."""
    found: list[Diagnostic] = []
    append = found.append
    builder = _DiagnosticBuilder
    final = Diagnostic
    severities = _SEVERITIES
    for row in rows:
        if not _is_finding(row):
            return None
        line, column, end_column, code, severity, message, hint = row
        diagnostic = builder()
        diagnostic.code = code
        diagnostic.severity = severities[severity]
        diagnostic.line = line
        diagnostic.column = column
        diagnostic.end_column = end_column
        diagnostic.message = message
        diagnostic.hint = hint
        diagnostic.fix = None
        diagnostic.pointer = None
        diagnostic.__class__ = final  # type: ignore[assignment]
        append(diagnostic)  # type: ignore[arg-type]
    return tuple(found)


@attrs.frozen
class Tally:
    """A file's findings for its site counted (``codes``: how many of each; ``errors``: how
    many are errors), and its variables when they are not those kept with its body (None
    when they are, or are not known)."""

    codes: dict[str, int]
    errors: int
    variables: tuple[Variable, ...] | None = None


class Damaged(enum.Enum):
    """Says that counts were kept for the copy but cannot be read."""

    DAMAGED = "damaged"


DAMAGED: Final = Damaged.DAMAGED


def encode_tally(
    fetch_id: int, diagnostics: Iterable[Diagnostic], variables: Iterable[Variable] | None = None
) -> str:
    """What ``files.tally`` keeps of the copy that fetch ``fetch_id`` served: ``[fetch_id,
    errors, {code: count, ...}, variables]`` as JSON, the codes in order; ``variables`` (the
    file's own, as ``[line, name, value]`` rows) only when they differ from those kept with
    the body, else null. The fetch ties the counts to the copy they were made for: every new
    copy of the file is another fetch."""
    counts: dict[str, int] = {}
    errors = count_by_code(diagnostics, counts)
    rows = None if variables is None else [[v.line, v.name, v.value] for v in variables]
    return compact_json([fetch_id, errors, dict(sorted(counts.items())), rows])


def decode_tally(text: str | None, fetch_id: int) -> Tally | Damaged | None:
    """The :class:`Tally` :func:`encode_tally` wrote for the copy that fetch ``fetch_id``
    served. None when none was kept for it: none at all (a copy stored before version 7),
    or counts made for an earlier copy (an adstxt from before version 7 stored this one
    without counting it). :data:`DAMAGED` when what was kept is not counts."""
    if not text:
        return None
    try:
        kept_for, errors, counts, rows = json.loads(text)
    except (ValueError, TypeError):
        return DAMAGED
    if type(kept_for) is not int:
        return DAMAGED
    if kept_for != fetch_id:
        return None
    if type(errors) is not int or not isinstance(counts, dict):
        return DAMAGED
    if not all(type(n) is int and n > 0 for n in counts.values()):
        return DAMAGED
    if not 0 <= errors <= sum(counts.values()):
        return DAMAGED
    if rows is None:
        return Tally(counts, errors)
    variables = variable_rows(rows)
    return DAMAGED if variables is None else Tally(counts, errors, variables)


def variable_rows(rows: object) -> tuple[Variable, ...] | None:
    """``[[line, name, value], ...]`` as variables in line order; None when it is not that."""
    if not isinstance(rows, list | tuple):
        return None
    found = []
    for row in rows:
        if not (isinstance(row, list | tuple) and len(row) == 3):
            return None
        line, name, value = row
        if type(line) is not int or not isinstance(name, str) or not isinstance(value, str):
            return None
        found.append(Variable(name, value, line))
    found.sort(key=attrgetter("line"))  # SQLite promises no order to an aggregate's input
    return tuple(found)


def tally_findings(text: str | bytes | None) -> Tally | None:
    """The findings :func:`encode_findings` wrote, counted (a :class:`Tally` without
    variables) rather than built; None whenever :func:`decode_findings` gives None."""
    if text is None:
        return None
    try:
        rows = json.loads(text)
        if not isinstance(rows, list):
            return None
        counts: dict[str, int] = {}
        errors = 0
        for row in rows:
            if not _is_finding(row):
                return None
            code = row[3]
            counts[code] = counts.get(code, 0) + 1
            errors += row[4] == _ERROR
    except (ValueError, TypeError):
        return None
    return Tally(counts, errors)


#: One finding as the findings text holds it (a JSON array, read as a list): line, column,
#: end column, code, severity, message, hint.
_FindingRow = tuple[int, int, int, str, str, str, "str | None"]


def _is_finding(row: Sequence[object]) -> TypeGuard[_FindingRow]:
    """Whether one row of the findings text is a finding, each value of the type JSON
    gives it. (A row of another length, or no sequence at all, raises ValueError or
    TypeError: the findings are then not read.)"""
    line, column, end_column, code, severity, message, hint = row
    return (
        type(line) is int
        and type(column) is int
        and type(end_column) is int
        and type(code) is str
        and type(message) is str
        and (hint is None or type(hint) is str)
        and severity in _SEVERITIES
    )


#: The severities by their text.
_SEVERITIES: dict[object, Severity] = {s.value: s for s in Severity}
_ERROR: Final = Severity.ERROR.value
