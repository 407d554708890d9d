"""``adstxt history``, ``adstxt diff`` and ``adstxt changes`` on a real store file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from adstxt.store import open_store
from tests.cli import adstxt
from tests.test_store import FIRST, SECOND, day, fetched


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    with open_store(tmp_path / "adstxt.sqlite") as store:
        store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
        store.record(None, [("a.com", [fetched("a.com", SECOND, day(3))])])
        store.record(
            None, [("a.com", [fetched("a.com", None, day(4), status=304, unchanged=True)])]
        )
        store.record(None, [("b.com", [fetched("b.com", FIRST, day(2))])])
        store.record(
            None, [("b.com", [fetched("b.com", None, day(5), outcome="not-found", status=404)])]
        )
    return tmp_path


def test_history_lists_files_versions_and_fetches(folder: Path) -> None:
    text = adstxt("history", "A.com", cwd=folder)
    assert text.returncode == 0, text.stderr
    assert "a.com ads.txt: version 2, current copy" in text.stdout
    assert "unchanged (304)" in text.stdout and text.stdout.count("  ads.txt v") == 2
    data = json.loads(adstxt("history", "a.com", "--output-format", "json", cwd=folder).stdout)
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert [f["status"] for f in data["fetches"]] == [200, 200, 304]
    assert data["fetches"][0]["chain"] == []
    rows = list(
        csv.DictReader(
            io.StringIO(adstxt("history", "a.com", "--output-format", "csv", cwd=folder).stdout)
        )
    )
    # Booleans as `adstxt export` writes them.
    assert [r["unchanged"] for r in rows] == ["false", "false", "true"]
    assert [f["unchanged"] for f in data["fetches"]] == [False, False, True]


def test_diff_between_versions(folder: Path) -> None:
    latest = json.loads(adstxt("diff", "a.com", "--output-format", "json", cwd=folder).stdout)
    assert {(e["type"], e["seller_id"]) for e in latest} >= {
        ("record-removed", "2"),
        ("record-added", "3"),
        ("relationship-changed", "1"),
    }
    assert {(e["from_version"], e["to_version"]) for e in latest} == {(1, 2)}
    first = json.loads(
        adstxt(
            "diff", "a.com", "--from", "0", "--to", "1", "--output-format", "json", cwd=folder
        ).stdout
    )
    assert "file-appeared" in {e["type"] for e in first}
    text = adstxt("diff", "a.com", "--text", cwd=folder)
    assert text.returncode == 0, text.stderr
    assert "relationship-changed" in text.stdout
    assert "-y.com, 2, RESELLER" in text.stdout and "+z.com, 3, DIRECT" in text.stdout
    ended = adstxt("diff", "b.com", cwd=folder)
    assert "file-disappeared" in ended.stdout
    since = adstxt("diff", "a.com", "--since", "2026-01-02", "--output-format", "csv", cwd=folder)
    rows = list(csv.DictReader(io.StringIO(since.stdout)))
    assert rows and {r["to_version"] for r in rows} == {"2"}
    none = adstxt("diff", "a.com", "--since", "2026-02-01", cwd=folder)
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
        (["history", "z.com"], "adstxt.sqlite holds nothing of z.com"),
        (["history", "bad domain", "--output-format", "json"], "holds nothing of bad domain"),
        (["diff", "a.com", "--text", "--output-format", "json"], "cannot go in --output-format"),
        (["diff", "a.com", "--text", "--output-format", "csv"], "cannot go in --output-format"),
    ],
)
def test_bad_requests_are_one_line_errors(folder: Path, args: list[str], message: str) -> None:
    done = adstxt(*args, cwd=folder)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (folder / "missing.sqlite").exists()


def test_changes_filter_by_ad_system_and_seller(folder: Path) -> None:
    every = json.loads(
        adstxt("changes", "--since", "2026-01-01", "--output-format", "json", cwd=folder).stdout
    )
    assert {e["domain"] for e in every} == {"a.com", "b.com"}
    mine = json.loads(
        adstxt(
            "changes",
            "--since",
            "2026-01-02T00:00:00+00:00",
            "--ad-system",
            "Y.COM",
            "--seller-id",
            "2",
            "--output-format",
            "json",
            cwd=folder,
        ).stdout
    )
    assert {(e["domain"], e["type"]) for e in mine} == {
        ("a.com", "record-removed"),
        ("b.com", "record-added"),
        ("b.com", "record-removed"),
    }
    text = adstxt("changes", "--since", "2026-01-05", cwd=folder)
    assert "b.com ads.txt" in text.stdout and "file-disappeared" in text.stdout
    assert "a.com" not in text.stdout


def test_export_writes_each_table_in_each_format(folder: Path) -> None:
    html = b"<html><body>\nq.com, 7, DIRECT\n</body></html>\n"
    with open_store(folder / "adstxt.sqlite") as store:
        store.record(None, [("c.com", [fetched("c.com", html, day(6), outcome="not-ads-txt")])])
    records = adstxt("export", "records", cwd=folder)
    assert records.returncode == 0, records.stderr
    rows = list(csv.DictReader(io.StringIO(records.stdout)))
    # a.com's two versions, b.com's one, and the page c.com served instead of its file.
    assert {(r["domain"], r["seller_id"]) for r in rows} >= {("a.com", "3"), ("c.com", "7")}
    current = {(r["seller_id"], r["current"]) for r in rows if r["domain"] == "a.com"}
    assert ("3", "true") in current and ("2", "false") in current
    assert {r["verdict"] for r in rows if r["domain"] == "c.com"} == {"not-ads-txt"}
    fetches = adstxt("export", "fetches", "--output-format", "jsonl", cwd=folder)
    lines = [json.loads(line) for line in fetches.stdout.splitlines()]
    assert [f["fetch_id"] for f in lines] == list(range(1, 7))
    assert [f["unchanged"] for f in lines if f["domain"] == "a.com"] == [False, False, True]
    target = folder / "changes.parquet"
    done = adstxt("export", "changes", "--output-format", "parquet", "-o", str(target), cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "rows to" in done.stderr
    import pyarrow.parquet as pq

    table = pq.read_table(target)
    every = json.loads(
        adstxt("changes", "--since", "2000-01-01", "--output-format", "json", cwd=folder).stdout
    )
    assert table.num_rows == len(every)
    assert set(table.column("type").to_pylist()) == {e["type"] for e in every}
    refused = adstxt("export", "changes", "--output-format", "parquet", cwd=folder)
    assert refused.returncode == 2 and "standard output" in refused.stderr
