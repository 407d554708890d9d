"""The fetcher's socket watcher (one epoll instance that the event loop watches), on real
sockets: what ends a wait, that a finished or abandoned wait leaves nothing registered, and
that the watcher closes once nothing is waited on."""

from __future__ import annotations

import asyncio
import errno
import os
import select
import socket

import pytest

from adstxt.fetch import _watch
from adstxt.fetch._client import _ready
from adstxt.fetch._watch import watcher_for
from tests.httpserver import closed_port
from tests.threads import run_switching_often

pytestmark = pytest.mark.skipif(
    not hasattr(select, "epoll") or not os.path.isdir("/proc/self/fd"),
    reason="the watcher needs epoll; the checks count descriptors in /proc/self/fd",
)


def _descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


async def _turn() -> None:
    """Let the event loop run its ready callbacks once."""
    await asyncio.sleep(0)


def test_a_wait_ends_when_the_socket_is_readable_and_not_before() -> None:
    async def main() -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            ours.setblocking(False)
            waiting = asyncio.ensure_future(_ready(ours, True, 5.0, "read"))
            for _ in range(3):
                await _turn()
            assert not waiting.done()
            theirs.send(b"x")
            await asyncio.wait_for(waiting, 5.0)
            assert ours.recv(1) == b"x"
            # The wait left nothing registered: the same socket can be waited on again.
            theirs.send(b"y")
            await _ready(ours, True, 5.0, "read")

    asyncio.run(main())


def test_only_the_sockets_that_are_ready_end_their_waits() -> None:
    async def main() -> None:
        pairs = [socket.socketpair() for _ in range(40)]
        try:
            for ours, _theirs in pairs:
                ours.setblocking(False)
            waits = [asyncio.ensure_future(_ready(ours, True, 5.0, "read")) for ours, _ in pairs]
            await _turn()
            for _ours, theirs in pairs[::2]:
                theirs.send(b"x")
            await asyncio.wait(waits[::2], timeout=5.0)
            for _ in range(3):
                await _turn()
            assert [w.done() for w in waits] == [i % 2 == 0 for i in range(40)]
            for wait in waits[1::2]:
                wait.cancel()
            await asyncio.gather(*waits, return_exceptions=True)
        finally:
            for ours, theirs in pairs:
                ours.close()
                theirs.close()

    asyncio.run(main())


def test_a_peer_that_hangs_up_ends_a_read_wait() -> None:
    async def main() -> None:
        ours, theirs = socket.socketpair()
        with ours:
            ours.setblocking(False)
            waiting = asyncio.ensure_future(_ready(ours, True, 5.0, "read"))
            await _turn()
            theirs.close()
            await asyncio.wait_for(waiting, 5.0)
            assert ours.recv(1) == b""

    asyncio.run(main())


def test_a_connect_wait_ends_on_success_and_on_refusal() -> None:
    async def connect(port: int) -> int:
        sock = socket.socket()
        with sock:
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            await _ready(sock, False, 5.0, "connect")
            return sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)

    with socket.create_server(("127.0.0.1", 0)) as server:
        assert asyncio.run(connect(server.getsockname()[1])) == 0
    assert asyncio.run(connect(closed_port())) == errno.ECONNREFUSED


def test_a_wait_that_times_out_says_what_and_unregisters() -> None:
    async def main() -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            ours.setblocking(False)
            with pytest.raises(TimeoutError, match=r"^read timeout after 0\.05 s$"):
                await _ready(ours, True, 0.05, "read timeout after 0.05 s")
            theirs.send(b"x")
            await _ready(ours, True, 5.0, "read")  # registered afresh: no FileExistsError

    asyncio.run(main())


def test_a_cancelled_wait_unregisters_and_the_idle_watcher_closes() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        before = _descriptors()
        ours, theirs = socket.socketpair()
        with ours, theirs:
            ours.setblocking(False)
            waiting = asyncio.ensure_future(_ready(ours, True, 5.0, "read"))
            await _turn()
            watcher = watcher_for(loop)
            assert watcher is not None and watcher._waiters
            assert _descriptors() == before + 3  # the pair and the epoll instance
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert not watcher._waiters
            await _turn()
            # Nothing waited on: the watcher closed itself at the next turn.
            assert loop not in _watch._WATCHERS
            assert _descriptors() == before + 2
        assert _descriptors() == before

    asyncio.run(main())


