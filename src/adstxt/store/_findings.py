"""The findings of a file's current copy, kept beside it as compact JSON.

A body is stored once whatever the site serving it, but some of its findings depend on the
site (an OWNERDOMAIN or SUBDOMAIN value is checked against it), so the findings of each
file's current copy are kept in its ``files`` row: a 304 then reports the copy as it was
checked, without parsing it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from adstxt.diagnostics import Diagnostic, Severity

__all__ = ["decode_findings", "encode_findings"]


def encode_findings(diagnostics: Iterable[Diagnostic]) -> str:
    """``[[line, column, end_column, code, severity, message, hint], ...]`` as JSON."""
    return json.dumps(
        [
            [d.line, d.column, d.end_column, d.code, d.severity.value, d.message, d.hint]
            for d in diagnostics
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_findings(text: str | None) -> tuple[Diagnostic, ...] | None:
    """The findings :func:`encode_findings` wrote; None when there are none to trust."""
    if text is None:
        return None
    try:
        rows: Sequence[Sequence[object]] = json.loads(text)
        return tuple(
            Diagnostic(
                code=str(code),
                severity=Severity(severity),
                line=int(line),  # type: ignore[call-overload]
                column=int(column),  # type: ignore[call-overload]
                end_column=int(end),  # type: ignore[call-overload]
                message=str(message),
                hint=None if hint is None else str(hint),
            )
            for line, column, end, code, severity, message, hint in rows
        )
    except (ValueError, TypeError):
        return None
