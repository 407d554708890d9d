"""Every fetch rule (ADS5xx), end to end: a real local server serves the situation that the
rule's documentation describes, and fetching it yields the code."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest

from adstxt.fetch import ConnectTo, FetchResult, fetch, fetch_url
from adstxt.rules import RULES
from tests.httpserver import GOOD, LocalServers, Reply, closed_port, redirect, text

Scenario = Callable[[LocalServers], FetchResult]


def _site(s: LocalServers, reply: Reply, **options: object) -> FetchResult:
    s.routes["*://example.com/ads.txt"] = reply
    return fetch("example.com", **s.options, **options)  # type: ignore[arg-type]


def _chain(s: LocalServers, *steps: tuple[str, Reply], **options: object) -> FetchResult:
    for url, reply in steps:
        s.routes[url] = reply
    return fetch_url(steps[0][0], **s.options, **options)  # type: ignore[arg-type]


def _refused(s: LocalServers) -> FetchResult:
    return fetch_url(
        "https://example.com/ads.txt",
        connect_to=(ConnectTo(None, None, "127.0.0.1", closed_port()),),
    )


def _tls(s: LocalServers) -> FetchResult:
    s.routes["https://example.com/ads.txt"] = text(GOOD)
    return fetch_url("https://example.com/ads.txt", connect_to=s.connect_to, timeout=2.0)


def _http_only(s: LocalServers) -> FetchResult:
    s.routes["http://example.com/ads.txt"] = text(GOOD)
    return fetch(
        "example.com", connect_to=(ConnectTo(None, 443, "127.0.0.1", closed_port()), *s.connect_to)
    )


def _subdomain(s: LocalServers) -> FetchResult:
    s.routes["https://example.com/ads.txt"] = text(GOOD + b"SUBDOMAIN=shop.example.com\n")
    return fetch("example.com", **s.options)  # type: ignore[arg-type]


def _private(s: LocalServers) -> FetchResult:
    target = f"http://127.0.0.1:{s.http_port}/ads.txt"
    return _chain(s, ("https://example.com/ads.txt", redirect(target, 302)))


BOMB = gzip.compress(b"\n" * (20 * 1024 * 1024), 9)

SCENARIOS: dict[str, Scenario] = {
    "ADS501": _refused,
    "ADS502": lambda s: _site(s, Reply(behaviour="hang")),
    "ADS503": _tls,
    "ADS504": lambda s: _site(s, Reply(404, b"", {})),
    "ADS505": lambda s: _site(s, Reply(401, b"", {"WWW-Authenticate": 'Basic realm="x"'})),
    "ADS506": lambda s: _site(s, Reply(403, b"", {})),
    "ADS507": lambda s: _site(s, Reply(503, b"", {})),
    "ADS508": lambda s: _site(s, text(GOOD, status=203)),
    "ADS509": lambda s: _chain(
        s,
        ("https://example.com/ads.txt", redirect("https://www.example.com/ads.txt", 308)),
        ("https://www.example.com/ads.txt", text(GOOD)),
    ),
    "ADS510": lambda s: _site(s, Reply(301, b"", {})),
    "ADS511": lambda s: _chain(
        s,
        ("https://example.com/ads.txt", redirect("https://cdn.example.net/ads.txt")),
        ("https://cdn.example.net/ads.txt", redirect("https://files.example.org/ads.txt", 302)),
        ("https://files.example.org/ads.txt", text(GOOD)),
    ),
    "ADS512": lambda s: _chain(
        s,
        *(
            (
                f"https://example.com/ads.txt?{i}" if i else "https://example.com/ads.txt",
                redirect(f"/ads.txt?{i + 1}", 302),
            )
            for i in range(5)
        ),
        max_redirects=3,
    ),
    "ADS513": lambda s: _chain(
        s,
        ("https://example.com/ads.txt", redirect("https://www.example.com/ads.txt")),
        ("https://www.example.com/ads.txt", redirect("https://example.com/ads.txt")),
    ),
    "ADS514": lambda s: _chain(
        s,
        ("https://example.com/ads.txt", redirect("/files/sellers.txt", 302)),
        ("https://example.com/files/sellers.txt", text(GOOD)),
    ),
    "ADS515": lambda s: _chain(
        s,
        ("https://example.com/ads.txt", redirect("https://cdn.example.net/ads.txt")),
        ("https://cdn.example.net/ads.txt", text(GOOD)),
    ),
    "ADS516": lambda s: _site(s, text(GOOD, "application/octet-stream")),
    "ADS517": lambda s: _site(s, text(GOOD, "text/plain")),
    "ADS518": lambda s: _site(s, text(b"# Caf\xe9\n" + GOOD, "text/plain; charset=iso-8859-1")),
    "ADS519": lambda s: _site(s, text(GOOD, "text/plain; charset=utf8mb4")),
    "ADS520": lambda s: _site(s, text(GOOD * 40_000), max_bytes=1_000_000),
    "ADS521": lambda s: _site(
        s, Reply(200, BOMB, {"Content-Type": "text/plain", "Content-Encoding": "gzip"})
    ),
    "ADS522": lambda s: _site(
        s, Reply(200, b"\x0b\x02\x80", {"Content-Type": "text/plain", "Content-Encoding": "br"})
    ),
    "ADS523": _private,
    "ADS524": lambda s: _site(s, redirect("ftp://files.example.com/ads.txt", 302)),
    "ADS525": lambda s: _site(s, text(b"<!DOCTYPE html><html><body>Not found</body></html>")),
    "ADS526": lambda s: (
        s.routes.__setitem__(
            "https://example.com/robots.txt", text(b"User-agent: *\nDisallow: /ads\n")
        ),
        _site(s, text(GOOD), robots=True),
    )[1],
    "ADS527": _http_only,
    "ADS528": _subdomain,
    "ADS529": lambda s: fetch("localhost"),
}


def test_every_fetch_rule_has_a_scenario() -> None:
    fetch_codes = {code for code in RULES if code.startswith("ADS5")}
    assert set(SCENARIOS) == fetch_codes


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_scenario_yields_its_code(code: str, live: LocalServers) -> None:
    result = SCENARIOS[code](live)
    codes = [d.code for d in result.fetch_diagnostics]
    assert code in codes, result.fetch_diagnostics
    rule = RULES[code]
    found = next(d for d in result.fetch_diagnostics if d.code == code)
    assert found.severity is rule.severity
    assert found.message


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_rule_documents_an_http_exchange(code: str) -> None:
    rule = RULES[code]
    assert rule.filename == "HTTP exchange"
    assert rule.bad != rule.good
