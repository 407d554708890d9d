"""A re-crawl reports a 304 from the counts the store holds of the copy (``files.tally``)
when it writes out neither records nor bodies: its lines are those of the full read-back
(``--include-records``), for every kind of held copy, and a copy whose counts are missing
or damaged falls back to its findings, then to a parse; and a re-crawl of unchanged files
loads no checker. End to end against loopback sites, with real store files and real
processes; the reading itself on rows of a real store (SQLite, and PostgreSQL where the
reading differs)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("h11")

from adstxt.diagnostics import Diagnostic, Severity
from adstxt.fetch import FetchResult, Hop
from adstxt.model import Variable
from adstxt.store import MIGRATIONS, migrate, open_store
from adstxt.store._dialect import SQLITE
from adstxt.store._findings import DAMAGED, Tally, decode_tally, encode_tally
from adstxt.store._unchanged import HeldTally, findings_of, held_row, tally_held
from tests.cli import adstxt
from tests.httpserver import GOOD, LocalServers, etagged

#: What each site serves (the body, then its Content-Type).
SITES = {
    # Errors, and a variable.
    "a.com": (b"OWNERDOMAIN=a.com\n" + GOOD + b"bad line without fields\nx.com, 1, SOMETIMES\n",),
    # Served as text/plain without a charset: the copy's serving finding (ADS517) is counted.
    "b.com": (GOOD, "text/plain"),
    # One body served by two sites: its SUBDOMAIN is under one and not the other, so the
    # findings of one of them are kept with the body and the other's in its file row.
    "c.com": (b"SUBDOMAIN=sub.c.com\n" + GOOD,),
    "d.com": (b"SUBDOMAIN=sub.c.com\n" + GOOD,),
    "sub.c.com": (b"openx.com, 9, DIRECT\n",),
}


def _serve(servers: LocalServers) -> None:
    for host, (body, *content_type) in SITES.items():
        servers.routes[f"*://{host}/ads.txt"] = etagged(body, '"1"', *content_type)


def _crawl(servers: LocalServers, folder: Path, store: str, out: str, *extra: str) -> None:
    done = adstxt(
        "crawl",
        "d.txt",
        "--store",
        store,
        "-o",
        out,
        "--overwrite",
        *servers.crawl_options(),
        *extra,
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr


def _lines(path: Path) -> dict[str, dict[str, object]]:
    """A crawl's lines by domain, without what differs from one run to the next."""
    found = {}
    for entry in map(json.loads, path.read_text().splitlines()):
        entry.pop("fresh_until")
        entry.pop("record_list", None)
        found[entry.pop("domain")] = entry
    return found


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)
    new.close()
    old.close()


