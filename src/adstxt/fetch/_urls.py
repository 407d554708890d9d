"""Which URLs to crawl: the root domain for ads.txt, the developer host for app-ads.txt."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from adstxt._domains import analyze_host

__all__ = ["app_ads_hosts", "host_of", "root_domain", "site_of"]


def root_domain(host: str) -> str | None:
    """The registrable domain (public suffix plus one label) of ``host``, or ``None``.

    >>> root_domain("www.example.co.uk")
    'example.co.uk'
    """
    return analyze_host(host.strip().rstrip(".").lower() or ".").registrable


@functools.lru_cache(maxsize=4096)  # each URL's host is asked for several times per fetch
def host_of(url: str) -> str:
    """The lower-case host of a URL, or ``''`` when it has none."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""


def site_of(domain: str) -> tuple[str, str | None]:
    """The host a domain argument names (a bare host or a URL) and its root domain.

    >>> site_of("https://www.example.co.uk/")
    ('www.example.co.uk', 'example.co.uk')
    """
    text = domain.strip()
    host = host_of(text if "//" in text else "//" + text)
    return host, root_domain(host) if host else None


def app_ads_hosts(developer_url: str) -> tuple[str, ...]:
    """The hosts to try for app-ads.txt, in order, from an app store's developer URL.

    Follows the app-ads.txt 1.0 appendix: keep the registrable domain and at most one more
    label, drop a leading ``www.`` or ``m.``, and when the result is still a subdomain try it
    first and the registrable domain second. A bare host is accepted in place of a URL.

    >>> app_ads_hosts("https://another.subdomain.example.co.uk/x")
    ('subdomain.example.co.uk', 'example.co.uk')
    >>> app_ads_hosts("https://subdomain.www.example.com/x")
    ('example.com',)
    >>> app_ads_hosts("https://www.example.com/x")
    ('example.com',)
    """
    text = developer_url.strip()
    host = host_of(text if "//" in text else "//" + text)
    analysis = analyze_host(host or ".")
    if analysis.registrable is None:
        return ()
    labels = [label for label in analysis.subdomain.split(".") if label]
    kept = labels[-1:]
    if kept and kept[0] in ("www", "m"):
        kept = []
    if not kept:
        return (analysis.registrable,)
    return (f"{kept[0]}.{analysis.registrable}", analysis.registrable)
