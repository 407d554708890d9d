"""A work queue for crawls shared by many workers, in plain SQL on PostgreSQL.

A named crawl is a set of domains. Workers on any machine join it, claim batches with
``SELECT ... FOR UPDATE SKIP LOCKED`` and hold each claim under a lease. A batch is completed
in one transaction, together with whatever the caller records for it, and only for the claims
that are still the worker's own: each claim carries its attempt number, and a worker whose
lease expired and whose domain was claimed again cannot complete it any more. Expired leases
return to the queue on the next claim; a domain whose leases expired ``max_attempts`` times
is marked failed rather than handed out forever.

Per-host politeness is answered by the database, atomically, for every worker at once.

>>> Outcome("example.com", 1).state
'done'
>>> Outcome("example.com", 1, error="timed out").state
'failed'
"""

from __future__ import annotations

import datetime
import os
import random
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from adstxt.store._queue_schema import queue_schema_statements

if TYPE_CHECKING:
    import psycopg

    Connection = psycopg.Connection[Any]

_T = TypeVar("_T")

#: Domains sent to the server per statement when a crawl is enqueued.
ENQUEUE_CHUNK = 10_000

#: Transactions retried after a deadlock or serialization failure before giving up.
_CONFLICT_RETRIES = 5


class UnknownCrawlError(LookupError):
    """No crawl of that name is in the store."""


@attrs.frozen
class Crawl:
    """A named crawl in the queue."""

    id: int
    name: str


@attrs.frozen
class Enqueued:
    """What enqueuing did: ``added`` new domains, ``total`` now in the crawl."""

    crawl: Crawl
    added: int
    total: int


@attrs.frozen
class Worker:
    """A worker process registered on a crawl; its ``id`` owns its leases."""

    id: int
    crawl: Crawl
    name: str


@attrs.frozen
class Claim:
    """A domain leased to a worker; ``attempt`` identifies this claim among all of its claims."""

    domain: str
    attempt: int
    lease_expires: datetime.datetime


@attrs.frozen
class Outcome:
    """The result of working on a claimed domain: done, or failed with an error."""

    domain: str
    attempt: int
    error: str | None = None

    @property
    def state(self) -> str:
        """``done`` or ``failed``."""
        return "done" if self.error is None else "failed"

    @classmethod
    def of(cls, claim: Claim, error: str | None = None) -> Outcome:
        """The outcome of ``claim``."""
        return cls(claim.domain, claim.attempt, error)


@attrs.frozen
class Completion:
    """Which outcomes were stored, and which were refused because the claim was no longer ours."""

    accepted: tuple[Outcome, ...]
    refused: tuple[Outcome, ...]


@attrs.frozen
class HostTurn:
    """The database's answer to "may I hit this host now": granted, or wait ``wait`` seconds."""

    granted: bool
    wait: float
    at: datetime.datetime


@attrs.frozen
class OpenWork:
    """What is left of a crawl: domains waiting, domains claimed, and when the next lease ends."""

    waiting: int
    claimed: int
    next_expiry: float | None

    @property
    def finished(self) -> bool:
        """True when every domain is done or failed."""
        return self.waiting == 0 and self.claimed == 0


@attrs.frozen
class WorkerStatus:
    """One worker of a crawl and its rate."""

    name: str
    host: str
    pid: int
    started: datetime.datetime
    heartbeat: datetime.datetime
    stopped: datetime.datetime | None
    domains_done: int
    claimed: int
    rate: float
    #: Domains this worker stored as failed (``domains_done`` counts the others, as the
    #: crawl's own counts do).
    domains_failed: int = 0
    #: False when the worker never said it stopped but gave no news for longer than its
    #: leases (killed, or cut off from the database), or the crawl finished without it.
    alive: bool = True

    @property
    def state(self) -> str:
        """``working``, ``stopped`` (it left cleanly) or ``gone`` (no news: it died)."""
        if self.stopped is not None:
            return "stopped"
        return "working" if self.alive else "gone"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "name": self.name,
            "host": self.host,
            "pid": self.pid,
            "state": self.state,
            "started": self.started.isoformat(),
            "heartbeat": self.heartbeat.isoformat(),
            "stopped": None if self.stopped is None else self.stopped.isoformat(),
            "domains_done": self.domains_done,
            "domains_failed": self.domains_failed,
            "claimed": self.claimed,
            "rate_per_second": round(self.rate, 3),
        }

    def to_text(self) -> str:
        """One line for a terminal: a gone worker's rate is not current, so not shown."""
        who = f"{self.name} ({self.host}, pid {self.pid})"
        counts = f"{self.domains_done} done, {self.domains_failed} failed, {self.claimed} claimed"
        if self.state == "gone":
            news = self.heartbeat.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            return f"{who}: gone (no news since {news}), {counts}"
        return f"{who}: {self.state}, {counts}, {self.rate:.1f} domains/s"


