"""Audit the ads.txt of many sites at once and write one CSV row per site.

    python examples/audit_domains.py domains.txt --output audit.csv

Each site's file is fetched as crawlers fetch it (root domain, HTTPS then HTTP, the
redirect rules) by ``adstxt.fetch`` (``pip install 'adstxt[fetch]'``), a few sites at a
time. The row says whether a crawler would use the file, how many sellers it authorizes,
and how many problems it has, with the codes to look up. For thousands of sites, resuming
after an interruption and per-domain JSON, use the ``adstxt-crawl`` command instead.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from collections import Counter
from pathlib import Path

from adstxt import Severity
from adstxt.fetch import ConnectTo, Fetcher, FetchResult, parse_connect_to

COLUMNS = ["domain", "outcome", "final_url", "records", "errors", "warnings", "codes"]


def read_domains(path: Path) -> list[str]:
    """One domain per line; blank lines and '#' comments are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [d for d in (line.split("#", 1)[0].strip() for line in lines) if d]


def row(result: FetchResult) -> dict[str, object]:
    """The CSV row for one site."""
    severities = Counter(d.severity for d in result.diagnostics)
    records = len(result.parse_result.records) if result.parse_result else 0
    return {
        "domain": result.domain,
        "outcome": result.outcome,
        "final_url": result.final_url or "",
        "records": records,
        "errors": severities[Severity.ERROR],
        "warnings": severities[Severity.WARNING],
        "codes": " ".join(sorted({d.code for d in result.diagnostics})),
    }


async def audit(
    domains: list[str], concurrency: int, connect_to: list[ConnectTo]
) -> list[FetchResult]:
    """Fetch every site, at most ``concurrency`` at a time, in the order given."""
    slots = asyncio.Semaphore(concurrency)
    async with Fetcher(connect_to=connect_to, timeout=20.0) as fetcher:

        async def one(domain: str) -> FetchResult:
            async with slots:
                return await fetcher.fetch(domain)

        return list(await asyncio.gather(*(one(d) for d in domains)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("domains", type=Path, help="a file with one domain per line")
    parser.add_argument("--output", type=Path, default=Path("adstxt-audit.csv"))
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="HOST:PORT:ADDRESS:PORT",
        help="as curl's option (repeatable)",
    )
    args = parser.parse_args(argv)

    connect_to = [parse_connect_to(spec) for spec in args.connect_to]
    results = asyncio.run(audit(read_domains(args.domains), args.concurrency, connect_to))
    with args.output.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, COLUMNS)
        writer.writeheader()
        writer.writerows(row(result) for result in results)
    usable = sum(1 for result in results if result.outcome == "ok")
    print(f"Audited {len(results)} sites: {usable} serve a usable file. Report: {args.output}")
    return 0 if usable == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
