"""What a crawl store holds, in figures: for reports about a whole store.

A summary counts the files by the verdict of their current copy, the files by the outcome
of their latest fetch, the change events per day and type, and keeps the latest events; the
report (``adstxt report --store S``) draws it. Each figure is one aggregate query, so a
summary of a large store costs a few scans, not one row per file in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from adstxt.store._store import CrawlInfo, Store

__all__ = ["NO_COPY", "StoreSummary", "summarize"]

#: The verdict of a file that has no current copy (a 404, a failure with no earlier copy).
NO_COPY = "no copy"

_EVENT_COLUMNS = (
    "id",
    "at",
    "domain",
    "kind",
    "type",
    "ad_system",
    "seller_id",
    "variable",
    "old",
    "new",
    "old_line",
    "new_line",
)


@attrs.frozen
class StoreSummary:
    """A crawl store in figures (see :func:`summarize`)."""

    where: str
    crawls: tuple[CrawlInfo, ...]
    domains: int
    files: int
    fetches: int
    bodies: int
    versions: int
    events: int
    #: ads.txt and app-ads.txt files per verdict of their current copy (``valid``,
    #: ``errors``, ``not-ads-txt``, or :data:`NO_COPY`).
    verdicts: Mapping[str, int]
    #: Files whose current copy is kept stale after failed fetches.
    stale: int
    #: sellers.json files held.
    sellers: int
    #: Files per outcome of their latest fetch, the most common first.
    outcomes: Mapping[str, int]
    #: Change events per day (``YYYY-MM-DD``, oldest first), per type.
    daily: tuple[tuple[str, Mapping[str, int]], ...]
    #: The latest events, newest first, as mappings of the columns of ``changes``.
    latest: tuple[Mapping[str, Any], ...]
    #: Apps with a resolution (``adstxt crawl --apps``).
    apps: int
    #: Each crawl's fetches per outcome, by crawl id.
    crawl_outcomes: Mapping[int, Mapping[str, int]] = attrs.field(factory=dict)
    #: The names of shared crawls (``adstxt crawl --crawl NAME``), by crawl id.
    crawl_names: Mapping[int, str] = attrs.field(factory=dict)


def _count(store: Store, sql: str) -> int:
    return int(store._rows(sql)[0][0] or 0)


def _crawl_names(store: Store) -> dict[int, str]:
    """The name each shared crawl was given, kept in its options as ``shared``."""
    import json

    names: dict[int, str] = {}
    for crawl_id, options in store._rows("SELECT id, options FROM crawls"):
        try:
            name = json.loads(options).get("shared")
        except (TypeError, ValueError, AttributeError):
            continue  # options written by another tool: no name to show
        if isinstance(name, str) and name:
            names[int(crawl_id)] = name
    return names


def summarize(store: Store, *, latest: int | None = 100) -> StoreSummary:
    """The figures of ``store``, with its ``latest`` most recent change events (None:
    every one)."""
    verdicts: dict[str, int] = {}
    for verdict, count in store._rows(
        "SELECT b.verdict, COUNT(*) FROM files f LEFT JOIN bodies b ON b.sha256 = f.sha256 "
        "WHERE f.kind <> 'sellers.json' GROUP BY b.verdict"
    ):
        name = str(verdict) if verdict is not None else NO_COPY
        verdicts[name] = verdicts.get(name, 0) + int(count)
    outcomes = {
        str(outcome): int(count)
        for outcome, count in store._rows(
            "SELECT last_outcome, COUNT(*) FROM files GROUP BY last_outcome "
            "ORDER BY COUNT(*) DESC, last_outcome"
        )
    }
    daily: dict[str, dict[str, int]] = {}
    for day, kind, count in store._rows(
        "SELECT SUBSTR(at, 1, 10), type, COUNT(*) FROM changes GROUP BY SUBSTR(at, 1, 10), type"
    ):
        daily.setdefault(str(day), {})[str(kind)] = int(count)
    by_crawl: dict[int, dict[str, int]] = {}
    for crawl_id, outcome, count in store._rows(
        "SELECT crawl_id, outcome, COUNT(*) FROM fetches WHERE crawl_id IS NOT NULL "
        "GROUP BY crawl_id, outcome"
    ):
        by_crawl.setdefault(int(crawl_id), {})[str(outcome)] = int(count)
    newest = f"SELECT {', '.join(_EVENT_COLUMNS)} FROM changes ORDER BY at DESC, id DESC"
    rows = (
        store._rows(newest)
        if latest is None
        else store._rows(newest + " LIMIT ?", (max(0, latest),))
    )
    return StoreSummary(
        where=store.where,
        crawls=tuple(store.crawls()),
        domains=_count(store, "SELECT COUNT(DISTINCT domain) FROM files"),
        files=_count(store, "SELECT COUNT(*) FROM files"),
        fetches=_count(store, "SELECT COUNT(*) FROM fetches"),
        bodies=_count(store, "SELECT COUNT(*) FROM bodies"),
        versions=_count(store, "SELECT COUNT(*) FROM versions"),
        events=_count(store, "SELECT COUNT(*) FROM changes"),
        verdicts=verdicts,
        stale=_count(
            store, "SELECT COUNT(*) FROM files WHERE stale_since IS NOT NULL AND sha256 IS NOT NULL"
        ),
        sellers=_count(store, "SELECT COUNT(*) FROM files WHERE kind = 'sellers.json'"),
        outcomes=outcomes,
        daily=tuple(sorted(daily.items())),
        latest=tuple(dict(zip(_EVENT_COLUMNS, row, strict=True)) for row in rows),
        apps=_count(store, "SELECT COUNT(DISTINCT app) FROM app_resolutions"),
        crawl_outcomes=by_crawl,
        crawl_names=_crawl_names(store),
    )
