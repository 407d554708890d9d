"""``adstxt history``, ``adstxt diff``, ``adstxt changes`` and ``adstxt export`` on a real
store: a SQLite file, and a PostgreSQL database."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from adstxt.store import open_store
from tests.cli import adstxt
from tests.test_store import FIRST, SECOND, day, fetched


class Folder:
    """The working directory of the commands and the store they read (the default
    ``adstxt.sqlite`` there, or a PostgreSQL database given with ``--store``)."""

    def __init__(self, path: Path, location: str) -> None:
        self.path = path
        self.location = location

    def __truediv__(self, name: str) -> Path:
        return self.path / name

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        chosen = "--store" in args or self.location.endswith("adstxt.sqlite")
        return adstxt(*args, *(() if chosen else ("--store", self.location)), cwd=self.path)


@pytest.fixture
def folder(tmp_path: Path, store_location: str) -> Folder:
    with open_store(store_location) as store:
        store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
        store.record(None, [("a.com", [fetched("a.com", SECOND, day(3))])])
        store.record(
            None, [("a.com", [fetched("a.com", None, day(4), status=304, unchanged=True)])]
        )
        store.record(None, [("b.com", [fetched("b.com", FIRST, day(2))])])
        store.record(
            None, [("b.com", [fetched("b.com", None, day(5), outcome="not-found", status=404)])]
        )
    return Folder(tmp_path, store_location)


def test_history_lists_files_versions_and_fetches(folder: Folder) -> None:
    text = folder.run("history", "A.com")
    assert text.returncode == 0, text.stderr
    assert "a.com ads.txt: version 2, current copy" in text.stdout
    assert "unchanged (304)" in text.stdout and text.stdout.count("  ads.txt v") == 2
    data = json.loads(folder.run("history", "a.com", "--output-format", "json").stdout)
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert [f["status"] for f in data["fetches"]] == [200, 200, 304]
    assert data["fetches"][0]["chain"] == []
    rows = list(
        csv.DictReader(io.StringIO(folder.run("history", "a.com", "--output-format", "csv").stdout))
    )
    # Booleans as `adstxt export` writes them.
    assert [r["unchanged"] for r in rows] == ["false", "false", "true"]
    assert [f["unchanged"] for f in data["fetches"]] == [False, False, True]


def test_diff_between_versions(folder: Folder) -> None:
    latest = json.loads(folder.run("diff", "a.com", "--output-format", "json").stdout)
    assert {(e["type"], e["seller_id"]) for e in latest} >= {
        ("record-removed", "2"),
        ("record-added", "3"),
        ("relationship-changed", "1"),
    }
    assert {(e["from_version"], e["to_version"]) for e in latest} == {(1, 2)}
    first = json.loads(
        folder.run("diff", "a.com", "--from", "0", "--to", "1", "--output-format", "json").stdout
    )
    assert "file-appeared" in {e["type"] for e in first}
    text = folder.run("diff", "a.com", "--text")
    assert text.returncode == 0, text.stderr
    assert "relationship-changed" in text.stdout
    assert "-y.com, 2, RESELLER" in text.stdout and "+z.com, 3, DIRECT" in text.stdout
    ended = folder.run("diff", "b.com")
    assert "file-disappeared" in ended.stdout
    since = folder.run("diff", "a.com", "--since", "2026-01-02", "--output-format", "csv")
    rows = list(csv.DictReader(io.StringIO(since.stdout)))
    assert rows and {r["to_version"] for r in rows} == {"2"}
    none = folder.run("diff", "a.com", "--since", "2026-02-01")
    assert none.stdout == "no changes\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "a.com", "--from", "1", "--to", "7"], "has no version 7 (it has 1 to 2)"),
        (["diff", "z.com"], "holds no version of z.com's ads.txt"),
        (["diff", "a.com", "--since", "2026-01-01", "--from", "1"], "contradict"),
        (["diff", "a.com", "--since", "2026-01-01", "--text"], "--text needs two versions"),
        (["changes", "--since", "yesterday"], "is not a date"),
        (["history", "a.com", "--store", "missing.sqlite"], "no such store"),
        (["history", "z.com"], "holds nothing of z.com"),
        (["history", "bad domain", "--output-format", "json"], "holds nothing of bad domain"),
        (["diff", "a.com", "--text", "--output-format", "json"], "cannot go in --output-format"),
        (["diff", "a.com", "--text", "--output-format", "csv"], "cannot go in --output-format"),
    ],
)
def test_bad_requests_are_one_line_errors(folder: Folder, args: list[str], message: str) -> None:
    done = folder.run(*args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (folder / "missing.sqlite").exists()


def test_changes_filter_by_ad_system_and_seller(folder: Folder) -> None:
    every = json.loads(
        folder.run("changes", "--since", "2026-01-01", "--output-format", "json").stdout
    )
    assert {e["domain"] for e in every} == {"a.com", "b.com"}
    mine = json.loads(
        folder.run(
            "changes",
            "--since",
            "2026-01-02T00:00:00+00:00",
            "--ad-system",
            "Y.COM",
            "--seller-id",
            "2",
            "--output-format",
            "json",
        ).stdout
    )
    assert {(e["domain"], e["type"]) for e in mine} == {
        ("a.com", "record-removed"),
        # b.com's first copy (day 2) is its baseline: no record-added for it.
        ("b.com", "record-removed"),
    }
    text = folder.run("changes", "--since", "2026-01-05")
    assert "b.com ads.txt" in text.stdout and "file-disappeared" in text.stdout
    assert "a.com" not in text.stdout


def test_export_writes_each_table_in_each_format(folder: Folder) -> None:
    html = b"<html><body>\nq.com, 7, DIRECT\n</body></html>\n"
    with open_store(folder.location) as store:
        store.record(None, [("c.com", [fetched("c.com", html, day(6), outcome="not-ads-txt")])])
    records = folder.run("export", "records")
    assert records.returncode == 0, records.stderr
    rows = list(csv.DictReader(io.StringIO(records.stdout)))
    # a.com's two versions, b.com's one, and the page c.com served instead of its file.
    assert {(r["domain"], r["seller_id"]) for r in rows} >= {("a.com", "3"), ("c.com", "7")}
    current = {(r["seller_id"], r["current"]) for r in rows if r["domain"] == "a.com"}
    assert ("3", "true") in current and ("2", "false") in current
    assert {r["verdict"] for r in rows if r["domain"] == "c.com"} == {"not-ads-txt"}
    fetches = folder.run("export", "fetches", "--output-format", "jsonl")
    lines = [json.loads(line) for line in fetches.stdout.splitlines()]
    assert [f["fetch_id"] for f in lines] == list(range(1, 7))
    assert [f["unchanged"] for f in lines if f["domain"] == "a.com"] == [False, False, True]
    target = folder / "changes.parquet"
    done = folder.run("export", "changes", "--output-format", "parquet", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert "rows to" in done.stderr
    import pyarrow.parquet as pq

    table = pq.read_table(target)
    every = json.loads(
        folder.run("changes", "--since", "2000-01-01", "--output-format", "json").stdout
    )
    assert table.num_rows == len(every)
    assert set(table.column("type").to_pylist()) == {e["type"] for e in every}
    refused = folder.run("export", "changes", "--output-format", "parquet")
    assert refused.returncode == 2 and "standard output" in refused.stderr
