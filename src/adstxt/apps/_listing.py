"""What a store's answer says about the developer URL: one function per kind of answer.

Each reader returns a :class:`Finding`: the developer URL and exactly where it came from,
or why there is none. The structures read are listed per store in ``docs/apps.md``.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from adstxt.apps._html import Page, read_page

__all__ = ["Finding", "read_listing", "read_lookup"]


@attrs.frozen
class Finding:
    """``found`` (with ``developer_url`` and ``source``), ``no-developer-url``,
    ``not-found``, ``layout-not-understood`` or, for the lookup API only, ``listing``
    (the answer names the app but not its developer URL: read the listing page)."""

    state: str
    developer_url: str | None = None
    source: str | None = None
    detail: str = ""


#: Path pieces that a store's canonical URL has on an app's listing.
_LISTING_PATHS = {
    "google-play": "/store/apps/details",
    "apple": "/app/",
    "roku": "/details/",
    "amazon": "/dp/",
}


def _understood(page: Page, store: str) -> bool:
    """Whether the page is an app listing as this version knows them: it carries the
    app-ads.txt meta tags, or its canonical URL is a listing's."""
    if page.appstore:
        return True
    return page.canonical is not None and _LISTING_PATHS[store] in page.canonical


def read_listing(store: str, body: bytes) -> Finding:
    """The developer URL on a listing page of ``store``."""
    page = read_page(body)
    meta = page.appstore.get("appstore:developer_url")
    if meta:
        return Finding("found", meta, "meta:appstore:developer_url")
    if store == "apple":
        for text, href in page.links:
            if text.lower() == "developer website" and href:
                return Finding("found", href, "link:Developer Website")
    if not _understood(page, store):
        return Finding(
            "layout-not-understood",
            detail="the page has neither the appstore: meta tags nor a listing's canonical URL",
        )
    if meta is not None:
        return Finding("no-developer-url", detail="the appstore:developer_url meta tag is empty")
    return Finding("no-developer-url", detail="the listing names no developer website")


def read_lookup(body: bytes) -> Finding:
    """The developer URL in an iTunes lookup API answer."""
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return Finding("layout-not-understood", detail="the lookup answer is not JSON")
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or "resultCount" not in data:
        return Finding(
            "layout-not-understood", detail="the lookup answer has no resultCount and results"
        )
    apps = [r for r in results if isinstance(r, dict)]
    if not apps:
        return Finding("not-found", detail="the lookup API has no such app (resultCount 0)")
    seller = apps[0].get("sellerUrl")
    if isinstance(seller, str) and seller.strip():
        return Finding("found", seller.strip(), "lookup:sellerUrl")
    return Finding("listing", detail="the lookup answer has no sellerUrl")
