"""Fetching end to end against real local HTTP and HTTPS servers: what is followed, what is
refused, which file governs which host, and what the result carries."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import subprocess
import sys
import time
import zlib

import pytest

import adstxt
from adstxt.fetch import (
    ConnectTo,
    Fetcher,
    app_ads_hosts,
    fetch,
    fetch_async,
    fetch_url,
    parse_connect_to,
    root_domain,
)
from adstxt.fetch._caching import caching_from_headers
from adstxt.fetch._connect import is_public_address
from tests.httpserver import GOOD, LocalServers, Reply, closed_port, redirect, text


def codes(result: object) -> list[str]:
    return [d.code for d in result.fetch_diagnostics]  # type: ignore[attr-defined]


# ---- a plain fetch -------------------------------------------------------------------------


def test_fetch_reads_the_root_domains_file_over_https(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = text(GOOD)
    result = fetch("https://www.shop.example.com/some/page", **live.options)
    assert result.ok and result.outcome == "ok" and codes(result) == []
    assert result.url == result.final_url == "https://example.com/ads.txt"
    assert result.status == 200 and result.content_type == "text/plain; charset=utf-8"
    assert result.parse_result is not None
    assert [r.domain for r in result.parse_result.records] == ["google.com"]
    assert result.body == GOOD
    assert result.governs == {"example.com": "https://example.com/ads.txt"}
    (request,) = live.seen
    assert (request.scheme, request.host, request.path) == ("https", "example.com", "/ads.txt")
    assert request.headers["accept"] == "text/plain"
    # The agent names no page that does not exist (it once named a PyPI project page).
    assert (
        request.headers["user-agent"]
        == f"adstxt/{adstxt.__version__} (ads.txt and app-ads.txt checker)"
    )


def test_caching_defaults_to_seven_days(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = text(GOOD)
    before = dt.datetime.now(dt.UTC)
    result = fetch("example.com", **live.options)
    assert result.caching is not None and result.caching.source == "default"
    assert result.caching.fresh_until - result.caching.fetched_at == dt.timedelta(days=7)
    assert result.caching.fetched_at >= before


def test_caching_headers_are_reported(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = Reply(
        200,
        GOOD,
        {
            "Content-Type": "text/plain; charset=utf-8",
            "Cache-Control": "public, max-age=3600",
            "Expires": "Wed, 21 Oct 2015 07:28:00 GMT",
            "Last-Modified": "Tue, 20 Oct 2015 07:28:00 GMT",
        },
    )
    result = fetch("example.com", **live.options)
    caching = result.caching
    assert caching is not None
    assert caching.source == "cache-control: max-age"
    assert caching.fresh_until - caching.fetched_at == dt.timedelta(hours=1)
    assert caching.last_modified == "Tue, 20 Oct 2015 07:28:00 GMT"
    assert caching.expires == "Wed, 21 Oct 2015 07:28:00 GMT"


@pytest.mark.parametrize(
    ("headers", "source", "lifetime"),
    [
        ({"expires": "Thu, 01 Jan 2026 00:00:00 GMT"}, "expires", dt.timedelta(days=1)),
        ({"expires": "garbage"}, "expires", dt.timedelta(0)),
        (
            {"cache-control": "no-cache", "expires": "Thu, 01 Jan 2026 00:00:00 GMT"},
            "cache-control: no-cache",
            dt.timedelta(0),
        ),
        (
            {"cache-control": "max-age=60, s-maxage=600", "age": "100"},
            "cache-control: s-maxage",
            dt.timedelta(seconds=500),
        ),
        ({"cache-control": "public"}, "default", dt.timedelta(days=7)),
    ],
)
def test_freshness_rules(headers: dict[str, str], source: str, lifetime: dt.timedelta) -> None:
    fetched = dt.datetime(2025, 12, 31, tzinfo=dt.UTC)
    caching = caching_from_headers(headers, fetched)
    assert caching.source == source
    assert caching.fresh_until - fetched == lifetime


# ---- redirects ------------------------------------------------------------------------------


def test_any_number_of_in_domain_redirects_is_followed(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = redirect("http://www.example.com/ads.txt")
    live.routes["http://www.example.com/ads.txt"] = redirect("https://www.example.com/ads.txt", 302)
    live.routes["https://www.example.com/ads.txt"] = redirect(
        "https://cdn.example.com/ads.txt", 307
    )
    live.routes["https://cdn.example.com/ads.txt"] = text(GOOD)
    result = fetch("example.com", **live.options)
    assert result.outcome == "ok" and codes(result) == []
    assert [(h.url, h.status) for h in result.chain] == [
        ("https://example.com/ads.txt", 301),
        ("http://www.example.com/ads.txt", 302),
        ("https://www.example.com/ads.txt", 307),
        ("https://cdn.example.com/ads.txt", 200),
    ]
    assert result.final_url == "https://cdn.example.com/ads.txt"


def test_one_hop_outside_the_root_domain_is_allowed(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = redirect("https://www.example.com/ads.txt")
    live.routes["https://www.example.com/ads.txt"] = redirect("https://ads.example.net/ads.txt")
    live.routes["https://ads.example.net/ads.txt"] = text(GOOD)
    result = fetch("example.com", **live.options)
    assert result.outcome == "ok"
    assert codes(result) == ["ADS515"]
    assert result.final_url == "https://ads.example.net/ads.txt"


def test_an_in_domain_hop_after_leaving_is_refused_too(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = redirect("https://example.net/ads.txt")
    live.routes["https://example.net/ads.txt"] = redirect("https://www.example.net/ads.txt")
    live.routes["https://www.example.net/ads.txt"] = text(GOOD)
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert result.outcome == "redirect-error"
    assert "ADS511" in codes(result)
    assert result.parse_result is None and result.final_url is None
    assert [h.url for h in result.chain] == [
        "https://example.com/ads.txt",
        "https://example.net/ads.txt",
    ]
    assert not any(s.host == "www.example.net" for s in live.seen)


def test_redirect_loop_stops_quickly(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = redirect("http://example.com/ads.txt")
    live.routes["http://example.com/ads.txt"] = redirect("https://example.com/ads.txt")
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert codes(result) == ["ADS513"]
    assert len(live.seen) == 2


def test_redirect_to_a_private_address_is_refused_unless_allowed(live: LocalServers) -> None:
    target = f"http://127.0.0.1:{live.http_port}/ads.txt"
    live.routes["https://example.com/ads.txt"] = redirect(target, 302)
    live.routes["http://127.0.0.1/ads.txt"] = text(GOOD)
    refused = fetch_url("https://example.com/ads.txt", **live.options)
    assert refused.outcome == "blocked-address" and "127.0.0.1" in refused.diagnostics[0].message
    assert [s.host for s in live.seen] == ["example.com"]
    allowed = fetch_url("https://example.com/ads.txt", allow_private_addresses=True, **live.options)
    assert allowed.outcome == "ok", allowed.fetch_diagnostics
    assert allowed.final_url == target


def test_public_address_policy() -> None:
    for address in (
        "10.1.2.3",
        "192.168.0.1",
        "172.16.5.5",
        "127.0.0.1",
        "::1",
        "169.254.1.1",
        "fe80::1",
        "224.0.0.1",
        "ff02::1",
        "0.0.0.0",
        "100.64.0.1",
        "::ffff:10.0.0.1",
    ):
        assert not is_public_address(address), address
    for address in ("8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1"):
        assert is_public_address(address), address


# ---- status codes, bodies, limits ------------------------------------------------------------


def test_404_body_is_never_parsed(live: LocalServers) -> None:
    live.routes["*://example.com/ads.txt"] = Reply(404, GOOD, {"Content-Type": "text/plain"})
    result = fetch("example.com", **live.options)
    assert result.outcome == "not-found" and result.status == 404
    assert result.parse_result is None and result.body is None
    assert [len(a) for a in result.attempts] == [1, 1]  # HTTPS, then HTTP


def test_server_that_never_answers_times_out_fast(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = Reply(behaviour="hang")
    started = time.monotonic()
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert time.monotonic() - started < 3
    assert result.outcome == "timeout" and "read timeout" in result.diagnostics[0].message


def test_trickling_body_hits_the_total_limit(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = Reply(behaviour="trickle")
    started = time.monotonic()
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert time.monotonic() - started < 3
    message = result.diagnostics[0].message
    assert result.outcome == "timeout" and "the fetch's time limit of 1 s ran out" in message
    assert result.status == 200


def test_size_cap_applies_while_streaming(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = Reply(
        200, GOOD * 50_000, {"Content-Type": "text/plain"}, behaviour="no-length"
    )
    result = fetch_url("https://example.com/ads.txt", max_bytes=100_000, **live.options)
    assert codes(result) == ["ADS520"] and result.body is None


def test_compressed_bodies_are_decoded(live: LocalServers) -> None:
    for encoding, data in (
        ("gzip", gzip.compress(GOOD)),
        ("deflate", zlib.compress(GOOD)),
        ("deflate", zlib.compress(GOOD)[2:-4]),
    ):
        live.routes["https://example.com/ads.txt"] = Reply(
            200, data, {"Content-Type": "text/plain; charset=utf-8", "Content-Encoding": encoding}
        )
        result = fetch_url("https://example.com/ads.txt", **live.options)
        assert result.body == GOOD and result.ok, (encoding, result.fetch_diagnostics)


def test_gzip_bomb_is_stopped_at_the_limit(live: LocalServers) -> None:
    bomb = gzip.compress(b"\n" * 50_000_000, 9)
    live.routes["https://example.com/ads.txt"] = Reply(
        200, bomb, {"Content-Type": "text/plain", "Content-Encoding": "gzip"}
    )
    result = fetch_url("https://example.com/ads.txt", max_bytes=1_000_000, **live.options)
    assert codes(result) == ["ADS521"]
    assert len(bomb) < 100_000 and "1,000,000" in result.diagnostics[0].message


def test_declared_charset_is_used_to_decode(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = text(
        "# Café partners\n".encode("latin-1") + GOOD, "text/plain; charset=ISO-8859-1"
    )
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert codes(result) == ["ADS518"]
    assert result.parse_result is not None
    assert result.parse_result.comments[0].text.strip() == "Café partners"
    assert not any(d.code == "ADS001" for d in result.diagnostics)


def test_soft_404_reports_both_the_fetch_and_the_body(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = text(
        b"<!doctype html><html><head><title>Oops</title></head></html>", "text/html"
    )
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert result.outcome == "not-ads-txt"
    assert {"ADS516", "ADS525", "ADS004"} <= {d.code for d in result.diagnostics}


def test_a_comment_that_mentions_html_is_no_soft_404(live: LocalServers) -> None:
    body = b"# Questions? See <html> docs or mail </p>\n" + GOOD
    live.routes["https://example.com/ads.txt"] = text(body)
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert result.outcome == "ok"
    assert result.diagnostics == ()


# ---- schemes, TLS -------------------------------------------------------------------------


def test_tls_is_verified_by_default_then_http_is_tried(live: LocalServers) -> None:
    live.routes["*://example.com/ads.txt"] = text(GOOD)
    result = fetch("example.com", connect_to=live.connect_to)  # the test CA is not trusted
    assert result.outcome == "ok" and result.final_url == "http://example.com/ads.txt"
    (only_http,) = result.fetch_diagnostics
    assert only_http.code == "ADS527" and "certificate" in only_http.message.lower()


def test_https_answer_wins_over_http(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = text(GOOD)
    live.routes["http://example.com/ads.txt"] = text(b"other.com, 1, DIRECT\n")
    result = fetch("example.com", **live.options)
    assert result.final_url == "https://example.com/ads.txt"
    assert all(s.scheme == "https" for s in live.seen)


def test_redirect_to_a_non_http_scheme_is_not_followed(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = redirect("file:///etc/passwd", 302)
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert codes(result) == ["ADS524"] and result.outcome == "redirect-error"


# ---- SUBDOMAIN referrals -------------------------------------------------------------------


def test_subdomain_files_govern_their_hosts(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = text(
        GOOD + b"SUBDOMAIN=shop.example.com\nSUBDOMAIN=blog.example.com\n"
        b"subdomain=SHOP.example.com\nSUBDOMAIN=other.example.org\n"
    )
    live.routes["https://shop.example.com/ads.txt"] = text(
        b"pubmatic.com, 1, DIRECT\nSUBDOMAIN=deep.shop.example.com\n"
    )
    result = fetch("example.com", **live.options)
    assert result.governs == {
        "example.com": "https://example.com/ads.txt",
        "shop.example.com": "https://shop.example.com/ads.txt",
        "blog.example.com": "https://example.com/ads.txt",
    }
    assert [s.final_url or s.url for s in result.subdomains] == [
        "https://shop.example.com/ads.txt",
        "https://blog.example.com/ads.txt",
    ]
    assert codes(result) == ["ADS528"] and "blog.example.com" in result.fetch_diagnostics[0].message
    hosts = {s.host for s in live.seen}
    assert "deep.shop.example.com" not in hosts  # one level only
    assert "other.example.org" not in hosts  # not under the root domain


def test_subdomains_can_be_left_alone(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = text(GOOD + b"SUBDOMAIN=shop.example.com\n")
    result = fetch("example.com", subdomains=False, **live.options)
    assert result.subdomains == () and {s.host for s in live.seen} == {"example.com"}


# ---- app-ads.txt ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("developer_url", "hosts"),
    [
        # The cases of the app-ads.txt 1.0 appendix.
        ("https://another.subdomain.example.co.uk/x", ("subdomain.example.co.uk", "example.co.uk")),
        ("https://subdomain.www.example.com/x", ("example.com",)),
        ("https://www.example.com/x", ("example.com",)),
        # And the other shapes a store listing shows.
        ("http://m.example.com", ("example.com",)),
        ("example.com", ("example.com",)),
        ("https://games.example.com:8443/studio?id=1", ("games.example.com", "example.com")),
        ("https://EXAMPLE.com./", ("example.com",)),
        ("not a url", ()),
        ("https://localhost/", ()),
    ],
)
def test_app_ads_hosts(developer_url: str, hosts: tuple[str, ...]) -> None:
    assert app_ads_hosts(developer_url) == hosts


def test_app_ads_tries_the_subdomain_then_the_registrable_domain(live: LocalServers) -> None:
    live.routes["https://example.co.uk/app-ads.txt"] = text(GOOD)
    result = fetch(
        "https://another.subdomain.example.co.uk/games", kind="app-ads.txt", **live.options
    )
    assert result.outcome == "ok" and result.kind == "app-ads.txt"
    assert result.final_url == "https://example.co.uk/app-ads.txt"
    assert [s.host for s in live.seen] == [
        "subdomain.example.co.uk",
        "subdomain.example.co.uk",
        "example.co.uk",
    ]
    assert all(s.path == "/app-ads.txt" for s in live.seen)


def test_app_ads_on_the_subdomain_wins(live: LocalServers) -> None:
    live.routes["https://subdomain.example.co.uk/app-ads.txt"] = text(GOOD)
    live.routes["https://example.co.uk/app-ads.txt"] = text(b"other.com, 1, DIRECT\n")
    result = fetch("https://another.subdomain.example.co.uk/", kind="app-ads.txt", **live.options)
    assert result.final_url == "https://subdomain.example.co.uk/app-ads.txt"
    assert {s.host for s in live.seen} == {"subdomain.example.co.uk"}


def test_app_ads_never_crawls_www(live: LocalServers) -> None:
    live.routes["https://www.example.com/app-ads.txt"] = text(GOOD)
    result = fetch("https://www.example.com/apps", kind="app-ads.txt", **live.options)
    assert result.outcome == "not-found"
    assert {s.host for s in live.seen} == {"example.com"}


# ---- robots.txt -----------------------------------------------------------------------------


def test_robots_is_read_only_when_asked(live: LocalServers) -> None:
    live.routes["https://example.com/robots.txt"] = text(
        b"User-agent: Google-adstxt\nDisallow: /\n"
    )
    live.routes["https://example.com/ads.txt"] = text(GOOD)
    assert codes(fetch("example.com", **live.options)) == []
    result = fetch("example.com", robots=True, **live.options)
    (blocked,) = result.fetch_diagnostics
    assert blocked.code == "ADS526" and "Google-adstxt" in blocked.message
    assert "*" not in blocked.message.split("forbids", 1)[1].split("to fetch")[0]


# ---- API surface ----------------------------------------------------------------------------


def test_async_api_and_a_shared_fetcher(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = text(GOOD)
    live.routes["https://example.net/ads.txt"] = Reply(404, b"", {})

    async def both() -> list[str]:
        async with Fetcher(**live.options) as fetcher:  # type: ignore[arg-type]
            found = await asyncio.gather(fetcher.fetch("example.com"), fetcher.fetch("example.net"))
        single = await fetch_async("example.com", **live.options)
        return [r.outcome for r in (*found, single)]

    assert asyncio.run(both()) == ["ok", "not-found", "ok"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("example.com:443:127.0.0.1:8443", ConnectTo("example.com", 443, "127.0.0.1", 8443)),
        ("Example.COM:80::8080", ConnectTo("example.com", 80, None, 8080)),
        (":443:staging.example.net:", ConnectTo(None, 443, "staging.example.net", None)),
        ("[::1]:443:[::1]:8443", ConnectTo("::1", 443, "::1", 8443)),
    ],
)
def test_parse_connect_to(spec: str, expected: ConnectTo) -> None:
    assert parse_connect_to(spec) == expected


@pytest.mark.parametrize("spec", ["", "example.com", "a:b:c:d", "a:1:b:70000", "a:1:[::1:2"])
def test_parse_connect_to_rejects(spec: str) -> None:
    with pytest.raises(ValueError, match="--connect-to"):
        parse_connect_to(spec)


def test_connect_to_points_one_host_only(live: LocalServers) -> None:
    live.routes["http://example.com/ads.txt"] = text(GOOD)
    only = (ConnectTo("example.com", 80, "127.0.0.1", live.http_port),)
    ok = fetch_url("http://example.com/ads.txt", connect_to=only)
    assert ok.outcome == "ok"
    other = fetch_url(
        "http://example.com:81/ads.txt",
        connect_to=(*only, ConnectTo(None, None, "127.0.0.1", closed_port())),
    )
    assert other.outcome == "connection-error"


def test_invalid_targets_never_touch_the_network() -> None:
    assert fetch("192.168.1.1").outcome == "invalid-domain"
    assert fetch_url("ftp://example.com/ads.txt").outcome == "invalid-domain"
    assert fetch("").outcome == "invalid-domain"
    assert root_domain("a.b.example.co.uk") == "example.co.uk"


def test_import_adstxt_does_not_import_the_http_stack() -> None:
    code = (
        "import sys, adstxt; adstxt.parse(b'a.com, 1, DIRECT\\n'); "
        "print(sorted(m for m in ('h11', 'httpx', 'httpcore', 'adstxt.fetch') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_non_ascii_redirect_target_is_percent_encoded(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = Reply(
        302, b"", {"Location": "/ads.txt?from=caf\u00e9"}
    )
    live.routes["https://example.com/ads.txt?from=caf%C3%A9"] = text(GOOD)
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert result.outcome == "ok", result.fetch_diagnostics
    assert live.seen[-1].path == "/ads.txt?from=caf%C3%A9"


@pytest.mark.parametrize(
    "target",
    ["http://[::1", "exa mple.com", "x.com\x00", "\ud800.com", "..com", "a" * 300 + ".com"],
)
def test_malformed_targets_give_a_diagnostic(target: str) -> None:
    for run in (fetch, fetch_url):
        assert run(target).outcome == "invalid-domain"


@pytest.mark.parametrize("url", ["http://x.com:99999/", "https://x.com:0/ads.txt"])
def test_malformed_urls_give_a_diagnostic(url: str) -> None:
    assert fetch_url(url).outcome == "invalid-domain"


def test_redirect_to_a_bad_port_is_refused(live: LocalServers) -> None:
    live.routes["https://example.com/ads.txt"] = redirect("https://example.com:99999/ads.txt")
    result = fetch_url("https://example.com/ads.txt", **live.options)
    assert codes(result) == ["ADS510"]
