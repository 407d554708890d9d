"""``adstxt``: one command with the tools as subcommands, ``adstxt check`` and ``adstxt crawl``.

``adstxt check ARGS`` is ``adstxt-check ARGS`` and ``adstxt crawl ARGS`` is ``adstxt-crawl
ARGS``: the same options, output and exit status; only the usage and help lines name the
command as typed. A subcommand is one entry of :data:`COMMANDS`, which names the functions
that run it and build its parser; its module is imported only when it runs, so ``adstxt
check`` starts as fast as ``adstxt-check``.

Without a command name, ``adstxt PATH ...`` runs ``adstxt-check PATH ...`` unchanged, as
``python -m adstxt PATH ...`` always has. It says so in one line on standard error only when
that is a terminal: a script that reads standard error never sees the line.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol, cast

from adstxt._process_exit import skip_final_collection

__all__ = ["COMMANDS", "Command", "main"]


class _Main(Protocol):
    def __call__(
        self, argv: Sequence[str] | None = None, *, prog: str, **extras: object
    ) -> int: ...


@dataclass(frozen=True)
class Command:
    """One subcommand of ``adstxt``."""

    #: What follows ``adstxt`` on the command line.
    name: str
    #: One line for ``adstxt --help``.
    summary: str
    #: ``module:function`` of ``main(argv, *, prog) -> int``, which returns the exit status.
    main: str
    #: ``module:function`` of ``parser(prog) -> argparse.ArgumentParser``, for help and docs.
    parser: str
    #: The stand-alone console script that runs the same thing, if there is one.
    script: str | None = None
    #: ``module:class`` of the crawl-store access a lookup command gets for ``--store``
    #: (the lookups sit below the store, so the command table hands it to them).
    store_access: str | None = None

    @property
    def prog(self) -> str:
        """The command as typed: ``adstxt check``."""
        return f"adstxt {self.name}"

    def run(self, argv: Sequence[str], prog: str | None = None) -> int:
        """Run the command with ``argv`` (the arguments after its name)."""
        run = cast(_Main, _load(self.main))
        return run(list(argv), prog=prog or self.prog, **self._extras())

    def build_parser(self, prog: str | None = None) -> argparse.ArgumentParser:
        """The command's argument parser, named ``prog`` (by default ``adstxt NAME``)."""
        build = cast(Callable[..., argparse.ArgumentParser], _load(self.parser))
        return build(prog or self.prog, **self._extras())

    def _extras(self) -> dict[str, object]:
        """What the command's functions take besides their arguments: a store access."""
        if self.store_access is None:
            return {}
        return {"store": cast(Callable[[], object], _load(self.store_access))()}


def _load(target: str) -> object:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _registry(*commands: Command) -> Mapping[str, Command]:
    return {command.name: command for command in commands}


#: Every subcommand, in the order ``adstxt --help`` lists them. A new command is one entry
#: here and a module with its own ``main`` and parser function.
COMMANDS: Final[Mapping[str, Command]] = _registry(
    Command(
        name="check",
        summary="check ads.txt, app-ads.txt and sellers.json files, or a site's file",
        main="adstxt.cli:main",
        parser="adstxt.cli:_parser",
        script="adstxt-check",
    ),
    Command(
        name="crawl",
        summary="fetch and check the ads.txt or app-ads.txt of many sites",
        main="adstxt.crawl:main",
        parser="adstxt.crawl:_parser",
        script="adstxt-crawl",
    ),
    Command(
        name="history",
        summary="show the fetches and versions of a domain's files in a crawl store",
        main="adstxt.store._cli:history_main",
        parser="adstxt.store._cli:history_parser",
    ),
    Command(
        name="diff",
        summary="show what changed in a domain's file between versions in a crawl store",
        main="adstxt.store._cli:diff_main",
        parser="adstxt.store._cli:diff_parser",
    ),
    Command(
        name="changes",
        summary="list the change events of a crawl store since a date, by ad system or seller",
        main="adstxt.store._cli:changes_main",
        parser="adstxt.store._cli:changes_parser",
    ),
    Command(
        name="export",
        summary="write the records, fetches or changes of a crawl store as CSV, JSONL or Parquet",
        main="adstxt.store._cli:export_main",
        parser="adstxt.store._cli:export_parser",
    ),
    Command(
        name="authorized",
        summary="say whether a seller is authorized by a publisher's ads.txt",
        main="adstxt.authorization._cli:main",
        parser="adstxt.authorization._cli:_parser",
        store_access="adstxt._store_lookups:CrawlStoreAccess",
    ),
    Command(
        name="apps",
        summary="resolve apps to their developer's domain and app-ads.txt URL",
        main="adstxt.apps._cli:main",
        parser="adstxt.apps._cli:_parser",
    ),
    Command(
        name="audit",
        summary="audit many publishers: expected lines, or sellers listed back",
        main="adstxt.audit._cli:main",
        parser="adstxt.audit._cli:_parser",
        store_access="adstxt._store_lookups:CrawlStoreAccess",
    ),
    Command(
        name="schain",
        summary="validate a supply chain and verify it against ads.txt and sellers.json",
        main="adstxt.schain._cli:main",
        parser="adstxt.schain._cli:_parser",
        store_access="adstxt._store_lookups:CrawlStoreAccess",
    ),
    Command(
        name="report",
        summary="write one self-contained HTML report of a check or an audit",
        main="adstxt.report._cli:main",
        parser="adstxt.report._cli:_parser",
    ),
)

