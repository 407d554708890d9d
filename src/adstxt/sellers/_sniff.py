"""Telling a sellers.json file from an ads.txt file, by name or by its first bytes."""

from __future__ import annotations

import os
import re
from typing import Final

__all__ = ["is_sellers_json"]

_SELLERS_KEY: Final = re.compile(rb'"\s*(?:sellers|seller_id)\s*"\s*:')


def is_sellers_json(
    filename: str | os.PathLike[str] | None = None, head: bytes | None = None
) -> bool:
    """True for a file named ``sellers.json`` (or ``*.json``) or starting like one.

    ``head`` is the start of the file (a few KiB is plenty). Content decides for other
    names: a JSON object with a ``sellers`` or ``seller_id`` key is a sellers.json file.
    """
    if filename is not None:
        name = os.path.basename(os.fspath(filename)).lower()
        if name.endswith(".json"):
            return True
        if name.endswith("ads.txt"):
            return False
    if not head:
        return False
    sample = head[:65536]
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    if b"\x00" in sample[:8]:  # UTF-16 or UTF-32: the ASCII bytes are enough
        sample = sample.replace(b"\x00", b"")
    stripped = sample.lstrip(b" \t\r\n\xff\xfe")
    return stripped.startswith(b"{") and bool(_SELLERS_KEY.search(stripped))
