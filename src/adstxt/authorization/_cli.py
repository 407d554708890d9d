"""``adstxt authorized``: is this seller authorized to sell this publisher's inventory?"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from adstxt._guard import UsageError, guarded
from adstxt._lookup_options import add_source_options, close_index, open_index
from adstxt._report import escape

if TYPE_CHECKING:
    from adstxt._lookup_options import StoreAccess
    from adstxt.apps import AppSource
    from adstxt.authorization import Answer, AuthorizationIndex, Question

__all__ = ["main"]


def _parser(
    prog: str = "adstxt authorized", store: StoreAccess | None = None
) -> argparse.ArgumentParser:
    """The command's options; ``--store S`` among the sources when ``store`` reads one."""
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
        "app is resolved to its developer's domain first, through its store listing "
        "(--fetch), the mirror's apps.jsonl (--source DIR, offline) or the crawl store's "
        "resolutions (--store S, offline). A name that is a "
        "host under a public suffix is a domain unless it reads as a package name "
        "(com.example.game); google-play:NAME names the app",
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
    add_source_options(parser, store=store)
    from adstxt._lookup_options import add_store_options

    add_store_options(parser)
    return parser


def _developer_of(
    args: argparse.Namespace, parser: argparse.ArgumentParser
) -> tuple[str | None, dict[str, Any] | None]:
    """With --app and an app as PUBLISHER: the developer URL its store listing names, and
    the resolution (JSON); ``(None, resolution)`` when it did not resolve. Otherwise
    PUBLISHER as given, and no resolution."""
    if not args.app:
        return args.publisher, None
    from adstxt._lookup_options import make_app_source

    apps = make_app_source(args, parser)
    if not _names_an_app(args.publisher, apps):
        return args.publisher, None
    resolution = apps.resolve_one(args.publisher)
    return resolution.developer_url if resolution.resolved else None, resolution.to_json()


def _names_an_app(publisher: str, apps: AppSource) -> bool:
    """Whether PUBLISHER names an app rather than its developer's domain. A name that
    reads as a domain stays one (see :func:`adstxt.apps.names_an_app`), except in a
    mirror or crawl store that has no files for that domain but has resolved the app of
    that name."""
    from adstxt.apps import names_an_app

    if names_an_app(publisher):
        return True
    # Offline sources (a mirror, a crawl store) can tell what they hold.
    knows, has_site = getattr(apps, "knows", None), getattr(apps, "has_site", None)
    return (
        knows is not None
        and has_site is not None
        and ":" not in publisher
        and not has_site(publisher)
        and bool(knows(f"google-play:{publisher.strip()}"))
    )


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
    status = 0
    apps: AppSource | None = None  # made for the first app asked about
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
                if question.kind == "app-ads.txt" and apps is None:
                    from adstxt._lookup_options import make_app_source

                    apps = make_app_source(args, parser)
                if (
                    question.kind == "app-ads.txt"
                    and apps is not None
                    and _names_an_app(question.publisher, apps)
                ):
                    resolution = apps.resolve_one(question.publisher)
                    app = resolution.to_json()
                    if resolution.resolved and resolution.developer_url is not None:
                        question = question._replace(publisher=resolution.developer_url)
                if app is not None and app["outcome"] != "resolved":
                    status = 1
                    why = f"app not resolved: {app['outcome']}: {app['detail']}"
                    out = {"line": number, "app": app, "error": why}
                    text = f"line {number}: error: {why}"
                    shown = json.dumps(out) if args.output_format == "json" else escape(text)
                    print(shown, flush=True)
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
            print(json.dumps(out) if args.output_format == "json" else escape(text), flush=True)
    finally:
        if stream is not sys.stdin:
            stream.close()
    return status


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "adstxt authorized",
    store: StoreAccess | None = None,
) -> int:
    """Run ``adstxt authorized``; return the exit status. ``store`` reads ``--store S``."""
    return guarded(lambda: _main(argv, prog, store), prog)


def _main(argv: Sequence[str] | None, prog: str, store: StoreAccess | None) -> int:
    parser = _parser(prog, store)
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
            where = "--source DIR, --store S or --fetch" if store else "--source DIR or --fetch"
            raise UsageError(f"say where the files come from: {where}")
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
                why = f"{args.publisher}: app not resolved: {app['outcome']}: {app['detail']}"
                print(escape(why))
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
                    escape(
                        f"{args.publisher}: developer URL {developer} "
                        f"(from {app['listing_url']}), app-ads.txt at {app['app_ads_url']}"
                    )
                )
            print(_text(answer))
        return 0 if _passes(answer, args.no_file_ok) else 1
    finally:
        close_index(index, args)
