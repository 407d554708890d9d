"""``adstxt schain``: validate a supply chain and verify it against ads.txt and sellers.json."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, BinaryIO

from adstxt.schain._text import render_text

if TYPE_CHECKING:
    from adstxt._lookup_options import StoreAccess
    from adstxt.schain._verify import ChainResult, Verifier

__all__ = ["main", "render_text"]


def _parser(
    prog: str = "adstxt schain", store: StoreAccess | None = None
) -> argparse.ArgumentParser:
    """The command's options; ``--store S`` among the sources when ``store`` reads one."""
    from adstxt._lookup_options import add_source_options

    parser = argparse.ArgumentParser(
        prog=prog,
        description="Validate an OpenRTB supply chain (schain) and, with --source"
        + (", --store" if store else "")
        + " or --fetch, "
        "verify each node against its ad system's sellers.json and the first node against "
        "the publisher's ads.txt. Exit status: 0 valid, 1 incomplete or invalid, 2 a usage "
        "error.",
        epilog="CHAIN is the string form (1.0,1!exchange.com,1234,1), a file holding a "
        "SupplyChain object, a bid request or the string form, a JSON text, or '-' (or a "
        "file named *.jsonl) for a stream of bid requests, one JSON object per line. See the "
        "guide 'Verifying supply chains'.",
    )
    parser.add_argument("chain", metavar="CHAIN", help="the chain: a string, a file, or '-'")
    parser.add_argument(
        "--publisher",
        metavar="DOMAIN",
        help="the publisher whose ads.txt authorizes the first node (default: "
        "the bid request's site.domain, site.page or site.publisher.domain)",
    )
    parser.add_argument(
        "--app",
        action="store_true",
        help="--publisher is an app's developer domain: read app-ads.txt",
    )
    parser.add_argument(
        "--app-developer",
        action="append",
        default=[],
        metavar="BUNDLE=DOMAIN",
        help="the developer domain of an app bundle, from its store listing, "
        "for bid requests with app.bundle (repeatable)",
    )
    parser.add_argument(
        "--resolve-apps",
        action="store_true",
        help="find the developer domain of a bid request's app (app.bundle, else "
        "app.storeurl) through its store listing (with --fetch), the mirror's "
        "apps.jsonl (with --source DIR) or the crawl store's resolutions (with "
        "--store S), when --app-developer does not give it",
    )
    parser.add_argument(
        "--output-format",
        choices=("text", "json"),
        default="text",
        help="text (default) or json: one object per chain",
    )
    add_source_options(parser, store=store)
    from adstxt._lookup_options import add_store_options

    add_store_options(parser)
    return parser


def _print(result: ChainResult, name: str, output: str, line: int | None = None) -> None:
    if output == "json":
        data = result.to_json()
        if line is not None:
            data = {"line": line, **data}
        print(json.dumps(data, indent=None if line is not None else 2), flush=True)
    else:
        print(render_text(result, name), flush=True)


def _stream(verifier: Verifier, publisher: object, output: str, stream: BinaryIO) -> int:
    status = 0
    for number, result in verifier.verify_lines(iter(stream), publisher):  # type: ignore[arg-type]
        if not result.ok:
            status = 1
        _print(result, f"line {number}", output, number)
    return status


class _Given(Mapping[str, str]):
    """The developers given with --app-developer first, then those the stores name."""

    def __init__(self, given: Mapping[str, str], stores: Mapping[str, str]) -> None:
        self.given = given
        self.stores = stores

    def __getitem__(self, key: str) -> str:
        return self.given[key] if key in self.given else self.stores[key]

    def why_not(self, key: str) -> str | None:
        """Why the stores gave no developer for ``key`` (see ``DeveloperLookup.why_not``)."""
        why_not = getattr(self.stores, "why_not", None)
        return None if key in self.given or why_not is None else why_not(key)

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self.stores), **dict.fromkeys(self.given)})

    def __len__(self) -> int:
        return len(set(self.given) | set(self.stores))


def _names_a_file(chain: str) -> bool:
    """Whether CHAIN, not being a file, can only have meant one: a string form always has
    ``ver,complete`` (a ``,``, or ``%2C`` once more encoded) and JSON starts with ``{``."""
    text = chain.strip()
    if not text or text[0] in "{[" or "," in text or "%2c" in text.lower():
        return False
    return "/" in text or os.sep in text or text.lower().endswith(_FILE_SUFFIXES)


_FILE_SUFFIXES = (".json", ".jsonl", ".ndjson", ".txt")


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "adstxt schain",
    store: StoreAccess | None = None,
) -> int:
    """Run ``adstxt schain``; return the exit status. ``store`` reads ``--store S``."""
    from adstxt._guard import guarded

    return guarded(lambda: _main(argv, prog, store), prog)


def _main(argv: Sequence[str] | None, prog: str, store: StoreAccess | None) -> int:
    from adstxt._guard import UsageError
    from adstxt._lookup_options import close_index, open_index
    from adstxt.schain._verify import Publisher, Verifier

    parser = _parser(prog, store)
    args = parser.parse_args(argv)
    developers = {}
    for text in args.app_developer:
        bundle, equals, domain = text.partition("=")
        if not equals or not bundle.strip() or not domain.strip():
            parser.error(f"--app-developer: expected BUNDLE=DOMAIN; found '{text}'")
        developers[bundle.strip()] = domain.strip()
    publisher = None
    if args.publisher:
        publisher = Publisher(args.publisher, "app-ads.txt" if args.app else "ads.txt")
    elif args.app:
        parser.error("--app needs --publisher")
    try:
        index = open_index(args)
    except UsageError as error:
        parser.error(str(error))
    known: Mapping[str, str] = developers
    if args.resolve_apps:
        from adstxt._lookup_options import make_app_source
        from adstxt.apps import DeveloperLookup

        known = _Given(developers, DeveloperLookup(make_app_source(args, parser)))
    verifier = Verifier(index, app_developers=known)
    try:
        if args.chain == "-":
            return _stream(verifier, publisher, args.output_format, sys.stdin.buffer)
        if args.chain.endswith(".jsonl") and os.path.isfile(args.chain):
            try:
                with open(args.chain, "rb") as lines:
                    return _stream(verifier, publisher, args.output_format, lines)
            except OSError as error:
                print(f"{prog}: cannot read {args.chain}: {error.strerror}", file=sys.stderr)
                return 2
        name = "chain"
        data: bytes | str = args.chain
        if os.path.isfile(args.chain):
            name = args.chain
            try:
                with open(args.chain, "rb") as file:
                    data = file.read()
            except OSError as error:
                print(f"{prog}: cannot read {args.chain}: {error.strerror}", file=sys.stderr)
                return 2
        elif os.path.isdir(args.chain):
            parser.error(f"{args.chain} is a directory; CHAIN is a string, a file or '-'")
        elif _names_a_file(args.chain):
            # A mistyped file name would otherwise be read as a string form and fail
            # as a malformed chain, hiding the real mistake.
            print(f"{prog}: cannot read {args.chain}: No such file", file=sys.stderr)
            return 2
        result = verifier.verify(data, publisher)
        _print(result, name, args.output_format)
        return 0 if result.ok else 1
    finally:
        close_index(index, args)
