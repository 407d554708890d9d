"""A lean HTTP/1.1 client: one request per connection, h11 for the protocol.

ads.txt fetching needs no connection reuse (each site is visited once), no HTTP/2 and no
cookies, but it does need to dial the address its resolver checked, time every phase, and
read the body chunk by chunk. h11, the HTTP/1.1 engine beneath httpx, does the protocol
work; this module only moves bytes. Measured on the crawl benchmark, a pooled client cost
about 2.4 ms of CPU per site against about 0.5 ms here.

A plain HTTP connection is a non-blocking socket that is read once it is readable
(:class:`_Plain`; on Linux :mod:`adstxt.fetch._watch` says when): an asyncio transport
and protocol around it cost a crawl about as much CPU again as the socket's own system
calls (a task wake-up for the connection, another for the protocol, the transport's
address look-ups). TLS goes through asyncio's TLS transport (:class:`_Pipe`), over a
socket connected the same way. Event loops that cannot watch a socket (the proactor loop
of Windows) use transports for both.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import socket
import ssl
from asyncio.selector_events import BaseSelectorEventLoop
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

import h11

from adstxt.fetch._connect import Resolver
from adstxt.fetch._failures import os_failure
from adstxt.fetch._watch import watcher_for

__all__ = ["HTTPResponse", "ProtocolFailureError", "open_response"]

_CHUNK = 65536
_HEAD_END = re.compile(rb"\r?\n\r?\n")
#: What connect() of a non-blocking socket says when the connection is on its way.
_IN_PROGRESS = frozenset((errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, errno.EINTR))


class ProtocolFailureError(Exception):
    """The server broke HTTP/1.1 (garbage, a truncated body, an early close)."""


class _Clock:
    """The read limit of one exchange: ``read_timeout`` per read, never past the deadline.

    ``total`` is what is left of the fetch's time limit ``budget`` (all of it for a fetch's
    first request): a fetch with a redirect or a second scheme spends one limit across them.
    """

    __slots__ = ("_budget", "_deadline", "_loop", "_read_timeout")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, read_timeout: float, total: float, budget: float
    ) -> None:
        self._read_timeout = read_timeout
        self._budget = budget
        # Kept, and handed on to what waits: on Python 3.11, asking asyncio for the running
        # loop makes a getpid() system call each time.
        self._loop = loop
        self._deadline = self._loop.time() + total

    def limit(self, seconds: float, what: str) -> tuple[float, str]:
        """``seconds`` for ``what``, or what is left of the whole fetch if less."""
        left = self._deadline - self._loop.time()
        if left < seconds:
            message = f"the fetch's time limit of {self._budget:g} s ran out"
            if left <= 0:
                raise TimeoutError(message)
            return left, message
        return seconds, f"{what} timeout after {seconds:g} s"

    def read(self) -> tuple[float, str]:
        """The limit for the next read."""
        return self.limit(self._read_timeout, "read")


class _Stream(Protocol):
    """A connection to the server: what :class:`_Pipe` and :class:`_Plain` both offer."""

    async def send(self, data: bytes, seconds: float, what: str) -> None: ...

    async def read(self, seconds: float, what: str) -> bytes: ...

    def close(self) -> None: ...


def _set_ready(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _expire(waiter: asyncio.Future[None], what: str) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError(what))


async def _ready(
    sock: socket.socket,
    reading: bool,
    seconds: float,
    what: str,
    loop: asyncio.AbstractEventLoop | None = None,
) -> None:
    """Wait until ``sock`` is readable (or writable), or :class:`TimeoutError` saying
    ``what`` after ``seconds``. One future, and its deadline with the watcher's (or one
    timer where the loop watches the socket itself): this runs for every connection.
    ``loop``: the running loop, when the caller has it (asking costs a system call on
    Python 3.11, see :class:`_Clock`)."""
    if loop is None:
        loop = asyncio.get_running_loop()
    fd = sock.fileno()
    watcher = watcher_for(loop)  # None: a selector loop without epoll watches it itself
    if watcher is not None:
        waiter = watcher.wait(fd, reading, seconds, what)
        try:
            await waiter
        finally:
            watcher.forget(fd, waiter)
            # A timed-out waiter holds its error, whose traceback holds this frame: a
            # reference cycle unless the frame lets go of it.
            del waiter
        return
    waiter = loop.create_future()
    (loop.add_reader if reading else loop.add_writer)(fd, _set_ready, waiter)
    timer = loop.call_later(seconds, _expire, waiter, what)
    try:
        await waiter
    finally:
        timer.cancel()
        if reading:
            loop.remove_reader(fd)
        else:
            loop.remove_writer(fd)
        del waiter  # as above


class _Plain:
    """A plain TCP connection, read and written on its non-blocking socket directly. It is
    read only when asked, so a server that sends faster than the body is checked waits in
    the socket's buffers."""

    __slots__ = ("_error", "_loop", "_sent", "_sock")

    def __init__(self, sock: socket.socket, loop: asyncio.AbstractEventLoop) -> None:
        self._sock = sock
        self._loop = loop
        self._error: ConnectionError | None = None
        self._sent = False  # a request went out and nothing was read since

    async def send(self, data: bytes, seconds: float, what: str) -> None:
        """Send all of ``data`` (a request fits the socket's buffer: one call), waiting up
        to ``seconds`` each time the socket takes no more (then :class:`TimeoutError`
        saying ``what``). A reset is raised by the read that follows, as a reset during the
        answer is: the request is sent before anything is read, as with a transport."""
        view = memoryview(data)
        while view:
            try:
                sent = self._sock.send(view)
            except (BlockingIOError, InterruptedError):
                await _ready(self._sock, False, seconds, what, self._loop)
                continue
            except ConnectionError as exc:  # kept for the read: a recv would not see it again
                self._error = exc
                return
            view = view[sent:]
        self._sent = True

    async def read(self, seconds: float, what: str) -> bytes:
        """Up to 64 KiB of what has arrived, waiting up to ``seconds`` for something (then
        :class:`TimeoutError` saying ``what``); ``b""`` once the server has closed."""
        if self._error is not None:
            # Raised once and let go of, by the connection and by this frame: either would
            # hold the error, whose traceback holds this frame (a reference cycle).
            error, self._error = self._error, None
            try:
                raise error
            finally:
                del error
        sock = self._sock
        if self._sent:
            # No answer can be there yet: wait first, rather than try a read that fails.
            self._sent = False
            await _ready(sock, True, seconds, what, self._loop)
        while True:
            try:
                return sock.recv(_CHUNK)
            except (BlockingIOError, InterruptedError):
                await _ready(sock, True, seconds, what, self._loop)

    def close(self) -> None:
        self._sock.close()


