"""``adstxt history``, ``adstxt diff`` and ``adstxt changes``: what a crawl store knows of a
domain's files, and what changed."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from adstxt.store._dialect import timestamp

__all__ = ["changes_main", "diff_main", "export_main", "history_main"]

_KINDS = ("ads.txt", "app-ads.txt", "sellers.json")
_EVENT_COLUMNS = (
    "at",
    "domain",
    "kind",
    "from_version",
    "to_version",
    "type",
    "ad_system",
    "seller_id",
    "variable",
    "old",
    "new",
    "old_line",
    "new_line",
)
_FETCH_COLUMNS = (
    "started_at",
    "domain",
    "kind",
    "status",
    "outcome",
    "unchanged",
    "sha256",
    "duration_ms",
    "requested_url",
    "final_url",
    "etag",
    "last_modified",
    "fresh_until",
    "error",
)


def _when(text: str) -> str:
    """A date or a date and time (ISO 8601; UTC unless it says otherwise), as the store
    writes times."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (2026-12-01) or a time (2026-12-01T08:00:00)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return timestamp(when)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="PATH",
        default="adstxt.sqlite",
        help="the crawl store to read (default: adstxt.sqlite in the working directory)",
    )
    parser.add_argument(
        "--output-format",
        choices=("text", "json", "csv"),
        default="text",
        help="text (default), json or csv",
    )


def _kind_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind", choices=_KINDS, help="only this kind of file (default: every kind held)"
    )


def history_parser(prog: str = "adstxt history") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Show what a crawl store holds for one domain: where each of its files "
        "stands, its versions, and every fetch; for an app ('adstxt crawl --apps'), every "
        "resolution of it to its developer's domain. Exit status: 0, or 2 when the store "
        "cannot be read or holds nothing of the domain or app.",
    )
    parser.add_argument(
        "domain",
        metavar="DOMAIN",
        help="the domain, as it was crawled, or an app (package name, App Store ID, "
        "STORE:ID or store URL)",
    )
    _kind_option(parser)
    _common(parser)
    return parser


def diff_parser(prog: str = "adstxt diff") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Show the change events of a domain's file: between its last two "
        "versions (by default), between two versions (--from, --to), or every event since a "
        "date (--since). Exit status: 0, or 2 when the store or a version cannot be read.",
    )
    parser.add_argument("domain", metavar="DOMAIN", help="the domain, as it was crawled")
    parser.add_argument(
        "--kind", choices=_KINDS, default="ads.txt", help="which file (default ads.txt)"
    )
    parser.add_argument("--since", type=_when, metavar="DATE", help="every event since DATE")
    parser.add_argument("--from", dest="old", type=int, metavar="V", help="the older version")
    parser.add_argument("--to", dest="new", type=int, metavar="V", help="the newer version")
    parser.add_argument(
        "--text",
        action="store_true",
        help="also print a unified diff of the two versions' text (with --from/--to or "
        "the default versions; text output only)",
    )
    _common(parser)
    return parser


def changes_parser(prog: str = "adstxt changes") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="List the change events of every file in a crawl store since a date, "
        "optionally only those of one ad system or seller ID: which publishers dropped or "
        "added your lines. Exit status: 0, or 2 when the store cannot be read.",
    )
    parser.add_argument(
        "--since", type=_when, required=True, metavar="DATE", help="events from DATE on"
    )
    parser.add_argument(
        "--ad-system", metavar="DOMAIN", help="only records of this ad system (any case)"
    )
    parser.add_argument("--seller-id", metavar="ID", help="only records of this seller ID")
    _kind_option(parser)
    _common(parser)
    return parser


