"""The options shared by the commands that look things up: where the files come from
(``--source DIR``, ``--store S`` or ``--fetch``, used by ``authorized`` and ``schain``) and
how app stores are asked (used by those two, ``apps resolve`` and ``crawl --apps``).

The crawl store lives in a layer above the lookups, so this module does not open one: a
command that offers ``--store`` passes a :class:`StoreAccess` (``adstxt._store_lookups``
has the one over :mod:`adstxt.store`) and the options call it."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from adstxt._guard import UsageError

if TYPE_CHECKING:
    from adstxt.apps._record import AppSource
    from adstxt.apps._resolver import AppResolver
    from adstxt.authorization import AuthorizationIndex, Source

__all__ = [
    "StoreAccess",
    "add_source_options",
    "add_store_options",
    "close_index",
    "close_source",
    "make_app_source",
    "make_resolver",
    "open_index",
    "open_source",
    "read_ids",
]


class StoreAccess(Protocol):
    """How the commands read a crawl store named by ``--store``: as the source of files and
    as the source of app resolutions. Each raises ``UsageError`` when the store cannot be
    opened; ``close`` ends what either opened."""

    def source(self, location: str, locations: Mapping[str, str], *, keep: bool) -> Source:
        """The store's files, as a lookup source (``keep``: as for ``open_source``)."""
        ...

    def apps(self, location: str) -> AppSource:
        """The store's app resolutions (offline, as a mirror's apps.jsonl)."""
        ...

    def close(self) -> None:
        """Close the store, if it was opened."""
        ...


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """The options of the app stores: their base URLs and the pause between requests."""
    from adstxt.apps._stores import BASES

    group = parser.add_argument_group(
        "app stores",
        "Apps are resolved through their store listing (see the guide 'Apps and their "
        "app-ads.txt'). Names for --store-base: " + ", ".join(BASES) + ".",
    )
    group.add_argument(
        "--store-base",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="ask this base URL instead of the store's own, e.g. a mirror "
        "(repeatable); its host must be a domain name: use --connect-to to "
        "send it to a local address",
    )
    group.add_argument(
        "--store-interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="pause between two requests to one store (default: 1)",
    )


def make_resolver(
    args: argparse.Namespace, parser: argparse.ArgumentParser, cache: Path | None
) -> AppResolver:
    """The resolver the options describe (``--store-base``, ``--store-interval``,
    ``--connect-to``, ``--allow-private-addresses``, ``--timeout``); usage errors exit."""
    bases = {}
    for text in args.store_base:
        name, equals, url = text.partition("=")
        if not equals or not name.strip() or not url.strip():
            parser.error(f"--store-base: expected NAME=URL; found '{text}'")
        bases[name.strip()] = url.strip()
    if not args.store_interval >= 0:
        parser.error("--store-interval must be a number of seconds, at least 0")
    try:
        from adstxt.apps._resolver import AppResolver
        from adstxt.fetch import parse_connect_to

        rules = [parse_connect_to(spec) for spec in args.connect_to]
        return AppResolver(
            bases=bases,
            cache_dir=cache,
            interval=args.store_interval,
            connect_to=rules,
            allow_private_addresses=args.allow_private_addresses,
            timeout=args.timeout,
        )
    except (ImportError, ValueError) as error:
        parser.error(str(error))


def make_app_source(args: argparse.Namespace, parser: argparse.ArgumentParser) -> AppSource:
    """Where apps are resolved for ``authorized`` and ``schain``: with ``--source DIR``, the
    records of ``DIR/apps.jsonl`` only (an offline run asks no store); with ``--store S``,
    the resolutions the crawl store holds (offline too); with ``--fetch``, the stores, their
    answers kept under ``--cache-dir``."""
    access: StoreAccess | None = getattr(args, "store_access", None)
    if access is not None and getattr(args, "store", None) is not None:
        try:
            return access.apps(args.store)
        except UsageError as error:
            parser.error(str(error))
    if args.source is not None:
        from adstxt.apps._mirror import MirrorApps

        return MirrorApps(args.source)
    if not args.fetch:
        parser.error(
            "resolving apps needs --source DIR (its apps.jsonl), --store S (its app "
            "resolutions) or --fetch (the stores)"
        )
    return make_resolver(args, parser, args.cache_dir)


def read_ids(lines: Sequence[str]) -> list[str]:
    """Identifiers from a file's lines: one per line, '#' starts a comment (outside URLs,
    where '#' is a fragment: only '#' at the start of a line or after a space counts)."""
    found = []
    for line in lines:
        text = line.strip()
        for mark in (" #", "\t#"):
            text = text.split(mark, 1)[0]
        if text and not text.startswith("#"):
            found.append(text.strip())
    return found


def add_source_options(
    parser: argparse.ArgumentParser, *, store: StoreAccess | None = None
) -> None:
    """The options that say where files come from: ``--source DIR`` or ``--fetch``, and
    ``--store S`` when ``store`` says how to read a crawl store."""
    about = (
        "A mirror directory holds DIR/<domain>/ads.txt, DIR/<domain>/app-ads.txt and "
        "DIR/<ad-system domain>/sellers.json, as 'adstxt crawl --mirror DIR' writes it. "
    )
    if store is not None:
        about += (
            "A crawl store (--store) holds each file's current copy, as 'adstxt crawl' keeps it. "
        )
    group = parser.add_argument_group(
        "where the files come from",
        about + "--fetch reads the live sites instead (needs the fetch extra).",
    )
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--source", metavar="DIR", type=Path, help="read the files from this mirror directory"
    )
    if store is not None:
        where.add_argument(
            "--store",
            metavar="S",
            help="read the files, and the apps' developer domains, from this crawl store "
            "(a SQLite file or a postgresql:// URL): no network; a copy kept stale after "
            "failed fetches counts for as long as the spec keeps it",
        )
        parser.set_defaults(store_access=store)
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
        "as Cache-Control or Expires allow (7 days without them); store answers "
        "go to DIR/apps/, as with 'adstxt apps resolve --cache-dir'",
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


def open_source(args: argparse.Namespace, *, keep_files: bool = True) -> Source | None:
    """The source the options name; None when none of --source, --store (for a command
    given a :class:`StoreAccess`) and --fetch was given.

    ``keep_files`` false makes the source keep no more than the site in use (a mirror reads
    each ads.txt afresh), for runs that read each site's files once.
    """
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
        return MirrorSource(args.source, locations, keep=keep_files)
    access: StoreAccess | None = getattr(args, "store_access", None)
    if access is not None and getattr(args, "store", None) is not None:
        for flag, value in (("--cache-dir", args.cache_dir), ("--connect-to", args.connect_to)):
            if value:
                raise UsageError(f"{flag} needs --fetch; --store reads no site")
        return access.source(args.store, locations, keep=keep_files)
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
        keep=keep_files,
    )


def open_index(args: argparse.Namespace) -> AuthorizationIndex | None:
    """An index over the source the options name (None without one)."""
    from adstxt.authorization import AuthorizationIndex

    source = open_source(args)
    return None if source is None else AuthorizationIndex(source)


def close_index(index: AuthorizationIndex | None, args: argparse.Namespace | None = None) -> None:
    """Remove what a fetching source kept for the run only, and close a store ``args``
    opened."""
    close_source(index.source if index is not None else None, args)


def close_source(source: Source | None, args: argparse.Namespace | None = None) -> None:
    """Remove what a fetching source kept for the run only, and close a store ``args``
    opened."""
    close = getattr(source, "close", None)
    if close is not None:
        close()
    access: StoreAccess | None = getattr(args, "store_access", None)
    if access is not None:
        access.close()
