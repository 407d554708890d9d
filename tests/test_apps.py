"""App-store resolution end to end: identifiers, listings and lookup answers served by real
loopback servers (fixtures in tests/data/apps/), every outcome, rate limiting, caching,
the SSRF guard, and the commands that use it (apps resolve, crawl --apps, authorized
--app, schain --resolve-apps)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli import adstxt, run_process
from tests.httpserver import NAMES, LocalServers, Reply, closed_port, redirect, text

pytest.importorskip("h11")
pytest.importorskip("selectolax")

import itertools

from adstxt.apps import AppResolver, Resolution, parse_app_id
from adstxt.apps._developer import derive
from adstxt.apps._ids import names_an_app
from adstxt.apps._listing import read_listing, read_lookup

DATA = Path(__file__).parent / "data" / "apps"
STORE_HOSTS = (
    "play.google.com",
    "itunes.apple.com",
    "apps.apple.com",
    "channelstore.roku.com",
    "www.amazon.com",
)
HTML = "text/html; charset=utf-8"
PLAY = "https://play.google.com/store/apps/details?id={}&hl=en&gl=US"


def page(name: str, headers: dict[str, str] | None = None) -> Reply:
    content_type = "application/json" if name.endswith(".json") else HTML
    return Reply(200, (DATA / name).read_bytes(), {"Content-Type": content_type, **(headers or {})})


def play_page(package: str, headers: dict[str, str] | None = None) -> Reply:
    """The Google Play fixture as the listing of ``package`` (its appstore:bundle_id and
    appstore:store_id name the app)."""
    body = (DATA / "google_play.html").read_bytes().replace(b"com.example.game", package.encode())
    return Reply(200, body, {"Content-Type": HTML, **(headers or {})})


def play_route(package: str) -> str:
    return f"https://play.google.com/store/apps/details?id={package}&hl=en&gl=US"


@pytest.fixture(scope="module")
def stores_servers() -> Iterator[LocalServers]:
    with LocalServers(names=(*NAMES, *STORE_HOSTS, "*.mirror.example.com")) as running:
        yield running


@pytest.fixture
def stores(stores_servers: LocalServers) -> LocalServers:
    stores_servers.routes.clear()
    stores_servers.seen.clear()
    return stores_servers


def resolver(servers: LocalServers, **options: object) -> AppResolver:
    settings: dict[str, object] = {
        "connect_to": servers.connect_to,
        "verify": servers.client_context,
        "timeout": 2.0,
        "interval": 0.0,
    }
    settings.update(options)
    return AppResolver(**settings)  # type: ignore[arg-type]


def cli_options(servers: LocalServers) -> list[str]:
    # The HTTPS port is the servers' own, whose certificate the CLI cannot be told to
    # trust: the stores are reached over HTTPS in the library tests and over HTTP here.
    return [
        "--connect-to",
        f":80:127.0.0.1:{servers.http_port}",
        "--store-interval",
        "0",
        "--timeout",
        "2",
    ]


def http_bases() -> list[str]:
    return [
        "--store-base",
        "google-play=http://play.google.com",
        "--store-base",
        "apple=http://apps.apple.com",
        "--store-base",
        "apple-lookup=http://itunes.apple.com",
        "--store-base",
        "roku=http://channelstore.roku.com",
        "--store-base",
        "amazon=http://www.amazon.com",
    ]


# ---- identifiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text_", "store", "app_id"),
    [
        ("com.example.game", "google-play", "com.example.game"),
        ("id1234567890", "apple", "1234567890"),
        ("1234567890", "apple", "1234567890"),
        ("B00EXAMPLE", "amazon", "B00EXAMPLE"),
        ("apple:com.example.ios", "apple", "com.example.ios"),
        ("roku:abc123def456", "roku", "abc123def456"),
        (
            "https://play.google.com/store/apps/details?id=com.example.game&hl=fr",
            "google-play",
            "com.example.game",
        ),
        (
            "play.google.com/store/apps/details?id=com.example.game",
            "google-play",
            "com.example.game",
        ),
        ("https://apps.apple.com/us/app/example-puzzle/id1234567890", "apple", "1234567890"),
        ("https://itunes.apple.com/app/id1234567890?mt=8", "apple", "1234567890"),
        ("https://channelstore.roku.com/details/abc123def456/example-tv", "roku", "abc123def456"),
        ("https://www.amazon.co.uk/Example-App/dp/B00EXAMPLE/ref=x", "amazon", "B00EXAMPLE"),
    ],
)
def test_identifiers_name_a_store_and_an_app(text_: str, store: str, app_id: str) -> None:
    ref = parse_app_id(text_)
    assert (ref.store, ref.app_id, ref.problem) == (store, app_id, None)


@pytest.mark.parametrize(
    ("text_", "store"),
    [
        ("", None),
        ("not an app", None),
        ("https://example.com/app", None),
        ("https://play.google.com/store/search?q=x", "google-play"),
        ("https://galaxystore.samsung.com/detail/com.example.tv", "samsung"),
        ("lg:12345", "lg"),
        ("apple:not-an-id!", "apple"),
    ],
)
def test_identifiers_that_name_no_app_say_why(text_: str, store: str | None) -> None:
    ref = parse_app_id(text_)
    assert ref.app_id is None or ref.problem is not None
    assert ref.store == store and ref.problem


def test_an_app_is_told_from_a_developer_domain() -> None:
    apps = ("com.example.game", "org.example.app", "id123456", "io.voodoo", "B00EXAMPLE")
    for app in apps:
        assert names_an_app(app), app
    for domain in ("example.com", "dev.com", "app.example.com", "https://www.example.com/"):
        assert not names_an_app(domain), domain
    # The documented escapes for a name that could be either.
    assert not names_an_app("https://shop.example.tv/")
    assert names_an_app("google-play:dev.example.com")
    assert names_an_app("google-play:tv.pluto.android")


@pytest.mark.parametrize(
    "host",
    [
        "tv.example.co.uk",
        "studio.example.co.uk",
        "mobile.example.de",
        "dev.example.io",
        "games.example.io",
        "app.example.io",
        "blog.example.fr",
        "tv.pluto.android",
    ],
)
def test_a_host_under_a_public_suffix_stays_a_domain(host: str) -> None:
    # Their first labels are top-level domains too (.tv, .app, .dev...): only the shape
    # of a package name (com., org., net., io. ...) makes such a name an app.
    assert not names_an_app(host)


# ---- developer URL to domain -------------------------------------------------------------


def test_developer_urls_follow_the_app_ads_txt_appendix() -> None:
    found = derive("https://another.subdomain.example.co.uk/x")
    assert found.outcome == "resolved" and found.domain == "example.co.uk"
    assert found.hosts == ("subdomain.example.co.uk", "example.co.uk")
    assert derive("https://www.example.com/x").hosts == ("example.com",)
    assert derive("example.com").outcome == "resolved"


@pytest.mark.parametrize(
    ("url", "outcome", "words"),
    [
        ("https://sites.google.com/view/mygame", "shared-host", "sites.google.com"),
        ("https://www.facebook.com/mygame", "shared-host", "facebook.com"),
        ("https://linktr.ee/mygame", "shared-host", "page-builder"),
        ("https://play.google.com/store/apps/dev?id=1", "shared-host", "app-store"),
        ("https://mygame.github.io/", "shared-host", "github.io"),
        ("https://mygame.blogspot.com/", "shared-host", "private section"),
        ("http://127.0.0.1:8080/", "invalid-developer-url", "IP address"),
        ("https://localhost/", "invalid-developer-url", "public suffix"),
        ("mailto:dev@example.com", "invalid-developer-url", "http"),
        ("https://[::1/", "invalid-developer-url", "not a valid URL"),
    ],
)
def test_developer_urls_that_name_no_developer_domain(url: str, outcome: str, words: str) -> None:
    found = derive(url)
    assert found.outcome == outcome and words in found.detail


# ---- every outcome, through the library ---------------------------------------------------


def test_google_play_listing_resolves(stores: LocalServers) -> None:
    stores.routes[play_route("com.example.game")] = page("google_play.html")
    [found] = resolver(stores).resolve(["com.example.game"])
    assert found.outcome == "resolved", found.detail
    assert found.developer_url == "https://www.example.com/games"
    assert found.source == "meta:appstore:developer_url"
    assert found.domain == "example.com" and found.app_ads_url == "https://example.com/app-ads.txt"
    assert found.listing_url == play_route("com.example.game")
    assert stores.seen[0].headers["accept"].startswith("text/html")


def test_listing_without_a_developer_url(stores: LocalServers) -> None:
    stores.routes[play_route("com.example.quiet")] = page("google_play_no_website.html")
    [found] = resolver(stores).resolve(["com.example.quiet"])
    assert found.outcome == "no-developer-url" and found.developer_url is None
    assert found.domain is None and found.app_ads_url is None


def test_listing_layout_not_understood(stores: LocalServers) -> None:
    stores.routes[play_route("com.example.odd")] = page("google_play_consent.html")
    [found] = resolver(stores).resolve(["com.example.odd"])
    assert found.outcome == "layout-not-understood" and found.developer_url is None


def test_removed_app_is_not_found(stores: LocalServers) -> None:
    [found] = resolver(stores).resolve(["com.example.removed"])  # the server answers 404
    assert found.outcome == "not-found"


def test_store_failure_is_a_fetch_error(stores: LocalServers) -> None:
    stores.routes[play_route("com.example.down")] = Reply(503, b"", {})
    [found] = resolver(stores).resolve(["com.example.down"])
    assert found.outcome == "fetch-error" and "503" in found.detail


def test_developer_url_on_a_page_builder_is_shared_host(stores: LocalServers) -> None:
    body = (
        (DATA / "google_play.html")
        .read_bytes()
        .replace(b"https://www.example.com/games", b"https://sites.google.com/view/examplegame")
    )
    stores.routes[play_route("com.example.game")] = Reply(200, body, {"Content-Type": HTML})
    [found] = resolver(stores).resolve(["com.example.game"])
    assert found.outcome == "shared-host" and not found.resolved
    assert found.developer_url == "https://sites.google.com/view/examplegame"


def test_developer_url_on_an_ip_address_is_invalid(stores: LocalServers) -> None:
    body = (
        (DATA / "google_play.html")
        .read_bytes()
        .replace(b"https://www.example.com/games", b"http://127.0.0.1/")
    )
    stores.routes[play_route("com.example.game")] = Reply(200, body, {"Content-Type": HTML})
    [found] = resolver(stores).resolve(["com.example.game"])
    assert found.outcome == "invalid-developer-url"


def test_apple_lookup_seller_url(stores: LocalServers) -> None:
    stores.routes["https://itunes.apple.com/lookup?id=1234567890"] = page("apple_lookup.json")
    [found] = resolver(stores).resolve(["id1234567890"])
    assert found.outcome == "resolved" and found.source == "lookup:sellerUrl"
    assert found.developer_url == "https://puzzles.example.org/"
    assert found.app_ads_hosts == ("puzzles.example.org", "example.org")
    assert [s.host for s in stores.seen] == ["itunes.apple.com"]


def test_apple_falls_back_to_the_listing_page(stores: LocalServers) -> None:
    stores.routes["https://itunes.apple.com/lookup?id=2222222222"] = page(
        "apple_lookup_no_seller.json"
    )
    stores.routes["https://apps.apple.com/app/id2222222222"] = redirect(
        "https://apps.apple.com/us/app/example-notes/id2222222222"
    )
    stores.routes["https://apps.apple.com/us/app/example-notes/id2222222222"] = page(
        "apple_listing.html"
    )
    [found] = resolver(stores).resolve(["2222222222"])
    assert found.outcome == "resolved", found.detail
    assert found.source == "link:Developer Website"
    assert found.developer_url == "https://notes.example.net/"
    assert found.listing_url == "https://apps.apple.com/app/id2222222222"
    assert "no sellerUrl" in found.detail


def test_apple_bundle_id_is_looked_up_by_bundle(stores: LocalServers) -> None:
    stores.routes["https://itunes.apple.com/lookup?bundleId=com.example.puzzle"] = page(
        "apple_lookup.json"
    )
    [found] = resolver(stores).resolve(["apple:com.example.puzzle"])
    assert found.outcome == "resolved" and found.domain == "example.org"


def test_apple_app_unknown_to_both_is_not_found(stores: LocalServers) -> None:
    stores.routes["https://itunes.apple.com/lookup?id=3333333333"] = page("apple_lookup_empty.json")
    [found] = resolver(stores).resolve(["3333333333"])
    assert found.outcome == "not-found"
    assert [s.host for s in stores.seen] == ["itunes.apple.com", "apps.apple.com"]


def test_apple_lookup_that_is_not_json_falls_back(stores: LocalServers) -> None:
    stores.routes["https://itunes.apple.com/lookup?id=4444444444"] = text(b"<html>", "text/html")
    stores.routes["https://apps.apple.com/app/id4444444444"] = page("google_play_consent.html")
    [found] = resolver(stores).resolve(["4444444444"])
    assert found.outcome == "layout-not-understood"
    assert "not JSON" in found.detail


def test_roku_and_amazon_listings(stores: LocalServers) -> None:
    stores.routes["https://channelstore.roku.com/details/abc123def456"] = page("roku_listing.html")
    stores.routes["https://www.amazon.com/dp/B00EXAMPLE"] = page("amazon_listing.html")
    roku, amazon = resolver(stores).resolve(
        ["https://channelstore.roku.com/details/abc123def456/example-tv", "B00EXAMPLE"]
    )
    assert (roku.outcome, roku.domain, roku.app_ads_hosts) == (
        "resolved",
        "example.co.uk",
        ("tv.example.co.uk", "example.co.uk"),
    )
    assert (amazon.outcome, amazon.domain) == ("resolved", "firetv-example.com")


def test_unsupported_store_and_unrecognized_identifier(stores: LocalServers) -> None:
    samsung, nothing = resolver(stores).resolve(
        ["https://galaxystore.samsung.com/detail/com.example.tv", "what?"]
    )
    assert samsung.outcome == "unsupported-store" and samsung.store == "samsung"
    assert nothing.outcome == "unrecognized"
    assert stores.seen == []


def test_store_base_can_be_replaced(stores: LocalServers) -> None:
    stores.routes[
        "https://play.mirror.example.com/store/apps/details?id=com.example.game&hl=en&gl=US"
    ] = page("google_play.html")
    found = resolver(stores, bases={"google-play": "https://play.mirror.example.com/"})
    assert found.resolve_one("com.example.game").outcome == "resolved"
    assert [s.host for s in stores.seen] == ["play.mirror.example.com"]
    with pytest.raises(ValueError, match="no store base named"):
        resolver(stores, bases={"nowhere": "https://x.example.com"})
    with pytest.raises(ValueError, match="http"):
        resolver(stores, bases={"roku": "ftp://x.example.com"})


def test_a_resolution_survives_json() -> None:
    original = Resolution(
        "com.example.game",
        "resolved",
        "google-play",
        "com.example.game",
        app_ads_hosts=("example.com",),
    )
    assert Resolution.from_json(json.loads(json.dumps(original.to_json()))) == original
    with pytest.raises(ValueError, match="not a resolution"):
        Resolution.from_json({"query": "x", "outcome": "maybe", "resolved_at": "2026-01-01"})


# ---- rate limiting and caching -------------------------------------------------------------


def test_requests_to_one_store_are_spaced(stores: LocalServers) -> None:
    for name in ("a.one", "b.two", "c.three"):
        stores.routes[play_route(f"com.{name}")] = play_page(f"com.{name}")
    stores.routes["https://itunes.apple.com/lookup?id=1234567890"] = page("apple_lookup.json")
    apps = resolver(stores, interval=0.3)
    apps.resolve(["com.a.one", "com.b.two", "com.c.three", "1234567890"])
    play = [r.at for r in apps.requests if r.store == "google-play"]
    assert len(play) == 3
    assert all(later - earlier >= 0.29 for earlier, later in itertools.pairwise(play))
    # Another store does not wait for this one's turns.
    apple = next(r.at for r in apps.requests if r.store == "apple")
    assert apple - play[0] < 0.3


def test_a_second_resolve_makes_no_request(stores: LocalServers) -> None:
    stores.routes[play_route("com.example.game")] = page("google_play.html")
    apps = resolver(stores)
    first = apps.resolve(["com.example.game", PLAY.format("com.example.game")])
    assert len(stores.seen) == 1  # the same app in two forms: asked once
    assert first[1].query == PLAY.format("com.example.game")
    again = apps.resolve_one("com.example.game")
    assert again.outcome == "resolved" and len(stores.seen) == 1


def test_disk_cache_honours_freshness(stores: LocalServers, tmp_path: Path) -> None:
    stores.routes[play_route("com.example.game")] = page(
        "google_play.html", {"Cache-Control": "max-age=3600"}
    )
    stores.routes[play_route("com.example.fresh")] = play_page(
        "com.example.fresh", {"Cache-Control": "no-store"}
    )
    resolver(stores, cache_dir=tmp_path).resolve(["com.example.game", "com.example.fresh"])
    assert len(stores.seen) == 2
    later = resolver(stores, cache_dir=tmp_path).resolve(["com.example.game", "com.example.fresh"])
    assert all(r.outcome == "resolved" for r in later)
    # The fresh copy is used; the one its server said not to keep is asked for again.
    assert [s.path for s in stores.seen[2:]] == [
        "/store/apps/details?id=com.example.fresh&hl=en&gl=US"
    ]


# ---- the SSRF guard ----------------------------------------------------------------------------


def test_store_on_a_private_address_is_refused(stores: LocalServers) -> None:
    local = f"http://127.0.0.1:{stores.http_port}"
    stores.routes[play_route("com.example.game")] = redirect(
        f"{local}/store/apps/details?id=com.example.game"
    )
    stores.routes["http://127.0.0.1/store/apps/details?id=com.example.game"] = page(
        "google_play.html"
    )
    [found] = resolver(stores).resolve(["com.example.game"])
    assert found.outcome == "fetch-error" and "non-public" in found.detail
    assert [s.host for s in stores.seen] == ["play.google.com"]


def _crawl_apps(
    stores: LocalServers, tmp_path: Path, *extra: str
) -> tuple[object, list[dict[str, object]]]:
    apps = tmp_path / "apps.txt"
    apps.write_text("com.example.game\n# a comment\ncom.example.quiet\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = adstxt(
        "crawl",
        "--apps",
        str(apps),
        "-o",
        str(out),
        "--overwrite",
        "--processes",
        "1",
        "--mirror",
        str(tmp_path / "mirror"),
        "--no-mirror-sellers",
        "--store",
        str(tmp_path / "adstxt.sqlite"),
        *cli_options(stores),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        *http_bases(),
        *extra,
    )
    lines = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return done, lines


def test_developer_file_redirecting_to_loopback_is_not_fetched_unless_allowed(
    stores: LocalServers, tmp_path: Path
) -> None:
    body = (
        (DATA / "google_play.html")
        .read_bytes()
        .replace(b"https://www.example.com/games", b"https://www.example.net/")
    )
    stores.routes["http://play.google.com/store/apps/details?id=com.example.game&hl=en&gl=US"] = (
        Reply(200, body, {"Content-Type": HTML})
    )
    target = f"http://127.0.0.1:{stores.http_port}/app-ads.txt"
    stores.routes["*://example.net/app-ads.txt"] = redirect(target, 302)
    stores.routes["http://127.0.0.1/app-ads.txt"] = text(b"exchange.com, 1, DIRECT\n")
    _done, lines = _crawl_apps(stores, tmp_path)
    [line] = lines
    assert line["outcome"] == "blocked-address" and line["apps"] == ["google-play:com.example.game"]
    assert not any(s.host == "127.0.0.1" for s in stores.seen)
    stores.seen.clear()
    _done, lines = _crawl_apps(stores, tmp_path, "--allow-private-addresses")
    [line] = lines
    assert line["outcome"] == "ok" and line["records"] == 1
    assert any(s.host == "127.0.0.1" for s in stores.seen)


# ---- commands ------------------------------------------------------------------------------


def test_apps_resolve_text_json_and_csv(stores: LocalServers) -> None:
    stores.routes["http://play.google.com/store/apps/details?id=com.example.game&hl=en&gl=US"] = (
        page("google_play.html")
    )
    args = ["apps", "resolve", "com.example.game", *cli_options(stores), *http_bases()]
    done = adstxt(*args)
    assert done.returncode == 0, done.stderr
    assert "com.example.game: resolved" in done.stdout
    assert "app-ads.txt: https://example.com/app-ads.txt" in done.stdout
    as_json = adstxt(*args, "--output-format", "json")
    [data] = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert data["domain"] == "example.com" and data["store"] == "google-play"
    as_csv = adstxt(*args, "--output-format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert rows[0]["app_ads_url"] == "https://example.com/app-ads.txt"


def test_apps_resolve_exit_status_and_usage(stores: LocalServers, tmp_path: Path) -> None:
    listed = tmp_path / "ids.txt"
    listed.write_text("samsung:com.example.tv  # unsupported\n\n", encoding="utf-8")
    done = adstxt("apps", "resolve", "--from", str(listed), *cli_options(stores))
    assert done.returncode == 1 and "unsupported-store" in done.stdout
    assert adstxt("apps", "resolve").returncode == 2
    assert adstxt("apps").returncode == 2
    bad = adstxt("apps", "resolve", "com.x.y", "--store-base", "nowhere=https://x.example.com")
    assert bad.returncode == 2 and "no store base named" in bad.stderr
    missing = adstxt("apps", "resolve", "--from", str(tmp_path / "absent.txt"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    stores_list = adstxt("apps", "stores")
    assert stores_list.returncode == 0 and "lg: LG Content Store" in stores_list.stdout


def test_crawl_apps_writes_the_mapping(stores: LocalServers, tmp_path: Path) -> None:
    stores.routes["http://play.google.com/store/apps/details?id=com.example.game&hl=en&gl=US"] = (
        page("google_play.html")
    )
    stores.routes["http://play.google.com/store/apps/details?id=com.example.quiet&hl=en&gl=US"] = (
        page("google_play_no_website.html")
    )
    stores.routes["*://example.com/app-ads.txt"] = text(b"exchange.com, 1, DIRECT\n")
    done, lines = _crawl_apps(stores, tmp_path)
    assert [line["domain"] for line in lines] == ["example.com"]
    assert lines[0]["apps"] == ["google-play:com.example.game"]
    assert "com.example.quiet: no-developer-url" in done.stderr  # type: ignore[attr-defined]
    mapping = [
        Resolution.from_json(json.loads(line))
        for line in (tmp_path / "mirror" / "apps.jsonl").read_text().splitlines()
    ]
    assert [(m.query, m.outcome, m.domain) for m in mapping] == [
        ("com.example.game", "resolved", "example.com"),
        ("com.example.quiet", "no-developer-url", None),
    ]
    assert (tmp_path / "mirror" / "example.com" / "app-ads.txt").exists()


def test_crawl_needs_domains_or_apps(tmp_path: Path) -> None:
    done = adstxt("crawl", "-o", str(tmp_path / "o.jsonl"))
    assert done.returncode == 2 and "--apps" in done.stderr


def test_authorized_app_bundle(stores: LocalServers, tmp_path: Path) -> None:
    stores.routes["http://play.google.com/store/apps/details?id=com.example.game&hl=en&gl=US"] = (
        page("google_play.html")
    )
    stores.routes["*://example.com/app-ads.txt"] = text(b"exchange.com, 1234, DIRECT\n")
    args = [
        "authorized",
        "--fetch",
        "--app",
        *cli_options(stores),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        *http_bases(),
    ]
    done = adstxt(*args, "--output-format", "json", "com.example.game", "exchange.com", "1234")
    data = json.loads(done.stdout)
    assert data["app"]["domain"] == "example.com"
    assert data["evidence"]["file"].endswith("example.com/app-ads.txt")
    assert data["verdict"] in ("authorized-direct", "authorized-reseller"), data
    missing = adstxt(*args, "com.example.removed", "exchange.com", "1234")
    assert missing.returncode == 1 and "app not resolved: not-found" in missing.stdout


@pytest.mark.parametrize(
    ("app", "origin"),
    [
        ({"bundle": "com.example.game"}, "app.bundle"),
        (
            {
                "bundle": "unknown-bundle",
                "storeurl": "https://play.google.com/store/apps/details?id=com.example.game",
            },
            "app.storeurl",
        ),
    ],
)
def test_schain_resolves_app_bundles(
    stores: LocalServers, app: dict[str, str], origin: str
) -> None:
    stores.routes["http://play.google.com/store/apps/details?id=com.example.game&hl=en&gl=US"] = (
        page("google_play.html")
    )
    stores.routes["*://example.com/app-ads.txt"] = text(b"exchange.com, 1234, DIRECT\n")
    sellers = {
        "version": "1.0",
        "sellers": [{"seller_id": "1234", "seller_type": "PUBLISHER", "domain": "example.com"}],
    }
    stores.routes["*://exchange.com/sellers.json"] = text(
        json.dumps(sellers).encode(), "application/json"
    )
    chain = {
        "ver": "1.0",
        "complete": 1,
        "nodes": [{"asi": "exchange.com", "sid": "1234", "hp": 1}],
    }
    request = {"app": app, "source": {"ext": {"schain": chain}}}
    done = adstxt(
        "schain",
        json.dumps(request),
        "--fetch",
        "--resolve-apps",
        "--output-format",
        "json",
        *cli_options(stores),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        *http_bases(),
    )
    data = json.loads(done.stdout)
    assert done.returncode == 0 and data["verdict"] == "valid", data
    assert data["publisher"] == {
        "domain": "https://www.example.com/games",
        "kind": "app-ads.txt",
        "inventory_partner": None,
        "origin": origin,
    }
    assert data["nodes"][0]["ads_txt"]["evidence"]["file"] == "http://example.com/app-ads.txt"


def test_apple_bundle_id_without_seller_url_reads_the_listing(stores: LocalServers) -> None:
    stores.routes["https://itunes.apple.com/lookup?bundleId=com.example.notes"] = page(
        "apple_lookup_no_seller.json"
    )
    stores.routes["https://apps.apple.com/app/id2222222222"] = page("apple_listing.html")
    [found] = resolver(stores).resolve(["apple:com.example.notes"])
    assert found.outcome == "resolved" and found.domain == "example.net"
    assert found.listing_url == "https://apps.apple.com/app/id2222222222"


def test_apple_bundle_id_unknown_to_the_lookup_is_not_found(stores: LocalServers) -> None:
    stores.routes["https://itunes.apple.com/lookup?bundleId=com.example.gone"] = page(
        "apple_lookup_empty.json"
    )
    [found] = resolver(stores).resolve(["apple:com.example.gone"])
    assert found.outcome == "not-found"
    assert [s.host for s in stores.seen] == ["itunes.apple.com"]  # no ID to name a page by


def test_listing_known_by_its_og_url_and_an_empty_meta_tag(stores: LocalServers) -> None:
    stores.routes["https://channelstore.roku.com/details/plain"] = Reply(
        200,
        b'<html><head><meta property="og:url" content="https://channelstore.roku.com/'
        b'details/plain/x"></head><body></body></html>',
        {"Content-Type": HTML},
    )
    stores.routes["https://channelstore.roku.com/details/empty"] = Reply(
        200,
        b'<html><head><meta name="appstore:developer_url" content=" "></head></html>',
        {"Content-Type": HTML},
    )
    plain, empty = resolver(stores).resolve(["roku:plain", "roku:empty"])
    assert plain.outcome == "no-developer-url"
    assert empty.outcome == "no-developer-url" and "empty" in empty.detail


def test_developer_lookup_resolves_on_first_use(stores: LocalServers) -> None:
    from adstxt.apps import DeveloperLookup

    stores.routes[play_route("com.example.game")] = page("google_play.html")
    lookup = DeveloperLookup(resolver(stores))
    assert "com.example.game" in lookup and "com.example.removed" not in lookup
    assert lookup["com.example.game"] == "https://www.example.com/games"
    assert list(lookup) == ["com.example.game"] and len(lookup) == 1
    assert len(stores.seen) == 2  # each asked once, however often it is looked up


def test_disk_cache_remembers_a_removed_app_for_a_day(stores: LocalServers, tmp_path: Path) -> None:
    [first] = resolver(stores, cache_dir=tmp_path).resolve(["com.example.removed"])
    [again] = resolver(stores, cache_dir=tmp_path).resolve(["com.example.removed"])
    assert first.outcome == again.outcome == "not-found"
    assert len(stores.seen) == 1


def test_crawl_apps_records_a_change_of_developer_domain(
    stores: LocalServers, tmp_path: Path
) -> None:
    listing = "http://play.google.com/store/apps/details?id=com.example.game&hl=en&gl=US"
    stores.routes[listing] = page("google_play.html")
    stores.routes["*://example.com/app-ads.txt"] = text(b"exchange.com, 1, DIRECT\n")
    _crawl_apps(stores, tmp_path)
    history = tmp_path / "mirror" / "apps-history.jsonl"
    assert not history.exists()
    moved = (
        (DATA / "google_play.html")
        .read_bytes()
        .replace(b"https://www.example.com/games", b"https://www.example.org/")
    )
    stores.routes[listing] = Reply(200, moved, {"Content-Type": HTML})
    stores.routes["*://example.org/app-ads.txt"] = text(b"exchange.com, 2, DIRECT\n")
    _crawl_apps(stores, tmp_path)
    [event] = [json.loads(line) for line in history.read_text().splitlines()]
    assert (event["app"], event["from"], event["to"]) == (
        "google-play:com.example.game",
        "example.com",
        "example.org",
    )
    # A store that cannot be read is no change: the last known domain stands.
    stores.routes[listing] = Reply(503, b"", {})
    _crawl_apps(stores, tmp_path)
    assert len(history.read_text().splitlines()) == 1
    records = [
        json.loads(line) for line in (tmp_path / "mirror" / "apps.jsonl").read_text().splitlines()
    ]
    assert [r["domain"] for r in records if r["app_id"] == "com.example.game"] == ["example.org"]


# ---- bad input never crashes -----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_identifier_or_developer_url_gives_an_answer(value: str) -> None:
    ref = parse_app_id(value)
    assert (ref.app_id is not None and ref.problem is None) or ref.problem
    assert derive(value).outcome in ("resolved", "shared-host", "invalid-developer-url")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["google-play", "apple", "roku", "amazon"]))
def test_any_store_answer_gives_a_finding(body: bytes, store: str) -> None:
    assert read_listing(store, body).state in ("found", "no-developer-url", "layout-not-understood")
    assert read_lookup(body).state in ("found", "not-found", "layout-not-understood", "listing")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"query": 1, "outcome": "resolved", "resolved_at": "2026-01-01T00:00:00+00:00"},
        {"query": "x", "outcome": "resolved", "resolved_at": 5},
        {"query": "x", "outcome": "resolved", "resolved_at": "2026-01-01", "app_ads_hosts": 5},
    ],
)
def test_resolution_records_from_bad_json(data: dict[str, object]) -> None:
    try:
        found = Resolution.from_json(data)
    except ValueError:
        return
    assert found.app_ads_hosts == ()


def test_apps_resolve_in_a_real_process_never_shows_a_traceback(tmp_path: Path) -> None:
    done = run_process("apps", "resolve", "samsung:x", "--store-base", "apple=notaurl")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "apple=notaurl" in done.stderr


def test_authorized_batch_resolves_apps(stores: LocalServers, tmp_path: Path) -> None:
    stores.routes["http://play.google.com/store/apps/details?id=com.example.game&hl=en&gl=US"] = (
        page("google_play.html")
    )
    stores.routes["*://example.com/app-ads.txt"] = text(b"exchange.com, 1234, DIRECT\n")
    questions = tmp_path / "q.jsonl"
    rows = [
        {"publisher": "com.example.game", "ad_system": "exchange.com", "seller_id": "1234"},
        {"publisher": "com.example.removed", "ad_system": "exchange.com", "seller_id": "1"},
    ]
    questions.write_text(
        "".join(json.dumps({**r, "kind": "app-ads.txt"}) + "\n" for r in rows), encoding="utf-8"
    )
    done = adstxt(
        "authorized",
        "--fetch",
        "--batch",
        str(questions),
        "--output-format",
        "json",
        *cli_options(stores),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        *http_bases(),
    )
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["app"]["domain"] == "example.com" and first["verdict"] == "authorized-direct"
    assert "not-found" in second["error"] and done.returncode == 1
