"""One crawl, many workers: a named crawl in a PostgreSQL store, worked on by any number of
processes on any number of machines.

:func:`enqueue` registers the crawl in the store (a row of ``crawls``, as every crawl has)
and puts its domains in the work queue; :func:`work_on` joins it and crawls batches claimed
from the queue until none is left. A batch's fetches, bodies, versions and change events are
recorded in the transaction that completes its claims, and only for the claims that are
still this worker's, so a domain is stored once per crawl whichever worker crawled it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from adstxt.store._crawling import analyze_crawl_domains
from adstxt.store._dialect import POSTGRESQL, timestamp
from adstxt.store._postgres import connect
from adstxt.store._queue import (
    Claim,
    CrawlStatus,
    Enqueued,
    Outcome,
    UnknownCrawlError,
    WorkQueue,
)
from adstxt.store._queue_worker import WorkSettings, WorkSummary, work
from adstxt.store._record import FetchRecord, records_of
from adstxt.store._revisit import restore_site
from adstxt.store._store import Store

if TYPE_CHECKING:
    import psycopg

    from adstxt.fetch import Fetcher, FetchResult, Validators

    Connection = psycopg.Connection[Any]

__all__ = [
    "FetchOne",
    "SharedWork",
    "WorkReport",
    "crawl_status",
    "enqueue",
    "validators_of",
    "work_on",
]

#: Fetches one domain (with the crawl's retries): its result and the number of tries.
FetchOne = Callable[["Fetcher", str, "Validators | None"], Awaitable[tuple["FetchResult", int]]]

#: Outcomes that mean the site could not be fetched at all; such a domain counts as failed.
_FAILED = frozenset({"timeout", "connection-error", "server-error"})


@attrs.frozen
class SharedWork:
    """How this worker takes part in a shared crawl."""

    url: str
    name: str
    kind: str
    concurrency: int = 50
    host_delay: float = 0.0
    settings: WorkSettings = attrs.field(factory=WorkSettings)
    #: Whether the files of a site's ``SUBDOMAIN=`` lines are fetched too.
    subdomains: bool = True


@attrs.frozen
class WorkReport:
    """What this worker did, for its summary."""

    summary: WorkSummary
    outcomes: Mapping[str, int]
    records: int
    seconds: float
    stopped: bool


def enqueue(
    url: str,
    name: str,
    kind: str,
    domains: Sequence[str],
    options: Mapping[str, Any],
    *,
    refresh: bool = False,
) -> tuple[Enqueued, int]:
    """Create the crawl ``name`` (or add to it the domains it lacks); return what was
    enqueued and how many of its domains were marked done as still fresh.

    The store's crawl row, its list of domains and the queue's are written in one
    transaction: a crawl is in the store and in the queue, or in neither.
    """
    unique = list(dict.fromkeys(domain.lower() for domain in domains))
    with _open(url) as store:
        queue = WorkQueue(store.connection)
        with store.transaction():
            enqueued = queue.enqueue(name, unique)
            crawl_id = _store_crawl_id(store.connection, enqueued.crawl.id)
            fresh: list[str] = []
            if crawl_id is None:
                crawl_id = store.start_crawl(kind, {**options, "shared": name}, unique)
                store.connection.execute(
                    "UPDATE queue_crawls SET store_crawl_id = %s WHERE id = %s",
                    (crawl_id, enqueued.crawl.id),
                )
                fresh = [] if refresh else store.skip_fresh(crawl_id, kind)
            elif enqueued.added:
                _add_to_store_crawl(store, crawl_id, enqueued.crawl.id)
            if fresh:
                store.connection.execute(
                    "UPDATE queue_domains SET state = 'done', finished_at = clock_timestamp() "
                    "WHERE crawl_id = %s AND domain = ANY(%s) AND state = 'waiting'",
                    (enqueued.crawl.id, fresh),
                )
        if enqueued.added:
            # Fresh statistics: without them the planner takes the few rows it last saw for
            # the whole crawl and marks each finished domain done by scanning every open one.
            store.connection.execute("ANALYZE queue_domains")
            analyze_crawl_domains(store)
    return enqueued, len(fresh)


def _open(url: str, *, create: bool = True) -> Store:
    from adstxt.store import open_store

    return open_store(url, create=create)


def _store_crawl_id(connection: Connection, queue_crawl: int) -> int | None:
    row = connection.execute(
        "SELECT store_crawl_id FROM queue_crawls WHERE id = %s", (queue_crawl,)
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _add_to_store_crawl(store: Store, crawl_id: int, queue_crawl: int) -> None:
    """List in the store's crawl the domains the queue's crawl gained since it began."""
    store.connection.execute(
        """
        INSERT INTO crawl_domains (crawl_id, position, domain)
        SELECT %(crawl)s, (SELECT coalesce(max(position), -1) FROM crawl_domains
                           WHERE crawl_id = %(crawl)s) + row_number() OVER (ORDER BY q.position),
               q.domain
        FROM queue_domains q
        WHERE q.crawl_id = %(queue)s AND NOT EXISTS (
            SELECT 1 FROM crawl_domains c WHERE c.crawl_id = %(crawl)s AND c.domain = q.domain)
        """,
        {"crawl": crawl_id, "queue": queue_crawl},
    )
    store.connection.execute(
        "UPDATE crawls SET domains = (SELECT count(*) FROM crawl_domains WHERE crawl_id = %s) "
        "WHERE id = %s",
        (crawl_id, crawl_id),
    )


def crawl_kind(url: str, name: str) -> str | None:
    """The kind of file the crawl ``name`` fetches; None when there is no such crawl yet."""
    with _open(url) as store:
        try:
            crawl = WorkQueue(store.connection).crawl(name)
        except UnknownCrawlError:
            return None
        crawl_id = _store_crawl_id(store.connection, crawl.id)
        if crawl_id is None:
            return None
        row = store.connection.execute(
            "SELECT kind FROM crawls WHERE id = %s", (crawl_id,)
        ).fetchone()
    return None if row is None else str(row[0])


def crawl_status(url: str, name: str) -> CrawlStatus:
    """Progress of the crawl ``name``; :class:`UnknownCrawlError` when there is none."""
    with _open(url, create=False) as store:
        return WorkQueue(store.connection).status(name)


def finish(url: str, name: str) -> None:
    """Close the store's crawl once the queue has no domain left (the last worker out does),
    with the number of its domains by outcome."""
    with _open(url, create=False) as store, store.transaction():
        queue = WorkQueue(store.connection)
        crawl = queue.crawl(name)
        crawl_id = _store_crawl_id(store.connection, crawl.id)
        if crawl_id is None or not queue.open_work(crawl).finished:
            return
        store.connection.execute(
            "UPDATE crawls SET finished_at = %s, state = 'finished', counts = %s "
            "WHERE id = %s AND state <> 'finished'",
            (timestamp(), _counts(store, crawl_id), crawl_id),
        )


def _counts(store: Store, crawl_id: int) -> str:
    """The crawl's domains by outcome, as every crawl records them."""
    rows = store.connection.execute(
        "SELECT f.outcome, count(*) FROM crawl_domains c JOIN fetches f ON f.id = c.done_fetch_id "
        "WHERE c.crawl_id = %s GROUP BY f.outcome",
        (crawl_id,),
    ).fetchall()
    return json.dumps({str(outcome): int(count) for outcome, count in rows}, sort_keys=True)


