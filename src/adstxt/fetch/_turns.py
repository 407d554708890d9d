"""Turn-taking for the CPU-heavy step of a fetch, so that the network is polled between them."""

from __future__ import annotations

import asyncio
import weakref
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
        # Each event loop takes its own turns (one Fetcher may serve several loops in turn,
        # or at once from several threads); the last loop's state is kept at hand.
        self._rounds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Round] = (
            weakref.WeakKeyDictionary()
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._round = _Round()

    async def take(self) -> None:
        """Wait for this task's turn; it lasts until the task next waits for something."""
        loop = asyncio.get_running_loop()
        state = self._round
        if loop is not self._loop:
            state = self._rounds.get(loop) or self._rounds.setdefault(loop, _Round())
            self._loop, self._round = loop, state
        if state.busy or state.waiters:
            waiter = loop.create_future()
            state.waiters.append(waiter)
            await waiter  # resolved by _next, one round before this task runs
            return
        state.busy = True
        loop.call_soon(_next, loop, state)


class _Round:
    """One event loop's turns: whether a task had its turn this round, and who waits."""

    __slots__ = ("busy", "waiters")

    def __init__(self) -> None:
        self.busy = False
        self.waiters: deque[asyncio.Future[None]] = deque()


def _next(loop: asyncio.AbstractEventLoop, state: _Round) -> None:
    """Once per round while tasks wait: hand the turn to the first one still waiting."""
    while state.waiters:
        waiter = state.waiters.popleft()
        if not waiter.done():  # a cancelled waiter has given up its place
            waiter.set_result(None)
            loop.call_soon(_next, loop, state)
            return
    state.busy = False
