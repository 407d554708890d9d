"""The store's read commands (history, diff, changes, export) never write a store: they read
it read-only, answer while another process holds the write lock, read a store they may not
write, refuse what is no store or needs migrating; and no output may overwrite the store."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from adstxt.store import open_store
from tests.cli import adstxt
from tests.test_store import FIRST, SECOND, day, fetched

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    with open_store(tmp_path / "adstxt.sqlite") as store:
        store.record(None, [("a.com", [fetched("a.com", FIRST, day(1))])])
        store.record(None, [("b.com", [fetched("b.com", SECOND, day(2))])])
        store.record(None, [("a.com", [fetched("a.com", SECOND, day(3))])])
        store.record(
            None, [("a.com", [fetched("a.com", None, day(4), status=304, unchanged=True)])]
        )
        store.record(None, [("a.com", [fetched("a.com", FIRST, day(5))])])
    return tmp_path


def _reader(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adstxt", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


_HOLD_WRITE_LOCK = textwrap.dedent(
    """
    import sqlite3, sys, time
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')")
    print("locked", flush=True)
    time.sleep(120)
    """
)


def test_readers_answer_while_another_process_holds_the_write_lock(folder: Path) -> None:
    store = folder / "adstxt.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(store)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        for args in (
            ("history", "a.com"),
            ("diff", "a.com"),
            ("changes", "--since", "2026-01-01"),
            ("export", "records"),
        ):
            started = time.monotonic()
            done = _reader(folder, *args)
            assert done.returncode == 0, (args, done.stderr)
            # The busy timeout is 60 s: an answer in a few seconds took no lock.
            assert time.monotonic() - started < 15, args
    finally:
        holder.kill()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()


def test_a_store_the_reader_may_not_write_is_read(folder: Path) -> None:
    store = folder / "adstxt.sqlite"
    with sqlite3.connect(store) as connection:  # folds the WAL in: one file to copy
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shelf = folder / "shelf"
    shelf.mkdir()
    shutil.copy(store, shelf / "s.sqlite")
    (shelf / "s.sqlite").chmod(0o444)
    shelf.chmod(0o555)  # not even the journal files can be made beside it
    prefix: list[str] = []
    if os.geteuid() == 0:
        # Root may write a file whatever its mode: make the folder read-only media instead,
        # a read-only bind mount seen by the reader's process alone.
        if shutil.which("unshare") is None:
            pytest.skip("running as root without unshare: a read-only file reads as writable")
        prefix = [
            "unshare",
            "-m",
            "sh",
            "-c",
            'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
            str(shelf),
        ]
    for args in (("history", "a.com"), ("export", "records", "--output-format", "jsonl")):
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "adstxt", *args, "--store", str(shelf / "s.sqlite")],
            cwd="/",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        assert done.returncode == 0, (args, done.stderr)
        assert "a.com" in done.stdout
    assert sorted(p.name for p in shelf.iterdir()) == ["s.sqlite"]


def test_an_empty_file_is_no_store_and_stays_empty(tmp_path: Path) -> None:
    (tmp_path / "zero.sqlite").write_bytes(b"")
    for args in (("history", "a.com"), ("changes", "--since", "2026-01-01"), ("export", "fetches")):
        done = adstxt(*args, "--store", "zero.sqlite", cwd=tmp_path)
        assert done.returncode == 2
        assert "zero.sqlite: it is not a crawl store" in done.stderr, done.stderr
    assert (tmp_path / "zero.sqlite").stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zero.sqlite"]


def test_a_store_that_needs_migrating_is_left_as_it_is(folder: Path) -> None:
    store = folder / "adstxt.sqlite"
    with sqlite3.connect(store) as connection:
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    done = adstxt("history", "a.com", cwd=folder)
    assert done.returncode == 2
    assert "older than version" in done.stderr and "adstxt crawl" in done.stderr
    with sqlite3.connect(store) as connection:
        (version,) = connection.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone()
    assert version == "1"


@pytest.mark.parametrize("name", ["adstxt.sqlite", "adstxt.sqlite-wal", "link.sqlite"])
def test_export_refuses_to_overwrite_the_store(folder: Path, name: str) -> None:
    (folder / "link.sqlite").symlink_to(folder / "adstxt.sqlite")
    before = (folder / "adstxt.sqlite").read_bytes()
    done = adstxt("export", "records", "-o", name, cwd=folder)
    assert done.returncode == 2
    assert "is the store adstxt.sqlite itself" in done.stderr
    assert (folder / "adstxt.sqlite").read_bytes() == before


def test_exports_name_the_version_numbers_history_and_diff_use(folder: Path) -> None:
    diff = json.loads(adstxt("diff", "a.com", "--output-format", "json", cwd=folder).stdout)
    assert {(e["from_version"], e["to_version"]) for e in diff} == {(2, 3)}
    changes = [
        json.loads(line)
        for line in adstxt(
            "export", "changes", "--output-format", "jsonl", cwd=folder
        ).stdout.splitlines()
    ]
    latest = [c for c in changes if c["domain"] == "a.com" and c["new_version"] == 3]
    assert latest and {(c["old_version"], c["new_version"]) for c in latest} == {(2, 3)}
    # a.com's third version has FIRST's body again: the body id is that of version 1.
    first = {c["new_body_id"] for c in changes if c["domain"] == "a.com" and c["new_version"] == 1}
    assert {c["new_body_id"] for c in latest} == first
    assert {c["old_body_id"] for c in latest}.isdisjoint(first)
    # The exported version is one diff takes.
    assert adstxt("diff", "a.com", "--from", "1", "--to", "3", cwd=folder).stdout == "no changes\n"
    fetches = json.loads(adstxt("export", "fetches", "--output-format", "json", cwd=folder).stdout)
    a_com = [(f["status"], f["version"]) for f in fetches if f["domain"] == "a.com"]
    assert a_com == [(200, 1), (200, 2), (304, 2), (200, 3)]
    records = list(csv.DictReader(io.StringIO(adstxt("export", "records", cwd=folder).stdout)))
    versions = {(r["domain"], r["sha256"][:8], r["version"], r["current"]) for r in records}
    # FIRST's body was versions 1 and 3: its rows carry the latest, 3, and are current.
    assert {v[2:] for v in versions if v[0] == "a.com"} == {("3", "true"), ("2", "false")}


def test_export_json_is_one_array_and_jsonl_one_object_a_line(folder: Path) -> None:
    array = adstxt("export", "changes", "--output-format", "json", cwd=folder).stdout
    lines = adstxt("export", "changes", "--output-format", "jsonl", cwd=folder).stdout
    assert json.loads(array) == [json.loads(line) for line in lines.splitlines()]
    assert array.startswith("[\n{") and array.endswith("}\n]\n")
    with open_store(folder / "empty.sqlite"):
        pass
    empty = adstxt(
        "export", "changes", "--output-format", "json", "--store", "empty.sqlite", cwd=folder
    )
    assert empty.returncode == 0 and empty.stdout == "[]\n"
