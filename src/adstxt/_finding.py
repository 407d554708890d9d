"""A problem found inside one piece of text, before the engine places it in the file."""

from __future__ import annotations

from typing import NamedTuple

from adstxt.diagnostics import Severity

__all__ = ["Finding"]


class Finding(NamedTuple):
    """A problem inside one piece of text, with a position relative to that text.

    The field checks (``_domains``, ``_fields``, ``_variables``) see one field at a time
    and return these; the engine turns each into a :class:`~adstxt.Diagnostic` by adding
    the line and the field's offset in it. ``replacement``, when set, is a fix of the span
    ``start:end``.
    """

    code: str
    message: str
    hint: str | None = None
    start: int = 0
    end: int = 0
    replacement: str | None = None
    safe: bool = False
    fix_description: str | None = None
    #: Set when this finding's evidence calls for another severity than the rule's default.
    severity: Severity | None = None
