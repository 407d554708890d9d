"""Apps in the crawl store: each resolution of an app to its developer's domain, kept with
its history, and the store as an offline source of resolutions.

``adstxt crawl --apps FILE`` records every resolution in ``app_resolutions``. When an app's
developer domain differs from the one its previous resolution found, the store adds a change
event of type ``app-domain-changed`` (kind ``app``, domain the app's ``store:app_id``), so
that ``adstxt changes`` and ``adstxt export changes`` show it beside the files' events. A
resolution whose store could not be read (``fetch-error``) says nothing new: it is kept in
the history but neither makes an event nor replaces the last known domain.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from adstxt.apps import Resolution, parse_app_id
from adstxt.store._changes import ChangeType
from adstxt.store._dialect import timestamp
from adstxt.store._store import Store

__all__ = ["APP_KIND", "StoreApps", "app_key", "record_resolutions", "resolutions"]

#: The ``kind`` of an app's change events.
APP_KIND = "app"

_COLUMNS = (
    "app",
    "store",
    "app_id",
    "query",
    "outcome",
    "listing_url",
    "developer_url",
    "source",
    "domain",
    "app_ads_hosts",
    "detail",
    "resolved_at",
)
# An outcome that says the store could not be asked: the last known domain stands.
_UNKNOWN = "fetch-error"


def app_key(query: str) -> str | None:
    """The ``store:app_id`` of an identifier in any form (None when it names no app)."""
    ref = parse_app_id(query)
    return f"{ref.store}:{ref.app_id}" if ref.problem is None else None


def _latest_known(store: Store, app: str) -> tuple[int, str | None, str] | None:
    """The id, domain and outcome of the app's latest resolution that reached its store."""
    rows = store._rows(
        "SELECT id, domain, outcome FROM app_resolutions WHERE app = ? AND outcome <> ? "
        "ORDER BY id DESC LIMIT 1",
        (app, _UNKNOWN),
    )
    return (int(rows[0][0]), rows[0][1], str(rows[0][2])) if rows else None


def record_resolutions(store: Store, found: Iterable[Resolution]) -> list[Mapping[str, Any]]:
    """Store each resolution (one transaction) and return the change events it made."""
    events: list[Mapping[str, Any]] = []
    with store.transaction():
        for resolution in found:
            app = resolution.key
            before = _latest_known(store, app)
            at = timestamp(resolution.resolved_at)
            row_id = store._insert(
                "app_resolutions",
                _COLUMNS,
                (
                    app,
                    resolution.store,
                    resolution.app_id,
                    resolution.query,
                    resolution.outcome,
                    resolution.listing_url,
                    resolution.developer_url,
                    resolution.source,
                    resolution.domain,
                    json.dumps(list(resolution.app_ads_hosts)),
                    resolution.detail,
                    at,
                ),
            )
            if before is None or resolution.outcome == _UNKNOWN or before[1] == resolution.domain:
                continue
            event = {
                "domain": app,
                "kind": APP_KIND,
                "at": at,
                # For an app, the "fetch" is the resolution and the versions count them.
                "fetch_id": row_id,
                "from_version": before[0],
                "to_version": row_id,
                "type": ChangeType.APP_DOMAIN_CHANGED.value,
                "old": before[1],
                "new": resolution.domain,
                "variable": None,
                "ad_system": None,
                "seller_id": None,
                "old_line": None,
                "new_line": None,
            }
            store._insert("changes", tuple(event), tuple(event.values()))
            events.append(event)
    return events


def resolutions(store: Store, app: str) -> list[Resolution]:
    """Every stored resolution of ``app`` (``store:app_id``), oldest first."""
    found = []
    for row in store._rows(
        f"SELECT {', '.join(_COLUMNS[1:])} FROM app_resolutions WHERE app = ? ORDER BY id",
        (app,),
    ):
        data = dict(zip(_COLUMNS[1:], row, strict=True))
        data["app_ads_hosts"] = json.loads(data["app_ads_hosts"])
        data["resolved_at"] = data["resolved_at"].replace("Z", "+00:00")
        found.append(Resolution.from_json(data))
    return found


class StoreApps:
    """The resolutions a crawl store holds, as an offline source of resolutions (like
    :class:`adstxt.apps.MirrorApps`): an app's latest resolution that reached its store,
    or ``not-in-mirror`` for an app the store never resolved."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _latest(self, app: str) -> Resolution | None:
        held = resolutions(self.store, app)
        known = [r for r in held if r.outcome != _UNKNOWN] or held
        return known[-1] if known else None

    def knows(self, query: str) -> bool:
        """Whether the store has resolved the app ``query`` names."""
        key = app_key(query)
        return key is not None and bool(
            self.store._rows("SELECT 1 FROM app_resolutions WHERE app = ? LIMIT 1", (key,))
        )

    def has_site(self, name: str) -> bool:
        """Whether the store holds any file of the domain ``name``."""
        return bool(self.store.files(name.strip().lower().rstrip(".")))

    def resolve_one(self, query: str) -> Resolution:
        """The stored resolution of ``query`` (with ``query`` as asked), or
        ``not-in-mirror``."""
        ref = parse_app_id(query)
        if ref.problem is not None:
            outcome = "unsupported-store" if ref.store is not None else "unrecognized"
            return Resolution(query, outcome, ref.store, ref.app_id, detail=ref.problem)
        found = self._latest(f"{ref.store}:{ref.app_id}")
        if found is not None:
            return Resolution.from_json({**found.to_json(), "query": query})
        return Resolution(
            query,
            "not-in-mirror",
            ref.store,
            ref.app_id,
            detail=f"the store {self.store.where} has no resolution of {ref.store}:"
            f"{ref.app_id}; with --store no app store is asked (--fetch asks them)",
        )

    def resolve(self, queries: Sequence[str]) -> list[Resolution]:
        """:meth:`resolve_one` for each query, in order."""
        return [self.resolve_one(query) for query in queries]
