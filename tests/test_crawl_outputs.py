"""``adstxt-crawl``'s outputs tell one story: the records CSV, the JSON lines and the summary
agree, and stay whole when the disk fills up, a file size limit is hit or the crawl is
interrupted. Real subprocesses (in this process where one worker and no limit of the
process is involved) against real local servers; real full files."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("h11")

from tests.cli import crawl
from tests.httpserver import GOOD, LocalServers, closed_port, text

CRAWL = [sys.executable, "-m", "adstxt.crawl"]
SITES = 120


def _record(i: int, n: int) -> bytes:
    return f"examplessp{n}.com, {i}-{n}, RESELLER\n".encode()


@pytest.fixture(scope="module")
def sites() -> Iterator[LocalServers]:
    with LocalServers() as servers:
        # One file of each kind whose records could be miscounted:
        # a file with SUBDOMAIN referrals, both subdomain files usable...
        servers.routes["*://withsubs.com/ads.txt"] = text(
            GOOD + b"SUBDOMAIN=shop.withsubs.com\nSUBDOMAIN=news.withsubs.com\n"
            b"SUBDOMAIN=gone.withsubs.com\n"
        )
        servers.routes["*://shop.withsubs.com/ads.txt"] = text(_record(1, 1) + _record(1, 2))
        servers.routes["*://news.withsubs.com/ads.txt"] = text(_record(2, 1))
        # ...a soft 404 whose body still parses to two records, which the spec ignores...
        servers.routes["*://soft404.com/ads.txt"] = text(GOOD * 2 + b"</div>\n")
        # ...a file served as HTML, ignored too, and a plain good file.
        servers.routes["*://html.com/ads.txt"] = text(GOOD, "text/html")
        servers.routes["*://plain.com/ads.txt"] = text(GOOD)
        for i in range(SITES):
            servers.routes[f"*://site{i}.com/ads.txt"] = text(
                GOOD + b"".join(_record(i, n) for n in range(3))
            )
        yield servers


def _command(servers: LocalServers, folder: Path, *extra: str) -> list[str]:
    return [
        *CRAWL,
        str(folder / "domains.txt"),
        "-o",
        str(folder / "out.jsonl"),
        "--records-csv",
        str(folder / "records.csv"),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{servers.http_port}",
        "--retries",
        "0",
        "--timeout",
        "5",
        *extra,
    ]


def _write_domains(folder: Path, domains: list[str]) -> None:
    (folder / "domains.txt").write_text("\n".join(domains) + "\n", encoding="utf-8")


def _entries(path: Path) -> list[dict[str, object]]:
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), "a torn last line"
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def _rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.endswith(b"\n"), "a torn last row"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert all(None not in row and all(v is not None for v in row.values()) for row in rows)
    return rows


def _summary_counts(stdout: str) -> tuple[int, int]:
    """The summary's domain total and record count."""
    total = re.search(r"^total\s+(\d+)$", stdout, re.MULTILINE)
    records = re.search(r"([\d,]+) records?\b", stdout)
    assert total and records, stdout
    return int(total[1]), int(records[1].replace(",", ""))


def _agree(folder: Path, stdout: str) -> list[dict[str, object]]:
    """Check that the three outputs tell the same counts; return the JSON lines."""
    entries = _entries(folder / "out.jsonl")
    rows = _rows(folder / "records.csv")
    total, records = _summary_counts(stdout)
    assert total == len(entries)
    assert records == sum(int(e["records"]) for e in entries) == len(rows)  # type: ignore[call-overload]
    for entry in entries:
        mine = [r for r in rows if r["source_domain"] == entry["domain"]]
        assert len(mine) == entry["records"], entry
        files = entry["files"]
        assert isinstance(files, dict) and sum(files.values()) == entry["records"]
        assert {r["file_url"] for r in mine} == {url for url, n in files.items() if n}
    return entries


# ---- the three outputs agree ---------------------------------------------------------------


@pytest.mark.parametrize("processes", ["1", "2"])
def test_records_csv_jsonl_and_summary_agree(
    sites: LocalServers,
    tmp_path: Path,
    processes: str,
) -> None:
    _write_domains(
        tmp_path,
        ["withsubs.com", "soft404.com", "html.com", "plain.com", "missing.com", "site1.com"],
    )
    command = _command(sites, tmp_path, "--processes", processes, "--include-records")
    if processes == "1":
        done = crawl(*command[len(CRAWL) :])
    else:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    by_domain = {e["domain"]: e for e in _agree(tmp_path, done.stdout)}
    subs = by_domain["withsubs.com"]
    assert subs["outcome"] == "ok" and subs["records"] == 4
    assert subs["files"] == {
        "http://withsubs.com/ads.txt": 1,
        "http://shop.withsubs.com/ads.txt": 2,
        "http://news.withsubs.com/ads.txt": 1,
    }
    assert subs["record_list"] == [
        ["google.com", "pub-1234567890123456", "DIRECT", "f08c47fec0942fa0"],
        ["examplessp1.com", "1-1", "RESELLER", None],
        ["examplessp2.com", "1-2", "RESELLER", None],
        ["examplessp1.com", "2-1", "RESELLER", None],
    ]
    # Files the spec has ignored still report their records, as the store keeps them, with
    # the outcome and verdict that let a reader leave them out.
    for ignored, outcome, count, verdict in (
        ("soft404.com", "not-ads-txt", 2, "not-ads-txt"),
        ("html.com", "wrong-content-type", 1, "valid"),
        ("missing.com", "not-found", 0, None),
    ):
        entry = by_domain[ignored]
        assert entry["outcome"] == outcome
        assert entry["records"] == entry["ignored_records"] == len(entry["record_list"]) == count
        url = f"http://{ignored}/ads.txt"
        assert entry["verdicts"] == ({url: verdict} if verdict else {})
        rows = [r for r in _rows(tmp_path / "records.csv") if r["source_domain"] == ignored]
        assert {(r["outcome"], r["verdict"]) for r in rows} == (
            {(outcome, verdict)} if verdict else set()
        )
    assert subs["ignored_records"] == 0
    assert set(subs["verdicts"].values()) == {"valid"}
    assert by_domain["plain.com"]["records"] == 1 and by_domain["site1.com"]["records"] == 4
    _, records = _summary_counts(done.stdout)
    assert records == 12


