"""The exception raised by the fail-fast API (:func:`adstxt.loads` and friends)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adstxt.diagnostics import Diagnostic

__all__ = ["AdsTxtError"]


class AdsTxtError(ValueError):
    """Raised for the first error-severity problem in a file or line.

    ``diagnostic`` is the full :class:`~adstxt.Diagnostic`; ``lineno`` and ``colno`` repeat
    its 1-based position for callers that treat this like :class:`json.JSONDecodeError`.
    """

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        self.lineno = diagnostic.line
        self.colno = diagnostic.column
        text = (
            f"{diagnostic.code} {diagnostic.message} (at line {self.lineno}, column {self.colno})"
        )
        if diagnostic.hint:
            text += f"; {diagnostic.hint}"
        super().__init__(text)
