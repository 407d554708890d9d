"""Threads run together for the race tests, switching as often as the interpreter can, so
that a check-then-act race between them shows up in a test run rather than in the field."""

from __future__ import annotations

import sys
import threading


def run_switching_often(threads: list[threading.Thread]) -> None:
    """Start ``threads`` and wait for them all, the interpreter switching between threads
    as often as it can meanwhile (its switch interval is restored after)."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
