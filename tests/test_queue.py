"""The shared work queue on a real PostgreSQL server, one operation at a time."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from adstxt.store._postgres import (
    INSTALL_HINT,
    PostgresUnavailableError,
    connect,
    is_postgres_url,
    require_psycopg,
)
from adstxt.store._queue import Outcome, UnknownCrawlError, WorkQueue
from adstxt.store._queue_schema import queue_schema_statements


@pytest.fixture
def queue(postgres_url: str) -> Iterator[WorkQueue]:
    connection = connect(postgres_url)
    work_queue = WorkQueue(connection)
    work_queue.install()
    yield work_queue
    connection.close()


def _states(queue: WorkQueue, crawl: str) -> dict[str, tuple[str, int]]:
    rows = queue.connection.execute(
        "SELECT d.domain, d.state, d.attempts FROM queue_domains d "
        "JOIN queue_crawls c ON c.id = d.crawl_id WHERE c.name = %s",
        (crawl,),
    ).fetchall()
    return {str(row[0]): (str(row[1]), int(row[2])) for row in rows}


def test_install_twice_changes_nothing(queue: WorkQueue) -> None:
    queue.enqueue("c", ["a.test"])
    queue.install()
    assert queue.status("c").waiting == 1
    assert all(statement.strip().startswith("CREATE") for statement in queue_schema_statements())


def test_enqueue_is_idempotent_and_keeps_order(queue: WorkQueue) -> None:
    first = queue.enqueue("c", ["b.test", "a.test", "b.test", "c.test"])
    assert (first.added, first.total) == (3, 3)
    again = queue.enqueue("c", ["a.test", "c.test", "d.test"])
    assert (again.added, again.total, again.crawl) == (1, 4, first.crawl)
    worker = queue.join("c")
    assert [claim.domain for claim in queue.claim(worker, 10, 30)] == [
        "b.test",
        "a.test",
        "c.test",
        "d.test",
    ]


def test_enqueue_in_chunks(queue: WorkQueue, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("adstxt.store._queue.ENQUEUE_CHUNK", 7)
    domains = [f"d{i}.test" for i in range(50)]
    assert queue.enqueue("c", domains).added == 50
    worker = queue.join("c")
    assert [claim.domain for claim in queue.claim(worker, 100, 30)] == domains


def test_claims_do_not_overlap_between_workers(queue: WorkQueue) -> None:
    queue.enqueue("c", [f"d{i}.test" for i in range(10)])
    one, two = queue.join("c", worker_name="one"), queue.join("c", worker_name="two")
    first = {claim.domain for claim in queue.claim(one, 6, 30)}
    second = {claim.domain for claim in queue.claim(two, 6, 30)}
    assert len(first) == 6 and len(second) == 4 and not first & second
    assert queue.claim(two, 6, 30) == []


def test_a_stale_worker_cannot_complete_a_reclaimed_domain(queue: WorkQueue) -> None:
    queue.enqueue("c", ["a.test", "b.test"])
    slow, fast = queue.join("c", worker_name="slow"), queue.join("c", worker_name="fast")
    stale = queue.claim(slow, 2, 0.05)
    time.sleep(0.1)
    fresh = queue.claim(fast, 2, 30)
    assert [claim.attempt for claim in fresh] == [2, 2]
    assert queue.renew(slow, stale, 30) == []
    refused = queue.complete(slow, [Outcome.of(claim) for claim in stale])
    assert refused.accepted == () and len(refused.refused) == 2
    accepted = queue.complete(fast, [Outcome.of(claim) for claim in fresh])
    assert len(accepted.accepted) == 2
    assert _states(queue, "c") == {"a.test": ("done", 2), "b.test": ("done", 2)}


def test_an_expired_lease_not_yet_reclaimed_still_completes(queue: WorkQueue) -> None:
    queue.enqueue("c", ["a.test"])
    worker = queue.join("c")
    claims = queue.claim(worker, 1, 0.01)
    time.sleep(0.05)
    assert queue.status("c").expired == 1
    assert len(queue.complete(worker, [Outcome.of(claims[0])]).accepted) == 1


def test_record_runs_in_the_completing_transaction(queue: WorkQueue) -> None:
    queue.connection.execute("CREATE TABLE seen (domain TEXT)")
    queue.enqueue("c", ["a.test", "b.test"])
    worker = queue.join("c")
    claims = queue.claim(worker, 2, 30)

    def record(connection: Any, outcomes: Any) -> None:
        for outcome in outcomes:
            connection.execute("INSERT INTO seen VALUES (%s)", (outcome.domain,))
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        queue.complete(worker, [Outcome.of(claim) for claim in claims], record=record)
    assert queue.connection.execute("SELECT count(*) FROM seen").fetchone() == (0,)
    assert {state for state, _ in _states(queue, "c").values()} == {"claimed"}


def test_failed_outcomes_and_renewal(queue: WorkQueue) -> None:
    queue.enqueue("c", ["a.test", "b.test"])
    worker = queue.join("c")
    claims = queue.claim(worker, 2, 1)
    renewed = queue.renew(worker, claims, 60)
    assert [claim.domain for claim in renewed] == ["a.test", "b.test"]
    assert renewed[0].lease_expires > claims[0].lease_expires
    queue.complete(worker, [Outcome.of(claims[0]), Outcome.of(claims[1], "HTTP 500")])
    status = queue.status("c")
    assert (status.done, status.failed, status.finished) == (1, 1, True)
    error = queue.connection.execute(
        "SELECT last_error FROM queue_domains WHERE domain = 'b.test'"
    ).fetchone()
    assert error == ("HTTP 500",)


def test_release_and_leave_return_claims(queue: WorkQueue) -> None:
    queue.enqueue("c", ["a.test", "b.test", "c.test"])
    worker = queue.join("c", worker_name="w")
    queue.claim(worker, 2, 60)
    assert queue.leave(worker) == 2
    status = queue.status("c")
    assert (status.waiting, status.claimed) == (3, 0)
    assert status.workers[0].stopped is not None


def test_a_domain_whose_leases_keep_expiring_fails(queue: WorkQueue) -> None:
    queue.enqueue("c", ["poison.test"])
    worker = queue.join("c")
    for _ in range(2):
        assert len(queue.claim(worker, 1, 0.01, max_attempts=2)) == 1
        time.sleep(0.03)
    assert queue.claim(worker, 1, 0.01, max_attempts=2) == []
    assert _states(queue, "c") == {"poison.test": ("failed", 2)}
    assert queue.open_work(worker.crawl).finished


def test_two_crawls_do_not_interfere(queue: WorkQueue) -> None:
    queue.enqueue("one", ["a.test", "b.test"])
    queue.enqueue("two", ["a.test", "c.test"])
    worker = queue.join("one")
    claims = queue.claim(worker, 10, 30)
    assert {claim.domain for claim in claims} == {"a.test", "b.test"}
    queue.complete(worker, [Outcome.of(claim) for claim in claims])
    assert queue.status("one").done == 2
    two = queue.status("two")
    assert (two.waiting, two.done, two.workers) == (2, 0, ())


def test_status_text_and_json(queue: WorkQueue) -> None:
    queue.enqueue("c", [f"d{i}.test" for i in range(5)])
    worker = queue.join("c", worker_name="alpha")
    claims = queue.claim(worker, 3, 60)
    queue.complete(worker, [Outcome.of(claim) for claim in claims[:2]])
    status = queue.status("c")
    as_json = status.to_json()
    assert as_json["done"] == 2 and as_json["claimed"] == 1 and as_json["waiting"] == 2
    assert as_json["workers"][0]["name"] == "alpha"
    assert as_json["workers"][0]["domains_done"] == 2
    assert as_json["workers"][0]["claimed"] == 1
    assert as_json["workers"][0]["rate_per_second"] > 0
    text = status.to_text()
    assert "crawl c: 2 done, 1 claimed, 2 waiting, 0 failed of 5" in text
    assert "alpha" in text and "working" in text


def test_open_work_reports_the_next_lease_expiry(queue: WorkQueue) -> None:
    queue.enqueue("c", ["a.test", "b.test"])
    worker = queue.join("c")
    queue.claim(worker, 1, 20)
    left = queue.open_work(worker.crawl)
    assert (left.waiting, left.claimed, left.finished) == (1, 1, False)
    assert left.next_expiry is not None and 15 < left.next_expiry <= 20


def test_unknown_crawl(queue: WorkQueue) -> None:
    with pytest.raises(UnknownCrawlError, match="no crawl named 'nope'"):
        queue.join("nope")
    with pytest.raises(UnknownCrawlError):
        queue.status("nope")


def test_host_turns_are_delay_apart(queue: WorkQueue) -> None:
    first = queue.host_turn("h.test", 0.2)
    second = queue.host_turn("h.test", 0.2)
    assert first.granted and not second.granted
    assert 0.1 < second.wait <= 0.2
    assert queue.host_turn("other.test", 0.2).granted
    sleeps: list[float] = []
    granted = queue.wait_for_host("h.test", 0.2, sleep=lambda s: (sleeps.append(s), time.sleep(s)))
    assert sleeps and (granted - first.at).total_seconds() >= 0.2


def test_psycopg_missing_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(PostgresUnavailableError, match=r"pip install 'adstxt\[postgres\]'"):
        require_psycopg()
    with pytest.raises(PostgresUnavailableError) as raised:
        connect("postgresql://127.0.0.1/x")
    assert str(raised.value) == INSTALL_HINT


def test_store_urls() -> None:
    assert is_postgres_url("postgresql://u@h/db") and is_postgres_url("postgres://h/db")
    assert not is_postgres_url("crawl.sqlite")


def test_forget_a_crawl(queue: WorkQueue) -> None:
    queue.enqueue("old", ["a.test", "b.test"])
    queue.enqueue("new", ["a.test"])
    queue.join("old")
    assert queue.forget("old") == 2
    with pytest.raises(UnknownCrawlError):
        queue.status("old")
    assert queue.connection.execute("SELECT count(*) FROM queue_workers").fetchone() == (0,)
    assert queue.status("new").waiting == 1
    assert queue.enqueue("old", ["c.test"]).total == 1


def test_status_counts_each_workers_failed_apart_and_calls_a_silent_one_gone(
    queue: WorkQueue,
) -> None:
    queue.enqueue("g", [f"d{i}.test" for i in range(6)])
    silent = queue.join("g", worker_name="silent")
    held = queue.claim(silent, 2, 0.3)  # then it dies: no renewal, no news
    busy = queue.join("g", worker_name="busy")
    claims = queue.claim(busy, 3, 60)
    queue.complete(
        busy, [Outcome.of(claims[0]), Outcome.of(claims[1]), Outcome.of(claims[2], "timeout")]
    )
    time.sleep(0.6)
    status = queue.status("g")
    assert (status.done, status.failed, status.claimed, status.waiting) == (2, 1, 2, 1)
    workers = {worker.name: worker for worker in status.workers}
    assert workers["busy"].state == "working"
    assert (workers["busy"].domains_done, workers["busy"].domains_failed) == (2, 1)
    assert workers["silent"].state == "gone" and len(held) == 2
    text = status.to_text()
    assert "busy (" in text and "working, 2 done, 1 failed, 0 claimed" in text
    assert "silent (" in text and "gone (no news since " in text
    silent_line = next(line for line in text.splitlines() if "silent (" in line)
    assert "domains/s" not in silent_line
    assert status.to_json()["workers"][0]["state"] == "gone"
    # The crawl finishes without the silent worker ever saying it stopped: still gone.
    rest = queue.claim(busy, 10, 60)
    queue.complete(busy, [Outcome.of(claim) for claim in rest])
    finished = {worker.name: worker.state for worker in queue.status("g").workers}
    assert finished == {"silent": "gone", "busy": "gone"}
    queue.leave(busy)
    assert {w.name: w.state for w in queue.status("g").workers}["busy"] == "stopped"
