"""``adstxt crawl --crawl NAME`` / ``--join NAME`` / ``--status NAME``: one crawl worked on
by many processes on many machines through a PostgreSQL store.

The crawl's own options (timeouts, retries, --host-delay, --connect-to) come from the
same parser as every crawl; :mod:`adstxt.crawl` hands over how it builds a fetcher and
fetches a domain, so that a shared crawl fetches exactly as a local one does.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from adstxt.fetch import Fetcher, FetchResult, Validators
    from adstxt.store._distributed import WorkReport

__all__ = ["run_shared"]

_ERROR = "adstxt-crawl"


def run_shared(
    args: argparse.Namespace,
    fetcher_options: Callable[[argparse.Namespace], dict[str, Any]],
    fetch_with_retries: Callable[
        [Fetcher, str, argparse.Namespace, Validators | None],
        Awaitable[tuple[FetchResult, int]],
    ],
    read_domains: Callable[[TextIO], list[str]],
) -> int:
    """Run the shared-crawl mode ``args`` asks for; the exit status (0: the crawl is done)."""
    from adstxt.store import StoreError, without_password
    from adstxt.store._dialect import database_errors
    from adstxt.store._queue import UnknownCrawlError
    from adstxt.store._queue_worker import QueueConnectionLostError

    where = without_password(args.store)
    try:
        if args.status is not None:
            return _status(args)
        if not _agree_on_kind(args):
            return 2
        if args.crawl_name is not None:
            status = _enqueue(args, read_domains)
            if status:
                return status
        return _work(args, fetcher_options, fetch_with_retries)
    except StoreError as exc:
        print(f"{_ERROR}: {exc}", file=sys.stderr)
    except (UnknownCrawlError, QueueConnectionLostError) as exc:
        message = str(exc.args[0]) if isinstance(exc, UnknownCrawlError) else str(exc)
        print(f"{_ERROR}: {message} ({where})", file=sys.stderr)
    except database_errors() as exc:
        print(f"{_ERROR}: the store {where} failed: {describe(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        print(f"{_ERROR}: interrupted; run the same command again to continue", file=sys.stderr)
        return 130
    return 2


def describe(error: BaseException) -> str:
    """A database error as one line: its first, without libpq's prefix."""
    text = str(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    return line.removeprefix("connection failed: ")


def _agree_on_kind(args: argparse.Namespace) -> bool:
    """Take the named crawl's kind of file, or refuse a --kind that differs from it: one
    crawl fetches one kind, and a domain done for one is not fetched for the other."""
    from adstxt.store._distributed import crawl_kind

    name = args.crawl_name or args.join
    kind = crawl_kind(args.store, name)
    if kind is None:
        return True
    if getattr(args, "kind_given", True) and args.kind != kind:
        print(
            f"{_ERROR}: the crawl {name} fetches {kind}, not {args.kind}: leave out --kind, "
            f"or start a crawl of another name for {args.kind}",
            file=sys.stderr,
        )
        return False
    args.kind = kind
    return True


def _status(args: argparse.Namespace) -> int:
    from adstxt.store._distributed import crawl_status

    status = crawl_status(args.store, args.status)
    if args.output_format == "json":
        print(json.dumps(status.to_json(), indent=2))
    else:
        print(status.to_text())
    return 0


def _enqueue(args: argparse.Namespace, read_domains: Callable[[TextIO], list[str]]) -> int:
    from adstxt.store._distributed import enqueue

    try:
        if str(args.domains) == "-":
            domains = read_domains(sys.stdin)
        else:
            with args.domains.open(encoding="utf-8", errors="replace") as source:
                domains = read_domains(source)
    except OSError as exc:
        print(f"{_ERROR}: cannot read {args.domains}: {exc.strerror}", file=sys.stderr)
        return 2
    options = {"kind": args.kind, "host_delay": args.host_delay, "retries": args.retries}
    enqueued, fresh = enqueue(
        args.store, args.crawl_name, args.kind, domains, options, refresh=args.refresh
    )
    print(
        f"crawl {args.crawl_name}: {enqueued.added} domains enqueued, {enqueued.total} in all"
        + (f", {fresh} still fresh (not fetched; --refresh fetches them)" if fresh else ""),
        file=sys.stderr,
    )
    return 0


def _work(
    args: argparse.Namespace,
    fetcher_options: Callable[[argparse.Namespace], dict[str, Any]],
    fetch_with_retries: Callable[
        [Fetcher, str, argparse.Namespace, Validators | None],
        Awaitable[tuple[FetchResult, int]],
    ],
) -> int:
    from adstxt._crawl_collector import collector_for_crawling
    from adstxt.fetch import parse_connect_to
    from adstxt.store._distributed import SharedWork, work_on
    from adstxt.store._queue_worker import WorkSettings

    try:
        for spec in args.connect_to:
            parse_connect_to(spec)
    except (ImportError, ValueError) as exc:
        print(f"{_ERROR}: {exc}", file=sys.stderr)
        return 2
    name = args.crawl_name or args.join
    shared = SharedWork(
        url=args.store,
        name=name,
        kind=args.kind,
        concurrency=args.concurrency,
        host_delay=args.host_delay,
        settings=WorkSettings(batch=args.batch, lease=args.lease, overlap=True),
        subdomains=not args.no_subdomains,
    )
    stop = _StopFlag()

    async def fetch_one(
        fetcher: Fetcher, domain: str, validators: Validators | None
    ) -> tuple[FetchResult, int]:
        return await fetch_with_retries(fetcher, domain, args, validators)

    with stop.installed(), collector_for_crawling():
        report = work_on(shared, fetcher_options(args), fetch_one, should_stop=stop)
    _summary(name, report)
    if report.stopped:
        print(
            f"{_ERROR}: interrupted; this worker's unfinished domains went back to the "
            f"queue: run --join {name} to continue",
            file=sys.stderr,
        )
        return stop.status
    return 0


def _summary(name: str, report: WorkReport) -> None:
    total = sum(report.outcomes.values())
    rate = total / report.seconds if report.seconds > 0 else 0.0
    counts = ", ".join(
        f"{count} {outcome}"
        for outcome, count in sorted(report.outcomes.items(), key=lambda item: (-item[1], item[0]))
    )
    print(
        f"crawl {name}: this worker ({report.summary.worker}) stored {total} domains"
        + (f" ({counts})" if counts else "")
        + f", {report.records:,} records in {report.seconds:.1f} s, {rate:,.1f} domains/s"
        + (f", {report.summary.refused} taken over by others" if report.summary.refused else "")
        + (f", reconnected {report.summary.reconnects} times" if report.summary.reconnects else "")
    )
    sys.stdout.flush()


class _StopFlag:
    """Ctrl-C (or SIGTERM, as service managers and ``timeout`` stop a process) asks the
    worker to stop after the batch in hand; a second one stops at once."""

    def __init__(self) -> None:
        self.asked = False
        self.signal = signal.SIGINT

    def __call__(self) -> bool:
        return self.asked

    def _handle(self, signum: int, frame: object) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        self.signal = signal.Signals(signum)

    @property
    def status(self) -> int:
        """The exit status of a worker so stopped: 128 plus the signal's number, as a shell
        reports a process the signal ended (130 for Ctrl-C, 143 for SIGTERM)."""
        return 128 + int(self.signal)

    def installed(self) -> _Installed:
        return _Installed(self)


class _Installed:
    def __init__(self, flag: _StopFlag) -> None:
        self._flag = flag
        self._previous: dict[signal.Signals, Any] = {}

    def __enter__(self) -> None:
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._flag._handle)

    def __exit__(self, *exc: object) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)
