"""Online sellers.json: fetched from real local HTTP and HTTPS servers, kept in a disk cache,
used without requests while fresh, refetched when stale, kept when a refetch fails."""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

import adstxt
from adstxt.sellers import OnlineSource, cross_check, default_cache_dir, online_source
from tests.httpserver import LocalServers, Reply

JSON = "application/json"
ADS_TXT = (
    "example.com, 7, DIRECT\n"
    "ads.example.com, 99, DIRECT\n"
    "example.net, 5, RESELLER\n"
    "example.org, 1, DIRECT\n"
)


def sellers(*entries: tuple[str, str, str]) -> bytes:
    """A sellers.json document with (seller_id, seller_type, domain) entries."""
    return json.dumps(
        {
            "version": "1.0",
            "sellers": [
                {"seller_id": sid, "seller_type": kind, "name": f"{domain} Inc", "domain": domain}
                for sid, kind, domain in entries
            ],
        }
    ).encode()


SSP = sellers(("7", "PUBLISHER", "example.co.uk"))
OTHER = sellers(("5", "PUBLISHER", "example.co.uk"))


def reply(body: bytes, content_type: str = JSON, **headers: str) -> Reply:
    return Reply(200, body, {"Content-Type": content_type, **headers})


def source(live: LocalServers, cache: Path, **options: object) -> OnlineSource:
    settings: dict[str, object] = {
        "connect_to": live.connect_to,
        "verify": live.client_context,
        "timeout": 1.0,
    }
    settings.update(options)
    return online_source(cache_dir=cache, **settings)  # type: ignore[arg-type]


def requests(live: LocalServers, host: str | None = None) -> list[tuple[str, str, str]]:
    return [(s.scheme, s.host, s.path) for s in live.seen if host is None or s.host == host]


def check(src: OnlineSource, text: str = ADS_TXT) -> list[tuple[int, str, str]]:
    found = cross_check(adstxt.parse(text), src, domain="example.co.uk")
    return [(d.line, d.code, d.message) for d in found]


# ---- fetching ------------------------------------------------------------------------------


def test_fetches_each_root_domain_once_and_cross_checks(live: LocalServers, tmp_path: Path) -> None:
    live.routes["https://example.com/sellers.json"] = reply(SSP)
    live.routes["https://example.net/sellers.json"] = reply(OTHER)
    src = source(live, tmp_path)
    found = check(src)
    assert [(line, code) for line, code, _ in found] == [
        (2, "ADS702"),
        (3, "ADS705"),
        (4, "ADS701"),
    ]
    # A 404 says where nothing was found, not that the ad system publishes nothing.
    assert found[2][2] == (
        "cannot cross-check 'example.org': no sellers.json was found at "
        "https://example.org/sellers.json (it answers 404), and no earlier copy is cached; "
        "1 record is not checked"
    )
    assert "publishes no" not in found[2][2]
    # ads.example.com and example.com share one file, fetched once over HTTPS.
    assert requests(live, "example.com") == [("https", "example.com", "/sellers.json")]
    assert requests(live, "example.net") == [("https", "example.net", "/sellers.json")]
    # The 404 over HTTPS is tried over HTTP too, as for ads.txt.
    assert requests(live, "example.org") == [
        ("https", "example.org", "/sellers.json"),
        ("http", "example.org", "/sellers.json"),
    ]
    assert all(s.headers["accept"] == JSON for s in live.seen)
    assert src.retrievals["example.com"].origin == "network"
    assert src.retrievals["example.com"].url == "https://example.com/sellers.json"
    assert src.retrievals["example.org"].origin == "none"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.com.cache", "example.net.cache"]
    # Asking again, in any form, makes no request.
    live.seen.clear()
    assert src.lookup("WWW.Example.COM.") is src.lookup("example.com")
    assert check(src) == found and live.seen == []


def test_prefetch_fetches_concurrently_then_lookups_are_free(
    live: LocalServers, tmp_path: Path
) -> None:
    for host in ("example.com", "example.net"):
        live.routes[f"https://{host}/sellers.json"] = reply(SSP, delay=0.3)
    src = source(live, tmp_path)
    src.prefetch(["example.com", "sub.example.net", "example.com"])
    assert sorted(requests(live)) == [
        ("https", "example.com", "/sellers.json"),
        ("https", "example.net", "/sellers.json"),
    ]
    live.seen.clear()
    result = src.lookup("example.net")
    assert result is not None and result.get("7") is not None and live.seen == []