class _Reader:
    """The store as the crawl reads it (held copies, validators), reopened when its
    connection drops."""

    def __init__(self, url: str, settings: WorkSettings) -> None:
        self._url = url
        self._settings = settings
        self.store = _open(url)

    def call(self, read: Callable[[Store], Any]) -> Any:
        from psycopg import OperationalError

        failures = 0
        while True:
            try:
                return read(self.store)
            except OperationalError:
                if not self.store.connection.broken or failures >= self._settings.reconnects:
                    raise
                failures += 1
                time.sleep(self._settings.reconnect_wait * failures)
                with contextlib.suppress(OperationalError):
                    self.store.close()
                    self.store = _open(self._url)

    def close(self) -> None:
        self.store.close()


class _Turns:
    """Per-host turns asked of the database, so that ``--host-delay`` holds across workers."""

    def __init__(self, url: str, delay: float) -> None:
        self._url = url
        self._delay = delay
        self._queue: WorkQueue | None = None

    async def wait(self, host: str) -> None:
        if self._delay <= 0:
            return
        while True:
            turn = await asyncio.to_thread(self._ask, host)
            if turn is None or turn.granted:
                return
            await asyncio.sleep(turn.wait)

    def _ask(self, host: str) -> Any:
        from psycopg import OperationalError

        try:
            if self._queue is None:
                self._queue = WorkQueue(connect(self._url, application_name="adstxt turns"))
            return self._queue.host_turn(host, self._delay)
        except OperationalError:
            # The server is away: this worker's own delay (the fetcher's) still holds, and
            # the next ask reconnects.
            self.close()
            return None

    def close(self) -> None:
        if self._queue is not None:
            with contextlib.suppress(Exception):
                self._queue.connection.close()
            self._queue = None


