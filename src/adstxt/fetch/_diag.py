"""Fetch-level diagnostics: whole-response findings, reported at line 1 like file-level ones."""

from __future__ import annotations

from adstxt.diagnostics import Diagnostic
from adstxt.rules import RULES

__all__ = ["make"]


def make(code: str, message: str, hint: str | None = None) -> Diagnostic:
    """A diagnostic for ``code`` with the registry's default severity."""
    return Diagnostic(
        code=code,
        severity=RULES[code].severity,
        line=1,
        column=1,
        end_column=1,
        message=message,
        hint=hint,
    )
