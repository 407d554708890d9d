"""``adstxt-check --domain`` and URL arguments: what a live site serves, checked end to end.

A real local HTTP server answers; ``--connect-to`` points the site's name at it, as it would
point at a staging server. HTTPS goes to a closed port, so the fetch falls back to HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

pytest.importorskip("h11")

from tests.cli import run
from tests.httpserver import GOOD, LocalServers, closed_port, redirect, text


@pytest.fixture
def site() -> Iterator[LocalServers]:
    with LocalServers() as servers:
        servers.routes["*://example.com/ads.txt"] = text(
            GOOD + b"mgid.com, 749656, DIRCT\nSUBDOMAIN=shop.example.com\n"
        )
        servers.routes["*://shop.example.com/ads.txt"] = text(GOOD)
        servers.routes["*://example.org/ads.txt"] = text(
            b"<html><body>Hi</body></html>", "text/html"
        )
        servers.routes["*://example.net/ads.txt"] = redirect("http://example.org/ads.txt")
        yield servers


def _targets(site: LocalServers) -> list[str]:
    return [
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{site.http_port}",
        "--timeout",
        "5",
    ]


def test_domain_fetches_and_checks_what_is_served(site: LocalServers) -> None:
    result = run("--domain", "example.com", *_targets(site))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "http://example.com/ads.txt:2:19: ADS210 The relationship must be DIRECT or RESELLER; found 'DIRCT'"
        in lines
    )
    # The SUBDOMAIN referral is fetched and reported as a file of its own.
    assert any(line.startswith("http://shop.example.com/ads.txt:1:1: ADS527 ") for line in lines)
    assert lines[-1].startswith("Checked 2 files:")


def test_url_argument_and_fetch_diagnostics_in_every_format(site: LocalServers) -> None:
    concise = run("http://example.org/ads.txt", *_targets(site))
    assert concise.returncode == 1
    codes = {line.split()[1] for line in concise.stdout.splitlines()[:-1]}
    assert any(code.startswith("ADS5") for code in codes), concise.stdout
    items = json.loads(
        run("http://example.org/ads.txt", "--output-format", "json", *_targets(site)).stdout
    )
    assert {item["path"] for item in items} == {"http://example.org/ads.txt"}
    assert {item["code"] for item in items} == codes
    sarif = json.loads(
        run("http://example.org/ads.txt", "--output-format", "sarif", *_targets(site)).stdout
    )
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == codes


def test_cross_domain_redirect_is_followed_once(site: LocalServers) -> None:
    result = run("--domain", "example.net", "--output-format", "json", *_targets(site))
    items = json.loads(result.stdout)
    assert items and {item["path"] for item in items} == {"http://example.org/ads.txt"}


def test_a_subdomain_without_a_file_is_governed_by_the_root(site: LocalServers) -> None:
    site.routes["*://example.com/ads.txt"] = text(GOOD + b"SUBDOMAIN=gone.example.com\n")
    result = run("--domain", "www.example.com", *_targets(site))
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout
    assert any(" ADS528 SUBDOMAIN=gone.example.com: no usable file there" in line for line in lines)
    assert not any(line.startswith("http://gone.example.com") for line in lines)
    assert " ADS304 " not in result.stdout  # www.example.com is reduced to example.com
    assert lines[-1].startswith("Checked 1 file:")


def test_a_redirect_error_over_http_is_reported_when_https_fails(site: LocalServers) -> None:
    site.routes["*://example.com/ads.txt"] = redirect("/ads.txt", 302)
    result = run("--domain", "example.com", *_targets(site))
    codes = {line.split()[1] for line in result.stdout.splitlines()[:-1]}
    assert "ADS513" in codes, result.stdout


def test_the_declared_charset_decodes_the_body(site: LocalServers) -> None:
    site.routes["*://example.com/ads.txt"] = text(
        "# Caf\u00e9\n".encode("latin-1") + GOOD, "text/plain; charset=iso-8859-1"
    )
    result = run("--domain", "example.com", "--output-format", "json", *_targets(site))
    codes = {item["code"] for item in json.loads(result.stdout)}
    assert "ADS518" in codes and "ADS001" not in codes


def test_usage_errors() -> None:
    bad = run("--domain", "example.com", "--connect-to", "nonsense")
    assert bad.returncode == 2 and "--connect-to" in bad.stderr
    fixing = run("--fix", "https://example.com/ads.txt")
    assert fixing.returncode == 2 and "local files" in fixing.stderr
