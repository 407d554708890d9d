"""The crawl store as the source of the lookup commands: ``authorized --store`` and ``schain
--store`` answer offline from a real store (a SQLite file, and a PostgreSQL database where
one can run), and ``crawl --apps`` keeps the app-to-domain mapping in the store with its
history (``app-domain-changed`` events, ``history`` of an app), which ``--app`` and
``--resolve-apps`` then read without asking any app store; ``audit --store`` gives the
same results as from the mirror the store was filled from."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import adstxt
from adstxt.apps import Resolution
from adstxt.store import Store, open_store
from adstxt.store._apps import StoreApps, record_resolutions, resolutions
from tests.cli import adstxt as run
from tests.test_store import FIRST, day, fetched

SELLERS = {
    "version": "1.0",
    "sellers": [{"seller_id": "1", "seller_type": "PUBLISHER", "domain": "a.com"}],
}
CHAIN = "1.0,1!x.com,1,,,,"


def fill(store: Store) -> None:
    """a.com serves FIRST (x.com 1 DIRECT); b.com has none; x.com's sellers.json lists 1."""
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    store.record(None, [("b.com", [fetched("b.com", None, day(1), outcome="not-found")])])
    item = fetched("x.com", json.dumps(SELLERS).encode(), day(1), kind="sellers.json")
    object.__setattr__(item, "parse_result", adstxt.parse(""))
    store.record(None, [("x.com", [item])])


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store holding :func:`fill`'s files: a SQLite file or a PostgreSQL URL."""
    where = (
        str(tmp_path / "s.sqlite")
        if request.param == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    with open_store(where) as store:
        fill(store)
    return where


def resolved(app_id: str, domain: str | None, when: int, outcome: str = "resolved") -> Resolution:
    return Resolution(
        query=app_id,
        outcome=outcome,
        store="google-play",
        app_id=app_id,
        listing_url=f"https://play.google.com/store/apps/details?id={app_id}",
        developer_url=f"https://www.{domain}/games" if domain else None,
        source="link:Developer Website" if domain else None,
        domain=domain,
        app_ads_hosts=(f"www.{domain}", domain) if domain else (),
        detail="" if domain else "no store answer",
        resolved_at=dt.datetime(2026, 1, when, tzinfo=dt.UTC),
    )


# ---- authorized and schain with --store ------------------------------------------------------


def test_authorized_answers_from_the_store(location: str) -> None:
    ok = run("authorized", "a.com", "x.com", "1", "--store", location, "--output-format", "json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["verdict"] == "authorized-direct"
    wrong = run("authorized", "a.com", "x.com", "9", "--store", location)
    assert wrong.returncode == 1 and wrong.stdout.startswith("unauthorized:")
    missing = run("authorized", "b.com", "x.com", "1", "--store", location)
    assert missing.returncode == 1 and missing.stdout.startswith("no-file:")
    assert (
        run("authorized", "b.com", "x.com", "1", "--store", location, "--no-file-ok").returncode
        == 0
    )


def test_authorized_batch_reads_the_store(location: str, tmp_path: Path) -> None:
    questions = tmp_path / "q.csv"
    questions.write_text("a.com,x.com,1\na.com,x.com,2\n", encoding="utf-8")
    done = run("authorized", "--batch", str(questions), "--store", location)
    assert done.returncode == 1
    first, second = done.stdout.splitlines()
    assert first == (
        "line 1: a.com x.com 1: authorized-direct: https://a.com/ads.txt line 1 lists "
        "x.com, 1, DIRECT"
    )
    assert second.startswith("line 2: a.com x.com 2: unauthorized")


def test_schain_verifies_against_the_store(location: str) -> None:
    done = run(
        "schain", CHAIN, "--publisher", "a.com", "--store", location, "--output-format", "json"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["verdict"] == "valid", data
    unknown = run("schain", "1.0,1!x.com,7,,,,", "--publisher", "a.com", "--store", location)
    assert unknown.returncode == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--fetch"], "not allowed with argument"),
        (["--source", "."], "not allowed with argument"),
        (["--cache-dir", "c"], "--cache-dir needs --fetch; --store reads no site"),
        (["--connect-to", "a:1:b:2"], "--connect-to needs --fetch"),
    ],
)
def test_store_is_one_source_among_the_others(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    where = tmp_path / "s.sqlite"
    open_store(where).close()
    done = run("authorized", "a.com", "x.com", "1", "--store", str(where), *extra)
    assert done.returncode == 2 and message in done.stderr, done.stderr


def test_a_missing_or_foreign_store_is_a_clear_usage_error(tmp_path: Path) -> None:
    absent = run("authorized", "a.com", "x.com", "1", "--store", str(tmp_path / "none.sqlite"))
    assert absent.returncode == 2 and "--store: cannot open the store" in absent.stderr
    assert "Traceback" not in absent.stderr and not (tmp_path / "none.sqlite").exists()
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n", encoding="utf-8")
    foreign = run("schain", CHAIN, "--store", str(other))
    assert foreign.returncode == 2 and "--store:" in foreign.stderr
    assert "Traceback" not in foreign.stderr
    nothing = run("authorized", "a.com", "x.com", "1")
    assert nothing.returncode == 2 and "--source DIR, --store S or --fetch" in nothing.stderr


def test_help_and_reference_name_the_store(tmp_path: Path) -> None:
    for command in ("authorized", "schain"):
        shown = run(command, "--help")
        assert "--store S" in shown.stdout and "crawl store" in shown.stdout
    page = (Path(__file__).parents[1] / "docs" / "reference" / "adstxt-authorized.md").read_text(
        encoding="utf-8"
    )
    assert "| `--store S` |" in page


# ---- app resolutions in the store ----------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    where = (
        str(tmp_path / "s.sqlite")
        if request.param == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    with open_store(where) as opened:
        yield opened


def test_resolutions_are_kept_with_their_history(store: Store) -> None:
    assert record_resolutions(store, [resolved("com.a", "example.com", 1)]) == []
    # The same domain again, then a store that could not be read: no event.
    assert record_resolutions(store, [resolved("com.a", "example.com", 2)]) == []
    assert record_resolutions(store, [resolved("com.a", None, 3, "fetch-error")]) == []
    moved = record_resolutions(store, [resolved("com.a", "example.org", 4)])
    assert [(e["type"], e["old"], e["new"]) for e in moved] == [
        ("app-domain-changed", "example.com", "example.org")
    ]
    gone = record_resolutions(store, [resolved("com.a", None, 5, "no-developer-url")])
    assert [(e["old"], e["new"]) for e in gone] == [("example.org", None)]
    held = resolutions(store, "google-play:com.a")
    assert [r.outcome for r in held] == [
        "resolved",
        "resolved",
        "fetch-error",
        "resolved",
        "no-developer-url",
    ]
    assert held[3].app_ads_hosts == ("www.example.org", "example.org")
    assert held[3].resolved_at == dt.datetime(2026, 1, 4, tzinfo=dt.UTC)
    events = store.changes(domain="google-play:com.a")
    assert [(e["kind"], e["type"]) for e in events] == [("app", "app-domain-changed")] * 2
    assert store.changes(since=day(5)) == [events[1]]


def test_the_store_answers_app_questions_like_a_mirror(store: Store) -> None:
    record_resolutions(store, [resolved("com.a", "example.com", 1)])
    record_resolutions(store, [resolved("com.a", None, 2, "fetch-error")])
    apps = StoreApps(store)
    # The latest resolution that reached the app store stands.
    found = apps.resolve_one("https://play.google.com/store/apps/details?id=com.a")
    assert (found.outcome, found.domain) == ("resolved", "example.com")
    assert found.query.startswith("https://play.google.com")
    assert apps.knows("com.a") and not apps.knows("com.b")
    absent = apps.resolve_one("com.b")
    assert absent.outcome == "not-in-mirror" and "no app store is asked" in absent.detail
    assert apps.resolve_one("not an app").outcome == "unrecognized"
    assert [r.outcome for r in apps.resolve(["com.a", "com.b"])] == ["resolved", "not-in-mirror"]
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    assert apps.has_site("A.com.") and not apps.has_site("b.com")


def test_app_events_show_in_changes_history_and_exports(tmp_path: Path) -> None:
    with open_store(tmp_path / "adstxt.sqlite") as store:
        fill(store)
        record_resolutions(store, [resolved("com.a", "example.com", 2)])
        record_resolutions(store, [resolved("com.a", "example.org", 3)])
    changes = run("changes", "--since", "2026-01-03", cwd=tmp_path)
    assert changes.returncode == 0, changes.stderr
    assert changes.stdout.count("app-domain-changed") == 1
    assert "google-play:com.a app" in changes.stdout
    assert "example.com -> example.org" in changes.stdout
    exported = run("export", "changes", "--output-format", "csv", "-o", "-", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = [r for r in csv.DictReader(io.StringIO(exported.stdout)) if r["kind"] == "app"]
    assert [(r["type"], r["old"], r["new"]) for r in rows] == [
        ("app-domain-changed", "example.com", "example.org")
    ]
    history = run("history", "com.a", cwd=tmp_path)
    assert history.returncode == 0, history.stderr
    assert history.stdout.startswith("google-play:com.a: 2 resolutions\n")
    assert history.stdout.count("  resolved  example.") == 2
    data = json.loads(run("history", "com.a", "--output-format", "json", cwd=tmp_path).stdout)
    assert [r["domain"] for r in data["app_resolutions"]] == ["example.com", "example.org"]
    table = run("history", "com.a", "--output-format", "csv", cwd=tmp_path).stdout
    assert [r["domain"] for r in csv.DictReader(io.StringIO(table))] == [
        "example.com",
        "example.org",
    ]
    # A domain's history is unchanged by the apps: it lists no resolutions.
    domain = json.loads(run("history", "a.com", "--output-format", "json", cwd=tmp_path).stdout)
    assert domain["app_resolutions"] == [] and domain["versions"]


def test_a_version_2_store_gains_the_apps_table(tmp_path: Path) -> None:
    from adstxt.store import SQLITE
    from adstxt.store._schema import migrate

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, SQLITE, target=2)
    db.close()
    with open_store(path) as store:
        fill(store)
        record_resolutions(store, [resolved("com.a", "example.com", 1)])
        assert len(resolutions(store, "google-play:com.a")) == 1


# ---- a real crawl: crawl --apps into the store, then offline answers -------------------------


def test_crawl_apps_records_the_mapping_and_lookups_read_it_offline(tmp_path: Path) -> None:
    pytest.importorskip("h11")
    pytest.importorskip("selectolax")
    from tests.httpserver import LocalServers, Reply, text
    from tests.test_apps import DATA, HTML, NAMES, STORE_HOSTS
    from tests.test_apps_lookups import PLAY_HTTP, fetching

    where = tmp_path / "adstxt.sqlite"
    listed = tmp_path / "apps.txt"
    listed.write_text("com.example.game\ncom.example.quiet\n", encoding="utf-8")
    listing = (DATA / "google_play.html").read_bytes()
    with LocalServers(names=(*NAMES, *STORE_HOSTS)) as stores:

        def crawl() -> str:
            done = run(
                "crawl", "--apps", str(listed), "--store", str(where), "--processes", "1",
                *fetching(stores),
            )  # fmt: skip
            assert done.returncode in (0, 1), done.stderr
            return done.stderr

        stores.routes[PLAY_HTTP.format("com.example.game")] = Reply(
            200, listing, {"Content-Type": HTML}
        )
        stores.routes[PLAY_HTTP.format("com.example.quiet")] = Reply(
            200, (DATA / "google_play_no_website.html").read_bytes(), {"Content-Type": HTML}
        )
        stores.routes["*://example.com/app-ads.txt"] = text(b"x.com, 1, DIRECT\n")
        crawl()
        with open_store(where) as store:  # the ad system's sellers.json, as a crawl keeps it
            item = fetched("x.com", json.dumps(SELLERS).encode(), day(1), kind="sellers.json")
            object.__setattr__(item, "parse_result", adstxt.parse(""))
            store.record(None, [("x.com", [item])])
        stores.routes.clear()
        stores.seen.clear()

        ask = ["authorized", "--app", "--store", str(where), "--output-format", "json"]
        game = run(*ask, "com.example.game", "x.com", "1")
        assert game.returncode == 0, game.stdout + game.stderr
        data = json.loads(game.stdout)
        assert data["verdict"] == "authorized-direct" and data["app"]["domain"] == "example.com"
        quiet = run(*ask[:-2], "com.example.quiet", "x.com", "1")
        assert quiet.returncode == 1 and "app not resolved: no-developer-url" in quiet.stdout
        absent = run(*ask[:-2], "com.example.absent", "x.com", "1")
        assert absent.returncode == 1 and "not-in-mirror" in absent.stdout
        request = {
            "app": {"bundle": "com.example.game"},
            "source": {"schain": {"ver": "1.0", "complete": 1, "nodes": [
                {"asi": "x.com", "sid": "1", "hp": 1}]}},
        }  # fmt: skip
        chain = tmp_path / "request.json"
        chain.write_text(json.dumps(request), encoding="utf-8")
        verified = run(
            "schain", str(chain), "--store", str(where), "--resolve-apps", "--output-format", "json"
        )
        checked = json.loads(verified.stdout)
        assert checked["verdict"] == "valid", checked
        assert checked["publisher"]["origin"] == "app.bundle"
        assert stores.seen == []  # not one request: the answers came from the store

        # The developer moves to another domain: the next crawl records a change event.
        stores.routes[PLAY_HTTP.format("com.example.game")] = Reply(
            200, listing.replace(b"www.example.com", b"www.example.org"), {"Content-Type": HTML}
        )
        stores.routes[PLAY_HTTP.format("com.example.quiet")] = Reply(
            200, (DATA / "google_play_no_website.html").read_bytes(), {"Content-Type": HTML}
        )
        stores.routes["*://example.org/app-ads.txt"] = text(b"x.com, 1, RESELLER\n")
        said = crawl()
    assert "google-play:com.example.game: developer domain changed from example.com to " in said
    changes = run("changes", "--since", "2026-01-01", "--store", str(where))
    moved = [line for line in changes.stdout.splitlines() if "app-domain-changed" in line]
    assert len(moved) == 1 and "(example.com -> example.org" in moved[0], changes.stdout
    history = json.loads(
        run("history", "com.example.game", "--store", str(where), "--output-format", "json").stdout
    )
    assert [r["domain"] for r in history["app_resolutions"]] == ["example.com", "example.org"]
    after = run("authorized", "--app", "com.example.game", "x.com", "1", "--store", str(where))
    assert "https://www.example.org/games" in after.stdout, after.stdout
    assert after.stdout.splitlines()[-1].startswith(
        "authorized-reseller: http://example.org/app-ads.txt"
    )


# ---- adstxt audit --store ----------------------------------------------------------------------

AUDIT = Path(__file__).parents[1] / "examples" / "audit"


def _store_of_mirror(where: str) -> None:
    """A store holding what the example mirror holds, as a crawl would have stored it."""
    with open_store(where) as store:
        for folder in sorted((AUDIT / "mirror").iterdir()):
            for path in sorted(folder.iterdir()):
                body = path.read_bytes()
                item = fetched(folder.name, body, day(1), kind=path.name)
                if path.name == "sellers.json":
                    object.__setattr__(item, "parse_result", adstxt.parse(""))
                store.record(None, [(folder.name, [item])])


@pytest.fixture(params=["sqlite", "postgresql"])
def audit_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    where = (
        str(tmp_path / "s.sqlite")
        if request.param == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    _store_of_mirror(where)
    return where


def _statuses(done_stdout: str, *columns: str) -> list[tuple[str, ...]]:
    """The ``columns`` of each CSV row (not the file paths, which name each source)."""
    return [tuple(row[c] for c in columns) for row in csv.DictReader(io.StringIO(done_stdout))]


PUBLISHER = ("publisher", "publisher_status", "expected_line", "status")


def test_the_forward_audit_reads_the_store_as_the_mirror(audit_store: str) -> None:
    expect = ["audit", "--expect", str(AUDIT / "expected.txt")]
    publishers = str(AUDIT / "publishers.txt")
    mirror = run(*expect, "--source", str(AUDIT / "mirror"), publishers, "--output-format", "csv")
    stored = run(*expect, "--store", audit_store, publishers, "--output-format", "csv")
    assert stored.returncode == mirror.returncode == 1, stored.stderr
    assert _statuses(stored.stdout, *PUBLISHER) == _statuses(mirror.stdout, *PUBLISHER)
    statuses = {row[:2] for row in _statuses(stored.stdout, *PUBLISHER)}
    assert {("example-news.com", "complete"), ("example-video.com", "invalid-file")} <= statuses
    assert ("example-radio.com", "no-file") in statuses
    document = json.loads(
        run(*expect, "--store", audit_store, publishers, "--output-format", "json").stdout
    )
    assert document["source"].startswith("store ")


def test_the_reverse_audit_reads_sellers_json_from_the_store(audit_store: str) -> None:
    args = ["--sellers", "exchange-one.com", "--output-format", "csv"]
    mirror = run("audit", *args, "--source", str(AUDIT / "mirror"))
    stored = run("audit", *args, "--store", audit_store)
    assert stored.returncode == mirror.returncode == 1, stored.stderr
    columns = ("seller_id", "domain", "expected", "status", "failure", "lines")
    rows = _statuses(stored.stdout, *columns)
    assert rows == _statuses(mirror.stdout, *columns)
    assert ("1001", "example-news.com", "DIRECT", "listed", "false", "3") in rows


def test_an_audit_from_a_store_runs_in_one_process(tmp_path: Path) -> None:
    where = tmp_path / "s.sqlite"
    open_store(where).close()
    done = run(
        "audit", "--expect", str(AUDIT / "expected.txt"), "--store", str(where),
        str(AUDIT / "publishers.txt"), "--processes", "2",
    )  # fmt: skip
    assert done.returncode == 2 and "a crawl store (--store) is read by one process" in done.stderr
    none = run("audit", "--expect", str(AUDIT / "expected.txt"), str(AUDIT / "publishers.txt"))
    assert none.returncode == 2 and "--source DIR, --store S or --fetch" in none.stderr
