"""``adstxt-crawl``: fetch and check the ads.txt (or app-ads.txt) of many sites.

One JSON line per domain goes to the output file as soon as the domain is done, so a crawl
that is stopped can be resumed (``--resume``) without losing or repeating a domain.

With a store (``--store``; ``adstxt crawl`` keeps one in ``adstxt.sqlite`` unless told
``--no-store``), every fetch, body, version and change goes into it a batch at a time,
re-crawls ask with the held copy's validators and skip files still fresh, and the store is
what ``--resume`` trusts: a domain is done once its batch is committed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import datetime as dt
import errno
import functools
import io
import json
import math
import os
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

if sys.platform != "win32":
    import fcntl

from adstxt._crawl_collector import collector_for_crawling
from adstxt._process_exit import skip_final_collection
from adstxt._progress import Progress as _Progress
from adstxt._report import escape
from adstxt.diagnostics import count_by_code

if TYPE_CHECKING:
    import ssl
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from adstxt.fetch import Fetcher, FetchResult, Validators
    from adstxt.model import Record
    from adstxt.store import Store
    from adstxt.store._crawling import BatchWriter
    from adstxt.store._unchanged import HeldRow, HeldTally

__all__ = ["main"]

#: Domains in flight per worker process that the default --processes aims at.
_IN_FLIGHT_PER_PROCESS = 100
#: Outcomes worth another try: the server may answer next time.
#: Seconds that worker processes have to stop once asked, before they are terminated.
_STOP_GRACE = 5.0
_RETRYABLE = frozenset({"timeout", "connection-error", "server-error"})
# json.dumps with any option builds a new encoder per call; one line per domain reuses this.
_JSON = json.JSONEncoder(ensure_ascii=False)
#: The store ``adstxt crawl`` writes when told nothing (adstxt.store.DEFAULT_STORE).
_DEFAULT_STORE = "adstxt.sqlite"
_CSV_COLUMNS = (
    "source_domain",
    "file_url",
    "line",
    "domain",
    "account_id",
    "relationship",
    "certification_authority_id",
    "outcome",
    "verdict",
)


def _parser(prog: str = "adstxt-crawl") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Fetch and check the ads.txt or app-ads.txt of every domain in a file "
        "(one per line; '#' starts a comment).",
    )
    parser.add_argument(
        "domains",
        type=Path,
        nargs="?",
        help="file of domains ('-' for stdin); or use --apps; not with --join or --status",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="JSON Lines file: one line per domain (required by adstxt-crawl without --store)",
    )
    parser.add_argument(
        "--store",
        metavar="PATH|URL",
        help="keep every fetch, body, version and change in this SQLite store, or in the "
        "PostgreSQL database at a postgresql:// URL (default: "
        f"{_DEFAULT_STORE} in the working directory when run as a subcommand of adstxt, "
        "none for adstxt-crawl); re-crawls send conditional requests and skip fresh files",
    )
    parser.add_argument(
        "--no-store", action="store_true", help="write no store (the adstxt subcommand writes one)"
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="with a store, fetch files whose held copy is still fresh too",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace an output file that already holds results"
    )
    parser.add_argument(
        "--resume", action="store_true", help="skip domains already in the output and append to it"
    )
    parser.add_argument(
        "--records-csv",
        type=Path,
        metavar="FILE",
        help="also write every record, with its source domain, as CSV",
    )
    parser.add_argument(
        "--include-records", action="store_true", help="put each domain's records in its JSON line"
    )
    parser.add_argument(
        "--kind",
        choices=("ads.txt", "app-ads.txt"),
        help="which file to fetch (default: ads.txt; app-ads.txt with --apps); for "
        "app-ads.txt give developer URLs",
    )
    parser.add_argument(
        "--concurrency", type=int, default=50, help="domains fetched at once (default 50)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        help="worker processes sharing the domains and the concurrency "
        f"(default: one per {_IN_FLIGHT_PER_PROCESS} of --concurrency, "
        "up to the number of CPUs)",
    )
    parser.add_argument(
        "--host-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="pause between two requests to one host (they never overlap)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help="extra tries after a timeout, connection error or 5xx (default 2)",
    )
    parser.add_argument(
        "--backoff",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="wait before the first retry, doubled each time (default 1)",
    )
    parser.add_argument(
        "--connect-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="limit for resolving and connecting, TLS included (default 5)",
    )
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="longest wait for the next bytes (default 10)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="time limit for one try at a domain: HTTPS, then HTTP, every "
        "redirect; each SUBDOMAIN file has its own (default 30)",
    )
    parser.add_argument(
        "--max-bytes", type=int, default=10 * 1024 * 1024, help="body size limit (default 10 MiB)"
    )
    parser.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="HOST1:PORT1:HOST2:PORT2",
        help="connect to HOST2:PORT2 whenever HOST1:PORT1 is asked for, as curl "
        "does (repeatable; an empty HOST1 or PORT1 matches any)",
    )
    parser.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="also fetch from private, loopback and link-local addresses",
    )
    parser.add_argument(
        "--robots", action="store_true", help="read robots.txt and warn when it blocks the file"
    )
    parser.add_argument(
        "--no-subdomains", action="store_true", help="do not follow SUBDOMAIN= entries"
    )
    parser.add_argument(
        "--mirror",
        type=Path,
        metavar="DIR",
        help="also keep every fetched file in DIR, laid out for lookups "
        "('adstxt authorized --source DIR'): DIR/<domain>/ads.txt (or "
        "app-ads.txt), then the sellers.json of every ad system the files "
        "name, as DIR/<ad-system domain>/sellers.json",
    )
    parser.add_argument(
        "--no-mirror-sellers",
        action="store_true",
        help="with --mirror, do not fetch the ad systems' sellers.json files",
    )
    parser.add_argument(
        "--sellers",
        action="store_true",
        help="with a store, then fetch the sellers.json of every ad system the crawled "
        "files name (once each), keep it in the store with its history, and check the "
        "crawl's records against it, one report per sellers.json",
    )
    parser.add_argument(
        "--sellers-report",
        type=Path,
        metavar="FILE",
        help="with --sellers, also write the checks as JSON Lines to FILE: one line per "
        "sellers.json, with the seller IDs found not listed, in another case, with the "
        "wrong seller type or confidential",
    )
    parser.add_argument("--user-agent", help="User-Agent header to send")
    _shared_options(parser)
    parser.add_argument(
        "--apps",
        type=Path,
        metavar="FILE",
        help="crawl the app-ads.txt of the apps in FILE instead of a file of domains "
        "(one app per line: package name, App Store ID, STORE:ID or store URL; '-' for "
        "stdin): each is resolved through its store listing to its developer's domain, "
        "which is then crawled; the mapping goes into each JSON line ('apps'), into "
        "the store with its history, and, with --mirror, into DIR/apps.jsonl",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="with --apps, keep the stores' answers in DIR/apps/ between runs",
    )
    from adstxt._lookup_options import add_store_options

    add_store_options(parser)
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress bar on stderr (auto: only on a terminal)",
    )
    return parser


def _shared_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("crawls shared by many workers")
    group.add_argument(
        "--crawl",
        dest="crawl_name",
        metavar="NAME",
        help="enqueue the domains as the crawl NAME in the PostgreSQL --store, then work on it",
    )
    group.add_argument(
        "--join", metavar="NAME", help="work on the crawl NAME until no domain is left"
    )
    group.add_argument(
        "--status",
        metavar="NAME",
        help="show the crawl NAME: domains done, claimed, waiting, failed; each worker's rate",
    )
    group.add_argument(
        "--lease",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="how long a claimed batch stays this worker's without news from it (default 300)",
    )
    group.add_argument(
        "--batch",
        type=int,
        default=20,
        metavar="N",
        help="domains a worker claims at a time, when that many of its --concurrency "
        "are free (default 20)",
    )
    group.add_argument(
        "--output-format",
        choices=("text", "json"),
        default="text",
        help="of --status (default text)",
    )


def _check_shared(parser: argparse.ArgumentParser, args: argparse.Namespace, given: bool) -> None:
    """Usage errors of --crawl, --join and --status; ``given``: --processes was given."""
    modes = [flag for flag, value in (("--crawl", args.crawl_name), ("--join", args.join),
             ("--status", args.status)) if value is not None]  # fmt: skip
    if not modes:
        return
    if len(modes) > 1:
        parser.error(f"{' and '.join(modes)} cannot be used together")
    if not (args.crawl_name or args.join or args.status):
        parser.error(f"{modes[0]} needs a name: the name of the shared crawl")
    if args.store is None or not args.store.startswith(("postgresql://", "postgres://")):
        parser.error(f"{modes[0]} needs a PostgreSQL store: --store postgresql://USER@HOST/DB")
    if (args.domains is None) == (args.crawl_name is not None):
        parser.error(
            "--crawl needs the file of domains"
            if args.crawl_name is not None
            else f"{modes[0]} takes no file of domains"
        )
    for flag, value in (("-o", args.output), ("--records-csv", args.records_csv),
                        ("--apps", args.apps),
                        ("--mirror", args.mirror), ("--resume", args.resume or None),
                        ("--processes", given or None),
                        ("--include-records", args.include_records or None),
                        ("--sellers", args.sellers or None),
                        ("--sellers-report", args.sellers_report)):  # fmt: skip
        if value is not None:
            parser.error(
                f"{flag} cannot be used with {modes[0]}: a shared crawl keeps its results in "
                "the store (and runs one worker per command: start more with --join)"
            )
    if not math.isfinite(args.lease) or args.lease <= 0:
        parser.error(f"--lease must be a number of seconds above 0, not {args.lease:g}")
    if args.batch < 1:
        parser.error("--batch must be at least 1")


def _arguments(argv: Sequence[str] | None, prog: str = "adstxt-crawl") -> argparse.Namespace:
    parser = _parser(prog)
    args = parser.parse_args(argv)
    _check_shared(parser, args, args.processes is not None)
    # adstxt-crawl writes nothing its users did not ask for; the subcommand keeps a store.
    if args.no_store:
        if args.store is not None:
            parser.error("--store and --no-store contradict each other")
    elif args.store is None and prog.endswith(" crawl"):
        args.store = _DEFAULT_STORE
    if args.output is None and args.store is None:
        parser.error("the following arguments are required: -o/--output")
    if args.store is None and args.refresh:
        parser.error("--refresh needs a store (--store)")
    if args.store is None and args.sellers:
        parser.error("--sellers needs a store (--store)")
    if args.sellers_report is not None and not args.sellers:
        parser.error("--sellers-report needs --sellers")
    args.crawl_id = None
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    for flag, seconds, least in (
        ("--connect-timeout", args.connect_timeout, None),
        ("--read-timeout", args.read_timeout, None),
        ("--timeout", args.timeout, None),
        ("--host-delay", args.host_delay, 0.0),
        ("--backoff", args.backoff, 0.0),
    ):
        # nan and inf pass float(); a zero time limit would fail every fetch.
        if not math.isfinite(seconds) or (seconds < least if least is not None else seconds <= 0):
            parser.error(
                f"{flag} must be a number of seconds "
                f"{'above 0' if least is None else 'of at least 0'}, not {seconds:g}"
            )
    if args.retries < 0:
        parser.error("--retries must be at least 0")
    if args.max_bytes < 1:
        parser.error("--max-bytes must be at least 1")
    shared = args.crawl_name or args.join or args.status
    if (args.domains is None) == (args.apps is None) and not shared:
        parser.error("give a file of domains, or --apps FILE (not both)")
    if args.apps is None and args.cache_dir is not None:
        parser.error("--cache-dir needs --apps")
    # A shared crawl's workers take its kind unless told one (which must then agree).
    args.kind_given = args.kind is not None
    if args.apps is None:
        args.kind = args.kind or "ads.txt"
    else:
        if args.kind not in (None, "app-ads.txt"):
            parser.error(f"--apps crawls app-ads.txt: it cannot be used with --kind {args.kind}")
        args.kind = "app-ads.txt"
        args.resolver = _app_resolver(args, parser)
    if args.processes is None:
        args.processes = _default_processes(args.concurrency, _usable_cpus())
    elif args.processes < 1:
        parser.error("--processes must be at least 1")
    return args


def _app_resolver(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Any:
    """The store resolver of ``--apps``, from the store and connection options."""
    from adstxt._lookup_options import make_resolver

    return make_resolver(args, parser, args.cache_dir)


def _resolve_apps(args: argparse.Namespace, lines: list[str]) -> list[str]:
    """Resolve the apps of ``--apps``; the developer hosts to crawl, in file order.

    Sets ``args.apps_by_domain`` (host to the apps it serves) for the JSON lines and, with
    ``--mirror``, writes every resolution to ``DIR/apps.jsonl``.
    """
    from adstxt._lookup_options import read_ids

    resolver = args.__dict__.pop("resolver")  # not needed by (nor sent to) the workers
    # One record per app, however many times and in whichever forms the file names it.
    found = list({r.key: r for r in resolver.resolve(read_ids(lines))}.values())
    by_host: dict[str, list[str]] = {}
    for resolution in found:
        if resolution.resolved:
            by_host.setdefault(resolution.app_ads_hosts[0], []).append(resolution.key)
        else:
            print(
                "adstxt-crawl: "
                + escape(f"{resolution.query}: {resolution.outcome}: {resolution.detail}"),
                file=sys.stderr,
            )
    args.apps_by_domain = by_host
    if args.mirror is not None:
        try:
            _mirror_apps(args.mirror, found)
        except OSError as exc:
            raise _OutputError.writing(args.mirror, exc) from exc
    if args.store is not None:
        _store_apps(args.store, found)
    resolved = sum(1 for r in found if r.resolved)
    print(
        f"adstxt-crawl: {resolved} of {len(found)} apps resolved to "
        f"{len(by_host)} developer domain{'' if len(by_host) == 1 else 's'}",
        file=sys.stderr,
    )
    return list(by_host)


def _store_apps(location: str, found: Sequence[Any]) -> None:
    """Record every resolution in the store, with a change event for each app whose
    developer domain changed since its previous resolution."""
    from adstxt.store import StoreError, open_store
    from adstxt.store._apps import record_resolutions
    from adstxt.store._dialect import database_errors

    try:
        with open_store(location) as store:
            events = record_resolutions(store, found)
    except StoreError as exc:
        raise _OutputError(str(exc)) from exc
    except database_errors() as exc:
        raise _OutputError(f"cannot record the apps in the store {location}: {exc}") from exc
    for event in events:
        print(
            "adstxt-crawl: "
            + escape(
                f"{event['domain']}: developer domain changed from "
                f"{event['old'] or '(none)'} to {event['new'] or '(none)'}"
            ),
            file=sys.stderr,
        )


def _mirror_apps(mirror: Path, found: Sequence[Any]) -> None:
    """Write ``DIR/apps.jsonl`` (every resolution) and append to ``DIR/apps-history.jsonl``
    the apps whose developer domain changed since the last ``apps.jsonl``."""
    from adstxt._atomic import write_atomically
    from adstxt.apps import Resolution

    mapping, history = mirror / "apps.jsonl", mirror / "apps-history.jsonl"
    before: dict[str, Resolution] = {}
    with contextlib.suppress(OSError):
        for line in mapping.read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(ValueError, TypeError, AttributeError):
                earlier = Resolution.from_json(json.loads(line))
                before[earlier.key] = earlier
    found = list({r.key: r for r in found}.values())
    events = []
    for now in found:
        old = before.get(now.key)
        # A store that could not be read says nothing new: the last known domain stands.
        if old is None or now.outcome == "fetch-error" or old.domain == now.domain:
            continue
        events.append(
            {
                "app": now.key,
                "from": old.domain,
                "to": now.domain,
                "from_outcome": old.outcome,
                "to_outcome": now.outcome,
                "at": now.resolved_at.isoformat(),
            }
        )
    mirror.mkdir(parents=True, exist_ok=True)
    kept = {r.key: r for r in found if r.outcome != "fetch-error" or r.key not in before}
    # Apps not asked this time, or whose store failed, keep their earlier record.
    records = [*(r for k, r in before.items() if k not in kept), *kept.values()]
    body = "".join(json.dumps(r.to_json(), sort_keys=True) + "\n" for r in records)
    write_atomically(mapping, body.encode("utf-8"), new_file_mode=0o644)
    if events:
        old_text = b""
        with contextlib.suppress(FileNotFoundError):
            old_text = history.read_bytes()
        added = "".join(json.dumps(e, sort_keys=True) + "\n" for e in events).encode("utf-8")
        write_atomically(history, old_text + added, new_file_mode=0o644)


def _default_processes(concurrency: int, cpus: int) -> int:
    """Worker processes for ``concurrency`` domains in flight on ``cpus`` CPUs.

    A worker spends about a millisecond of CPU per domain, so with answers taking 100 ms,
    100 domains in flight keep it about busy: fewer in flight do not need another process,
    and processes beyond the CPUs only compete for them.
    """
    return max(1, min(cpus, -(-concurrency // _IN_FLIGHT_PER_PROCESS)))


def _usable_cpus() -> int:
    """The CPUs this process may use: its affinity, capped by a cgroup v2 CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not available on every platform
        cpus = os.cpu_count() or 1
    try:  # a container limited to N CPUs on a larger host
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return cpus


