"""``adstxt crawl --sellers`` against loopback servers: each ad system's sellers.json fetched
once per crawl (worker processes included), kept in the store with its history and change
events, and the crawl's records checked against it once per sellers.json."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from adstxt.store import open_store
from adstxt.store._sellers_changes import derive_sellers_changes, sellers_snapshot
from adstxt.store._sellers_crawl import crawl_sellers, stored_checks
from tests.cli import adstxt, crawl
from tests.httpserver import TEXT, LocalServers, Reply, Seen, closed_port, text

SITES = 4
ADS_TXT = (
    b"ssp-a.com, 100, DIRECT\n"
    b"ssp-a.com, 999, DIRECT\n"
    b"ssp-a.com, abc, RESELLER\n"
    b"ssp-a.com, 200, DIRECT\n"
    b"ssp-a.com, 300, RESELLER\n"
    b"ssp-b.com, 5, DIRECT\n"
)


def _sellers(*entries: dict[str, object]) -> bytes:
    return json.dumps({"version": "1.0", "sellers": list(entries)}, indent=1).encode()


FIRST = _sellers(
    {"seller_id": "100", "seller_type": "PUBLISHER", "name": "One", "domain": "site0.com"},
    {"seller_id": "ABC", "seller_type": "INTERMEDIARY", "name": "Abc", "domain": "abc.com"},
    {"seller_id": "200", "seller_type": "INTERMEDIARY", "name": "Two", "domain": "two.com"},
    {"seller_id": "300", "seller_type": "INTERMEDIARY", "is_confidential": 1},
)
SECOND = _sellers(
    {"seller_id": "ABC", "seller_type": "INTERMEDIARY", "name": "Abc", "domain": "abc.com"},
    {"seller_id": "200", "seller_type": "INTERMEDIARY", "name": "Two Ltd", "domain": "two.com"},
    {"seller_id": "300", "seller_type": "INTERMEDIARY", "is_confidential": 1},
    {"seller_id": "400", "seller_type": "PUBLISHER", "name": "Four", "domain": "four.com"},
)


class SellersFile:
    """ssp-a.com's sellers.json: its body, or a status to answer instead."""

    def __init__(self) -> None:
        self.body, self.status = FIRST, 200

    def __call__(self, seen: Seen) -> Reply:
        if self.status != 200:
            return Reply(self.status, b"", {"Content-Type": "text/html"})
        etag = f'"{hashlib.sha256(self.body).hexdigest()[:16]}"'
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, self.body, {"Content-Type": "application/json", "ETag": etag})


@pytest.fixture
def servers() -> Iterator[tuple[LocalServers, SellersFile]]:
    with LocalServers() as local:
        for i in range(SITES):
            local.routes[f"*://site{i}.com/ads.txt"] = text(ADS_TXT, TEXT)
        sellers = SellersFile()
        local.routes["*://ssp-a.com/sellers.json"] = sellers
        # ssp-b.com has no sellers.json: a 404
        yield local, sellers


def _crawl(
    local: LocalServers, folder: Path, *extra: str, refresh: bool = True
) -> tuple[int, str, str]:
    (folder / "domains.txt").write_text("".join(f"site{i}.com\n" for i in range(SITES)))
    done = adstxt(
        "crawl",
        "domains.txt",
        "--sellers",
        *(["--refresh"] if refresh else []),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{local.http_port}",
        "--allow-private-addresses",
        "--retries",
        "0",
        "--timeout",
        "3",
        *extra,
        cwd=folder,
    )
    return done.returncode, done.stdout, done.stderr


def _asked(local: LocalServers, host: str) -> int:
    return sum(1 for s in local.seen if s.host == host and s.path == "/sellers.json")


def test_each_sellers_json_is_fetched_once_stored_and_checked_once_per_ad_system(
    servers: tuple[LocalServers, SellersFile], tmp_path: Path
) -> None:
    local, _ = servers
    status, stdout, stderr = _crawl(local, tmp_path, "--processes", "2", "--concurrency", "4")
    assert status == 0, stderr
    # Four sites name each ad system; two worker processes crawled them: one fetch each.
    assert _asked(local, "ssp-a.com") == 1
    assert _asked(local, "ssp-b.com") == 1
    assert "sellers.json: 2 files for 2 ad systems, 1 without a usable copy" in stdout
    assert (
        "ssp-a.com (4 sellers): 20 records on 4 sites checked; 1 seller IDs not listed, "
        "1 in the wrong case, 1 with the wrong seller type, 1 confidential" in stdout
    )
    assert "ssp-b.com: 4 records on 4 sites not checked: no sellers.json" in stdout
    with open_store(tmp_path / "adstxt.sqlite") as store:
        (check_a, check_b) = stored_checks(store, 1)
        assert check_a["sellers_domain"] == "ssp-a.com"
        assert check_a["not_listed"] == {"count": 1, "listed": [["999", 4]]}
        assert check_a["wrong_case"] == {"count": 1, "listed": [["abc", "ABC", 4]]}
        assert check_a["wrong_type"] == {
            "count": 1,
            "listed": [["200", "DIRECT", "INTERMEDIARY", 4]],
        }
        assert check_a["confidential"]["listed"] == [["300", 4]]
        assert check_b["checked_against"] == "none" and check_b["outcome"] == "not-found"
        row = store.file("ssp-a.com", "sellers.json")
        assert row is not None and row.sha256 is not None and row.version == 1
        assert store.body(row.sha256) == FIRST
        assert [e["type"] for e in store.changes(kind="sellers.json")] == ["file-appeared"]
    db = sqlite3.connect(tmp_path / "adstxt.sqlite")
    assert db.execute(
        "SELECT verdict, records FROM bodies WHERE size = ?", (len(FIRST),)
    ).fetchall() == [("valid", 4)]


