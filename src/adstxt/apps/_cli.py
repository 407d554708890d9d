"""``adstxt apps``: resolve apps to the domain where their app-ads.txt lives."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adstxt.apps._options import add_store_options, make_resolver, read_ids

if TYPE_CHECKING:
    from adstxt.apps._record import Resolution

__all__ = ["main", "render"]

_CSV_FIELDS = (
    "query",
    "outcome",
    "store",
    "app_id",
    "listing_url",
    "developer_url",
    "source",
    "domain",
    "app_ads_url",
    "detail",
    "resolved_at",
)


def _parser(prog: str = "adstxt apps") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Find where an app's app-ads.txt lives: read the developer URL from "
        "the app's store listing and derive the domain, as the app-ads.txt spec says.",
        epilog="See the guide 'Apps and their app-ads.txt' for the stores supported and "
        "what is read on each.",
    )
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    resolve = commands.add_parser(
        "resolve",
        help="resolve apps to their developer domain and app-ads.txt URL",
        description="Resolve each app (a Google Play package name, an App Store ID, "
        "STORE:ID or a store URL) to its store listing, developer URL, registrable domain "
        "and app-ads.txt URL. Exit status: 0 when every app resolved, 1 when one did not, "
        "2 a usage error.",
        epilog="Outcomes: resolved, no-developer-url, not-found, layout-not-understood, "
        "shared-host, invalid-developer-url, fetch-error, unsupported-store, unrecognized.",
    )
    _resolve_options(resolve)
    commands.add_parser("stores", help="list the stores and how each one is read")
    return parser


def _resolve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="the apps to resolve")
    parser.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="also resolve the apps in FILE, one per line ('-' for standard input)",
    )
    parser.add_argument(
        "--output-format",
        choices=("text", "json", "csv"),
        default="text",
        help="text (default), json (one object per line) or csv",
    )
    parser.add_argument(
        "--cache",
        metavar="DIR",
        type=Path,
        help="keep the stores' answers in DIR between runs, for as long as their "
        "Cache-Control or Expires allow (7 days without them)",
    )
    parser.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="HOST1:PORT1:HOST2:PORT2",
        help="connect to HOST2:PORT2 whenever HOST1:PORT1 is asked for, as curl does (repeatable)",
    )
    parser.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="allow private, loopback and link-local addresses",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="the time limit for one store request (default: 30)",
    )
    add_store_options(parser)


def render(found: Sequence[Resolution], output: str) -> str:
    """The resolutions as ``adstxt apps resolve`` prints them."""
    if output == "json":
        return "".join(json.dumps(r.to_json()) + "\n" for r in found)
    if output == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_CSV_FIELDS)
        for r in found:
            data: dict[str, Any] = r.to_json()
            writer.writerow(["" if data[f] is None else data[f] for f in _CSV_FIELDS])
        return out.getvalue()
    lines = []
    for r in found:
        lines.append(f"{r.query}: {r.outcome}")
        if r.store:
            lines.append(f"  store: {r.store}" + (f" ({r.app_id})" if r.app_id else ""))
        if r.listing_url:
            lines.append(f"  listing: {r.listing_url}")
        if r.developer_url:
            lines.append(f"  developer URL: {r.developer_url} (from {r.source})")
        if r.domain:
            lines.append(f"  domain: {r.domain}")
        if r.app_ads_url and r.resolved:
            lines.append(f"  app-ads.txt: {r.app_ads_url}")
            if len(r.app_ads_hosts) > 1:
                lines.append(f"    then: https://{r.app_ads_hosts[1]}/app-ads.txt")
        if r.detail:
            lines.append(f"  {r.detail}")
    return "".join(line + "\n" for line in lines)


def _stores_table() -> str:
    from adstxt.apps._stores import STORES

    lines = []
    for store in STORES.values():
        state = "supported" if store.supported else "not supported"
        lines.append(f"{store.name}: {store.title}, {state}\n  {store.how}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None, *, prog: str = "adstxt apps") -> int:
    """Run ``adstxt apps``; return the exit status."""
    from adstxt.authorization._cli import guarded

    return guarded(lambda: _main(argv, prog), prog)


def _main(argv: Sequence[str] | None, prog: str) -> int:
    parser = _parser(prog)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("give a command: resolve or stores")
    if args.command == "stores":
        sys.stdout.write(_stores_table())
        return 0
    ids = list(args.ids)
    if args.from_file is not None:
        try:
            if args.from_file == "-":
                ids.extend(read_ids(sys.stdin.read().splitlines()))
            else:
                text = Path(args.from_file).read_text(encoding="utf-8", errors="replace")
                ids.extend(read_ids(text.splitlines()))
        except OSError as error:
            print(f"{prog}: cannot read {args.from_file}: {error.strerror}", file=sys.stderr)
            return 2
    if not ids:
        parser.error("give the apps to resolve: ID... or --from FILE")
    if not args.timeout > 0:
        parser.error("--timeout must be a number of seconds above 0")
    resolver = make_resolver(args, parser, args.cache)
    found = resolver.resolve(ids)
    sys.stdout.write(render(found, args.output_format))
    return 0 if all(r.resolved for r in found) else 1