def read_domains(
    source: Iterable[str],
    kind: str = "ads.txt",
    warn: Callable[[str], None] | None = None,
) -> list[str]:
    """The sites to crawl in file order, each as the host whose file is fetched for it
    (``fetched_host``: a URL, a ``www.`` name or a trailing dot name the same file as the
    bare domain), without comments, blank lines or repeats.

    The store keys a file by that host, so two lines for one file would give it two
    histories: a later line naming a file already listed is left out, and ``warn`` is told
    which line repeats which. A line that names no valid domain is kept, lower-cased, to be
    reported as such.
    """
    from adstxt.fetch._urls import fetched_host

    first: dict[str, tuple[int, str]] = {}
    domains = []
    for number, line in enumerate(source, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        key = fetched_host(text, kind) or text.lower()
        if key in first:
            # A plain repeat needs no word; another spelling of the same file does.
            line_of, spelling = first[key]
            if warn is not None and text.lower() != spelling:
                warn(f"line {number}: {text} is the file of line {line_of} ({key}): crawled once")
            continue
        first[key] = (number, text.lower())
        domains.append(key)
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
    if len(kept) < len(lines):
        from adstxt._atomic import write_atomically

        # Replaced whole: a full disk halfway through must not cost the rows kept.
        try:
            write_atomically(path, b"".join(line + b"\n" for line in kept))
        except OSError as exc:
            raise _OutputError.writing(path, exc) from exc


@attrs.frozen
class _FileRead:
    """One file of a site whose body was read: its URL, the fetch's outcome, the body's
    verdict (as the store classes it), its number of records and of variables, and the
    records read (none when a copy held in the store is reported by their number only)."""

    url: str
    outcome: str
    verdict: str
    records: int
    variables: int
    listed: Sequence[Record] = ()


def _files_read(result: FetchResult, counts: Mapping[str, int] | None = None) -> list[_FileRead]:
    """The files whose records a crawl reports: the site's file and the files its
    SUBDOMAIN= entries led to, each that had a body read, usable or not.

    The spec has the content of a file served wrongly (a soft 404, another Content-Type)
    ignored; its records are still reported, as the store keeps them, with the outcome and
    verdict that let a reader leave them out. The JSON line, the records CSV, the summary
    and the store all count from the same files, so that they never disagree. ``counts``:
    the number of records of each held copy restored without them, by URL.
    """
    from adstxt.store._snapshot import verdict_of

    files: dict[str, _FileRead] = {}
    for part in (result, *result.subdomains):
        # A subdomain whose file redirects to the root's file has no records of its own.
        url = part.final_url or part.url
        if part.parse_result is not None and url not in files:
            parsed = part.parse_result
            verdict = str(verdict_of(parsed.diagnostics))
            records = counts.get(url) if counts else None
            files[url] = _FileRead(
                url,
                part.outcome,
                verdict,
                len(parsed.records) if records is None else records,
                len(parsed.variables),
                parsed.records,
            )
    return list(files.values())


def _entry(
    domain: str,
    result: FetchResult,
    tries: int,
    records: bool,
    files: list[_FileRead],
) -> dict[str, Any]:
    # The findings of every file fetched for the site, as adstxt-check --domain reports
    # them: a SUBDOMAIN file served as an HTML page counts, though it has no records.
    counts: dict[str, int] = {}
    seen: set[str] = set()
    errors = 0
    for part in (result, *result.subdomains):
        url = part.final_url or part.url
        if url not in seen:
            seen.add(url)
            # Only counted: taken unsorted (``part.diagnostics`` sorts them on every access).
            errors += count_by_code(part.fetch_diagnostics, counts)
            if part.parse_result is not None:
                errors += count_by_code(part.parse_result.diagnostics, counts)
    return _line(domain, result, tries, records, files, counts, errors)


def _confirmed_entry(
    domain: str, result: FetchResult, tries: int, tally: HeldTally
) -> tuple[dict[str, Any], list[_FileRead]]:
    """The line of a site whose 304 (``result``) confirmed the copy held, from the copy's
    :class:`~adstxt.store._unchanged.HeldTally`: what :func:`_entry` makes of the restored
    result when the records are not written out, without restoring it."""
    counts = dict(tally.codes)
    errors = tally.errors + count_by_code(result.fetch_diagnostics, counts)
    files = [_FileRead(tally.url, result.outcome, tally.verdict, tally.records, tally.variables)]
    return _line(domain, result, tries, False, files, counts, errors), files


def _line(
    domain: str,
    result: FetchResult,
    tries: int,
    records: bool,
    files: list[_FileRead],
    counts: dict[str, int],
    errors: int,
) -> dict[str, Any]:
    """A site's JSON line: ``counts`` has its findings by code, ``errors`` of them errors."""
    entry: dict[str, Any] = {
        "domain": domain,
        "outcome": result.outcome,
        "url": result.url or None,
        "final_url": result.final_url,
        "status": result.status,
        "content_type": result.content_type,
        "records": sum(f.records for f in files),
        "variables": sum(f.variables for f in files),
        "files": {f.url: f.records for f in files},
        # Records of files the spec has ignored (served wrongly): counted in "records".
        "ignored_records": sum(f.records for f in files if f.outcome != "ok"),
        "verdicts": {f.url: f.verdict for f in files},
        "diagnostics": dict(sorted(counts.items())),
        "errors": errors,
        "tries": tries,
        "fresh_until": result.caching.fresh_until.isoformat() if result.caching else None,
        "governs": dict(result.governs),
    }
    if records:
        entry["record_list"] = [
            [r.domain, r.account_id, r.relationship.value, r.certification_authority_id]
            for f in files
            for r in f.listed
        ]
    return entry


def _csv_rows(domain: str, files: list[_FileRead]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for f in files:
        for r in f.listed:
            writer.writerow(
                (
                    domain,
                    f.url,
                    r.line,
                    r.domain,
                    r.account_id,
                    r.relationship.value,
                    r.certification_authority_id or "",
                    f.outcome,
                    f.verdict,
                )
            )
    return out.getvalue()


async def _fetch_with_retries(
    fetcher: Fetcher, domain: str, args: argparse.Namespace, validators: Validators | None = None
) -> tuple[FetchResult, int]:
    tries = 0
    while True:
        tries += 1
        result = await fetcher.fetch(
            domain, kind=args.kind, subdomains=not args.no_subdomains, validators=validators
        )
        if result.outcome not in _RETRYABLE or tries > args.retries:
            return result, tries
        # Exponential backoff with jitter, so that retries to one struggling host spread out.
        await asyncio.sleep(args.backoff * 2 ** (tries - 1) * random.uniform(0.5, 1.5))


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The verifying TLS context of this run's fetchers. Made once per run (about 30 ms of
    CPU, mostly reading the system's CA certificates), before the workers fork: they share
    it."""
    import ssl

    return ssl.create_default_context()


def _fetcher_options(args: argparse.Namespace) -> dict[str, Any]:
    from adstxt.fetch import parse_connect_to

    options: dict[str, Any] = {
        "verify": _tls_context(),
        "connect_to": [parse_connect_to(spec) for spec in args.connect_to],
        "allow_private_addresses": args.allow_private_addresses,
        "connect_timeout": args.connect_timeout,
        "read_timeout": args.read_timeout,
        "timeout": args.timeout,
        "max_bytes": args.max_bytes,
        "robots": args.robots,
        "max_connections": args.concurrency * 2,
        "host_delay": args.host_delay,
    }
    if args.user_agent:
        options["user_agent"] = args.user_agent
    return options


def _has_results(path: Path) -> bool:
    """Whether ``path`` is a file with something in it (a crawl's output, presumably)."""
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def _unwritable(path: Path) -> str | None:
    """Why ``path`` cannot be written as an output file, or None when it can."""
    if path.exists() and not path.is_file():
        return "it is not a regular file"
    folder = path.parent
    if not folder.is_dir():
        return f"{folder} is not a directory"
    if not os.access(path if path.exists() else folder, os.W_OK):
        return "permission denied"
    return None


class _OutputError(Exception):
    """An output file could not be written; every result written before is whole."""

    @classmethod
    def writing(cls, path: Path, error: OSError) -> _OutputError:
        why = error.strerror or str(error)
        room = error.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
        return cls(
            f"cannot write {path}: {why[:1].lower()}{why[1:]}; every result written so "
            f"far is whole: {'make room, then ' if room else ''}run again with --resume "
            "to continue"
        )


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data``: a full disk or a file size limit makes write() stop short."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Outputs:
    """The output files, open for appending, written a domain at a time.

    A domain's CSV rows and JSON line go in completely or not at all: when a write fails
    (a full disk, a file size limit) or is interrupted, both files are cut back to where the
    domain began, so that no line is torn and no row lacks its JSON line. A lock on each
    file keeps worker processes from writing in between.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self._files: list[tuple[Path, int]] = []
        self._csv_first = args.records_csv is not None
        try:
            if args.records_csv is not None:  # first: the order the locks are taken in
                self._files.append(
                    (args.records_csv, os.open(args.records_csv, os.O_WRONLY | os.O_APPEND))
                )
            if args.output is not None:  # none when a store is the only output
                self._files.append((args.output, os.open(args.output, os.O_WRONLY | os.O_APPEND)))
        except BaseException:
            self.close()
            raise

    def append(self, line: bytes, rows: bytes) -> None:
        """Append ``rows`` to the records CSV (when there is one) and ``line`` to the JSONL
        (when there is one)."""
        data = ((rows, line) if self._csv_first else (line,))[: len(self._files)]
        for _, fd in self._files:
            _lock(fd, True)
        try:
            ends = [os.lseek(fd, 0, os.SEEK_END) for _, fd in self._files]
            try:
                for (path, fd), chunk in zip(self._files, data, strict=True):
                    try:
                        _write_all(fd, chunk)
                    except OSError as exc:
                        raise _OutputError.writing(path, exc) from exc
            except BaseException:
                for (_, fd), end in zip(self._files, ends, strict=True):
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, end)
                raise
        finally:
            for _, fd in self._files:
                _lock(fd, False)

    def close(self) -> None:
        for _, fd in self._files:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._files = []


def _lock(fd: int, take: bool) -> None:
    if sys.platform == "win32":  # no advisory locks here: one process per crawl writes anyway
        return
    fcntl.flock(fd, fcntl.LOCK_EX if take else fcntl.LOCK_UN)


def _prepare_outputs(args: argparse.Namespace) -> None:
    """Start the output afresh (unless resuming) and give a new records CSV its header."""
    if args.output is not None and (not args.resume or not args.output.exists()):
        try:
            args.output.write_bytes(b"")
        except OSError as exc:
            raise _OutputError.writing(args.output, exc) from exc
    if args.records_csv is not None and (
        not args.resume or not args.records_csv.exists() or args.records_csv.stat().st_size == 0
    ):
        header = (",".join(_CSV_COLUMNS) + "\n").encode("utf-8")
        try:
            fd = os.open(args.records_csv, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except OSError as exc:
            raise _OutputError.writing(args.records_csv, exc) from exc
        try:
            _write_all(fd, header)
        except OSError as exc:
            os.ftruncate(fd, 0)  # a cut header would read as a header
            raise _OutputError.writing(args.records_csv, exc) from exc
        finally:
            os.close(fd)


async def _crawl_share(
    args: argparse.Namespace,
    domains: Iterable[str],
    concurrency: int,
    report: Callable[[str, int], None],
) -> None:
    """Crawl ``domains``, ``concurrency`` at a time, appending to the outputs and calling
    ``report(outcome, records)`` for each domain written."""
    from adstxt.fetch import Fetcher

    # Each process writes its own results to the store, a batch per transaction, rather
    # than sending them to the parent to write: a result holds the body and its parse, which
    # would cost more to pickle through a pipe than to store, and SQLite in WAL mode lets
    # the workers take turns at the write lock (a batch holds it for milliseconds; the busy
    # timeout covers the wait). It also keeps completion simple: a domain is done when its
    # batch is committed, whichever process committed it.
    writer = _open_writer(args)
    fresh: dict[str, str | None] = getattr(args, "fresh_domains", None) or {}
    outputs = _Outputs(args)
    pending: Iterator[str] = iter(domains)

    # A 304's line is made from the counts the store holds of the copy when neither its
    # records nor its body are written out (see tally_held).
    counted_only = not (
        args.include_records or args.records_csv is not None or args.mirror is not None
    )

    async def worker() -> None:
        from adstxt.store._unchanged import held_row, tally_held

        for domain in pending:
            if writer is not None and domain in fresh:
                unread: dict[str, int] = {}
                held = _held_copy(writer.store, domain, args.kind, args, unread)
                if held is not None:
                    held = _with_held_subdomains(writer.store, domain, held, args, unread)
                    # Not fetched: its line reports the copy held, and the store is not
                    # written (the crawl already counts the domain done).
                    files = _files_read(held, unread)
                    entry = _entry(domain, held, 0, args.include_records, files)
                    entry["fresh"] = True
                    entry["fresh_until"] = fresh[domain]
                    rows = _csv_rows(domain, files) if args.records_csv is not None else ""
                    outputs.append(
                        (_JSON.encode(entry) + "\n").encode("utf-8"), rows.encode("utf-8")
                    )
                    report(entry["outcome"], entry["records"])
                    continue
            row = None
            if writer is not None:
                # Read once, for the request's validators and for what a 304 restores (the
                # body, which only --mirror needs, is read after a 304 only; the findings,
                # when its counts will do, only if they do not).
                row = held_row(
                    writer.store, domain.lower(), args.kind, body=False, findings=not counted_only
                )
            validators = row.validators if row is not None else None
            started, clock = dt.datetime.now(dt.UTC), time.monotonic()
            result, tries = await _fetch_with_retries(fetcher, domain, args, validators)
            duration = time.monotonic() - clock
            tally = None
            if row is not None and counted_only:
                tally = tally_held(row, result, subdomains=not args.no_subdomains)
            if tally is not None:
                # The copy held is current and only its counts are written out.
                entry, files = _confirmed_entry(domain, result, tries, tally)
            else:
                counts: dict[str, int] = {}
                if writer is not None:
                    result = await _restore(
                        fetcher, writer.store, domain, args, result, counts, row
                    )
                if args.mirror is not None:
                    from adstxt.authorization._mirror import write_fetch

                    try:
                        write_fetch(args.mirror, result)
                    except OSError as exc:
                        raise _OutputError.writing(args.mirror, exc) from exc
                files = _files_read(result, counts)
                entry = _entry(domain, result, tries, args.include_records, files)
            apps = getattr(args, "apps_by_domain", None)
            if apps is not None:
                entry["apps"] = apps.get(domain, [])
            rows = _csv_rows(domain, files) if args.records_csv is not None else ""
            # No await from the write to the report: a stop (Ctrl-C, a failure elsewhere)
            # comes at an await, so the counts always match what the files hold.
            outputs.append((_JSON.encode(entry) + "\n").encode("utf-8"), rows.encode("utf-8"))
            report(entry["outcome"], entry["records"])
            if writer is not None:
                # After the JSON line: a kill between the two leaves a line that a resumed
                # crawl removes, since the store, not the JSONL, says what is done.
                _store_call(writer.add, domain, result, started, duration)

    try:
        async with Fetcher(**_fetcher_options(args)) as fetcher:
            tasks = [asyncio.ensure_future(worker()) for _ in range(concurrency)]
            try:
                await asyncio.gather(*tasks)
            finally:
                # One failed or all are stopped: every task must be done before the files
                # close (a task writing to a closed, reused descriptor could hit another file).
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        outputs.close()
        if writer is not None:
            try:
                # Also when stopped: what the JSONL and the summary count is stored too.
                _store_call(writer.flush)
            finally:
                writer.store.close()


def _held_copy(
    store: Store, host: str, kind: str, args: argparse.Namespace, unread: dict[str, int]
) -> FetchResult | None:
    """The copy held for ``host``'s file (see :func:`adstxt.store._crawling.held_copy`),
    its records read back only when the crawl writes them out; ``unread`` gets their number
    otherwise, by URL."""
    from adstxt.store._crawling import held_copy

    records = bool(args.include_records or args.records_csv is not None)
    found = held_copy(store, host, kind, records=records, body=False)
    if found is None:
        return None
    held, count = found
    if count is not None:
        unread[held.final_url or held.url] = count
    return held


def _with_held_subdomains(
    store: Store,
    domain: str,
    held: FetchResult,
    args: argparse.Namespace,
    unread: dict[str, int],
) -> FetchResult:
    """A still-fresh site's held copy with the held copies of the files its ``SUBDOMAIN=``
    lines lead to, so that its line counts what the crawl that fetched them counted."""
    from adstxt.fetch._fetcher import subdomain_hosts
    from adstxt.fetch._urls import site_of

    _, root = site_of(domain)
    if args.no_subdomains or args.kind != "ads.txt" or held.parse_result is None or not root:
        return held
    parts = [
        copy
        for host in subdomain_hosts(held.parse_result.variables, root)
        if (copy := _held_copy(store, host, "ads.txt", args, unread)) is not None
    ]
    return attrs.evolve(held, subdomains=tuple(parts)) if parts else held


async def _restore(
    fetcher: Fetcher,
    store: Store,
    domain: str,
    args: argparse.Namespace,
    result: FetchResult,
    counts: dict[str, int],
    held: HeldRow | None,
) -> FetchResult:
    """A 304 with the held copy filled in and its ``SUBDOMAIN=`` files fetched again (see
    :func:`adstxt.store._revisit.restore_site`). The records are read back only when the
    crawl writes them out (the JSON line with ``--include-records``, the records CSV);
    otherwise ``counts`` gets their number, by URL. The held body is read back only for
    ``--mirror``, which writes it. ``held``: the site's file as the store held it before
    the request."""
    from adstxt.store._revisit import restore_site

    return await restore_site(
        fetcher,
        lambda read: read(store),
        domain,
        args.kind,
        result,
        records=bool(args.include_records or args.records_csv is not None),
        body=args.mirror is not None,
        subdomains=not args.no_subdomains,
        counts=counts,
        held=held,
    )


def _open_writer(args: argparse.Namespace) -> BatchWriter | None:
    if args.store is None:
        return None
    from adstxt.store import StoreError, open_store
    from adstxt.store._crawling import BatchWriter

    try:
        return BatchWriter(open_store(args.store), args.crawl_id)
    except StoreError as exc:
        raise _OutputError(str(exc)) from exc


def _store_call(call: Callable[..., None], *arguments: Any) -> None:
    try:
        call(*arguments)
    except Exception as exc:
        # Imported here, once it is needed: this runs for every domain.
        from adstxt.store._crawling import StoreWriteError

        if isinstance(exc, StoreWriteError):
            raise _OutputError(
                f"{exc}; every result stored so far is whole: run again with --resume to continue"
            ) from exc
        raise


def _run_here(
    args: argparse.Namespace,
    remaining: list[str],
    progress: _Progress,
    totals: _Totals,
) -> None:
    def report(outcome: str, records: int) -> None:
        totals.add(outcome, records)
        progress.advance(1)

    concurrency = max(1, min(args.concurrency, len(remaining)))
    # On Ctrl-C, asyncio.run cancels the crawl at an await, then raises KeyboardInterrupt.
    with collector_for_crawling():
        asyncio.run(_crawl_share(args, remaining, concurrency, report))


class _Totals:
    """Domains by outcome, and records, as they are reported."""

    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.records = 0

    def add(self, outcome: str, records: int) -> None:
        self.outcomes[outcome] += 1
        self.records += records


def _die_with_parent(parent: int) -> None:
    """Make sure a worker process never outlives the crawl that started it.

    A worker left running after its parent was killed would keep appending to the output
    while a resumed crawl does the same domains again.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _by_site(domains: Sequence[str]) -> list[list[str]]:
    """``domains`` grouped by root domain, in order of first appearance.

    The per-host gate (``--host-delay``, one request at a time per host) lives in each worker
    process, so every domain of one site must be crawled by the same worker: the workers
    take whole groups.
    """
    from adstxt.fetch._urls import site_of

    groups: dict[str, list[str]] = {}
    for domain in domains:
        host, root = site_of(domain)
        groups.setdefault(root or host or domain.lower(), []).append(domain)
    return list(groups.values())


def _claims(groups: Sequence[Sequence[str]], claimed: Any) -> Iterator[str]:
    """The domains of ``groups``, a group at a time, taken through a counter shared by the
    workers.

    Workers that take from one list rather than from fixed shares finish together: a worker
    that started late, or had slower sites, simply takes fewer.
    """
    while True:
        with claimed.get_lock():
            index = claimed.value
            claimed.value = index + 1
        if index >= len(groups):
            return
        yield from groups[index]


def _worker_process(
    args: argparse.Namespace,
    groups: list[list[str]],
    claimed: Any,
    concurrency: int,
    sender: Connection,
    parent: int,
) -> None:
    """A worker process: crawl domains taken from ``groups``, sending counts to the parent.

    Ctrl-C is the parent's to handle: it asks each worker to stop with SIGTERM, and a worker
    stops at an await (never between writing a domain and counting it), sends its last
    counts and says goodbye, so that the parent's summary matches the files.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = {"asked": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(asked=True))  # until the loop runs
    _block_stop(False)  # the parent started this process with SIGTERM blocked
    _die_with_parent(parent)
    totals = _Totals()
    sent = _Totals()
    failure: list[str] = []

    def flush() -> None:
        delta = {
            key: count - sent.outcomes[key]
            for key, count in totals.outcomes.items()
            if count != sent.outcomes[key]
        }
        if delta:
            sender.send((delta, totals.records - sent.records))
            sent.outcomes.update(delta)
            sent.records = totals.records

    async def run() -> None:
        async def tick() -> None:
            while True:
                await asyncio.sleep(0.2)
                if os.getppid() != parent:  # where the death signal is not available
                    os._exit(1)
                flush()

        crawl = asyncio.ensure_future(
            _crawl_share(args, _claims(groups, claimed), concurrency, totals.add)
        )
        if sys.platform != "win32":  # event loops take signal handlers on Unix only
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, crawl.cancel)
        if stop["asked"]:
            crawl.cancel()
        ticker = asyncio.ensure_future(tick())
        try:
            await crawl
        except asyncio.CancelledError:
            pass  # asked to stop: what was written is counted below
        except _OutputError as exc:
            failure.append(str(exc))
        finally:
            ticker.cancel()
            # Closing the loop restores the default SIGTERM action, which would end the
            # process before it has reported: a stop asked for from here on waits, blocked,
            # until SIGTERM is ignored below.
            _block_stop(True)

    try:
        # A forked worker inherits the parent's setting (this only counts it); a worker
        # started afresh, where processes are spawned, makes its own.
        with collector_for_crawling():
            asyncio.run(run())
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    finally:
        _block_stop(False)
    flush()
    if failure:
        sender.send(("failed", failure[0]))
    sender.send(None)
    sender.close()


def _block_stop(block: bool) -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK if block else signal.SIG_UNBLOCK, {signal.SIGTERM})


def _run_processes(
    args: argparse.Namespace,
    remaining: list[str],
    count: int,
    progress: _Progress,
    totals: _Totals,
) -> None:
    import multiprocessing
    from multiprocessing.connection import Connection, wait
    from multiprocessing.context import ForkContext, SpawnContext

    # Forking skips each worker's re-import of the package (about 0.2 s of CPU, most of a
    # small crawl's start); the parent has no event loop and no threads yet at this point.
    # Elsewhere, where forking is unsafe or unavailable, workers start afresh.
    if sys.platform.startswith("linux"):
        context: ForkContext | SpawnContext = multiprocessing.get_context("fork")
        _tls_context()
        if not getattr(args, "recrawl", False):
            # The checker, loaded once for every worker, rather than by each at its first
            # body. A re-crawl leaves it to the workers that meet a body to check: when every
            # file answers 304, none loads it (about 30 ms of CPU each).
            import adstxt._api  # noqa: F401
        if args.robots:  # imported once here rather than by each worker
            import urllib.robotparser  # noqa: F401
    else:
        context = multiprocessing.get_context("spawn")
    groups = _by_site(remaining)
    claimed = context.Value("q", 0)  # index of the next group of `groups` to crawl
    concurrency = min(max(1, -(-args.concurrency // count)), len(remaining))
    # One pipe per worker, written without a feeder thread. The parent's copy of each
    # sending end is closed before the next worker starts, so that a worker's pipe ends as
    # soon as that worker dies.
    listening: dict[Connection, BaseProcess] = {}
    receivers: list[Connection] = []
    workers: list[BaseProcess] = []
    dead: list[BaseProcess] = []
    failures: list[str] = []
    me = os.getpid()
    stopping: list[float] = []  # when the workers were asked to stop, once they were

    def stop_workers() -> None:
        """Ask every worker to stop; they report what they wrote and leave."""
        if not stopping:
            stopping.append(time.monotonic())
        for worker in workers:
            if worker.pid is not None and worker.pid not in told:
                told.add(worker.pid)
                with contextlib.suppress(OSError):
                    os.kill(worker.pid, signal.SIGTERM)

    told: set[int] = set()

    interrupted: list[bool] = []

    def on_interrupt(signum: int, frame: object) -> None:
        if os.getpid() != me:  # a worker just forked, before it ignores Ctrl-C itself
            return
        interrupted.append(True)
        stop_workers()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    collector = contextlib.ExitStack()
    try:
        # Right before the workers fork: they inherit what it sets and freezes.
        collector.enter_context(collector_for_crawling())
        for _ in range(count):
            receiver, sender = context.Pipe(duplex=False)
            receivers.append(receiver)
            process = context.Process(
                target=_worker_process,
                args=(args, groups, claimed, concurrency, sender, os.getpid()),
                daemon=True,
            )
            # Started with SIGTERM blocked: a stop asked for before the worker can handle it
            # waits for it rather than killing it.
            _block_stop(True)
            try:
                process.start()
            finally:
                _block_stop(False)
                sender.close()
            workers.append(process)
            listening[receiver] = process
        if interrupted:  # Ctrl-C while starting: the workers started since were not told
            stop_workers()
        while listening:
            if stopping and time.monotonic() - stopping[0] > _STOP_GRACE:
                break  # a worker that does not stop is terminated below
            for ready in wait(list(listening), timeout=0.5 if stopping else None):
                assert isinstance(ready, Connection)
                try:
                    message = ready.recv()
                except EOFError:  # gone without saying goodbye
                    dead.append(listening.pop(ready))
                    stop_workers()
                    continue
                if message is None:
                    del listening[ready]
                    continue
                if message[0] == "failed":
                    failures.append(message[1])
                    stop_workers()
                    continue
                delta, records = message
                totals.outcomes.update(delta)
                totals.records += records
                progress.advance(sum(delta.values()))
    finally:
        # First: nothing below may leave this process's collector set for crawling.
        collector.close()
        signal.signal(signal.SIGINT, previous)
        if listening:  # an error, or a worker that did not stop in time
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
        for worker in workers:
            worker.join()
        for receiver in receivers:
            receiver.close()
    if failures:
        raise _OutputError(failures[0])
    failed = dead or [p for p in workers if p.exitcode]
    if failed:
        raise OSError(
            f"{len(failed)} worker process(es) failed "
            f"({', '.join(_exit_reason(p.exitcode) for p in failed)}); "
            "run again with --resume to continue"
        )
    if interrupted:
        raise KeyboardInterrupt


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


def _trim_jsonl(path: Path, done: set[str]) -> None:
    """Keep only the JSON lines of domains the store has done: a line written just before
    a kill, whose batch was never committed, goes, and its domain is crawled again."""
    from adstxt._atomic import write_atomically

    lines = _complete_lines(path)
    kept = []
    for raw in lines:
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if isinstance(entry, dict) and str(entry.get("domain", "")).lower() in done:
            kept.append(raw)
    if len(kept) < len(lines):
        try:
            write_atomically(path, b"".join(line + b"\n" for line in kept))
        except OSError as exc:
            raise _OutputError.writing(path, exc) from exc


def _plan_with_store(
    args: argparse.Namespace, domains: list[str], done: set[str]
) -> tuple[list[str], int, int]:
    """Start (or, with --resume, continue) the crawl in the store; return the domains to
    fetch, how many were done before, and how many are skipped as still fresh.

    Resuming trusts the store: the JSONL and the records CSV are cut back to the domains it
    has stored, and its crawl's domains that are not done are fetched.
    """
    from adstxt.store import StoreError, open_store
    from adstxt.store._dialect import database_errors

    try:
        store = open_store(args.store)
    except StoreError as exc:
        raise _OutputError(str(exc)) from exc
    try:
        unfinished = store.unfinished_crawl(args.kind) if args.resume else None
        if unfinished is not None:
            _refuse_another_list(args, store, unfinished.id, domains)
            args.crawl_id = unfinished.id
            args.recrawl = store.holds_copies(unfinished.id, args.kind)
            stored = store.done(unfinished.id)
            if args.output is not None:
                _trim_jsonl(args.output, stored)
            if args.records_csv is not None:
                _trim_csv(args.records_csv, stored)
            named = {domain.lower(): domain for domain in domains}
            remaining = [named.get(d, d) for d in store.pending(unfinished.id)]
            return remaining, len(stored), 0
        if args.resume and args.records_csv is not None:
            _trim_csv(args.records_csv, done)
        to_crawl = [d for d in domains if d.lower() not in done]
        options = {
            key: str(value) if isinstance(value, Path) else value
            for key, value in sorted(vars(args).items())
            if key != "crawl_id"
        }
        args.crawl_id = store.start_crawl(args.kind, options, to_crawl)
        from adstxt.store._crawling import analyze_crawl_domains

        analyze_crawl_domains(store)
        args.recrawl = store.holds_copies(args.crawl_id, args.kind)
        fresh = set() if args.refresh else set(store.skip_fresh(args.crawl_id, args.kind))
        # Fresh files are not fetched, but their JSON lines and CSV rows are written from
        # the copy held, so that every output counts every domain listed.
        args.fresh_domains = {d: _fresh_until(store, d, args.kind) for d in fresh}
        return to_crawl, len(domains) - len(to_crawl), len(fresh)
    except database_errors() as exc:
        from adstxt.store._sqlite import explain

        raise _OutputError(f"cannot write the store {store.where}: {explain(exc)}") from exc
    finally:
        store.close()


def _refuse_another_list(
    args: argparse.Namespace, store: Any, crawl_id: int, domains: list[str]
) -> None:
    """Raise when the domains given are not those of the crawl --resume would continue:
    it would crawl its own list and silently ignore the one given."""
    if args.apps is not None:
        return  # the apps' domains are resolved afresh each time: the list is the crawl's
    planned = set(store.pending(crawl_id)) | store.done(crawl_id)
    given = {d.lower() for d in domains}
    if given == planned:
        return
    extra, missing = len(given - planned), len(planned - given)
    raise _OutputError(
        f"--resume continues the unfinished crawl {crawl_id} of {len(planned)} domains, but "
        f"{args.domains} lists others ({extra} not in it, {missing} of it not listed); give "
        "its list to resume it, or leave out --resume to start a new crawl"
    )


def _fresh_until(store: Any, domain: str, kind: str) -> str | None:
    row = store.file(domain, kind)
    if row is None or row.fresh_until is None:
        return None
    # As a fetched domain's line gives it.
    return dt.datetime.fromisoformat(row.fresh_until).isoformat()


def _finish_in_store(args: argparse.Namespace, state: str) -> str | None:
    """Record how the crawl ended; the reason it could not be, or None."""
    from adstxt.store import StoreError, open_store
    from adstxt.store._dialect import database_errors

    try:
        with open_store(args.store, create=False) as store:
            # Counted from the store: a resumed crawl's earlier runs count too.
            store.finish_crawl(args.crawl_id, state)
    except StoreError as exc:
        return str(exc)
    except database_errors() as exc:
        return str(exc)
    return None


def _crawl(args: argparse.Namespace, remaining: list[str], skipped: int, fresh: int = 0) -> int:
    _prepare_outputs(args)
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    progress = _Progress(len(remaining), sys.stderr, show)
    count = min(args.processes, len(remaining)) or 1
    started = time.monotonic()
    totals = _Totals()
    stopped, status = None, 0
    try:
        try:
            if count > 1:
                _run_processes(args, remaining, count, progress, totals)
            else:
                _run_here(args, remaining, progress, totals)
        finally:
            progress.close()
    except KeyboardInterrupt:
        stopped, status = (
            (
                "interrupted; every result written so far is whole: run again "
                "with --resume to continue"
            ),
            130,
        )
    except _OutputError as exc:
        stopped, status = str(exc), 2
    if args.crawl_id is not None:
        problem = _finish_in_store(args, "finished" if stopped is None else "interrupted")
        if problem is not None and stopped is None:
            stopped, status = f"{problem}; run again with --resume to finish the crawl", 2
    # Also when stopped: the counts are those of the domains the files hold.
    try:
        _summary(totals.outcomes, totals.records, time.monotonic() - started, skipped, count, fresh)
        if args.crawl_id is not None:
            from adstxt.store import without_password

            print(f"stored in {without_password(str(args.store))} as crawl {args.crawl_id}")
        sys.stdout.flush()
    except OSError as exc:  # a full disk under a redirected stdout, say
        why = exc.strerror or str(exc)
        print(
            f"adstxt-crawl: cannot write the summary: {why[:1].lower()}{why[1:]}", file=sys.stderr
        )
        # What could not be written is dropped rather than retried, and failed, at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = status or 2
    if stopped is None and args.mirror is not None and not args.no_mirror_sellers:
        status = _mirror_sellers(args) or status
    if stopped is None and args.sellers:
        status = _check_sellers(args) or status
    if stopped is not None:
        print(f"adstxt-crawl: {stopped}", file=sys.stderr)
    return status


#: sellers.json checks shown in the summary; the store holds them all.
_SELLERS_SHOWN = 20


def _check_sellers(args: argparse.Namespace) -> int:
    """The sellers.json phase (``--sellers``), once every worker is done; 2 when the store
    cannot be written."""
    from adstxt.store import StoreError, open_store, without_password
    from adstxt.store._dialect import database_errors
    from adstxt.store._sellers_crawl import crawl_sellers
    from adstxt.store._sqlite import explain

    try:
        with open_store(args.store) as store:
            checks = crawl_sellers(
                store, args.crawl_id, args.kind, _fetcher_options(args), refresh=args.refresh
            )
    except StoreError as exc:
        print(f"adstxt-crawl: {exc}", file=sys.stderr)
        return 2
    except database_errors() as exc:
        where = without_password(str(args.store))
        print(f"adstxt-crawl: cannot write the store {where}: {explain(exc)}", file=sys.stderr)
        return 2
    unchecked = sum(1 for c in checks if c.checked_against == "none")
    systems = sum(len(c.ad_systems) for c in checks)
    print(
        f"sellers.json: {len(checks)} file{'' if len(checks) == 1 else 's'} for {systems} "
        f"ad system{'' if systems == 1 else 's'}"
        + (f", {unchecked} without a usable copy" if unchecked else "")
    )
    for check in checks[:_SELLERS_SHOWN]:
        print(f"  {escape(check.summary())}")
    if len(checks) > _SELLERS_SHOWN:
        print(f"  and {len(checks) - _SELLERS_SHOWN} more (all in the store: sellers_checks)")
    if args.sellers_report is not None:
        from adstxt._atomic import write_atomically

        lines = "".join(_JSON.encode(check.to_json()) + "\n" for check in checks)
        try:
            write_atomically(args.sellers_report, lines.encode("utf-8"), new_file_mode=0o644)
        except OSError as exc:
            why = exc.strerror or str(exc)
            print(
                f"adstxt-crawl: cannot write {args.sellers_report}: {why[:1].lower()}{why[1:]}; "
                "the checks are in the store",
                file=sys.stderr,
            )
            return 2
    return 0


def _mirror_sellers(args: argparse.Namespace) -> int:
    """Fetch the sellers.json of every ad system the mirror's files name; 2 when the mirror
    cannot be written."""
    from adstxt.authorization._mirror import ad_systems_in, mirror_sellers

    options = _fetcher_options(args)
    options["max_bytes"] = 512 * 1024 * 1024  # sellers.json files run to hundreds of MiB
    try:
        written, failed = mirror_sellers(args.mirror, ad_systems_in(args.mirror), options)
    except OSError as exc:
        print(f"adstxt-crawl: cannot write the mirror {args.mirror}: {exc}", file=sys.stderr)
        return 2
    print(
        f"adstxt-crawl: mirrored {written} sellers.json files into {args.mirror}"
        + (f" ({failed} could not be fetched)" if failed else ""),
        file=sys.stderr,
    )
    return 0


def _summary(
    outcomes: Counter[str],
    records: int,
    elapsed: float,
    skipped: int,
    processes: int,
    fresh: int = 0,
) -> None:
    total = sum(outcomes.values())
    print(f"{'outcome':<20} {'domains':>8} {'share':>7}")
    for outcome, count in sorted(outcomes.items(), key=lambda item: (-item[1], item[0])):
        print(f"{outcome:<20} {count:>8} {count / total:>7.1%}")
    print(f"{'total':<20} {total:>8}")
    rate = total / elapsed if elapsed > 0 else 0.0
    print(
        f"{elapsed:.1f} s, {rate:,.1f} domains/s, {records:,} record{'' if records == 1 else 's'}"
        + (f", {processes} worker processes" if processes > 1 else "")
        + (f", {skipped} already done" if skipped else "")
        + (f", {fresh} still fresh (not fetched; --refresh fetches them)" if fresh else "")
    )


def _warn(message: str) -> None:
    print(f"adstxt-crawl: warning: {message}", file=sys.stderr)


def _names_the_store(args: argparse.Namespace) -> str | None:
    """Why an output would overwrite the store (its file or the journals beside it), or
    None: writing there would destroy every crawl it holds."""
    if args.store is None:
        return None
    from adstxt.store._postgres import is_postgres_url
    from adstxt.store._sqlite import is_store_file

    if is_postgres_url(str(args.store)):
        return None
    for flag, path in (
        ("-o", args.output),
        ("--records-csv", args.records_csv),
        ("--mirror", args.mirror),
    ):
        if path is not None and is_store_file(path, args.store):
            return f"{flag} {path} is the store {args.store} itself; name another file"
    return None


def main(argv: Sequence[str] | None = None, *, prog: str = "adstxt-crawl") -> int:
    """Run the crawler; exit 0 when every domain was crawled, 2 on bad usage or input, an
    unwritable output (a full disk, say) or a failed worker process, 130 when interrupted;
    the summary is printed in every case where domains were crawled.

    ``prog`` names the command in usage and help only (``adstxt crawl`` runs it too).
    Without ``argv``, the process's own arguments, the run is the whole of the process
    (see :mod:`adstxt._process_exit`).
    """
    if argv is None:
        skip_final_collection()
    args = _arguments(argv, prog)
    # A run's own TLS context: the CA certificates are read again for each run in one
    # process (a library caller's, a test's), as a new process would read them.
    _tls_context.cache_clear()
    if args.crawl_name or args.join or args.status:
        from adstxt._crawl_shared import run_shared

        return run_shared(args, _fetcher_options, _fetch_with_retries, read_domains)
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
    listed = args.domains if args.apps is None else args.apps
    try:
        if str(listed) == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = listed.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        print(f"adstxt-crawl: cannot read {listed}: {exc.strerror}", file=sys.stderr)
        return 2
    domains = read_domains(lines, args.kind, _warn) if args.apps is None else []
    clash = _names_the_store(args)
    if clash is not None:
        print(f"adstxt-crawl: {clash}", file=sys.stderr)
        return 2
    for path in (args.output, args.records_csv):
        # Before anything is written: a bad second path must not cost the first file.
        problem = _unwritable(path) if path is not None else None
        if problem is not None:
            print(f"adstxt-crawl: cannot write {path}: {problem}", file=sys.stderr)
            return 2
    if (
        not args.resume
        and not args.overwrite
        and args.output is not None
        and _has_results(args.output)
    ):
        print(
            f"adstxt-crawl: {args.output} already holds results; use --resume to continue "
            "that crawl or --overwrite to start again",
            file=sys.stderr,
        )
        return 2
    try:
        if args.apps is not None:
            # After the checks of the outputs: the stores are not asked for nothing.
            domains = _resolve_apps(args, lines)
        done: set[str] = set()
        if args.resume and args.output is not None:
            done = _done_domains(args.output)
        if args.store is not None:
            remaining, skipped, fresh = _plan_with_store(args, domains, done)
            return _crawl(args, remaining, skipped, fresh)
        if args.resume and args.records_csv is not None:
            _trim_csv(args.records_csv, done)
        remaining = [d for d in domains if d.lower() not in done]
        return _crawl(args, remaining, len(domains) - len(remaining))
    except _OutputError as exc:
        print(f"adstxt-crawl: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.filename is not None and exc.strerror:
            why = f"{exc.strerror[:1].lower()}{exc.strerror[1:]}"
            print(f"adstxt-crawl: cannot use {exc.filename}: {why}", file=sys.stderr)
        else:
            print(f"adstxt-crawl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("adstxt-crawl: interrupted; run again with --resume to continue", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
