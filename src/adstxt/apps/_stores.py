"""The app stores: which ones are read, from which base URL, and what each one exposes.

Every supported store's base URL can be replaced (``bases``, or ``--store-base NAME=URL``
on the command line), for a mirror or for tests against local servers; nothing else about
the request changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from urllib.parse import quote, urlsplit

import attrs

__all__ = ["BASES", "STORES", "Store", "check_bases", "listing_url", "lookup_url"]


@attrs.frozen
class Store:
    """One store: its name in outputs, the hosts of its listing URLs, and whether it is read.

    ``how`` says what is fetched and which element or field gives the developer URL (or,
    for an unsupported store, why it is not read).
    """

    name: str
    title: str
    hosts: tuple[str, ...]
    supported: bool
    how: str


STORES: Final[Mapping[str, Store]] = {
    store.name: store
    for store in (
        Store(
            "google-play",
            "Google Play",
            ("play.google.com", "market.android.com"),
            True,
            "the listing page /store/apps/details?id=PACKAGE; the developer URL is the "
            'content of <meta name="appstore:developer_url">',
        ),
        Store(
            "apple",
            "Apple App Store",
            ("apps.apple.com", "itunes.apple.com"),
            True,
            "the iTunes lookup API /lookup?id=NUMBER (or ?bundleId=), field results[0]."
            "sellerUrl; without it, the listing page /app/idNUMBER: "
            '<meta name="appstore:developer_url">, else the link whose text is '
            '"Developer Website"',
        ),
        Store(
            "roku",
            "Roku Channel Store",
            ("channelstore.roku.com",),
            True,
            "the channel page /details/CHANNEL_ID; the developer URL is the content of "
            '<meta name="appstore:developer_url">',
        ),
        Store(
            "amazon",
            "Amazon Appstore (Fire TV, Fire tablets)",
            ("amazon.com", "www.amazon.com"),
            True,
            "the product page /dp/ASIN; the developer URL is the content of "
            '<meta name="appstore:developer_url">',
        ),
        Store(
            "samsung",
            "Samsung (Galaxy Store, Smart TV apps)",
            ("galaxystore.samsung.com", "apps.samsung.com"),
            False,
            "listings are rendered by scripts from an API that is not public; the page "
            "as served names no developer URL",
        ),
        Store(
            "lg",
            "LG Content Store (webOS TV)",
            ("lgappstv.com", "us.lgappstv.com", "www.lgcontentstore.com"),
            False,
            "listings name the seller but no developer website",
        ),
        Store(
            "vizio",
            "VIZIO (SmartCast apps)",
            ("vizio.com", "www.vizio.com"),
            False,
            "VIZIO publishes no per-app listing pages",
        ),
        Store(
            "microsoft",
            "Microsoft Store (Windows, Xbox)",
            ("apps.microsoft.com", "www.microsoft.com", "www.xbox.com"),
            False,
            "listings are rendered by scripts; the page as served names no developer URL",
        ),
    )
}

#: Default base URLs, by the name ``--store-base`` takes.
BASES: Final[Mapping[str, str]] = {
    "google-play": "https://play.google.com",
    "apple": "https://apps.apple.com",
    "apple-lookup": "https://itunes.apple.com",
    "roku": "https://channelstore.roku.com",
    "amazon": "https://www.amazon.com",
}


def check_bases(given: Mapping[str, str]) -> dict[str, str]:
    """The default bases with ``given`` in place; ``ValueError`` names a bad one."""
    bases = dict(BASES)
    for name, url in given.items():
        if name not in BASES:
            raise ValueError(
                f"no store base named {name!r}; the names are {', '.join(sorted(BASES))}"
            )
        try:
            parts = urlsplit(url.strip())
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            valid = False
        if not valid or parts.query or parts.fragment:
            raise ValueError(
                f"{name}={url}: a base is an http(s) URL with no query, such as {BASES[name]}"
            )
        bases[name] = url.strip().rstrip("/")
    return bases


def listing_url(bases: Mapping[str, str], store: str, app_id: str) -> str:
    """The listing page of an app on a supported store."""
    base = bases[store]
    if store == "google-play":
        # English, US store: the page structure read here is that of this locale.
        return f"{base}/store/apps/details?id={quote(app_id, safe='')}&hl=en&gl=US"
    if store == "apple":
        return f"{base}/app/id{quote(app_id, safe='')}"
    if store == "roku":
        return f"{base}/details/{quote(app_id, safe='')}"
    return f"{base}/dp/{quote(app_id, safe='')}"


def lookup_url(bases: Mapping[str, str], app_id: str) -> str:
    """The iTunes lookup API URL for an App Store ID (a number) or a bundle ID."""
    field = "id" if app_id.isdigit() else "bundleId"
    return f"{bases['apple-lookup']}/lookup?{field}={quote(app_id, safe='')}"
