"""A worker's loop over a shared crawl: claim a batch, work on it, complete it, until done.

While a batch is worked on, its leases are renewed from a thread of its own, so a batch
slower than the lease is not taken over. The loop survives a lost connection: it
reconnects (a few times, waiting longer each time) and carries on with the batch in hand;
completing it is safe because the queue only accepts claims that are still this worker's.
When it cannot reconnect it stops with :class:`QueueConnectionLostError`, and its claims
return to the queue when their leases expire.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from adstxt.store._lease_keeper import LeaseKeeper
from adstxt.store._queue import Claim, Completion, Outcome, Worker, WorkQueue

if TYPE_CHECKING:
    import psycopg

    Connection = psycopg.Connection[Any]

_T = TypeVar("_T")


class QueueConnectionLostError(RuntimeError):
    """The store's server went away and did not come back within the reconnect attempts."""


@attrs.frozen
class WorkSettings:
    """How a worker claims: batch size, lease length, polling and reconnecting."""

    batch: int = 50
    lease: float = 300.0
    poll: float = 1.0
    reconnects: int = 3
    reconnect_wait: float = 0.5
    max_attempts: int = 5
    #: Renew the batch's leases while it is worked on (see :mod:`adstxt.store._lease_keeper`).
    keep_leases: bool = True
    #: Complete each batch (and record its results) over a second connection while the next
    #: batch is worked on, so that the work never waits for the database.
    overlap: bool = False


@attrs.frozen
class WorkSummary:
    """What one worker did: batches and domains it completed, outcomes refused as stale."""

    worker: str
    batches: int
    completed: int
    refused: int
    reconnects: int


class _Session:
    """A queue over a connection that is replaced when the server drops it."""

    def __init__(self, connect: Callable[[], Connection], settings: WorkSettings) -> None:
        self._connect = connect
        self._settings = settings
        self.reconnects = 0
        self.queue = WorkQueue(connect())

    def call(self, operation: Callable[[WorkQueue], _T]) -> _T:
        from psycopg import OperationalError

        failures = 0
        while True:
            try:
                return operation(self.queue)
            except OperationalError as exc:
                if not self.queue.connection.broken and not self.queue.connection.closed:
                    raise
                failures += 1
                if failures > self._settings.reconnects:
                    raise QueueConnectionLostError(
                        f"lost the connection to the store and could not reconnect "
                        f"({self._settings.reconnects} tries): {_first_line(exc)}"
                    ) from exc
                self._reconnect(failures)

    def _reconnect(self, failures: int) -> None:
        from psycopg import OperationalError

        time.sleep(self._settings.reconnect_wait * failures)
        self.close()
        try:
            self.queue = WorkQueue(self._connect())
        except OperationalError:
            return  # the next call fails again and counts as another try
        self.reconnects += 1

    def close(self) -> None:
        self.queue.connection.close()


def work(
    connect: Callable[[], Connection],
    crawl: str,
    process: Callable[[Sequence[Claim]], Sequence[Outcome]],
    *,
    settings: WorkSettings | None = None,
    record: Callable[[Connection, Sequence[Outcome]], None] | None = None,
    worker_name: str | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    held: Callable[[], Sequence[Claim]] = lambda: (),
) -> WorkSummary:
    """Join ``crawl`` and work on it until no domain is waiting or claimed.

    ``process`` turns a batch of claims into outcomes; ``record`` stores their results in
    the transaction that completes the batch. ``should_stop`` ends the loop between batches
    (a clean stop: the worker's claims are released at once).

    ``process`` may also leave some claims unfinished (a slow site) and give their outcomes
    with a later batch; ``held`` then names them, so that their leases are kept and, when
    nothing more can be claimed, ``process`` is called with no new claims to finish them.
    """
    settings = settings or WorkSettings()
    session = _Session(connect, settings)
    try:
        worker = session.call(lambda queue: queue.join(crawl, worker_name=worker_name))
    except BaseException:
        session.close()
        raise
    batches = completed = refused = 0
    keeper = LeaseKeeper(connect, worker, settings.lease) if settings.keep_leases else None
    completer = _Session(connect, settings) if settings.overlap else None
    executor = ThreadPoolExecutor(1, "adstxt-completer") if settings.overlap else None
    finishing: Future[Completion] | None = None

    def count(completion: Completion) -> None:
        nonlocal batches, completed, refused
        batches += 1
        completed += len(completion.accepted)
        refused += len(completion.refused)

    def settle() -> None:
        """Wait for the batch being completed, if any (its errors are raised here)."""
        nonlocal finishing
        if finishing is not None:
            pending, finishing = finishing, None
            count(pending.result())

    try:
        while not should_stop():
            claims = session.call(
                lambda queue: queue.claim(
                    worker, settings.batch, settings.lease, max_attempts=settings.max_attempts
                )
            )
            if not claims and held():
                claims = []  # nothing new: finish the claims still in hand
            elif not claims:
                settle()  # this worker's own last batch may be all that is left
                left = session.call(lambda queue: queue.open_work(worker.crawl))
                if left.finished:
                    break
                # Others hold the rest: wait for them to finish or for a lease to expire.
                time.sleep(min(settings.poll, left.next_expiry or settings.poll) + 0.01)
                continue
            if keeper is None:
                outcomes = process(claims)
            else:
                with keeper.holding([*claims, *held()]):
                    outcomes = process(claims)
            settle()
            if not outcomes:
                continue  # every site of the batch is still being fetched
            if executor is not None and completer is not None:
                finishing = executor.submit(_complete, completer, worker, outcomes, record)
            else:
                count(_complete(session, worker, outcomes, record))
        settle()
    finally:
        if finishing is not None:  # leaving on an error: the batch in hand is stored if it can be
            with contextlib.suppress(Exception):
                finishing.result()
        if executor is not None:
            executor.shutdown(wait=True)
        if keeper is not None:
            keeper.close()
        _leave_quietly(session, worker)
        session.close()
        if completer is not None:
            completer.close()
    reconnects = session.reconnects + (completer.reconnects if completer is not None else 0)
    return WorkSummary(worker.name, batches, completed, refused, reconnects)


def _complete(
    session: _Session,
    worker: Worker,
    outcomes: Sequence[Outcome],
    record: Callable[[Connection, Sequence[Outcome]], None] | None,
) -> Completion:
    return session.call(lambda queue: queue.complete(worker, outcomes, record=record))


def _leave_quietly(session: _Session, worker: Worker) -> None:
    """Release claims on the way out; when the server is gone the leases expire instead."""
    from psycopg import Error

    with contextlib.suppress(Error):
        session.queue.leave(worker)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
