"""The contract every adstxt command keeps: a usage mistake, a closed pipe, Ctrl-C and an
unexpected error each end the command with a clear status, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["UsageError", "guarded"]


class UsageError(Exception):
    """A mistake on the command line: exit status 2."""


def guarded(work: Callable[[], int], prog: str) -> int:
    """Run a command's ``work`` with the contract of every adstxt command: a closed pipe
    ends it quietly, Ctrl-C is 130, and anything unexpected is one line and status 2."""
    import contextlib
    import os

    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        # Values from bid requests may hold lone surrogates ("\ud800"): shown escaped
        # rather than failing to print.
        reconfigure(errors="backslashreplace")
    try:
        return work()
    except BrokenPipeError:
        # The reader went away ('adstxt schain - | head'): nothing more to say.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the contract: a reason and status 2, never a traceback
        print(f"{prog}: internal error: {error!r}; please report it", file=sys.stderr)
        return 2