class _Pipe(asyncio.Protocol):
    """A connection through an asyncio transport (TLS, or any connection on an event loop
    that cannot watch sockets): buffers what the server sends until it is read, and pauses
    the transport when it piles up."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._closed = False
        self._error: Exception | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) > _CHUNK and not self._paused and self.transport is not None:
            self.transport.pause_reading()
            self._paused = True
        self._wake()

    def eof_received(self) -> bool | None:
        self._closed = True
        self._wake()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._error = exc
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def read(self, seconds: float, what: str) -> bytes:
        """What has arrived, waiting up to ``seconds`` for something (then
        :class:`TimeoutError` saying ``what``); ``b""`` once the server has closed."""
        if not self._buffer and not self._closed:
            # One timer on the waiter rather than a timeout scope around a coroutine: most
            # reads wait once, and this is the crawler's hottest path.
            loop = asyncio.get_running_loop()
            timer = loop.call_later(seconds, self._time_out, what)
            try:
                while not self._buffer and not self._closed:
                    self._waiter = loop.create_future()
                    try:
                        await self._waiter
                    finally:
                        self._waiter = None
            finally:
                timer.cancel()
        if self._buffer:
            data = bytes(self._buffer)
            self._buffer.clear()
            if self._paused and self.transport is not None:
                self._paused = False
                self.transport.resume_reading()
            return data
        if self._error is not None:
            error, self._error = self._error, None  # raised once, as in _Plain.read
            try:
                raise error
            finally:
                del error
        return b""

    def _time_out(self, what: str) -> None:
        if self._waiter is not None:
            _expire(self._waiter, what)

    async def send(self, data: bytes, seconds: float, what: str) -> None:
        """Hand ``data`` to the transport, which sends it as the socket takes it (the
        reads that follow wait for it within their own time limits)."""
        assert self.transport is not None
        self.transport.write(data)

    def close(self) -> None:
        """Close at once: one request per connection, so no polite TLS shutdown."""
        if self.transport is not None:
            self.transport.abort()


class HTTPResponse:
    """Status and headers of a response whose body is read with :meth:`chunks`."""

    def __init__(
        self,
        head: h11.Response,
        connection: h11.Connection,
        pipe: _Stream,
        clock: _Clock,
    ) -> None:
        self.status = head.status_code
        self.headers: Sequence[tuple[bytes, bytes]] = head.headers
        self._connection = connection
        self._pipe = pipe
        self._clock = clock

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives (after transfer decoding, before content decoding)."""
        while True:
            event = await _next_event(self._connection, self._pipe, self._clock)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                return


