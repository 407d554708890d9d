"""Worker processes sharing crawls through a real PostgreSQL server: kills, lost connections,
two crawls at once and per-host politeness across workers."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence

import pytest

from adstxt.store._postgres import connect
from adstxt.store._queue import WorkQueue
from tests.conftest import ROOT
from tests.queue_worker import RESULTS_DDL, host_of


@pytest.fixture
def queue(postgres_url: str) -> Iterator[WorkQueue]:
    connection = connect(postgres_url)
    work_queue = WorkQueue(connection)
    work_queue.install()
    connection.execute(RESULTS_DDL)
    yield work_queue
    connection.close()


def _start(url: str, crawl: str, name: str, *options: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.queue_worker", url, crawl, "--name", name, *options],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(workers: Sequence[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    finished = []
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        finished.append((worker.returncode, out, err))
    return finished


def _wait_for_lines(worker: subprocess.Popen[str], prefix: str, count: int) -> None:
    """Read the worker's output until ``count`` lines starting with ``prefix`` were seen."""
    assert worker.stdout is not None
    seen = 0
    while seen < count:
        line = worker.stdout.readline()
        assert line, f"the worker ended early with status {worker.wait()}"
        seen += line.startswith(prefix)


def _results(queue: WorkQueue, crawl: str) -> list[tuple[str, str, int]]:
    rows = queue.connection.execute(
        "SELECT domain, worker, attempt FROM results WHERE crawl = %s", (crawl,)
    ).fetchall()
    return [(str(row[0]), str(row[1]), int(row[2])) for row in rows]


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(
    queue: WorkQueue, postgres_url: str
) -> None:
    domains = [f"site{i}.test" for i in range(3000)]
    queue.enqueue("big", domains)
    options = ("--batch", "40", "--lease", "2", "--sleep", "0.001")
    victim = _start(postgres_url, "big", "victim", *options)
    others = [_start(postgres_url, "big", f"w{i}", *options) for i in (1, 2)]
    _wait_for_lines(victim, "claimed", 3)  # in its third batch, before completing it
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    held = queue.connection.execute(
        "SELECT domain FROM queue_domains WHERE state = 'claimed' AND lease_owner = "
        "(SELECT id FROM queue_workers WHERE name = 'victim')"
    ).fetchall()
    assert held, "the victim was killed while holding a batch"

    for returncode, out, err in _finish(others):
        assert returncode == 0, err
        assert out.rstrip().splitlines()[-1].startswith("summary")

    results = _results(queue, "big")
    assert len(results) == 3000
    assert sorted(domain for domain, _, _ in results) == sorted(domains)
    retaken = {domain: (worker, attempt) for domain, worker, attempt in results}
    for (domain,) in held:
        assert retaken[domain][0] != "victim" and retaken[domain][1] == 2
    status = queue.status("big")
    assert (status.done, status.claimed, status.waiting, status.failed) == (3000, 0, 0, 0)
    by_worker = {worker.name: worker.domains_done for worker in status.workers}
    assert sum(by_worker.values()) == 3000
    assert by_worker["victim"] == sum(worker == "victim" for _, worker, _ in results) == 80


@pytest.mark.parametrize("reconnects", [3, 0])
def test_a_worker_whose_connection_is_cut(
    queue: WorkQueue, postgres_url: str, reconnects: int
) -> None:
    domains = [f"site{i}.test" for i in range(200)]
    queue.enqueue("cut", domains)
    worker = _start(
        postgres_url, "cut", "cut-worker",
        "--batch", "20", "--lease", "1.5", "--sleep", "0.01", "--reconnects", str(reconnects),
    )  # fmt: skip
    _wait_for_lines(worker, "claimed", 2)
    terminated = queue.connection.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'cut-worker'"
    ).fetchall()
    assert terminated and all(ok for (ok,) in terminated)
    returncode, out, err = _finish([worker])[0]
    if reconnects:
        assert returncode == 0, err
        assert "reconnects=1" in out
    else:
        assert returncode == 1
        assert err.startswith("error: lost the connection to the store and could not reconnect")
        assert len(err.strip().splitlines()) == 1
        assert queue.status("cut").claimed == 20  # held until the lease expires
        time.sleep(1.6)
        rescuer = _start(postgres_url, "cut", "rescuer", "--batch", "50")
        assert _finish([rescuer])[0][0] == 0
    assert sorted(domain for domain, _, _ in _results(queue, "cut")) == sorted(domains)
    assert queue.status("cut").done == 200


def test_two_named_crawls_in_one_database(queue: WorkQueue, postgres_url: str) -> None:
    shared = [f"shared{i}.test" for i in range(300)]
    queue.enqueue("first", shared + [f"first{i}.test" for i in range(300)])
    queue.enqueue("second", shared + [f"second{i}.test" for i in range(200)])
    options = ("--batch", "25")
    workers = [
        _start(postgres_url, "first", "f1", *options),
        _start(postgres_url, "second", "s1", *options),
        _start(postgres_url, "first", "f2", *options),
        _start(postgres_url, "second", "s2", *options),
    ]
    assert [returncode for returncode, _, _ in _finish(workers)] == [0, 0, 0, 0]
    first, second = _results(queue, "first"), _results(queue, "second")
    assert len(first) == len({domain for domain, _, _ in first}) == 600
    assert len(second) == len({domain for domain, _, _ in second}) == 500
    assert {worker for _, worker, _ in first} <= {"f1", "f2"}
    assert {worker for _, worker, _ in second} <= {"s1", "s2"}


def test_host_politeness_holds_across_workers(queue: WorkQueue, postgres_url: str) -> None:
    delay = 0.1
    domains = [f"site{i}.host{i % 3}.test" for i in range(60)]
    queue.enqueue("polite", domains)
    options = ("--batch", "5", "--host-delay", str(delay))
    workers = [_start(postgres_url, "polite", f"p{i}", *options) for i in range(3)]
    assert [returncode for returncode, _, _ in _finish(workers)] == [0, 0, 0]
    rows = queue.connection.execute(
        "SELECT domain, worker, hit_at FROM results WHERE crawl = 'polite' ORDER BY hit_at"
    ).fetchall()
    assert len(rows) == 60
    for host in ("host0.test", "host1.test", "host2.test"):
        hits = [row for row in rows if host_of(row[0]) == host]
        assert len(hits) == 20 and len({row[1] for row in hits}) > 1
        gaps = [(b[2] - a[2]).total_seconds() for a, b in itertools.pairwise(hits)]
        assert min(gaps) >= delay
