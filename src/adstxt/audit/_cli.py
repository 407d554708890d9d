"""``adstxt audit``: do all my publishers carry my lines; does every seller point back?"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from adstxt._progress import Progress

if TYPE_CHECKING:
    from adstxt._lookup_options import StoreAccess
    from adstxt.audit._publishers import InputProblem, PublisherLine
    from adstxt.authorization import Source
    from adstxt.model import FileKind

__all__ = ["main"]


class _InputError(Exception):
    """An input that stops the audit: exit status 2, after the reasons are printed."""


def _parser(
    prog: str = "adstxt audit", store: StoreAccess | None = None
) -> argparse.ArgumentParser:
    """The command's options; ``--store S`` among the sources when ``store`` reads one."""
    from adstxt._lookup_options import add_source_options

    parser = argparse.ArgumentParser(
        prog=prog,
        description="Audit many publishers at once. Forward (--expect LINES PUBLISHERS): "
        "does each publisher's ads.txt carry every expected line? Reverse (--sellers): "
        "does each seller of a sellers.json appear in its domain's ads.txt with the "
        "relationship its seller_type implies? Exit status: 0 when every publisher (every "
        "seller) passes, 1 otherwise, 2 on a usage or input error.",
        epilog="See the guide 'Auditing many publishers' for the statuses, the patches "
        "and the JSON document.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--expect",
        metavar="LINES",
        type=Path,
        help="forward audit: the expected lines, written as an ads.txt file",
    )
    what.add_argument(
        "--sellers",
        metavar="SELLERS",
        help="reverse audit: a sellers.json file, or an ad-system domain whose "
        "sellers.json the source holds (or --fetch fetches)",
    )
    parser.add_argument(
        "publishers",
        metavar="PUBLISHERS",
        nargs="?",
        help="forward audit: a file of publisher domains (app developer domains "
        "with --app), one a line, or '-' for standard input",
    )
    parser.add_argument(
        "--app",
        action="store_true",
        help="forward audit: read app-ads.txt; PUBLISHERS are app developer domains",
    )
    parser.add_argument(
        "--patches",
        metavar="DIR",
        type=Path,
        help="forward audit: write DIR/<publisher>.patch, a unified diff that appends "
        "the expected lines the publisher lacks and changes a differing OWNERDOMAIN or "
        "MANAGERDOMAIN (git apply or patch -p1)",
    )
    parser.add_argument(
        "--ad-system",
        metavar="DOMAIN",
        help="reverse audit: the ad system a sellers.json file belongs to (its domain "
        "as ads.txt lines name it); needed when SELLERS is a file",
    )
    parser.add_argument(
        "--file-kind",
        choices=("either", "ads.txt", "app-ads.txt"),
        default="either",
        help="reverse audit: which file of a seller's domain to read (default: either, "
        "ads.txt then app-ads.txt when ads.txt does not list the seller)",
    )
    parser.add_argument(
        "--no-intermediaries",
        action="store_true",
        help="reverse audit: report INTERMEDIARY sellers as skipped, not checked",
    )
    parser.add_argument(
        "--output-format",
        choices=("text", "json", "csv"),
        default="text",
        help="text (default), json (the versioned audit document) or csv",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="write the results to FILE (atomically) instead of standard output",
    )
    parser.add_argument(
        "--processes",
        type=_positive,
        metavar="N",
        help="forward audit: audit in N processes (default: one per CPU, at most 8, for a "
        "mirror directory with 1,000 publishers or more; otherwise 1; a crawl store is "
        "read by one)",
    )
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress bar on stderr (auto: only on a terminal)",
    )
    add_source_options(parser, store=store)
    return parser


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("give 1 or more")
    return number


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "adstxt audit",
    store: StoreAccess | None = None,
) -> int:
    """Run ``adstxt audit``; return the exit status. ``store`` reads ``--store S``."""
    from adstxt._guard import guarded

    return guarded(lambda: _main(argv, prog, store), prog)


