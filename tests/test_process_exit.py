"""A command run with the process's own arguments ends without the shutdown's collection;
one called with arguments (by a program that goes on) leaves the collector alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Leaves garbage that only a collection finds (a reference cycle, with the collector off
# so that only the shutdown's collection can find it), and reports from the last exit
# handler whether the collector was frozen by then; the cycle says when it is finalized.
_PROBE = """
import atexit, gc, sys

class Cycle:
    def __del__(self):
        print("cycle finalized", file=sys.stderr)

gc.disable()
cycle = Cycle()
cycle.me = cycle
del cycle

def report():
    print("frozen at exit:", gc.get_freeze_count() > 0, file=sys.stderr)

atexit.register(report)
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _PROBE + code, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    "code",
    [
        "from adstxt.cli import main; sys.argv[0] = 'adstxt-check'; sys.exit(main())",
        "from adstxt._commands import main; sys.argv[0] = 'adstxt'; sys.exit(main())",
    ],
)
def test_a_command_that_is_the_whole_process_skips_the_last_collection(code: str) -> None:
    done = _run(code, "examples/ads.txt")
    assert done.returncode == 0, done.stderr
    assert "frozen at exit: True" in done.stderr
    # Frozen: the shutdown's collection does not go over the objects left, so the garbage
    # cycle made at exit is not finalized.
    assert "cycle finalized" not in done.stderr
    # The command's output is whole: the same as a run that leaves the collector alone
    # (handed its arguments).
    checked = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from adstxt.cli import main; sys.exit(main(sys.argv[1:]))",
            "examples/ads.txt",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    assert done.stdout == checked.stdout and done.stdout


def test_a_crawl_run_as_its_script_skips_the_last_collection() -> None:
    done = _run("from adstxt.crawl import main; sys.exit(main())", "--help")
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
    assert "frozen at exit: True" in done.stderr


def test_a_command_called_with_arguments_leaves_the_collector_alone() -> None:
    done = _run(
        "from adstxt.cli import main; from adstxt.crawl import main as crawl\n"
        "import adstxt._process_exit as ending\n"
        "assert main(['examples/ads.txt']) == 0\n"
        "try:\n    crawl(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('registered:', ending._registered, file=sys.stderr)\n",
    )
    assert done.returncode == 0, done.stderr
    assert "registered: False" in done.stderr
    assert "frozen at exit: False" in done.stderr
    # Without the freeze, the shutdown's collection finalizes the cycle: the probe sees it.
    assert "cycle finalized" in done.stderr