# ---- a write that fails keeps every file whole ---------------------------------------------


def _limit_file_size(limit: int) -> None:
    """In the crawl's process: files stop growing at ``limit`` bytes (write() then stops
    short, then fails with EFBIG) instead of the process being killed for it."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _domains(count: int = SITES) -> list[str]:
    return [f"site{i}.com" for i in range(count)]


def _resume_completes(sites: LocalServers, folder: Path, domains: list[str]) -> None:
    resumed = crawl(*_command(sites, folder, "--resume")[len(CRAWL) :])
    assert resumed.returncode == 0, resumed.stderr
    entries = _entries(folder / "out.jsonl")
    assert sorted(str(e["domain"]) for e in entries) == sorted(domains)  # none lost or repeated
    rows = _rows(folder / "records.csv")
    assert len(rows) == len({(r["source_domain"], r["line"]) for r in rows})
    assert len(rows) == sum(int(e["records"]) for e in entries)  # type: ignore[call-overload]


@pytest.mark.skipif(
    not hasattr(resource, "RLIMIT_FSIZE") or not hasattr(signal, "SIGXFSZ"),
    reason="needs a file size limit",
)
@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_file_size_limit_stops_the_crawl_with_whole_files(
    sites: LocalServers,
    tmp_path: Path,
    processes: str,
) -> None:
    _write_domains(tmp_path, _domains())
    done = subprocess.run(
        _command(sites, tmp_path, "--processes", processes, "--concurrency", "8"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: _limit_file_size(12_000),
    )
    assert done.returncode == 2, done.stderr
    assert re.search(
        r"^adstxt-crawl: cannot write \S+: file too large; every result written "
        r"so far is whole: make room, then run again with --resume to continue$",
        done.stderr,
        re.MULTILINE,
    ), done.stderr
    assert "Traceback" not in done.stderr
    entries = _agree(tmp_path, done.stdout)
    assert 0 < len(entries) < SITES
    _resume_completes(sites, tmp_path, _domains())


@contextlib.contextmanager
def _tiny_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``folder`` (root only; skips the test elsewhere)."""
    if shutil.which("mount") is None or not sys.platform.startswith("linux"):
        pytest.skip("needs mount(8)")
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def test_a_full_disk_stops_the_crawl_with_whole_files(
    sites: LocalServers,
    tmp_path: Path,
) -> None:
    with _tiny_disk(tmp_path / "disk", "16k") as disk:
        _write_domains(tmp_path, _domains())  # the list stays off the small disk
        command = _command(sites, disk, "--include-records", "--concurrency", "8")
        command[len(CRAWL)] = str(tmp_path / "domains.txt")
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 2, done.stderr
        assert re.search(
            r"^adstxt-crawl: cannot write \S+: no space left on device; every "
            r"result written so far is whole: make room, then run again with "
            r"--resume to continue$",
            done.stderr,
            re.MULTILINE,
        ), done.stderr
        entries = _agree(disk, done.stdout)
        assert 0 < len(entries) < SITES
        subprocess.run(["mount", "-o", "remount,size=4m", str(disk)], check=True)
        resumed = subprocess.run(
            [*command, "--resume"], capture_output=True, text=True, timeout=60, check=False
        )
        assert resumed.returncode == 0, resumed.stderr
        entries = _entries(disk / "out.jsonl")
        assert sorted(str(e["domain"]) for e in entries) == sorted(_domains())
        assert len(_rows(disk / "records.csv")) == sum(int(e["records"]) for e in entries)  # type: ignore[call-overload]


def test_a_full_standard_output_is_reported(sites: LocalServers, tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    _write_domains(tmp_path, _domains(5))
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            _command(sites, tmp_path),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == "adstxt-crawl: cannot write the summary: no space left on device\n"
    assert len(_entries(tmp_path / "out.jsonl")) == 5


# ---- Ctrl-C --------------------------------------------------------------------------------


@pytest.mark.parametrize(("processes", "group"), [("1", False), ("2", False), ("2", True)])
def test_ctrl_c_prints_a_summary_that_matches_the_files(
    sites: LocalServers,
    tmp_path: Path,
    processes: str,
    group: bool,
) -> None:
    _write_domains(tmp_path, _domains())
    for i in range(SITES):
        sites.routes[f"*://site{i}.com/ads.txt"].delay = 0.05  # type: ignore[union-attr]
    try:
        # A terminal's Ctrl-C reaches every process of the group; kill(1) only the crawl.
        process = subprocess.Popen(
            _command(sites, tmp_path, "--processes", processes, "--concurrency", "4"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        out = tmp_path / "out.jsonl"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= 20:
                break
            time.sleep(0.02)
        if group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.kill(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        for i in range(SITES):
            sites.routes[f"*://site{i}.com/ads.txt"].delay = 0.0  # type: ignore[union-attr]
    assert process.returncode == 130, stderr
    assert stderr.endswith(
        "adstxt-crawl: interrupted; every result written so far is whole: "
        "run again with --resume to continue\n"
    ), stderr
    assert "Traceback" not in stderr
    entries = _agree(tmp_path, stdout)
    assert 20 <= len(entries) < SITES
    _resume_completes(sites, tmp_path, _domains())
