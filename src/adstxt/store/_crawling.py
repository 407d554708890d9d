"""What a crawl needs from the store: validators for conditional requests, the held copy
behind a 304, and writing results a batch at a time."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from adstxt.store._dialect import POSTGRESQL, database_errors
from adstxt.store._record import FetchRecord, records_of
from adstxt.store._sqlite import explain
from adstxt.store._store import Store
from adstxt.store._unchanged import held_row, restore_copy

if TYPE_CHECKING:
    from adstxt.fetch import FetchResult, Validators
    from adstxt.model import FileKind

__all__ = [
    "BatchWriter",
    "StoreWriteError",
    "analyze_crawl_domains",
    "held_copy",
    "validators_for",
]


class StoreWriteError(Exception):
    """A batch could not be stored; every batch before it is whole."""


def analyze_crawl_domains(store: Store) -> None:
    """Give PostgreSQL fresh statistics of the crawls' domains once a crawl has listed its
    own: without them the planner marks each finished domain done by scanning every open
    domain of the crawl (milliseconds each at 100,000 domains) instead of by its index.
    SQLite plans these statements by their indexes whatever its statistics."""
    if store.dialect is POSTGRESQL:
        store.connection.execute("ANALYZE crawl_domains")


def validators_for(store: Store, domain: str, kind: str) -> Validators | None:
    """The ETag and Last-Modified of the copy held for ``domain``'s file, if any."""
    from adstxt.fetch import Validators

    rows = store._rows(
        "SELECT etag, last_modified FROM files WHERE domain = ? AND kind = ? "
        "AND sha256 IS NOT NULL",
        (domain.lower(), kind),
    )
    if not rows or not (rows[0][0] or rows[0][1]):
        return None
    return Validators(rows[0][0], rows[0][1])


def held_copy(
    store: Store, domain: str, kind: str, *, records: bool = True, body: bool = True
) -> tuple[FetchResult, int | None] | None:
    """The current copy of ``domain``'s file as the fetch that gave it served it, for a
    file not fetched because it is still fresh; ``None`` when none is held. The findings of
    that fetch's redirects and scheme are not kept, so only the body's and its
    Content-Type's are reported again.

    What the copy holds is read back as the store kept it, as for a 304
    (:func:`~adstxt.store._unchanged.restore_copy`: without its records with
    ``records=False``, whose number then comes second, and without its body with
    ``body=False``); a copy that cannot be read back is checked again.
    """
    from adstxt.fetch import FetchResult

    row = held_row(store, domain, kind, body=body)
    if row is None:
        return None
    served = FetchResult(
        domain=domain,
        kind=cast("FileKind", kind),
        url=row.requested_url,
        final_url=row.final_url,
        status=row.status,
        content_type=row.content_type,
        chain=(),
        fetch_diagnostics=(),
    )
    return restore_copy(store, row, served, records=records, body=body)


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