async def _next_event(connection: h11.Connection, pipe: _Stream, clock: _Clock) -> object:
    while True:
        state = connection.their_state  # h11 moves to ERROR when it raises
        try:
            event = connection.next_event()
        except h11.RemoteProtocolError as exc:
            raise _broken(exc, state, connection) from _without_cycle(exc)
        if event is not h11.NEED_DATA:
            return event
        try:
            data = await pipe.read(*clock.read())
        except ConnectionError as exc:  # a reset (TLS failures are reported as such)
            started = bool(connection.trailing_data[0])
            raise ProtocolFailureError(
                _cut_short("the server reset the connection", state, started)
            ) from exc
        if state is h11.SEND_RESPONSE and data:
            _limit_head(connection.trailing_data[0], data)
        try:
            connection.receive_data(data)
        except h11.RemoteProtocolError as exc:
            raise _broken(exc, state, connection) from _without_cycle(exc)


def _without_cycle(exc: h11.RemoteProtocolError) -> h11.RemoteProtocolError:
    """``exc`` without its traceback: h11 raises a remote protocol error again as itself,
    from a frame that holds it, so its traceback would hold the error (a reference cycle
    left to the garbage collector). What it says is kept."""
    return exc.with_traceback(None)


def _limit_head(buffered: bytes, data: bytes) -> None:
    """Refuse a response head over the limit. h11 holds an event to its size limit only
    while the event is unfinished, so a long head that arrives whole would pass it."""
    pending = buffered + data
    end = _HEAD_END.search(pending)  # h11 takes bare LF line ends too
    if (end is None and len(pending) > _CHUNK) or (end is not None and end.end() > _CHUNK):
        raise ProtocolFailureError(f"the response headers exceed the {_CHUNK // 1024} KiB limit")


def _broken(
    exc: h11.RemoteProtocolError,
    state: object,
    connection: h11.Connection,
) -> ProtocolFailureError:
    """h11's complaint (``Receive buffer too long``, ``can't handle event type
    ConnectionClosed when role=SERVER ...``) as what the server did."""
    text = str(exc)
    data, closed = connection.trailing_data
    if text == "Receive buffer too long":
        what = "the response headers" if state is h11.SEND_RESPONSE else "a chunk size line"
        return ProtocolFailureError(f"{what} exceed the {_CHUNK // 1024} KiB limit")
    if closed:
        got = re.search(r"received (\d+) bytes, expected (\d+)", text)
        amount = f" ({int(got[1]):,} of {int(got[2]):,} bytes)" if got else ""
        return ProtocolFailureError(
            _cut_short("the server closed the connection", state, bool(data)) + amount
        )
    text = re.sub(r"bytearray\((b'.*')\)", r"\1", text)
    return ProtocolFailureError(f"the response is not valid HTTP/1.1 ({text})")


def _cut_short(what: str, state: object, started: bool) -> str:
    """``what`` happened: before the response, during its head, or during its body."""
    if state is h11.SEND_BODY:
        return f"{what} before sending the whole body"
    if not started:
        return f"{what} without sending a response"
    return f"{what} before sending a complete response"


