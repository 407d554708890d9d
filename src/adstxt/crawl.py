"""``adstxt-crawl``: fetch and check the ads.txt (or app-ads.txt) of many sites.

One JSON line per domain goes to the output file as soon as the domain is done, so a crawl
that is stopped can be resumed (``--resume``) without losing or repeating a domain.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from adstxt.fetch import Fetcher, FetchResult

__all__ = ["main"]

#: Outcomes worth another try: the server may answer next time.
_RETRYABLE = frozenset({"timeout", "connection-error", "server-error"})
_CSV_COLUMNS = (
    "source_domain", "file_url", "line", "domain", "account_id", "relationship",
    "certification_authority_id",
)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="adstxt-crawl",
        description="Fetch and check the ads.txt or app-ads.txt of every domain in a file "
                    "(one per line; '#' starts a comment).",
    )
    parser.add_argument("domains", type=Path, help="file of domains ('-' for stdin)")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="JSON Lines file: one line per domain")
    parser.add_argument("--resume", action="store_true",
                        help="skip domains already in the output and append to it")
    parser.add_argument("--records-csv", type=Path, metavar="FILE",
                        help="also write every record, with its source domain, as CSV")
    parser.add_argument("--include-records", action="store_true",
                        help="put each domain's records in its JSON line")
    parser.add_argument("--kind", choices=("ads.txt", "app-ads.txt"), default="ads.txt",
                        help="which file to fetch; for app-ads.txt give developer URLs")
    parser.add_argument("--concurrency", type=int, default=50,
                        help="domains fetched at once (default 50)")
    parser.add_argument("--host-delay", type=float, default=0.0, metavar="SECONDS",
                        help="pause between two requests to one host (they never overlap)")
    parser.add_argument("--retries", type=int, default=2,
                        help="extra tries after a timeout, connection error or 5xx (default 2)")
    parser.add_argument("--backoff", type=float, default=1.0, metavar="SECONDS",
                        help="wait before the first retry, doubled each time (default 1)")
    parser.add_argument("--connect-timeout", type=float, default=5.0, metavar="SECONDS")
    parser.add_argument("--read-timeout", type=float, default=10.0, metavar="SECONDS")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="limit for one whole response (default 30)")
    parser.add_argument("--max-bytes", type=int, default=10 * 1024 * 1024,
                        help="body size limit (default 10 MiB)")
    parser.add_argument("--connect-to", action="append", default=[],
                        metavar="HOST1:PORT1:HOST2:PORT2",
                        help="connect to HOST2:PORT2 instead of HOST1:PORT1 (as curl; "
                             "repeatable; an empty HOST1 or PORT1 matches any)")
    parser.add_argument("--allow-private-addresses", action="store_true",
                        help="also fetch from private, loopback and link-local addresses")
    parser.add_argument("--robots", action="store_true",
                        help="read robots.txt and warn when it blocks the file")
    parser.add_argument("--no-subdomains", action="store_true",
                        help="do not follow SUBDOMAIN= entries")
    parser.add_argument("--user-agent", help="User-Agent header to send")
    parser.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                        help="progress bar on stderr (auto: only on a terminal)")
    args = parser.parse_args(argv)
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    return args


def read_domains(source: TextIO) -> list[str]:
    """Domains in file order, without comments, blank lines or repeats (ignoring case)."""
    seen: set[str] = set()
    domains = []
    for line in source:
        domain = line.split("#", 1)[0].strip()
        key = domain.lower()
        if domain and key not in seen:
            seen.add(key)
            domains.append(domain)
    return domains


def _complete_lines(path: Path) -> list[bytes]:
    """The file's complete lines; a line cut short by a killed run is removed from disk."""
    if not path.exists():
        return []
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end != len(data):
        with path.open("r+b") as handle:
            handle.truncate(end)
    return data[:end].splitlines()


def _done_domains(output: Path) -> set[str]:
    done = set()
    for line in _complete_lines(output):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("domain"), str):
            done.add(entry["domain"].lower())
    return done


def _trim_csv(path: Path, done: set[str]) -> None:
    """Keep only CSV rows of finished domains, so that a resumed crawl never repeats one."""
    lines = _complete_lines(path)
    if not lines:
        return
    kept = [lines[0]]
    for row, raw in zip(csv.reader(x.decode("utf-8") for x in lines[1:]), lines[1:], strict=True):
        if row and row[0].lower() in done:
            kept.append(raw)
    path.write_bytes(b"".join(line + b"\n" for line in kept))


def _entry(domain: str, result: FetchResult, tries: int, records: bool) -> dict[str, Any]:
    parsed = result.parse_result
    counts = Counter(d.code for d in result.diagnostics)
    entry: dict[str, Any] = {
        "domain": domain,
        "outcome": result.outcome,
        "url": result.url or None,
        "final_url": result.final_url,
        "status": result.status,
        "content_type": result.content_type,
        "records": len(parsed.records) if parsed else 0,
        "variables": len(parsed.variables) if parsed else 0,
        "diagnostics": dict(sorted(counts.items())),
        "errors": sum(1 for d in result.diagnostics if d.severity.value == "error"),
        "tries": tries,
        "fresh_until": result.caching.fresh_until.isoformat() if result.caching else None,
        "governs": dict(result.governs),
    }
    if records and parsed:
        entry["record_list"] = [
            [r.domain, r.account_id, r.relationship.value, r.certification_authority_id]
            for r in parsed.records
        ]
    return entry


