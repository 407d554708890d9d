"""A worker process for the queue tests: joins a crawl and "crawls" by recording each domain.

``python -m tests.queue_worker URL CRAWL [options]``. Each processed domain becomes a row of
``results`` (crawl, domain, worker, attempt, hit_at), written in the transaction that
completes its batch. It prints ``claimed N`` before working on each batch (so a test can kill
it mid-batch) and ``summary ...`` at the end; a lost connection it cannot recover from is one
``error:`` line and exit status 1.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Sequence
from typing import Any

import psycopg

from adstxt.store._queue import Claim, Outcome, WorkQueue
from adstxt.store._queue_worker import QueueConnectionLostError, WorkSettings, work

RESULTS_DDL = """
CREATE TABLE IF NOT EXISTS results (
    crawl TEXT NOT NULL, domain TEXT NOT NULL, worker TEXT NOT NULL,
    attempt INTEGER NOT NULL, hit_at TIMESTAMPTZ NOT NULL
)
"""


def host_of(domain: str) -> str:
    """The host a test domain is served from: everything after its first label."""
    return domain.split(".", 1)[1] if "." in domain else domain


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("crawl")
    parser.add_argument("--name", required=True)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--lease", type=float, default=5.0)
    parser.add_argument("--sleep", type=float, default=0.0, help="seconds of work per domain")
    parser.add_argument("--host-delay", type=float, default=0.0)
    parser.add_argument("--reconnects", type=int, default=3)
    args = parser.parse_args(argv)

    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(args.url, autocommit=True, application_name=args.name)

    hosts = WorkQueue(connect()) if args.host_delay else None
    hits: dict[tuple[str, int], datetime.datetime] = {}

    def process(claims: Sequence[Claim]) -> list[Outcome]:
        print(f"claimed {len(claims)}", flush=True)
        for claim in claims:
            if hosts is not None:
                hits[claim.domain, claim.attempt] = hosts.wait_for_host(
                    host_of(claim.domain), args.host_delay
                )
            else:
                hits[claim.domain, claim.attempt] = datetime.datetime.now(datetime.UTC)
            time.sleep(args.sleep)
        return [Outcome.of(claim) for claim in claims]

    def record(connection: psycopg.Connection[Any], outcomes: Sequence[Outcome]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO results VALUES (%s, %s, %s, %s, %s)",
                [
                    (args.crawl, o.domain, args.name, o.attempt, hits[o.domain, o.attempt])
                    for o in outcomes
                ],
            )

    settings = WorkSettings(
        batch=args.batch, lease=args.lease, poll=0.2, reconnects=args.reconnects,
        reconnect_wait=0.2,
    )  # fmt: skip
    try:
        summary = work(
            connect, args.crawl, process, settings=settings, record=record, worker_name=args.name
        )
    except QueueConnectionLostError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    print(
        f"summary batches={summary.batches} completed={summary.completed} "
        f"refused={summary.refused} reconnects={summary.reconnects}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
