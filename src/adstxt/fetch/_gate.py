"""Per-host politeness: one request at a time to a host, with an optional pause between."""

from __future__ import annotations

import asyncio
import time

__all__ = ["HostGate"]


class _Slot:
    __slots__ = ("last", "lock", "users")

    def __init__(self) -> None:
        # Made only when a second request comes for the host while the first holds it
        # (most hosts never see two at once, and a lock costs a crawl a few microseconds
        # per request to make, take and give back).
        self.lock: asyncio.Lock | None = None
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

    def __call__(self, host: str) -> _Pass:
        return _Pass(self, host)

    async def _enter(self, host: str) -> None:
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = _Slot()
        slot.users += 1
        if slot.users > 1 or slot.lock is not None:
            if slot.lock is None:
                # Another request holds the host without a lock: the lock is made taken,
                # on its behalf (an untaken lock is taken without yielding to the loop),
                # and that request gives it back when it leaves.
                slot.lock = asyncio.Lock()
                await slot.lock.acquire()
            try:
                await slot.lock.acquire()
            except BaseException:
                self._release(host, slot, locked=False)
                raise
        if self._delay <= 0:
            return
        wait = slot.last + self._delay - time.monotonic()
        if wait > 0:
            try:
                await asyncio.sleep(wait)
            except BaseException:
                self._release(host, slot, locked=True)
                raise

    def _leave(self, host: str) -> None:
        self._release(host, self._slots[host], locked=True)

    def _release(self, host: str, slot: _Slot, locked: bool) -> None:
        if locked:
            if self._delay > 0:
                slot.last = time.monotonic()
            if slot.lock is not None:
                slot.lock.release()
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


class _Pass:
    """``async with gate(host):`` holds the host's turn for the duration of the block."""

    __slots__ = ("_gate", "_host")

    def __init__(self, gate: HostGate, host: str) -> None:
        self._gate = gate
        self._host = host

    async def __aenter__(self) -> None:
        await self._gate._enter(self._host)

    async def __aexit__(self, *exc: object) -> None:
        self._gate._leave(self._host)