def test_lookups_work_from_inside_a_running_event_loop(live: LocalServers, tmp_path: Path) -> None:
    import asyncio

    live.routes["https://example.com/sellers.json"] = reply(SSP)
    src = source(live, tmp_path)

    async def inside() -> object:
        return src.lookup("example.com")

    result = asyncio.run(inside())
    assert result is not None and result.get("7") is not None  # type: ignore[attr-defined]


def test_an_ad_system_that_is_no_domain_is_not_fetched(live: LocalServers, tmp_path: Path) -> None:
    result = source(live, tmp_path).lookup("localhost")
    assert result is not None and not result.usable
    assert "not a domain under a public suffix" in (result.problem or "")
    assert live.seen == []


def test_http_is_used_when_https_fails(live: LocalServers, tmp_path: Path) -> None:
    live.routes["http://example.com/sellers.json"] = reply(SSP)
    live.routes["https://example.com/sellers.json"] = Reply(503, b"", {})
    src = source(live, tmp_path)
    result = src.lookup("example.com")
    assert result is not None and result.get("7") is not None
    assert src.retrievals["example.com"].url == "http://example.com/sellers.json"


def test_redirects_follow_the_ads_txt_rules(live: LocalServers, tmp_path: Path) -> None:
    live.routes["https://example.com/sellers.json"] = Reply(
        301, b"", {"Location": "https://www.example.com/sellers.json"}
    )
    live.routes["https://www.example.com/sellers.json"] = Reply(
        302, b"", {"Location": "https://cdn.example.net/s/sellers.json"}
    )
    live.routes["https://cdn.example.net/s/sellers.json"] = reply(SSP)
    src = source(live, tmp_path)
    result = src.lookup("example.com")
    assert result is not None and result.get("7") is not None
    assert src.retrievals["example.com"].url == "https://cdn.example.net/s/sellers.json"
    entry = src.cache.peek("example.com")
    assert entry is not None and entry.url == "https://cdn.example.net/s/sellers.json"
    # A second redirect after leaving the ad system's domain is refused.
    live.routes["https://cdn.example.net/s/sellers.json"] = Reply(
        302, b"", {"Location": "https://cdn.example.net/t/sellers.json"}
    )
    live.routes["https://cdn.example.net/t/sellers.json"] = reply(SSP)
    message = ads701(source(live, tmp_path / "again"))
    assert "redirects again after leaving example.com" in message


def test_a_failed_ad_system_is_looked_up_under_its_canonical_domain(
    live: LocalServers, tmp_path: Path
) -> None:
    # The test certificate does not cover these names: HTTPS fails and HTTP answers.
    live.routes["http://openx.com/sellers.json"] = reply(SSP)
    src = source(live, tmp_path)
    assert check(src, "openx.net, 7, DIRECT\nopenx.net, 8, DIRECT\n") == [
        (2, "ADS702", "seller_id '8' is not in the openx.com sellers.json (1 seller)")
    ]
    assert src.retrievals["openx.net"].origin == "none"
    assert src.retrievals["openx.com"].origin == "network"
    # Without a canonical domain to fall back on, the failure itself is the answer.
    result = src.lookup("example.org")
    assert result is not None and "answers 404" in (result.problem or "")


def test_fetch_resource_sends_the_accept_header_and_returns_the_response(
    live: LocalServers,
) -> None:
    import asyncio

    from adstxt.fetch import Fetcher

    live.routes["https://example.com/x.json"] = reply(b"{}", **{"X-Test": "1"})

    async def go() -> object:
        async with Fetcher(
            connect_to=live.connect_to, verify=live.client_context, timeout=1.0
        ) as fetcher:
            return await fetcher.fetch_resource("www.example.com", "/x.json", accept=JSON)

    resource = asyncio.run(go())
    assert resource.ok and resource.status == 200 and resource.body == b"{}"  # type: ignore[attr-defined]
    assert resource.final_url == "https://example.com/x.json"  # type: ignore[attr-defined]
    assert resource.headers["x-test"] == "1"  # type: ignore[attr-defined]
    assert resource.caching is not None  # type: ignore[attr-defined]
    assert live.seen[0].headers["accept"] == JSON


# ---- the cache -----------------------------------------------------------------------------


