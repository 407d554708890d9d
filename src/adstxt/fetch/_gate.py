"""Per-host politeness: one request at a time to a host, with an optional pause between."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

__all__ = ["HostGate"]


class _Slot:
    __slots__ = ("last", "lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0
        self.last = -float("inf")


class HostGate:
    """Serializes requests per host and spaces them ``delay`` seconds apart.

    Slots are dropped as soon as nobody waits on them and the pause has elapsed, so a crawl
    of millions of hosts holds only the hosts currently in flight.
    """

    def __init__(self, delay: float = 0.0) -> None:
        self._delay = delay
        self._slots: dict[str, _Slot] = {}

    @contextlib.asynccontextmanager
    async def __call__(self, host: str) -> AsyncIterator[None]:
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = _Slot()
        slot.users += 1
        try:
            async with slot.lock:
                wait = slot.last + self._delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    yield
                finally:
                    slot.last = time.monotonic()
        finally:
            slot.users -= 1
            if slot.users == 0:
                if self._delay <= 0:
                    del self._slots[host]
                else:
                    asyncio.get_running_loop().call_later(self._delay, self._prune, host)

    def _prune(self, host: str) -> None:
        slot = self._slots.get(host)
        if slot is not None and slot.users == 0:
            del self._slots[host]
