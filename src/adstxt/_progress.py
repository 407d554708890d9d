"""A one-line progress bar for long runs, drawn on a terminal's standard error."""

from __future__ import annotations

import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """A one-line progress bar with rate and ETA, redrawn at most five times a second.

    Disabled (``enabled`` false), it only counts, so callers need no branch of their own.
    """

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.done, self._stream, self._enabled = total, 0, stream, enabled
        self._start = time.monotonic()
        self._drawn = 0.0

    def advance(self, count: int) -> None:
        """Count ``count`` more items done, and redraw when it is time."""
        self.done += count
        now = time.monotonic()
        if self._enabled and (now - self._drawn >= 0.2 or self.done >= self.total):
            self._drawn = now
            rate = self.done / max(now - self._start, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0.0
            width = 30
            filled = width * min(self.done, self.total) // max(self.total, 1)
            self._stream.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                f"{rate:,.0f}/s ETA {eta:,.0f}s "
            )
            self._stream.flush()

    def close(self) -> None:
        """End the bar's line, when one was drawn."""
        if self._enabled:
            self._stream.write("\n")
            self._stream.flush()