def export_parser(prog: str = "adstxt export") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Write a table of a crawl store for analysis: records (every record "
        "line of every distinct body fetched for each file, files classed not-ads-txt "
        "included), fetches (one row per fetch) or changes (one row per change event), as "
        "CSV, JSON Lines (jsonl: one object a line), one JSON array (json) or Parquet "
        "(Parquet needs 'pip install adstxt[parquet]'). A file is "
        "replaced whole or not at all. Exit status: 0, or 2 when the store cannot be read "
        "or the output cannot be written.",
    )
    parser.add_argument("table", choices=("records", "fetches", "changes"), help="which table")
    parser.add_argument(
        "--store",
        metavar="PATH",
        default="adstxt.sqlite",
        help="the crawl store to read (default: adstxt.sqlite in the working directory)",
    )
    parser.add_argument(
        "--output-format",
        choices=("csv", "jsonl", "json", "parquet"),
        default="csv",
        help="csv (default), jsonl (JSON Lines), json (one array) or parquet",
    )
    parser.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="FILE",
        help="the file to write (default '-': standard output, for csv, jsonl and json); "
        "never the store itself",
    )
    return parser


def export_main(argv: Sequence[str] | None = None, *, prog: str = "adstxt export") -> int:
    from adstxt._guard import guarded

    return guarded(lambda: _export(argv, prog), prog)


def _export(argv: Sequence[str] | None, prog: str) -> int:
    args = export_parser(prog).parse_args(argv)
    from adstxt.store._export import ExportError, export
    from adstxt.store._postgres import is_postgres_url
    from adstxt.store._sqlite import is_store_file

    if (
        args.output != "-"
        and not is_postgres_url(args.store)
        and is_store_file(args.output, args.store)
    ):
        print(
            f"{prog}: -o {args.output} is the store {args.store} itself; name another file",
            file=sys.stderr,
        )
        return 2
    from adstxt.store._tables import change_rows, fetch_rows, record_rows

    store = _open(args, prog)
    if store is None:
        return 2
    rows = {"records": record_rows, "fetches": fetch_rows, "changes": change_rows}[args.table]
    try:
        with store:
            count = export(args.table, rows(store), args.output_format, args.output)
    except ExportError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if args.output != "-":
        print(f"{prog}: wrote {count:,} {args.table} rows to {args.output}", file=sys.stderr)
    return 0


def _open(args: argparse.Namespace, prog: str) -> Any:
    from adstxt.store import StoreError, open_store

    try:
        return open_store(args.store, read_only=True)
    except StoreError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return None


def _csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c)) for c in columns])
    return out.getvalue()


