"""Throughput of adstxt beside a bare-Python floor loop measured in the same run.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--repeat 3]

The floor decodes, splits lines, drops comments and splits and strips fields: the least any
Python ads.txt parser does. Every figure is lines per second, best of ``--repeat`` runs,
with its ratio to the floor.
"""

from __future__ import annotations

import argparse
import io
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import adstxt
from generate import generate


def floor(data: bytes) -> int:
    """The baseline loop."""
    count = 0
    for line in data.decode("utf-8").splitlines():
        cut = line.find("#")
        if cut >= 0:
            line = line[:cut]
        count += len([field.strip() for field in line.split(",")])
    return count


def best(function: Callable[[bytes], object], data: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return min(times)


def stream(data: bytes) -> int:
    return sum(1 for _ in adstxt.iter_parse(io.BytesIO(data), records=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"adstxt {adstxt.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{'file':<14}{'floor':>12}{'parse':>12}{'ratio':>7}{'check':>12}{'ratio':>7}"
          f"{'stream':>12}{'ratio':>7}")
    for size in (int(s) for s in args.sizes.split(",")):
        for dirty in (False, True):
            data = generate(size, dirty=dirty)
            base = size / best(floor, data, args.repeat)
            row = [base]
            for function in (adstxt.parse, adstxt.check, stream):
                rate = size / best(function, data, args.repeat)
                row.append(rate)
            label = f"{size:,} {'dirty' if dirty else 'clean'}"
            print(f"{label:<14}{row[0]:>12,.0f}"
                  + "".join(f"{rate:>12,.0f}{rate / base:>7.2f}" for rate in row[1:]))


if __name__ == "__main__":
    main()
