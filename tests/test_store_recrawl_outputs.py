"""Re-crawls into a store report every listed domain the same way whatever happened to it:
a file still fresh has its line and rows, a 304 keeps the serving findings of the copy, a
resumed crawl counts all its domains, and --resume refuses another list. End to end against
loopback sites, with real store files and real processes."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("h11")

from tests.cli import adstxt
from tests.httpserver import GOOD, TEXT, LocalServers, Reply, Seen, etagged
from tests.test_store_crawl import Site


def _entries(path: Path) -> dict[str, dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {str(e["domain"]): e for e in map(json.loads, lines)}


def _rows(path: Path, *, sort: bool = True) -> list[tuple[str, ...]]:
    """The rows of a records CSV, sorted (``sort=False``: as written)."""
    with path.open(encoding="utf-8", newline="") as handle:
        found = [tuple(r.values()) for r in csv.DictReader(handle)]
    return sorted(found) if sort else found


def _summary_total(stdout: str) -> int:
    found = re.search(r"^total\s+(\d+)$", stdout, re.MULTILINE)
    assert found, stdout
    return int(found[1])


def _crawl_twice(
    servers: LocalServers, folder: Path
) -> tuple[subprocess.CompletedProcess[str], list[Seen]]:
    """Crawl ``folder``/d.txt into 1.jsonl and 1.csv, then again into 2.jsonl and 2.csv;
    the second crawl and the requests it made."""
    options = [*servers.crawl_options(), "--records-csv"]
    first = adstxt("crawl", "d.txt", "-o", "1.jsonl", *options, "1.csv", cwd=folder)
    assert first.returncode == 0, first.stderr
    start = len(servers.seen)
    again = adstxt("crawl", "d.txt", "-o", "2.jsonl", *options, "2.csv", cwd=folder)
    assert again.returncode == 0, again.stderr
    return again, servers.seen[start:]


def test_fresh_domains_are_in_every_output(tmp_path: Path) -> None:
    with LocalServers() as servers:
        for i in range(5):
            servers.routes[f"*://site{i}.com/ads.txt"] = Site(i, max_age=None if i < 2 else 0)
        (tmp_path / "d.txt").write_text("".join(f"site{i}.com\n" for i in range(5)))
        again, asked = _crawl_twice(servers, tmp_path)
        fetched = {s.host for s in asked}
    assert fetched == {"site2.com", "site3.com", "site4.com"}  # the fresh two were not
    assert _summary_total(again.stdout) == 5 and "2 still fresh" in again.stdout
    one, two = _entries(tmp_path / "1.jsonl"), _entries(tmp_path / "2.jsonl")
    assert sorted(two) == sorted(one)
    for domain in ("site0.com", "site1.com"):
        assert two[domain]["fresh"] is True and two[domain]["outcome"] == "ok"
        assert two[domain]["records"] == one[domain]["records"] != 0
        assert two[domain]["fresh_until"] is not None
    assert "fresh" not in two["site2.com"]

    assert _rows(tmp_path / "2.csv") == _rows(tmp_path / "1.csv")
    # Nothing was fetched for them, so nothing new is stored.
    with sqlite3.connect(tmp_path / "adstxt.sqlite") as db:
        counts = db.execute(
            "SELECT domain, COUNT(*) FROM fetches GROUP BY domain ORDER BY domain"
        ).fetchall()
    assert counts == [("site0.com", 1), ("site1.com", 1)] + [(f"site{i}.com", 2) for i in (2, 3, 4)]


def test_a_fresh_line_says_what_the_fetched_line_said(tmp_path: Path) -> None:
    """A file still fresh is read back from the store, not parsed again: its line has the
    same findings (its Content-Type's among them, not its scheme's), verdicts, variables
    and records."""
    body = b"OWNERDOMAIN=site0.com\nCONTACT=ops@site0.com\n" + GOOD + b"bad line\n"
    with LocalServers() as servers:
        servers.routes["*://site0.com/ads.txt"] = Reply(200, body, {"Content-Type": "text/plain"})
        (tmp_path / "d.txt").write_text("site0.com\n")
        for records in ((), ("--include-records",)):
            for name in ("1.jsonl", "2.jsonl"):
                done = adstxt(
                    "crawl", "d.txt", "-o", name, "--overwrite", *records,
                    *servers.crawl_options(), cwd=tmp_path,
                )  # fmt: skip
                assert done.returncode == 0, done.stderr
            one, two = _entries(tmp_path / "1.jsonl"), _entries(tmp_path / "2.jsonl")
            first, fresh = one["site0.com"], two["site0.com"]
            assert fresh.pop("fresh") is True and "fresh" not in first
            assert "ADS517" in first["diagnostics"]  # type: ignore[operator]
            assert first["variables"] == 2 and first["records"] != 0 and first["errors"] != 0
            if records:
                assert fresh["record_list"] == first["record_list"] != []
            # The findings of the fetch's scheme are not kept (the HTTPS failure's reason is
            # not stored): HTTP only (ADS527) is the one finding a fresh line leaves out.
            assert first["diagnostics"].pop("ADS527") == 1  # type: ignore[attr-defined]
            for same in ("diagnostics", "errors", "verdicts", "variables", "records", "files"):
                assert fresh[same] == first[same], same
            (tmp_path / "adstxt.sqlite").unlink()


def test_a_304_over_http_only_keeps_the_http_only_finding(tmp_path: Path) -> None:
    with LocalServers() as servers:
        servers.routes["*://b-pub.com/ads.txt"] = etagged(GOOD)
        (tmp_path / "b.txt").write_text("b-pub.com\n")
        options = [*servers.crawl_options(), "--refresh"]
        assert adstxt("crawl", "b.txt", "-o", "p1.jsonl", *options, cwd=tmp_path).returncode == 0
        assert adstxt("crawl", "b.txt", "-o", "p2.jsonl", *options, cwd=tmp_path).returncode == 0
    p1, p2 = _entries(tmp_path / "p1.jsonl"), _entries(tmp_path / "p2.jsonl")
    assert p1["b-pub.com"]["status"] == 200 and p2["b-pub.com"]["status"] == 304
    assert p2["b-pub.com"]["diagnostics"] == p1["b-pub.com"]["diagnostics"]
    assert "ADS527" in p2["b-pub.com"]["diagnostics"]  # type: ignore[operator]


def test_a_304_mirrored_writes_the_held_copy(tmp_path: Path) -> None:
    """A 304 reads the held body back only for a mirror, which writes it."""

    with LocalServers() as servers:
        servers.routes["*://b-pub.com/ads.txt"] = etagged(GOOD)
        (tmp_path / "b.txt").write_text("b-pub.com\n")
        options = [*servers.crawl_options(), "--refresh"]
        first = adstxt("crawl", "b.txt", "-o", "p1.jsonl", *options, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        again = adstxt("crawl", "b.txt", "-o", "p2.jsonl", *options, "--mirror", "m", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
    assert _entries(tmp_path / "p2.jsonl")["b-pub.com"]["status"] == 304
    assert (tmp_path / "m" / "b-pub.com" / "ads.txt").read_bytes() == GOOD


def _slow_sites(servers: LocalServers, count: int) -> None:
    for i in range(count):
        servers.routes[f"*://site{i}.com/ads.txt"] = Reply(
            200, GOOD, {"Content-Type": TEXT}, delay=0.15
        )


def _crawl_process(servers: LocalServers, folder: Path, listed: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "adstxt",
        "crawl",
        listed,
        "-o",
        "out.jsonl",
        "--concurrency",
        "2",
        "--processes",
        "1",
        *servers.crawl_options(),
    ]


def _kill_midway(servers: LocalServers, folder: Path, listed: str) -> None:
    process = subprocess.Popen(
        _crawl_process(servers, folder, listed),
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"), "PATH": "/usr/bin"},
    )
    store = folder / "adstxt.sqlite"
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if not store.exists():
                continue
            try:
                with sqlite3.connect(store) as db:
                    (done,) = db.execute(
                        "SELECT COUNT(*) FROM crawl_domains WHERE done_fetch_id IS NOT NULL"
                    ).fetchone()
            except sqlite3.Error:
                continue
            if done >= 4:
                break
    finally:
        process.kill()
        process.wait(timeout=30)


def test_a_resumed_crawl_counts_all_its_domains_and_refuses_another_list(
    tmp_path: Path,
) -> None:
    with LocalServers() as servers:
        _slow_sites(servers, 30)
        (tmp_path / "many.txt").write_text("".join(f"site{i}.com\n" for i in range(30)))
        _kill_midway(servers, tmp_path, "many.txt")
        (tmp_path / "other.txt").write_text("a-pub.com\nb-pub.com\n")
        other = adstxt("crawl", "other.txt", "-o", "out.jsonl", "--resume", cwd=tmp_path)
        assert other.returncode == 2
        assert "other.txt" in other.stderr and "--resume" in other.stderr
        assert len(other.stderr.strip().splitlines()) == 1
        resumed = adstxt(
            "crawl",
            "many.txt",
            "-o",
            "out.jsonl",
            "--resume",
            *servers.crawl_options(),
            cwd=tmp_path,
        )
        assert resumed.returncode == 0, resumed.stderr
    assert len(_entries(tmp_path / "out.jsonl")) == 30
    with sqlite3.connect(tmp_path / "adstxt.sqlite") as db:
        rows = db.execute("SELECT domains, counts FROM crawls").fetchall()
    assert [(domains, json.loads(counts)) for domains, counts in rows] == [(30, {"ok": 30})]


def test_a_fresh_site_counts_the_held_files_of_its_subdomain_lines(tmp_path: Path) -> None:
    # Not fetched again, a site's line still counts the files its SUBDOMAIN= lines led to,
    # as the crawl that fetched them did; so do the summary and the records CSV.
    root = b"SUBDOMAIN=news.site0.com\nSUBDOMAIN=gone.site0.com\n" + GOOD
    with LocalServers() as servers:
        servers.routes["*://site0.com/ads.txt"] = Reply(200, root, {"Content-Type": TEXT})
        servers.routes["*://news.site0.com/ads.txt"] = Reply(
            200, b"appnexus.com, 7, RESELLER\nopenx.com, 8, DIRECT\n", {"Content-Type": TEXT}
        )
        (tmp_path / "d.txt").write_text("site0.com\n")
        again, asked = _crawl_twice(servers, tmp_path)
        assert asked == []  # nothing fetched: all still fresh
    one, two = _entries(tmp_path / "1.jsonl"), _entries(tmp_path / "2.jsonl")
    assert two["site0.com"]["fresh"] is True
    files = one["site0.com"]["files"]
    assert isinstance(files, dict) and len(files) == 2  # the root and news (gone is a 404)
    for key in ("records", "files", "variables"):
        assert two["site0.com"][key] == one["site0.com"][key], key
    assert _summary_total(again.stdout) == 1
    assert "records" in again.stdout and str(one["site0.com"]["records"]) in again.stdout

    first_rows = _rows(tmp_path / "1.csv")
    assert _rows(tmp_path / "2.csv") == first_rows
    assert len(first_rows) == one["site0.com"]["records"]


def test_a_304_with_only_a_records_csv_writes_the_same_rows(tmp_path: Path) -> None:
    with LocalServers() as servers:
        servers.routes["*://site0.com/ads.txt"] = Site(0)
        (tmp_path / "d.txt").write_text("site0.com\n")
        options = [*servers.crawl_options(), "--refresh", "--records-csv"]
        first = adstxt("crawl", "d.txt", "-o", "1.jsonl", *options, "1.csv", cwd=tmp_path)
        again = adstxt("crawl", "d.txt", "-o", "2.jsonl", *options, "2.csv", cwd=tmp_path)
    assert first.returncode == again.returncode == 0, again.stderr
    assert _entries(tmp_path / "2.jsonl")["site0.com"]["status"] == 304

    assert _rows(tmp_path / "2.csv", sort=False) == _rows(tmp_path / "1.csv", sort=False) != []
