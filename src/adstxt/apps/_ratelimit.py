"""Per-store politeness: requests to one store go one at a time, ``interval`` seconds apart."""

from __future__ import annotations

import asyncio
import time

import attrs

__all__ = ["StoreGate", "StoreRequest"]


@attrs.frozen
class StoreRequest:
    """One request sent to a store: when (``time.monotonic()``), to which URL."""

    store: str
    url: str
    at: float


class StoreGate:
    """Spaces the requests to each store; the spacing holds across event loops (one per
    synchronous call), since only the times are kept between them."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.sent: list[StoreRequest] = []
        self._last: dict[str, float] = {}
        self._locks: dict[tuple[int, str], asyncio.Lock] = {}

    async def wait(self, store: str, url: str) -> None:
        """Wait for ``store``'s turn and record the request as sent."""
        loop = id(asyncio.get_running_loop())
        lock = self._locks.setdefault((loop, store), asyncio.Lock())
        async with lock:
            delay = self._last.get(store, -float("inf")) + self.interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.monotonic()
            self._last[store] = now
            self.sent.append(StoreRequest(store, url, now))

    def forget_loop(self) -> None:
        """Drop the locks of finished event loops."""
        self._locks.clear()