def work_on(
    shared: SharedWork,
    fetcher_options: Mapping[str, Any],
    fetch_one: FetchOne,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    report: Callable[[str, int], None] = lambda outcome, records: None,
) -> WorkReport:
    """Join the crawl and work on it until no domain is waiting or claimed (or until
    ``should_stop``); ``report(outcome, records)`` is called for each domain stored."""
    from adstxt.fetch import Fetcher

    reader = _Reader(shared.url, shared.settings)
    turns = _Turns(shared.url, shared.host_delay)
    loop = asyncio.new_event_loop()
    fetcher = Fetcher(**fetcher_options)
    outcomes: Counter[str] = Counter()
    records_total = 0
    crawled: dict[str, tuple[str, Sequence[FetchRecord], int]] = {}
    inflight: dict[str, tuple[Claim, asyncio.Task[None]]] = {}
    started = time.monotonic()
    try:
        queue = WorkQueue(reader.store.connection)
        crawl_id = _store_crawl_id(reader.store.connection, queue.crawl(shared.name).id)
        loop.run_until_complete(fetcher.__aenter__())

        known: dict[str, Validators] = {}
        # ``inflight``: the claims being fetched, some carried over from an earlier batch: a
        # slow site holds its own lane, never the batch it came with.
        gate = asyncio.Semaphore(shared.concurrency)
        # A batch is handed back for completion once this few of its domains (and earlier
        # ones) are left, so that the next batch's claims fill the lanes freed.
        allowance = max(0, shared.concurrency - shared.settings.batch)

        async def one(domain: str) -> None:
            async with gate:
                validators = known.pop(domain, None)
                await turns.wait(domain)
                begun, clock = dt.datetime.now(dt.UTC), time.monotonic()
                result, _ = await fetch_one(fetcher, domain, validators)
                duration = time.monotonic() - clock
            # Only the number of records is reported: a 304's are not read back.
            unread: dict[str, int] = {}
            result = await restore_site(
                fetcher,
                reader.call,
                domain,
                shared.kind,
                result,
                records=False,
                body=False,
                subdomains=shared.subdomains,
                counts=unread,
            )
            records = sum(
                unread.get(part.final_url or part.url, len(part.parse_result.records))
                for part in (result, *result.subdomains)
                if part.parse_result is not None and part.outcome == "ok"
            )
            crawled[domain] = (result.outcome, records_of(domain, result, begun, duration), records)

        async def advance(claims: Sequence[Claim]) -> None:
            for claim in claims:
                inflight[claim.domain] = (claim, asyncio.ensure_future(one(claim.domain)))
            # With no new claims, everything in hand is finished.
            left = allowance if claims else 0
            while True:
                running = [task for _, task in inflight.values() if not task.done()]
                if len(running) <= left:
                    return
                await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)

        def process(claims: Sequence[Claim]) -> Sequence[Outcome]:
            known.update(
                reader.call(
                    lambda store: validators_of(store, [c.domain for c in claims], shared.kind)
                )
            )
            loop.run_until_complete(advance(claims))
            finished = [(c, t) for c, t in inflight.values() if t.done()]
            outcomes = []
            for claim, task in finished:
                del inflight[claim.domain]
                task.result()  # a failure of the crawl itself stops the worker
                outcomes.append(
                    Outcome.of(claim, crawled[claim.domain][0] if _failed(claim, crawled) else None)
                )
            return outcomes

        def in_hand() -> Sequence[Claim]:
            return [claim for claim, _ in inflight.values()]

        stores: dict[int, Store] = {}

        def record(connection: Connection, accepted: Sequence[Outcome]) -> None:
            nonlocal records_total
            # A Store over the queue's connection: its writes join the completing transaction.
            store = stores.get(id(connection))
            if store is None:
                stores.clear()
                store = stores[id(connection)] = Store(connection, POSTGRESQL, reader.store.where)
            # Pipelined: statements whose answers the store does not read go out without
            # waiting for the ones before, which on a network is most of a batch's time.
            with connection.pipeline():
                store.record(crawl_id, [(o.domain, crawled[o.domain][1]) for o in accepted])
            for outcome in accepted:
                outcome_class, _, records = crawled.pop(outcome.domain)
                outcomes[outcome_class] += 1
                records_total += records
                report(outcome_class, records)

        summary = work(
            lambda: connect(shared.url, application_name="adstxt worker"),
            shared.name,
            process,
            settings=shared.settings,
            record=record,
            should_stop=should_stop,
            held=in_hand,
        )
    finally:
        # Stopped with sites still being fetched: their claims went back to the queue.
        for _, task in inflight.values():
            task.cancel()
        # Gathered only when there are some: gather() of nothing outside a running loop
        # would make (and leak) a loop of its own.
        if inflight:
            with contextlib.suppress(Exception):
                loop.run_until_complete(
                    asyncio.gather(*(task for _, task in inflight.values()), return_exceptions=True)
                )
        with contextlib.suppress(Exception):
            loop.run_until_complete(fetcher.__aexit__(None, None, None))
        loop.close()
        turns.close()
        reader.close()
    stopped = should_stop()
    if not stopped:
        finish(shared.url, shared.name)
    return WorkReport(summary, dict(outcomes), records_total, time.monotonic() - started, stopped)


def validators_of(store: Store, domains: Sequence[str], kind: str) -> dict[str, Validators]:
    """The validators of the copies held for ``domains``' files (as
    :func:`~adstxt.store._crawling.validators_for` gives them), asked in one query."""
    from adstxt.fetch import Validators

    rows = store.connection.execute(
        "SELECT domain, etag, last_modified FROM files WHERE kind = %s AND domain = ANY(%s) "
        "AND sha256 IS NOT NULL AND (etag IS NOT NULL OR last_modified IS NOT NULL)",
        (kind, list(domains)),
    ).fetchall()
    return {str(domain): Validators(etag, modified) for domain, etag, modified in rows}


def _failed(claim: Claim, crawled: Mapping[str, tuple[str, Sequence[FetchRecord], int]]) -> bool:
    return crawled[claim.domain][0] in _FAILED
