"""From an app's identifier to its developer's domain and app-ads.txt (optional extras).

The app-ads.txt spec has buyers read the developer website URL from the app's store
listing, reduce it to the registrable domain and fetch ``/app-ads.txt`` there. This package
does that first step: :class:`AppResolver` asks the stores (through :mod:`adstxt.fetch`,
rate limited per store and cached) and returns a :class:`Resolution` per app, whose
``outcome`` is one of :data:`OUTCOMES`. Needs the ``fetch`` and ``apps`` extras:
``pip install 'adstxt[fetch,apps]'``.

>>> from adstxt.apps import parse_app_id
>>> parse_app_id("https://apps.apple.com/us/app/example/id1234567890").app_id
'1234567890'
>>> parse_app_id("com.example.game").store
'google-play'
"""

from __future__ import annotations

from adstxt.apps._ids import AppRef, parse_app_id
from adstxt.apps._record import OUTCOMES, Resolution
from adstxt.apps._stores import BASES, STORES, Store

__all__ = [
    "BASES",
    "OUTCOMES",
    "STORES",
    "AppRef",
    "AppResolver",
    "DeveloperLookup",
    "Resolution",
    "Store",
    "parse_app_id",
]


def __getattr__(name: str) -> object:
    # The resolver needs the fetch extra: imported only when asked for.
    if name in ("AppResolver", "DeveloperLookup"):
        from adstxt.apps import _resolver

        return getattr(_resolver, name)
    raise AttributeError(f"module 'adstxt.apps' has no attribute {name!r}")
