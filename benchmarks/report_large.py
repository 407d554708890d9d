"""``adstxt report`` of one large ads.txt file: time, peak memory and page size.

    python benchmarks/report_large.py [--lines 100000] [--max-rows 2000]

Generates (seeded) an ads.txt of ``--lines`` lines: about 70% clean records, 15% with a
misspelt relationship, 10% with a URL for a domain and 5% comments, so about a quarter of
the lines have a finding. It then runs ``python -m adstxt report`` on it as a real process,
once with the default row limit and once with ``--max-rows 0``, and prints the wall-clock
time, the process's peak resident memory and the size of the page written.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generate(path: Path, lines: int) -> None:
    """A seeded ads.txt with findings on about a quarter of its lines."""
    rng = random.Random(1)
    out = []
    for n in range(lines):
        draw = rng.random()
        if draw < 0.70:
            out.append(f"adsys{n % 500}.com, {n}, DIRECT, f08c47fec0942fa0")
        elif draw < 0.85:
            out.append(f"adsys{n % 500}.com, {n}, DIRCT")
        elif draw < 0.95:
            out.append(f"https://adsys{n % 50}.com/, pub-{n}, RESELLER")
        else:
            out.append(f"# comment {n}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def measure(folder: Path, page: Path, max_rows: int) -> tuple[float, float, int]:
    """Seconds, peak memory in MB and page bytes of one ``adstxt report`` process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "adstxt", "report", str(folder), "-o", str(page),
         "--max-rows", str(max_rows)],
        check=True,
        env=env,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, page.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--max-rows", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "site")
        folder.mkdir()
        generate(folder / "ads.txt", args.lines)
        for rows in (args.max_rows, 0):
            seconds, peak, size = measure(folder, Path(tmp, f"report-{rows}.html"), rows)
            print(
                f"{args.lines:,} lines, --max-rows {rows}: {seconds:.1f} s, "
                f"peak {peak:.0f} MB (largest run so far), page {size / 1e6:.1f} MB"
            )


if __name__ == "__main__":
    main()
