"""What a crawl needs from the store: validators for conditional requests, the held copy
behind a 304, and writing results a batch at a time."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from adstxt.store._dialect import database_errors
from adstxt.store._record import FetchRecord, records_of
from adstxt.store._sqlite import explain
from adstxt.store._store import Store
from adstxt.store._unchanged import restore_unchanged

if TYPE_CHECKING:
    from adstxt.fetch import FetchResult, Validators

__all__ = ["BatchWriter", "StoreWriteError", "restore_unchanged", "validators_for"]


class StoreWriteError(Exception):
    """A batch could not be stored; every batch before it is whole."""


def validators_for(store: Store, domain: str, kind: str) -> Validators | None:
    """The ETag and Last-Modified of the copy held for ``domain``'s file, if any."""
    from adstxt.fetch import Validators

    row = store.file(domain, kind)
    if row is None or row.sha256 is None or not (row.etag or row.last_modified):
        return None
    return Validators(row.etag, row.last_modified)


class BatchWriter:
    """Collects each crawled domain's fetches and stores them ``size`` domains (or
    ``seconds``) at a time, one transaction per batch.

    A batch is the unit of completion: a domain counts as done for ``--resume`` once its
    batch is committed, so a crawl killed mid-batch fetches that batch's domains again.
    """

    def __init__(self, store: Store, crawl_id: int | None, size: int = 50, seconds: float = 1.0):
        self.store = store
        self.crawl_id = crawl_id
        self._size = size
        self._seconds = seconds
        self._batch: list[tuple[str, Sequence[FetchRecord]]] = []
        self._last = time.monotonic()

    def add(self, domain: str, result: FetchResult, started: dt.datetime, duration: float) -> None:
        self._batch.append((domain, records_of(domain, result, started, duration)))
        if len(self._batch) >= self._size or time.monotonic() - self._last >= self._seconds:
            self.flush()

    def flush(self) -> None:
        """Store what was collected; raise :class:`StoreWriteError` when it cannot be."""
        self._last = time.monotonic()
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        try:
            self.store.record(self.crawl_id, batch)
        except database_errors() as exc:
            raise StoreWriteError(
                f"cannot write the store {self.store.where}: {explain(exc)}"
            ) from exc