def test_a_changed_sellers_json_gives_seller_events_and_a_failure_keeps_the_last_copy(
    servers: tuple[LocalServers, SellersFile], tmp_path: Path
) -> None:
    local, sellers = servers
    assert _crawl(local, tmp_path)[0] == 0
    assert _crawl(local, tmp_path)[0] == 0  # the same file again: no body, no event
    db = sqlite3.connect(tmp_path / "adstxt.sqlite")
    bodies = db.execute("SELECT COUNT(*) FROM bodies").fetchone()[0]
    sellers.body = SECOND
    status, stdout, _ = _crawl(local, tmp_path)
    assert status == 0
    assert db.execute("SELECT COUNT(*) FROM bodies").fetchone()[0] == bodies + 1
    with open_store(tmp_path / "adstxt.sqlite") as store:
        events = [
            (e["type"], e["ad_system"], e["seller_id"], e["variable"], e["old"], e["new"])
            for e in store.changes(kind="sellers.json")
        ]
        assert events == [
            ("file-appeared", None, None, None, None, "valid"),
            ("seller-removed", "ssp-a.com", "100", None, "PUBLISHER", None),
            ("seller-added", "ssp-a.com", "400", None, None, "PUBLISHER"),
            ("seller-changed", "ssp-a.com", "200", "name", "Two", "Two Ltd"),
        ]
    # 100 is no longer listed: two seller IDs are missing now.
    assert "ssp-a.com (4 sellers): 20 records on 4 sites checked; 2 seller IDs" in stdout
    sellers.status = 503
    status, stdout, _ = _crawl(local, tmp_path)
    assert status == 0
    assert "ssp-a.com (4 sellers, server-error: last good copy)" in stdout
    with open_store(tmp_path / "adstxt.sqlite") as store:
        row = store.file("ssp-a.com", "sellers.json")
        assert row is not None and row.stale_since is not None and row.version == 2
        assert store.body(row.sha256 or "") == SECOND
    sellers.status = 404  # sellers.json keeps its last good copy even through a 404
    assert _crawl(local, tmp_path)[0] == 0
    with open_store(tmp_path / "adstxt.sqlite") as store:
        row = store.file("ssp-a.com", "sellers.json")
        assert row is not None and row.sha256 is not None and row.last_outcome == "not-found"


def test_an_html_page_is_not_taken_for_a_sellers_json(
    servers: tuple[LocalServers, SellersFile], tmp_path: Path
) -> None:
    local, _ = servers
    local.routes["*://ssp-b.com/sellers.json"] = text(b"<html>shop</html>", "text/html")
    status, stdout, _ = _crawl(local, tmp_path)
    assert status == 0
    assert "ssp-b.com: 4 records on 4 sites not checked" in stdout and "not-sellers-json" in stdout
    with open_store(tmp_path / "adstxt.sqlite") as store:
        assert store.file("ssp-b.com", "sellers.json") is not None
        (fetch,) = store.fetches("ssp-b.com", "sellers.json")
        assert fetch["sha256"] is None and fetch["outcome"] == "not-sellers-json"