def test_a_fresh_cached_copy_is_used_without_any_request(
    live: LocalServers, tmp_path: Path
) -> None:
    live.routes["https://example.com/sellers.json"] = reply(
        SSP, **{"Cache-Control": "max-age=3600"}
    )
    first = source(live, tmp_path)
    before = dt.datetime.now(dt.UTC)
    assert first.lookup("example.com") is not None
    entry = first.cache.peek("example.com")
    assert entry is not None
    assert before + dt.timedelta(minutes=59) < entry.fresh_until < before + dt.timedelta(minutes=61)
    live.seen.clear()
    live.routes.clear()  # the server now has nothing: only the cache can answer
    second = source(live, tmp_path)
    assert [code for _, code, _ in check(second, "example.com, 7, DIRECT\n")] == []
    assert live.seen == []
    assert second.retrievals["example.com"].origin == "cache"


def test_without_caching_headers_a_copy_lasts_the_given_lifetime(
    live: LocalServers, tmp_path: Path
) -> None:
    live.routes["https://example.com/sellers.json"] = reply(SSP)
    src = source(live, tmp_path, lifetime=dt.timedelta(days=2))
    src.lookup("example.com")
    retrieval = src.retrievals["example.com"]
    assert retrieval.fresh_until is not None and retrieval.fetched_at is not None
    assert retrieval.fresh_until - retrieval.fetched_at == dt.timedelta(days=2)
    seven = source(live, tmp_path / "other")
    seven.lookup("example.com")
    default = seven.retrievals["example.com"]
    assert default.fresh_until is not None and default.fetched_at is not None
    assert default.fresh_until - default.fetched_at == dt.timedelta(days=7)


def test_a_stale_copy_is_fetched_again(live: LocalServers, tmp_path: Path) -> None:
    live.routes["https://example.com/sellers.json"] = reply(SSP, **{"Cache-Control": "max-age=0"})
    source(live, tmp_path).lookup("example.com")
    live.seen.clear()
    live.routes["https://example.com/sellers.json"] = reply(sellers(("8", "BOTH", "x.com")))
    src = source(live, tmp_path)
    result = src.lookup("example.com")
    assert requests(live) == [("https", "example.com", "/sellers.json")]
    assert result is not None and result.get("8") is not None and result.get("7") is None
    assert src.retrievals["example.com"].origin == "network"
    # The new copy replaced the old one on disk.
    loaded = src.cache.load("example.com")
    assert loaded is not None and b'"8"' in loaded[1]


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (Reply(500, b"oops", {"Content-Type": "text/plain"}), "answers 500"),
        (Reply(404, b"gone", {"Content-Type": "text/plain"}), "answers 404"),
        (reply(b"<!doctype html><title>Hi</title>", "text/html"), "served as text/html"),
    ],
)
def test_a_failed_refetch_keeps_the_last_good_copy(
    live: LocalServers,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    failure: Reply,
    words: str,
) -> None:
    live.routes["*://example.com/sellers.json"] = reply(SSP, **{"Cache-Control": "no-cache"})
    source(live, tmp_path).lookup("example.com")
    live.routes["*://example.com/sellers.json"] = failure
    live.seen.clear()
    src = source(live, tmp_path)
    with caplog.at_level(logging.WARNING, logger="adstxt.sellers"):
        found = check(src, "example.com, 7, DIRECT\n")
    assert found == []  # the old copy has seller 7, so nothing to report
    assert live.seen != []
    retrieval = src.retrievals["example.com"]
    assert retrieval.origin == "stale-cache" and words in (retrieval.problem or "")
    assert any(
        "using the last good copy of example.com's sellers.json, fetched " in r.getMessage()
        and r.getMessage().endswith("from https://example.com/sellers.json")
        for r in caplog.records
    )
    # The old copy is still on disk for the next run.
    loaded = src.cache.load("example.com")
    assert loaded is not None and loaded[1] == SSP


def test_a_broken_cache_file_is_ignored_and_replaced(live: LocalServers, tmp_path: Path) -> None:
    live.routes["https://example.com/sellers.json"] = reply(SSP)
    (tmp_path / "example.com.cache").write_bytes(b"\x00garbage{")
    src = source(live, tmp_path)
    result = src.lookup("example.com")
    assert result is not None and result.get("7") is not None and len(live.seen) == 1
    assert (tmp_path / "example.com.cache").read_bytes().endswith(SSP)
    assert [p.name for p in tmp_path.iterdir()] == ["example.com.cache"]  # no temporary left


