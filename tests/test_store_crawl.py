"""Crawling into the store, end to end against loopback sites: what it holds, conditional
re-crawls, fresh files skipped, and that the JSONL, the CSV, the store and the summary agree.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adstxt.store import open_store
from tests.cli import adstxt, crawl
from tests.httpserver import GOOD, TEXT, LocalServers, Reply, Seen, text

SITES = 60


def _body(i: int, version: int = 1) -> bytes:
    return (
        GOOD
        + f"examplessp.com, {i}, RESELLER\n".encode()
        + (f"other.com, {i}-{version}, DIRECT\n".encode() if version > 1 else b"")
    )


class Site:
    """A site whose ads.txt carries an ETag and honours If-None-Match; ``max_age`` None
    sends no caching header (the spec's 7 days apply)."""

    def __init__(self, i: int, max_age: int | None = 0) -> None:
        self.i, self.version, self.max_age = i, 1, max_age
        self.status: int | None = None  # answer this status instead of the file

    def __call__(self, seen: Seen) -> Reply:
        if self.status is not None:
            return Reply(self.status, b"", {"Content-Type": "text/html"})
        etag = f'"{self.i}-{self.version}"'
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        headers = {"Content-Type": TEXT, "ETag": etag}
        if self.max_age is not None:
            headers["Cache-Control"] = f"max-age={self.max_age}"
        return Reply(200, _body(self.i, self.version), headers)


@pytest.fixture
def sites() -> Iterator[tuple[LocalServers, dict[int, Site]]]:
    with LocalServers() as servers:
        table = {}
        for i in range(SITES):
            if i % 10 == 0:
                continue  # 404
            if i % 10 == 1:
                servers.routes[f"*://site{i}.com/ads.txt"] = text(b"<html>hi</html>", "text/html")
                continue
            table[i] = Site(i)
            servers.routes[f"*://site{i}.com/ads.txt"] = table[i]
        yield servers, table


def _domains(folder: Path, count: int = SITES) -> None:
    (folder / "domains.txt").write_text(
        "".join(f"site{i}.com\n" for i in range(count)), encoding="utf-8"
    )


def _entries(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _requests(servers: LocalServers, start: int = 0) -> list[Seen]:
    return servers.seen[start:]


def _summary_total(stdout: str) -> int:
    found = re.search(r"^total\s+(\d+)$", stdout, re.MULTILINE)
    assert found, stdout
    return int(found.group(1))


def _summary_records(stdout: str) -> int:
    found = re.search(r"([\d,]+) records?", stdout)
    assert found, stdout
    return int(found.group(1).replace(",", ""))


def test_a_crawl_fills_the_store_and_every_output_agrees(
    sites: tuple[LocalServers, dict[int, Site]], tmp_path: Path
) -> None:
    servers, _ = sites
    _domains(tmp_path)
    done = adstxt(
        "crawl",
        "domains.txt",
        "-o",
        "out.jsonl",
        "--records-csv",
        "records.csv",
        *servers.crawl_options(timeout=2),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    entries = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    with (tmp_path / "records.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    db = sqlite3.connect(tmp_path / "adstxt.sqlite")  # the default store
    ((crawl_id, state, counts),) = db.execute("SELECT id, state, counts FROM crawls").fetchall()
    assert state == "finished"
    stored_fetches = db.execute(
        "SELECT COUNT(*) FROM fetches WHERE crawl_id = ?", (crawl_id,)
    ).fetchone()[0]
    stored_records = db.execute(
        "SELECT SUM(b.records) FROM fetches f JOIN bodies b ON b.sha256 = f.sha256 "
        "WHERE f.crawl_id = ? AND f.outcome = 'ok'",
        (crawl_id,),
    ).fetchone()[0]
    total = _summary_total(done.stdout)
    assert len(entries) == stored_fetches == total == SITES
    assert sum(json.loads(counts).values()) == total
    assert len(rows) == stored_records == sum(e["records"] for e in entries)
    assert _summary_records(done.stdout) == stored_records
    # What each fetch recorded.
    ok = db.execute(
        "SELECT status, etag, cache_control, content_type, outcome, unchanged, chain "
        "FROM fetches WHERE domain = 'site5.com'"
    ).fetchone()
    assert ok[:6] == (200, '"5-1"', "max-age=0", TEXT, "ok", 0)
    assert json.loads(ok[6])[-1] == ["http://site5.com/ads.txt", 200, None]
    html = db.execute(
        "SELECT f.outcome, b.verdict FROM fetches f JOIN bodies b ON b.sha256 = f.sha256 "
        "WHERE f.domain = 'site1.com'"
    ).fetchone()
    assert html[0] == "not-ads-txt"
    assert db.execute("SELECT outcome FROM fetches WHERE domain = 'site0.com'").fetchone() == (
        "not-found",
    )


def test_a_recrawl_asks_conditionally_and_stores_no_new_body(
    sites: tuple[LocalServers, dict[int, Site]], tmp_path: Path
) -> None:
    servers, table = sites
    _domains(tmp_path)
    first = adstxt(
        "crawl", "domains.txt", "-o", "1.jsonl", *servers.crawl_options(timeout=2), cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    store = tmp_path / "adstxt.sqlite"
    bodies = sqlite3.connect(store).execute("SELECT COUNT(*) FROM bodies").fetchone()[0]
    table[5].version = 2  # one site changes its file
    start = len(servers.seen)
    again = adstxt(
        "crawl", "domains.txt", "-o", "2.jsonl", *servers.crawl_options(timeout=2), cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    asked = [s for s in _requests(servers, start) if s.host.startswith("site")]
    conditional = [s for s in asked if "if-none-match" in s.headers]
    assert len(conditional) == len(table)  # every site with a copy was asked "changed?"
    db = sqlite3.connect(store)
    assert db.execute("SELECT COUNT(*) FROM bodies").fetchone()[0] == bodies + 1
    assert db.execute("SELECT COUNT(*) FROM fetches WHERE unchanged = 1").fetchone()[0] == (
        len(table) - 1
    )
    # The JSON lines of the two runs tell the same records, 304 or not.
    one = {e["domain"]: e["records"] for e in _entries(tmp_path / "1.jsonl")}
    two = {e["domain"]: e["records"] for e in _entries(tmp_path / "2.jsonl")}
    assert {d: n for d, n in two.items() if d != "site5.com"} == {
        d: n for d, n in one.items() if d != "site5.com"
    }
    assert two["site5.com"] == one["site5.com"] + 1
    events = adstxt(
        "changes",
        "--since",
        "2000-01-01",
        "--seller-id",
        "5-2",
        "--output-format",
        "json",
        cwd=tmp_path,
    )
    assert events.returncode == 0, events.stderr
    (event,) = json.loads(events.stdout)
    assert (event["domain"], event["type"], event["to_version"]) == ("site5.com", "record-added", 2)


def test_fresh_files_are_skipped_unless_refreshed(tmp_path: Path) -> None:
    with LocalServers() as servers:
        for i in range(5):
            servers.routes[f"*://site{i}.com/ads.txt"] = Site(i, max_age=None)  # 7 days
        _domains(tmp_path, 5)
        first = adstxt("crawl", "domains.txt", *servers.crawl_options(timeout=2), cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        start = len(servers.seen)
        second = adstxt("crawl", "domains.txt", *servers.crawl_options(timeout=2), cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert len(servers.seen) == start  # nothing fetched
        assert "5 still fresh" in second.stdout
        third = adstxt(
            "crawl", "domains.txt", "--refresh", *servers.crawl_options(timeout=2), cwd=tmp_path
        )
        assert third.returncode == 0, third.stderr
        assert len(servers.seen) == start + 5
        assert all("if-none-match" in s.headers for s in servers.seen[start:])
    assert not (tmp_path / "out.jsonl").exists()  # the store was the only output


def test_failures_keep_a_stale_copy_and_a_404_ends_it(
    sites: tuple[LocalServers, dict[int, Site]], tmp_path: Path
) -> None:
    servers, table = sites
    _domains(tmp_path, 10)
    assert (
        adstxt("crawl", "domains.txt", *servers.crawl_options(timeout=2), cwd=tmp_path).returncode
        == 0
    )
    table[2].status, table[3].status = 503, 404
    assert (
        adstxt("crawl", "domains.txt", *servers.crawl_options(timeout=2), cwd=tmp_path).returncode
        == 0
    )
    with open_store(tmp_path / "adstxt.sqlite") as store:
        kept = store.file("site2.com", "ads.txt")
        ended = store.file("site3.com", "ads.txt")
        assert kept is not None and kept.sha256 is not None and kept.stale_since is not None
        assert ended is not None and ended.sha256 is None and ended.version == 2
        types = {e["type"] for e in store.changes(domain="site3.com")}
        assert "file-disappeared" in types
        assert store.changes(domain="site2.com", since=kept.stale_since) == []


def test_adstxt_crawl_writes_no_store_unless_asked(
    sites: tuple[LocalServers, dict[int, Site]], tmp_path: Path
) -> None:
    servers, _ = sites
    _domains(tmp_path, 5)
    done = crawl("domains.txt", "-o", "out.jsonl", *servers.crawl_options(timeout=2), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["domains.txt", "out.jsonl"]
    stored = crawl(
        "domains.txt", "--store", "mine.sqlite", *servers.crawl_options(timeout=2), cwd=tmp_path
    )
    assert stored.returncode == 0, stored.stderr
    with open_store(tmp_path / "mine.sqlite") as store:
        assert len(store.crawls()) == 1
    none = adstxt(
        "crawl",
        "domains.txt",
        "-o",
        "b.jsonl",
        "--no-store",
        *servers.crawl_options(timeout=2),
        cwd=tmp_path,
    )
    assert none.returncode == 0 and not (tmp_path / "adstxt.sqlite").exists()
    usage = crawl("domains.txt", cwd=tmp_path)
    assert usage.returncode == 2 and "-o/--output" in usage.stderr


def test_worker_processes_share_the_store(
    sites: tuple[LocalServers, dict[int, Site]], tmp_path: Path
) -> None:
    servers, _ = sites
    _domains(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "adstxt",
            "crawl",
            "domains.txt",
            "-o",
            "out.jsonl",
            "--processes",
            "2",
            "--concurrency",
            "8",
            *servers.crawl_options(timeout=2),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 worker processes" in done.stdout
    with open_store(tmp_path / "adstxt.sqlite") as store:
        (info,) = store.crawls()
        assert (info.state, info.done, info.domains) == ("finished", SITES, SITES)
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == SITES == _summary_total(done.stdout)


def test_a_crawl_into_postgresql_keeps_the_same_history(
    sites: tuple[LocalServers, dict[int, Site]], tmp_path: Path, postgres_url: str
) -> None:
    servers, table = sites
    _domains(tmp_path, 20)
    command = [
        sys.executable, "-m", "adstxt", "crawl", "domains.txt", "--store", postgres_url,
        "--processes", "2", "--concurrency", "4", *servers.crawl_options(timeout=2),
    ]  # fmt: skip
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    table[5].version = 2
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / "adstxt.sqlite").exists()
    with open_store(postgres_url) as store:
        assert [c.state for c in store.crawls()] == ["finished", "finished"]
        unchanged = store._rows("SELECT COUNT(*) FROM fetches WHERE unchanged = 1")[0][0]
        assert unchanged == len([i for i in table if i < 20]) - 1
        (added,) = store.changes(since="2000-01-01", seller_id="5-2")
        assert (added["domain"], added["type"], added["to_version"]) == (
            "site5.com",
            "record-added",
            2,
        )
    diff = adstxt("diff", "site5.com", "--store", postgres_url, "--text", cwd=tmp_path)
    assert diff.returncode == 0 and "+other.com, 5-2, DIRECT" in diff.stdout
