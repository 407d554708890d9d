"""One crawl shared by many ``adstxt crawl`` processes through a real PostgreSQL store,
against loopback sites: a killed worker, lost connections, two crawls in one database, the
status, and one-line errors."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from adstxt.store import open_store
from tests.cli import adstxt
from tests.conftest import ROOT
from tests.httpserver import GOOD, TEXT, LocalServers, Reply, Seen, closed_port, etagged

SITES = 2500


def _site(i: int) -> Reply:
    body = GOOD + f"examplessp.com, {i}, RESELLER\n".encode()
    return Reply(200, body, {"Content-Type": TEXT, "ETag": f'"{i}"'})


@pytest.fixture
def sites() -> Iterator[LocalServers]:
    with LocalServers() as servers:
        for i in range(SITES):
            if i % 9 == 0:
                continue  # 404: a file that does not exist is a result too
            reply = _site(i)
            servers.routes[f"*://site{i}.com/ads.txt"] = lambda seen, reply=reply: reply
        yield servers


def _domains(folder: Path, first: int = 0, count: int = SITES) -> Path:
    path = folder / f"domains-{first}-{count}.txt"
    path.write_text("".join(f"site{i}.com\n" for i in range(first, first + count)), "utf-8")
    return path


def _start(url: str, *args: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    return subprocess.Popen(
        [sys.executable, "-m", "adstxt", "crawl", "--store", url, *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def _query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        return [tuple(row) for row in connection.execute(sql, params).fetchall()]


def _wait_for(url: str, sql: str, params: tuple[Any, ...] = (), timeout: float = 60) -> Any:
    """Poll until ``sql`` returns a row whose first value is true; that row."""
    deadline = time.monotonic() + timeout
    import psycopg

    while time.monotonic() < deadline:
        try:
            rows = _query(url, sql, params)
        except psycopg.errors.UndefinedTable:
            rows = []  # the first worker has not made the store yet
        if rows and rows[0][0]:
            return rows[0]
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for: {sql}")


def _contents(url: str) -> dict[str, Any]:
    """What the store holds, without the ids and times that differ from run to run."""
    with open_store(url, create=False) as store:
        files = store.iterate(
            "SELECT domain, kind, version, sha256, last_outcome FROM files ORDER BY domain"
        )
        fetches = store.iterate(
            "SELECT domain, kind, requested_url, final_url, status, outcome, sha256, etag "
            "FROM fetches ORDER BY domain, kind"
        )
        versions = store.iterate(
            "SELECT domain, kind, version, sha256 FROM versions ORDER BY domain, version"
        )
        changes = store.iterate(
            "SELECT domain, type, ad_system, seller_id, new_line FROM changes "
            "ORDER BY domain, type, seller_id, new_line"
        )
        records = store.iterate("SELECT COUNT(*) FROM body_records")
        return {
            "files": list(files),
            "fetches": list(fetches),
            "versions": list(versions),
            "changes": list(changes),
            "records": list(records),
        }


def _ads_txt_requests(servers: LocalServers, *, solo: bool | None = None) -> Counter[str]:
    """Requests for ads.txt per host; with ``solo``, only those of the solo crawl (True) or
    of the others (False)."""
    return Counter(
        seen.host
        for seen in servers.seen
        if seen.path == "/ads.txt"
        and (solo is None or (seen.headers.get("user-agent") == "solo") == solo)
    )


def test_three_workers_one_killed_store_each_domain_once(
    sites: LocalServers, tmp_path: Path, postgres_server: Any
) -> None:
    domains = _domains(tmp_path)
    options = [*sites.crawl_options(), "--batch", "40", "--lease", "2", "--concurrency", "40"]
    url = postgres_server.create_database()
    solo_url = postgres_server.create_database()
    try:
        # The same sites crawled by one worker alone, at the same time, tell their requests
        # apart by the User-Agent.
        solo = _start(
            solo_url,
            "--crawl",
            "solo",
            str(domains),
            *sites.crawl_options(),
            "--user-agent",
            "solo",
        )
        first = _start(url, "--crawl", "big", str(domains), *options)
        _wait_for(url, "SELECT count(*) > 0 FROM queue_workers")
        victim = _start(url, "--join", "big", *options)
        other = _start(url, "--join", "big", *options)
        # Killed while it holds a batch, once it has completed some.
        _wait_for(
            url,
            "SELECT count(*) > 0 FROM queue_domains d JOIN queue_workers w "
            "ON w.id = d.lease_owner WHERE w.pid = %s AND d.state = 'claimed' "
            "AND w.domains_done > 0",
            (victim.pid,),
        )
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=30)
        lost = {
            row[0]
            for row in _query(
                url,
                "SELECT d.domain FROM queue_domains d JOIN queue_workers w ON w.id = d.lease_owner "
                "WHERE w.pid = %s AND d.state = 'claimed'",
                (victim.pid,),
            )
        }
        assert lost, "the victim held no batch when it was killed"
        for process in (first, other):
            status, out, err = _finish(process)
            assert status == 0, err
            assert "Traceback" not in err
            assert "this worker" in out
        status, _, err = _finish(solo)
        assert status == 0, err
        shared_requests = _ads_txt_requests(sites, solo=False)
        solo_requests = _ads_txt_requests(sites, solo=True)

        status_text = adstxt("crawl", "--store", url, "--status", "big")
        assert status_text.returncode == 0, status_text.stderr
        assert f"crawl big: {SITES} done, 0 claimed, 0 waiting, 0 failed of {SITES}" in (
            status_text.stdout
        )
        report = json.loads(
            adstxt("crawl", "--store", url, "--status", "big", "--output-format", "json").stdout
        )
        assert (report["done"], report["waiting"], report["claimed"]) == (SITES, 0, 0)
        assert len(report["workers"]) == 3 and report["finished"]
        assert all(w["rate_per_second"] >= 0 for w in report["workers"])

        # Every domain stored once, by one worker or another.
        (fetched,) = _query(url, "SELECT count(*), count(DISTINCT domain) FROM fetches")
        assert fetched == (SITES, SITES)
        (crawl,) = _query(url, "SELECT state, domains, counts FROM crawls")
        assert crawl[:2] == ("finished", SITES)
        not_found = len(range(0, SITES, 9))
        assert json.loads(crawl[2]) == {"ok": SITES - not_found, "not-found": not_found}
        assert _query(url, "SELECT count(*) FROM crawl_domains WHERE done_fetch_id IS NULL") == [
            (0,)
        ]

        # The same sites crawled by one worker alone give the same store.
        assert _contents(url) == _contents(solo_url)
        # Requested once per domain, except the killed worker's batch: fetched again by
        # the worker that took it over after its lease ended.
        assert set(shared_requests) == set(solo_requests)
        again = {host for host in solo_requests if shared_requests[host] != solo_requests[host]}
        assert again <= lost
        assert all(shared_requests[h] == 2 * solo_requests[h] for h in again)
    finally:
        postgres_server.drop_database(url)
        postgres_server.drop_database(solo_url)


def test_two_crawls_in_one_database_do_not_interfere(
    sites: LocalServers, tmp_path: Path, postgres_url: str
) -> None:
    options = [*sites.crawl_options(), "--batch", "10"]
    one = _start(postgres_url, "--crawl", "one", str(_domains(tmp_path, 0, 120)), *options)
    two = _start(postgres_url, "--crawl", "two", str(_domains(tmp_path, 100, 120)), *options)
    for process in (one, two):
        status, _, err = _finish(process)
        assert status == 0, err
    crawls = _query(
        postgres_url,
        "SELECT q.name, c.state, count(f.id), min(f.domain), max(f.domain) FROM queue_crawls q "
        "JOIN crawls c ON c.id = q.store_crawl_id JOIN fetches f ON f.crawl_id = c.id "
        "GROUP BY q.name, c.state ORDER BY q.name",
    )
    assert crawls == [
        ("one", "finished", 120, "site0.com", "site99.com"),
        ("two", "finished", 120, "site100.com", "site219.com"),
    ]
    # The domains both crawls share were fetched by each.
    assert _ads_txt_requests(sites)["site110.com"] == 2
    # Naming the crawl again with the same domains adds nothing and finds nothing to do.
    again = adstxt(
        "crawl", "--store", postgres_url, "--crawl", "one", str(tmp_path / "domains-0-120.txt"),
        *options,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "0 domains enqueued, 120 in all" in again.stderr
    assert "stored 0 domains" in again.stdout
    assert _query(postgres_url, "SELECT count(*) FROM fetches") == [(240,)]


def test_a_worker_whose_connections_are_cut_reconnects_and_finishes(
    sites: LocalServers, tmp_path: Path, postgres_url: str
) -> None:
    slow = Reply(200, GOOD, {"Content-Type": TEXT}, delay=0.05)
    for i in range(200):
        sites.routes[f"*://site{i}.com/ads.txt"] = slow
    worker = _start(
        postgres_url, "--crawl", "cut", str(_domains(tmp_path, 0, 200)), *sites.crawl_options(),
        "--batch", "20", "--concurrency", "10",
    )  # fmt: skip
    _wait_for(postgres_url, "SELECT count(*) FILTER (WHERE state = 'done') > 40 FROM queue_domains")
    (cut,) = _query(
        postgres_url,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name LIKE 'adstxt%%' AND pid <> pg_backend_pid()",
    )
    assert cut[0] >= 1
    status, out, err = _finish(worker)
    assert status == 0, err
    assert "reconnected" in out
    assert _query(postgres_url, "SELECT count(*), count(DISTINCT domain) FROM fetches") == [
        (200, 200)
    ]


def test_errors_are_one_line(tmp_path: Path, postgres_url: str) -> None:
    down = f"postgresql://postgres@127.0.0.1:{closed_port()}/adstxt"
    for args, message in (
        (("--store", down, "--join", "x"), "Connection refused"),
        (("--store", down, "--status", "x"), "Connection refused"),
        (("--store", "postgresql://postgres@127.0.0.1:notaport/x", "--status", "x"), "port"),
        (("--store", postgres_url, "--join", "nothing"), "no crawl named 'nothing'"),
        (("--store", postgres_url, "--status", "nothing"), "no crawl named 'nothing'"),
    ):
        result = adstxt("crawl", *args)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--join", "x"), "needs a PostgreSQL store"),
        (("--store", "postgresql://h/db", "--join", "x", "d.txt"), "takes no file of domains"),
        (("--store", "postgresql://h/db", "--crawl", "x"), "--crawl needs the file of domains"),
        (("--store", "postgresql://h/db", "--join", "x", "--status", "x"), "cannot be used"),
        (("--store", "postgresql://h/db", "--join", "x", "-o", "o.jsonl"), "-o cannot be used"),
        (("--store", "postgresql://h/db", "--join", "x", "--lease", "0"), "--lease must be"),
        (("--store", "postgresql://h/db", "--join", "x", "--batch", "0"), "--batch must be"),
        (("--store", "postgresql://h/db", "--crawl", "x", "d.txt", "--sellers"), "--sellers c"),
        (("--store", "postgresql://h/db", "--join", "x", "--sellers"), "--sellers cannot"),
        (
            ("--store", "postgresql://h/db", "--join", "x", "--sellers-report", "s.jsonl"),
            "--sellers-report cannot",
        ),
        (("--store", "postgresql://h/db", "--join", "x", "--include-records"), "--include-rec"),
        (("--store", "postgresql://h/db", "--crawl", "", "d.txt"), "--crawl needs a name"),
        (("--store", "postgresql://h/db", "--join", ""), "--join needs a name"),
        (("--store", "postgresql://h/db", "--status", ""), "--status needs a name"),
    ],
)
def test_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = adstxt("crawl", *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_the_queue_is_schema_version_3_on_postgresql_only(
    tmp_path: Path, postgres_url: str
) -> None:
    import sqlite3

    from adstxt.store import MIGRATIONS, SCHEMA_VERSION

    assert [step.version for step in MIGRATIONS if step.dialects == ("postgresql",)] == [3]
    open_store(postgres_url).close()
    tables = {
        row[0]
        for row in _query(
            postgres_url,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        )
    }
    assert {"queue_crawls", "queue_domains", "queue_workers", "queue_hosts", "files"} <= tables
    assert _query(postgres_url, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    open_store(tmp_path / "s.sqlite").close()
    db = sqlite3.connect(tmp_path / "s.sqlite")
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    assert not db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'queue_%'").fetchall()
    db.close()


def test_host_delay_holds_across_workers_of_two_crawls(
    sites: LocalServers, tmp_path: Path, postgres_url: str
) -> None:
    hits: dict[str, list[float]] = {}

    def timed(seen: Seen) -> Reply:
        hits.setdefault(seen.host, []).append(time.monotonic())
        return Reply(200, GOOD, {"Content-Type": TEXT})

    for i in range(1, 7):
        sites.routes[f"*://site{i}.com/ads.txt"] = timed
    from adstxt.store._distributed import enqueue

    domains = [f"site{i}.com" for i in range(1, 7)]
    for name in ("a", "b"):
        enqueue(postgres_url, name, "ads.txt", domains, {})
    options = [*sites.crawl_options(), "--host-delay", "1.5"]
    # Two processes, each on its own crawl of the same sites: only the database orders them.
    workers = [_start(postgres_url, "--join", name, *options) for name in ("a", "b")]
    for worker in workers:
        status, _, err = _finish(worker)
        assert status == 0, err
    assert sorted(hits) == sorted(domains)
    for host, times in hits.items():
        assert len(times) == 2, host
        # Granted 1.5 s apart by the database; the requests' own delays blur that a little.
        assert times[1] - times[0] >= 1.2, (host, times)


@pytest.mark.parametrize(("stop", "status_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_stores_the_batch_in_hand_and_a_join_finishes_the_crawl(
    sites: LocalServers,
    tmp_path: Path,
    postgres_url: str,
    stop: signal.Signals,
    status_code: int,
) -> None:
    slow = Reply(200, GOOD, {"Content-Type": TEXT}, delay=0.05)
    for i in range(120):
        sites.routes[f"*://site{i}.com/ads.txt"] = slow
    options = [*sites.crawl_options(), "--batch", "10", "--concurrency", "10"]
    worker = _start(postgres_url, "--crawl", "stop", str(_domains(tmp_path, 0, 120)), *options)
    _wait_for(postgres_url, "SELECT count(*) FILTER (WHERE state = 'done') > 20 FROM queue_domains")
    worker.send_signal(stop)
    status, out, err = _finish(worker)
    assert status == status_code, err
    assert "interrupted" in err and "--join stop" in err and "Traceback" not in err
    assert "this worker" in out
    assert _query(postgres_url, "SELECT count(*) FROM queue_workers WHERE stopped_at IS NULL") == [
        (0,)
    ]
    (left,) = _query(
        postgres_url,
        "SELECT count(*) FILTER (WHERE state = 'claimed'), count(*) FILTER (WHERE state = 'done') "
        "FROM queue_domains",
    )
    assert left[0] == 0 and 0 < left[1] < 120  # nothing held, something left to do
    status, _, err = _finish(_start(postgres_url, "--join", "stop", *options))
    assert status == 0, err
    assert _query(postgres_url, "SELECT count(*), count(DISTINCT domain) FROM fetches") == [
        (120, 120)
    ]
    assert _query(postgres_url, "SELECT state FROM crawls") == [("finished",)]


def test_a_slow_site_holds_its_own_lane_not_the_batches_after_it(
    sites: LocalServers, tmp_path: Path, postgres_url: str
) -> None:
    hits: dict[str, float] = {}

    def timed(delay: float) -> Callable[[Seen], Reply]:
        def reply(seen: Seen) -> Reply:
            hits[seen.host] = time.monotonic()
            return Reply(200, GOOD, {"Content-Type": TEXT}, delay=delay)

        return reply

    sites.routes["*://site0.com/ads.txt"] = timed(4.0)
    for i in range(1, 80):
        sites.routes[f"*://site{i}.com/ads.txt"] = timed(0.0)
    options = [*sites.crawl_options(), "--batch", "10", "--concurrency", "20"]
    worker = _start(postgres_url, "--crawl", "slow", str(_domains(tmp_path, 0, 80)), *options)
    status, _, err = _finish(worker)
    assert status == 0, err
    # Every other site was fetched while the slow one, in the first batch, was answering.
    assert max(hits.values()) - hits["site0.com"] < 3.0, hits
    assert _query(postgres_url, "SELECT count(*), count(DISTINCT domain) FROM fetches") == [
        (80, 80)
    ]


def test_a_worker_takes_the_crawls_kind_and_a_different_kind_is_refused(
    sites: LocalServers, tmp_path: Path, postgres_url: str
) -> None:
    domains = str(_domains(tmp_path, 0, 5))
    options = sites.crawl_options()
    status, _, err = _finish(
        _start(postgres_url, "--crawl", "apps", domains, "--kind", "app-ads.txt", *options)
    )
    assert status == 0, err
    for refused in (("--join", "apps", "--kind", "ads.txt"), ("--crawl", "apps", domains)):
        if "--crawl" in refused:
            refused = (*refused, "--kind", "ads.txt")
        status, _, err = _finish(_start(postgres_url, *refused, *options))
        assert status == 2, err
        assert "the crawl apps fetches app-ads.txt, not ads.txt" in err
        assert "Traceback" not in err
    # Without --kind, the worker fetches what the crawl fetches: two more domains here.
    more = str(_domains(tmp_path, 0, 7))
    status, _, err = _finish(_start(postgres_url, "--crawl", "apps", more, *options))
    assert status == 0, err
    assert _query(postgres_url, "SELECT DISTINCT kind FROM fetches") == [("app-ads.txt",)]
    assert _query(postgres_url, "SELECT count(*) FROM fetches") == [(7,)]


def test_a_shared_re_crawl_of_304s_counts_and_fetches_as_the_first(
    tmp_path: Path, postgres_url: str
) -> None:
    # A site answering 304 in a shared crawl still has its SUBDOMAIN= files fetched again
    # (conditionally), and the worker counts the records of every file, read or not.
    with LocalServers() as servers:
        root = b"SUBDOMAIN=news.site0.com\n" + GOOD
        servers.routes["*://site0.com/ads.txt"] = etagged(root, '"r"')
        servers.routes["*://news.site0.com/ads.txt"] = etagged(b"openx.com, 8, DIRECT\n", '"n"')
        servers.routes["*://site1.com/ads.txt"] = etagged(GOOD, '"s"')
        domains = tmp_path / "d.txt"
        domains.write_text("site0.com\nsite1.com\n")
        options = [*servers.crawl_options(), "--refresh"]
        runs = []
        for name in ("first", "again"):
            asked = len(servers.seen)
            done = adstxt("crawl", "--store", postgres_url, "--crawl", name, str(domains), *options)
            assert done.returncode == 0, done.stderr
            runs.append(
                (
                    done.stdout,
                    {s.host: s.headers.get("if-none-match") for s in servers.seen[asked:]},
                )
            )
    (first, _), (again, asked_again) = runs
    assert asked_again == {"site0.com": '"r"', "news.site0.com": '"n"', "site1.com": '"s"'}
    counted = [re.search(r"([\d,]+) records", out) for out in (first, again)]
    assert all(counted) and counted[0][1] == counted[1][1] != "0"  # type: ignore[index]
    statuses = _query(
        postgres_url,
        "SELECT domain, status FROM fetches WHERE crawl_id = "
        "(SELECT MAX(crawl_id) FROM fetches) ORDER BY domain",
    )
    assert statuses == [("news.site0.com", 304), ("site0.com", 304), ("site1.com", 304)]
