"""The worker loop in this process, against a real PostgreSQL server: finishing, stopping
cleanly, reconnecting after the server cut the connection, and giving up with a clear error."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
import pytest

from adstxt.store._postgres import connect
from adstxt.store._queue import Claim, Outcome, UnknownCrawlError, WorkQueue
from adstxt.store._queue_worker import QueueConnectionLostError, WorkSettings, work


@pytest.fixture
def queue(postgres_url: str) -> Iterator[WorkQueue]:
    connection = connect(postgres_url)
    work_queue = WorkQueue(connection)
    work_queue.install()
    connection.execute("CREATE TABLE seen (domain TEXT NOT NULL)")
    yield work_queue
    connection.close()


def _connector(url: str, name: str) -> Any:
    def open_connection() -> psycopg.Connection[Any]:
        return connect(url, application_name=name)

    return open_connection


def _record(connection: psycopg.Connection[Any], outcomes: Sequence[Outcome]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO seen VALUES (%s)", [(o.domain,) for o in outcomes])


def _seen(queue: WorkQueue) -> list[str]:
    return sorted(str(row[0]) for row in queue.connection.execute("SELECT domain FROM seen"))


def _everything(claims: Sequence[Claim]) -> list[Outcome]:
    return [
        Outcome.of(claim, None if claim.domain != "bad.test" else "refused") for claim in claims
    ]


def test_work_until_the_crawl_is_done(queue: WorkQueue, postgres_url: str) -> None:
    domains = [f"d{i}.test" for i in range(95)] + ["bad.test"]
    queue.enqueue("c", domains)
    summary = work(
        _connector(postgres_url, "loop"),
        "c",
        _everything,
        settings=WorkSettings(batch=10),
        record=_record,
        worker_name="loop",
    )
    assert (summary.worker, summary.batches, summary.completed, summary.refused) == (
        "loop",
        10,
        96,
        0,
    )
    assert _seen(queue) == sorted(domains)
    status = queue.status("c")
    assert (status.done, status.failed) == (95, 1)
    assert status.workers[0].stopped is not None


def test_work_waits_for_a_lease_held_elsewhere(queue: WorkQueue, postgres_url: str) -> None:
    queue.enqueue("c", ["a.test", "b.test"])
    other = queue.join("c", worker_name="other")
    queue.claim(other, 1, 0.3)  # never completed: its lease must expire first
    summary = work(
        _connector(postgres_url, "loop"),
        "c",
        _everything,
        settings=WorkSettings(batch=5, poll=0.05),
        record=_record,
    )
    assert summary.completed == 2
    assert _seen(queue) == ["a.test", "b.test"]


def test_a_clean_stop_releases_the_claims(queue: WorkQueue, postgres_url: str) -> None:
    queue.enqueue("c", [f"d{i}.test" for i in range(30)])
    batches: list[int] = []

    def one_batch(claims: Sequence[Claim]) -> list[Outcome]:
        batches.append(len(claims))
        return _everything(claims)

    summary = work(
        _connector(postgres_url, "loop"),
        "c",
        one_batch,
        settings=WorkSettings(batch=10),
        should_stop=lambda: bool(batches),
    )
    assert summary.completed == 10
    status = queue.status("c")
    assert (status.done, status.claimed, status.waiting) == (10, 0, 20)


def _cut(queue: WorkQueue, name: str) -> None:
    rows = queue.connection.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
        (name,),
    ).fetchall()
    assert rows and all(ok for (ok,) in rows)


def test_reconnects_and_completes_the_batch_in_hand(queue: WorkQueue, postgres_url: str) -> None:
    queue.enqueue("c", [f"d{i}.test" for i in range(20)])

    def cut_once(claims: Sequence[Claim]) -> list[Outcome]:
        if claims[0].domain == "d0.test":
            _cut(queue, "cut")
        return _everything(claims)

    summary = work(
        _connector(postgres_url, "cut"),
        "c",
        cut_once,
        settings=WorkSettings(batch=10, reconnect_wait=0.05),
        record=_record,
    )
    assert (summary.reconnects, summary.completed) == (1, 20)
    assert _seen(queue) == sorted(f"d{i}.test" for i in range(20))


def test_gives_up_with_a_clear_error_and_the_lease_returns_the_claims(
    queue: WorkQueue, postgres_url: str
) -> None:
    queue.enqueue("c", [f"d{i}.test" for i in range(20)])

    def cut(claims: Sequence[Claim]) -> list[Outcome]:
        _cut(queue, "cut")
        return _everything(claims)

    with pytest.raises(QueueConnectionLostError) as raised:
        work(
            _connector(postgres_url, "cut"),
            "c",
            cut,
            settings=WorkSettings(batch=10, lease=0.2, reconnects=0),
            record=_record,
        )
    message = str(raised.value)
    assert message.startswith("lost the connection to the store and could not reconnect (0 tries)")
    assert "\n" not in message
    assert _seen(queue) == []
    assert queue.status("c").claimed == 10
    summary = work(_connector(postgres_url, "rescue"), "c", _everything, record=_record)
    assert summary.completed == 20 and len(_seen(queue)) == 20


def test_a_server_that_stays_away(queue: WorkQueue, postgres_url: str) -> None:
    queue.enqueue("c", ["a.test"])
    opened: list[int] = []
    address = postgres_url.rsplit("/", 1)[0]

    def flaky() -> psycopg.Connection[Any]:
        opened.append(1)
        if len(opened) == 1:
            return connect(postgres_url, application_name="away")
        return connect(f"{address.rsplit(':', 1)[0]}:1/none")  # nothing listens on port 1

    def cut(claims: Sequence[Claim]) -> list[Outcome]:
        _cut(queue, "away")
        return _everything(claims)

    with pytest.raises(QueueConnectionLostError, match=r"\(2 tries\)"):
        work(flaky, "c", cut, settings=WorkSettings(reconnects=2, reconnect_wait=0.01))
    assert len(opened) == 3


def test_joining_an_unknown_crawl(queue: WorkQueue, postgres_url: str) -> None:
    with pytest.raises(UnknownCrawlError, match="no crawl named 'missing'"):
        work(_connector(postgres_url, "loop"), "missing", _everything)


def test_a_slow_batch_keeps_its_leases(queue: WorkQueue, postgres_url: str) -> None:
    queue.enqueue("c", ["a.test", "b.test"])
    rival = queue.join("c", worker_name="rival")
    stolen: list[Claim] = []

    def slow(claims: Sequence[Claim]) -> list[Outcome]:
        deadline = time.monotonic() + 1.0  # more than three leases
        while time.monotonic() < deadline:
            stolen.extend(queue.claim(rival, 5, 30))
            time.sleep(0.05)
        return _everything(claims)

    summary = work(
        _connector(postgres_url, "slow"),
        "c",
        slow,
        settings=WorkSettings(batch=5, lease=0.3),
        record=_record,
    )
    assert stolen == []
    assert (summary.completed, summary.refused) == (2, 0)


def test_without_lease_keeping_a_slow_batch_is_taken_over(
    queue: WorkQueue, postgres_url: str
) -> None:
    queue.enqueue("c", ["a.test", "b.test"])
    rival = queue.join("c", worker_name="rival")
    stolen: list[Claim] = []

    def slow(claims: Sequence[Claim]) -> list[Outcome]:
        time.sleep(0.4)
        stolen.extend(queue.claim(rival, 5, 30))
        queue.complete(rival, [Outcome.of(claim) for claim in stolen])
        return _everything(claims)

    summary = work(
        _connector(postgres_url, "slow"),
        "c",
        slow,
        settings=WorkSettings(batch=5, lease=0.2, keep_leases=False),
        record=_record,
    )
    assert [claim.domain for claim in stolen] == ["a.test", "b.test"]
    assert (summary.completed, summary.refused) == (0, 2)
    assert _seen(queue) == []
