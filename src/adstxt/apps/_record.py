"""What resolving one app gave: a plain record that outputs print and a store can save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final, Protocol

import attrs

__all__ = ["OUTCOMES", "AppSource", "Resolution"]

#: Every outcome of a resolution, with what it means. Only ``resolved`` names a domain to
#: crawl; the others say why there is none, and never guess one.
OUTCOMES: Final[Mapping[str, str]] = {
    "resolved": "the listing names a developer URL on the developer's own domain",
    "no-developer-url": "the listing was read and names no developer URL",
    "not-found": "the store has no such app (never listed, or removed)",
    "layout-not-understood": "the listing's page does not have the structure this "
    "version reads; it may have changed",
    "shared-host": "the developer URL is on a shared hosting or app-builder domain, "
    "where the file at the root is not the developer's",
    "invalid-developer-url": "the developer URL is not an http(s) URL on a domain under "
    "a public suffix (an IP address, say)",
    "fetch-error": "the store could not be read (connection, time limit, server error)",
    "unsupported-store": "the app is on a store whose listings do not expose a developer "
    "URL that this version reads",
    "unrecognized": "the identifier is not one this version recognizes",
    "wrong-app": "the page the store served is another app's listing: its "
    "appstore:bundle_id or appstore:store_id names a different app",
    "not-in-mirror": "the mirror directory's apps.jsonl (or the crawl store) has no record "
    "of the app, and an "
    "offline lookup asks no store",
}


@attrs.frozen
class Resolution:
    """One app's resolution: from its identifier to where its app-ads.txt lives.

    ``query`` is the identifier as given; ``store`` and ``app_id`` what it was read as;
    ``listing_url`` the store URL whose answer decided the outcome (the lookup API or the
    listing page); ``developer_url`` the URL found there and ``source`` where exactly
    (``lookup:sellerUrl``, ``meta:appstore:developer_url``, ``link:Developer Website``);
    ``domain`` the registrable domain of its host (whole Public Suffix List) and
    ``app_ads_hosts`` the hosts to try for app-ads.txt, in order (app-ads.txt 1.0 appendix),
    the first as ``app_ads_url``. ``detail`` says in words why the outcome is what it is.
    ``resolved_at`` is when the store was asked (aware UTC).
    """

    query: str
    outcome: str
    store: str | None = None
    app_id: str | None = None
    listing_url: str | None = None
    developer_url: str | None = None
    source: str | None = None
    domain: str | None = None
    app_ads_hosts: tuple[str, ...] = ()
    detail: str = ""
    resolved_at: dt.datetime = attrs.field(factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def resolved(self) -> bool:
        """True when app-ads.txt should be crawled at :attr:`app_ads_url`."""
        return self.outcome == "resolved"

    @property
    def app_ads_url(self) -> str | None:
        """Where app-ads.txt should live first: HTTPS on the first of the hosts."""
        return f"https://{self.app_ads_hosts[0]}/app-ads.txt" if self.app_ads_hosts else None

    @property
    def key(self) -> str:
        """``store:app_id``, how verifiers index apps (not by the opaque store URL)."""
        return f"{self.store}:{self.app_id}" if self.store and self.app_id else self.query

    def to_json(self) -> dict[str, Any]:
        """A JSON object with every field (``resolved_at`` in ISO 8601)."""
        return {
            "query": self.query,
            "outcome": self.outcome,
            "store": self.store,
            "app_id": self.app_id,
            "listing_url": self.listing_url,
            "developer_url": self.developer_url,
            "source": self.source,
            "domain": self.domain,
            "app_ads_url": self.app_ads_url,
            "app_ads_hosts": list(self.app_ads_hosts),
            "detail": self.detail,
            "resolved_at": self.resolved_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Resolution:
        """The record :meth:`to_json` wrote (``ValueError`` when it is not one)."""
        try:
            query, outcome = data["query"], data["outcome"]
            when = dt.datetime.fromisoformat(data["resolved_at"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a resolution record: {error}") from None
        if not isinstance(query, str) or outcome not in OUTCOMES:
            raise ValueError(f"not a resolution record: outcome {outcome!r}")

        def text(name: str) -> str | None:
            value = data.get(name)
            return value if isinstance(value, str) else None

        hosts = data.get("app_ads_hosts")
        hosts = hosts if isinstance(hosts, list) else []
        return cls(
            query=query,
            outcome=outcome,
            store=text("store"),
            app_id=text("app_id"),
            listing_url=text("listing_url"),
            developer_url=text("developer_url"),
            source=text("source"),
            domain=text("domain"),
            app_ads_hosts=tuple(h for h in hosts if isinstance(h, str)),
            detail=text("detail") or "",
            resolved_at=when if when.tzinfo else when.replace(tzinfo=dt.UTC),
        )


class AppSource(Protocol):
    """Where resolutions come from: the stores (:class:`adstxt.apps.AppResolver`) or a
    mirror directory's records (:class:`adstxt.apps.MirrorApps`)."""

    def resolve_one(self, query: str) -> Resolution:
        """The resolution of one identifier."""
        ...
