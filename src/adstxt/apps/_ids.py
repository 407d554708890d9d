"""Reading an app identifier as bid requests and lists write it: which store, which app.

Accepted forms:

- a Google Play package name (``com.example.game``);
- an App Store ID (``id1234567890`` or ``1234567890``);
- an Amazon ASIN (``B00EXAMPLE``: ten characters starting ``B0``);
- ``STORE:ID`` for any store (``google-play:com.example.game``, ``apple:com.example.ios``
  for an iOS bundle ID, ``roku:12345``, ``amazon:B00EXAMPLE``);
- a store URL (Google Play, App Store, Roku, Amazon; the unsupported stores' URLs are
  recognized, to say so).
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import parse_qs, unquote, urlsplit

import attrs

from adstxt.apps._stores import STORES

__all__ = ["AppRef", "names_an_app", "parse_app_id"]

_PACKAGE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+\Z")
_APPLE_ID: Final = re.compile(r"(?:id)?([0-9]{3,12})\Z", re.IGNORECASE)
_ASIN: Final = re.compile(r"B0[0-9A-Z]{8}\Z")
_ROKU_ID: Final = re.compile(r"[0-9A-Za-z_-]{1,64}\Z")


@attrs.frozen
class AppRef:
    """What an identifier names: ``store`` and ``app_id``, or ``problem`` when neither is
    known (``store`` is still set for a recognized but unsupported store)."""

    query: str
    store: str | None
    app_id: str | None
    problem: str | None = None


def parse_app_id(text: str) -> AppRef:
    """Read one identifier (see the module's list of forms)."""
    query = text.strip()
    if not query:
        return AppRef(text, None, None, "an empty identifier")
    if "://" in query or query.lower().startswith(
        tuple(host + "/" for store in STORES.values() for host in store.hosts)
    ):
        return _from_url(query if "://" in query else "https://" + query, text)
    store, colon, rest = query.partition(":")
    if colon and store.lower() in STORES:
        return _from_prefix(store.lower(), rest.strip(), text)
    match = _APPLE_ID.match(query)
    if match:
        return AppRef(text, "apple", match.group(1))
    if _ASIN.match(query):
        return AppRef(text, "amazon", query)
    if _PACKAGE.match(query):
        return AppRef(text, "google-play", query)
    return AppRef(
        text,
        None,
        None,
        f"{query!r} is neither a package name, an App Store ID, an ASIN, STORE:ID nor a store URL",
    )


def _from_prefix(store: str, app_id: str, query: str) -> AppRef:
    if not STORES[store].supported:
        return AppRef(query, store, app_id or None, _unsupported(store))
    valid = {
        "google-play": _PACKAGE.match(app_id),
        "apple": _APPLE_ID.match(app_id) or _PACKAGE.match(app_id),
        "amazon": re.fullmatch(r"[0-9A-Z]{10}", app_id),
        "roku": _ROKU_ID.match(app_id),
    }[store]
    if not valid:
        return AppRef(query, store, None, f"{app_id!r} is not an app ID on {STORES[store].title}")
    if store == "apple":
        digits = _APPLE_ID.match(app_id)
        app_id = digits.group(1) if digits else app_id
    return AppRef(query, store, app_id)


def _unsupported(store: str) -> str:
    return f"{STORES[store].title} is not supported: {STORES[store].how}"


def _store_of(host: str) -> str | None:
    for store in STORES.values():
        if host in store.hosts:
            return store.name
    labels = host.split(".")
    if "amazon" in labels[:-1] and labels[-1] != "amazon":
        return "amazon"  # amazon.co.uk, www.amazon.de...
    return None


def _from_url(url: str, query: str) -> AppRef:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return AppRef(query, None, None, f"{url!r} is not a valid URL")
    store = _store_of(host)
    if store is None:
        return AppRef(query, None, None, f"{host or url!r} is not an app store this version knows")
    if not STORES[store].supported:
        return AppRef(query, store, None, _unsupported(store))
    path = unquote(parts.path)
    segments = [s for s in path.split("/") if s]
    app_id: str | None = None
    if store == "google-play":
        ids = parse_qs(parts.query).get("id", [])
        if ids and _PACKAGE.match(ids[0]) and "details" in segments:
            app_id = ids[0]
    elif store == "apple":
        found = [s for s in segments if re.fullmatch(r"id[0-9]{3,12}", s)]
        app_id = found[-1][2:] if found else None
    elif store == "roku":
        if len(segments) >= 2 and segments[0] == "details" and _ROKU_ID.match(segments[1]):
            app_id = segments[1]
    else:
        for marker in ("dp", "product"):
            if marker in segments[:-1]:
                candidate = segments[segments.index(marker) + 1]
                if re.fullmatch(r"[0-9A-Z]{10}", candidate):
                    app_id = candidate
    if app_id is None:
        return AppRef(query, store, None, f"{url} is not an app listing on {STORES[store].title}")
    return AppRef(query, store, app_id)


def names_an_app(text: str) -> bool:
    """Whether ``text``, given where a developer domain or URL may also be, names an app:
    a store URL, ``STORE:ID``, an App Store ID, an ASIN, or a package name.

    A dotted name is read as a package name (reverse DNS) when its first label is a
    top-level domain and it does not read as a domain: it has three labels or more and does
    not end in ``.com``, ``.net`` or ``.org`` (``com.example.game``, ``tv.pluto.android``),
    or its last label is no public suffix (``io.voodoo``). ``dev.com`` and
    ``app.example.com`` stay domains; ``https://shop.example.tv/`` or
    ``google-play:dev.example.com`` settle a name that could be either.
    """
    from adstxt._domains import analyze_host

    ref = parse_app_id(text)
    query = text.strip()
    if ref.store is None:
        return False
    if "://" in query or ":" in query or ref.store != "google-play":
        return True
    labels = query.lower().split(".")
    if analyze_host(f"x.{labels[0]}").registrable is None:
        return False
    if analyze_host(f"x.{labels[-1]}").registrable is None:
        return True
    return len(labels) >= 3 and labels[-1] not in ("com", "net", "org")
