"""Run the commands as tests need them: in this process (measured by coverage, fast), or as a
real subprocess where only a process shows the behaviour (exit status of the interpreter,
signals, pre-commit).

:func:`run` calls ``adstxt.cli.main(argv)`` with standard input, output and error replaced by
byte streams, as a process has them; :func:`run_process` runs ``python -m adstxt``. Both
return a :class:`subprocess.CompletedProcess` with the output as text (undecodable bytes
escaped), so a test reads the same either way.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from tests.conftest import ROOT

# The colour of text output follows these: a test that wants them sets them itself.
_COLOUR_VARIABLES = ("NO_COLOR", "FORCE_COLOR")


def _environment(env: Mapping[str, str] | None) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in _COLOUR_VARIABLES}
    environment.update(env or {})
    return environment


def _decoded(
    args: object, status: int, stdout: bytes, stderr: bytes
) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(
        args,
        status,
        stdout.decode("utf-8", "backslashreplace"),
        stderr.decode("utf-8", "backslashreplace"),
    )


def run_process(
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m adstxt ARGS`` as a real subprocess."""
    result = subprocess.run(
        [sys.executable, "-m", "adstxt", *args],
        input=stdin,
        capture_output=True,
        check=False,
        cwd=cwd or ROOT,
        timeout=120,
        env=_environment(env),
    )
    return _decoded(result.args, result.returncode, result.stdout, result.stderr)


def _stream(data: bytes = b"") -> io.TextIOWrapper:
    """A text stream over bytes, encoded as this interpreter's own standard streams are."""
    original = sys.__stdout__
    encoding = getattr(original, "encoding", None) or "utf-8"
    errors = getattr(original, "errors", None) or "strict"
    return io.TextIOWrapper(
        io.BytesIO(data), encoding=encoding, errors=errors, newline="\n", write_through=True
    )


@contextlib.contextmanager
def _as_a_process(
    stdin: bytes | None, cwd: Path | None, env: Mapping[str, str] | None
) -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """Standard streams, working directory and environment of a fresh process, restored after.

    The handlers a command adds to the ``adstxt`` logger are removed again, so that one run's
    set-up never shows in the next test.
    """
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_environment = dict(os.environ)
    saved_directory = os.getcwd()
    logger = logging.getLogger("adstxt")
    saved_handlers = list(logger.handlers)
    out, err = _stream(), _stream()
    try:
        sys.stdin, sys.stdout, sys.stderr = _stream(stdin or b""), out, err
        os.environ.clear()
        os.environ.update(_environment(env))
        os.chdir(cwd or ROOT)
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.environ.clear()
        os.environ.update(saved_environment)
        os.chdir(saved_directory)
        logger.handlers[:] = saved_handlers


def run_main_bytes(
    main: Callable[[list[str]], int],
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Call ``main(args)`` in this process as its console script would run it; the output
    as the bytes written.

    The status is what the script's ``sys.exit(main())`` would exit with, including an
    argument error that argparse raises as :class:`SystemExit`.
    """
    with _as_a_process(stdin, cwd, env) as (out, err):
        try:
            status = main(list(args))
        except SystemExit as stop:
            code = stop.code
            status = code if isinstance(code, int) else (0 if code is None else 1)
            if isinstance(code, str):
                print(code, file=sys.stderr)
        out.flush()
        err.flush()
        stdout = out.buffer.getvalue()  # type: ignore[attr-defined]
        stderr = err.buffer.getvalue()  # type: ignore[attr-defined]
    return subprocess.CompletedProcess(["main", *args], status, stdout, stderr)


def run_main(
    main: Callable[[list[str]], int],
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """:func:`run_main_bytes` with the output as text (undecodable bytes escaped)."""
    done = run_main_bytes(main, *args, stdin=stdin, cwd=cwd, env=env)
    return _decoded(done.args, done.returncode, done.stdout, done.stderr)


def run(
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``adstxt-check ARGS``, in this process."""
    from adstxt import cli

    return run_main(cli.main, *args, stdin=stdin, cwd=cwd, env=env)


def crawl(
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``adstxt-crawl ARGS``, in this process."""
    from adstxt import crawl as crawler

    return run_main(crawler.main, *args, stdin=stdin, cwd=cwd, env=env)


def adstxt(
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``adstxt ARGS`` (the command with subcommands), in this process."""
    from adstxt import _commands

    return run_main(_commands.main, *args, stdin=stdin, cwd=cwd, env=env)
