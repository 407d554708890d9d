"""App resolutions read from a mirror directory, for lookups that must not go online.

``adstxt crawl --apps FILE --mirror DIR`` writes every resolution to ``DIR/apps.jsonl``.
:class:`MirrorApps` answers from that file alone: an app it has no record of gets the
outcome ``not-in-mirror``; no store is asked.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from adstxt.apps._ids import parse_app_id
from adstxt.apps._record import Resolution

__all__ = ["APPS_FILE", "MirrorApps"]

#: The file of resolutions in a mirror directory.
APPS_FILE = "apps.jsonl"


def _key_of(query: str) -> str:
    ref = parse_app_id(query)
    return f"{ref.store}:{ref.app_id}" if ref.problem is None else f"?{query.strip()}"


class MirrorApps:
    """The resolutions in ``DIR/apps.jsonl``, looked up by app (in any form it was asked
    in: package name, ``STORE:ID``, store URL) or by its record's ``store:app_id``."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.path = self.directory / APPS_FILE
        self._records: dict[str, Resolution] | None = None
        self.problem: str | None = None

    def _load(self) -> dict[str, Resolution]:
        if self._records is not None:
            return self._records
        records: dict[str, Resolution] = {}
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            self.problem = (
                f"{self.path} does not exist ('adstxt crawl --apps FILE --mirror DIR' writes it)"
            )
            text = ""
        except OSError as error:
            self.problem = f"cannot read {self.path}: {error.strerror or error}"
            text = ""
        for line in text.splitlines():
            try:
                record = Resolution.from_json(json.loads(line))
            except (ValueError, TypeError, AttributeError, RecursionError):
                continue  # a damaged line answers nothing; the others still do
            # The latest line for an app wins, as the crawl rewrites the file whole.
            records[record.key] = record
            records[_key_of(record.query)] = record
        self._records = records
        return records

    def knows(self, query: str) -> bool:
        """Whether the mirror has a record of the app ``query`` names."""
        return _key_of(query) in self._load()

    def has_site(self, name: str) -> bool:
        """Whether the mirror has a folder for the domain ``name`` (its files)."""
        folder = name.strip().lower().rstrip(".")
        return bool(folder) and "/" not in folder and (self.directory / folder).is_dir()

    def resolve_one(self, query: str) -> Resolution:
        """The recorded resolution of ``query`` (with ``query`` as asked), or
        ``not-in-mirror``."""
        ref = parse_app_id(query)
        if ref.problem is not None:
            outcome = "unsupported-store" if ref.store is not None else "unrecognized"
            return Resolution(query, outcome, ref.store, ref.app_id, detail=ref.problem)
        found = self._load().get(_key_of(query))
        if found is not None:
            return Resolution.from_json({**found.to_json(), "query": query})
        why = self.problem or f"{self.path} has no record of {ref.store}:{ref.app_id}"
        return Resolution(
            query,
            "not-in-mirror",
            ref.store,
            ref.app_id,
            detail=f"{why}; with --source no store is asked (--fetch asks the stores)",
        )

    def resolve(self, queries: Sequence[str]) -> list[Resolution]:
        """:meth:`resolve_one` for each query, in order."""
        return [self.resolve_one(query) for query in queries]
