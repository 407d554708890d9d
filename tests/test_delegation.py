"""Whose file is it: a delegated file speaks for the site that delegated to it, and only the
root domain's file may declare subdomains.

Real local HTTP servers answer (tests/httpserver.py); ``connect_to`` (``--connect-to`` for
the commands) points every site's name at them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("h11")

import adstxt
from adstxt.fetch import fetch, fetch_url
from tests.cli import crawl, run
from tests.httpserver import GOOD, LocalServers, closed_port, redirect, text

#: The file a publisher keeps at its ad-ops vendor, for the site example.com.
DELEGATED = GOOD + b"SUBDOMAIN=shop.example.com\nOWNERDOMAIN=example.com\n"


def _codes(diagnostics: object) -> list[str]:
    return [d.code for d in diagnostics]  # type: ignore[attr-defined]


@pytest.fixture
def delegating() -> Iterator[LocalServers]:
    """example.com delegates its ads.txt to a vendor; its subdomain shop has its own file,
    itself delegated, which declares a further subdomain."""
    with LocalServers() as servers:
        servers.routes["*://example.com/ads.txt"] = redirect(
            "http://vendor.example.net/sites/example.com/ads.txt"
        )
        servers.routes["*://vendor.example.net/sites/example.com/ads.txt"] = text(DELEGATED)
        servers.routes["*://shop.example.com/ads.txt"] = redirect(
            "http://vendor.example.net/sites/shop/ads.txt"
        )
        servers.routes["*://vendor.example.net/sites/shop/ads.txt"] = text(
            b"pubmatic.com, 1, DIRECT\nSUBDOMAIN=deep.shop.example.com\n"
        )
        yield servers


def test_delegated_file_keeps_its_subdomains_and_they_are_fetched(
    delegating: LocalServers,
) -> None:
    result = fetch("example.com", **delegating.options)  # type: ignore[arg-type]
    assert result.outcome == "ok"
    assert result.final_url == "http://vendor.example.net/sites/example.com/ads.txt"
    assert "ADS515" in _codes(result.fetch_diagnostics)
    parsed = result.parse_result
    assert parsed is not None
    # Checked as example.com's file: no ADS304 against example.net, nothing dropped.
    assert "ADS304" not in _codes(parsed.diagnostics)
    assert [(v.name, v.value) for v in parsed.variables] == [
        ("SUBDOMAIN", "shop.example.com"),
        ("OWNERDOMAIN", "example.com"),
    ]
    assert result.governs == {
        "example.com": "http://vendor.example.net/sites/example.com/ads.txt",
        "shop.example.com": "http://vendor.example.net/sites/shop/ads.txt",
    }
    (shop,) = result.subdomains
    assert shop.domain == "shop.example.com" and shop.outcome == "ok"
    # The subdomain's own file, delegated too, may not refer further (ads.txt 1.1 5.5).
    assert shop.parse_result is not None
    (ignored,) = shop.parse_result.diagnostics
    assert (ignored.code, ignored.line) == ("ADS309", 2)
    assert "'shop.example.com'" in ignored.message
    hosts = {seen.host for seen in delegating.seen}
    assert "deep.shop.example.com" not in hosts and "shop.example.com" in hosts


def test_a_url_that_delegates_is_checked_for_its_own_site(delegating: LocalServers) -> None:
    result = fetch_url("http://example.com/ads.txt", **delegating.options)  # type: ignore[arg-type]
    assert result.parse_result is not None and result.parse_result.diagnostics == ()


def test_cli_checks_a_delegated_file_for_the_site(delegating: LocalServers) -> None:
    result = run(
        "--domain",
        "example.com",
        "--output-format",
        "json",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{delegating.http_port}",
        "--timeout",
        "5",
    )
    items = json.loads(result.stdout)
    found = {(item["path"], item["code"], item["line"]) for item in items}
    root = "http://vendor.example.net/sites/example.com/ads.txt"
    shop = "http://vendor.example.net/sites/shop/ads.txt"
    assert (shop, "ADS309", 2) in found
    assert not any(code == "ADS304" for _, code, _ in found)
    assert {path for path, _, _ in found} == {root, shop}


def test_cli_lints_the_root_file_as_the_roots_even_when_a_subdomain_is_named(
    delegating: LocalServers,
) -> None:
    # --domain shop.example.com fetches the root's file first: its SUBDOMAIN is no ADS309.
    result = run(
        "--domain",
        "shop.example.com",
        "--output-format",
        "json",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{delegating.http_port}",
        "--timeout",
        "5",
    )
    items = json.loads(result.stdout)
    root = "http://vendor.example.net/sites/example.com/ads.txt"
    assert not [i for i in items if i["path"] == root and i["code"] in ("ADS304", "ADS309")]


def test_crawl_keeps_a_delegated_files_subdomains(
    delegating: LocalServers,
    tmp_path: Path,
) -> None:
    (tmp_path / "domains.txt").write_text("example.com\n", encoding="utf-8")
    done = crawl(
        str(tmp_path / "domains.txt"),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--records-csv",
        str(tmp_path / "records.csv"),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{delegating.http_port}",
        "--retries",
        "0",
        "--timeout",
        "5",
        "--progress",
        "never",
    )
    assert done.returncode == 0, done.stderr
    (entry,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    # The root's two variables and the subdomain file's SUBDOMAIN line: every usable file counts.
    assert entry["outcome"] == "ok" and entry["variables"] == 3
    assert "ADS304" not in entry["diagnostics"]
    assert entry["governs"]["shop.example.com"] == "http://vendor.example.net/sites/shop/ads.txt"
    rows = (tmp_path / "records.csv").read_text(encoding="utf-8")
    assert "http://vendor.example.net/sites/shop/ads.txt" in rows and "pubmatic.com" in rows


# ---- SUBDOMAIN in a subdomain's own file, without fetching ------------------------------


def test_subdomain_in_a_subdomains_file_is_reported_where_it_is() -> None:
    data = b"CONTACT=adops@example.com\n" + GOOD + b"  SUBDOMAIN=deep.shop.example.com\n"
    (found,) = adstxt.check(data, domain="shop.example.com")
    assert (found.code, found.line, found.column, found.end_column) == ("ADS309", 3, 13, 34)
    assert found.severity is adstxt.Severity.WARNING
    assert found.hint == "declare it in the ads.txt of 'example.com'"
    # The root's file, named by the root or by www., may declare it.
    assert adstxt.check(data, domain="example.com") == ()
    assert adstxt.check(data, domain="www.example.com") == ()
    # A site on a private suffix is a root domain of its own.
    data = GOOD + b"SUBDOMAIN=shop.k-ov.github.io\n"
    assert adstxt.check(data, domain="k-ov.github.io") == ()
    assert _codes(adstxt.check(data, domain="shop.k-ov.github.io")) == ["ADS309"]


def test_cli_domain_option_names_a_subdomains_file(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(GOOD + b"SUBDOMAIN=deep.shop.example.com\n")
    result = run(str(path), "--domain", "shop.example.com")
    assert result.returncode == 0, result.stderr  # a warning
    assert f"{path}:2:11: ADS309 " in result.stdout
    assert run(str(path), "--domain", "example.com").stdout.startswith(
        "Checked 1 file: 0 errors, 0 warnings"
    )


# ---- a file of only INVENTORYPARTNERDOMAIN lines ----------------------------------------


def test_partner_only_file_says_it_points_at_the_partners() -> None:
    data = (
        b"CONTACT=adops@example.com\nINVENTORYPARTNERDOMAIN=partner-tv.com\n"
        b"inventorypartnerdomain=Other-Partner.com\n"
    )
    found = [d for d in adstxt.check(data) if d.code not in ("ADS204", "ADS302")]
    (partners,) = found
    assert partners.code == "ADS014" and partners.severity is adstxt.Severity.INFO
    assert "partner-tv.com, other-partner.com" in partners.message
    assert "authorizes no seller" not in partners.message
    # Without partners, a file of variables still authorizes nobody.
    assert _codes(adstxt.check(b"CONTACT=adops@example.com\n")) == ["ADS006"]
    # With records of its own, neither applies.
    assert adstxt.check(b"INVENTORYPARTNERDOMAIN=partner-tv.com\n" + GOOD) == ()
