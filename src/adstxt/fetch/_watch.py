"""Waiting for many sockets through one epoll instance that the event loop watches.

The fetcher waits on every connection twice (for the connect, then for the answer), and
each wait through the event loop's own ``add_reader``/``add_writer`` costs several Python
calls and caught ``KeyError`` exceptions on top of the system call, for a socket the loop
has never seen. Here the sockets are registered with an epoll instance of our own,
with one system call each, and the event loop watches only that instance's descriptor: when
any socket is ready, one ``poll(0)`` says which.

Each wait also has a deadline. They are kept in one heap with one timer of the loop's, set
for the earliest: a timer per wait costs an asyncio handle and a heap of handles compared
in Python, for a limit that is almost never reached.

Only where ``select.epoll`` exists and the loop is a selector loop (Linux); elsewhere the
fetcher waits through the loop as before (:func:`watcher_for` returns None).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import select
import threading
from asyncio.selector_events import BaseSelectorEventLoop
from typing import Final

__all__ = ["SocketWatcher", "watcher_for"]

_EPOLL: Final = getattr(select, "epoll", None)
# A hang-up or an error ends a wait too: the next send, recv or SO_ERROR says which.
_READ: Final = getattr(select, "EPOLLIN", 0) | getattr(select, "EPOLLRDHUP", 0)
_WRITE: Final = getattr(select, "EPOLLOUT", 0)
#: Deadlines of ended waits stay in the heap until their time comes; once they outnumber
#: the live ones by this many, they are dropped all at once.
_ENDED_KEPT: Final = 1024

# A watcher holds its loop (and its waiters' futures do too), so an entry goes when its
# watcher closes, or, for a loop closed while sockets were still waited on, when the next
# watcher is made. Loops in several threads share the table: changes take the lock.
_WATCHERS: dict[asyncio.AbstractEventLoop, SocketWatcher] = {}
_WATCHERS_LOCK: Final = threading.Lock()


class SocketWatcher:
    """The sockets one event loop's fetches are waiting on, and their waiters.

    It lives while any socket is waited on: once none is, it closes itself at the loop's
    next turn (a wait that starts before then keeps it). A loop closed while sockets were
    still waited on keeps its watcher's descriptor until the next watcher is made.
    """

    __slots__ = (
        "_alarm",
        "_alarm_at",
        "_closing",
        "_deadlines",
        "_epoll",
        "_loop",
        "_sequence",
        "_waiters",
    )

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        assert _EPOLL is not None
        self._loop = loop
        self._epoll = _EPOLL()
        self._waiters: dict[int, asyncio.Future[None]] = {}
        self._closing: asyncio.Handle | None = None
        # (deadline, order, fd, waiter, what): tuples, compared in C; ``order`` keeps two
        # equal deadlines from comparing their futures.
        self._deadlines: list[tuple[float, int, int, asyncio.Future[None], str]] = []
        self._sequence = itertools.count()
        self._alarm: asyncio.TimerHandle | None = None  # set for the earliest deadline
        self._alarm_at = 0.0
        loop.add_reader(self._epoll.fileno(), self._dispatch)

    def wait(self, fd: int, reading: bool, seconds: float, what: str) -> asyncio.Future[None]:
        """A future that is done when ``fd`` is readable (or writable), or has failed, or
        that fails with :class:`TimeoutError` saying ``what`` after ``seconds``.

        The caller must :meth:`forget` it once it stops waiting, done or not."""
        waiter = self._loop.create_future()
        try:
            self._epoll.register(fd, _READ if reading else _WRITE)
        except BaseException:  # a closed socket, or one already waited on
            self._close_soon()
            raise
        self._waiters[fd] = waiter
        deadline = self._loop.time() + seconds
        deadlines = self._deadlines
        if len(deadlines) > len(self._waiters) + _ENDED_KEPT:
            deadlines[:] = [entry for entry in deadlines if self._waits(entry)]
            heapq.heapify(deadlines)
        heapq.heappush(deadlines, (deadline, next(self._sequence), fd, waiter, what))
        if self._alarm is None or deadline < self._alarm_at:
            if self._alarm is not None:
                self._alarm.cancel()
            self._set_alarm(deadline)
        return waiter

    def _waits(self, entry: tuple[float, int, int, asyncio.Future[None], str]) -> bool:
        """Whether the wait of a deadline is still on (not ended, not forgotten)."""
        return self._waiters.get(entry[2]) is entry[3]

    def _set_alarm(self, deadline: float) -> None:
        self._alarm_at = deadline
        self._alarm = self._loop.call_at(deadline, self._expire_due)

    def _expire_due(self) -> None:
        """End the waits whose time is up, then set the alarm for the next deadline."""
        self._alarm = None
        deadlines = self._deadlines
        # The loop runs a timer up to its clock's resolution early: what it was set for is due.
        due = max(self._loop.time(), self._alarm_at)
        while deadlines and deadlines[0][0] <= due:
            entry = heapq.heappop(deadlines)
            if self._waits(entry) and not entry[3].done():
                entry[3].set_exception(TimeoutError(entry[4]))
        while deadlines and not self._waits(deadlines[0]):
            heapq.heappop(deadlines)
        if deadlines:
            self._set_alarm(deadlines[0][0])

    def forget(self, fd: int, waiter: asyncio.Future[None]) -> None:
        """Stop watching ``fd`` for ``waiter`` (a no-op when that wait already ended)."""
        if self._waiters.get(fd) is waiter:
            del self._waiters[fd]
            # A wait abandoned with its loop may end after the epoll instance was closed,
            # by another thread's watcher_for too (ValueError); a socket closed while
            # waited on (not the fetcher's way) has left the set already, unless another
            # descriptor shares it (OSError).
            with contextlib.suppress(OSError, ValueError):
                self._epoll.unregister(fd)
        self._close_soon()

    def _close_soon(self) -> None:
        """Close at the loop's next turn if nothing is waited on by then."""
        if (
            not self._waiters
            and self._closing is None
            and not self._epoll.closed
            and not self._loop.is_closed()
        ):
            self._closing = self._loop.call_soon(self._close_if_idle)

    def _dispatch(self) -> None:
        # Level-triggered: a socket that was ready is unregistered here, so it does not wake
        # the loop again before its waiter runs.
        for fd, _events in self._epoll.poll(0):
            waiter = self._waiters.pop(fd, None)
            if waiter is None:
                continue
            with contextlib.suppress(OSError):  # see forget
                self._epoll.unregister(fd)
            if not waiter.done():
                waiter.set_result(None)

    def _close_if_idle(self) -> None:
        self._closing = None
        if self._waiters or self._epoll.closed:
            return
        with _WATCHERS_LOCK:
            if _WATCHERS.get(self._loop) is self:
                del _WATCHERS[self._loop]
        if self._alarm is not None:
            self._alarm.cancel()
            self._alarm = None
        self._deadlines.clear()
        self._loop.remove_reader(self._epoll.fileno())
        self._epoll.close()


def watcher_for(loop: asyncio.AbstractEventLoop) -> SocketWatcher | None:
    """The running loop's :class:`SocketWatcher`, made when none is open; None where
    sockets are waited on through the loop itself."""
    watcher = _WATCHERS.get(loop)
    if watcher is not None:
        return watcher
    if _EPOLL is None or not isinstance(loop, BaseSelectorEventLoop):
        return None
    with _WATCHERS_LOCK:
        for closed in [other for other in _WATCHERS if other.is_closed()]:
            _WATCHERS.pop(closed)._epoll.close()
        watcher = _WATCHERS[loop] = SocketWatcher(loop)
    return watcher