def _csv_rows(domain: str, result: FetchResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for part in (result, *result.subdomains):
        if part.parse_result is None or part.outcome != "ok":
            continue
        for r in part.parse_result.records:
            writer.writerow((domain, part.final_url, r.line, r.domain, r.account_id,
                             r.relationship.value, r.certification_authority_id or ""))
    return out.getvalue()


class _Progress:
    """A one-line progress bar with rate and ETA, redrawn at most five times a second."""

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.done, self._stream, self._enabled = total, 0, stream, enabled
        self._start = time.monotonic()
        self._drawn = 0.0

    def step(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self._enabled and (now - self._drawn >= 0.2 or self.done == self.total):
            self._drawn = now
            rate = self.done / max(now - self._start, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0.0
            width = 30
            filled = width * self.done // max(self.total, 1)
            self._stream.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                f"{rate:,.0f}/s ETA {eta:,.0f}s "
            )
            self._stream.flush()

    def close(self) -> None:
        if self._enabled:
            self._stream.write("\n")
            self._stream.flush()


async def _fetch_with_retries(
    fetcher: Fetcher, domain: str, args: argparse.Namespace
) -> tuple[FetchResult, int]:
    tries = 0
    while True:
        tries += 1
        result = await fetcher.fetch(domain, kind=args.kind, subdomains=not args.no_subdomains)
        if result.outcome not in _RETRYABLE or tries > args.retries:
            return result, tries
        # Exponential backoff with jitter, so that retries to one struggling host spread out.
        await asyncio.sleep(args.backoff * 2 ** (tries - 1) * random.uniform(0.5, 1.5))


async def _crawl(args: argparse.Namespace, todo: list[str], skipped: int) -> int:
    from adstxt.fetch import Fetcher, parse_connect_to

    options: dict[str, Any] = {
        "connect_to": [parse_connect_to(spec) for spec in args.connect_to],
        "allow_private_addresses": args.allow_private_addresses,
        "connect_timeout": args.connect_timeout, "read_timeout": args.read_timeout,
        "timeout": args.timeout, "max_bytes": args.max_bytes, "robots": args.robots,
        "max_connections": args.concurrency * 2, "host_delay": args.host_delay,
    }
    if args.user_agent:
        options["user_agent"] = args.user_agent
    fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_APPEND | (
        0 if args.resume else os.O_TRUNC), 0o644)
    records_csv = None
    if args.records_csv is not None:
        fresh = not args.resume or not args.records_csv.exists() or (
            args.records_csv.stat().st_size == 0)
        records_csv = args.records_csv.open("w" if fresh else "a", encoding="utf-8", newline="")
        if fresh:
            records_csv.write(",".join(_CSV_COLUMNS) + "\n")
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    progress = _Progress(len(todo), sys.stderr, show)
    outcomes: Counter[str] = Counter()
    totals = Counter[str]()
    started = time.monotonic()
    pending: Iterator[str] = iter(todo)

    async def worker() -> None:
        for domain in pending:
            result, tries = await _fetch_with_retries(fetcher, domain, args)
            entry = _entry(domain, result, tries, args.include_records)
            if records_csv is not None:
                # Records first: a run killed in between leaves rows that --resume drops.
                records_csv.write(_csv_rows(domain, result))
                records_csv.flush()
            # One write() per line: a killed run leaves at most one partial line at the end.
            os.write(fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
            outcomes[entry["outcome"]] += 1
            totals["records"] += entry["records"]
            progress.step()

    try:
        async with Fetcher(**options) as fetcher:
            await asyncio.gather(*(worker() for _ in range(min(args.concurrency, len(todo) or 1))))
    finally:
        os.close(fd)
        if records_csv is not None:
            records_csv.close()
        progress.close()
    _summary(outcomes, totals["records"], time.monotonic() - started, skipped)
    return 0


def _summary(outcomes: Counter[str], records: int, elapsed: float, skipped: int) -> None:
    total = sum(outcomes.values())
    print(f"{'outcome':<20} {'domains':>8} {'share':>7}")
    for outcome, count in sorted(outcomes.items(), key=lambda item: (-item[1], item[0])):
        print(f"{outcome:<20} {count:>8} {count / total:>7.1%}")
    print(f"{'total':<20} {total:>8}")
    rate = total / elapsed if elapsed > 0 else 0.0
    print(f"{elapsed:.1f} s, {rate:,.1f} domains/s, {records:,} records"
          + (f", {skipped} already done" if skipped else ""))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the crawler; exit 0 when every domain was crawled, 2 on bad usage or input."""
    args = _arguments(argv)
    try:
        from adstxt.fetch import parse_connect_to

        for spec in args.connect_to:
            parse_connect_to(spec)
    except ImportError as exc:
        print(f"adstxt-crawl: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"adstxt-crawl: {exc}", file=sys.stderr)
        return 2
    try:
        if str(args.domains) == "-":
            domains = read_domains(sys.stdin)
        else:
            with args.domains.open(encoding="utf-8", errors="replace") as source:
                domains = read_domains(source)
    except OSError as exc:
        print(f"adstxt-crawl: cannot read {args.domains}: {exc.strerror}", file=sys.stderr)
        return 2
    done: set[str] = set()
    if args.resume:
        done = _done_domains(args.output)
        if args.records_csv is not None:
            _trim_csv(args.records_csv, done)
    todo = [d for d in domains if d.lower() not in done]
    try:
        return asyncio.run(_crawl(args, todo, len(domains) - len(todo)))
    except OSError as exc:
        print(f"adstxt-crawl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("adstxt-crawl: interrupted; run again with --resume to continue",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
