"""The canonical text of one record or variable line, from its field values.

Below the model: :meth:`adstxt.Record.to_line` and :func:`adstxt.dumps` both write
through here, and a value that would not read back the same is refused.
"""

from __future__ import annotations

__all__ = ["record_text", "variable_text"]

_FORBIDDEN_IN_FIELD = frozenset(",;#\r\n")


def _check(value: str, what: str, forbidden: frozenset[str]) -> str:
    if not value or value != value.strip() or any(c in forbidden for c in value):
        raise ValueError(
            f"{what} {value!r} cannot be written to ads.txt: it must be non-empty, without "
            f"surrounding whitespace and without any of {sorted(forbidden)}"
        )
    return value


def record_text(
    domain: str, account_id: str, relationship: str, cert: str | None, extension: str | None
) -> str:
    """``domain, account, RELATIONSHIP[, cert][;extension]``, validated to round-trip."""
    fields = [
        _check(domain, "domain", _FORBIDDEN_IN_FIELD | frozenset(" \t")),
        _check(account_id, "account ID", _FORBIDDEN_IN_FIELD),
        relationship,
    ]
    if cert is not None:
        fields.append(_check(cert, "certification ID", _FORBIDDEN_IN_FIELD))
    line = ", ".join(fields)
    if extension is not None:
        line += ";" + _check(extension, "extension", frozenset("#\r\n"))
    return line


def variable_text(name: str, value: str) -> str:
    """``NAME=value``, validated to round-trip."""
    name = _check(name, "variable name", frozenset(" \t=,;#\r\n"))
    if name != name.upper() or not name[0].isalpha():
        raise ValueError(f"variable name {name!r} must be upper case and start with a letter")
    if value != value.strip() or any(c in "#\r\n" for c in value):
        raise ValueError(
            f"variable value {value!r} cannot be written to ads.txt: no surrounding whitespace, "
            "'#' or line breaks"
        )
    return f"{name}={value}"
