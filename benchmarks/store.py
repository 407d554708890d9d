"""The crawl store at scale: ``adstxt history`` and ``adstxt diff`` on a large store.

    python benchmarks/store.py [--domains 100000] [--crawls 10] [--changed 0.1] [--store PATH]

Builds a store of ``--domains`` domains fetched ``--crawls`` times straight through the
store API (no network): every domain has its own file of 15 to 40 records; on each later
crawl a share ``--changed`` of the files change (a record dropped, one added, one
relationship flipped), 3% fail with a 5xx, 1% answer 404 and the rest answer 304. Then it
times ``history`` and ``diff`` (the commands' own code, output included, in this process)
for 300 random domains (after one call of each that is not counted: it imports what the
command needs) and prints the median, the 90th percentile and the spread, and the store's
size on disk. ``--store`` reuses a store built earlier (it is built when missing).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import attrs

import adstxt
from adstxt.model import ParseResult, Record, Relationship, Variable
from adstxt.store import FetchRecord, open_store
from adstxt.store._cli import diff_main, history_main

SYSTEMS = (
    "google.com",
    "pubmatic.com",
    "openx.com",
    "rubiconproject.com",
    "appnexus.com",
    "indexexchange.com",
    "sovrn.com",
    "triplelift.com",
    "sharethrough.com",
    "33across.com",
)


def _file(domain: str, version: int) -> tuple[bytes, ParseResult]:
    """A domain's file at ``version``, and what the checker makes of it.

    The parse result is built directly, as the checker would return it for this clean
    text: parsing 190,000 files would time the checker, not the store.
    """
    lines = [f"# ads.txt of {domain}", f"OWNERDOMAIN={domain}", f"CONTACT=ads@{domain}"]
    variables = [
        Variable("OWNERDOMAIN", domain, line=2),
        Variable("CONTACT", f"ads@{domain}", line=3),
    ]
    records = []
    count = 15 + int(domain[4:10]) % 26
    for n in range(count):
        if version and n == (version * 7) % count:
            continue  # dropped in this version
        relationship = "RESELLER" if (n + (version if n == 3 else 0)) % 2 else "DIRECT"
        lines.append(f"{SYSTEMS[n % 10]}, {domain[:10]}-{n}, {relationship}")
        records.append(
            Record(
                SYSTEMS[n % 10], f"{domain[:10]}-{n}", Relationship(relationship), line=len(lines)
            )
        )
    if version:
        lines.append(f"newssp.com, {domain[:10]}-v{version}, RESELLER")
        records.append(
            Record(
                "newssp.com", f"{domain[:10]}-v{version}", Relationship.RESELLER, line=len(lines)
            )
        )
    text = "\n".join(lines) + "\n"
    parsed = attrs.evolve(_TEMPLATE, records=tuple(records), variables=tuple(variables), text=text)
    return text.encode(), parsed


_TEMPLATE = adstxt.parse("x.com, 1, DIRECT\n")


def _stamp(crawl: int, n: int) -> str:
    day = 1 + crawl
    return f"2026-11-{day:02d}T{(n // 3600) % 24:02d}:{(n // 60) % 60:02d}:{n % 60:02d}.000000Z"


def _record(
    domain: str,
    at: str,
    file: tuple[bytes, ParseResult] | None,
    *,
    status: int,
    outcome: str,
    unchanged: bool,
) -> FetchRecord:
    body, parsed = file if file is not None else (None, None)
    return FetchRecord(
        domain=domain,
        kind="ads.txt",
        requested_url=f"https://{domain}/ads.txt",
        chain=f'[["https://{domain}/ads.txt", {status}, null]]',
        final_url=f"https://{domain}/ads.txt",
        status=status,
        etag=f'"{hash(body)}"',
        last_modified=None,
        cache_control="max-age=86400",
        expires=None,
        content_type="text/plain; charset=utf-8",
        started_at=at,
        duration_ms=120,
        outcome=outcome,
        error=None if outcome == "ok" else f"answers {status}",
        body=body,
        parse_result=parsed,
        unchanged=unchanged,
        fresh_until=at,
    )


def build(path: Path, domains: int, crawls: int, changed: float) -> None:
    rng = random.Random(17)
    names = [f"site{i:06d}.example" for i in range(domains)]
    versions = dict.fromkeys(names, 0)
    started = time.perf_counter()
    with open_store(path) as store:
        for crawl in range(crawls):
            crawl_id = store.start_crawl("ads.txt", {"benchmark": True}, names)
            batch = []
            for n, domain in enumerate(names):
                at = _stamp(crawl, n)
                roll = rng.random()
                if crawl == 0 or roll < changed:
                    if crawl:
                        versions[domain] += 1
                    item = _record(
                        domain,
                        at,
                        _file(domain, versions[domain]),
                        status=200,
                        outcome="ok",
                        unchanged=False,
                    )
                elif roll < changed + 0.03:
                    item = _record(
                        domain, at, None, status=503, outcome="server-error", unchanged=False
                    )
                elif roll < changed + 0.04:
                    item = _record(
                        domain, at, None, status=404, outcome="not-found", unchanged=False
                    )
                else:
                    item = _record(domain, at, None, status=304, outcome="ok", unchanged=True)
                batch.append((domain, [item]))
                if len(batch) == 500:
                    store.record(crawl_id, batch)
                    batch = []
            if batch:
                store.record(crawl_id, batch)
            store.finish_crawl(crawl_id, "finished", {})
            print(
                f"  crawl {crawl + 1}/{crawls} stored, {time.perf_counter() - started:,.0f} s",
                file=sys.stderr,
            )


def _time(call: object, argv: list[str]) -> float:
    sink = io.StringIO()
    begin = time.perf_counter()
    with contextlib.redirect_stdout(sink):
        status = call(argv)  # type: ignore[operator]
    elapsed = time.perf_counter() - begin
    assert status == 0, (argv, status)
    return elapsed * 1000


def _report(name: str, times: list[float]) -> None:
    times.sort()
    print(
        f"{name:<10} median {statistics.median(times):6.2f} ms  p90 "
        f"{times[int(len(times) * 0.9)]:6.2f} ms  min {times[0]:6.2f} ms  max {times[-1]:6.2f} ms"
        f"  (n={len(times)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--domains", type=int, default=100_000)
    parser.add_argument("--crawls", type=int, default=10)
    parser.add_argument("--changed", type=float, default=0.1)
    parser.add_argument("--store", type=Path)
    args = parser.parse_args()
    path = args.store or Path(tempfile.mkdtemp()) / "bench.sqlite"
    if not path.exists():
        began = time.perf_counter()
        build(path, args.domains, args.crawls, args.changed)
        print(f"built in {time.perf_counter() - began:,.0f} s")
    with open_store(path) as store:
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fetches = store._rows("SELECT COUNT(*) FROM fetches")[0][0]
        bodies, size = store._rows("SELECT COUNT(*), SUM(size) FROM bodies")[0]
        events = store._rows("SELECT COUNT(*) FROM changes")[0][0]
        domains = store._rows("SELECT COUNT(*) FROM files")[0][0]
    on_disk = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(
        f"store: {domains:,} domains, {fetches:,} fetches, {bodies:,} bodies "
        f"({size / 1e6:,.0f} MB uncompressed), {events:,} change events"
    )
    print(
        f"size on disk: {on_disk / 1e6:,.0f} MB ({on_disk / max(fetches, 1):,.0f} bytes per fetch)"
    )
    rng = random.Random(5)
    sample = [f"site{rng.randrange(domains):06d}.example" for _ in range(300)]
    store_option = ["--store", str(path)]
    for name, call, extra in (
        ("history", history_main, []),
        ("history-j", history_main, ["--output-format", "json"]),
        ("diff", diff_main, []),
        ("diff-text", diff_main, ["--text"]),
    ):
        # One call first, not counted: the command's first run in this process imports
        # what it lazily needs (a user's run pays that in the process's start-up).
        _time(call, [sample[0], *store_option, *extra])
        times = [_time(call, [domain, *store_option, *extra]) for domain in sample]
        _report(name, times)
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
