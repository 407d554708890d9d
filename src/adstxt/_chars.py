"""Classifying the characters that do not belong in an ads.txt line."""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

__all__ = ["ODD_CHAR", "CharClass", "classify", "describe"]

CharClass = Literal["control", "invisible", "lookalike", "whitespace", "invalid", "other"]

#: Matches any character that is not printable ASCII, space or TAB.
ODD_CHAR: Final = re.compile(r"[^\t\x20-\x7e]")

#: Characters that pass for a separator, mapped to the separator they imitate.
LOOKALIKES: Final = {
    "\uff0c": ",",  # FULLWIDTH COMMA
    "\u3001": ",",  # IDEOGRAPHIC COMMA
    "\ufe50": ",",  # SMALL COMMA
    "\ufe51": ",",  # SMALL IDEOGRAPHIC COMMA
    "\u060c": ",",  # ARABIC COMMA
    "\u201a": ",",  # SINGLE LOW-9 QUOTATION MARK
    "\uff1b": ";",  # FULLWIDTH SEMICOLON
    "\u037e": ";",  # GREEK QUESTION MARK
    "\ufe54": ";",  # SMALL SEMICOLON
    "\uff03": "#",  # FULLWIDTH NUMBER SIGN
    "\ufe5f": "#",  # SMALL NUMBER SIGN
    "\uff1d": "=",  # FULLWIDTH EQUALS SIGN
    "\ufe66": "=",  # SMALL EQUALS SIGN
}

#: Look-alike commas whose replacement by ',' can never change a line's meaning for the
#: worse: the line is unusable until they are replaced.
SAFE_LOOKALIKES: Final = frozenset("\uff0c\u3001\ufe50\ufe51\u060c")

_CONTROL_NAMES: Final = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def classify(char: str) -> CharClass:
    """Say why ``char`` (anything matched by :data:`ODD_CHAR`) is out of place."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029":
        return "control"
    if 0xDC80 <= code <= 0xDCFF:
        return "invalid"
    if char in LOOKALIKES:
        return "lookalike"
    if char.isspace():
        return "whitespace"
    if unicodedata.category(char) == "Cf":
        # Zero-width characters, bidirectional controls, the word joiner, a BOM mid-file.
        return "invisible"
    return "other"


def describe(char: str) -> str:
    """Name a character the way the Unicode standard does: ``U+00A0 NO-BREAK SPACE``."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    if not name and code < 0x20:
        name = f"CONTROL-{chr(code + 0x40)}"
    return f"U+{code:04X} {name}".rstrip()
