"""``adstxt-crawl`` end to end, crawling hundreds of local sites.

One worker runs in this process (``adstxt.crawl.main``); worker processes, a killed crawl and
the exit status of a real process run ``python -m adstxt.crawl`` as a subprocess.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adstxt.crawl import _by_site, _claims, _default_processes
from adstxt.fetch._turns import Turns
from tests.cli import crawl
from tests.httpserver import GOOD, LocalServers, Reply, Seen, closed_port, redirect, text

SITES = 300
CRAWL = [sys.executable, "-m", "adstxt.crawl"]


def _expected_outcome(i: int) -> str:
    return {0: "not-found", 1: "not-ads-txt", 2: "ok", 3: "server-error"}.get(i % 10, "ok")


@pytest.fixture(scope="module")
def sites() -> Iterator[LocalServers]:
    with LocalServers() as servers:
        for i in range(SITES):
            kind = i % 10
            url = f"*://site{i}.com/ads.txt"
            if kind == 0:
                continue  # 404
            if kind == 1:
                servers.routes[url] = text(b"<html><body>Welcome</body></html>", "text/html")
            elif kind == 2:
                servers.routes[url] = redirect(f"http://www.site{i}.com/ads.txt")
                servers.routes[f"*://www.site{i}.com/ads.txt"] = text(GOOD)
            elif kind == 3:
                servers.routes[url] = Reply(503, b"", {})
            else:
                body = GOOD + f"examplessp.com, {i}, RESELLER\n".encode()
                servers.routes[url] = text(body)
        yield servers


def _command(servers: LocalServers, tmp: Path, *extra: str) -> list[str]:
    return [
        *CRAWL,
        str(tmp / "domains.txt"),
        "-o",
        str(tmp / "out.jsonl"),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{servers.http_port}",
        "--retries",
        "1",
        "--backoff",
        "0.01",
        "--timeout",
        "2",
        *extra,
    ]


def _run(command: list[str], *, process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``command`` (from :func:`_command`) as a real subprocess or in this process."""
    if process:
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    return crawl(*command[len(CRAWL) :])