@attrs.frozen
class CrawlStatus:
    """Progress of a named crawl: counts per state and the workers that joined it."""

    name: str
    done: int
    claimed: int
    waiting: int
    failed: int
    expired: int
    workers: tuple[WorkerStatus, ...]

    @property
    def total(self) -> int:
        """All domains of the crawl."""
        return self.done + self.claimed + self.waiting + self.failed

    @property
    def finished(self) -> bool:
        """True when no domain is waiting or claimed."""
        return self.waiting == 0 and self.claimed == 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping, for ``--output-format json``."""
        return {
            "crawl": self.name,
            "total": self.total,
            "done": self.done,
            "claimed": self.claimed,
            "waiting": self.waiting,
            "failed": self.failed,
            "expired_leases": self.expired,
            "finished": self.finished,
            "workers": [worker.to_json() for worker in self.workers],
        }

    def to_text(self) -> str:
        """A few lines for a terminal."""
        lines = [
            f"crawl {self.name}: {self.done} done, {self.claimed} claimed, "
            f"{self.waiting} waiting, {self.failed} failed of {self.total}"
            + (f" ({self.expired} claimed with an expired lease)" if self.expired else "")
        ]
        lines.extend(f"  {worker.to_text()}" for worker in self.workers)
        return "\n".join(lines)


class WorkQueue:
    """The queue's operations over one connection (in autocommit mode: each is a transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def install(self) -> None:
        """Create the queue's tables when they are missing."""
        with self.connection.transaction(), self.connection.cursor() as cursor:
            for statement in queue_schema_statements():
                cursor.execute(statement)

    def enqueue(self, name: str, domains: Iterable[str]) -> Enqueued:
        """Create the crawl ``name`` when new and add the domains it does not have yet."""
        unique = list(dict.fromkeys(domains))
        with self.connection.transaction(), self.connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO queue_crawls (name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (name,)
            )
            cursor.execute("SELECT id FROM queue_crawls WHERE name = %s", (name,))
            crawl = Crawl(_one(cursor.fetchone()), name)
            cursor.execute(
                "SELECT coalesce(max(position), 0) FROM queue_domains WHERE crawl_id = %s",
                (crawl.id,),
            )
            start = _one(cursor.fetchone())
            added = 0
            for offset in range(0, len(unique), ENQUEUE_CHUNK):
                cursor.execute(
                    """
                    INSERT INTO queue_domains (crawl_id, domain, position)
                    SELECT %s, domain, %s + ordinal
                    FROM unnest(%s::text[]) WITH ORDINALITY AS given (domain, ordinal)
                    ON CONFLICT (crawl_id, domain) DO NOTHING
                    """,
                    (crawl.id, start + offset, unique[offset : offset + ENQUEUE_CHUNK]),
                )
                added += cursor.rowcount
            cursor.execute("SELECT count(*) FROM queue_domains WHERE crawl_id = %s", (crawl.id,))
            return Enqueued(crawl, added, _one(cursor.fetchone()))

    def crawl(self, name: str) -> Crawl:
        """The crawl called ``name``; :class:`UnknownCrawlError` when there is none."""
        row = self.connection.execute(
            "SELECT id FROM queue_crawls WHERE name = %s", (name,)
        ).fetchone()
        if row is None:
            raise UnknownCrawlError(f"no crawl named {name!r} in this store")
        return Crawl(int(row[0]), name)

    def join(self, name: str, *, worker_name: str | None = None) -> Worker:
        """Register this process as a worker of the crawl ``name``."""
        crawl = self.crawl(name)
        host = socket.gethostname()
        pid = os.getpid()
        label = worker_name or f"{host}:{pid}"
        row = self.connection.execute(
            "INSERT INTO queue_workers (crawl_id, name, host, pid) VALUES (%s, %s, %s, %s) "
            "RETURNING id",
            (crawl.id, label, host, pid),
        ).fetchone()
        return Worker(_one(row), crawl, label)

    def claim(
        self, worker: Worker, limit: int, lease: float, *, max_attempts: int = 5
    ) -> list[Claim]:
        """Lease up to ``limit`` domains for ``lease`` seconds, oldest first.

        Waiting domains and domains whose lease expired are both claimable; rows other
        workers are claiming at this moment are skipped, not waited for.
        """
        return self._retrying(lambda: self._claim(worker, limit, lease, max_attempts))

    def _claim(self, worker: Worker, limit: int, lease: float, max_attempts: int) -> list[Claim]:
        with self.connection.transaction(), self.connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE queue_domains
                SET state = 'failed', lease_owner = NULL, lease_expires = NULL,
                    finished_at = clock_timestamp(),
                    last_error = 'gave up after ' || attempts || ' claims whose lease expired'
                WHERE crawl_id = %s AND state = 'claimed'
                  AND lease_expires < clock_timestamp() AND attempts >= %s
                """,
                (worker.crawl.id, max_attempts),
            )
            cursor.execute(
                """
                WITH picked AS (
                    SELECT domain FROM queue_domains
                    WHERE crawl_id = %(crawl)s AND state IN ('waiting', 'claimed')
                      AND (state = 'waiting' OR lease_expires < clock_timestamp())
                    ORDER BY position
                    LIMIT %(limit)s
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE queue_domains AS d
                SET state = 'claimed', lease_owner = %(worker)s, attempts = d.attempts + 1,
                    lease_expires = clock_timestamp() + make_interval(secs => %(lease)s)
                FROM picked
                WHERE d.crawl_id = %(crawl)s AND d.domain = picked.domain
                RETURNING d.domain, d.attempts, d.lease_expires, d.position
                """,
                {"crawl": worker.crawl.id, "limit": limit, "worker": worker.id, "lease": lease},
            )
            rows = sorted(cursor.fetchall(), key=lambda row: int(row[3]))
            self._beat(cursor, worker, 0)
        return [Claim(str(row[0]), int(row[1]), row[2]) for row in rows]

    def renew(self, worker: Worker, claims: Sequence[Claim], lease: float) -> list[Claim]:
        """Extend the leases of ``claims`` that are still this worker's; those are returned."""
        with self.connection.transaction(), self.connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE queue_domains AS d
                SET lease_expires = clock_timestamp() + make_interval(secs => %s)
                FROM unnest(%s::text[], %s::int[]) AS held (domain, attempt)
                WHERE d.crawl_id = %s AND d.domain = held.domain AND d.state = 'claimed'
                  AND d.lease_owner = %s AND d.attempts = held.attempt
                RETURNING d.domain, d.attempts, d.lease_expires
                """,
                (
                    lease,
                    [claim.domain for claim in claims],
                    [claim.attempt for claim in claims],
                    worker.crawl.id,
                    worker.id,
                ),
            )
            renewed = {str(row[0]): Claim(str(row[0]), int(row[1]), row[2]) for row in cursor}
            self._beat(cursor, worker, 0)
        return [renewed[claim.domain] for claim in claims if claim.domain in renewed]

    def complete(
        self,
        worker: Worker,
        outcomes: Sequence[Outcome],
        *,
        record: Callable[[Connection, Sequence[Outcome]], None] | None = None,
    ) -> Completion:
        """Store ``outcomes`` whose claims are still ours, in one transaction with ``record``.

        ``record`` runs inside that transaction with the accepted outcomes only, so results
        of a claim that another worker now holds are never written.
        """
        return self._retrying(lambda: self._complete(worker, outcomes, record))

    def _complete(
        self,
        worker: Worker,
        outcomes: Sequence[Outcome],
        record: Callable[[Connection, Sequence[Outcome]], None] | None,
    ) -> Completion:
        with self.connection.transaction(), self.connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE queue_domains AS d
                SET state = given.state, last_error = given.error, lease_expires = NULL,
                    finished_at = clock_timestamp()
                FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[])
                    AS given (domain, attempt, state, error)
                WHERE d.crawl_id = %s AND d.domain = given.domain AND d.state = 'claimed'
                  AND d.lease_owner = %s AND d.attempts = given.attempt
                RETURNING d.domain
                """,
                (
                    [outcome.domain for outcome in outcomes],
                    [outcome.attempt for outcome in outcomes],
                    [outcome.state for outcome in outcomes],
                    [outcome.error for outcome in outcomes],
                    worker.crawl.id,
                    worker.id,
                ),
            )
            stored = {str(row[0]) for row in cursor}
            accepted = tuple(outcome for outcome in outcomes if outcome.domain in stored)
            refused = tuple(outcome for outcome in outcomes if outcome.domain not in stored)
            if record is not None and accepted:
                record(self.connection, accepted)
            self._beat(cursor, worker, len(accepted))
        return Completion(accepted, refused)

    def release(self, worker: Worker) -> int:
        """Return every domain this worker holds to the queue; the number returned."""
        cursor = self.connection.execute(
            """
            UPDATE queue_domains SET state = 'waiting', lease_owner = NULL, lease_expires = NULL
            WHERE crawl_id = %s AND state = 'claimed' AND lease_owner = %s
            """,
            (worker.crawl.id, worker.id),
        )
        return cursor.rowcount

    def leave(self, worker: Worker) -> int:
        """Stop cleanly: release this worker's claims and mark it stopped."""
        with self.connection.transaction():
            released = self.release(worker)
            self.connection.execute(
                "UPDATE queue_workers SET stopped_at = clock_timestamp(), "
                "heartbeat_at = clock_timestamp() WHERE id = %s",
                (worker.id,),
            )
        return released

    def forget(self, name: str) -> int:
        """Delete the crawl ``name`` with its domains and workers; the number of domains it had.

        The queue's rows are bookkeeping: once a crawl is finished, the store holds its
        results, and forgetting the crawl gives its space back.
        """
        crawl = self.crawl(name)
        with self.connection.transaction():
            count = self.connection.execute(
                "SELECT count(*) FROM queue_domains WHERE crawl_id = %s", (crawl.id,)
            ).fetchone()
            self.connection.execute("DELETE FROM queue_crawls WHERE id = %s", (crawl.id,))
        return _one(count)

    def open_work(self, crawl: Crawl) -> OpenWork:
        """What is left of ``crawl``: a worker with nothing to claim waits or stops by this."""
        row = self.connection.execute(
            """
            SELECT count(*) FILTER (WHERE state = 'waiting'),
                   count(*) FILTER (WHERE state = 'claimed'),
                   extract(epoch FROM min(lease_expires) - clock_timestamp())
            FROM queue_domains
            WHERE crawl_id = %s AND state IN ('waiting', 'claimed')
            """,
            (crawl.id,),
        ).fetchone()
        assert row is not None  # an aggregate always returns a row
        expiry = None if row[2] is None else max(0.0, float(row[2]))
        return OpenWork(int(row[0]), int(row[1]), expiry)

    def status(self, name: str) -> CrawlStatus:
        """Progress of the crawl ``name``: counts per state and each worker's rate."""
        crawl = self.crawl(name)
        counts = self.connection.execute(
            """
            SELECT count(*) FILTER (WHERE state = 'done'),
                   count(*) FILTER (WHERE state = 'claimed'),
                   count(*) FILTER (WHERE state = 'waiting'),
                   count(*) FILTER (WHERE state = 'failed'),
                   count(*) FILTER (WHERE state = 'claimed' AND lease_expires < clock_timestamp())
            FROM queue_domains WHERE crawl_id = %s
            """,
            (crawl.id,),
        ).fetchone()
        assert counts is not None  # an aggregate always returns a row
        workers = self.connection.execute(
            """
            SELECT w.name, w.host, w.pid, w.started_at, w.heartbeat_at, w.stopped_at,
                   w.domains_done,
                   (SELECT count(*) FROM queue_domains AS d
                    WHERE d.crawl_id = w.crawl_id AND d.state = 'claimed'
                      AND d.lease_owner = w.id),
                   extract(epoch FROM coalesce(w.stopped_at, w.heartbeat_at) - w.started_at),
                   (SELECT count(*) FROM queue_domains AS d
                    WHERE d.crawl_id = w.crawl_id AND d.state = 'claimed'
                      AND d.lease_owner = w.id AND d.lease_expires >= clock_timestamp()),
                   w.id
            FROM queue_workers AS w WHERE w.crawl_id = %s ORDER BY w.id
            """,
            (crawl.id,),
        ).fetchall()
        # A finished domain keeps the worker that finished it as its lease owner.
        finished_by = {
            int(row[0]): (int(row[1]), int(row[2]))
            for row in self.connection.execute(
                """
                SELECT lease_owner, count(*) FILTER (WHERE state = 'done'),
                       count(*) FILTER (WHERE state = 'failed')
                FROM queue_domains
                WHERE crawl_id = %s AND state IN ('done', 'failed') AND lease_owner IS NOT NULL
                GROUP BY lease_owner
                """,
                (crawl.id,),
            )
        }
        done, claimed, waiting, failed, expired = (int(count) for count in counts)
        crawl_open = waiting + claimed > 0
        return CrawlStatus(
            name,
            done,
            claimed,
            waiting,
            failed,
            expired,
            workers=tuple(
                WorkerStatus(
                    name=str(row[0]),
                    host=str(row[1]),
                    pid=int(row[2]),
                    started=row[3],
                    heartbeat=row[4],
                    stopped=row[5],
                    domains_done=finished_by.get(int(row[10]), (0, 0))[0],
                    claimed=int(row[7]),
                    rate=int(row[6]) / float(row[8]) if row[8] and float(row[8]) > 0 else 0.0,
                    domains_failed=finished_by.get(int(row[10]), (0, 0))[1],
                    # A live worker renews its leases every third of a lease and leaves
                    # as soon as the crawl is finished.
                    alive=crawl_open and (int(row[7]) == 0 or int(row[9]) > 0),
                )
                for row in workers
            ),
        )

    def host_turn(self, host: str, delay: float) -> HostTurn:
        """Ask whether this worker may hit ``host`` now, keeping hits ``delay`` seconds apart.

        Granted turns of one host are at least ``delay`` apart by the server's clock, across
        every worker and crawl; a refused turn says how long to wait before asking again.
        """
        token = random.getrandbits(62)
        row = self.connection.execute(
            """
            WITH now AS (SELECT clock_timestamp() AS t)
            INSERT INTO queue_hosts AS h (host, next_allowed, last_grant, grant_id)
            SELECT %(host)s, t + make_interval(secs => %(delay)s), t, %(token)s FROM now
            ON CONFLICT (host) DO UPDATE SET
                next_allowed = CASE WHEN h.next_allowed <= excluded.last_grant
                                    THEN excluded.next_allowed ELSE h.next_allowed END,
                last_grant = CASE WHEN h.next_allowed <= excluded.last_grant
                                  THEN excluded.last_grant ELSE h.last_grant END,
                grant_id = CASE WHEN h.next_allowed <= excluded.last_grant
                                THEN excluded.grant_id ELSE h.grant_id END
            RETURNING h.grant_id, h.last_grant,
                      extract(epoch FROM h.next_allowed - clock_timestamp())
            """,
            {"host": host, "delay": delay, "token": token},
        ).fetchone()
        assert row is not None  # an upsert with RETURNING returns its row
        if int(row[0]) == token:
            return HostTurn(True, 0.0, row[1])
        return HostTurn(False, max(0.0, float(row[2])), row[1])

    def wait_for_host(
        self, host: str, delay: float, *, sleep: Callable[[float], None] = time.sleep
    ) -> datetime.datetime:
        """Block until this worker's turn at ``host``; the time it was granted (server clock)."""
        while True:
            turn = self.host_turn(host, delay)
            if turn.granted:
                return turn.at
            sleep(turn.wait)

    def _beat(self, cursor: psycopg.Cursor[Any], worker: Worker, done: int) -> None:
        cursor.execute(
            "UPDATE queue_workers SET heartbeat_at = clock_timestamp(), "
            "domains_done = domains_done + %s WHERE id = %s",
            (done, worker.id),
        )

    def _retrying(self, operation: Callable[[], _T]) -> _T:
        """Run a transaction again when the server aborted it to break a deadlock."""
        from psycopg import errors

        failures = 0
        while True:
            try:
                return operation()
            except (errors.DeadlockDetected, errors.SerializationFailure):
                failures += 1
                if failures == _CONFLICT_RETRIES:
                    raise
                time.sleep(0.01 * failures)


def _one(row: tuple[Any, ...] | None) -> int:
    """The single integer of a one-column row that the statement always returns."""
    assert row is not None
    return int(row[0])
