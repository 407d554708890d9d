"""A unified diff of two stored bodies' text, for ``adstxt diff --text``.

Each body is decoded as the checker decodes it (:class:`adstxt._text.Text`: UTF-8, UTF-16
or UTF-32 by byte-order mark, undecodable bytes kept), so the lines and their numbers are
the ones that findings and change events name. Line endings are not compared: a file
re-saved with CRLF shows no difference.
"""

from __future__ import annotations

import datetime as dt
import difflib

from adstxt._text import Text

__all__ = ["text_diff", "version_label"]


def version_label(version: str, at: dt.datetime | None) -> str:
    """``version 3 (2026-12-01T10:00:00Z)``: a side of the diff, named by version and time."""
    if at is None:
        return f"version {version}"
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC)
    return f"version {version} ({at.strftime('%Y-%m-%dT%H:%M:%SZ')})"


def _lines(body: bytes | None) -> list[str]:
    if body is None:
        return []
    text = Text.from_bytes(body)
    # Lone surrogates stand for bytes that were not UTF-8; show them as the checker names
    # an unknown character, so the diff can be printed.
    return [line.encode("utf-8", "backslashreplace").decode("utf-8") for line in text.lines]


def text_diff(
    old: bytes | None,
    new: bytes | None,
    *,
    old_label: str,
    new_label: str,
    context: int = 3,
) -> str:
    """The unified diff from body ``old`` to body ``new`` (None: no copy), "" when equal.

    >>> print(text_diff(b"a.com, 1, DIRECT\\n", b"a.com, 1, RESELLER\\n",
    ...                 old_label="version 1", new_label="version 2"), end="")
    --- version 1
    +++ version 2
    @@ -1 +1 @@
    -a.com, 1, DIRECT
    +a.com, 1, RESELLER
    """
    lines = difflib.unified_diff(
        _lines(old), _lines(new), fromfile=old_label, tofile=new_label, n=context, lineterm=""
    )
    return "".join(f"{line}\n" for line in lines)
