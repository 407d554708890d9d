"""The crawl store under faults, with real processes and real SQLite files: SIGKILL at
several moments, SIGINT, a full disk, an unwritable store, a newer schema, and a reader
querying while a crawl writes."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from adstxt.store import SCHEMA_VERSION
from tests.httpserver import GOOD, LocalServers, Reply, closed_port, text

SITES = 150


@pytest.fixture(scope="module")
def slow_sites() -> Iterator[LocalServers]:
    with LocalServers() as servers:
        for i in range(SITES):
            if i % 7 == 0:
                servers.routes[f"*://site{i}.com/ads.txt"] = Reply(404, b"", {}, delay=0.03)
            else:
                body = GOOD + f"examplessp.com, {i}, RESELLER\n".encode()
                reply = text(body)
                reply.delay = 0.03
                servers.routes[f"*://site{i}.com/ads.txt"] = reply
        yield servers


def _command(servers: LocalServers, folder: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "adstxt",
        "crawl",
        str(folder / "domains.txt"),
        "-o",
        str(folder / "out.jsonl"),
        "--store",
        str(folder / "store.sqlite"),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{servers.http_port}",
        "--retries",
        "0",
        "--timeout",
        "5",
        "--concurrency",
        "6",
        *extra,
    ]


def _domains(folder: Path) -> list[str]:
    names = [f"site{i}.com" for i in range(SITES)]
    (folder / "domains.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    return names


def _query(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _wait_for_lines(path: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if _lines(path) >= count:
            return
        time.sleep(0.01)
    pytest.fail(f"the crawl never wrote {count} lines")


def _hosts(servers: LocalServers, start: int) -> Counter[str]:
    return Counter(seen.host for seen in servers.seen[start:])


@pytest.mark.parametrize(("processes", "kill_after"), [("1", 5), ("1", 70), ("2", 40), ("2", 120)])
def test_a_killed_crawl_leaves_a_sound_store_and_resumes_exactly(
    slow_sites: LocalServers, tmp_path: Path, processes: str, kill_after: int
) -> None:
    names = _domains(tmp_path)
    command = _command(slow_sites, tmp_path, "--processes", processes)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for_lines(tmp_path / "out.jsonl", kill_after, process)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=10)
    time.sleep(0.3)  # worker processes die with the crawl
    store = tmp_path / "store.sqlite"
    assert _query(store, "PRAGMA integrity_check") == [("ok",)]
    done_before = {
        str(domain)
        for (domain,) in _query(
            store, "SELECT domain FROM crawl_domains WHERE done_fetch_id IS NOT NULL"
        )
    }
    assert len(done_before) < SITES
    start = len(slow_sites.seen)
    resumed = subprocess.run(
        [*command, "--resume"], capture_output=True, text=True, timeout=120, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    asked = _hosts(slow_sites, start)
    assert not set(asked) & done_before  # no completed domain fetched twice
    assert set(asked) == set(names) - done_before  # and none lost
    assert all(count == 1 for count in asked.values())
    # The store, the JSONL and the summary agree: every domain once.
    assert _query(store, "PRAGMA integrity_check") == [("ok",)]
    per_domain = Counter(
        str(domain)
        for (domain,) in _query(
            store,
            "SELECT f.domain FROM crawl_domains c JOIN fetches f ON f.id = c.done_fetch_id",
        )
    )
    assert sorted(per_domain) == sorted(names) and set(per_domain.values()) == {1}
    entries = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted(e["domain"] for e in entries) == sorted(names)
    assert (f"{len(done_before)} already done" in resumed.stdout) == bool(done_before)
    assert _query(store, "SELECT state FROM crawls") == [("finished",)]


def test_ctrl_c_stops_with_a_summary_and_says_how_to_resume(
    slow_sites: LocalServers, tmp_path: Path
) -> None:
    _domains(tmp_path)
    process = subprocess.Popen(
        _command(slow_sites, tmp_path, "--processes", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for_lines(tmp_path / "out.jsonl", 30, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "run again with --resume to continue" in err and "Traceback" not in err
    total = int(next(line.split()[1] for line in out.splitlines() if line.startswith("total")))
    store = tmp_path / "store.sqlite"
    done = _query(store, "SELECT COUNT(*) FROM crawl_domains WHERE done_fetch_id IS NOT NULL")
    assert done == [(total,)] and total == _lines(tmp_path / "out.jsonl") < SITES
    assert _query(store, "SELECT state FROM crawls") == [("interrupted",)]


def _limit_file_size(limit: int) -> None:
    """In the crawl's process: files stop growing at ``limit`` bytes (writes fail with
    EFBIG) instead of the process being killed for it: a full disk, for real."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.skipif(
    not hasattr(resource, "RLIMIT_FSIZE") or not hasattr(signal, "SIGXFSZ"),
    reason="needs a file size limit",
)
def test_a_full_disk_stops_the_crawl_with_the_store_intact(
    slow_sites: LocalServers, tmp_path: Path
) -> None:
    names = _domains(tmp_path)
    command = _command(slow_sites, tmp_path, "--processes", "1")
    command.remove("-o")
    command.remove(str(tmp_path / "out.jsonl"))
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=lambda: _limit_file_size(260_000),
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"cannot write the store {tmp_path / 'store.sqlite'}: " in done.stderr
    assert "full" in done.stderr and "--resume" in done.stderr
    store = tmp_path / "store.sqlite"
    assert _query(store, "PRAGMA integrity_check") == [("ok",)]
    stored = _query(store, "SELECT COUNT(*) FROM crawl_domains WHERE done_fetch_id IS NOT NULL")
    assert 0 < int(stored[0][0]) < SITES  # type: ignore[call-overload]
    resumed = subprocess.run(
        [*command, "--resume"], capture_output=True, text=True, timeout=120, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    assert _query(store, "SELECT COUNT(DISTINCT domain) FROM crawl_domains") == [(len(names),)]
    assert _query(store, "SELECT COUNT(*) FROM crawl_domains WHERE done_fetch_id IS NULL") == [(0,)]


@pytest.mark.parametrize("where", ["missing-folder/store.sqlite", "a-folder", "a-file/store"])
def test_an_unusable_store_path_is_a_clear_error(
    slow_sites: LocalServers, tmp_path: Path, where: str
) -> None:
    _domains(tmp_path)
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    command = _command(slow_sites, tmp_path)
    command[command.index("--store") + 1] = str(tmp_path / where)
    start = len(slow_sites.seen)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    # The crawl's messages say adstxt-crawl whichever way it was started.
    assert done.stderr.startswith("adstxt-crawl: cannot open the store "), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert len(slow_sites.seen) == start  # nothing fetched
    assert not (tmp_path / "out.jsonl").exists()


def test_a_store_of_a_newer_schema_is_refused(slow_sites: LocalServers, tmp_path: Path) -> None:
    _domains(tmp_path)
    store = tmp_path / "store.sqlite"
    db = sqlite3.connect(store)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    newer = SCHEMA_VERSION + 1
    db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(newer),))
    db.commit()
    db.close()
    before = store.read_bytes()
    done = subprocess.run(
        _command(slow_sites, tmp_path), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert f"schema is version {newer}, newer than version {SCHEMA_VERSION}" in done.stderr
    assert "upgrade adstxt" in done.stderr
    assert store.read_bytes() == before
    history = subprocess.run(
        [sys.executable, "-m", "adstxt", "history", "site1.com", "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert history.returncode == 2 and f"newer than version {SCHEMA_VERSION}" in history.stderr


def test_readers_query_while_a_crawl_writes(slow_sites: LocalServers, tmp_path: Path) -> None:
    _domains(tmp_path)
    store = tmp_path / "store.sqlite"
    process = subprocess.Popen(
        _command(slow_sites, tmp_path, "--processes", "2", "--concurrency", "2"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    counts = []
    histories = 0
    try:
        _wait_for_lines(tmp_path / "out.jsonl", 10, process)
        while process.poll() is None:
            counts.append(_query(store, "SELECT COUNT(*) FROM fetches")[0][0])
            held = _query(store, "SELECT COUNT(*) FROM fetches WHERE domain = 'site1.com'")
            # Until its batch is committed, the store rightly holds nothing of site1.com.
            if histories < 2 and len(counts) % 5 == 1 and held[0][0]:
                seen = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "adstxt",
                        "history",
                        "site1.com",
                        "--store",
                        str(store),
                        "--output-format",
                        "json",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=False,
                )
                assert seen.returncode == 0, seen.stderr
                assert json.loads(seen.stdout)["domain"] == "site1.com"
                histories += 1
            time.sleep(0.02)
    finally:
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert histories >= 1 and len(counts) >= 3
    assert counts == sorted(counts) and counts[-1] > counts[0]  # it grew while read