def _main(argv: Sequence[str] | None, prog: str, store: StoreAccess | None) -> int:
    from adstxt._guard import UsageError
    from adstxt._lookup_options import close_source, open_source

    parser = _parser(prog, store)
    args = parser.parse_args(argv)
    if args.expect is not None and args.publishers is None:
        parser.error("--expect needs PUBLISHERS, the file of publishers to audit")
    if args.sellers is not None:
        for flag, given in (
            ("PUBLISHERS", args.publishers is not None),
            ("--patches", args.patches is not None),
            ("--app", args.app),
            ("--processes", args.processes is not None),
        ):
            if given:
                parser.error(f"{flag} belongs to the forward audit (--expect), not --sellers")
    if getattr(args, "store", None) is not None and (args.processes or 1) > 1:
        parser.error("--processes: a crawl store (--store) is read by one process")
    try:
        source = open_source(args, keep_files=False)
    except UsageError as error:
        parser.error(str(error))
    if source is None:
        where = "--source DIR, --store S or --fetch" if store else "--source DIR or --fetch"
        parser.error(f"say where the publishers' files come from: {where}")
    out: TextIO = io.StringIO() if args.output is not None else sys.stdout
    try:
        if args.expect is not None:
            status = _forward(args, source, out, prog)
        else:
            status = _reverse(args, source, out, prog)
    except _InputError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    finally:
        # A fetching source removes what it kept for this run only; a store is closed.
        close_source(source, args)
    if args.output is not None:
        assert isinstance(out, io.StringIO)
        from adstxt._atomic import write_atomically

        try:
            write_atomically(args.output, out.getvalue().encode("utf-8"), new_file_mode=0o644)
        except OSError as error:
            print(f"{prog}: cannot write {args.output}: {error}", file=sys.stderr)
            return 2
    return status


def _progress(args: argparse.Namespace, total: int) -> Progress:
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    return Progress(total, sys.stderr, show)


def _read_lines(path: str) -> list[str]:
    try:
        if path == "-":
            return sys.stdin.read().splitlines()
        with open(path, encoding="utf-8-sig", errors="replace") as stream:
            return stream.read().splitlines()
    except OSError as error:
        raise _InputError(f"cannot read {path}: {error.strerror}") from None


def _forward(args: argparse.Namespace, source: Source, out: TextIO, prog: str) -> int:
    from adstxt.audit._expected import read_expected
    from adstxt.audit._publishers import read_publishers
    from adstxt.audit._run import Job, run_forward
    from adstxt.audit._tally import ForwardTally
    from adstxt.audit._writers import ForwardWriter

    kind: FileKind = "app-ads.txt" if args.app else "ads.txt"
    try:
        expected = read_expected(args.expect, kind)
    except OSError as error:
        raise _InputError(f"cannot read {args.expect}: {error.strerror}") from None
    for d in expected.diagnostics:
        print(
            f"{args.expect}:{d.line}:{d.column}: {d.code} [{d.severity.value}] {d.message}",
            file=sys.stderr,
        )
    for repeat in expected.repeats:
        print(repeat, file=sys.stderr)
    if not expected.lines:
        raise _InputError(f"{args.expect} holds no record and no variable to expect")
    if expected.errors:
        lines = sorted({d.line for d in expected.errors})
        raise _InputError(
            f"{args.expect}: expected line(s) {', '.join(map(str, lines))} cannot be used; "
            "fix them and run again"
        )
    name = "<stdin>" if args.publishers == "-" else args.publishers
    entries: list[PublisherLine] = []
    problems: list[InputProblem] = list(expected.repeats)
    for entry, problem in read_publishers(_read_lines(args.publishers), name):
        if entry is not None:
            entries.append(entry)
        if problem is not None:
            problems.append(problem)
            print(problem, file=sys.stderr)
    if not entries:
        raise _InputError(f"{name} names no publisher to audit")
    patches = args.patches
    if patches is not None:
        try:
            patches.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _InputError(f"cannot create {patches}: {error.strerror}") from None
    header: dict[str, object] = {
        "tool": _tool(),
        "file_kind": kind,
        "source": _describe(source),
        "expect_file": os.fspath(args.expect),
        "publishers_file": name,
        "input_problems": [p.to_json() for p in problems],
    }
    writer = ForwardWriter(out, args.output_format, header, expected.lines)
    tally = ForwardTally(expected.lines)
    job = Job(expected.lines, source, kind, args.output_format, patches)
    progress = _progress(args, len(entries))
    try:
        for chunk in run_forward(job, entries, _processes(args, source, len(entries))):
            for text, counts in chunk:
                tally.add_counted(counts)
                writer.rendered(text)
            progress.advance(len(chunk))
    except OSError as error:
        raise _InputError(f"cannot write a patch: {error}") from None
    finally:
        progress.close()
    writer.finish(tally)
    return 0 if tally.passed else 1


