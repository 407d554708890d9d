"""Keeps the leases of the batch in hand alive while a worker works on it.

A thread of its own renews the batch's leases every third of the lease, over a connection
of its own that it opens only when a batch outlasts that (short batches never open it). A
renewal that fails (the server is away) is simply tried again at the next tick: the worst
case is that the lease expires, and then the queue's fencing keeps the results right.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from adstxt.store._queue import Claim, Worker, WorkQueue

if TYPE_CHECKING:
    import psycopg

    Connection = psycopg.Connection[Any]


class LeaseKeeper:
    """Renews the leases of whatever batch :meth:`holding` names, until :meth:`close`."""

    def __init__(self, connect: Callable[[], Connection], worker: Worker, lease: float) -> None:
        self._connect = connect
        self._worker = worker
        self._lease = lease
        self._connection: Connection | None = None
        self._claims: list[Claim] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.renewals = 0
        self._thread = threading.Thread(target=self._run, name="adstxt-lease-keeper", daemon=True)
        self._thread.start()

    @contextlib.contextmanager
    def holding(self, claims: Sequence[Claim]) -> Iterator[None]:
        """Keep the leases of ``claims`` alive for the duration of the block."""
        with self._lock:
            self._claims = list(claims)
        try:
            yield
        finally:
            with self._lock:
                self._claims = []

    def close(self) -> None:
        """Stop renewing and close the keeper's connection."""
        self._stop.set()
        self._thread.join()
        self._disconnect()

    def _run(self) -> None:
        while not self._stop.wait(self._lease / 3):
            with self._lock:
                claims = list(self._claims)
            if claims:
                self._renew(claims)

    def _renew(self, claims: Sequence[Claim]) -> None:
        from psycopg import Error

        try:
            if self._connection is None:
                self._connection = self._connect()
            WorkQueue(self._connection).renew(self._worker, claims, self._lease)
        except Error:
            self._disconnect()  # reconnect at the next tick
            return
        self.renewals += 1

    def _disconnect(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
