"""Canonical text for records and variables (:func:`adstxt.dumps`)."""

from __future__ import annotations

from collections.abc import Iterable

from adstxt.model import Record, Variable

__all__ = ["dumps", "record_line", "variable_line"]

_FORBIDDEN_IN_FIELD = frozenset(",;#\r\n")


def _check(value: str, what: str, forbidden: frozenset[str]) -> str:
    if not value or value != value.strip() or any(c in forbidden for c in value):
        raise ValueError(
            f"{what} {value!r} cannot be written to ads.txt: it must be non-empty, without "
            f"surrounding whitespace and without any of {sorted(forbidden)}"
        )
    return value


def record_line(record: Record) -> str:
    """``domain, account, RELATIONSHIP[, cert][;extension]``, validated to round-trip."""
    fields = [
        _check(record.domain, "domain", _FORBIDDEN_IN_FIELD | frozenset(" \t")),
        _check(record.account_id, "account ID", _FORBIDDEN_IN_FIELD),
        record.relationship.value,
    ]
    if record.certification_authority_id is not None:
        fields.append(
            _check(record.certification_authority_id, "certification ID", _FORBIDDEN_IN_FIELD)
        )
    line = ", ".join(fields)
    if record.extension is not None:
        line += ";" + _check(record.extension, "extension", frozenset("#\r\n"))
    return line


def variable_line(variable: Variable) -> str:
    """``NAME=value``, validated to round-trip."""
    name = _check(variable.name, "variable name", frozenset(" \t=,;#\r\n"))
    if name != name.upper() or not name[0].isalpha():
        raise ValueError(f"variable name {name!r} must be upper case and start with a letter")
    value = variable.value
    if value != value.strip() or any(c in "#\r\n" for c in value):
        raise ValueError(
            f"variable value {value!r} cannot be written to ads.txt: no surrounding whitespace, "
            "'#' or line breaks"
        )
    return f"{name}={value}"


def dumps(items: Iterable[Record | Variable]) -> str:
    """Write records and variables as ads.txt text, one per line, in the given order."""
    lines = []
    for item in items:
        if isinstance(item, Record):
            lines.append(record_line(item))
        elif isinstance(item, Variable):
            lines.append(variable_line(item))
        else:
            raise TypeError(f"expected Record or Variable, got {type(item).__name__}")
    return "".join(line + "\n" for line in lines)
