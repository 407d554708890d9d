"""The options that say how app stores are asked, shared by the commands that resolve apps."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adstxt.apps._resolver import AppResolver

__all__ = ["add_store_options", "make_resolver", "read_ids"]


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
