"""``adstxt authorized``: is this seller authorized to sell this publisher's inventory?

The source options here are shared with ``adstxt schain``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from adstxt.authorization import Answer, AuthorizationIndex, Question, Source

__all__ = ["add_source_options", "guarded", "main", "open_index"]


class UsageError(Exception):
    """A mistake on the command line: exit status 2."""


def guarded(work: Callable[[], int], prog: str) -> int:
    """Run a command's ``work`` with the contract of every adstxt command: a closed pipe
    ends it quietly, Ctrl-C is 130, and anything unexpected is one line and status 2."""
    import contextlib
    import os

    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        # Values from bid requests may hold lone surrogates ("\ud800"): shown escaped
        # rather than failing to print.
        reconfigure(errors="backslashreplace")
    try:
        return work()
    except BrokenPipeError:
        # The reader went away ('adstxt schain - | head'): nothing more to say.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the contract: a reason and status 2, never a traceback
        print(f"{prog}: internal error: {error!r}; please report it", file=sys.stderr)
        return 2


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """The options that say where files come from: ``--source DIR`` or ``--fetch``."""
    group = parser.add_argument_group(
        "where the files come from",
        "A mirror directory holds DIR/<domain>/ads.txt, DIR/<domain>/app-ads.txt and "
        "DIR/<ad-system domain>/sellers.json, as 'adstxt crawl --mirror DIR' writes it. "
        "--fetch reads the live sites instead (needs the fetch extra).",
    )
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--source", metavar="DIR", type=Path, help="read the files from this mirror directory"
    )
    where.add_argument(
        "--fetch",
        action="store_true",
        help="fetch the files from the sites, as crawlers do; each file once per run",
    )
    group.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        help="with --fetch, keep fetched files here between runs, for as long "
        "as Cache-Control or Expires allow (7 days without them)",
    )
    group.add_argument(
        "--sellers-location",
        action="append",
        default=[],
        metavar="DOMAIN=URL",
        help="the sellers.json of DOMAIN is at URL (repeatable; adds to the "
        "shipped table of known locations)",
    )
    group.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="HOST1:PORT1:HOST2:PORT2",
        help="with --fetch, connect to HOST2:PORT2 whenever HOST1:PORT1 is "
        "asked for, as curl does (repeatable)",
    )
    group.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="with --fetch, allow private, loopback and link-local addresses",
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="with --fetch, the time limit for one file (default: 30)",
    )


def open_source(args: argparse.Namespace) -> Source | None:
    """The source the options name; None when neither --source nor --fetch was given."""
    from adstxt.authorization import MirrorSource
    from adstxt.sellers._locations import parse_location

    locations = {}
    for text in args.sellers_location:
        try:
            domain, url = parse_location(text)
        except ValueError as error:
            raise UsageError(f"--sellers-location: {error}") from None
        locations[domain] = url
    if args.source is not None:
        if not args.source.is_dir():
            raise UsageError(f"--source: {args.source} is not a directory")
        return MirrorSource(args.source, locations)
    if not args.fetch:
        for flag, value in (("--cache-dir", args.cache_dir), ("--connect-to", args.connect_to)):
            if value:
                raise UsageError(f"{flag} needs --fetch")
        return None
    try:
        from adstxt.authorization._fetching import FetchSource
        from adstxt.fetch import parse_connect_to
    except ImportError as error:
        raise UsageError(str(error)) from None
    try:
        rules = [parse_connect_to(spec) for spec in args.connect_to]
    except ValueError as error:
        raise UsageError(f"--connect-to: {error}") from None
    if not args.timeout > 0:
        raise UsageError("--timeout must be a number of seconds above 0")
    return FetchSource(
        cache_dir=args.cache_dir,
        connect_to=rules,
        allow_private_addresses=args.allow_private_addresses,
        timeout=args.timeout,
        locations=locations,
    )


def open_index(args: argparse.Namespace) -> AuthorizationIndex | None:
    """An index over the source the options name (None without one)."""
    from adstxt.authorization import AuthorizationIndex

    source = open_source(args)
    return None if source is None else AuthorizationIndex(source)


def close_index(index: AuthorizationIndex | None) -> None:
    """Remove what a fetching source kept for the run only."""
    close = getattr(index.source, "close", None) if index is not None else None
    if close is not None:
        close()


def _parser(prog: str = "adstxt authorized") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Say whether SELLER_ID on AD_SYSTEM is authorized to sell PUBLISHER's "
        "inventory, by the publisher's ads.txt (or app-ads.txt with --app), and why. Exit "
        "status: 0 authorized, 1 not (or not decided), 2 a usage error.",
        epilog="Verdicts: authorized-direct, authorized-reseller, relationship-mismatch, "
        "unauthorized, no-sellers, no-file, restricted, invalid-file, unavailable. See the "
        "guide 'Is this seller authorized?'.",
    )
    parser.add_argument(
        "publisher",
        nargs="?",
        metavar="PUBLISHER",
        help="the publisher's domain (for --app, the developer's domain or URL, or the "
        "app itself: package name, App Store ID, STORE:ID or store URL)",
    )
    parser.add_argument(
        "ad_system",
        nargs="?",
        metavar="AD_SYSTEM",
        help="the ad system's domain, as in field 1 of ads.txt",
    )
    parser.add_argument(
        "seller_id",
        nargs="?",
        metavar="SELLER_ID",
        help="the seller's account ID in the ad system (compared exactly)",
    )
    parser.add_argument(
        "--relationship",
        type=str.upper,
        choices=("DIRECT", "RESELLER"),
        help="ask about this relationship only",
    )
    parser.add_argument(
        "--app",
        action="store_true",
        help="PUBLISHER is an app, or its developer's domain: read app-ads.txt; an "
        "app is resolved through its store listing to its developer's domain first",
    )
    parser.add_argument(
        "--inventory-partner",
        metavar="DOMAIN",
        help="the bid request's inventorypartnerdomain: that partner's "
        "ads.txt authorizes too, when the publisher's file names it",
    )
    parser.add_argument(
        "--batch",
        metavar="FILE",
        help="answer every question in FILE ('-' for standard input): CSV rows "
        "publisher,ad_system,seller_id[,relationship] or JSONL objects with "
        "those keys (and 'kind', 'inventory_partner'; with kind app-ads.txt, "
        "publisher may be the app itself); one answer per line, as each is known",
    )
    parser.add_argument(
        "--output-format",
        choices=("text", "json"),
        default="text",
        help="text (default) or json: one object per answer",
    )
    parser.add_argument(
        "--no-file-ok",
        action="store_true",
        help="exit 0 for a publisher without a file too (no-file: by the spec "
        "no seller is unauthorized there)",
    )
    add_source_options(parser)
    from adstxt.apps._options import add_store_options

    add_store_options(parser)
    return parser


def _developer_of(
    args: argparse.Namespace, parser: argparse.ArgumentParser
) -> tuple[str | None, dict[str, Any] | None]:
    """With --app and an app as PUBLISHER: the developer URL its store listing names, and
    the resolution (JSON); ``(None, resolution)`` when it did not resolve. Otherwise
    PUBLISHER as given, and no resolution."""
    from adstxt.apps._ids import names_an_app

    if not args.app or not names_an_app(args.publisher):
        return args.publisher, None
    from adstxt.apps._options import make_resolver

    cache = args.cache_dir / "apps" if args.cache_dir is not None else None
    resolution = make_resolver(args, parser, cache).resolve_one(args.publisher)
    return resolution.developer_url if resolution.resolved else None, resolution.to_json()


def _text(answer: Answer) -> str:
    return f"{answer.verdict.value}: {answer.reason}"


def _passes(answer: Answer, no_file_ok: bool) -> bool:
    return answer.authorized or (no_file_ok and answer.verdict.value == "no-file")


def _questions(stream: TextIO) -> Iterator[tuple[int, Question | str]]:
    """(line number, question or the reason the line is not one), for CSV or JSONL input."""
    from adstxt.authorization import Question

    kind_csv: bool | None = None
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if kind_csv is None:
            kind_csv = not text.startswith("{")
        if kind_csv:
            row = next(csv.reader(io.StringIO(text)))
            fields = [field.strip() for field in row]
            if fields[:3] == ["publisher", "ad_system", "seller_id"]:
                continue  # a header row
            if len(fields) not in (3, 4) or not all(fields[:3]):
                yield (
                    number,
                    (
                        f"expected publisher,ad_system,seller_id[,relationship]; found "
                        f"{len(fields)} fields"
                    ),
                )
                continue
            yield (
                number,
                Question(
                    fields[0],
                    fields[1],
                    fields[2],
                    fields[3] if len(fields) == 4 and fields[3] else None,
                ),
            )
            continue
        try:
            item = json.loads(text)
        except ValueError as error:
            yield number, f"not valid JSON: {error}"
            continue
        if not isinstance(item, dict):
            yield number, "expected a JSON object"
            continue
        values = [item.get(key) for key in ("publisher", "ad_system", "seller_id")]
        texts = [v for v in values if isinstance(v, str) and v]
        if len(texts) != 3:
            yield number, "expected string members publisher, ad_system and seller_id"
            continue
        relationship = item.get("relationship")
        kind = item.get("kind", "ads.txt")
        partner = item.get("inventory_partner")
        if (
            (relationship is not None and not isinstance(relationship, str))
            or kind not in ("ads.txt", "app-ads.txt")
            or (partner is not None and not isinstance(partner, str))
        ):
            yield (
                number,
                (
                    "'relationship' and 'inventory_partner' are strings and 'kind' is "
                    "ads.txt or app-ads.txt"
                ),
            )
            continue
        yield number, Question(texts[0], texts[1], texts[2], relationship or None, kind, partner)


def _batch(
    index: AuthorizationIndex, args: argparse.Namespace, parser: argparse.ArgumentParser
) -> int:
    from adstxt.apps._ids import names_an_app

    status = 0
    apps: Any = None  # the store resolver, made for the first app asked about
    # Closed in the finally below, unless it is standard input.
    stream = (
        sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8", errors="replace")  # noqa: SIM115
    )
    try:
        for number, question in _questions(stream):
            out: dict[str, Any]
            if isinstance(question, str):
                status = 1
                out = {"line": number, "error": question}
                text = f"line {number}: error: {question}"
            else:
                app: dict[str, Any] | None = None
                if question.kind == "app-ads.txt" and names_an_app(question.publisher):
                    if apps is None:
                        from adstxt.apps._options import make_resolver

                        cache = args.cache_dir / "apps" if args.cache_dir is not None else None
                        apps = make_resolver(args, parser, cache)
                    resolution = apps.resolve_one(question.publisher)
                    app = resolution.to_json()
                    if resolution.resolved:
                        question = question._replace(publisher=resolution.developer_url)
                if app is not None and app["outcome"] != "resolved":
                    status = 1
                    why = f"app not resolved: {app['outcome']}: {app['detail']}"
                    out = {"line": number, "app": app, "error": why}
                    text = f"line {number}: error: {why}"
                    print(json.dumps(out) if args.output_format == "json" else text, flush=True)
                    continue
                try:
                    answer = index.ask(question)
                except ValueError as error:
                    status = 1
                    out = {"line": number, "error": str(error)}
                    text = f"line {number}: error: {error}"
                else:
                    if not _passes(answer, args.no_file_ok):
                        status = 1
                    out = {"line": number, **({"app": app} if app else {}), **answer.to_json()}
                    text = (
                        f"line {number}: {question.publisher} {question.ad_system} "
                        f"{question.seller_id}: {_text(answer)}"
                    )
            print(json.dumps(out) if args.output_format == "json" else text, flush=True)
    finally:
        if stream is not sys.stdin:
            stream.close()
    return status


def main(argv: Sequence[str] | None = None, *, prog: str = "adstxt authorized") -> int:
    """Run ``adstxt authorized``; return the exit status."""
    return guarded(lambda: _main(argv, prog), prog)


def _main(argv: Sequence[str] | None, prog: str) -> int:
    parser = _parser(prog)
    args = parser.parse_args(argv)
    given = [v for v in (args.publisher, args.ad_system, args.seller_id) if v is not None]
    if args.batch is None and len(given) != 3:
        parser.error("give PUBLISHER AD_SYSTEM SELLER_ID, or --batch FILE")
    if args.batch is not None and given:
        parser.error(
            "--batch reads its questions from FILE: give no PUBLISHER AD_SYSTEM SELLER_ID with it"
        )
    try:
        index = open_index(args)
        if index is None:
            raise UsageError("say where the files come from: --source DIR or --fetch")
    except UsageError as error:
        parser.error(str(error))
    try:
        if args.batch is not None:
            try:
                return _batch(index, args, parser)
            except OSError as error:
                print(f"{prog}: cannot read {args.batch}: {error.strerror}", file=sys.stderr)
                return 2
        developer, app = _developer_of(args, parser)
        if developer is None:
            assert app is not None
            if args.output_format == "json":
                print(json.dumps({"app": app, "verdict": None}, indent=2))
            else:
                print(f"{args.publisher}: app not resolved: {app['outcome']}: {app['detail']}")
            return 1
        try:
            answer = index.lookup(
                developer,
                args.ad_system,
                args.seller_id,
                args.relationship,
                kind="app-ads.txt" if args.app else "ads.txt",
                inventory_partner=args.inventory_partner,
            )
        except ValueError as error:
            parser.error(str(error))
        if args.output_format == "json":
            data = answer.to_json()
            print(json.dumps(data if app is None else {"app": app, **data}, indent=2))
        else:
            if app is not None:
                print(
                    f"{args.publisher}: developer URL {developer} "
                    f"(from {app['listing_url']}), app-ads.txt at {app['app_ads_url']}"
                )
            print(_text(answer))
        return 0 if _passes(answer, args.no_file_ok) else 1
    finally:
        close_index(index)
