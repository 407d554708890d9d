"""``adstxt-check``: check ads.txt and app-ads.txt files from the command line.

Exit status: 0 when no error was found, 1 when at least one error was, 2 when an input
could not be read or the command line was wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from adstxt._api import check
from adstxt.diagnostics import Diagnostic, Severity

__all__ = ["main"]

_FILE_NAMES = ("ads.txt", "app-ads.txt")


def _escape(text: str) -> str:
    """Make text from a checked file safe to print: no control or bidi characters survive."""
    out = []
    for char in text:
        code = ord(char)
        if code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029" or (
            0x200B <= code <= 0x200F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
            or code == 0xFEFF
        ):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _expand(paths: Sequence[str]) -> Iterator[str]:
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for found in sorted(Path(path).rglob("*")):
                if found.is_file() and found.name.lower() in _FILE_NAMES:
                    yield str(found)
        else:
            yield path


def _parser() -> argparse.ArgumentParser:
    from adstxt import __version__

    parser = argparse.ArgumentParser(
        prog="adstxt-check",
        description="Check ads.txt and app-ads.txt files against the IAB Tech Lab specifications.",
    )
    parser.add_argument(
        "paths", nargs="*", default=["ads.txt"], metavar="PATH",
        help="files to check, directories to search for ads.txt and app-ads.txt, "
        "or '-' for standard input (default: ads.txt)",
    )
    parser.add_argument(
        "--kind", choices=("ads.txt", "app-ads.txt"),
        help="rules to apply (default: from the file name)",
    )
    parser.add_argument(
        "--domain", metavar="DOMAIN",
        help="the domain the file is served from, for the SUBDOMAIN checks",
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail (exit 1) on warnings as well as errors"
    )
    parser.add_argument("--version", action="version", version=f"adstxt-check {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    args = _parser().parse_args(argv)
    failing = Severity.WARNING.rank if args.strict else Severity.ERROR.rank
    counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
    checked = 0
    unreadable = False
    out = sys.stdout
    for path in _expand(args.paths):
        try:
            if path == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as file:
                    data = file.read()
        except OSError as error:
            print(f"adstxt-check: cannot read {path}: {error.strerror or error}", file=sys.stderr)
            unreadable = True
            continue
        checked += 1
        name = "<stdin>" if path == "-" else path
        diagnostics: Sequence[Diagnostic] = check(
            data, filename=None if path == "-" else path, kind=args.kind, domain=args.domain
        )
        for d in diagnostics:
            counts[d.severity] += 1
            out.write(f"{_escape(name)}:{d.line}:{d.column}: {d.code} {_escape(d.message)}\n")
    found = sum(n for severity, n in counts.items() if severity.rank >= failing)
    summary = (
        f"Checked {checked} file{'s' if checked != 1 else ''}: {counts[Severity.ERROR]} "
        f"error{'s' if counts[Severity.ERROR] != 1 else ''}, {counts[Severity.WARNING]} "
        f"warning{'s' if counts[Severity.WARNING] != 1 else ''}, {counts[Severity.INFO]} info."
    )
    print(summary, file=out)
    if unreadable:
        return 2
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