#: What ``adstxt PATH ...``, with no command name, runs.
DEFAULT: Final = "check"
_HELP = "help"
# A first argument of this shape that names no file is taken for a mistyped command; any
# other (a path with '.' or '/', an option, '-') goes to the default command as before.
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _parser(prog: str = "adstxt") -> argparse.ArgumentParser:
    """The top-level parser: it documents the global options and lists the commands."""
    parser = argparse.ArgumentParser(
        prog=prog,
        usage=f"{prog} [-h] [--version] COMMAND [ARGS ...]",
        description="Check ads.txt, app-ads.txt and sellers.json files against the IAB Tech "
        f"Lab specifications. Run '{prog} help COMMAND' or '{prog} COMMAND --help' for the "
        "options of a command.",
        epilog=f"Without a command name, '{prog} PATH ...' runs '{prog} check PATH ...'. "
        f"'{prog} check' is the same as adstxt-check and '{prog} crawl' as adstxt-crawl.",
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="print the versions of adstxt, tldextract and the Public Suffix "
        "List snapshot, whether the checker runs compiled, and exit",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS.values():
        commands.add_parser(command.name, help=command.summary, add_help=False)
    commands.add_parser(_HELP, help="show the options of a command: help [COMMAND]", add_help=False)
    return parser


def _unknown(name: str, what: str = "") -> str:
    """The reason an unknown command name is refused, with the closest command if any."""
    import difflib  # only for a mistake, so not on every command's start-up

    names = [*COMMANDS, _HELP]
    close = difflib.get_close_matches(name.lower(), names, n=1)
    if close:
        suggestion = f"did you mean '{close[0]}'?"
    else:
        suggestion = "the commands are " + ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"adstxt: '{name}' is not an adstxt command{what}; {suggestion}"


def _help(argv: Sequence[str]) -> int:
    if not argv or argv[0] in (_HELP, "-h", "--help"):
        _parser().print_help()
        return 0
    if len(argv) > 1:
        print("usage: adstxt help [COMMAND]\nadstxt help: give one command name", file=sys.stderr)
        return 2
    command = COMMANDS.get(argv[0])
    if command is None:
        print(_unknown(argv[0]), file=sys.stderr)
        return 2
    command.build_parser().print_help()
    return 0


def _default(argv: Sequence[str]) -> int:
    """``adstxt PATH ...``: the default command, byte for byte as its own script runs it."""
    command = COMMANDS[DEFAULT]
    if sys.stderr.isatty():
        # Only for a person at a terminal: scripts compare or parse standard error.
        print(
            f"adstxt: running '{command.prog}' (the default command); "
            "'adstxt help' lists the commands",
            file=sys.stderr,
        )
    return command.run(argv, prog=command.script)


def _dispatch(argv: list[str]) -> int:
    first = argv[0] if argv else None
    if first in ("-h", "--help"):
        _parser().print_help()
        return 0
    if first == "--version":
        return COMMANDS[DEFAULT].run(["--version"])
    if first == _HELP:
        return _help(argv[1:])
    if first is not None and first in COMMANDS:
        return COMMANDS[first].run(argv[1:])
    if first is not None and _WORD.fullmatch(first) and not os.path.lexists(first):
        print(_unknown(first, ", nor a file or directory"), file=sys.stderr)
        return 2
    return _default(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``adstxt``; return the exit status.

    ``argv`` defaults to the process's arguments. A command's argument errors and ``--help``
    return their status (2 and 0) here rather than raising :class:`SystemExit`. Without
    ``argv`` the run is the whole of the process (see :mod:`adstxt._process_exit`).
    """
    if argv is None:
        skip_final_collection()
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as stop:
        # argparse (usage errors, --help) ends this way; a status, not a str, is expected.
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        raise


if __name__ == "__main__":
    raise SystemExit(main())