def _processes(args: argparse.Namespace, source: Source, count: int) -> int:
    """How many processes audit: the option's number, or by default one per CPU (at most
    8) for a mirror with many publishers, and one otherwise."""
    from adstxt.authorization import MirrorSource

    if args.processes is not None:
        return int(args.processes)
    if not isinstance(source, MirrorSource) or count < 1000:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _tool() -> str:
    from adstxt._version import __version__

    return f"adstxt {__version__}"


def _describe(source: Source) -> str:
    directory = getattr(source, "directory", None)
    if directory is not None:
        return f"mirror {os.fspath(directory)}"
    store = getattr(source, "store", None)
    if store is not None:
        return f"store {store.where}"
    return "fetch" if type(source).__name__ == "FetchSource" else type(source).__name__


def _reverse(args: argparse.Namespace, source: Source, out: TextIO, prog: str) -> int:
    from adstxt.audit._reverse import audit_sellers
    from adstxt.audit._tally import SellersTally
    from adstxt.audit._writers import SellersWriter

    path = Path(args.sellers)
    if path.is_file():
        from adstxt.sellers import parse

        if not args.ad_system:
            raise _InputError(f"--ad-system DOMAIN: say which ad system {args.sellers} belongs to")
        ad_system = args.ad_system.strip().lower().rstrip(".")
        try:
            result = parse(path.read_bytes(), filename=os.fspath(path))
        except OSError as error:
            raise _InputError(f"cannot read {path}: {error.strerror}") from None
        where: str | None = os.fspath(path)
    else:
        ad_system = (args.ad_system or args.sellers).strip().lower().rstrip(".")
        if "/" in args.sellers or os.sep in args.sellers:
            raise _InputError(f"{args.sellers}: no such file")
        found = source.sellers_file(ad_system)
        if found.result is None:
            raise _InputError(found.problem or f"no sellers.json for {ad_system}")
        result, where = found.result, found.where
    if not result.usable:
        for d in result.diagnostics:
            pointer = f" (at {d.pointer})" if d.pointer else ""
            print(f"{where}:{d.line}:{d.column}: {d.code} {d.message}{pointer}", file=sys.stderr)
        raise _InputError(f"{where} is not a usable sellers.json: {result.problem}")
    header: dict[str, object] = {
        "tool": _tool(),
        "ad_system": ad_system,
        "sellers_file": where,
        "source": _describe(source),
        "file_kind": args.file_kind,
        "input_problems": [],
    }
    sellers = result.sellers
    writer = SellersWriter(out, args.output_format, header)
    tally = SellersTally()
    progress = _progress(args, len(sellers))
    try:
        for seller in audit_sellers(
            sellers,
            ad_system,
            source,
            files=args.file_kind,
            intermediaries=not args.no_intermediaries,
        ):
            tally.add(seller)
            writer.seller(seller)
            progress.advance(1)
    finally:
        progress.close()
    writer.finish(tally)
    return 1 if tally.failures else 0
