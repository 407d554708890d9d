"""Where an ad system publishes its sellers.json: the spec's place, or a known exception.

sellers.json 1.0 puts the file at ``/sellers.json`` on the ad system's root domain. A few ad
systems publish it elsewhere (Google at ``realtimebidding.google.com``). The exceptions are a
table shipped in ``adstxt/data/sellers_locations.csv``, each row with its evidence, which
callers extend with their own (``--sellers-location``, the ``sellers-locations`` key).
:func:`sellers_json_location` is the one place that answers "where is it", for the online
cross-check and for any other feature that needs an ad system's sellers.json.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit

import attrs

from adstxt import _known
from adstxt._domains import analyze_host

__all__ = ["SellersLocation", "known_locations", "parse_location", "sellers_json_location"]

#: ``default``: the spec's place; ``table``: the shipped table; ``given``: the caller's own.
LocationOrigin = Literal["default", "table", "given"]


@attrs.frozen
class SellersLocation:
    """Where an ad system's sellers.json is looked for, and why there.

    ``key`` is the domain the location belongs to (the ad system itself, or its root
    domain): ad systems with the same key share one file.
    """

    key: str
    url: str
    origin: LocationOrigin
    evidence: str


def _normalized(domain: str) -> str:
    return domain.strip().lower().rstrip(".")


def check_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL with a host; ValueError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{url}' is not an http:// or https:// URL")
    return url.strip()


def parse_location(text: str) -> tuple[str, str]:
    """Read ``DOMAIN=URL`` (the ``--sellers-location`` form); ValueError when malformed."""
    domain, equals, url = text.partition("=")
    domain = _normalized(domain)
    if not equals or not domain or analyze_host(domain).normalized is None:
        raise ValueError(
            f"expected DOMAIN=URL, such as "
            f"google.com=https://realtimebidding.google.com/sellers.json; "
            f"found '{text}'"
        )
    return domain, check_url(url)


@functools.cache
def known_locations() -> Mapping[str, tuple[str, str]]:
    """The shipped table: ad-system domain to (URL, evidence)."""
    return {
        _normalized(row["domain"]): (row["url"].strip(), row["evidence"].strip())
        for row in _known._read_csv("sellers_locations.csv")
    }


def sellers_json_location(
    ad_system: str,
    given: Mapping[str, str] | None = None,
) -> SellersLocation | None:
    """Where the sellers.json of ``ad_system`` is looked for; None for a name that is no
    domain under a public suffix.

    The caller's ``given`` locations (domain to URL) come first, then the shipped table;
    each is tried for the ad system itself, then for its root domain. Without an entry the
    file is at ``https://<root domain>/sellers.json`` (the spec's place; the fetch also
    tries HTTP there).
    """
    name = _normalized(ad_system)
    root = analyze_host(name or ".").registrable
    if root is None:
        return None
    mine = {_normalized(k): v for k, v in (given or {}).items()}
    table = known_locations()
    for key in dict.fromkeys((name, root)):
        if key in mine:
            return SellersLocation(key, mine[key], "given", "given by the user")
        if key in table:
            url, evidence = table[key]
            return SellersLocation(key, url, "table", evidence)
    return SellersLocation(
        root,
        f"https://{root}/sellers.json",
        "default",
        "sellers.json 1.0: /sellers.json on the ad system's root domain",
    )