WRITER = """
import sys
from datetime import datetime, timedelta, timezone
from adstxt._diskcache import DiskCache, Entry
cache = DiskCache(sys.argv[1])
now = datetime.now(timezone.utc)
for n in range(40):
    body = (b"A" if n % 2 else b"B") * (1 << 20)
    cache.store(Entry("example.com", "https://example.com/sellers.json", now,
                      now + timedelta(days=1)), body)
"""


def test_readers_never_see_a_half_written_copy(tmp_path: Path) -> None:
    from adstxt._diskcache import DiskCache

    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)])
    cache = DiskCache(tmp_path)
    seen = set()
    try:
        while writer.poll() is None:
            loaded = cache.load("example.com")
            if loaded is not None:
                body = loaded[1]
                assert len(body) == 1 << 20 and body.count(body[:1]) == len(body)
                seen.add(body[:1])
    finally:
        writer.wait(60)
    assert writer.returncode == 0 and seen  # the reader did read copies while they changed
    assert [p.name for p in tmp_path.iterdir()] == ["example.com.cache"]


def test_an_unwritable_cache_still_gives_the_copy(
    live: LocalServers, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    live.routes["https://example.com/sellers.json"] = reply(SSP)
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="adstxt.sellers"):
        result = source(live, blocker / "cache").lookup("example.com")
    assert result is not None and result.get("7") is not None
    assert any("cannot write the sellers.json cache" in r.getMessage() for r in caplog.records)


def test_the_default_cache_directory_honours_xdg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "adstxt" / "sellers"
    assert online_source().cache.directory == tmp_path / "adstxt" / "sellers"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # invalid under the XDG spec
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / ".cache" / "adstxt" / "sellers"


# ---- failures without a cached copy ----------------------------------------------------------


def ads701(src: OnlineSource) -> str:
    (found,) = check(src, "example.com, 7, DIRECT\n")
    assert found[:2] == (1, "ADS701")
    return found[2]


def test_html_instead_of_json_is_no_usable_sellers_json(live: LocalServers, tmp_path: Path) -> None:
    live.routes["*://example.com/sellers.json"] = reply(
        b"<!DOCTYPE html><html><body>Welcome</body></html>", "text/html; charset=utf-8"
    )
    message = ads701(source(live, tmp_path))
    assert "https://example.com/sellers.json is not a usable sellers.json" in message
    assert "served as text/html" in message and "HTML" in message
    assert list(tmp_path.iterdir()) == []  # nothing unusable is cached


@pytest.mark.parametrize("behaviour", [None, "no-length"])
def test_a_body_over_the_cap_is_refused(
    live: LocalServers, tmp_path: Path, behaviour: str | None
) -> None:
    big = sellers(*((str(n), "PUBLISHER", "example.co.uk") for n in range(200)))
    live.routes["*://example.com/sellers.json"] = Reply(
        200, big, {"Content-Type": JSON}, behaviour=behaviour
    )
    src = source(live, tmp_path, max_bytes=1000)
    message = ads701(src)
    assert "1,000-byte limit" in message
    assert src.retrievals["example.com"].origin == "none"
    # Under the cap the same file is fine.
    assert source(live, tmp_path / "big", max_bytes=len(big)).lookup("example.com").usable  # type: ignore[union-attr]


def test_a_timeout_is_no_usable_sellers_json(live: LocalServers, tmp_path: Path) -> None:
    live.routes["*://example.com/sellers.json"] = Reply(behaviour="hang")
    message = ads701(source(live, tmp_path, timeout=0.3))
    assert "https://example.com/sellers.json: the fetch's time limit of 0.3 s ran out" in message


def test_a_server_error_is_no_usable_sellers_json(live: LocalServers, tmp_path: Path) -> None:
    live.routes["*://example.com/sellers.json"] = Reply(502, b"", {})
    assert "answers 502" in ads701(source(live, tmp_path))


# ---- imports -------------------------------------------------------------------------------


def test_import_sellers_does_not_import_the_http_stack() -> None:
    code = (
        "import sys, adstxt.sellers; "
        "print(sorted(m for m in ('h11', 'adstxt.fetch', 'ssl') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
