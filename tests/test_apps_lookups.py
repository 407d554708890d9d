"""App resolution inside the lookups and the commands: offline answers from a mirror's
apps.jsonl, names that are domains, why an app gave no publisher, one key per app, the
listing checked against the app asked for, the cache's layout and the commands' options.
Stores are real loopback servers serving the fixtures of tests/data/apps/."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli import adstxt
from tests.httpserver import LocalServers, Reply, closed_port, text
from tests.test_apps import (
    DATA,
    HTML,
    cli_options,
    http_bases,
    page,
    play_page,
    resolver,
    stores,
    stores_servers,
)

pytest.importorskip("h11")
pytest.importorskip("selectolax")

__all__ = ["stores", "stores_servers"]  # the fixtures, imported to be used here

PLAY_HTTP = "http://play.google.com/store/apps/details?id={}&hl=en&gl=US"
SELLERS = {
    "version": "1.0",
    "sellers": [{"seller_id": "1234", "seller_type": "PUBLISHER", "domain": "example.com"}],
}


def fetching(stores: LocalServers) -> list[str]:
    """The options that send every request, stores and sites, to the loopback servers."""
    return [
        *cli_options(stores),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        *http_bases(),
    ]


def crawl_apps(stores: LocalServers, tmp_path: Path, ids: str, *extra: str) -> tuple[str, Path]:
    """``crawl --apps`` of ``ids`` into ``tmp_path/mirror``: its stderr and the mirror."""
    listed = tmp_path / "apps.txt"
    listed.write_text(ids, encoding="utf-8")
    mirror = tmp_path / "mirror"
    done = adstxt(
        "crawl",
        "--apps",
        str(listed),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--overwrite",
        "--processes",
        "1",
        "--mirror",
        str(mirror),
        "--no-mirror-sellers",
        "--store",
        str(tmp_path / "adstxt.sqlite"),
        *fetching(stores),
        *extra,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stderr, mirror


def serve_game(stores: LocalServers) -> None:
    stores.routes[PLAY_HTTP.format("com.example.game")] = page("google_play.html")
    stores.routes[PLAY_HTTP.format("com.example.quiet")] = page("google_play_no_website.html")
    stores.routes["*://example.com/app-ads.txt"] = text(b"exchange.com, 1234, DIRECT\n")
    stores.routes["*://exchange.com/sellers.json"] = text(
        json.dumps(SELLERS).encode(), "application/json"
    )


# ---- a name that reads as a domain stays a domain ------------------------------------------


def test_a_developer_host_is_a_domain_and_an_offline_run_asks_no_store(tmp_path: Path) -> None:
    # tv.example.co.uk is the Roku fixture's developer host: .tv is a top-level domain,
    # but the name is a host under a public suffix, so it is read as the domain it is.
    mirror = tmp_path / "mirror"
    (mirror / "tv.example.co.uk").mkdir(parents=True)
    (mirror / "tv.example.co.uk" / "app-ads.txt").write_text(
        "google.com, pub-1, DIRECT\n", encoding="utf-8"
    )
    done = adstxt(
        "authorized",
        "--app",
        "tv.example.co.uk",
        "google.com",
        "pub-1",
        "--source",
        str(mirror),
        "--output-format",
        "json",
    )
    data = json.loads(done.stdout)
    assert "app" not in data and "app not resolved" not in done.stdout, done.stdout
    assert data["evidence"]["file"].endswith("tv.example.co.uk/app-ads.txt"), data


# ---- offline: the mirror's apps.jsonl answers app questions ---------------------------------


def test_the_mirror_answers_app_questions_offline(stores: LocalServers, tmp_path: Path) -> None:
    serve_game(stores)
    _, mirror = crawl_apps(stores, tmp_path, "com.example.game\ncom.example.quiet\n")
    stores.routes.clear()
    stores.seen.clear()
    ask = ["authorized", "--app", "--source", str(mirror), "--output-format", "json"]
    done = adstxt(*ask, "com.example.game", "exchange.com", "1234")
    data = json.loads(done.stdout)
    assert done.returncode == 0 and data["verdict"] == "authorized-direct", done.stdout
    assert data["app"]["domain"] == "example.com" and data["app"]["query"] == "com.example.game"
    # Any form of the app finds its record.
    as_url = adstxt(
        *ask,
        "https://play.google.com/store/apps/details?id=com.example.game",
        "exchange.com",
        "1234",
    )
    assert json.loads(as_url.stdout)["verdict"] == "authorized-direct"
    quiet = adstxt(*ask[:-2], "com.example.quiet", "exchange.com", "1234")
    assert quiet.returncode == 1 and "app not resolved: no-developer-url" in quiet.stdout
    absent = adstxt(*ask[:-2], "com.example.absent", "exchange.com", "1234")
    assert absent.returncode == 1 and "not-in-mirror" in absent.stdout
    assert "no store is asked" in absent.stdout
    assert stores.seen == []  # not one request: the answers came from the mirror


def test_a_batch_question_about_an_app_is_answered_from_the_mirror(
    stores: LocalServers, tmp_path: Path
) -> None:
    serve_game(stores)
    _, mirror = crawl_apps(stores, tmp_path, "com.example.game\n")
    stores.routes.clear()
    stores.seen.clear()
    questions = tmp_path / "q.jsonl"
    rows = [
        {"publisher": "com.example.game", "ad_system": "exchange.com", "seller_id": "1234"},
        {"publisher": "example.com", "ad_system": "exchange.com", "seller_id": "1234"},
    ]
    questions.write_text(
        "".join(json.dumps({**row, "kind": "app-ads.txt"}) + "\n" for row in rows),
        encoding="utf-8",
    )
    done = adstxt(
        "authorized", "--batch", str(questions), "--source", str(mirror), "--output-format", "json"
    )
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["app"]["domain"] == "example.com" and first["verdict"] == "authorized-direct"
    assert "app" not in second and second["verdict"] == "authorized-direct"
    assert stores.seen == []


def test_a_name_that_could_be_either_is_the_app_the_mirror_resolved(
    stores: LocalServers, tmp_path: Path
) -> None:
    # tv.pluto.android reads as a host (.android is a top-level domain). With no files
    # for that domain in the mirror and its app resolved there, it is the app.
    serve_game(stores)
    stores.routes[PLAY_HTTP.format("tv.pluto.android")] = play_page("tv.pluto.android")
    _, mirror = crawl_apps(stores, tmp_path, "google-play:tv.pluto.android\n")
    done = adstxt(
        "authorized",
        "--app",
        "tv.pluto.android",
        "exchange.com",
        "1234",
        "--source",
        str(mirror),
        "--output-format",
        "json",
    )
    data = json.loads(done.stdout)
    assert data["app"]["app_id"] == "tv.pluto.android"
    assert data["verdict"] == "authorized-direct", data


def test_schain_resolves_bundles_from_the_mirror_offline(
    stores: LocalServers, tmp_path: Path
) -> None:
    serve_game(stores)
    stores.routes["*://exchange.com/sellers.json"] = text(
        json.dumps(SELLERS).encode(), "application/json"
    )
    _, mirror = crawl_apps(stores, tmp_path, "com.example.game\ncom.example.quiet\n")
    (mirror / "exchange.com").mkdir(exist_ok=True)
    (mirror / "exchange.com" / "sellers.json").write_text(json.dumps(SELLERS), encoding="utf-8")
    stores.routes.clear()
    stores.seen.clear()
    chain = {
        "ver": "1.0",
        "complete": 1,
        "nodes": [{"asi": "exchange.com", "sid": "1234", "hp": 1}],
    }
    requests = tmp_path / "requests.jsonl"
    requests.write_text(
        "".join(
            json.dumps({"app": {"bundle": bundle}, "source": {"schain": chain}}) + "\n"
            for bundle in ("com.example.game", "com.example.quiet")
        ),
        encoding="utf-8",
    )
    done = adstxt(
        "schain",
        str(requests),
        "--source",
        str(mirror),
        "--resolve-apps",
        "--output-format",
        "json",
    )
    game, quiet = (json.loads(line) for line in done.stdout.splitlines())
    assert game["verdict"] == "valid" and game["publisher"]["origin"] == "app.bundle", game
    reasons = " ".join(quiet["nodes"][0]["reasons"])
    assert "app.bundle 'com.example.quiet' did not resolve (no-developer-url" in reasons, reasons
    assert "none was given" not in reasons
    assert stores.seen == []


def test_resolving_apps_needs_a_source_or_fetching() -> None:
    done = adstxt("schain", '{"ver":"1.0","complete":1,"nodes":[]}', "--resolve-apps")
    assert done.returncode == 2 and "needs --source DIR" in done.stderr


# ---- schain: why an app gave no publisher ----------------------------------------------------


@pytest.mark.parametrize(
    ("route", "reply", "outcome"),
    [
        ("com.gh.app", None, "shared-host"),
        ("com.five.app", Reply(500, b"", {}), "fetch-error"),
    ],
)
def test_schain_says_why_a_bundle_gave_no_publisher(
    stores: LocalServers, route: str, reply: Reply | None, outcome: str
) -> None:
    if reply is None:
        body = (DATA / "google_play.html").read_bytes()
        body = body.replace(b"com.example.game", route.encode())
        body = body.replace(b"https://www.example.com/games", b"https://dev.github.io/")
        reply = Reply(200, body, {"Content-Type": HTML})
    stores.routes[PLAY_HTTP.format(route)] = reply
    chain = {"ver": "1.0", "complete": 1, "nodes": [{"asi": "exchange.com", "sid": "1", "hp": 1}]}
    request = {"app": {"bundle": route}, "source": {"schain": chain}}
    done = adstxt(
        "schain",
        json.dumps(request),
        "--fetch",
        "--resolve-apps",
        "--output-format",
        "json",
        *fetching(stores),
    )
    data = json.loads(done.stdout)
    reasons = " ".join(data["nodes"][0]["reasons"])
    assert f"app.bundle {route!r} did not resolve ({outcome}" in reasons, reasons


def test_an_app_store_url_goes_before_a_bundle_read_as_a_play_package(
    stores: LocalServers,
) -> None:
    # The bundle is an iOS bundle ID; Google Play has an app of the same name by another
    # developer. The storeurl says the App Store: that is the app.
    stores.routes[PLAY_HTTP.format("com.example.puzzle")] = play_page("com.example.puzzle")
    stores.routes["http://itunes.apple.com/lookup?id=1234567890"] = page("apple_lookup.json")
    chain = {"ver": "1.0", "complete": 1, "nodes": [{"asi": "exchange.com", "sid": "1", "hp": 1}]}
    app = {
        "bundle": "com.example.puzzle",
        "storeurl": "https://apps.apple.com/us/app/example-puzzle/id1234567890",
    }
    done = adstxt(
        "schain",
        json.dumps({"app": app, "source": {"schain": chain}}),
        "--fetch",
        "--resolve-apps",
        "--output-format",
        "json",
        *fetching(stores),
    )
    publisher = json.loads(done.stdout)["publisher"]
    assert publisher["origin"] == "app.storeurl", publisher
    assert publisher["domain"] == "https://puzzles.example.org/"
    assert not any(s.host == "play.google.com" for s in stores.seen)


# ---- one app, one key, one record -----------------------------------------------------------


def test_an_apple_app_asked_by_bundle_and_by_number_is_asked_once(stores: LocalServers) -> None:
    stores.routes["https://itunes.apple.com/lookup?bundleId=com.example.puzzle"] = page(
        "apple_lookup.json"
    )
    stores.routes["https://itunes.apple.com/lookup?id=1234567890"] = page("apple_lookup.json")
    found = resolver(stores).resolve(["apple:com.example.puzzle", "id1234567890"])
    assert [r.key for r in found] == ["apple:1234567890", "apple:1234567890"]
    assert [r.query for r in found] == ["apple:com.example.puzzle", "id1234567890"]
    assert len(stores.seen) == 1 and "bundleId" in stores.seen[0].path


def test_crawl_records_an_app_given_in_three_forms_once(
    stores: LocalServers, tmp_path: Path
) -> None:
    serve_game(stores)
    forms = (
        "com.example.game\ngoogle-play:com.example.game\n"
        "https://play.google.com/store/apps/details?id=com.example.game\n"
    )
    stderr, mirror = crawl_apps(stores, tmp_path, forms)
    [line] = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert line["apps"] == ["google-play:com.example.game"]
    assert "1 of 1 apps resolved" in stderr, stderr
    assert len((mirror / "apps.jsonl").read_text().splitlines()) == 1
    # The developer moves: one change event, not one per form.
    body = (DATA / "google_play.html").read_bytes()
    moved = body.replace(b"https://www.example.com/games", b"https://games.example.net/")
    stores.routes[PLAY_HTTP.format("com.example.game")] = Reply(200, moved, {"Content-Type": HTML})
    stores.routes["*://games.example.net/app-ads.txt"] = text(b"exchange.com, 1, DIRECT\n")
    crawl_apps(stores, tmp_path, forms)
    events = (mirror / "apps-history.jsonl").read_text().splitlines()
    assert [json.loads(e)["to"] for e in events] == ["example.net"]


# ---- the listing must be the app's ------------------------------------------------------------


def test_a_listing_of_another_app_is_wrong_app(stores: LocalServers) -> None:
    stores.routes["https://play.google.com/store/apps/details?id=com.example.other&hl=en&gl=US"] = (
        page("google_play.html")  # names com.example.game in appstore:bundle_id
    )
    stores.routes["https://itunes.apple.com/lookup?id=5555555555"] = page("apple_lookup.json")
    play, apple = resolver(stores).resolve(["com.example.other", "5555555555"])
    assert play.outcome == "wrong-app" and "'com.example.game'" in play.detail
    assert play.developer_url is None and play.domain is None
    assert apple.outcome == "wrong-app" and "1234567890" in apple.detail


def test_a_page_not_understood_is_not_kept_in_the_cache(
    stores: LocalServers, tmp_path: Path
) -> None:
    route = "https://play.google.com/store/apps/details?id=com.consent.app&hl=en&gl=US"
    stores.routes[route] = page("google_play_consent.html")
    [first] = resolver(stores, cache_dir=tmp_path).resolve(["com.consent.app"])
    assert first.outcome == "layout-not-understood"
    stores.routes[route] = play_page("com.consent.app")
    [again] = resolver(stores, cache_dir=tmp_path).resolve(["com.consent.app"])
    assert again.outcome == "resolved", again.detail
    [cached] = resolver(stores, cache_dir=tmp_path).resolve(["com.consent.app"])
    assert cached.outcome == "resolved" and len(stores.seen) == 2  # the listing is kept


# ---- one cache layout, one option name -------------------------------------------------------


def test_every_command_keeps_store_answers_in_dir_apps(
    stores: LocalServers, tmp_path: Path
) -> None:
    serve_game(stores)
    cache = tmp_path / "cache"
    resolved = adstxt(
        "apps", "resolve", "com.example.game", "--cache-dir", str(cache), *fetching(stores)
    )
    assert resolved.returncode == 0, resolved.stderr
    assert any((cache / "apps").iterdir()) and not (cache / "apps" / "apps").exists()
    # authorized reads the answer apps resolve kept: the store is not asked again.
    stores.routes.pop(PLAY_HTTP.format("com.example.game"))
    stores.seen.clear()
    done = adstxt(
        "authorized",
        "--fetch",
        "--app",
        "--cache-dir",
        str(cache),
        "com.example.game",
        "exchange.com",
        "1234",
        *fetching(stores),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not any(s.host == "play.google.com" for s in stores.seen)
    assert not (cache / "apps" / "apps").exists()
    crawl_help = adstxt("crawl", "--help").stdout
    assert "--cache-dir DIR" in crawl_help and "--apps-cache" not in crawl_help
    assert "--cache DIR" not in adstxt("apps", "resolve", "--help").stdout


# ---- usage errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("base", ["http://127.0.0.1:8181", "http://localhost", "http://[::1]/"])
def test_a_store_base_that_is_no_domain_is_a_usage_error(base: str) -> None:
    done = adstxt(
        "apps",
        "resolve",
        "com.a.b",
        "--store-base",
        f"google-play={base}",
        "--allow-private-addresses",
    )
    assert done.returncode == 2 and "must be a domain name" in done.stderr, done.stderr


def test_crawl_apps_with_kind_ads_txt_is_a_usage_error(tmp_path: Path) -> None:
    listed = tmp_path / "apps.txt"
    listed.write_text("com.example.game\n", encoding="utf-8")
    done = adstxt(
        "crawl", "--apps", str(listed), "--kind", "ads.txt", "-o", str(tmp_path / "o.jsonl")
    )
    assert done.returncode == 2 and "--kind ads.txt" in done.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_an_empty_id_file_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "e.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    done = adstxt("apps", "resolve", "--from", str(empty))
    assert done.returncode == 2
    assert "e.txt holds no app IDs" in done.stderr and "ID... or --from" not in done.stderr


# ---- outputs -----------------------------------------------------------------------------------


def test_store_content_and_ids_reach_the_terminal_escaped(
    stores: LocalServers, tmp_path: Path
) -> None:
    body = (DATA / "google_play.html").read_bytes().replace(b"com.example.game", b"com.ctl.app")
    body = body.replace(
        b"https://www.example.com/games", b"https://evil.example&#x202e;.com/\x1b[31mRED"
    )
    stores.routes[PLAY_HTTP.format("com.ctl.app")] = Reply(200, body, {"Content-Type": HTML})
    done = adstxt("apps", "resolve", "com.ctl.app", *fetching(stores))
    assert "developer URL:" in done.stdout
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert "\\x1b" in done.stdout and "\\u202e" in done.stdout
    listed = tmp_path / "bin.txt"
    listed.write_bytes("\ufeffcom.\x00bad\n".encode("utf-16"))
    from_file = adstxt("apps", "resolve", "--from", str(listed))
    assert "\x00" not in from_file.stdout and "\\x00" in from_file.stdout


def test_csv_carries_the_app_ads_hosts(stores: LocalServers) -> None:
    stores.routes["http://channelstore.roku.com/details/abc123def456"] = page("roku_listing.html")
    done = adstxt(
        "apps", "resolve", "roku:abc123def456", "--output-format", "csv", *fetching(stores)
    )
    [row] = csv.DictReader(io.StringIO(done.stdout))
    assert row["app_ads_hosts"] == "tv.example.co.uk example.co.uk"


def test_the_text_output_names_the_app_ads_txt_url_once(stores: LocalServers) -> None:
    serve_game(stores)
    done = adstxt("apps", "resolve", "com.example.game", *fetching(stores))
    assert done.stdout.count("https://example.com/app-ads.txt") == 1, done.stdout
    assert "www.example.com is on example.com, the developer's own domain" in done.stdout


def test_mirror_records_survive_damaged_lines_and_say_what_is_missing(tmp_path: Path) -> None:
    from adstxt.apps import MirrorApps, Resolution

    absent = MirrorApps(tmp_path).resolve_one("com.example.game")
    assert absent.outcome == "not-in-mirror" and "apps.jsonl does not exist" in absent.detail
    good = Resolution(
        "com.example.game",
        "resolved",
        "google-play",
        "com.example.game",
        developer_url="https://www.example.com/",
        domain="example.com",
        app_ads_hosts=("example.com",),
    )
    (tmp_path / "apps.jsonl").write_text(
        "{not json\n" + json.dumps({"query": 1}) + "\n" + json.dumps(good.to_json()) + "\n",
        encoding="utf-8",
    )
    mirror = MirrorApps(tmp_path)
    found = mirror.resolve_one("google-play:com.example.game")
    assert found.resolved and found.domain == "example.com"
    assert found.query == "google-play:com.example.game"
    assert mirror.resolve_one("samsung:x").outcome == "unsupported-store"
    assert mirror.resolve_one("not an app").outcome == "unrecognized"
    missing = mirror.resolve_one("id1234567890")
    assert missing.outcome == "not-in-mirror" and "no record of apple:1234567890" in missing.detail
