"""Canonical text for records and variables (:func:`adstxt.dumps`)."""

from __future__ import annotations

from collections.abc import Iterable

from adstxt._linetext import variable_text
from adstxt.model import Record, Variable

__all__ = ["dumps"]


def dumps(items: Iterable[Record | Variable]) -> str:
    """Write records and variables as ads.txt text, one per line, in the given order."""
    lines = []
    for item in items:
        if isinstance(item, Record):
            lines.append(item.to_line())
        elif isinstance(item, Variable):
            lines.append(variable_text(item.name, item.value))
        else:
            raise TypeError(f"expected Record or Variable, got {type(item).__name__}")
    return "".join(line + "\n" for line in lines)