def _socket_address(address: str, port: int) -> tuple[str, int] | tuple[str, int, int, int]:
    """The address to dial ``address`` at: a scoped IPv6 address (``fe80::1%eth0``) keeps
    its zone as the scope id, which a two-item address would drop (and a link-local
    address without its zone cannot be dialled). An unknown zone raises OSError."""
    host, scoped, zone = address.partition("%")
    if not scoped:
        return address, port
    return host, port, 0, int(zone) if zone.isdigit() else socket.if_nametoindex(zone)


async def _connect(
    loop: asyncio.AbstractEventLoop,
    address: str,
    port: int,
    lean: bool,
    seconds: float,
    what: str,
) -> socket.socket:
    """A non-blocking socket connected to ``address``:``port``, within ``seconds`` (then
    :class:`TimeoutError` saying ``what``), on the running ``loop``. ``lean``: the event
    loop can watch sockets."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    # Made non-blocking at once where the system can (one system call fewer per connection).
    nonblocking = getattr(socket, "SOCK_NONBLOCK", 0)
    sock = socket.socket(family, socket.SOCK_STREAM | nonblocking)
    try:
        if not nonblocking:
            sock.setblocking(False)
        where = _socket_address(address, port)
        if not lean:
            try:
                async with asyncio.timeout(seconds):
                    await loop.sock_connect(sock, where)
            except TimeoutError:
                raise TimeoutError(what) from None
            return sock
        code = sock.connect_ex(where)
        if code in _IN_PROGRESS:
            await _ready(sock, False, seconds, what, loop)
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            raise OSError(code, os.strerror(code))
    except BaseException:
        sock.close()
        raise
    return sock


async def _dial(
    resolver: Resolver,
    scheme: str,
    host: str,
    port: int,
    context: ssl.SSLContext,
    timeout: float,
    seconds: float,
    what: str,
    *,
    lean: bool | None = None,
    loop: asyncio.AbstractEventLoop | None = None,
) -> _Stream:
    """A connection to ``host``:``port`` (TLS for https), trying each address the resolver
    gives in turn. Resolving, connecting and the TLS handshake share ``seconds``
    (:class:`TimeoutError` saying ``what``); ``timeout`` also bounds the handshake.
    ``lean``: plain HTTP on the socket itself (the default wherever the event loop can
    watch sockets) rather than through a transport. ``loop``: the running loop, when the
    caller has it."""
    if loop is None:
        loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    targets = resolver.known(host, port)
    if targets is None:
        try:
            async with asyncio.timeout_at(deadline):
                targets = await resolver.resolve(host, port)
        except socket.gaierror as exc:
            raise OSError(os_failure(exc, host)) from exc
        except TimeoutError:
            raise TimeoutError(what) from None
    if lean is None:
        lean = isinstance(loop, BaseSelectorEventLoop)
    error: OSError | None = None
    why = ""
    try:
        for address, target_port in targets:
            try:
                sock = await _connect(
                    loop, address, target_port, lean, deadline - loop.time(), what
                )
                if scheme != "https" and lean:
                    return _Plain(sock, loop)
                return await _over_transport(
                    sock, host if scheme == "https" else None, context, timeout, deadline
                )
            except ssl.SSLError:
                raise
            except TimeoutError as exc:
                if exc.errno is None:  # the time limit, not the system's ETIMEDOUT
                    raise TimeoutError(what) from None
                error, why = exc, _cannot_connect(address, target_port, exc)
            except OSError as exc:
                error, why = exc, _cannot_connect(address, target_port, exc)
        assert error is not None  # the resolver never returns an empty list
        raise OSError(why) from error
    finally:
        # An address's error has a traceback that holds this frame, which holds the error:
        # a cycle that only the garbage collector would free (one per refused connection),
        # whether another address then answered or not.
        error = None


async def _over_transport(
    sock: socket.socket,
    tls_host: str | None,
    context: ssl.SSLContext,
    timeout: float,
    deadline: float,
) -> _Pipe:
    """The connected ``sock`` through an asyncio transport: TLS for ``tls_host`` (its
    handshake within ``timeout`` and before ``deadline``), or plain when it is None."""
    made: list[_Pipe] = []

    def pipe_made() -> _Pipe:
        made.append(_Pipe())
        return made[-1]

    try:
        async with asyncio.timeout_at(deadline):
            _, pipe = await asyncio.get_running_loop().create_connection(
                pipe_made,
                sock=sock,
                ssl=context if tls_host is not None else None,
                server_hostname=tls_host,
                ssl_handshake_timeout=timeout if tls_host is not None else None,
            )
    except BaseException as exc:
        # A TLS connection cut short once its handshake was done is closed politely by
        # asyncio, its socket still watched by the loop: abort it, so that the socket is
        # let go before it is closed here (its number may be reused at once, by the next
        # connection).
        if made and made[0].transport is not None:
            made[0].transport.abort()
        sock.close()
        if isinstance(exc, OSError):  # TLS failures and timeouts among them
            # Raised without the frames below: asyncio's handshake future holds this
            # error, and its traceback holds the frame that holds that future (a reference
            # cycle left to the garbage collector, one per failed handshake).
            raise exc.with_traceback(None)  # noqa: B904 - the same error, raised again
        raise
    return pipe


def _cannot_connect(address: str, port: int, exc: OSError) -> str:
    where = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    return f"cannot connect to {where}: {os_failure(exc)}"


class _Exchange:
    """The ``async with`` of :func:`open_response` (a class: this runs once per request)."""

    __slots__ = ("_args", "_stream")

    def __init__(
        self,
        resolver: Resolver,
        context: ssl.SSLContext,
        scheme: str,
        host: str,
        port: int,
        target: bytes,
        headers: Sequence[tuple[bytes, bytes]],
        connect_timeout: float,
        read_timeout: float,
        total: float,
        budget: float,
    ) -> None:
        self._args = (
            resolver,
            context,
            scheme,
            host,
            port,
            target,
            headers,
            connect_timeout,
            read_timeout,
            total,
            budget,
        )
        self._stream: _Stream | None = None

    async def __aenter__(self) -> HTTPResponse:
        (
            resolver,
            context,
            scheme,
            host,
            port,
            target,
            headers,
            connect_timeout,
            read_timeout,
            total,
            budget,
        ) = self._args
        loop = asyncio.get_running_loop()
        clock = _Clock(loop, read_timeout, total, budget)
        seconds, what = clock.limit(connect_timeout, "connect")
        stream = await _dial(
            resolver, scheme, host, port, context, connect_timeout, seconds, what, loop=loop
        )
        self._stream = stream
        try:
            connection = h11.Connection(h11.CLIENT, max_incomplete_event_size=_CHUNK)
            request = h11.Request(method="GET", target=target, headers=list(headers))
            await stream.send(
                connection.send(request) + connection.send(h11.EndOfMessage()),
                *clock.limit(read_timeout, "write"),
            )
            while True:
                event = await _next_event(connection, stream, clock)
                if isinstance(event, h11.Response):
                    return HTTPResponse(event, connection, stream, clock)
                if isinstance(event, h11.ConnectionClosed):
                    raise ProtocolFailureError("the server closed the connection without answering")
                # Informational (1xx) responses are skipped: the final response follows.
        except BaseException:
            stream.close()
            raise

    async def __aexit__(self, *exc: object) -> None:
        if self._stream is not None:
            self._stream.close()


def open_response(
    resolver: Resolver,
    context: ssl.SSLContext,
    scheme: str,
    host: str,
    port: int,
    target: bytes,
    headers: Sequence[tuple[bytes, bytes]],
    connect_timeout: float,
    read_timeout: float,
    total: float,
    budget: float | None = None,
) -> _Exchange:
    """``async with`` this to send ``GET target`` and get the response once its head has
    arrived; the connection is closed when the block ends.

    ``connect_timeout`` bounds name resolution and connecting (TLS included),
    ``read_timeout`` each wait for data, and ``total`` the whole exchange, body included:
    what is left of the fetch's time limit ``budget`` (``total`` when not given).

    Raises :class:`~adstxt.fetch._connect.BlockedAddressError`, :class:`ssl.SSLError`,
    :class:`TimeoutError`, :class:`ProtocolFailureError` or another :class:`OSError`.
    """
    return _Exchange(
        resolver,
        context,
        scheme,
        host,
        port,
        target,
        headers,
        connect_timeout,
        read_timeout,
        total,
        total if budget is None else budget,
    )
