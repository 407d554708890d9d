"""From a developer URL to where app-ads.txt lives, or to why it cannot be said.

The registrable domain uses the whole Public Suffix List (tldextract's bundled snapshot, as
everywhere in adstxt). A host under a suffix of the list's private section (``github.io``,
``blogspot.com``...) or under a domain of the shipped table of stores and page builders
(``data/app_builders.csv``) is shared: its root serves no file of the developer's.
"""

from __future__ import annotations

import csv
import functools
import ipaddress
import re
from importlib import resources
from urllib.parse import urlsplit

import attrs

from adstxt._domains import _extractor, analyze_host
from adstxt.fetch._urls import app_ads_hosts

__all__ = ["Derived", "builders", "derive"]

# "mailto:", "tel:", "market:"... but not "example.com:8080".
_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?![0-9])")


@attrs.frozen
class Derived:
    """A developer URL's outcome (``resolved``, ``shared-host`` or ``invalid-developer-url``),
    its registrable domain and app-ads.txt hosts when it has them, and why."""

    outcome: str
    domain: str | None
    hosts: tuple[str, ...]
    detail: str


@functools.cache
def builders() -> dict[str, tuple[str, str]]:
    """The shipped table: domain to (kind, notes)."""
    text = resources.files("adstxt").joinpath("data/app_builders.csv").read_text("utf-8")
    return {
        row["domain"].lower(): (row["kind"], row["notes"])
        for row in csv.DictReader(text.splitlines())
    }


def _builder(host: str) -> tuple[str, str, str] | None:
    """The table's entry that ``host`` is, or is under: (domain, kind, notes)."""
    table = builders()
    labels = host.split(".")
    for start in range(len(labels) - 1):
        name = ".".join(labels[start:])
        if name in table:
            return (name, *table[name])
    return None


def derive(developer_url: str) -> Derived:
    """Where the app-ads.txt of a developer URL lives (app-ads.txt 1.0 appendix)."""
    text = developer_url.strip()
    if "://" not in text and _OTHER_SCHEME.match(text):
        return Derived("invalid-developer-url", None, (), f"{text!r} is not an http or https URL")
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        host = (parts.hostname or "").rstrip(".").lower()
        scheme = parts.scheme.lower()
    except ValueError:
        return Derived("invalid-developer-url", None, (), f"{text!r} is not a valid URL")
    if scheme not in ("http", "https") or not host:
        return Derived(
            "invalid-developer-url", None, (), f"{text!r} is not an http or https URL with a host"
        )
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return Derived(
            "invalid-developer-url",
            None,
            (),
            f"{text} names an IP address, which has no registrable domain to host app-ads.txt",
        )
    analysis = analyze_host(host)
    if analysis.registrable is None:
        return Derived(
            "invalid-developer-url",
            None,
            (),
            f"{host} is not a domain under a public suffix",
        )
    hosts = app_ads_hosts(text if "://" in text else "https://" + text)
    builder = _builder(host)
    if builder is not None:
        name, kind, notes = builder
        return Derived(
            "shared-host",
            analysis.registrable,
            hosts,
            f"{host} is {'' if name == host else 'under '}{name}, a known {kind} domain "
            f"({notes}); its app-ads.txt is not the developer's",
        )
    extracted = _extractor()(host)
    if getattr(extracted, "is_private", False):
        return Derived(
            "shared-host",
            analysis.registrable,
            hosts,
            f"{host} is under {extracted.suffix}, a shared-hosting suffix of the Public "
            "Suffix List's private section; buyers do not treat it as a developer domain",
        )
    return Derived(
        "resolved",
        analysis.registrable,
        hosts,
        f"app-ads.txt lives at https://{hosts[0]}/app-ads.txt",
    )
