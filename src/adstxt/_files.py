"""Which files a check covers: the files under a folder, and whether a file is a
sellers.json. ``adstxt check`` and ``adstxt report`` both use these, so that a report
checks exactly what ``adstxt check`` checks."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["FILE_NAMES", "STDIN", "expand_paths", "maybe_sellers_json", "walk"]

#: The files a folder is searched for.
FILE_NAMES = frozenset(("ads.txt", "app-ads.txt", "sellers.json"))
#: The path that names standard input.
STDIN = "-"
# Directories a search never enters: version control, virtual environments, caches.
_SKIPPED_DIRECTORIES = frozenset(("node_modules", "__pycache__", "site-packages"))


def walk(directory: Path) -> Iterator[Path]:
    """The ads.txt, app-ads.txt and sellers.json files under ``directory``, in name order
    (hidden folders and package or cache folders are not entered)."""
    found: list[Path] = []
    for root, subdirectories, files in os.walk(directory):
        subdirectories[:] = sorted(
            d for d in subdirectories if not d.startswith(".") and d not in _SKIPPED_DIRECTORIES
        )
        found.extend(Path(root, name) for name in files if name.lower() in FILE_NAMES)
    yield from sorted(found)


def expand_paths(paths: Sequence[str]) -> Iterator[str]:
    """The paths given, each folder replaced by the files :func:`walk` finds in it."""
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            for found in walk(Path(path)):
                yield str(found)
        else:
            yield path


def maybe_sellers_json(filename: str | None, data: bytes) -> bool:
    """Whether a file is a sellers.json file (by its name and its first bytes, a byte
    order mark or UTF-16 included); cheap for ads.txt files (no import at all)."""
    name = (filename or "").lower()
    if name.endswith(("ads.txt", ".txt")):
        return False
    start = data[:64].lstrip(b" \t\r\n\xef\xbb\xbf")
    if not name.endswith(".json") and not start.startswith((b"{", b"\xff", b"\xfe", b"\x00")):
        return False
    from adstxt.sellers import is_sellers_json

    return is_sellers_json(filename, head=data[:65536])
