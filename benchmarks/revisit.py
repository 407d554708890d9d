"""What the store costs a re-crawl per domain, without the network: a new file, a 304, and a
file still fresh.

    python benchmarks/revisit.py [--domains 2000] [--records 85] [--repeat 5]

``benchmarks/crawl.py --store-comparison`` measures whole crawls, whose CPU time per domain
moves by up to 30% from one round to the next on a shared machine: more than what the
store's part of a 304 is. This script times that part alone, in this process, on a SQLite
file in a temporary directory, with ``--domains`` sites each serving its own file
(``--records`` records and an OWNERDOMAIN line, as in ``crawl.py``):

* new file: ``records_of`` and ``Store.record`` of a 200 with a parsed body (batches of 50,
  as a crawl stores them), the body parsed beforehand;
* 304: what a crawl does around a 304 answer: read the held copy (its validators before the
  request, what it restores after), fill the answer in without its records (as a crawl that
  writes no records CSV does), and store the fetch (batches of 50);
* fresh: read back a still-fresh file's copy, as a crawl does for its JSON line.

Each is timed ``--repeat`` times over every domain (a new store each round); the script
prints the CPU time per domain, min / median / max. It runs against the code before the
held copy was read in one query (commit 2436ca3) too, through that code's functions, so that
the two can be compared in turns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import adstxt
from adstxt.fetch import FetchResult
from adstxt.fetch._caching import Caching
from adstxt.fetch._result import Hop
from adstxt.store import open_store
from adstxt.store._crawling import held_copy
from adstxt.store._record import records_of
from adstxt.store._store import Store

_SYSTEMS = (
    "google.com, pub-%d, DIRECT, f08c47fec0942fa0",
    "pubmatic.com, %d, RESELLER, 5d62403b186f2ace",
    "openx.com, %d, RESELLER, 6a698e2ec38604c6",
    "rubiconproject.com, %d, RESELLER, 0bfd66d529a55807",
    "appnexus.com, %d, RESELLER, f5ab79cb980f11d1",
)
_BATCH = 50


def _body(host: str, records: int) -> bytes:
    seed = sum(host.encode()) * 7919
    lines = ["# benchmark file", f"OWNERDOMAIN={host}"]
    lines += [_SYSTEMS[i % 5] % (seed + i) for i in range(records)]
    return ("\n".join(lines) + "\n").encode()


def _answer(host: str, status: int, when: dt.datetime, body: bytes | None) -> FetchResult:
    """What the fetcher returns for ``host``: HTTPS refused, then HTTP ``status``."""
    url = f"http://{host}/ads.txt"
    parsed = None
    if body is not None:
        parsed = adstxt.parse(body, kind="ads.txt", domain=host)
    return FetchResult(
        domain=host,
        kind="ads.txt",
        url=f"https://{host}/ads.txt",
        final_url=url,
        status=status,
        content_type=None if status == 304 else "text/plain; charset=utf-8",
        chain=(Hop(url, status),),
        fetch_diagnostics=(),
        parse_result=parsed,
        caching=Caching(
            fetched_at=when,
            fresh_until=when + dt.timedelta(days=7),
            source="default",
            etag=f'"{host}"',
        ),
        body=body,
    )


def _stored(store: Store, batch: list[tuple[str, FetchResult]], when: dt.datetime) -> float:
    """Store one batch as a crawl does; the CPU time it took."""
    start = time.process_time()
    store.record(None, [(host, records_of(host, result, when, 0.1)) for host, result in batch])
    return time.process_time() - start


def _restorer(store: Store) -> Callable[[str, FetchResult], FetchResult]:
    """The crawl's work around a 304 of ``host``: the held copy read before the request
    (validators) and filled into the answer after it."""
    try:
        from adstxt.store._unchanged import held_row, restore_held
    except ImportError:  # the code before: validators, then the restore's own query
        from adstxt.store._crawling import validators_for
        from adstxt.store._unchanged import restore_unchanged

        def before(host: str, answer: FetchResult) -> FetchResult:
            validators_for(store, host, "ads.txt")
            return restore_unchanged(store, host, "ads.txt", answer, records=False)[0]

        return before

    def now(host: str, answer: FetchResult) -> FetchResult:
        row = held_row(store, host, "ads.txt", body=False)
        assert row is not None and row.validators is not None
        return restore_held(store, row, answer, records=False, body=False)[0]

    return now


def _fresh(store: Store, host: str) -> FetchResult | None:
    """A still-fresh file's copy, as the crawl reads it back (the code before parsed it
    again, and took no options)."""
    if "records" not in inspect.signature(held_copy).parameters:
        return held_copy(store, host, "ads.txt")  # type: ignore[return-value]
    found = held_copy(store, host, "ads.txt", records=False, body=False)
    return found[0] if found is not None else None


def _round(folder: Path, domains: int, records: int) -> dict[str, float]:
    """One round on a new store. Each batch is made, timed and dropped in turn: a crawl
    holds a few batches at a time, and a heap holding every parse would have each full
    collection of the garbage collector traverse them all."""
    hosts = [f"site{i}.com" for i in range(domains)]
    batches = [hosts[start : start + _BATCH] for start in range(0, domains, _BATCH)]
    when = dt.datetime.now(dt.UTC)
    later = when + dt.timedelta(days=1)
    times = dict.fromkeys(("new file", "304", "fresh"), 0.0)
    store = open_store(folder / "store.sqlite")
    try:
        for batch in batches:
            served = [(host, _answer(host, 200, when, _body(host, records))) for host in batch]
            times["new file"] += _stored(store, served, when)
        restore = _restorer(store)
        for batch in batches:
            answers = [(host, _answer(host, 304, later, None)) for host in batch]
            start = time.process_time()
            filled = [(host, restore(host, answer)) for host, answer in answers]
            times["304"] += time.process_time() - start + _stored(store, filled, later)
            assert all(result.parse_result is not None for _, result in filled)
        for batch in batches:
            start = time.process_time()
            copies = [_fresh(store, host) for host in batch]
            times["fresh"] += time.process_time() - start
            assert all(c is not None and c.parse_result is not None for c in copies)
    finally:
        store.close()
    return {name: took / domains * 1e6 for name, took in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=2000)
    parser.add_argument("--records", type=int, default=85)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rounds = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            rounds.append(_round(Path(tmp), args.domains, args.records))
    print(
        f"Python {sys.version.split()[0]}, {args.domains} domains of {args.records} records, "
        f"{args.repeat} rounds; the store's CPU per domain (min / median / max):"
    )
    for name in rounds[0]:
        values = [r[name] for r in rounds]
        print(
            f"  {name:<9} {min(values):6.0f} / {statistics.median(values):6.0f} / "
            f"{max(values):6.0f} us"
        )


if __name__ == "__main__":
    main()