def test_an_off_root_location_is_asked_where_the_table_says(tmp_path: Path) -> None:
    with LocalServers() as local:
        local.routes["*://site0.com/ads.txt"] = text(b"ssp-c.com, 7, DIRECT\n", TEXT)
        local.routes["*://files.ssp-c.com/pub/sellers.json"] = text(
            _sellers({"seller_id": "7", "seller_type": "PUBLISHER", "domain": "site0.com"}),
            "application/json",
        )
        (tmp_path / "domains.txt").write_text("site0.com\n")
        done = adstxt(
            "crawl",
            "domains.txt",
            "--connect-to",
            f":80:127.0.0.1:{local.http_port}",
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--allow-private-addresses",
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        options = {
            "connect_to": local.connect_to[:1],
            "allow_private_addresses": True,
            "timeout": 3.0,
        }
        with open_store(tmp_path / "adstxt.sqlite") as store:
            (check,) = crawl_sellers(
                store,
                1,
                "ads.txt",
                options,
                locations={"ssp-c.com": "http://files.ssp-c.com/pub/sellers.json"},
            )
            assert check.url == "http://files.ssp-c.com/pub/sellers.json"
            assert check.checked_against == "fetched" and check.not_listed_count == 0
            assert check.records == 1 and check.sellers == 1
        assert [s.path for s in local.seen if s.host.endswith("ssp-c.com")] == ["/pub/sellers.json"]


def test_seller_events_compare_ids_not_order() -> None:
    a, b = sellers_snapshot(FIRST), sellers_snapshot(FIRST.replace(b"\n", b""))
    assert derive_sellers_changes("ssp-a.com", a, b) == []
    assert [e.type.value for e in derive_sellers_changes("x.com", None, a)] == ["file-appeared"]
    broken = sellers_snapshot(b"<html>")
    events = derive_sellers_changes("x.com", a, broken)
    assert events[0].type.value == "file-became-invalid" and len(events) == 5  # 4 removed
    assert [e.type.value for e in derive_sellers_changes("x.com", a, None)] == ["file-disappeared"]


def test_the_sellers_phase_writes_a_postgresql_store_too(
    servers: tuple[LocalServers, SellersFile], tmp_path: Path, postgres_url: str
) -> None:
    local, sellers = servers
    status, stdout, stderr = _crawl(local, tmp_path, "--store", postgres_url)
    assert status == 0, stderr
    sellers.body = SECOND
    status, stdout, stderr = _crawl(local, tmp_path, "--store", postgres_url)
    assert status == 0, stderr
    assert "ssp-a.com (4 sellers): 20 records on 4 sites checked; 2 seller IDs" in stdout
    with open_store(postgres_url) as store:
        assert [c["sellers_domain"] for c in stored_checks(store, 2)] == ["ssp-a.com", "ssp-b.com"]
        types = [e["type"] for e in store.changes(kind="sellers.json")]
        assert types == ["file-appeared", "seller-removed", "seller-added", "seller-changed"]


def test_an_unchanged_sellers_json_answers_304_and_a_fresh_one_is_not_asked_for(
    servers: tuple[LocalServers, SellersFile], tmp_path: Path
) -> None:
    local, _ = servers
    assert _crawl(local, tmp_path)[0] == 0
    asked = len(local.seen)
    status, stdout, _ = _crawl(local, tmp_path)  # --refresh: asked again, conditionally
    assert status == 0
    (again,) = [s for s in local.seen[asked:] if s.host == "ssp-a.com"]
    assert again.headers.get("if-none-match")
    assert "ssp-a.com (4 sellers): 20 records on 4 sites checked; 1 seller IDs" in stdout
    with open_store(tmp_path / "adstxt.sqlite") as store:
        first, second = store.fetches("ssp-a.com", "sellers.json")
        assert (second["status"], second["unchanged"]) == (304, 1)
        assert second["sha256"] == first["sha256"]
        assert [v.version for v in store.versions("ssp-a.com", "sellers.json")] == [1]
    asked = len(local.seen)
    status, stdout, _ = _crawl(local, tmp_path, refresh=False)
    assert status == 0
    # The sites' files and ssp-a's sellers.json are still fresh (7 days): none is asked
    # for; ssp-b has no copy to be fresh, and is asked again.
    assert [(s.host, s.path) for s in local.seen[asked:]] == [("ssp-b.com", "/sellers.json")]
    assert "ssp-a.com (4 sellers, still fresh: not fetched): 20 records" in stdout


def test_the_checks_go_to_a_json_lines_report_when_asked(
    servers: tuple[LocalServers, SellersFile], tmp_path: Path
) -> None:
    local, _ = servers
    status, _, stderr = _crawl(local, tmp_path, "--sellers-report", "report.jsonl")
    assert status == 0, stderr
    lines = [json.loads(x) for x in (tmp_path / "report.jsonl").read_text().splitlines()]
    assert [x["sellers_domain"] for x in lines] == ["ssp-a.com", "ssp-b.com"]
    assert lines[0]["not_listed"] == {"count": 1, "listed": [["999", 4]]}
    assert lines[0]["records"] == 20 and lines[0]["ad_systems"] == ["ssp-a.com"]
    (tmp_path / "folder").mkdir()
    status, _, stderr = _crawl(local, tmp_path, "--sellers-report", "folder")
    assert status == 2 and "cannot write folder" in stderr and "in the store" in stderr
    assert "Traceback" not in stderr


def test_sellers_options_need_a_store_and_each_other(tmp_path: Path) -> None:
    (tmp_path / "domains.txt").write_text("site0.com\n")

    done = crawl("domains.txt", "-o", "out.jsonl", "--sellers", cwd=tmp_path)
    assert done.returncode == 2 and "--sellers needs a store" in done.stderr
    done = adstxt("crawl", "domains.txt", "--sellers-report", "r.jsonl", cwd=tmp_path)
    assert done.returncode == 2 and "--sellers-report needs --sellers" in done.stderr
