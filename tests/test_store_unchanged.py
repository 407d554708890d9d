"""A re-crawl whose site file answers 304: the JSON line is read back from the store as it
was when the copy was served, and the files of its SUBDOMAIN= lines are still fetched
(conditionally) and recorded."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from adstxt.store import open_store
from tests.cli import adstxt
from tests.httpserver import TEXT, LocalServers, Reply, Seen, closed_port

ROOT = (
    b"OWNERDOMAIN=other-owner.com\n"
    b"SUBDOMAIN=news.site0.com\n"
    b"SUBDOMAIN=shop.site0.com\n"
    b"google.com, pub-1, DIRECT, f08c47fec0942fa0\n"
    b"bad line without fields\n"
)


class Tagged:
    """A file with an ETag that honours If-None-Match."""

    def __init__(self, body: bytes) -> None:
        self.body, self.version = body, 1

    def __call__(self, seen: Seen) -> Reply:
        etag = f'"{self.version}"'
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, self.body, {"Content-Type": TEXT, "ETag": etag})


def _crawl(local: LocalServers, folder: Path, *, records: bool = True) -> dict[str, object]:
    (folder / "domains.txt").write_text("site0.com\n")
    done = adstxt(
        "crawl",
        "domains.txt",
        "-o",
        "out.jsonl",
        "--overwrite",
        "--refresh",
        *(["--include-records"] if records else []),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{local.http_port}",
        "--allow-private-addresses",
        "--retries",
        "0",
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    (line,) = (folder / "out.jsonl").read_text().splitlines()
    entry: dict[str, object] = json.loads(line)
    return entry


def test_a_304_reports_as_the_first_crawl_did_and_subdomain_files_are_fetched_again(
    tmp_path: Path,
) -> None:
    with LocalServers() as local:
        root, news = Tagged(ROOT), Tagged(b"appnexus.com, 7, RESELLER\n")
        local.routes["*://site0.com/ads.txt"] = root
        local.routes["*://news.site0.com/ads.txt"] = news
        local.routes["*://shop.site0.com/ads.txt"] = Reply(
            200, b"openx.com, 9, DIRECT\n", {"Content-Type": TEXT}
        )
        first = _crawl(local, tmp_path)
        asked = len(local.seen)
        again = _crawl(local, tmp_path)
        second = local.seen[asked:]
        # The root and news answered 304 to their validators; shop has none and is fetched.
        conditional = {s.host: s.headers.get("if-none-match") for s in second}
        assert conditional == {"site0.com": '"1"', "news.site0.com": '"1"', "shop.site0.com": None}
        assert again["status"] == 304
        for key in ("records", "variables", "files", "diagnostics", "errors", "record_list"):
            assert again[key] == first[key], key
        # The site-dependent finding (OWNERDOMAIN is not this site) survives the 304.
        assert first["errors"] and first["diagnostics"]
        news.body, news.version = b"appnexus.com, 8, RESELLER\n", 2
        changed = _crawl(local, tmp_path)
        assert ["appnexus.com", "8", "RESELLER", None] in changed["record_list"]
    with open_store(tmp_path / "adstxt.sqlite") as store:
        assert [f["status"] for f in store.fetches("news.site0.com")] == [200, 304, 200]
        assert [v.version for v in store.versions("news.site0.com")] == [1, 2]
        assert [f["unchanged"] for f in store.fetches("site0.com")] == [0, 1, 1]


def test_a_304_reported_without_its_records_counts_them_as_the_first_crawl_did(
    tmp_path: Path,
) -> None:
    # Without --include-records or a records CSV the held records are not read back: the
    # JSON line counts them from the store, the root's and the subdomains' alike.
    with LocalServers() as local:
        local.routes["*://site0.com/ads.txt"] = Tagged(ROOT + b"openx.com, 5, DIRECT\n")
        local.routes["*://news.site0.com/ads.txt"] = Tagged(
            b"appnexus.com, 7, RESELLER\nopenx.com, 8, DIRECT\n"
        )
        local.routes["*://shop.site0.com/ads.txt"] = Reply(
            200, b"<html><body>shop</body></html>\n", {"Content-Type": "text/html"}
        )
        first = _crawl(local, tmp_path, records=False)
        again = _crawl(local, tmp_path, records=False)
        listed = _crawl(local, tmp_path, records=True)
    assert again["status"] == 304 and "record_list" not in again
    files = first["files"]
    assert isinstance(files, dict) and sorted(files.values()) == [0, 1, 2]
    for key in ("records", "variables", "files", "ignored_records", "diagnostics", "errors"):
        assert again[key] == first[key] == listed[key], key
    assert (
        isinstance(listed["record_list"], list)
        and len(listed["record_list"]) == 3 == again["records"]
    )


def test_a_store_without_kept_findings_parses_the_held_copy_again(tmp_path: Path) -> None:
    with LocalServers() as local:
        local.routes["*://site0.com/ads.txt"] = Tagged(ROOT)
        first = _crawl(local, tmp_path)
        db = sqlite3.connect(tmp_path / "adstxt.sqlite")
        db.execute("UPDATE files SET findings = NULL")  # as a store from before they were kept
        db.commit()
        db.close()
        again = _crawl(local, tmp_path)
    assert again["status"] == 304
    assert again["diagnostics"] == first["diagnostics"] and again["records"] == first["records"]


def test_a_record_the_store_cannot_read_back_makes_the_copy_parsed_again(
    tmp_path: Path,
) -> None:
    with LocalServers() as local:
        local.routes["*://site0.com/ads.txt"] = Tagged(ROOT.replace(b"pub-1", b"pub-77"))
        first = _crawl(local, tmp_path)
        db = sqlite3.connect(tmp_path / "adstxt.sqlite")
        db.execute(
            "UPDATE body_parsed SET records = replace(records, '\"DIRECT\"', '\"SOMETIMES\"')"
        )
        db.commit()
        db.close()
        again = _crawl(local, tmp_path)
    assert again["status"] == 304 and again["record_list"] == first["record_list"]


def test_findings_round_trip_and_damaged_ones_are_not_trusted() -> None:
    from adstxt.diagnostics import Diagnostic, Severity
    from adstxt.store._findings import decode_findings, encode_findings

    found = (
        Diagnostic("ADS101", Severity.ERROR, 3, 1, 9, "bad ‘line’", hint="fix it"),
        Diagnostic("ADS527", Severity.WARNING, 0, 0, 0, "http only"),
    )
    assert decode_findings(encode_findings(found)) == found
    assert decode_findings(None) is None
    assert decode_findings("[[1, 2]]") is None and decode_findings("{not json") is None
    assert decode_findings('[[1, 1, 2, "ADS101", "fatal", "m", null]]') is None
