"""Change events and exports of the crawl store: time against size.

    python benchmarks/changes.py [--sizes 25000 50000 100000 200000] [--repeat 3]

For each size n, two snapshots of one file of n records (over 40 ad systems, 2% of sellers
with both DIRECT and RESELLER lines, a few variables) are built: the new copy has its lines
shuffled, 1% of records removed, 1% added and 1% with a new relationship. It measures, in
CPU time of this process (best of ``--repeat``):

* **derive**: ``derive_changes(old, new)``, and the same for a copy against itself;
* **export**: the new copy's records through ``export`` as CSV, JSON Lines and Parquet to a
  temporary directory.

Time per record at each size over the smallest shows whether the work is linear (a ratio
near 1.0). Target: two 100k-record snapshots in well under a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from adstxt.store._changes import derive_changes
from adstxt.store._export import export
from adstxt.store._snapshot import FileSnapshot, SnapshotRecord, SnapshotVariable, Verdict


def _snapshots(size: int, seed: int) -> tuple[FileSnapshot, FileSnapshot]:
    rng = random.Random(seed)
    systems = [f"adsystem{i}.com" for i in range(40)]
    records = []
    for number in range(size):
        system = systems[number % len(systems)]
        relationship = "DIRECT" if rng.random() < 0.6 else "RESELLER"
        records.append(SnapshotRecord(system, f"pub-{number:08d}", relationship, None, 0))
        if rng.random() < 0.02:
            records.append(SnapshotRecord(system, f"pub-{number:08d}", "RESELLER", None, 0))
    records = records[:size]
    variables = (
        SnapshotVariable("OWNERDOMAIN", "example.com", 1),
        SnapshotVariable("CONTACT", "adops@example.com", 2),
    )
    new = []
    for record in records:
        roll = rng.random()
        if roll < 0.01:
            continue
        if roll < 0.02:
            flipped = "RESELLER" if record.relationship == "DIRECT" else "DIRECT"
            record = SnapshotRecord(record.ad_system, record.seller_id, flipped, None, 0)
        new.append(record)
    new += [SnapshotRecord("newssp.com", f"n{i}", "DIRECT", None, 0) for i in range(size // 100)]
    rng.shuffle(new)

    def numbered(rows: list[SnapshotRecord]) -> tuple[SnapshotRecord, ...]:
        return tuple(
            SnapshotRecord(r.ad_system, r.seller_id, r.relationship, None, line)
            for line, r in enumerate(rows, start=3)
        )

    return (
        FileSnapshot(numbered(records), variables, Verdict.VALID),
        FileSnapshot(numbered(new), variables, Verdict.VALID),
    )


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def _rows(snapshot: FileSnapshot) -> Iterator[dict[str, object]]:
    at = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
    for record in snapshot.records:
        yield {
            "domain": "example.com",
            "kind": "ads.txt",
            "version_id": 1,
            "current": True,
            "fetched_at": at,
            "url": "https://example.com/ads.txt",
            "sha256": "0" * 64,
            "verdict": "valid",
            "line": record.line,
            "ad_system": record.ad_system,
            "seller_id": record.seller_id,
            "relationship": record.relationship,
            "certification_id": record.certification_id,
            "extension": None,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    print(f"{'records':>8} {'events':>7} {'derive s':>9} {'same s':>8} {'us/rec':>7} "
          f"{'csv s':>7} {'jsonl s':>8} {'parquet s':>10}")  # fmt: skip
    first: float | None = None
    with tempfile.TemporaryDirectory() as directory:
        for size in options.sizes:
            old, new = _snapshots(size, seed=size)
            events = len(derive_changes(old, new))
            derive = _best(lambda: derive_changes(old, new), options.repeat)
            same = _best(lambda: derive_changes(old, old), options.repeat)
            per = derive / size * 1e6
            first = first or per
            exports = [
                _best(
                    lambda f=output_format: export(  # type: ignore[misc]
                        "records", _rows(new), f, Path(directory) / f"r.{f}"
                    ),
                    1,
                )
                for output_format in ("csv", "jsonl", "parquet")
            ]
            print(
                f"{size:>8} {events:>7} {derive:>9.3f} {same:>8.3f} {per:>7.2f} "
                f"{exports[0]:>7.2f} {exports[1]:>8.2f} {exports[2]:>10.2f}"
                f"   (time per record {per / first:.2f}x the smallest size's)"
            )


if __name__ == "__main__":
    main()
