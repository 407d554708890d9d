"""``adstxt-check``: lint ads.txt and app-ads.txt files.

Exit status: 0 when nothing at a failing severity was found; 1 when something was, or when
``--fix`` changed a file (or ``--diff`` would); 2 for a usage error, an unreadable input, a
file ``--fix`` cannot write, a bad configuration file or an internal error, with the reason
on standard error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from adstxt._config import (
    OUTPUT_FORMATS,
    Config,
    ConfigError,
    find_config,
    forget_found_configs,
    load_config,
)
from adstxt._files import STDIN, expand_paths, maybe_sellers_json
from adstxt._process_exit import skip_final_collection
from adstxt._report import (
    FileReport,
    Style,
    escape,
    render_statistics,
    summary_line,
    tally,
    write,
)
from adstxt._settings import Settings, expand_selector, normalize_domain
from adstxt.diagnostics import Diagnostic

if TYPE_CHECKING:
    from adstxt._report import Spooled
    from adstxt._text import Text
    from adstxt.fetch import ConnectTo
    from adstxt.sellers import SellersSource

__all__ = ["main"]

_STDIN = STDIN


class UsageError(Exception):
    """A problem with the command line or configuration: exit status 2."""


def _codes(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _parser(prog: str = "adstxt-check") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Check ads.txt and app-ads.txt files against the IAB Tech Lab specifications.",
        epilog="Exit status: 0 clean, 1 problems found (or files fixed), 2 usage or input "
        "error. Configuration comes from the nearest .adstxt.toml or [tool.adstxt] in "
        "pyproject.toml; command-line options win.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files to check, directories to search for ads.txt and app-ads.txt, or '-' for "
        "standard input (default: the current directory)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        help="how to report findings (default: concise)",
    )
    output.add_argument(
        "--statistics",
        action="store_true",
        help="print how often each code was reported instead of each finding",
    )
    output.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour text output (default: auto, on a terminal unless NO_COLOR is set)",
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="print findings only, without the summary line"
    )
    rules = parser.add_argument_group("rule selection")
    rules.add_argument(
        "--select",
        type=_codes,
        metavar="CODES",
        help="report only these codes or prefixes, comma-separated (e.g. ADS2)",
    )
    rules.add_argument(
        "--extend-select",
        type=_codes,
        metavar="CODES",
        default=[],
        help="report these codes in addition to the selected ones",
    )
    rules.add_argument(
        "--ignore",
        type=_codes,
        metavar="CODES",
        default=[],
        help="do not report these codes or prefixes",
    )
    rules.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fail (exit 1) on warnings as well as errors",
    )
    rules.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when problems are found"
    )
    fixes = parser.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    fixes.add_argument(
        "--diff",
        action="store_true",
        help="show the changes --fix would make, without writing them",
    )
    fixes.add_argument(
        "--unsafe-fixes",
        action="store_true",
        default=None,
        help="with --fix or --diff, apply unsafe fixes as well",
    )
    context = parser.add_argument_group("context")
    context.add_argument(
        "--kind",
        choices=("ads.txt", "app-ads.txt"),
        help="rules to apply (default: from the file name)",
    )
    context.add_argument(
        "--domain",
        metavar="DOMAIN",
        help="the domain the file is served from, for the SUBDOMAIN and CONTACT checks",
    )
    remote = parser.add_argument_group(
        "live sites (needs the fetch extra: pip install 'adstxt[fetch]')",
        "With --domain and no PATH, the file the site serves is fetched as crawlers do and "
        "checked; a PATH that is an http:// or https:// URL is fetched as it is.",
    )
    remote.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="HOST1:PORT1:HOST2:PORT2",
        help="connect to HOST2:PORT2 whenever HOST1:PORT1 is asked for, as curl "
        "does (repeatable; an empty HOST1 or PORT1 matches any); for staging "
        "servers",
    )
    remote.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="allow fetching from private, loopback and link-local addresses",
    )
    remote.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="time limit for one fetch: HTTPS, then HTTP, and every redirect (default: 30)",
    )
    sellers = parser.add_argument_group(
        "sellers.json",
        "A PATH named *.json (or that starts like a sellers.json file) is validated as a "
        "sellers.json file. With --sellers-json or --fetch-sellers, every ads.txt record is "
        "also checked against its ad system's sellers.json.",
    )
    sellers.add_argument(
        "--sellers-json",
        metavar="PATH",
        type=Path,
        help="a sellers.json file named after its ad system (openx.com.json) "
        "or a directory of them",
    )
    sellers.add_argument(
        "--fetch-sellers",
        action="store_true",
        help="fetch each ad system's sellers.json (fetch extra), cached on "
        "disk for as long as the server allows, 7 days by default",
    )
    sellers.add_argument(
        "--sellers-cache",
        metavar="DIR",
        type=Path,
        help="where fetched sellers.json files are kept (default: the user cache directory)",
    )
    sellers.add_argument(
        "--sellers-location",
        action="append",
        default=[],
        metavar="DOMAIN=URL",
        help="with --fetch-sellers, fetch DOMAIN's sellers.json from URL "
        "(repeatable; adds to the known locations and the "
        "'sellers-locations' configuration key)",
    )
    context.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="use this configuration file instead of searching for one",
    )
    context.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    about = parser.add_argument_group("information")
    about.add_argument("--show-rules", action="store_true", help="list every rule and exit")
    about.add_argument(
        "--explain",
        metavar="CODE",
        help="print the documentation of a rule (code or name) and exit",
    )
    about.add_argument(
        "--version",
        action="store_true",
        help="print the versions of adstxt, tldextract and the Public Suffix "
        "List snapshot, whether the checker runs compiled, and exit",
    )
    return parser


def _version() -> str:
    from importlib.metadata import version

    from adstxt import __version__
    from adstxt._domains import psl_version
    from adstxt._engine_choice import ENGINE

    return (
        f"adstxt-check {__version__} (tldextract {version('tldextract')}, "
        f"Public Suffix List snapshot {psl_version() or 'of unknown date'})\n"
        f"checker: {ENGINE}"
    )


def _show_rules() -> str:
    from adstxt.rules import RULES

    width = max(len(rule.name) for rule in RULES.values())
    lines = [f"{'Code':<7} {'Name':<{width}} {'Severity':<8} {'Fix':<6} Summary"]
    for rule in RULES.values():
        lines.append(
            f"{rule.code:<7} {rule.name:<{width}} {rule.severity.value:<8} {rule.fix:<6} "
            f"{rule.summary}"
        )
    return "\n".join(lines) + "\n"


def _explain(selector: str) -> str:
    from adstxt._rulesdoc import render_rule
    from adstxt.rules import RULES

    try:
        codes = expand_selector(selector)
    except ValueError as error:
        raise UsageError(f"--explain: {error}; run --show-rules for the list") from None
    if len(codes) != 1:
        raise UsageError(f"--explain: {selector!r} names {len(codes)} rules; give one code")
    return render_rule(RULES[next(iter(codes))])


@attrs.frozen
class _Options:
    """Command-line settings that override whatever a configuration file says."""

    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    strict: bool | None
    domain: str | None
    unsafe_fixes: bool | None

    def over(self, base: Settings) -> Settings:
        settings = attrs.evolve(
            base,
            strict=base.strict if self.strict is None else self.strict,
            domain=self.domain or base.domain,
            unsafe_fixes=base.unsafe_fixes if self.unsafe_fixes is None else self.unsafe_fixes,
        )
        if self.select is None and not self.extend_select and not self.ignore:
            return settings
        return settings.with_selection(self.select, self.extend_select, self.ignore)


class _Run:
    """One invocation: configuration lookup, checking, fixing and what to report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        domain = None
        if args.domain is not None:
            try:
                domain = normalize_domain(args.domain)
            except ValueError as error:
                raise UsageError(f"--domain: {error}") from None
        if not 0 < args.timeout < float("inf"):
            raise UsageError(
                f"--timeout: expected a number of seconds above 0, not {args.timeout:g}"
            )
        if args.select is not None and not args.select:
            raise UsageError("--select: give at least one code, prefix or rule name")
        self.options = _Options(
            tuple(args.select) if args.select is not None else None,
            tuple(args.extend_select),
            tuple(args.ignore),
            args.strict,
            domain,
            args.unsafe_fixes,
        )
        for flag, selectors in (
            ("--select", args.select or ()),
            ("--extend-select", args.extend_select),
            ("--ignore", args.ignore),
        ):
            for selector in selectors:
                try:
                    expand_selector(selector)
                except ValueError as error:
                    raise UsageError(f"{flag}: {error}") from None
        self.explicit: Config | None = None
        if args.config is not None and not args.isolated:
            try:
                self.explicit = load_config(args.config)
            except ConfigError as error:
                raise UsageError(str(error)) from None
            if self.explicit is None:
                raise UsageError(f"{args.config}: has no [tool.adstxt] table")
        self.failed_inputs = False
        self.changed_files = 0
        self.fixed = 0
        self.sellers = self._sellers_source()
        #: The findings of streamed files, on disk until they are reported.
        self.spools: list[Spooled] = []

    def _sellers_source(self) -> SellersSource | None:
        if self.args.sellers_json is not None and self.args.fetch_sellers:
            raise UsageError("--sellers-json and --fetch-sellers cannot be used together")
        if self.args.sellers_json is not None:
            from adstxt.sellers import open_source

            try:
                return open_source(self.args.sellers_json)
            except (OSError, ValueError) as error:
                raise UsageError(f"--sellers-json: {error}") from None
        if self.args.fetch_sellers:
            try:
                from adstxt.sellers import online_source

                connect_to = self.connect_to()
            except ImportError as error:
                raise UsageError(f"--fetch-sellers: {error}") from None
            return online_source(
                cache_dir=self.args.sellers_cache,
                connect_to=connect_to,
                allow_private_addresses=self.args.allow_private_addresses,
                timeout=self.args.timeout,
                locations=self.sellers_locations(),
            )
        if self.args.sellers_location:
            raise UsageError("--sellers-location needs --fetch-sellers")
        return None

    def sellers_locations(self) -> dict[str, str]:
        """The configured sellers.json locations (of the current directory, as for the
        output format), overridden by ``--sellers-location``."""
        from adstxt.sellers._locations import parse_location

        config = self.config_for(_STDIN)
        locations = dict(config.sellers_locations) if config else {}
        for text in self.args.sellers_location:
            try:
                domain, url = parse_location(text)
            except ValueError as error:
                raise UsageError(f"--sellers-location: {error}") from None
            locations[domain] = url
        return locations

    def connect_to(self) -> list[ConnectTo]:
        """The ``--connect-to`` overrides; needs the fetch extra (ImportError without it)."""
        from adstxt.fetch import parse_connect_to

        try:
            return [parse_connect_to(spec) for spec in self.args.connect_to]
        except ValueError as error:
            raise UsageError(str(error)) from None

    def config_for(self, path: str) -> Config | None:
        if self.args.isolated:
            return None
        if self.explicit is not None:
            return self.explicit
        start = Path.cwd() if path == _STDIN else Path(path).parent
        try:
            return find_config(start)
        except ConfigError as error:
            raise UsageError(str(error)) from None

    def settings_for(self, path: str) -> Settings:
        config = self.config_for(path)
        return self.options.over(config.settings if config else Settings())

    def output_format(self, paths: Sequence[str]) -> str:
        """The flag, else the configuration of the current directory or of the first file."""
        if self.args.output_format:
            return str(self.args.output_format)
        for where in (_STDIN, *paths[:1]):
            config = self.config_for(where)
            if config and config.output_format:
                return config.output_format
        return "concise"

    def read(self, path: str) -> bytes | None:
        try:
            if path == _STDIN:
                return sys.stdin.buffer.read()
            if self.args.fix:
                from adstxt._atomic import clean_up_after

                clean_up_after(path)  # finishes what a killed --fix left, before reading
            with open(path, "rb") as file:
                return file.read()
        except OSError as error:
            reason = error.strerror or str(error)
            print(f"adstxt-check: cannot read {escape(path)}: {reason}", file=sys.stderr)
            self.failed_inputs = True
            return None

    def check(
        self, path: str, output_format: str, style: Style
    ) -> tuple[FileReport, Settings] | None:
        if (
            path != _STDIN
            and not (self.args.fix or self.args.diff)
            and self.sellers is None
            and os.path.isfile(path)  # read twice: a pipe or a FIFO is read whole
        ):
            return self.check_streamed(path, output_format, style)
        data = self.read(path)
        if data is None:
            return None
        settings = self.settings_for(path)
        filename = None if path == _STDIN else path
        name = "<stdin>" if path == _STDIN else path
        if self.args.kind is None and maybe_sellers_json(filename, data):
            from adstxt.sellers import parse as parse_sellers

            found = parse_sellers(data, filename=filename).diagnostics
            return FileReport(name, settings.apply(found), data), settings
        from adstxt._text import Text

        # The file is decoded here, once: checking, fixing and reporting all read this.
        text = Text.from_bytes(data)
        del data
        known: Sequence[Diagnostic] | None = None
        if self.args.fix or self.args.diff:
            text, known = self.fix(path, text, settings)
        if known is None or self.sellers is not None:
            from adstxt._lint import lint

            known = lint(
                text,
                filename=filename,
                kind=self.args.kind,
                settings=settings,
                sellers=self.sellers,
            )
        return FileReport(name, known, text), settings

    def check_streamed(
        self, path: str, output_format: str, style: Style
    ) -> tuple[FileReport, Settings] | None:
        """Check a file read in chunks, its findings kept on disk: memory stays bounded
        whatever the file's size (see :func:`adstxt._lint.lint_stream`)."""
        from adstxt._api import _collector_paused
        from adstxt._lint import lint_stream, scan_suppressions
        from adstxt._report import Spooled, renderer

        settings = self.settings_for(path)
        # The findings go to disk rendered in the output format (but a SARIF log's: see
        # Spooled); with --statistics they are only counted.
        render = None
        if not self.args.statistics:
            render = renderer(output_format, style, path)
        spool = Spooled(render)
        try:
            with open(path, "rb") as file:
                head = file.read(65536)
                if self.args.kind is None and maybe_sellers_json(path, head):
                    from adstxt.sellers import parse as parse_sellers

                    data = head + file.read()
                    found = parse_sellers(data, filename=path).diagnostics
                    spool.close()
                    return FileReport(path, settings.apply(found), data), settings
                file.seek(0)
                suppressions = scan_suppressions(file)
                file.seek(0)
                full = output_format == "full"
                # Neither the check nor the spool makes reference cycles: paused for the
                # whole file, the collector is not run at the end of every batch only to
                # traverse what the batch built.
                with _collector_paused():
                    for late, items in lint_stream(
                        file,
                        filename=path,
                        kind=self.args.kind,
                        settings=settings,
                        suppressions=suppressions,
                        lines=full,
                        reread=(lambda: open(path, "rb")) if full else None,  # noqa: SIM115
                    ):
                        if late:
                            spool.finish(items)
                        else:
                            spool.add(items)
        except OSError as error:
            spool.close()
            reason = error.strerror or str(error)
            print(f"adstxt-check: cannot read {escape(path)}: {reason}", file=sys.stderr)
            self.failed_inputs = True
            return None
        self.spools.append(spool)
        return FileReport(path, spool), settings

    def fetch(self, target: str) -> list[FileReport]:
        """Fetch a site's file (``target`` a domain) or a URL, and check what is served."""
        try:
            from adstxt import fetch as fetching

            connect_to = self.connect_to()
        except ImportError as error:
            raise UsageError(str(error)) from None
        from adstxt._lint import lint

        options = {
            "connect_to": connect_to,
            "allow_private_addresses": self.args.allow_private_addresses,
            "timeout": self.args.timeout,
        }
        if "://" in target:
            result = fetching.fetch_url(target, kind=self.args.kind, **options)
        else:
            result = fetching.fetch(target, kind=self.args.kind or "ads.txt", **options)
        settings = self.settings_for(_STDIN)
        reports = []
        # A SUBDOMAIN without a usable file of its own is governed by the root file, which
        # says so (ADS528): only the subdomain files that exist are reported as files.
        usable = [sub for sub in result.subdomains if sub.outcome == "ok"]
        for served in (result, *usable):
            diagnostics = settings.apply(served.fetch_diagnostics)
            body: bytes | str = b""
            if served.parse_result is not None and served.body is not None:
                body = served.body
                if any(d.code == "ADS518" for d in served.fetch_diagnostics):
                    # Decoded by the charset the server declared, as the fetch did.
                    body = served.parse_result.text
                # Each fetched file is the file of the host it was fetched for (a subdomain's
                # own, or the root's even when delegated elsewhere); only a URL's site can be
                # named otherwise, by --domain.
                site = served.domain if "://" not in target else (settings.domain or served.domain)
                diagnostics += lint(body, kind=served.kind, settings=settings, domain=site)
            diagnostics.sort(key=Diagnostic.sort_key)
            reports.append(FileReport(served.final_url or served.url, diagnostics, body))
        return reports

    def fix(
        self, path: str, text: Text, settings: Settings
    ) -> tuple[Text, Sequence[Diagnostic] | None]:
        """Fix a file (or show the diff); return the file as it now is and, when known
        already, its findings."""
        from adstxt._fixer import apply_fixes

        result = apply_fixes(
            text,
            filename=None if path == _STDIN else path,
            kind=self.args.kind,
            settings=settings,
            unsafe=settings.unsafe_fixes,
        )
        if result.refused:
            print(f"adstxt-check: not fixing {escape(path)}: {result.refused}", file=sys.stderr)
        if not result.changed:
            if self.args.fix and path == _STDIN:
                sys.stdout.buffer.write(result.data)
            return text, result.first
        self.changed_files += 1
        self.fixed += len(result.applied)
        if self.args.diff:
            from adstxt._diff import unified_diff

            assert result.after is not None
            sys.stdout.write(unified_diff(path, text, result.after, result.passes))
            return text, result.first
        assert result.after is not None
        if path == _STDIN:
            sys.stdout.buffer.write(result.data)
        else:
            from adstxt._atomic import write_atomically

            try:
                written = write_atomically(path, result.data)
            except OSError as error:
                print(
                    f"adstxt-check: {escape(path)}: {error.strerror or error}; not fixed",
                    file=sys.stderr,
                )
                self.failed_inputs = True
                self.changed_files -= 1
                self.fixed -= len(result.applied)
                return text, result.first
            if os.path.islink(path):
                print(
                    f"adstxt-check: {escape(path)} is a symbolic link; fixed {written}",
                    file=sys.stderr,
                )
        return result.after, result.remaining