def _csv_value(value: object) -> object:
    """A CSV field as the exports write it: null empty, booleans ``true``/``false``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def _event_line(event: Mapping[str, Any]) -> str:
    """One event in words: ``2026-12-01 ads.txt v2->v3 record-removed x.com 1 (DIRECT, line
    4)``."""
    parts = [
        str(event["at"])[:19].replace("T", " "),
        f"{event['domain']} {event['kind']}",
        f"v{event['from_version'] or 0}->v{event['to_version']}",
        str(event["type"]),
    ]
    if event.get("ad_system") is not None:
        parts.append(f"{event['ad_system']} {event['seller_id']}")
    if event.get("variable") is not None:
        parts.append(str(event["variable"]))
    old, new = event.get("old"), event.get("new")
    if old is not None or new is not None:
        lines = f"line {event.get('old_line') or '-'} -> {event.get('new_line') or '-'}"
        parts.append(
            f"({old if old is not None else '-'} -> {new if new is not None else '-'}, {lines})"
        )
    return "  ".join(parts)


def _keyed(domain: str) -> str:
    """The domain as the store keys files: a URL or a trailing dot names the same host."""
    from adstxt.fetch._urls import written_host

    return written_host(domain)


def history_main(argv: Sequence[str] | None = None, *, prog: str = "adstxt history") -> int:
    from adstxt._guard import guarded

    return guarded(lambda: _history(argv, prog), prog)


def _history(argv: Sequence[str] | None, prog: str) -> int:
    args = history_parser(prog).parse_args(argv)
    args.domain = _keyed(args.domain)
    store = _open(args, prog)
    if store is None:
        return 2
    from adstxt.store._apps import app_key, resolutions

    with store:
        files = [f for f in store.files(args.domain) if args.kind in (None, f.kind)]
        versions = store.versions(args.domain, args.kind)
        fetches = store.fetches(args.domain, args.kind)
        key = app_key(args.domain) if args.kind is None else None
        apps = [r.to_json() for r in resolutions(store, key)] if key else []
    if not fetches and not files and not apps:
        # As diff: a domain the store does not hold is an error, not an empty answer.
        what = f"{args.domain}'s {args.kind}" if args.kind else args.domain
        print(f"{prog}: {args.store} holds nothing of {what}", file=sys.stderr)
        return 2
    # Booleans as the exports write them: true/false.
    fetches = [{**f, "unchanged": bool(f["unchanged"])} for f in fetches]
    if args.output_format == "json":
        json.dump(
            {
                "domain": args.domain.lower(),
                "files": [_as_dict(f) for f in files],
                "versions": [_as_dict(v) for v in versions],
                "fetches": [{**f, "chain": json.loads(f["chain"])} for f in fetches],
                "app_resolutions": apps,
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0
    if args.output_format == "csv":
        # An app's history is its resolutions; a domain's, its fetches.
        _emit(
            _csv(apps, _RESOLUTION_COLUMNS)
            if apps and not fetches
            else _csv(fetches, _FETCH_COLUMNS)
        )
        return 0
    if apps:
        _emit("\n".join([f"{key}: {len(apps)} resolutions", *map(_resolution_line, apps)]))
        if not fetches:
            return 0
    out = []
    for f in files:
        state = "no current copy" if f.sha256 is None else f"current copy {f.sha256[:12]}"
        stale = f", stale since {f.stale_since}" if f.stale_since else ""
        fresh = f", fresh until {f.fresh_until}" if f.fresh_until and f.sha256 else ""
        out.append(f"{f.domain} {f.kind}: version {f.version}, {state}{stale}{fresh}")
    out.append("versions:")
    for v in versions:
        body = v.sha256[:12] if v.sha256 else "(no file)"
        out.append(f"  {v.kind} v{v.version}  {v.since}  {body}")
    out.append("fetches:")
    for f in fetches:
        body = (f["sha256"] or "")[:12] or "-"
        note = " unchanged (304)" if f["unchanged"] else ""
        out.append(
            f"  {f['started_at']}  {f['domain']} {f['kind']}  {f['status'] or '-'}  "
            f"{f['outcome']}{note}  {body}  {f['duration_ms']} ms"
        )
    _emit("\n".join(out))
    return 0


_RESOLUTION_COLUMNS = (
    "resolved_at",
    "query",
    "store",
    "app_id",
    "outcome",
    "listing_url",
    "developer_url",
    "domain",
    "app_ads_url",
    "detail",
)


def _resolution_line(resolution: Mapping[str, Any]) -> str:
    """One resolution in words: when, the outcome, the domain and where it was found."""
    where = resolution["developer_url"] or resolution["detail"] or "-"
    domain = resolution["domain"] or "(no domain)"
    return (
        f"  {resolution['resolved_at'][:19].replace('T', ' ')}  {resolution['outcome']}  "
        f"{domain}  {where}  (from {resolution['listing_url'] or '-'})"
    )


def _as_dict(row: Any) -> dict[str, Any]:
    import attrs

    return attrs.asdict(row)


def diff_main(argv: Sequence[str] | None = None, *, prog: str = "adstxt diff") -> int:
    from adstxt._guard import guarded

    return guarded(lambda: _diff(argv, prog), prog)


def _diff(argv: Sequence[str] | None, prog: str) -> int:
    parser = diff_parser(prog)
    args = parser.parse_args(argv)
    args.domain = _keyed(args.domain)
    if args.since is not None and (args.old is not None or args.new is not None):
        parser.error("--since and --from/--to contradict each other")
    if args.since is not None and args.text:
        parser.error("--text needs two versions: use --from and --to, or neither")
    if args.text and args.output_format != "text":
        # The diff is text: after a JSON document or CSV rows it would make them unreadable.
        parser.error(
            f"--text prints a unified diff, which cannot go in --output-format "
            f"{args.output_format}: leave out --text, or use --output-format text"
        )
    store = _open(args, prog)
    if store is None:
        return 2
    with store:
        if args.since is not None:
            events = store.changes(since=args.since, domain=args.domain, kind=args.kind)
            return _print_events(args, events)
        versions = {v.version: v for v in store.versions(args.domain, args.kind)}
        if not versions:
            print(
                f"{prog}: {args.store} holds no version of {args.domain}'s {args.kind}",
                file=sys.stderr,
            )
            return 2
        latest = max(versions)
        new = args.new if args.new is not None else latest
        old = args.old if args.old is not None else new - 1
        for number in (old, new):
            if number != 0 and number not in versions:
                print(
                    f"{prog}: {args.domain}'s {args.kind} has no version {number} "
                    f"(it has 1 to {latest})",
                    file=sys.stderr,
                )
                return 2
        old_sha = versions[old].sha256 if old else None
        new_sha = versions[new].sha256
        at = versions[new].since
        events = [
            {
                "at": at,
                "domain": args.domain.lower(),
                "kind": args.kind,
                "from_version": old or None,
                "to_version": new,
                "type": str(e.type.value),
                "ad_system": e.ad_system,
                "seller_id": e.seller_id,
                "variable": e.variable,
                "old": e.old,
                "new": e.new,
                "old_line": e.old_line,
                "new_line": e.new_line,
            }
            for e in _version_changes(store, args.domain.lower(), args.kind, old_sha, new_sha)
        ]
        status = _print_events(args, events)
        if args.text:
            _emit(_text_diff(store, args, old, versions, new))
        return status


def _version_changes(
    store: Any, domain: str, kind: str, old_sha: str | None, new_sha: str | None
) -> list[Any]:
    """The change events between two stored copies, derived as the store derives them for
    that kind of file: records for ads.txt and app-ads.txt, sellers for sellers.json."""
    from adstxt.store._changes import derive_changes
    from adstxt.store._sellers_changes import derive_sellers_changes

    if kind == "sellers.json":
        return derive_sellers_changes(
            domain, store.sellers_snapshot(old_sha), store.sellers_snapshot(new_sha)
        )
    return derive_changes(store.snapshot(old_sha), store.snapshot(new_sha))


def _text_diff(store: Any, args: argparse.Namespace, old: int, versions: Any, new: int) -> str:
    from adstxt.store._textdiff import text_diff, version_label

    def side(number: int) -> tuple[bytes | None, str]:
        if not number:
            return None, version_label("0 (no file)", None)
        row = versions[number]
        body = store.body(row.sha256) if row.sha256 else None
        return body, version_label(str(number), dt.datetime.fromisoformat(row.since))

    (before, old_label), (after, new_label) = side(old), side(new)
    label = f"{args.domain} {args.kind} "
    return text_diff(before, after, old_label=label + old_label, new_label=label + new_label)


def _print_events(args: argparse.Namespace, events: Sequence[Mapping[str, Any]]) -> int:
    if args.output_format == "json":
        json.dump([{c: e.get(c) for c in _EVENT_COLUMNS} for e in events], sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.output_format == "csv":
        _emit(_csv(events, _EVENT_COLUMNS))
    elif events:
        _emit("\n".join(_event_line(e) for e in events))
    else:
        _emit("no changes")
    return 0


def changes_main(argv: Sequence[str] | None = None, *, prog: str = "adstxt changes") -> int:
    from adstxt._guard import guarded

    return guarded(lambda: _changes(argv, prog), prog)


def _changes(argv: Sequence[str] | None, prog: str) -> int:
    args = changes_parser(prog).parse_args(argv)
    store = _open(args, prog)
    if store is None:
        return 2
    with store:
        events = store.changes(
            since=args.since, kind=args.kind, ad_system=args.ad_system, seller_id=args.seller_id
        )
    return _print_events(args, events)
