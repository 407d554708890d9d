"""The crawl store on real SQLite files: schema and migrations, the dialect, what a fetch
does to a file's current copy, versions and change events."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest

import adstxt
from adstxt.store import (
    MIGRATIONS,
    POSTGRESQL,
    SCHEMA_VERSION,
    SQLITE,
    FetchRecord,
    Store,
    StoreError,
    open_store,
)
from adstxt.store._bodies import compress, decompress, sha256
from adstxt.store._dialect import database_errors
from adstxt.store._findings import BODY_FINDINGS, decode_findings
from adstxt.store._policy import Action, decide
from adstxt.store._schema import migrate
from adstxt.store._sqlite import CACHE_KIB
from adstxt.store._unchanged import held_row

if TYPE_CHECKING:
    from adstxt.fetch import FetchResult

FIRST = b"x.com, 1, DIRECT\ny.com, 2, RESELLER\n"
SECOND = b"x.com, 1, RESELLER\nz.com, 3, DIRECT\n"


def fetched(
    domain: str,
    body: bytes | None,
    at: str,
    *,
    outcome: str = "ok",
    status: int = 200,
    unchanged: bool = False,
    kind: str = "ads.txt",
    etag: str | None = '"e"',
) -> FetchRecord:
    parsed = adstxt.parse(body.decode()) if body is not None else None
    return FetchRecord(
        domain=domain,
        kind=kind,
        requested_url=f"https://{domain}/{kind}",
        chain="[]",
        final_url=f"https://{domain}/{kind}",
        status=status,
        etag=etag,
        last_modified=None,
        cache_control=None,
        expires=None,
        content_type="text/plain",
        started_at=at,
        duration_ms=3,
        outcome=outcome,
        error=None if outcome == "ok" else outcome,
        body=body,
        parse_result=parsed,
        unchanged=unchanged,
        fresh_until=at,
    )


def _not_modified(domain: str) -> FetchResult:
    """What the fetcher returns for ``domain``'s file when the server answers 304."""
    from adstxt.fetch import FetchResult

    return FetchResult(
        domain=domain,
        kind="ads.txt",
        url=f"https://{domain}/ads.txt",
        final_url=f"https://{domain}/ads.txt",
        status=304,
        content_type=None,
        chain=(),
        fetch_diagnostics=(),
    )