def _style(choice: str, output_format: str) -> Style:
    if output_format not in ("concise", "full") or choice == "never":
        return Style(False)
    if choice == "always" or os.environ.get("FORCE_COLOR"):
        return Style(True)
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return Style(False)
    return Style(sys.stdout.isatty())


def _main(argv: Sequence[str] | None, prog: str) -> int:
    args = _parser(prog).parse_args(argv)
    if args.version:
        print(_version())
        return 0
    if args.show_rules:
        sys.stdout.write(_show_rules())
        return 0
    if args.explain:
        sys.stdout.write(_explain(args.explain))
        return 0
    if args.fix and args.diff:
        raise UsageError("--fix and --diff cannot be used together; --diff only shows changes")
    run = _Run(args)
    remote = [p for p in args.paths if p.startswith(("http://", "https://"))]
    if not args.paths and args.domain:
        remote = [run.options.domain or args.domain]
    if remote and (args.fix or args.diff):
        raise UsageError("--fix and --diff work on local files, not on what a site serves")
    paths = list(
        expand_paths([p for p in args.paths if p not in remote] or ([] if remote else ["."]))
    )
    if not paths and not remote:
        searched = ", ".join(escape(p) for p in args.paths or ["."])
        print(
            f"adstxt-check: warning: no ads.txt or app-ads.txt files found in {searched}",
            file=sys.stderr,
        )
    output_format = run.output_format(paths)
    if args.statistics and output_format not in ("concise", "full"):
        raise UsageError(
            f"--statistics prints a text table; it cannot be used with the {output_format} "
            "output format"
        )
    # One style for the whole run: a big file's findings are rendered as it is checked.
    style = _style(args.color, output_format)
    reports: list[FileReport] = []
    failing = False
    for target in remote:
        for report in run.fetch(target):
            reports.append(report)
            rank = run.settings_for(_STDIN).failing_rank()
            failing = failing or tally(report).worst() >= rank
    for path in paths:
        checked = run.check(path, output_format, style)
        if checked is None:
            continue
        report, settings = checked
        reports.append(report)
        failing = failing or tally(report).worst() >= settings.failing_rank()
    out = sys.stderr if args.fix and _STDIN in paths else sys.stdout
    text_format = output_format in ("concise", "full")
    if args.statistics:
        out.write(render_statistics(reports))
    elif not args.diff:
        write(out, reports, output_format, style)
    for spool in run.spools:
        spool.close()
    if args.diff:
        if run.fixed:
            fixes = "fix" if run.fixed == 1 else "fixes"
            files = "file" if run.changed_files == 1 else "files"
            print(
                f"{run.fixed} {fixes} would be applied to {run.changed_files} {files}.",
                file=sys.stderr,
            )
        else:
            print("No fixes to apply.", file=sys.stderr)
    elif text_format and not args.quiet:
        out.write(summary_line(reports, fixed=run.fixed) + "\n")
    if run.failed_inputs:
        return 2
    if args.exit_zero:
        return 0
    return 1 if failing or run.changed_files else 0