def test_a_socket_closed_while_waited_on_is_forgotten_quietly() -> None:
    async def main() -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            ours.setblocking(False)
            waiting = asyncio.ensure_future(_ready(ours, True, 5.0, "read"))
            await _turn()
            ours.close()  # epoll drops a closed descriptor by itself
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            # Its number, taken by the next socket, is waited on as any other.
            again, other = socket.socketpair()
            with again, other:
                again.setblocking(False)
                other.send(b"x")
                await _ready(again, True, 5.0, "read")

    asyncio.run(main())


def test_a_wait_started_in_the_same_turn_keeps_the_watcher() -> None:
    async def main() -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            ours.setblocking(False)
            loop = asyncio.get_running_loop()
            theirs.send(b"x")
            await _ready(ours, True, 5.0, "read")
            first = _watch._WATCHERS.get(loop)
            assert first is not None and ours.recv(1) == b"x"
            # Connect, then read: the next wait starts before the loop turns, and the
            # watcher that had nothing to wait on for a moment stays open for it.
            loop.call_later(0.05, theirs.send, b"y")
            await _ready(ours, True, 5.0, "read")
            assert _watch._WATCHERS.get(loop) is first
            assert ours.recv(1) == b"y"

    asyncio.run(main())


def test_loops_that_cannot_watch_sockets_get_no_watcher() -> None:
    # Not a selector loop (as the proactor loop of Windows is not): the loop's own waits.
    assert watcher_for(asyncio.AbstractEventLoop()) is None


def test_a_loop_closed_while_waiting_leaves_no_watcher_behind() -> None:
    loop = asyncio.new_event_loop()
    ours, theirs = socket.socketpair()
    try:
        ours.setblocking(False)
        abandoned = loop.create_task(_ready(ours, True, 60.0, "read"))
        loop.run_until_complete(asyncio.sleep(0))
        assert loop in _watch._WATCHERS
    finally:
        loop.close()  # with the wait still pending, as a program that stops abruptly does
    before = _descriptors()

    async def another() -> None:
        theirs.send(b"x")
        await _ready(ours, True, 5.0, "read")

    asyncio.run(another())
    assert loop not in _watch._WATCHERS
    assert _descriptors() == before - 1  # the abandoned loop's epoll instance closed
    # The abandoned wait, finalized at last, ends quietly.
    abandoned.get_coro().close()
    ours.close()
    theirs.close()


def _errors_logged(loop: asyncio.AbstractEventLoop) -> list[dict[str, object]]:
    errors: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    return errors


