"""Recognising bodies that are not ads.txt files at all."""

from __future__ import annotations

import json
import re
from itertools import accumulate
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

# json's decoder recurses once per level of nesting, and fails when the interpreter's stack
# runs out, which depends on how deep the caller already is (the interpreted engine runs in
# more Python frames than the compiled one). Text nested deeper than this is named a JSON
# document without decoding it, so every caller gets the same answer for the same text.
_JSON_DEPTH_LIMIT: Final = 100
# A JSON string, whose brackets do not nest. An unterminated one (a lone backslash at the
# end included) runs to the end, where the decoder would stop: every match then succeeds
# where it starts, without backtracking, so the scan stays linear.
_JSON_STRING: Final = re.compile(r'"(?:[^"\\]|\\.?)*+(?:"|\Z)', re.DOTALL)
_BRACKETS: Final = re.compile(r"[\[\]{}]")
_BRACKET_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


def _nesting_depth(text: str) -> int:
    """The deepest bracket nesting in ``text`` outside JSON strings (an upper bound on how
    deep json's decoder recurses before it succeeds or fails)."""
    brackets = _BRACKETS.findall(_JSON_STRING.sub("", text))
    return max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0)


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
        if _nesting_depth(head) > _JSON_DEPTH_LIMIT:
            return "a JSON document"
        try:
            json.loads(head)
        except RecursionError:
            # Not reached from a caller of ordinary depth (see _JSON_DEPTH_LIMIT); should a
            # caller's own stack be nearly full, the answer for deep nesting stays the same.
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
