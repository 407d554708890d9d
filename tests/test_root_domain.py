"""Root domains come from the whole Public Suffix List, private section included.

The ads.txt and app-ads.txt specs name the Public Suffix List without restriction, so
``github.io``, ``blogspot.com`` and ``herokuapp.com`` are public suffixes and the site
``k-ov.github.io`` is a root domain of its own: its file is at ``k-ov.github.io/ads.txt``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

import adstxt
from adstxt._domains import analyze_host, psl_version
from adstxt.fetch._urls import app_ads_hosts, root_domain, site_of
from tests.cli import run

if TYPE_CHECKING:
    from tests.httpserver import LocalServers

GOOD = b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"


@pytest.mark.parametrize(
    ("host", "root"),
    [
        ("k-ov.github.io", "k-ov.github.io"),
        ("www.k-ov.github.io", "k-ov.github.io"),
        ("x.blogspot.com", "x.blogspot.com"),
        ("a.b.herokuapp.com", "b.herokuapp.com"),
        ("www.example.co.uk", "example.co.uk"),  # the ICANN section still applies
        ("github.io", None),  # a public suffix has no root domain
    ],
)
def test_root_domain_uses_the_private_section(host: str, root: str | None) -> None:
    assert root_domain(host) == root
    assert site_of(f"https://{host}/x")[1] == root


def test_app_ads_hosts_use_the_private_section() -> None:
    assert app_ads_hosts("https://dev.k-ov.github.io/apps") == (
        "dev.k-ov.github.io",
        "k-ov.github.io",
    )


@pytest.mark.parametrize("name", ["OWNERDOMAIN", "MANAGERDOMAIN", "INVENTORYPARTNERDOMAIN"])
def test_a_private_suffix_registrable_domain_is_a_valid_value(name: str) -> None:
    data = f"{name}=x.blogspot.com\n".encode() + GOOD
    assert [d.code for d in adstxt.check(data)] == []
    # Nothing for the unsafe fix to rewrite to 'blogspot.com' either.
    fixed = adstxt.apply_fixes(data, unsafe=True)
    assert not fixed.changed and fixed.data == data


def test_a_private_suffix_itself_is_not_a_registrable_domain() -> None:
    codes = [(d.code, d.line) for d in adstxt.check(b"OWNERDOMAIN=blogspot.com\n" + GOOD)]
    assert codes == [("ADS304", 1)]
    found = adstxt.check(b"blogspot.com, 1, DIRECT\n")
    assert [d.code for d in found] == ["ADS202"]
    assert "is itself a public suffix" in found[0].message


def test_subdomain_is_checked_against_the_private_root() -> None:
    data = b"SUBDOMAIN=shop.k-ov.github.io\nSUBDOMAIN=other.github.io\n" + GOOD
    found = [(d.code, d.line) for d in adstxt.check(data, domain="k-ov.github.io")]
    assert found == [("ADS304", 2)]


def test_ad_system_subdomain_advice_uses_the_private_root() -> None:
    # 'www.' on a private-suffix site is still a subdomain of that site, not of the suffix.
    assert analyze_host("www.adsite.github.io").registrable == "adsite.github.io"
    (found,) = adstxt.check(b"www.adsite.github.io, 1, DIRECT\n")
    assert found.code == "ADS203" and "'adsite.github.io'" in found.message


def test_version_names_the_bundled_snapshot() -> None:
    version = psl_version()
    assert version is not None
    result = run("--version")
    assert f"Public Suffix List snapshot {version}" in result.stdout


@pytest.fixture
def github_site() -> Iterator[LocalServers]:
    pytest.importorskip("h11")
    from tests.httpserver import NAMES, LocalServers, text

    with LocalServers((*NAMES, "*.github.io")) as servers:
        servers.routes["*://k-ov.github.io/ads.txt"] = text(GOOD + b"OWNERDOMAIN=k-ov.github.io\n")
        servers.routes["*://github.io/ads.txt"] = text(b"other.com, 9, DIRECT\n")
        yield servers


def test_fetch_reads_the_private_suffix_sites_own_file(github_site: LocalServers) -> None:
    from adstxt.fetch import fetch

    result = fetch("https://www.k-ov.github.io/page", **github_site.options)  # type: ignore[arg-type]
    assert result.outcome == "ok" and result.url == "https://k-ov.github.io/ads.txt"
    assert result.governs == {"k-ov.github.io": "https://k-ov.github.io/ads.txt"}
    assert result.diagnostics == ()
    hosts = {seen.host for seen in github_site.seen}
    assert hosts == {"k-ov.github.io"}


def test_cli_domain_fetches_the_private_suffix_sites_own_file(github_site: LocalServers) -> None:
    from tests.httpserver import closed_port

    result = run(
        "--domain",
        "k-ov.github.io",
        "--output-format",
        "json",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{github_site.http_port}",
        "--timeout",
        "5",
    )
    items = json.loads(result.stdout)
    assert {item["path"] for item in items} == {"http://k-ov.github.io/ads.txt"}
    assert {item["code"] for item in items} == {"ADS527"}  # HTTP only: nothing about values
    assert {seen.host for seen in github_site.seen} == {"k-ov.github.io"}