def test_a_wait_that_ends_as_the_watcher_closes_is_forgotten_quietly() -> None:
    """A wait is dispatched in the turn in which the watcher went idle, so the watcher
    closes before that wait's owner forgets it: forgetting must not schedule another close
    of a closed watcher (which raised in a loop callback)."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        errors = _errors_logged(loop)
        first, first_peer = socket.socketpair()
        second, second_peer = socket.socketpair()
        with first, first_peer, second, second_peer:
            watcher = watcher_for(loop)
            assert watcher is not None
            waiter = watcher.wait(first.fileno(), True, 5.0, "read")
            watcher.forget(first.fileno(), waiter)  # idle: closes at the next turn
            writable = watcher.wait(second.fileno(), False, 5.0, "write")  # ready at once
            watcher._dispatch()  # what the loop does in this turn: idle again
            await _turn()
            assert watcher._epoll.closed and loop not in _watch._WATCHERS
            watcher.forget(second.fileno(), writable)  # its owner, one turn later
            for _ in range(3):
                await _turn()
        assert errors == []

    asyncio.run(main())


def test_a_wait_that_cannot_register_leaves_no_watcher_open() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        before = _descriptors()
        ours, theirs = socket.socketpair()
        with ours, theirs:
            waiting = asyncio.ensure_future(_ready(ours, True, 5.0, "read"))
            await _turn()
            # The same socket waited on twice: the second registration is refused.
            with pytest.raises(FileExistsError):
                await _ready(ours, True, 5.0, "read")
            waiting.cancel()
            await asyncio.gather(waiting, return_exceptions=True)
        closed = socket.socket()
        closed.close()  # its descriptor is -1
        with pytest.raises(ValueError, match="negative"):
            await _ready(closed, True, 5.0, "read")
        await _turn()
        assert loop not in _watch._WATCHERS
        assert _descriptors() == before

    asyncio.run(main())


def test_loops_in_many_threads_share_the_watchers_safely() -> None:
    """Each thread runs loops one after another, some closed with a wait still pending;
    making and dropping watchers at once in all of them raises nothing."""
    import threading

    failures: list[BaseException] = []

    def one_thread() -> None:
        try:
            for round_number in range(15):
                ours, theirs = socket.socketpair()
                with ours, theirs:
                    ours.setblocking(False)
                    if round_number % 3 == 0:
                        loop = asyncio.new_event_loop()
                        task = loop.create_task(_ready(ours, True, 60.0, "read"))
                        loop.run_until_complete(asyncio.sleep(0))
                        loop.close()  # the wait still pending
                        task.get_coro().close()
                        continue
                    theirs.send(b"x")
                    asyncio.run(_ready(ours, True, 5.0, "read"))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    run_switching_often([threading.Thread(target=one_thread) for _ in range(16)])
    assert failures == []


def test_each_wait_times_out_at_its_own_deadline() -> None:
    """A long wait first, then shorter ones: the alarm moves to the earliest deadline, and
    a wait whose time is up ends while the others go on."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        pairs = [socket.socketpair() for _ in range(3)]
        try:
            for ours, _theirs in pairs:
                ours.setblocking(False)
            long = asyncio.ensure_future(_ready(pairs[0][0], True, 30.0, "long"))
            await _turn()
            started = loop.time()
            short = asyncio.ensure_future(_ready(pairs[1][0], True, 0.05, "short"))
            shorter = asyncio.ensure_future(_ready(pairs[2][0], True, 0.02, "shorter"))
            # Bounded: a lost alarm fails the test rather than hanging it.
            with pytest.raises(TimeoutError, match=r"^shorter$"):
                await asyncio.wait_for(shorter, 5.0)
            assert not short.done()
            with pytest.raises(TimeoutError, match=r"^short$"):
                await asyncio.wait_for(short, 5.0)
            assert loop.time() - started < 5.0  # long before the long wait's 30 s
            assert not long.done()
            pairs[0][1].send(b"x")  # the long wait still ends as a socket wait does
            await asyncio.wait_for(long, 5.0)
        finally:
            for ours, theirs in pairs:
                ours.close()
                theirs.close()

    asyncio.run(main())


def test_ended_waits_leave_no_pile_of_deadlines_and_a_closed_watcher_no_alarm() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        idle, idle_peer = socket.socketpair()
        with ours, theirs, idle, idle_peer:
            ours.setblocking(False)
            idle.setblocking(False)
            # One wait stays on throughout, so that the watcher stays open.
            staying = asyncio.ensure_future(_ready(idle, True, 60.0, "read"))
            await _turn()
            watcher = watcher_for(loop)
            assert watcher is not None
            for _ in range(3 * _watch._ENDED_KEPT):
                theirs.send(b"x")
                await _ready(ours, True, 60.0, "read")
                assert ours.recv(1) == b"x"
            # Ended waits' deadlines are dropped once they outnumber the live ones enough.
            assert len(watcher._deadlines) <= 1 + _watch._ENDED_KEPT + 1
            staying.cancel()
            await asyncio.gather(staying, return_exceptions=True)
            await _turn()
            assert watcher._epoll.closed
            assert watcher._alarm is None and watcher._deadlines == []

    asyncio.run(main())


def test_a_wait_forgotten_before_it_ends_is_never_failed() -> None:
    """Its owner stopped waiting: when its deadline comes, nothing is set on its future (a
    failed future that nobody reads is logged as an error)."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        errors = _errors_logged(loop)
        ours, theirs = socket.socketpair()
        idle, idle_peer = socket.socketpair()
        with ours, theirs, idle, idle_peer:
            staying = asyncio.ensure_future(_ready(idle, True, 60.0, "read"))
            await _turn()
            watcher = watcher_for(loop)
            assert watcher is not None
            waiter = watcher.wait(ours.fileno(), True, 0.02, "read")
            watcher.forget(ours.fileno(), waiter)
            await asyncio.sleep(0.1)
            assert not waiter.done()
            staying.cancel()
            await asyncio.gather(staying, return_exceptions=True)
        assert errors == []

    asyncio.run(main())
