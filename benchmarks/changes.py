"""Change events and exports of the crawl store: time against size.

    python benchmarks/changes.py [--sizes 25000 50000 100000 200000] [--repeat 3]

For each size n, two snapshots of one file of n records (over 40 ad systems, 2% of sellers
with both DIRECT and RESELLER lines, a few variables) are built: the new copy has its lines
shuffled, 1% of records removed, 1% added and 1% with a new relationship. It measures, in
CPU time of this process (best of ``--repeat``):

* **derive**: ``derive_changes(old, new)``, and for the old copy against an equal one built
  anew (``same``: no events);
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
            "version": 1,
            "body_id": 1,
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


def _measure(size: int, repeat: int, directory: Path) -> tuple[int, float, float, list[float]]:
    """Events, derive time, time against itself, and export times for one size."""
    old, new = _snapshots(size, seed=size)
    events = len(derive_changes(old, new))
    derive = _best(lambda: derive_changes(old, new), repeat)
    twin = _snapshots(size, seed=size)[0]  # equal to old, built anew as the store would
    same = _best(lambda: derive_changes(old, twin), repeat)
    exports = []
    for output_format in ("csv", "jsonl", "parquet"):
        target = directory / f"records.{output_format}"
        start = time.process_time()
        export("records", _rows(new), output_format, target)
        exports.append(time.process_time() - start)
    return events, derive, same, exports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    header = ("records", "events", "derive s", "same s", "us/rec", "csv s", "jsonl s", "parquet s")
    print(" ".join(f"{name:>9}" for name in header))
    first: float | None = None
    with tempfile.TemporaryDirectory() as directory:
        for size in options.sizes:
            events, derive, same, exports = _measure(size, options.repeat, Path(directory))
            per = derive / size * 1e6
            first = first or per
            cells = [f"{size}", f"{events}", f"{derive:.3f}", f"{same:.3f}", f"{per:.2f}"]
            cells += [f"{seconds:.2f}" for seconds in exports]
            print(
                " ".join(f"{cell:>9}" for cell in cells),
                f"  (time per record {per / first:.2f}x the smallest size's)",
            )


if __name__ == "__main__":
    main()
