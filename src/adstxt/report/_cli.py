"""``adstxt report``: one self-contained HTML page from a check of files and folders, an
audit's JSON result, or a crawl store.

Exit status: 0 when the report was written; 2 for a usage error, an input that is not there
or cannot be used (a folder with no file to check, an audit result that is not one, a store
that cannot be opened), a bad configuration file or a report that cannot be written, with
the reason on standard error.
A file that cannot be read is not a usage error: the report lists it as unreadable.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from adstxt._report import docs_base, escape
from adstxt.report._model import Report

__all__ = ["main"]

#: The finding rows a report lists unless told otherwise.
DEFAULT_ROWS = 2000


def _rows(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 (no limit) or more, not {value}")
    return value


def _parser(prog: str = "adstxt report") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Write one self-contained HTML report (summary figures, charts and "
        "sortable, filterable tables down to each finding) from a check of files and "
        "folders, an audit's JSON result, a crawl store, or any of them together. The page "
        "fetches nothing, works offline, prints, and is readable with JavaScript off.",
        epilog="Rule codes link to their pages when ADSTXT_DOCS_URL names the documentation "
        "site, as in SARIF output. Exit status: 0 written, 2 a usage or input error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files to check, or folders to search for ads.txt, app-ads.txt and sellers.json "
        "(checked as 'adstxt check' checks them, with the nearest configuration)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the HTML file to write (replaced whole, or not at all); '-' for standard output",
    )
    parser.add_argument(
        "--audit",
        metavar="RESULT.json",
        help="add the result of 'adstxt audit --output-format json': coverage per expected "
        "line and per publisher",
    )
    parser.add_argument(
        "--store",
        metavar="S",
        help="add a section on this crawl store (a SQLite file or a postgresql:// URL, as "
        "'adstxt crawl' keeps it): files by verdict, outcomes of the latest fetches, change "
        "events per day by type, the crawls and the latest changes",
    )
    parser.add_argument(
        "--title", default="ads.txt report", help="the page's title (default: %(default)s)"
    )
    parser.add_argument(
        "--max-rows",
        type=_rows,
        default=DEFAULT_ROWS,
        metavar="N",
        help="list at most N findings in the per-line table, N files in the files table "
        "and N events in the store's table of changes, saying how many were left out "
        "(figures and charts always count all); 0 lists every one (default: %(default)s)",
    )
    return parser


class _InputError(Exception):
    """An input the report cannot use: exit status 2."""


def _build(args: argparse.Namespace) -> tuple[Report, list[str]]:
    from adstxt._config import ConfigError
    from adstxt.report._check import check_paths, find_files

    report = Report(title=args.title, row_limit=args.max_rows, docs=docs_base())
    warnings: list[str] = []
    if args.paths:
        for path in args.paths:
            if not os.path.lexists(path):
                raise _InputError(f"{escape(path)}: no such file or folder")
        files = list(find_files(args.paths))
        if not files:
            raise _InputError(
                "no ads.txt, app-ads.txt or sellers.json file found under "
                + ", ".join(escape(path) for path in args.paths)
            )
        try:
            report.check = check_paths(files, row_limit=args.max_rows)
        except ConfigError as error:
            raise _InputError(str(error)) from None
        warnings.extend(
            f"{escape(row.path)}: cannot read it ({row.problem}); listed as unreadable"
            for row in report.check.files
            if row.problem
        )
    if args.audit is not None:
        from adstxt.report._audit import AuditFormatError, read_audit

        try:
            report.audit = read_audit(args.audit)
        except OSError as error:
            raise _InputError(
                f"--audit: cannot read {escape(args.audit)}: {error.strerror or error}"
            ) from None
        except AuditFormatError as error:
            raise _InputError(f"--audit: {escape(args.audit)}: {error}") from None
    if args.store is not None:
        from adstxt.store import StoreError, open_store
        from adstxt.store._dialect import database_errors
        from adstxt.store._summary import summarize

        try:
            with open_store(args.store, create=False) as store:
                report.store = summarize(store, latest=args.max_rows or None)
        except StoreError as error:
            raise _InputError(f"--store: {escape(str(error))}") from None
        except database_errors() as error:
            raise _InputError(f"--store: cannot read {escape(args.store)}: {error}") from None
    return report, warnings


def main(argv: Sequence[str] | None = None, *, prog: str = "adstxt report") -> int:
    """Run ``adstxt report``; return the exit status."""
    from adstxt.report._html import render

    args = _parser(prog).parse_args(argv)
    if not args.paths and args.audit is None and args.store is None:
        print(
            f"{prog}: give files or folders to check, --audit RESULT.json, --store S, or "
            "any of them together",
            file=sys.stderr,
        )
        return 2
    try:
        report, warnings = _build(args)
    except _InputError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"{prog}: {warning}", file=sys.stderr)
    page = render(report).encode("utf-8")
    if args.output == "-":
        sys.stdout.buffer.write(page)
        sys.stdout.flush()
        return 0
    from adstxt._atomic import write_atomically

    try:
        write_atomically(args.output, page, new_file_mode=0o644)
    except OSError as error:
        print(
            f"{prog}: cannot write {escape(args.output)}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    return 0