class _ToStderr(logging.Handler):
    """The library's warnings as this command's own: ``adstxt-check: warning: ...``.

    It writes to whatever ``sys.stderr`` is at the time, as the rest of the command does.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"adstxt-check: {record.levelname.lower()}: {self.format(record)}\n")
        except Exception:  # logging must never break the command
            self.handleError(record)


def _log_to_stderr() -> None:
    logger = logging.getLogger("adstxt")
    if not any(isinstance(handler, _ToStderr) for handler in logger.handlers):
        handler = _ToStderr(logging.WARNING)
        logger.addHandler(handler)


def main(argv: Sequence[str] | None = None, *, prog: str = "adstxt-check") -> int:
    """Run ``adstxt-check``; return the exit status.

    ``prog`` names the command in usage and help only (``adstxt check`` runs it too); the
    messages keep the ``adstxt-check:`` prefix that scripts may match. Without ``argv``, the
    process's own arguments, the run is the whole of the process (see
    :mod:`adstxt._process_exit`).
    """
    if argv is None:
        skip_final_collection()
    _log_to_stderr()
    # Configuration files are looked up once per directory within a run; a later run in the
    # same process (``main`` called again) reads them as they are then.
    forget_found_configs()
    try:
        return _main(argv, prog)
    except UsageError as error:
        print(f"adstxt-check: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``adstxt-check ... | head``): nothing more to say.
        sys.stderr.close()
        return 1
    except Exception as error:
        # The contract is exit status 2 with a reason, never a bare traceback and status 1.
        import traceback

        traceback.print_exc()
        print(f"adstxt-check: internal error: {error!r}; please report it", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