def _write_domains(tmp: Path) -> None:
    lines = ["# sites to check", ""]
    lines += [f"site{i}.com" for i in range(SITES)]
    lines += ["SITE5.com", "site6.com  # repeated"]
    (tmp / "domains.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _entries(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("processes", ["1", "2"])
def test_crawl_writes_one_line_per_domain(
    sites: LocalServers, tmp_path: Path, processes: str
) -> None:
    _write_domains(tmp_path)
    # One worker in this process; two need real processes.
    in_process = processes == "1"
    done = _run(
        _command(
            sites,
            tmp_path,
            "--records-csv",
            str(tmp_path / "records.csv"),
            "--concurrency",
            "40",
            "--include-records",
            "--processes",
            processes,
        ),
        process=not in_process,
    )
    assert done.returncode == 0, done.stderr
    entries = _entries(tmp_path / "out.jsonl")
    assert sorted(e["domain"] for e in entries) == sorted(f"site{i}.com" for i in range(SITES))
    by_domain = {e["domain"]: e for e in entries}
    for i in range(SITES):
        entry = by_domain[f"site{i}.com"]
        assert entry["outcome"] == _expected_outcome(i), entry
    redirected = by_domain["site2.com"]
    assert redirected["final_url"] == "http://www.site2.com/ads.txt"
    assert redirected["status"] == 200 and redirected["records"] == 1
    plain = by_domain["site4.com"]
    assert plain["records"] == 2 and plain["diagnostics"]["ADS527"] == 1
    assert plain["record_list"][1] == ["examplessp.com", "4", "RESELLER", None]
    assert by_domain["site3.com"]["tries"] == 2  # 5xx is retried once
    with (tmp_path / "records.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == sum(int(e["records"]) for e in entries if e["outcome"] == "ok")
    assert {r["source_domain"] for r in rows if r["account_id"] == "4"} == {"site4.com"}
    assert "ok" in done.stdout and f"{SITES}" in done.stdout
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    results = (tmp_path / "out.jsonl").read_bytes()
    again = _run(_command(sites, tmp_path), process=not in_process)
    assert again.returncode == 2 and "--resume" in again.stderr and "--overwrite" in again.stderr
    assert (tmp_path / "out.jsonl").read_bytes() == results  # nothing lost


def test_the_host_delay_holds_across_worker_processes(tmp_path: Path) -> None:
    # Six domains of one site among unrelated ones: whichever worker takes the first takes
    # them all, so its per-host gate spaces the site's requests however many workers run.
    arrivals: list[float] = []

    def shared_site(_: Seen) -> Reply:
        arrivals.append(time.monotonic())
        return text(GOOD)

    domains = []
    for i in range(60):
        domains.append(f"site{i}.com")
        if i % 10 == 0:
            domains.append(f"s{i}.shared.com")
    (tmp_path / "domains.txt").write_text("\n".join(domains) + "\n", encoding="utf-8")
    with LocalServers() as servers:
        # Six listed hosts, one file host: app-ads.txt falls back from s<i>.shared.com (404)
        # to shared.com. (For ads.txt they would be one file, crawled once.)
        servers.routes["*://shared.com/app-ads.txt"] = shared_site
        for i in range(60):  # slow: both workers are busy all along
            servers.routes[f"*://site{i}.com/app-ads.txt"] = Reply(delay=0.05)
        done = subprocess.run(
            _command(
                servers,
                tmp_path,
                "--processes",
                "2",
                "--concurrency",
                "4",
                "--host-delay",
                "0.2",
                "--kind",
                "app-ads.txt",
            ),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert "2 worker processes" in done.stdout
    assert len(arrivals) == 6
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert min(gaps) >= 0.15, gaps


def test_an_unwritable_output_path_costs_no_earlier_results(
    sites: LocalServers, tmp_path: Path
) -> None:
    _write_domains(tmp_path)
    (tmp_path / "out.jsonl").write_text('{"domain": "kept.com"}\n', encoding="utf-8")
    missing = tmp_path / "no-such-folder" / "records.csv"
    done = _run(_command(sites, tmp_path, "--resume", "--records-csv", str(missing)))
    assert done.returncode == 2
    assert done.stderr == (
        f"adstxt-crawl: cannot write {missing}: {missing.parent} is not a directory\n"
    )
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == '{"domain": "kept.com"}\n'
    assert not missing.parent.exists()
    (tmp_path / "out.jsonl").unlink()
    fresh = _run(_command(sites, tmp_path, "--records-csv", str(missing)))
    assert fresh.returncode == 2 and "is not a directory" in fresh.stderr
    assert not (tmp_path / "out.jsonl").exists()  # no empty results file left behind
    (tmp_path / "out.jsonl").write_text('{"domain": "kept.com"}\n', encoding="utf-8")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    replaced = _run(_command(sites, tmp_path, "--overwrite", "--records-csv", str(folder)))
    assert replaced.returncode == 2
    assert replaced.stderr == f"adstxt-crawl: cannot write {folder}: it is not a regular file\n"
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == '{"domain": "kept.com"}\n'


@pytest.mark.parametrize("processes", ["1", "2"])
def test_killed_crawl_resumes_without_loss_or_repeat(
    sites: LocalServers, tmp_path: Path, processes: str
) -> None:
    _write_domains(tmp_path)
    for i in range(SITES):  # slow every site down so that the crawl can be caught mid-run
        if i % 10 >= 4:
            sites.routes[f"*://site{i}.com/ads.txt"].delay = 0.05
    try:
        command = _command(
            sites,
            tmp_path,
            "--concurrency",
            "8",
            "--processes",
            processes,
            "--records-csv",
            str(tmp_path / "records.csv"),
        )
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out = tmp_path / "out.jsonl"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= 60:
                break
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=10)
        first = out.read_bytes().count(b"\n")
        time.sleep(0.3)  # worker processes die with the crawl: nothing is written any more
        assert out.read_bytes().count(b"\n") == first
        assert 60 <= first < SITES
        resumed = subprocess.run(
            [*command, "--resume"], capture_output=True, text=True, timeout=60, check=False
        )
    finally:
        for i in range(SITES):
            if i % 10 >= 4:
                sites.routes[f"*://site{i}.com/ads.txt"].delay = 0.0
    assert resumed.returncode == 0, resumed.stderr
    assert "already done" in resumed.stdout
    domains = [e["domain"] for e in _entries(out)]
    assert sorted(domains) == sorted(f"site{i}.com" for i in range(SITES))
    with (tmp_path / "records.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    per_domain = {(r["source_domain"], r["line"]) for r in rows}
    assert len(per_domain) == len(rows)  # no record written twice
    assert len(rows) == sum(int(e["records"]) for e in _entries(out) if e["outcome"] == "ok")


def test_retry_after_server_error(tmp_path: Path) -> None:
    calls: list[Seen] = []

    def flaky(seen: Seen) -> Reply:
        calls.append(seen)
        return Reply(503, b"", {}) if len(calls) == 1 else text(GOOD)

    with LocalServers() as servers:
        servers.routes["http://flaky.com/ads.txt"] = flaky
        (tmp_path / "domains.txt").write_text("flaky.com\n", encoding="utf-8")
        done = _run(_command(servers, tmp_path, "--progress", "always"))
    assert done.returncode == 0, done.stderr
    (entry,) = _entries(tmp_path / "out.jsonl")
    assert entry["outcome"] == "ok" and entry["tries"] == 2
    assert "1/1" in done.stderr and "/s ETA" in done.stderr


@pytest.mark.parametrize("bad", ["example.com:443", "a:b:c:d", "x:1:[::1:2"])
def test_bad_connect_to_is_a_usage_error(bad: str, tmp_path: Path) -> None:
    (tmp_path / "domains.txt").write_text("example.com\n", encoding="utf-8")
    done = crawl(
        str(tmp_path / "domains.txt"), "-o", str(tmp_path / "o.jsonl"), "--connect-to", bad
    )
    assert done.returncode == 2
    assert "--connect-to" in done.stderr
    assert not (tmp_path / "o.jsonl").exists()


def _usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def test_default_processes_follow_concurrency_up_to_the_cpus() -> None:
    assert _default_processes(50, 8) == 1  # the default concurrency needs one process
    assert _default_processes(101, 8) == 2
    assert _default_processes(200, 2) == 2
    assert _default_processes(200, 1) == 1
    assert _default_processes(5000, 4) == 4


def test_default_crawl_uses_worker_processes_for_high_concurrency(
    sites: LocalServers, tmp_path: Path
) -> None:
    if _usable_cpus() < 2:
        pytest.skip("needs two CPUs")
    _write_domains(tmp_path)
    done = subprocess.run(
        _command(sites, tmp_path, "--concurrency", "200"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 worker processes" in done.stdout
    assert len(_entries(tmp_path / "out.jsonl")) == SITES
    fewer = subprocess.run(
        _command(sites, tmp_path, "--concurrency", "40", "--overwrite"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert fewer.returncode == 0, fewer.stderr
    assert "worker processes" not in fewer.stdout
    assert len(_entries(tmp_path / "out.jsonl")) == SITES


def test_workers_take_every_domain_once_from_the_shared_list() -> None:
    domains = [f"site{i}.com" for i in range(40)]
    domains += [f"s{i}.shared.co.uk" for i in range(5)] + [f"www{i}.other.com" for i in range(5)]
    groups = _by_site(domains)
    assert [
        "s0.shared.co.uk",
        "s1.shared.co.uk",
        "s2.shared.co.uk",
        "s3.shared.co.uk",
        "s4.shared.co.uk",
    ] in groups  # one site's domains go to one worker
    assert len(groups) == 42
    claimed = multiprocessing.get_context("spawn").Value("q", 0)
    first, second = _claims(groups, claimed), _claims(groups, claimed)
    taken: tuple[list[str], list[str]] = ([], [])
    for i in range(60):  # unevenly: the first takes two for every one of the second
        which = 1 if i % 3 == 2 else 0
        domain = next((first, second)[which], None)
        if domain is not None:
            taken[which].append(domain)
    got = taken[0] + taken[1]
    assert sorted(got) == sorted(domains)
    assert len(got) == len(set(got))
    assert len(taken[0]) > len(taken[1]) > 0


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
    reason="needs /proc/PID/task/PID/children to find the worker processes",
)
def test_a_killed_worker_stops_the_crawl(sites: LocalServers, tmp_path: Path) -> None:
    _write_domains(tmp_path)
    for i in range(SITES):  # the whole crawl would take seconds
        if i % 10 >= 4:
            sites.routes[f"*://site{i}.com/ads.txt"].delay = 0.1
    try:
        process = subprocess.Popen(
            _command(sites, tmp_path, "--concurrency", "8", "--processes", "2"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(_children(process.pid)[0], signal.SIGKILL)
        started = time.monotonic()
        _, err = process.communicate(timeout=30)
        stopped = time.monotonic() - started
    finally:
        for i in range(SITES):
            if i % 10 >= 4:
                sites.routes[f"*://site{i}.com/ads.txt"].delay = 0.0
    assert process.returncode == 2
    assert "1 worker process(es) failed (killed by SIGKILL); run again with --resume" in err
    assert stopped < 2  # at once, not once the other worker has crawled everything left
    assert len(_entries(tmp_path / "out.jsonl")) < SITES


def _round_counter(loop: asyncio.AbstractEventLoop, rounds: list[int]) -> None:
    rounds[0] += 1
    loop.call_soon(_round_counter, loop, rounds)  # runs once in every loop round


def test_turns_let_one_task_through_per_loop_round_in_order() -> None:
    async def run() -> tuple[list[tuple[int, int]], list[int]]:
        turns = Turns()
        loop = asyncio.get_running_loop()
        rounds = [0]
        _round_counter(loop, rounds)
        passed: list[tuple[int, int]] = []

        async def task(i: int) -> None:
            await turns.take()
            passed.append((i, rounds[0]))

        tasks = [asyncio.ensure_future(task(i)) for i in range(6)]
        await asyncio.sleep(0)
        tasks[3].cancel()  # a task that gives up waiting leaves the queue
        await asyncio.gather(*tasks, return_exceptions=True)
        alone = rounds[0]
        await turns.take()  # nobody waiting any more: through at once
        return passed, [alone, rounds[0]]

    passed, (before, after) = asyncio.run(run())
    assert [i for i, _ in passed] == [0, 1, 2, 4, 5]
    seen = [r for _, r in passed]
    assert len(set(seen)) == len(seen)  # never two in one round
    assert seen == sorted(seen)
    assert after == before


def test_turns_start_afresh_under_another_event_loop() -> None:
    turns = Turns()
    first = asyncio.new_event_loop()

    async def take_and_stop() -> None:
        await turns.take()
        first.stop()  # the loop stops before the round that ends this turn

    try:
        task = first.create_task(take_and_stop())
        first.run_forever()
        assert task.done()
    finally:
        first.close()

    async def later() -> None:
        await asyncio.wait_for(turns.take(), 1)

    asyncio.run(later())  # would wait for a turn that the closed loop never ended


def test_turns_serve_two_event_loops_at_once() -> None:
    # One Turns (one Fetcher) used from two threads, each with its own event loop: each loop
    # takes its own turns and every task gets through.
    turns = Turns()
    start = threading.Barrier(2)

    async def crowd() -> int:
        passed = 0

        async def task() -> None:
            nonlocal passed
            for _ in range(20):
                await turns.take()
                passed += 1
                await asyncio.sleep(0.0005)  # lets the other thread run in between

        start.wait(5)
        await asyncio.wait_for(asyncio.gather(*(task() for _ in range(50))), 10)
        return passed

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(asyncio.run(crowd()))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results == [1000, 1000]
