"""Waiting for many sockets through one epoll instance that the event loop watches.

The fetcher waits on every connection twice (for the connect, then for the answer), and
each wait through the event loop's own ``add_reader``/``add_writer`` costs several Python
calls and caught ``KeyError`` exceptions on top of the system call, for a socket the loop
has never seen. Here the sockets are registered with an epoll instance of our own,
with one system call each, and the event loop watches only that instance's descriptor: when
any socket is ready, one ``poll(0)`` says which.

Only where ``select.epoll`` exists and the loop is a selector loop (Linux); elsewhere the
fetcher waits through the loop as before (:func:`watcher_for` returns None).
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import threading
from asyncio.selector_events import BaseSelectorEventLoop
from typing import Final

__all__ = ["SocketWatcher", "watcher_for"]

_EPOLL: Final = getattr(select, "epoll", None)
# A hang-up or an error ends a wait too: the next send, recv or SO_ERROR says which.
_READ: Final = getattr(select, "EPOLLIN", 0) | getattr(select, "EPOLLRDHUP", 0)
_WRITE: Final = getattr(select, "EPOLLOUT", 0)

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

    __slots__ = ("_closing", "_epoll", "_loop", "_waiters")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        assert _EPOLL is not None
        self._loop = loop
        self._epoll = _EPOLL()
        self._waiters: dict[int, asyncio.Future[None]] = {}
        self._closing: asyncio.Handle | None = None
        loop.add_reader(self._epoll.fileno(), self._dispatch)

    def wait(self, fd: int, reading: bool) -> asyncio.Future[None]:
        """A future that is done when ``fd`` is readable (or writable), or has failed.

        The caller must :meth:`forget` it once it stops waiting, done or not."""
        waiter = self._loop.create_future()
        try:
            self._epoll.register(fd, _READ if reading else _WRITE)
        except BaseException:  # a closed socket, or one already waited on
            self._close_soon()
            raise
        self._waiters[fd] = waiter
        return waiter

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
