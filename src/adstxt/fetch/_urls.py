"""Which URLs to crawl: the root domain for ads.txt, the developer host for app-ads.txt."""

from __future__ import annotations

import contextlib
import functools
import re
from urllib.parse import urlsplit

from adstxt._domains import analyze_host

__all__ = [
    "app_ads_hosts",
    "fetched_host",
    "host_of",
    "root_domain",
    "simple_url",
    "site_of",
    "written_host",
]

#: A URL in its simplest form, as the fetcher builds them: an optional http or https
#: scheme, a host of lower-case letters, digits and hyphens in dot-separated labels, no
#: port, no user, and a path (if any) of characters that never need escaping. For such a
#: URL, ``urlsplit`` (whose own cache is no help: every site's URLs are new) would find
#: these same parts.
_SIMPLE_URL = re.compile(r"(?:(https?):)?//([a-z0-9-]+(?:\.[a-z0-9-]+)*)(/[A-Za-z0-9._~/-]*)?")


def simple_url(url: str) -> tuple[str, str, str] | None:
    """The scheme, host and path (``/`` when empty) of an absolute ``http`` or ``https``
    URL in its simplest form (see ``_SIMPLE_URL``); None for any other URL.

    >>> simple_url("https://example.com/ads.txt")
    ('https', 'example.com', '/ads.txt')
    >>> simple_url("https://Example.com/ads.txt") is None  # urlsplit lowers the host
    True
    """
    found = _SIMPLE_URL.fullmatch(url)
    if found is None or found[1] is None:
        return None
    return found[1], found[2], found[3] or "/"


def root_domain(host: str) -> str | None:
    """The registrable domain (public suffix plus one label) of ``host``, or ``None``.

    >>> root_domain("www.example.co.uk")
    'example.co.uk'
    """
    return analyze_host(host.strip().rstrip(".").lower() or ".").registrable


@functools.lru_cache(maxsize=4096)  # each URL's host is asked for several times per fetch
def host_of(url: str) -> str:
    """The lower-case host of a URL, or ``''`` when it has none."""
    found = _SIMPLE_URL.fullmatch(url)
    if found is not None:
        return found[2]
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


def fetched_host(domain: str, kind: str = "ads.txt") -> str | None:
    """The host whose file the fetcher fetches for ``domain`` (a bare host or a URL), as
    it fetches it: lower-case, no trailing dot, IDNA-encoded; ``None`` for no valid domain.

    For ads.txt that is the root domain (``SUBDOMAIN=`` files are found from its file); for
    app-ads.txt, the first host the app-ads.txt appendix has tried.

    >>> [fetched_host(d) for d in ("https://WWW.Example.com/", "example.com.", "Bücher.de")]
    ['example.com', 'example.com', 'xn--bcher-kva.de']
    """
    if kind == "app-ads.txt":
        hosts = app_ads_hosts(domain)
        return hosts[0] if hosts else None
    return site_of(domain)[1]


def written_host(text: str) -> str:
    """The host ``text`` (a bare host or a URL) names, as the store keys a file: lower-case,
    no trailing dot, IDNA-encoded when it can be; the text itself, stripped and lower-cased,
    when it names none.

    >>> written_host("https://News.Example.com./ads.txt")
    'news.example.com'
    """
    host = site_of(text)[0] or text.strip().lower()
    if not host.isascii():
        with contextlib.suppress(UnicodeError):  # not IDNA: kept as written
            host = host.encode("idna").decode("ascii")
    return host


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
