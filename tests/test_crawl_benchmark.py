"""``benchmarks/crawl.py --store-comparison``, whose figures the benchmark notes quote, runs
its crawls to the end and reports what it measured, in a size small enough for a test."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_the_store_comparison_runs_every_crawl_and_reports_both_ratios() -> None:
    domains = 12
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "crawl.py"),
            "--store-comparison",
            "--domains",
            str(domains),
            "--repeat",
            "2",
            "--concurrency",
            "4",
            "--latency",
            "0.01",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # Each round: the first crawl stored every body, and the re-crawl was all 304s.
    assert out.count(f"bodies after the first crawl {domains}, after the re-crawl {domains};") == 2
    assert out.count(f"{domains} fetches answered 304 of {2 * domains}") == 2
    assert out.count(f"(all {domains} still fresh)") == 2
    # The start-up crawls ran.
    startups = re.findall(r"start-up \(a crawl of 8 sites\) ([\d.]+) s and ([\d.]+) s", out)
    assert len(startups) == 2 and all(float(x) > 0 for pair in startups for x in pair)
    summary = out.splitlines()[-2:]
    assert summary[0].startswith("over 2 rounds (min / median / max): store / JSONL only")
    assert re.search(
        r"all-304 re-crawl / first crawl, CPU-bound [\d.]+ / [\d.]+ / [\d.]+x", summary[0]
    )
    assert summary[1].startswith("medians of each crawl's CPU time over the rounds")
    # With a dozen sites a crawl is mostly start-up: what is left of it can come out
    # negative, and a re-crawl no longer than its start-up gives no speed-up at all.
    assert re.search(
        r"beyond start-up .* (-?[\d.]+ / -?[\d.]+ / -?[\d.]+x( \(of 1 rounds\))?|n/a \(.*\))$",
        summary[1],
    )
