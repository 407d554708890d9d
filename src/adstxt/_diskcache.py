"""A disk cache of fetched files (sellers.json, ads.txt, app-store answers), one file per key.

Shared by the sellers.json source, the fetching authorization source and the app resolver.

Each file holds a signature line, one line of JSON metadata (the URL, when it was fetched,
until when it is fresh) and then the body exactly as served. A new copy is written to a
temporary file in the same directory and renamed over the old one, so a process reading
the cache while another writes it sees either the old file or the new one, never a mix;
what a killed run leaves behind is removed by the next write of that key's copy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from urllib.parse import quote

import attrs

__all__ = ["DiskCache", "Entry", "default_cache_dir"]

# The wording predates the other uses; kept so that existing caches stay readable.
_SIGNATURE = b"adstxt sellers.json cache 1\n"
# The metadata line is small; a longer first line means the file is not one of ours.
_MAX_HEADER = 64 * 1024


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/adstxt/sellers``, or ``~/.cache/adstxt/sellers`` without it."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative value is invalid and must be ignored.
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "adstxt" / "sellers"


@attrs.frozen
class Entry:
    """What the cache knows of one ad system's copy: where it came from and until when
    it may be used without asking the server again."""

    ad_system: str
    url: str
    fetched_at: dt.datetime
    fresh_until: dt.datetime

    def is_fresh(self, now: dt.datetime) -> bool:
        """True while the copy may be used without a new fetch."""
        return now < self.fresh_until


def _when(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("not a time")
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _header(data: bytes, ad_system: str) -> Entry:
    """The entry described by a metadata line; ValueError when it is not a valid one."""
    meta = json.loads(data)
    if not isinstance(meta, dict) or meta.get("ad_system") != ad_system:
        raise ValueError("metadata of another ad system")
    url = meta.get("url")
    if not isinstance(url, str):
        raise ValueError("no URL")
    return Entry(ad_system, url, _when(meta.get("fetched_at")), _when(meta.get("fresh_until")))


class DiskCache:
    """The cache directory; it is created on the first write."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def path(self, ad_system: str) -> Path:
        """The file that holds ``ad_system``'s copy (the name is safe for any input)."""
        return self.directory / f"{quote(ad_system, safe='-._')}.cache"

    def peek(self, ad_system: str) -> Entry | None:
        """The metadata of the cached copy, or None when there is no readable copy."""
        found = self._read(ad_system, with_body=False)
        return found[0] if found else None

    def load(self, ad_system: str) -> tuple[Entry, bytes] | None:
        """The cached copy and its metadata, read from one open file."""
        return self._read(ad_system, with_body=True)

    def _read(self, ad_system: str, with_body: bool) -> tuple[Entry, bytes] | None:
        try:
            with self.path(ad_system).open("rb") as file:
                if file.readline(len(_SIGNATURE) + 1) != _SIGNATURE:
                    return None
                line = file.readline(_MAX_HEADER)
                if not line.endswith(b"\n"):
                    return None
                entry = _header(line, ad_system)
                return entry, (file.read() if with_body else b"")
        except (OSError, ValueError, UnicodeError):
            # A missing, unreadable or foreign file is no copy at all.
            return None

    def store(self, entry: Entry, body: bytes) -> Path:
        """Write a copy atomically; raises OSError when the directory is not writable."""
        meta = {
            "ad_system": entry.ad_system,
            "url": entry.url,
            "fetched_at": entry.fetched_at.isoformat(),
            "fresh_until": entry.fresh_until.isoformat(),
        }
        from adstxt._atomic import write_atomically

        self.directory.mkdir(parents=True, exist_ok=True)
        data = b"".join((_SIGNATURE, json.dumps(meta, sort_keys=True).encode("utf-8"), b"\n", body))
        # Only this user's: the cache lives in a home directory and serves this user's runs.
        return write_atomically(self.path(entry.ad_system), data, new_file_mode=0o600)
