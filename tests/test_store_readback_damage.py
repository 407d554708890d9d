"""A re-crawl reads a held copy back from a store that may be damaged or written by a
library caller: whatever the store's rows say, a 304 confirms the copy the server
confirmed, never a traceback, and its line says what the first crawl's said as long as the
body itself is intact. Real crawls of loopback sites into real SQLite files (and a real
PostgreSQL database for the shared crawl)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("h11")

from tests.cli import adstxt
from tests.httpserver import GOOD, LocalServers, Reply, Seen, etagged

_NO_CONTENT_TYPE = (
    "UPDATE fetches SET content_type = NULL WHERE id IN (SELECT good_fetch_id FROM files)"
)


def _first_and_304(
    tmp_path: Path, routes: dict[str, Callable[[Seen], Reply]], damage: str, *extra: str
) -> tuple[dict[str, object], dict[str, object]]:
    """The line of a first crawl of site.com and of a --refresh one (304s) after ``damage``."""
    lines = []
    with LocalServers() as servers:
        servers.routes.update(routes)
        (tmp_path / "d.txt").write_text("site.com\n")
        for name in ("1", "2"):
            if name == "2":
                with sqlite3.connect(tmp_path / "adstxt.sqlite") as db:
                    db.execute(damage)
            done = adstxt(
                "crawl", "d.txt", "-o", f"{name}.jsonl", "--refresh", *extra,
                *servers.crawl_options(), cwd=tmp_path,
            )  # fmt: skip
            assert "Traceback" not in done.stderr, done.stderr[-2000:]
            assert done.returncode == 0, done.stderr
            lines.append(json.loads((tmp_path / f"{name}.jsonl").read_text()))
    return lines[0], lines[1]


def test_a_304_confirms_a_copy_whose_stored_content_type_is_lost(tmp_path: Path) -> None:
    # The copy was served as text/plain (its fetch was ok, so it is held); a 304 confirms
    # it. Its Content-Type's findings made again from a NULL header must not turn the 304
    # into a failed fetch: that marks the file stale and, after STALE_LIMIT, drops it.
    first, again = _first_and_304(
        tmp_path, {"*://site.com/ads.txt": etagged(GOOD, '"v1"')}, _NO_CONTENT_TYPE
    )
    assert again["status"] == 304
    assert again["outcome"] == first["outcome"] == "ok"
    with sqlite3.connect(tmp_path / "adstxt.sqlite") as db:
        unchanged = db.execute("SELECT unchanged FROM fetches ORDER BY id DESC LIMIT 1").fetchone()
        stale = db.execute("SELECT stale_since FROM files").fetchone()
    assert unchanged == (1,)
    assert stale == (None,)


def test_a_shared_crawls_304_confirms_a_copy_whose_stored_content_type_is_lost(
    tmp_path: Path, postgres_url: str
) -> None:
    psycopg = pytest.importorskip("psycopg")
    with LocalServers() as servers:
        servers.routes["*://site.com/ads.txt"] = etagged(GOOD, '"v1"')
        (tmp_path / "d.txt").write_text("site.com\n")
        options = [*servers.crawl_options(), "--refresh"]
        for name in ("first", "again"):
            if name == "again":
                with psycopg.connect(postgres_url) as connection:
                    connection.execute(_NO_CONTENT_TYPE)
            done = adstxt(
                "crawl", "--store", postgres_url, "--crawl", name, str(tmp_path / "d.txt"),
                *options,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
    with psycopg.connect(postgres_url) as connection:
        last = connection.execute(
            "SELECT status, outcome, unchanged FROM fetches ORDER BY id DESC LIMIT 1"
        ).fetchone()
        stale = connection.execute("SELECT stale_since FROM files").fetchone()
    assert tuple(last) == (304, "ok", True)
    assert stale == (None,)


def test_a_records_count_that_is_no_number_is_no_traceback(tmp_path: Path) -> None:
    # Without --records-csv or --include-records the number of records comes from
    # bodies.records; SQLite keeps a text there as text.
    first, again = _first_and_304(
        tmp_path, {"*://site.com/ads.txt": etagged(GOOD, '"v1"')}, "UPDATE bodies SET records = 'x'"
    )
    assert again["status"] == 304
    assert again["records"] == first["records"] == 1


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM body_variables",
        "INSERT INTO body_variables (body_id, line, name, value) "
        "SELECT body_id, 99, 'CONTACT', 'x@y.com' FROM body_variables",
    ],
)
def test_variable_rows_that_disagree_with_the_body_have_it_parsed_again(
    tmp_path: Path, damage: str
) -> None:
    # The SUBDOMAIN= lines are variables: losing their rows loses the files they lead to.
    # (A body of its own per case: what a body holds is kept in memory by its SHA-256.)
    root = b"# " + damage.encode() + b"\nSUBDOMAIN=news.site.com\n" + GOOD
    routes = {
        "*://site.com/ads.txt": etagged(root, '"r"'),
        "*://news.site.com/ads.txt": etagged(b"openx.com, 8, DIRECT\n", '"n"'),
    }
    first, again = _first_and_304(tmp_path, routes, damage, "--include-records")
    assert again["status"] == 304
    for key in ("variables", "records", "files", "record_list"):
        assert again[key] == first[key], key


def test_findings_that_are_no_list_of_rows_are_not_taken_for_none(tmp_path: Path) -> None:
    # '{}' and '""' iterate as nothing: read back as "no findings" rather than untrusted.
    body = GOOD + b"this is not a record\n"
    first, again = _first_and_304(
        tmp_path,
        {"*://site.com/ads.txt": etagged(body, '"v1"')},
        "UPDATE files SET findings = '{}'",
    )
    assert first["errors"] != 0
    assert again["errors"] == first["errors"]
    assert again["diagnostics"] == first["diagnostics"]
