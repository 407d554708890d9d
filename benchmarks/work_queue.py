"""The shared crawl queue: database time per claimed domain and claims per second.

    python benchmarks/work_queue.py [--domains 20000] [--workers 1 2 4] [--batch 100]

Starts its own PostgreSQL server (``initdb`` + ``pg_ctl`` in a temporary directory, as the
tests do; as ``nobody`` when run as root; with fsync on, unlike the tests, unless
``--no-fsync``), enqueues ``--domains`` domains into a fresh
database per run, and lets 1, 2 and 4 worker processes drain it with ``adstxt.store``'s
worker loop. The work on each domain is nothing, and each batch's results are written as one
row per domain in the completing transaction, so every second a worker spends is the queue's:
claim, complete, record and heartbeat. It prints, per worker count, the wall time from the
first worker's start to the last one's exit, claims per second over that time, and the
database time per domain as the workers saw it (busy seconds over domains completed), and
the size of the queue's domain table and indexes per domain once the crawl is done.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The benchmark runs from a checkout: the package's sources and the tests' server helper.
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

RESULTS_DDL = "CREATE TABLE IF NOT EXISTS results (domain TEXT NOT NULL, worker TEXT NOT NULL)"


def _worker(url: str, name: str, batch: int) -> None:
    """One worker process: drain the crawl, print what it measured as one JSON line."""
    import psycopg

    from adstxt.store._queue import Claim, Outcome
    from adstxt.store._queue_worker import WorkSettings, work

    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(url, autocommit=True, application_name=name)

    def process(claims: Sequence[Claim]) -> list[Outcome]:
        return [Outcome.of(claim) for claim in claims]

    def record(connection: psycopg.Connection[Any], outcomes: Sequence[Outcome]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO results VALUES (%s, %s)", [(o.domain, name) for o in outcomes]
            )

    started = time.perf_counter()
    summary = work(
        connect, "bench", process, settings=WorkSettings(batch=batch, poll=0.05), record=record
    )
    busy = time.perf_counter() - started
    print(json.dumps({"completed": summary.completed, "busy": busy}), flush=True)


def _run(server: Any, domains: int, workers: int, batch: int) -> dict[str, float]:
    import psycopg

    from adstxt.store._queue import WorkQueue

    url = server.create_database()
    with psycopg.connect(url, autocommit=True) as connection:
        queue = WorkQueue(connection)
        queue.install()
        connection.execute(RESULTS_DDL)
        queue.enqueue("bench", [f"site{i}.example" for i in range(domains)])
    environment = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", url, f"w{n}", str(batch)],
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for n in range(workers)
    ]
    reports = [json.loads(process.communicate()[0].splitlines()[-1]) for process in processes]
    wall = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute("SELECT count(*), count(DISTINCT domain) FROM results").fetchone()
        size = connection.execute("SELECT pg_total_relation_size('queue_domains')").fetchone()
    server.drop_database(url)
    assert row == (domains, domains), f"results {row} for {domains} domains"
    completed = sum(report["completed"] for report in reports)
    busy = sum(report["busy"] for report in reports)
    return {
        "wall": wall,
        "rate": completed / wall,
        "per_domain_ms": 1000 * busy / completed,
        "bytes_per_domain": int(size[0]) / domains if size else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument(
        "--no-fsync", action="store_true", help="run the server without fsync, as the tests do"
    )
    parser.add_argument(
        "--worker", nargs=3, metavar=("URL", "NAME", "BATCH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker[0], args.worker[1], int(args.worker[2]))
        return 0

    from tests.postgres import PostgresServer, PostgresUnavailableError

    try:
        server = PostgresServer(durable=not args.no_fsync)
    except PostgresUnavailableError as exc:
        print(f"cannot run: {exc}", file=sys.stderr)
        return 1
    with server:
        durability = "fsync off" if args.no_fsync else "fsync on"
        print(
            f"{args.domains} domains, batch {args.batch}, "
            f"PostgreSQL {server.binaries.parent.name} ({durability})"
        )
        print(
            f"{'workers':>7}  {'wall s':>7}  {'claims/s':>9}  {'db ms/domain':>12}  "
            f"{'queue bytes/domain':>18}"
        )
        for workers in args.workers:
            result = _run(server, args.domains, workers, args.batch)
            print(
                f"{workers:>7}  {result['wall']:>7.2f}  {result['rate']:>9.0f}  "
                f"{result['per_domain_ms']:>12.3f}  {result['bytes_per_domain']:>18.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
