"""Recognising bodies that are not ads.txt files at all."""

from __future__ import annotations

import json
import re
from typing import Final

__all__ = ["sniff"]

# An HTML tag at the start of a line (no ads.txt line starts with '<'): callers pass the
# content without comments, so a line such as '<div style="color: #000">' is cut at '#'.
_HTML_START: Final = re.compile(
    r"^[ \t]*<(?:!doctype\s+html|html|head|body|meta|title|script|style|div|p|br|table|iframe"
    r"|!--)[\s>/]",
    re.IGNORECASE | re.MULTILINE,
)
_HTML_ANYWHERE: Final = re.compile(
    r"<(?:!doctype\s+html|html|head|body)[\s>]|</(?:html|body|div|p|span|script)>", re.IGNORECASE
)
_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sniff(head: str) -> str | None:
    """Name what ``head`` (the start of a decoded file's content) looks like, if not ads.txt.

    ``head`` is what consumers read: the file's lines without their comments. Returns a
    short noun phrase such as ``"an HTML page"``, or None when the start is plausible for
    an ads.txt file. Prose is recognised later, from whole-file counts.
    """
    start = head.lstrip(" \t\r\n\ufeff")
    if not start:
        return None
    lowered = start[:512].lower()
    if lowered.startswith("{\\rtf"):
        return "an RTF (rich text) document"
    if lowered.startswith("%pdf-"):
        return "a PDF document"
    if lowered.startswith("<?xml"):
        return "an HTML page" if _HTML_ANYWHERE.search(head) else "an XML document"
    if _HTML_START.search(start) or _HTML_ANYWHERE.search(head):
        return "an HTML page"
    if start[0] in "{[":
        try:
            json.loads(head)
        except RecursionError:
            # Nesting deeper than the interpreter's stack is not an ads.txt line either;
            # json's decoder recurses per level, so a file of '[' must not end the check.
            return "a JSON document"
        except ValueError:
            if start[0] == "{" and re.match(r'\{\s*"', start):
                return "a JSON document"
        else:
            return "a JSON document"
    sample = head[:4096]
    controls = len(_CONTROLS.findall(sample))
    if sample.count("\x00") >= 8 or controls * 10 > len(sample):
        return "binary data"
    return None
