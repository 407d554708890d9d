"""Where sellers.json is looked for: the spec's place, the shipped table of known locations
(Google's is off its root domain), and locations given by the user; all fetched from real
local servers. Also: one ADS701 per ad system, and what a 404 is told as."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from pathlib import Path

import pytest

import adstxt
from adstxt._diskcache import DiskCache, Entry
from adstxt.sellers import cross_check, known_locations, online_source, sellers_json_location
from tests.cli import run
from tests.conftest import ROOT
from tests.httpserver import NAMES, LocalServers, Reply, redirect

pytest.importorskip("h11")

JSON = {"Content-Type": "application/json"}
GOOGLE = json.dumps(
    {
        "version": "1.0",
        "sellers": [
            {
                "seller_id": "pub-1234567890123456",
                "seller_type": "PUBLISHER",
                "name": "Example",
                "domain": "example.co.uk",
            }
        ],
    }
).encode()
SSP = json.dumps(
    {
        "version": "1.0",
        "sellers": [
            {"seller_id": "7", "seller_type": "PUBLISHER", "name": "Ex", "domain": "example.co.uk"}
        ],
    }
).encode()


@pytest.fixture(scope="module")
def google_servers() -> LocalServers:
    with LocalServers((*NAMES, "google.com", "*.google.com")) as servers:
        yield servers  # type: ignore[misc]


def test_the_table_gives_a_location_with_its_evidence() -> None:
    table = known_locations()
    url, evidence = table["google.com"]
    assert url == "https://realtimebidding.google.com/sellers.json"
    assert "support.google.com" in evidence
    text = (ROOT / "src/adstxt/data/sellers_locations.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows and all(
        row["evidence"].strip() and row["url"].startswith("https://") for row in rows
    )
    found = sellers_json_location("Google.com.")
    assert found is not None and (found.key, found.origin) == ("google.com", "table")
    default = sellers_json_location("ads.example.com")
    assert default is not None
    assert (default.key, default.url, default.origin) == (
        "example.com",
        "https://example.com/sellers.json",
        "default",
    )
    given = sellers_json_location("ads.example.com", {"example.com": "https://x.example.net/s"})
    assert given is not None and (given.url, given.origin) == ("https://x.example.net/s", "given")
    # The user's entry wins over the table's.
    mine = sellers_json_location("google.com", {"google.com": "https://example.net/g.json"})
    assert mine is not None and mine.url == "https://example.net/g.json"
    assert sellers_json_location("localhost") is None


def test_google_records_are_checked_against_googles_published_file(
    google_servers: LocalServers, tmp_path: Path
) -> None:
    live = google_servers
    live.routes.clear()
    live.seen.clear()
    # Google's location redirects once off google.com, as the real one does.
    live.routes["https://realtimebidding.google.com/sellers.json"] = redirect(
        "https://storage.example.net/adx-rtb-dictionaries/sellers.json"
    )
    live.routes["https://storage.example.net/adx-rtb-dictionaries/sellers.json"] = Reply(
        200, GOOGLE, JSON
    )
    source = online_source(
        cache_dir=tmp_path, connect_to=live.connect_to, verify=live.client_context, timeout=1.0
    )
    text = (
        "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"
        "google.com, pub-9999999999999999, DIRECT, f08c47fec0942fa0\n"
    )
    found = cross_check(adstxt.parse(text), source, domain="example.co.uk")
    assert [(d.line, d.code) for d in found] == [(2, "ADS702")]
    assert "google.com" not in {s.host for s in live.seen}  # the root domain is not asked
    assert source.retrievals["google.com"].url == (
        "https://storage.example.net/adx-rtb-dictionaries/sellers.json"
    )


def test_a_given_location_is_fetched_and_cached_under_its_domain(
    live: LocalServers, tmp_path: Path
) -> None:
    live.routes["https://cdn.example.net/x/sellers.json"] = Reply(200, SSP, JSON)
    source = online_source(
        cache_dir=tmp_path,
        connect_to=live.connect_to,
        verify=live.client_context,
        timeout=1.0,
        locations={"example.org": "https://cdn.example.net/x/sellers.json"},
    )
    found = cross_check(
        adstxt.parse("ads.example.org, 7, DIRECT\n"), source, domain="example.co.uk"
    )
    assert found == []
    assert [(s.host, s.path) for s in live.seen] == [("cdn.example.net", "/x/sellers.json")]
    assert [p.name for p in tmp_path.iterdir()] == ["example.org.cache"]


def test_one_ads701_per_ad_system_naming_its_records(live: LocalServers, tmp_path: Path) -> None:
    lines = [f"example.org, {n}, DIRECT" for n in range(1, 15)]
    lines.insert(3, "example.com, 7, DIRECT")
    live.routes["https://example.com/sellers.json"] = Reply(200, SSP, JSON)
    source = online_source(
        cache_dir=tmp_path, connect_to=live.connect_to, verify=live.client_context, timeout=1.0
    )
    found = cross_check(adstxt.parse("\n".join(lines) + "\n"), source, domain="example.co.uk")
    assert [(d.line, d.code) for d in found] == [(1, "ADS701")]
    assert found[0].message.endswith(
        "14 records are not checked (this one and those on lines 2, 3, 5, 6, 7, 8, 9, 10, 11, "
        "12 and 3 more)"
    )


def test_a_404_uses_the_last_good_copy_and_says_so(
    live: LocalServers, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    DiskCache(tmp_path).store(
        Entry("example.com", "https://example.com/sellers.json", old, old), SSP
    )
    live.routes["*://example.com/sellers.json"] = Reply(404, b"", {})
    source = online_source(
        cache_dir=tmp_path, connect_to=live.connect_to, verify=live.client_context, timeout=1.0
    )
    with caplog.at_level(logging.WARNING, logger="adstxt.sellers"):
        found = cross_check(
            adstxt.parse("example.com, 7, DIRECT\nexample.com, 8, DIRECT\n"),
            source,
            domain="example.co.uk",
        )
    assert [(d.line, d.code) for d in found] == [(2, "ADS702")]  # checked with the old copy
    (record,) = caplog.records
    assert record.getMessage() == (
        "no sellers.json was found at https://example.com/sellers.json (it answers 404); "
        "using the last good copy of example.com's sellers.json, fetched "
        "2024-01-02T00:00:00+00:00 from https://example.com/sellers.json"
    )
    assert source.retrievals["example.com"].origin == "stale-cache"


# ---- the command line ------------------------------------------------------------------------


def _cli_site(tmp_path: Path) -> tuple[Path, list[str], LocalServers]:
    from tests.httpserver import closed_port

    ads = tmp_path / "ads.txt"
    ads.write_text("example.org, 7, DIRECT\nexample.org, 8, DIRECT\n")
    servers = LocalServers()
    arguments = [
        "--fetch-sellers",
        "--sellers-cache",
        str(tmp_path / "cache"),
        str(ads),
        "--domain",
        "example.co.uk",
        "--isolated",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
    ]
    return ads, arguments, servers


def test_cli_sellers_location_option(tmp_path: Path) -> None:
    _, arguments, servers = _cli_site(tmp_path)
    with servers:
        servers.routes["http://cdn.example.net/x/sellers.json"] = Reply(200, SSP, JSON)
        arguments += ["--connect-to", f":80:127.0.0.1:{servers.http_port}"]
        without = run(*arguments)
        located = run(
            *arguments, "--sellers-location", "example.org=http://cdn.example.net/x/sellers.json"
        )
    assert "ADS701" in without.stdout and without.stdout.count("ADS701") == 1
    assert "2 records are not checked (this one and the one on line 2)" in without.stdout
    assert "publishes no" not in without.stdout
    assert located.stdout.splitlines()[0].endswith(
        "ADS702 seller_id '8' is not in the example.org sellers.json (1 seller)"
    ), located.stdout
    refused = run(*arguments, "--sellers-location", "example.org")
    assert refused.returncode == 2 and "--sellers-location: expected DOMAIN=URL" in refused.stderr
    alone = run(str(tmp_path / "ads.txt"), "--sellers-location", "a.com=https://b.com/s.json")
    assert alone.returncode == 2 and "needs --fetch-sellers" in alone.stderr


def test_cli_sellers_locations_configuration_key(tmp_path: Path) -> None:
    _, arguments, servers = _cli_site(tmp_path)
    arguments.remove("--isolated")
    config = tmp_path / ".adstxt.toml"
    config.write_text(
        'sellers-locations = { "example.org" = "http://cdn.example.net/x/sellers.json" }\n'
    )
    with servers:
        servers.routes["http://cdn.example.net/x/sellers.json"] = Reply(200, SSP, JSON)
        arguments += ["--connect-to", f":80:127.0.0.1:{servers.http_port}"]
        result = run(*arguments, cwd=tmp_path)
    assert "ADS702 seller_id '8'" in result.stdout, result.stdout + result.stderr
    config.write_text('sellers-locations = { "example.org" = "ftp://x.example.net/s" }\n')
    bad = run(str(tmp_path / "ads.txt"), cwd=tmp_path)
    assert bad.returncode == 2
    assert "'sellers-locations.example.org': 'ftp://x.example.net/s' is not an http" in bad.stderr
