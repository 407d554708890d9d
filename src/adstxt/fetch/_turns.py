"""Turn-taking for the CPU-heavy step of a fetch, so that the network is polled between them."""

from __future__ import annotations

import asyncio
from collections import deque

__all__ = ["Turns"]


class Turns:
    """Lets at most one task through per event-loop round, in the order they came.

    asyncio runs every task woken by one poll of the network before it polls again. When many
    responses arrive together, each task parses its body and opens its next connection, but
    no connection completes until the whole batch has been parsed; the requests then leave
    together, their answers come back together one latency later, and the CPU idles while
    they are away. A crawl settles into such waves. Taking turns, each heavy step runs in a
    round of its own, the network is polled in between, and a task's next request leaves as
    soon as its own work is done. Uncontended, a turn costs one callback.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._busy = False  # a task has had its turn in the current round
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def take(self) -> None:
        """Wait for this task's turn; it lasts until the task next waits for something."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # used under another event loop: nothing carries over
            self._loop, self._busy, self._waiters = loop, False, deque()
        if self._busy or self._waiters:
            waiter = loop.create_future()
            self._waiters.append(waiter)
            await waiter  # resolved by _next, one round before this task runs
            return
        self._busy = True
        loop.call_soon(self._next)

    def _next(self) -> None:
        """Once per round while tasks wait: hand the turn to the first one still waiting."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():  # a cancelled waiter has given up its place
                waiter.set_result(None)
                assert self._loop is not None
                self._loop.call_soon(self._next)
                return
        self._busy = False