def _run_sql(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    db.execute(sql)
    db.commit()
    db.close()


@pytest.mark.parametrize("subdomains", [True, False], ids=["subdomains", "no-subdomains"])
def test_a_304_counted_from_the_store_reports_what_the_read_back_reports(
    tmp_path: Path, subdomains: bool
) -> None:
    # Followed, the SUBDOMAIN= files of c.com are fetched again and its copy is read back;
    # not followed, every copy is counted, those with findings of their own site too.
    options = [] if subdomains else ["--no-subdomains"]
    (tmp_path / "d.txt").write_text("".join(f"{d}\n" for d in SITES if d != "sub.c.com"))
    with LocalServers() as servers:
        _serve(servers)
        _crawl(servers, tmp_path, "s.sqlite", "first.jsonl", *options)
        db = sqlite3.connect(tmp_path / "s.sqlite")
        kept = dict(db.execute("SELECT domain, findings FROM files WHERE kind = 'ads.txt'"))
        db.close()
        # The case of a body whose findings differ from site to site is there.
        assert sorted(kept[d] == "" for d in ("c.com", "d.com")) == [False, True]
        # A copy stored before version 7 has no counts; one an adstxt from before stored
        # again has counts made for an earlier copy; damaged ones cannot be read. Each store
        # is re-crawled twice: counted (lines alone) and read back (--include-records).
        changes = {
            "intact": None,
            "old": "UPDATE files SET tally = NULL",
            "stale": "UPDATE files SET tally = json_set(tally, '$[0]', -1)",
            "damaged": "UPDATE files SET tally = '[1, 2]'",
        }
        for name, change in changes.items():
            for read_back in (False, True):
                path = tmp_path / f"{name}{'-listed' if read_back else ''}.sqlite"
                _copy(tmp_path / "s.sqlite", path)
                if change is not None:
                    _run_sql(path, change)
                extra = ["--include-records"] if read_back else []
                out = f"{path.stem}.jsonl"
                _crawl(servers, tmp_path, str(path), out, "--refresh", *options, *extra)
    first = _lines(tmp_path / "first.jsonl")
    listed = _lines(tmp_path / "intact-listed.jsonl")
    assert all(entry["status"] == 304 for entry in listed.values())
    # Counted or read back, every line is the same.
    for name in changes:
        assert _lines(tmp_path / f"{name}.jsonl") == _lines(tmp_path / f"{name}-listed.jsonl")
    # Damaged counts make the copy parsed again: the lines of intact ones.
    assert _lines(tmp_path / "intact.jsonl") == _lines(tmp_path / "damaged.jsonl") == listed
    # Without counts for the copy, it is reported as before version 7: with the variables
    # kept with its body, those of the site that first served it. So the lines are those of
    # intact counts for the sites whose findings are their body's.
    body_findings = {d for d, text in kept.items() if text == "" and d in listed}
    for name in ("old", "stale"):
        found = _lines(tmp_path / f"{name}.jsonl")
        assert {d: found[d] for d in body_findings} == {d: listed[d] for d in body_findings}
    for domain, entry in listed.items():
        for key in ("records", "variables", "files", "verdicts", "diagnostics", "errors"):
            assert entry[key] == first[domain][key], (domain, key)
    assert listed["b.com"]["diagnostics"] == {"ADS517": 1, "ADS527": 1}
    assert listed["a.com"]["errors"] == 2 and listed["a.com"]["verdicts"] == {
        "http://a.com/ads.txt": "errors"
    }


def _confirmed(domain: str) -> FetchResult:
    """A 304 that confirmed ``domain``'s copy over HTTP."""
    url = f"http://{domain}/ads.txt"
    return FetchResult(
        domain=domain,
        kind="ads.txt",
        url=url,
        final_url=url,
        status=304,
        content_type=None,
        chain=(Hop(url, 304),),
        fetch_diagnostics=(),
    )


def test_the_counts_of_a_held_row_and_when_there_are_none(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("a.com\nb.com\nc.com\n")
    with LocalServers() as servers:
        _serve(servers)
        _crawl(servers, tmp_path, "s.sqlite", "first.jsonl")
    first = _lines(tmp_path / "first.jsonl")
    with open_store(tmp_path / "s.sqlite") as store:
        rows = {d: held_row(store, d, "ads.txt", body=False) for d in ("a.com", "b.com", "c.com")}
    a, b, c = (rows[d] for d in ("a.com", "b.com", "c.com"))
    assert a is not None and b is not None and c is not None
    tally = tally_held(a, _confirmed("a.com"), subdomains=True)
    assert tally is not None
    assert (tally.url, tally.verdict, tally.records, tally.variables) == (
        "http://a.com/ads.txt",
        "errors",
        1,
        1,
    )
    # The line adds the 304's own findings (ADS527, over HTTP only) to these.
    assert {**tally.codes, "ADS527": 1} == first["a.com"]["diagnostics"]
    assert tally.errors == first["a.com"]["errors"]
    served = tally_held(b, _confirmed("b.com"), subdomains=True)
    assert served is not None and served.codes == {"ADS517": 1} and served.errors == 0
    # A copy whose SUBDOMAIN= files are fetched again is read back, unless they are not.
    assert tally_held(c, _confirmed("c.com"), subdomains=True) is None
    assert tally_held(c, _confirmed("c.com"), subdomains=False) is not None
    # Only a 304 that confirmed the copy is counted.
    fetched = FetchResult(**{**_fields(_confirmed("a.com")), "status": 200})
    assert tally_held(a, fetched, subdomains=True) is None
    failed = _confirmed("a.com")
    failed = FetchResult(
        **{
            **_fields(failed),
            "fetch_diagnostics": (Diagnostic("ADS501", Severity.ERROR, 1, 1, 1, "refused"),),
        }
    )
    assert tally_held(a, failed, subdomains=True) is None


def _fields(result: FetchResult) -> dict[str, object]:
    import attrs

    return attrs.asdict(result, recurse=False)


def test_counts_of_an_earlier_copy_fall_back_to_the_findings_and_damaged_ones_to_a_parse(
    tmp_path: Path,
) -> None:
    (tmp_path / "d.txt").write_text("a.com\n")
    with LocalServers() as servers:
        _serve(servers)
        _crawl(servers, tmp_path, "s.sqlite", "first.jsonl")
    path = tmp_path / "s.sqlite"

    def counted() -> HeldTally | None:
        with open_store(path) as store:
            row = held_row(store, "a.com", "ads.txt", body=False)
            lean = held_row(store, "a.com", "ads.txt", body=False, findings=False)
            assert row is not None and lean is not None
            # Left unread only when the counts name the copy's fetch; read when asked.
            assert findings_of(store, lean) == row.findings
            assert lean.findings == (None if lean.findings_deferred else row.findings)
        tally = tally_held(row, _confirmed("a.com"), subdomains=True)
        assert tally_held(lean, _confirmed("a.com"), subdomains=True) == tally
        return tally

    whole = counted()
    assert whole is not None
    with open_store(path) as store:
        lean = held_row(store, "a.com", "ads.txt", body=False, findings=False)
    assert lean is not None and lean.findings_deferred and lean.findings is None
    _run_sql(path, "UPDATE files SET tally = json_set(tally, '$[0]', good_fetch_id + 1)")
    assert counted() == whole  # counted from the findings instead
    for damaged in ("not json", "[1, 2]", "[1, 1, {}, null]", '[1, 0, {"A": 1}, "x"]'):
        _run_sql(path, f"UPDATE files SET tally = '{damaged}'")
        # Made for this very copy: its fetch is the one that served it.
        _run_sql(
            path,
            "UPDATE files SET tally = CASE WHEN json_valid(tally) "
            "THEN json_set(tally, '$[0]', good_fetch_id) ELSE tally END",
        )
        assert counted() is None, damaged
    _run_sql(path, "UPDATE files SET tally = NULL, findings = '[[1, 2]]'")
    _run_sql(path, "UPDATE body_parsed SET diagnostics = '[[1, 2]]'")
    assert counted() is None


def test_counts_round_trip_and_damaged_ones_are_not_trusted() -> None:
    found = (
        Diagnostic("ADS217", Severity.ERROR, 3, 1, 9, "bad"),
        Diagnostic("ADS101", Severity.WARNING, 4, 1, 9, "odd"),
        Diagnostic("ADS217", Severity.ERROR, 5, 1, 9, "bad"),
    )
    assert encode_tally(7, found) == '[7,2,{"ADS101":1,"ADS217":2},null]'
    assert decode_tally(encode_tally(7, found), 7) == Tally({"ADS101": 1, "ADS217": 2}, 2)
    assert decode_tally(encode_tally(7, ()), 7) == Tally({}, 0)
    own = (Variable("SUBDOMAIN", "sub.c.com", 1),)
    assert decode_tally(encode_tally(7, found, own), 7) == Tally({"ADS101": 1, "ADS217": 2}, 2, own)
    # None kept, or kept for an earlier copy (an adstxt from before stored this one).
    assert decode_tally(None, 7) is None and decode_tally("", 7) is None
    assert decode_tally(encode_tally(6, found), 7) is None
    for damaged in (
        "not json",
        "{}",
        "[7, 1]",
        '[7, 1, {"A": 1}]',
        '["7", 0, {}, null]',
        '[7, 2, {"A": 1}, null]',  # more errors than findings
        '[7, -1, {"A": 1}, null]',
        '[7, 0, {"A": 0}, null]',
        '[7, 0, {"A": true}, null]',
        '[7, 0, {"A": 1.0}, null]',
        '[7, true, {"A": 1}, null]',
        '[7, 0, ["A"], null]',
        '[7, 0, {"A": 1}, "SUBDOMAIN"]',
        '[7, 0, {"A": 1}, [[1, "SUBDOMAIN"]]]',
    ):
        assert decode_tally(damaged, 7) is DAMAGED, damaged


def test_a_version_6_store_gets_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    assert migrate(db, SQLITE, target=6) == (0, 6)
    assert "tally" not in {row[1] for row in db.execute("PRAGMA table_info(files)")}
    db.close()
    assert MIGRATIONS[6].version == 7
    with open_store(path):
        pass
    db = sqlite3.connect(path)
    assert "tally" in {row[1] for row in db.execute("PRAGMA table_info(files)")}
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("7",)
    db.close()


def test_a_body_first_served_by_another_site_reports_its_own_variables(tmp_path: Path) -> None:
    # The same body's SUBDOMAIN= line is a variable for c.com and refused for d.com. Store
    # "one" met it at d.com first, so it keeps no variable with the body, and c.com's
    # counts carry c.com's own; store "two" met it only at c.com. Read back in one process,
    # one after the other, each site reports its own variables, counted or restored.
    from adstxt.store._unchanged import restore_held

    with LocalServers() as servers:
        _serve(servers)
        for store, site in (("one", "d.com"), ("one", "c.com"), ("two", "c.com")):
            (tmp_path / "d.txt").write_text(f"{site}\n")
            _crawl(servers, tmp_path, f"{store}.sqlite", "first.jsonl", "--no-subdomains")
    variables = {}
    for store_name, site in (("one", "d.com"), ("one", "c.com"), ("two", "c.com")):
        with open_store(tmp_path / f"{store_name}.sqlite") as store:
            row = held_row(store, site, "ads.txt", body=False)
            assert row is not None
            restored, _ = restore_held(store, row, _confirmed(site), records=True, body=False)
        tally = tally_held(row, _confirmed(site), subdomains=False)
        assert restored.parse_result is not None and len(restored.parse_result.records) == 1
        names = [v.name for v in restored.parse_result.variables]
        assert tally is not None and tally.variables == len(names)
        variables[store_name, site] = names
    assert variables == {
        ("one", "d.com"): [],
        ("one", "c.com"): ["SUBDOMAIN"],
        ("two", "c.com"): ["SUBDOMAIN"],
    }


#: Runs the crawler after noting, per process, every import of the checker's modules
#: (forked workers inherit the hook): ``watch.py RECORD ARGS...``.
_WATCHED_CRAWL = """
import os, sys

record = sys.argv[1]


class Watch:
    def find_spec(self, name, path, target=None):
        if name.startswith("adstxt._engine") or name in ("adstxt._api", "adstxt._lint", "adstxt._fixer"):
            with open(record, "a") as out:
                out.write(f"{os.getpid()} {name}\\n")
        return None


sys.meta_path.insert(0, Watch())
with open(record, "a") as out:
    out.write(f"{os.getpid()} parent\\n")
from adstxt.crawl import main

sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_re_crawl_of_unchanged_files_never_loads_the_checker(
    tmp_path: Path, processes: str
) -> None:
    """A first crawl loads the checker (before forking, with workers); a re-crawl in which
    every file answers 304 or is still fresh loads it in no process, whether its lines are
    counted or its copies restored (``SUBDOMAIN=`` files fetched again,
    ``--include-records``)."""
    import subprocess
    import sys

    (tmp_path / "watch.py").write_text(_WATCHED_CRAWL)
    (tmp_path / "d.txt").write_text("a.com\nb.com\nc.com\nd.com\n")

    def crawl(name: str, *extra: str) -> tuple[str, list[tuple[str, str]]]:
        record = tmp_path / f"{name}.imports"
        done = subprocess.run(
            [
                sys.executable,
                str(tmp_path / "watch.py"),
                str(record),
                "d.txt",
                "--store",
                "s.sqlite",
                "-o",
                f"{name}.jsonl",
                "--overwrite",
                "--processes",
                processes,
                "--progress",
                "never",
                *servers.crawl_options(),
                *extra,
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        pairs = [line.split() for line in record.read_text().splitlines()]
        parent = next(pid for pid, what in pairs if what == "parent")
        return parent, [(pid, what) for pid, what in pairs if what != "parent"]

    with LocalServers() as servers:
        _serve(servers)
        parent, first = crawl("first")
        assert "adstxt._api" in {what for _, what in first}, first
        if processes == "2":  # loaded once, by the parent, for the workers it forks
            assert {pid for pid, _ in first} == {parent}, first
        for name, extra in (("again", ()), ("records", ("--include-records",))):
            _, loaded = crawl(name, "--refresh", *extra)
            assert loaded == [], (name, loaded)
            lines = _lines(tmp_path / f"{name}.jsonl")
            assert {line["status"] for line in lines.values()} == {304}, lines
        # Still fresh: nothing fetched, every line from the copies held.
        _, loaded = crawl("fresh")
        assert loaded == [], loaded
        assert all(line["fresh"] for line in _lines(tmp_path / "fresh.jsonl").values())


def test_findings_are_left_unread_alike_in_both_databases(
    store_location: str, tmp_path: Path
) -> None:
    """The held row's two queries, on SQLite and PostgreSQL: without findings, the body's
    are left unread exactly when the counts name the copy's fetch, read back equal when
    asked, and the copy is counted alike either way."""
    (tmp_path / "d.txt").write_text("".join(f"{site}\n" for site in SITES if site != "sub.c.com"))
    with LocalServers() as servers:
        _serve(servers)
        _crawl(servers, tmp_path, store_location, "first.jsonl")
    with open_store(store_location) as store:
        deferred = 0
        for site in ("a.com", "b.com", "c.com", "d.com"):
            full = held_row(store, site, "ads.txt", body=False)
            lean = held_row(store, site, "ads.txt", body=False, findings=False)
            assert full is not None and lean is not None
            assert not full.findings_deferred and full.findings is not None
            assert findings_of(store, lean) == full.findings, site
            if lean.findings_deferred:
                deferred += 1
                assert lean.findings is None
            else:  # the site's own findings, kept in its file row (not its body's)
                assert lean.findings == full.findings
            for subdomains in (True, False):
                counted = tally_held(full, _confirmed(site), subdomains=subdomains)
                assert tally_held(lean, _confirmed(site), subdomains=subdomains) == counted
                # Without its SUBDOMAIN= files fetched again, every copy here is counted.
                assert counted is not None or subdomains, site
        # c.com and d.com share a body: one of them keeps findings of its own.
        assert deferred == 3
        # Store.holds_copies: whether any file a crawl has still to do has a copy held (a
        # re-crawl), not counting those it has done (a resumed first crawl).
        again = store.start_crawl("ads.txt", {}, ["new.com", "a.com"])
        other = store.start_crawl("ads.txt", {}, ["new.com"])
        apps = store.start_crawl("app-ads.txt", {}, ["a.com"])
        assert store.holds_copies(again, "ads.txt")
        assert not store.holds_copies(other, "ads.txt")
        assert not store.holds_copies(apps, "app-ads.txt")
        assert store.skip_fresh(again, "ads.txt") == ["a.com"]  # done: still fresh
        assert not store.holds_copies(again, "ads.txt")
