"""Fetch ads.txt and app-ads.txt files from live sites, the way crawlers do (optional extra).

``pip install 'adstxt[fetch]'`` adds it to an installed adstxt. ``import adstxt`` never
imports this package or its HTTP client; import ``adstxt.fetch`` explicitly.

>>> from adstxt.fetch import app_ads_hosts, parse_connect_to
>>> app_ads_hosts("https://www.example.com/apps")
('example.com',)
>>> parse_connect_to("example.com:443:127.0.0.1:8443").target_port
8443

The synchronous :func:`fetch` and :func:`fetch_url` run their own event loop; from async
code use :func:`fetch_async`, :func:`fetch_url_async`, or a :class:`Fetcher` shared across
many fetches.
"""

from __future__ import annotations

import asyncio
from typing import Any

try:
    import h11 as _h11  # noqa: F401  (fail early with an install hint)
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("adstxt.fetch needs the 'fetch' extra: pip install 'adstxt[fetch]'") from exc

from adstxt.fetch._caching import DEFAULT_LIFETIME, Caching, Validators
from adstxt.fetch._connect import ConnectTo, is_public_address, parse_connect_to
from adstxt.fetch._fetcher import DEFAULT_USER_AGENT, MAX_BYTES, Fetcher
from adstxt.fetch._result import OUTCOMES, FetchResult, Hop, Resource
from adstxt.fetch._urls import app_ads_hosts, root_domain
from adstxt.model import FileKind

__all__ = [
    "DEFAULT_LIFETIME",
    "DEFAULT_USER_AGENT",
    "MAX_BYTES",
    "OUTCOMES",
    "Caching",
    "ConnectTo",
    "FetchResult",
    "Fetcher",
    "Hop",
    "Resource",
    "Validators",
    "app_ads_hosts",
    "fetch",
    "fetch_async",
    "fetch_url",
    "fetch_url_async",
    "is_public_address",
    "parse_connect_to",
    "root_domain",
]


async def fetch_async(
    domain: str,
    *,
    kind: FileKind = "ads.txt",
    subdomains: bool = True,
    validators: Validators | None = None,
    **options: Any,
) -> FetchResult:
    """Fetch one site's file; ``options`` are :class:`Fetcher`'s keyword arguments."""
    async with Fetcher(**options) as fetcher:
        return await fetcher.fetch(domain, kind=kind, subdomains=subdomains, validators=validators)


async def fetch_url_async(url: str, *, kind: FileKind | None = None, **options: Any) -> FetchResult:
    """Fetch exactly one URL; ``options`` are :class:`Fetcher`'s keyword arguments."""
    async with Fetcher(**options) as fetcher:
        return await fetcher.fetch_url(url, kind=kind)


def fetch(
    domain: str, *, kind: FileKind = "ads.txt", subdomains: bool = True, **options: Any
) -> FetchResult:
    """Synchronous :func:`fetch_async`: derive the root domain, try HTTPS then HTTP, follow
    redirects under the spec's rules, check the response and parse the body.

    ``result.diagnostics`` holds the fetch diagnostics (``result.fetch_diagnostics``) and the
    body's parse diagnostics (``result.parse_result.diagnostics``) together.
    """
    return asyncio.run(fetch_async(domain, kind=kind, subdomains=subdomains, **options))


def fetch_url(url: str, *, kind: FileKind | None = None, **options: Any) -> FetchResult:
    """Synchronous :func:`fetch_url_async`: check what one URL serves."""
    return asyncio.run(fetch_url_async(url, kind=kind, **options))