def day(n: int) -> str:
    return f"2026-01-{n:02d}T00:00:00.000000Z"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same store code and schema on a SQLite file and on a real PostgreSQL server
    (skipped, saying how to install it, where the server cannot run)."""
    if request.param == "sqlite":
        opened = open_store(tmp_path / "s.sqlite")
    else:
        opened = open_store(request.getfixturevalue("postgres_url"))
    yield opened
    opened.close()


# ---- the dialect ---------------------------------------------------------------------------


def test_one_query_text_serves_both_databases() -> None:
    query = "SELECT a FROM t WHERE b = ? AND c = ?"
    assert SQLITE.sql(query) == query
    assert POSTGRESQL.sql(query) == "SELECT a FROM t WHERE b = %s AND c = %s"
    assert "BYTEA" in POSTGRESQL.ddl("CREATE TABLE t (id {id}, b {blob})")
    assert "AUTOINCREMENT" in SQLITE.ddl("CREATE TABLE t (id {id}, b {blob})")
    upsert = POSTGRESQL.upsert("files", ("domain", "kind", "v"), ("domain", "kind"))
    assert upsert.endswith("ON CONFLICT (domain, kind) DO UPDATE SET v = excluded.v")
    assert "%s, %s, %s" in upsert


def test_times_are_written_in_utc_at_a_fixed_width() -> None:
    import datetime as dt

    from adstxt.store._dialect import timestamp

    eastern = dt.timezone(dt.timedelta(hours=-5))
    assert timestamp(dt.datetime(2026, 1, 2, 20, 4, 5, 6, eastern)) == "2026-01-03T01:04:05.000006Z"
    assert timestamp(dt.datetime(2026, 1, 2, tzinfo=dt.UTC)) == "2026-01-02T00:00:00.000000Z"
    assert timestamp(dt.datetime(999, 1, 2, tzinfo=dt.UTC)) == "0999-01-02T00:00:00.000000Z"
    assert len(timestamp()) == len("2026-01-02T00:00:00.000000Z")


# ---- schema versions -----------------------------------------------------------------------


def test_a_new_store_is_at_the_current_version_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with open_store(path) as writer:  # a page cache that holds the indexes a crawl updates
        assert writer._rows("PRAGMA cache_size") == [(-CACHE_KIB,)]
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert SCHEMA_VERSION == MIGRATIONS[-1].version == len(MIGRATIONS)


def test_a_version_1_store_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    # A store as version 1 wrote it: its schema, a crawl and its fetches.
    db = sqlite3.connect(path, isolation_level=None)
    assert migrate(db, SQLITE, target=1) == (0, 1)
    db.execute(
        "INSERT INTO crawls (started_at, state, kind, options, domains) "
        "VALUES ('2026-01-01T00:00:00.000000Z', 'running', 'ads.txt', '{}', 3)"
    )
    for domain in ("b.com", "a.com", "b.com"):
        db.execute(
            "INSERT INTO fetches (crawl_id, domain, kind, requested_url, chain, started_at, "
            "duration_ms, outcome, unchanged) VALUES (1, ?, 'ads.txt', 'u', '[]', 't', 1, "
            "'ok', 0)",
            (domain,),
        )
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'crawl_domains'").fetchall()
    db.close()
    with open_store(path) as store:
        assert store.done(1) == {"a.com", "b.com"}
        assert store.pending(1) == []
        assert [f["domain"] for f in store.fetches("b.com")] == ["b.com", "b.com"]
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    assert db.execute("SELECT domain FROM crawl_domains ORDER BY position").fetchall() == [
        ("b.com",),
        ("a.com",),
    ]


def test_a_newer_store_is_refused_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(StoreError) as caught:
        open_store(path)
    message = str(caught.value)
    assert "version 99" in message and f"version {SCHEMA_VERSION}" in message
    assert "pip install --upgrade adstxt" in message
    # Refused without touching it.
    assert sqlite3.connect(path).execute("SELECT value FROM meta").fetchall()


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"this is not a database at all" * 100, "not a SQLite database"), (None, "not an adstxt")],
)
def test_other_files_are_refused(tmp_path: Path, content: bytes | None, why: str) -> None:
    path = tmp_path / "other.sqlite"
    if content is None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE mine (x)")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    with pytest.raises(StoreError, match=why):
        open_store(path)


def test_a_missing_store_is_not_created_for_reading(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        open_store(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


# ---- the stale-copy rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "outcome", "stale_since", "now", "action"),
    [
        ("ads.txt", "server-error", None, day(1), Action.KEEP_STALE),
        ("ads.txt", "timeout", day(1), day(5), Action.KEEP_STALE),
        ("ads.txt", "not-ads-txt", day(1), day(6), Action.END),  # a soft 404, 5 days on
        ("ads.txt", "not-found", None, day(1), Action.END),  # a hard 404 at once
        ("app-ads.txt", "not-found", None, day(1), Action.END),
        ("sellers.json", "not-found", None, day(1), Action.KEEP_STALE),
        ("sellers.json", "server-error", day(1), day(30), Action.KEEP_STALE),
    ],
)
def test_failures_keep_or_end_the_copy(
    kind: str, outcome: str, stale_since: str | None, now: str, action: Action
) -> None:
    decision = decide(
        kind,
        outcome,
        has_body=False,
        unchanged=False,
        has_copy=True,
        stale_since=stale_since,
        now=now,
    )
    assert decision.action is action
    if action is Action.KEEP_STALE:
        assert decision.stale_since == (stale_since or now)


def test_a_failure_without_a_copy_and_a_304_without_one_change_nothing() -> None:
    common = {"has_body": False, "has_copy": False, "stale_since": None, "now": day(1)}
    assert decide("ads.txt", "not-found", unchanged=False, **common).action is Action.NOTHING
    assert decide("ads.txt", "ok", unchanged=True, **common).action is Action.NOTHING


# ---- versions and changes ------------------------------------------------------------------


def test_versions_and_changes_follow_the_copies(store: Store) -> None:
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(2))])])  # same body
    store.record(None, [("a.com", [fetched("a.com", SECOND, day(3))])])
    assert [v.version for v in store.versions("a.com")] == [1, 2]
    events = store.changes(domain="a.com")
    first = [e["type"] for e in events if e["to_version"] == 1]
    # The first copy is the baseline: it appeared, and no record of it counts as added.
    assert first == ["file-appeared"]
    second = {(e["type"], e["seller_id"]) for e in events if e["to_version"] == 2}
    assert ("record-removed", "2") in second
    assert ("record-added", "3") in second
    assert ("relationship-changed", "1") in second
    assert store.changes(since=day(3), seller_id="3")[0]["type"] == "record-added"
    assert store.changes(since=day(3), ad_system="X.COM")[0]["seller_id"] == "1"
    assert store.changes(since=day(4)) == []


def test_a_5xx_keeps_the_copy_stale_until_the_limit(store: Store) -> None:
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    good = store.file("a.com", "ads.txt")
    assert good is not None and good.sha256 is not None
    store.record(None, [("a.com", [fetched("a.com", None, day(2), outcome="server-error")])])
    store.record(None, [("a.com", [fetched("a.com", None, day(4), outcome="timeout")])])
    stale = store.file("a.com", "ads.txt")
    assert stale is not None
    assert (stale.sha256, stale.stale_since, stale.version) == (good.sha256, day(2), 1)
    assert stale.last_outcome == "timeout"
    store.record(None, [("a.com", [fetched("a.com", None, day(7), outcome="server-error")])])
    ended = store.file("a.com", "ads.txt")
    assert ended is not None and ended.sha256 is None and ended.version == 2
    assert "file-disappeared" in {e["type"] for e in store.changes(since=day(7))}


def test_a_recovery_clears_stale_and_a_304_confirms(store: Store) -> None:
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    store.record(None, [("a.com", [fetched("a.com", None, day(2), outcome="server-error")])])
    store.record(None, [("a.com", [fetched("a.com", None, day(3), status=304, unchanged=True)])])
    row = store.file("a.com", "ads.txt")
    assert row is not None and row.stale_since is None and row.version == 1
    fetches = store.fetches("a.com")
    assert fetches[-1]["unchanged"] == 1 and fetches[-1]["sha256"] == row.sha256
    assert store.changes(since=day(2)) == []


HELD_SINCE = "Mon, 01 Dec 2025 00:00:00 GMT"


@pytest.mark.parametrize(
    ("etag", "last_modified"),
    [('"new"', "Tue, 01 Jan 2026 00:00:00 GMT"), (None, None), ("", ""), ('"new"', None)],
)
def test_a_304_stores_its_fetch_and_confirms_the_copy_it_names(
    store: Store, etag: str | None, last_modified: str | None
) -> None:
    # A 304 of a held copy is stored in two statements, without reading the file's row:
    # the rows the general path (decide's CONFIRM) leaves.
    first = attrs.evolve(fetched("a.com", FIRST, day(1)), last_modified=HELD_SINCE)
    store.record(None, [("a.com", [first])])
    store.record(None, [("a.com", [fetched("a.com", None, day(2), outcome="server-error")])])
    held = store.file("a.com", "ads.txt")
    assert held is not None and held.stale_since == day(2)
    assert (held.etag, held.last_modified) == ('"e"', HELD_SINCE)
    crawl = store.start_crawl("ads.txt", {}, ["A.com"])
    confirmed = attrs.evolve(
        fetched("a.com", None, day(3), status=304, unchanged=True, etag=etag),
        last_modified=last_modified,
        fresh_until=day(10),
    )
    [fetch_id] = store.record(crawl, [("A.com", [confirmed])])
    row = store.fetches("a.com")[-1]
    assert row["id"] == fetch_id and row["crawl_id"] == crawl
    assert row["sha256"] == held.sha256 and row["unchanged"] == 1
    given = "domain kind requested_url chain final_url status etag last_modified content_type"
    given += " started_at duration_ms outcome error fresh_until"
    expected = {name: getattr(confirmed, name) for name in given.split()}
    assert {name: row[name] for name in expected} == expected
    after = store.file("a.com", "ads.txt")
    assert after is not None
    assert (after.last_fetch_id, after.last_outcome, after.stale_since) == (fetch_id, "ok", None)
    assert (after.sha256, after.version, after.good_fetch_id) == (
        held.sha256,
        held.version,
        held.good_fetch_id,
    )
    assert after.fresh_until == day(10)
    # A validator the 304 did not send (or sent empty) keeps the one held.
    assert (after.etag, after.last_modified) == (etag or held.etag, last_modified or HELD_SINCE)
    assert store.changes(since=day(3)) == []
    assert store.pending(crawl) == []
    # The two statements stored it, on either database: they answer for a held copy.
    with store.transaction():
        again = store._confirm_held(None, attrs.evolve(confirmed, started_at=day(4)))
    assert again is not None and store.fetches("a.com")[-1]["id"] == again


def test_a_304_without_a_held_copy_confirms_nothing(store: Store) -> None:
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    store.record(
        None, [("a.com", [fetched("a.com", None, day(2), outcome="not-found", status=404)])]
    )
    ended = store.file("a.com", "ads.txt")
    assert ended is not None and ended.sha256 is None
    unchanged = fetched("a.com", None, day(3), status=304, unchanged=True)
    with store.transaction():
        assert store._confirm_held(None, unchanged) is None  # nothing written
    assert len(store.fetches("a.com")) == 2
    store.record(None, [("a.com", [unchanged])])
    row = store.fetches("a.com")[-1]
    assert row["sha256"] is None and row["unchanged"] == 1
    after = store.file("a.com", "ads.txt")
    assert after is not None and after.sha256 is None and after.version == ended.version
    store.record(None, [("b.com", [fetched("b.com", None, day(3), status=304, unchanged=True)])])
    assert store.fetches("b.com")[-1]["sha256"] is None


def test_a_hard_404_ends_the_file_and_a_new_copy_starts_it_again(store: Store) -> None:
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    store.record(
        None, [("a.com", [fetched("a.com", None, day(2), outcome="not-found", status=404)])]
    )
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(3))])])
    assert [v.sha256 is None for v in store.versions("a.com")] == [False, True, False]
    types = [e["type"] for e in store.changes(since=day(2))]
    assert types.count("file-disappeared") == 1 and types.count("file-appeared") == 1
    # Back after a hard 404 is a change, not a baseline: each record is added again.
    back = [e["type"] for e in store.changes(since=day(3))]
    assert back.count("record-added") == 2


def test_bodies_are_stored_once_compressed_with_every_record(store: Store) -> None:
    html = b"<html><body>\nx.com, 1, DIRECT\ny.com, 2, RESELLER\n</body></html>\n"
    batch = [
        ("a.com", [fetched("a.com", FIRST, day(1))]),
        ("b.com", [fetched("b.com", FIRST, day(1))]),
        ("c.com", [fetched("c.com", html, day(1), outcome="not-ads-txt")]),
    ]
    store.record(None, batch)
    rows = store._rows("SELECT sha256, size, compression, data, records FROM bodies")
    assert len(rows) == 2  # a.com and b.com serve the same body
    for digest, size, method, data, _ in rows:
        assert len(decompress(data, method)) == size
        assert store.body(digest) == decompress(data, method)
    # The HTML page is no ads.txt, and no copy of c.com, but what it held is kept.
    row = store.file("c.com", "ads.txt")
    assert row is not None and row.sha256 is None
    (digest,) = {f["sha256"] for f in store.fetches("c.com")}
    parsed = adstxt.parse(html.decode())
    stored = store._rows(
        "SELECT COUNT(*) FROM body_records r JOIN bodies b ON b.id = r.body_id WHERE b.sha256 = ?",
        (digest,),
    )
    assert stored[0][0] == len(parsed.records) == 2


def test_findings_that_are_the_bodys_own_are_kept_once(store: Store) -> None:
    # news.a.com is under a.com only: b.com, serving the same body, has a finding of its own.
    body = b"SUBDOMAIN=news.a.com\nx.com, 1, DIRECT\n"

    def served_to(domain: str) -> FetchRecord:
        parsed = adstxt.parse(body, domain=domain)
        return attrs.evolve(fetched(domain, body, day(1)), parse_result=parsed)

    store.record(None, [("a.com", [served_to("a.com")]), ("b.com", [served_to("b.com")])])
    kept = dict(store._rows("SELECT domain, findings FROM files"))
    assert kept["a.com"] == BODY_FINDINGS  # the body's own diagnostics, kept with the body
    assert kept["b.com"] is not None and "ADS304" in kept["b.com"]
    for domain in ("a.com", "b.com"):
        held = held_row(store, domain, "ads.txt", body=False)
        assert held is not None
        expected = adstxt.parse(body, domain=domain).diagnostics
        assert decode_findings(held.findings) == expected
    # The same body served again (no validators, so a 200): the findings stay kept once.
    store.record(None, [("a.com", [served_to("a.com")]), ("b.com", [served_to("b.com")])])
    again = dict(store._rows("SELECT domain, findings FROM files"))
    assert again["a.com"] == BODY_FINDINGS and again["b.com"] == kept["b.com"]


def test_a_copy_kept_without_findings_is_not_given_its_bodys(store: Store) -> None:
    # Copies stored before version 4 have no findings (NULL): those of the body's first
    # site are not theirs, so the copy is parsed again rather than reported with them.
    body = b"SUBDOMAIN=news.a.com\nx.com, 1, DIRECT\n"
    for domain in ("a.com", "b.com"):
        parsed = adstxt.parse(body, domain=domain)
        store.record(
            None, [(domain, [attrs.evolve(fetched(domain, body, day(1)), parse_result=parsed)])]
        )
    store._run("UPDATE files SET findings = NULL WHERE domain = ?", ("b.com",))
    held = held_row(store, "b.com", "ads.txt", body=False)
    assert held is not None and held.findings is None
    assert decode_findings(held.findings) is None  # and so the copy is parsed again


@pytest.mark.parametrize(
    "body",
    [
        b"OWNERDOMAIN=a.com\nX.com, Ab1, direct, F08C47FEC0942FA0\nx.com, Ab1, RESELLER\n"
        b"y.com, 2, DIRCT\nCONTACT=ops@a.com\nz.com, 3, DIRECT, , ext\n",
        b"<html><body>\nx.com, 1, DIRECT\n</body></html>\n",
    ],
)
def test_the_snapshot_kept_of_a_new_body_is_the_one_its_rows_give(
    store: Store, body: bytes
) -> None:
    # A new body's change events use the snapshot built from its parse, not a read-back of
    # the rows just written: the two must be the same.
    store.record(None, [("a.com", [fetched("a.com", body, day(1))])])
    digest = sha256(body)
    # Held as its parse (the last stored only) until a change event asks for the snapshot.
    assert store._stored is not None and store._stored[0] == digest
    assert digest not in store._snapshots
    kept = store.snapshot(digest)
    assert kept is not None and kept.records
    assert store._verdict(digest) == kept.verdict.value
    store._snapshots.clear()
    store._stored = None
    assert store.snapshot(digest) == kept
    assert store._verdict(digest) == kept.verdict.value


def test_a_batch_is_stored_whole_or_not_at_all(store: Store) -> None:
    crawl = store.start_crawl("ads.txt", {}, ["a.com", "b.com"])
    broken = fetched("b.com", FIRST, day(1))
    object.__setattr__(broken, "duration_ms", object())  # no database takes this
    with pytest.raises(database_errors()):
        store.record(crawl, [("a.com", [fetched("a.com", FIRST, day(1))]), ("b.com", [broken])])
    assert store.fetches("a.com") == [] and store.pending(crawl) == ["a.com", "b.com"]
    store.record(crawl, [("a.com", [fetched("a.com", FIRST, day(1))])])
    assert store.pending(crawl) == ["b.com"]


def test_fresh_files_are_skipped(store: Store) -> None:
    crawl = store.start_crawl("ads.txt", {}, ["a.com"])
    item = fetched("a.com", FIRST, day(1))
    object.__setattr__(item, "fresh_until", "2999-01-01T00:00:00.000000Z")
    store.record(crawl, [("a.com", [item])])
    again = store.start_crawl("ads.txt", {}, ["a.com", "b.com"])
    assert store.skip_fresh(again, "ads.txt") == ["a.com"]
    assert store.pending(again) == ["b.com"]
    info = store.crawl(again)
    assert info is not None and info.done == 1 and info.domains == 2


# ---- the store as a source of lookups ------------------------------------------------------


def test_the_store_answers_authorization_lookups(store: Store) -> None:
    from adstxt.authorization import AuthorizationIndex, Source
    from adstxt.store._source import StoreSource

    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    store.record(None, [("b.com", [fetched("b.com", None, day(1), outcome="not-found")])])
    store.record(None, [("c.com", [fetched("c.com", SECOND, day(1))])])
    store.record(None, [("c.com", [fetched("c.com", None, day(2), outcome="server-error")])])
    sellers = b'{"sellers": [{"seller_id": "1", "seller_type": "PUBLISHER", "domain": "a.com"}]}'
    item = fetched("x.com", sellers, day(1), kind="sellers.json")
    object.__setattr__(item, "parse_result", adstxt.parse(""))
    store.record(None, [("x.com", [item])])
    source = StoreSource(store, now=day(3))
    assert isinstance(source, Source)
    assert source.hosts("ads.txt") == ["a.com", "b.com", "c.com"]
    index = AuthorizationIndex(source)
    assert index.lookup("a.com", "x.com", "1").verdict.value == "authorized-direct"
    assert index.lookup("a.com", "x.com", "9").verdict.value == "unauthorized"
    assert source.ads_file("b.com", "ads.txt").state == "not-found"
    stale = source.ads_file("c.com", "ads.txt")
    assert (stale.state, stale.stale) == ("ok", True)
    assert StoreSource(store, now=day(8)).ads_file("c.com", "ads.txt").state == "unavailable"
    assert source.ads_file("nowhere.com", "ads.txt").state == "not-found"
    found = source.sellers_file("X.com")
    assert found.usable and found.where == "https://x.com/sellers.json"
    assert not source.sellers_file("y.com").usable


def test_validators_go_out_as_conditional_headers() -> None:
    from adstxt.fetch import Validators

    assert Validators('"abc"', "Tue, 01 Dec 2026 10:00:00 GMT").headers() == (
        (b"If-None-Match", b'"abc"'),
        (b"If-Modified-Since", b"Tue, 01 Dec 2026 10:00:00 GMT"),
    )
    # A value that cannot be sent as a header is left out, not sent broken.
    assert Validators('"a"\r\nX-Evil: 1', "\u2603").headers() == ()
    assert Validators().headers() == ()


def test_only_the_latest_crawl_is_resumed(store: Store) -> None:
    first = store.start_crawl("ads.txt", {}, ["a.com"])
    store.finish_crawl(first, "interrupted", {})
    unfinished = store.unfinished_crawl("ads.txt")
    assert unfinished is not None and unfinished.id == first
    assert store.unfinished_crawl("app-ads.txt") is None
    second = store.start_crawl("ads.txt", {}, ["b.com"])
    store.finish_crawl(second, "finished", {"ok": 1})
    assert store.unfinished_crawl("ads.txt") is None
    assert [c.state for c in store.crawls()] == ["interrupted", "finished"]


def test_a_postgresql_store_is_versioned_like_a_file(postgres_url: str) -> None:
    import psycopg

    open_store(postgres_url).close()
    with open_store(postgres_url) as store:  # opened again: nothing to migrate
        assert store.crawls() == []
    with psycopg.connect(postgres_url, autocommit=True) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),
        )
        db.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match=f"version 9, newer than version {SCHEMA_VERSION}"):
        open_store(postgres_url)
    from urllib.parse import urlsplit

    server = urlsplit(postgres_url)
    wrong = f"postgresql://nobody:secret@{server.hostname}:{server.port}/nodb"
    with pytest.raises(StoreError) as caught:
        open_store(wrong)
    assert "secret" not in str(caught.value) and "cannot open the store" in str(caught.value)


def test_a_version_5_store_keeps_what_its_bodies_hold(store_location: str) -> None:
    # Version 6 keeps a body's records and diagnostics in one row; the rows a version 5
    # store has are moved there, and the views of the old tables give them back.

    dialect = POSTGRESQL if store_location.startswith("postgresql") else SQLITE
    if dialect is SQLITE:
        db: Any = sqlite3.connect(store_location, isolation_level=None)
    else:
        import psycopg

        db = psycopg.connect(store_location, autocommit=True)
    assert migrate(db, dialect, target=5) == (0, 5)
    body = b"x.com, 1, DIRECT\ny.com, pub-2, RESELLER, abc; ext\n"
    records = [
        (1, "x.com", "1", "DIRECT", None, None),
        (2, "y.com", "pub-2", "RESELLER", "abc", "ext"),
    ]
    diagnostics = [(1, "ADS217", "warning", "m1"), (None, "ADS013", "info", "whole file")]

    def run(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        cursor = db.cursor()
        cursor.execute(dialect.sql(sql), params)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

    for number, digest in ((1, "a" * 64), (2, "b" * 64)):
        run(
            "INSERT INTO bodies (sha256, size, compression, data, verdict, records, "
            "variables, errors) VALUES (?, ?, 'zlib', ?, 'valid', ?, 0, 0)",
            (digest, len(body), compress(body), 2 if number == 1 else 0),
        )
    for row in records:
        run(
            "INSERT INTO body_records (body_id, line, ad_system, seller_id, relationship, "
            "certification_id, extension) VALUES (1, ?, ?, ?, ?, ?, ?)",
            row,
        )
    for seq, (line, code, severity, message) in enumerate(diagnostics):
        run(
            "INSERT INTO body_diagnostics (body_id, seq, line, code, severity, message) "
            "VALUES (1, ?, ?, ?, ?, ?)",
            (seq, line, code, severity, message),
        )
    db.close()
    with open_store(store_location) as store:
        assert (
            store._rows(
                "SELECT line, ad_system, seller_id, relationship, certification_id, extension "
                "FROM body_records WHERE body_id = 1 ORDER BY line"
            )
            == records
        )
        assert store._rows(
            "SELECT seq, line, code, severity, message FROM body_diagnostics "
            "WHERE body_id = 1 ORDER BY seq"
        ) == [(seq, *d) for seq, d in enumerate(diagnostics)]
        assert store._rows("SELECT COUNT(*) FROM body_records WHERE body_id = 2") == [(0,)]
        # Only the bodies of ads.txt files get a row (the second has none, as a sellers.json
        # body has none): an upgraded store holds what a new one would.
        assert store._rows("SELECT body_id FROM body_parsed") == [(1,)]
        snapshot = store.snapshot("a" * 64)
        assert snapshot is not None
        assert [(r.line, r.ad_system, r.seller_id) for r in snapshot.records] == [
            (1, "x.com", "1"),
            (2, "y.com", "pub-2"),
        ]
        # A body stored now reads back through the same views.
        store.record(None, [("c.com", [fetched("c.com", FIRST, day(1))])])
        parsed = adstxt.parse(FIRST.decode())
        (new_body,) = store._rows("SELECT id FROM bodies WHERE sha256 = ?", (sha256(FIRST),))
        assert store._rows(
            "SELECT line, ad_system, seller_id, relationship FROM body_records "
            "WHERE body_id = ? ORDER BY line",
            new_body,
        ) == [(r.line, r.domain, r.account_id, r.relationship.value) for r in parsed.records]
        assert store._rows("SELECT COUNT(*) FROM body_diagnostics WHERE body_id = ?", new_body) == [
            (len(parsed.diagnostics),)
        ]


def test_a_sqlite_without_json_functions_is_refused_in_words(tmp_path: Path) -> None:
    from adstxt.store._sqlite import require_json

    db = sqlite3.connect(tmp_path / "s.sqlite")
    require_json(db)  # this build has them

    def missing(_: object) -> None:
        raise RuntimeError("no such function")

    db.create_function("json_valid", 1, missing)  # stands in for a build without them
    with pytest.raises(sqlite3.NotSupportedError, match="has no JSON functions"):
        require_json(db)


def test_what_a_body_holds_is_only_ever_valid_json(store: Store) -> None:
    # The views read every row: a row that is not JSON would break them all, so the
    # column refuses one (a CHECK on SQLite, the json type on PostgreSQL).
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    with pytest.raises(database_errors()), store.transaction():
        store._run("UPDATE body_parsed SET records = ?", ("[[1, 'x.com'",))
    assert store._rows("SELECT COUNT(*) FROM body_records") == [(2,)]


def test_records_that_do_not_read_back_are_read_from_the_body_again(store: Store) -> None:
    # Valid JSON, but not records as adstxt writes them (edited by another program): the
    # change events of the next copy come from the stored body, read again.
    store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
    with store.transaction():
        store._run("UPDATE body_parsed SET records = ?", ('{"not": "records"}',))
    store._snapshots.clear()
    store._stored = None
    store.record(None, [("a.com", [fetched("a.com", SECOND, day(2))])])
    events = {(e["type"], e["ad_system"], e["seller_id"]) for e in store.changes(domain="a.com")}
    assert ("record-removed", "y.com", "2") in events
    assert ("record-added", "z.com", "3") in events
    assert ("relationship-changed", "x.com", "1") in events


def test_a_304_restored_without_its_records_counts_them(store: Store) -> None:
    from adstxt.store._unchanged import restore_unchanged

    body = b"OWNERDOMAIN=a.com\n" + FIRST
    store.record(None, [("a.com", [fetched("a.com", body, day(1))])])
    answer = _not_modified("a.com")
    whole, unread = restore_unchanged(store, "a.com", "ads.txt", answer)
    assert unread is None and whole.parse_result is not None
    assert [r.account_id for r in whole.parse_result.records] == ["1", "2"]
    counted, unread = restore_unchanged(store, "a.com", "ads.txt", answer, records=False)
    assert counted.parse_result is not None and counted.parse_result.records == ()
    assert unread == 2
    # Everything else is restored alike: the findings, the variables and the body.
    assert counted.parse_result.diagnostics == whole.parse_result.diagnostics
    assert counted.parse_result.variables == whole.parse_result.variables != ()
    assert counted.body == whole.body == body


def test_a_304_restored_without_its_body_still_says_what_the_copy_held(store: Store) -> None:
    from adstxt.store._unchanged import restore_unchanged

    with_variables = b"OWNERDOMAIN=a.com\n" + FIRST
    store.record(None, [("a.com", [fetched("a.com", with_variables, day(1))])])
    store.record(None, [("b.com", [fetched("b.com", FIRST, day(1))])])
    for domain, body in (("a.com", with_variables), ("b.com", FIRST)):
        answer = _not_modified(domain)
        whole, _ = restore_unchanged(store, domain, "ads.txt", answer)
        bare, unread = restore_unchanged(
            store, domain, "ads.txt", answer, records=False, body=False
        )
        assert whole.body == body and bare.body is None
        assert whole.parse_result is not None and bare.parse_result is not None
        assert bare.parse_result.text == "" and whole.parse_result.text == body.decode()
        assert unread == len(whole.parse_result.records) == 2
        assert bare.parse_result.diagnostics == whole.parse_result.diagnostics
        assert bare.parse_result.variables == whole.parse_result.variables
        assert bool(bare.parse_result.variables) is (domain == "a.com")


def test_a_held_copy_whose_variables_cannot_be_read_with_it_reads_them_again(
    store: Store,
) -> None:
    import attrs

    from adstxt.store._unchanged import _variables_of, held_row, restore_held

    store.record(None, [("a.com", [fetched("a.com", b"OWNERDOMAIN=a.com\n" + FIRST, day(1))])])
    row = held_row(store, "a.com", "ads.txt", body=False)
    assert row is not None and row.variables == 1 and row.data is None
    answer = _not_modified("a.com")
    # Read in line order, whatever order the database aggregated them in.
    shuffled = attrs.evolve(
        row, variables=2, variable_rows='[[3, "CONTACT", "x"], [1, "OWNERDOMAIN", "a.com"]]'
    )
    assert [v.line for v in _variables_of(store, shuffled) or ()] == [1, 3]
    for damaged in (
        row,
        attrs.evolve(row, variable_rows="[[1, 2"),
        attrs.evolve(row, variable_rows=[[1, 2, 3]]),
        attrs.evolve(row, variable_rows=[["1", "OWNERDOMAIN", "a.com"]]),
    ):
        restored, _ = restore_held(store, damaged, answer, records=False)
        assert restored.parse_result is not None
        assert [(v.name, v.value, v.line) for v in restored.parse_result.variables] == [
            ("OWNERDOMAIN", "a.com", 1)
        ]


def test_a_fresh_copy_is_read_back_as_stored_and_checked_again_when_it_cannot_be(
    store: Store,
) -> None:
    from adstxt.store._crawling import held_copy

    body = b"OWNERDOMAIN=a.com\n" + FIRST
    store.record(None, [("a.com", [fetched("a.com", body, day(1))])])
    assert held_copy(store, "b.com", "ads.txt") is None
    whole = held_copy(store, "a.com", "ads.txt")
    counted = held_copy(store, "a.com", "ads.txt", records=False, body=False)
    assert whole is not None and counted is not None
    (full, none), (bare, unread) = whole, counted
    assert none is None and unread == 2
    assert full.parse_result is not None and bare.parse_result is not None
    assert [r.account_id for r in full.parse_result.records] == ["1", "2"]
    assert bare.parse_result.records == () and bare.body is None and full.body == body
    assert bare.parse_result.diagnostics == full.parse_result.diagnostics
    assert bare.parse_result.variables == full.parse_result.variables != ()
    # Served as text/plain without a charset: the Content-Type's finding is reported again.
    assert (
        [d.code for d in bare.fetch_diagnostics]
        == ["ADS517"]
        == [d.code for d in full.fetch_diagnostics]
    )
    # Findings that cannot be read back: the copy is checked again, whole.
    store._run("UPDATE files SET findings = ? WHERE domain = ?", ("not json", "a.com"))
    again = held_copy(store, "a.com", "ads.txt", records=False, body=False)
    assert again is not None and again[1] is None and again[0].body == body
    assert again[0].parse_result is not None
    assert again[0].parse_result.records == full.parse_result.records
    assert [d.code for d in again[0].fetch_diagnostics] == ["ADS517"]
