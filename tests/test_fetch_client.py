"""The HTTP client's connections, against real local servers: plain HTTP on the socket
itself, and through an asyncio transport (TLS, and event loops that cannot watch sockets),
with the same answers, the same failures in the same words, and nothing left open."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import Iterator

import pytest

pytest.importorskip("h11")

from adstxt.fetch import ConnectTo, fetch
from adstxt.fetch._client import _dial, _Pipe, _Plain, _Stream
from adstxt.fetch._connect import BlockedAddressError, Resolver
from tests.httpserver import GOOD, LocalServers, closed_port, text


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port whose listener never accepts: connections complete in the kernel's
    queue, and the request is never answered (nor taken by this process)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


@pytest.fixture
def stalled_port() -> Iterator[int]:
    """A loopback port whose listener never accepts and has a full queue: the kernel
    drops further connection attempts, so a connect to it hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = int(listener.getsockname()[1])
    queued = []
    for _ in range(4):
        waiting = socket.socket()
        waiting.setblocking(False)
        waiting.connect_ex(("127.0.0.1", port))
        queued.append(waiting)
    try:
        yield port
    finally:
        for waiting in queued:
            waiting.close()
        listener.close()


async def _get(stream: _Stream, host: str) -> bytes:
    """Send a plain GET of /ads.txt on ``stream`` and read the answer to its end."""
    await stream.send(
        f"GET /ads.txt HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode(),
        2.0,
        "write timeout",
    )
    answer = b""
    while chunk := await stream.read(2.0, "read timeout"):
        answer += chunk
    stream.close()
    return answer


def _dial_to(
    live: LocalServers, scheme: str, port: int, lean: bool | None, seconds: float = 2.0
) -> _Stream:
    resolver = Resolver([ConnectTo(None, None, "127.0.0.1", port)])
    context = live.client_context

    async def run() -> _Stream:
        return await _dial(
            resolver, scheme, "example.com", 80, context, seconds, seconds, "connect", lean=lean
        )

    return asyncio.run(run())


@pytest.mark.parametrize("lean", [True, False])
def test_plain_http_on_the_socket_and_through_a_transport_reads_the_same(
    live: LocalServers, lean: bool
) -> None:
    live.routes["http://example.com/ads.txt"] = text(GOOD)
    resolver = Resolver([ConnectTo(None, None, "127.0.0.1", live.http_port)])

    async def run() -> tuple[type, bytes]:
        stream = await _dial(
            resolver, "http", "example.com", 80, live.client_context, 2, 2, "connect", lean=lean
        )
        return type(stream), await _get(stream, "example.com")

    kind, answer = asyncio.run(run())
    assert kind is (_Plain if lean else _Pipe)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(GOOD)


def test_plain_http_is_on_the_socket_where_the_loop_can_watch_it(live: LocalServers) -> None:
    resolver = Resolver([ConnectTo(None, None, "127.0.0.1", live.http_port)])
    secure = Resolver([ConnectTo(None, None, "127.0.0.1", live.https_port)])

    async def run() -> tuple[_Stream, _Stream]:
        plain = await _dial(resolver, "http", "example.com", 80, live.client_context, 2, 2, "c")
        tls = await _dial(secure, "https", "example.com", 443, live.client_context, 2, 2, "c")
        plain.close()
        tls.close()
        return plain, tls

    plain, tls = asyncio.run(run())
    assert isinstance(plain, _Plain)
    assert isinstance(tls, _Pipe)  # TLS goes through asyncio's transport


@pytest.mark.parametrize("lean", [True, False])
def test_a_refused_connection_names_the_address_in_words(live: LocalServers, lean: bool) -> None:
    port = closed_port()
    with pytest.raises(OSError, match=r"^cannot connect to") as caught:
        _dial_to(live, "http", port, lean)
    assert str(caught.value) == (
        f"cannot connect to 127.0.0.1:{port}: the connection was refused "
        "(nothing listens on that port)"
    )


@pytest.mark.parametrize("lean", [True, False])
def test_a_connection_that_hangs_ends_at_the_connect_limit(
    live: LocalServers, stalled_port: int, lean: bool
) -> None:
    with pytest.raises(TimeoutError) as caught:
        _dial_to(live, "http", stalled_port, lean, seconds=0.3)
    assert str(caught.value) == "connect"
    assert caught.value.errno is None  # the limit, not the system's ETIMEDOUT


def test_a_fetch_whose_connections_hang_says_which_limit_ran_out(stalled_port: int) -> None:
    result = fetch(
        "example.com",
        connect_to=[ConnectTo(None, None, "127.0.0.1", stalled_port)],
        allow_private_addresses=True,
        connect_timeout=0.3,
        timeout=3,
    )
    assert result.outcome == "timeout"
    assert [d.message for d in result.fetch_diagnostics if d.severity.value == "error"] == [
        "http://example.com/ads.txt: connect timeout after 0.3 s; tried before it: "
        "https://example.com/ads.txt: connect timeout after 0.3 s"
    ]


def test_the_resolver_knows_overrides_and_literals_without_a_lookup() -> None:
    resolver = Resolver([ConnectTo("example.com", 80, "127.0.0.1", 8080)])
    assert resolver.known("example.com", 80) == [("127.0.0.1", 8080)]
    assert resolver.known("EXAMPLE.com", 80) == [("127.0.0.1", 8080)]
    assert resolver.known("example.com", 443) is None  # a name: it must be looked up
    assert resolver.known("93.184.215.14", 443) == [("93.184.215.14", 443)]
    assert resolver.known("[2606:2800:21f:cb07:6820:80da:af6b:8b2c]", 80) == [
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", 80)
    ]
    with pytest.raises(BlockedAddressError):  # the policy holds without a lookup too
        resolver.known("10.0.0.1", 80)
    assert Resolver(allow_private=True).known("10.0.0.1", 80) == [("10.0.0.1", 80)]


def test_an_override_to_a_name_is_not_known_without_a_lookup() -> None:
    assert Resolver([ConnectTo(None, None, "localhost", 8080)]).known("example.com", 80) is None


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_no_connection_is_left_open(
    live: LocalServers, stalled_port: int, silent_port: int
) -> None:
    """Answers, refusals, time-outs and resets alike close their sockets and leave no
    socket watched by the event loop. (The servers that never answer take no descriptor
    of this process: they never accept.)"""
    from tests.httpserver import Reply

    live.routes["http://example.com/ads.txt"] = text(GOOD)
    live.routes["http://example.net/ads.txt"] = Reply(behaviour="reset")
    options = {**live.options, "read_timeout": 0.3, "connect_timeout": 0.3}
    rules = [
        ConnectTo("example.co.uk", None, "127.0.0.1", stalled_port),
        ConnectTo("example.org", None, "127.0.0.1", silent_port),
        ConnectTo(None, 443, "127.0.0.1", closed_port()),
        ConnectTo(None, 80, "127.0.0.1", live.http_port),
    ]
    before = _open_descriptors()
    outcomes = []
    for _ in range(3):
        for domain in ("example.com", "example.net", "example.org", "example.co.uk"):
            outcomes.append(fetch(domain, **{**options, "connect_to": rules}).outcome)
    assert outcomes[:4] == ["ok", "connection-error", "timeout", "timeout"]
    assert _open_descriptors() == before


def test_the_fetch_cost_benchmark_runs_both_clients_to_a_304() -> None:
    """``benchmarks/fetch_cost.py`` (whose figures the benchmark notes quote) runs: its
    server answers, and both clients get every site's 304 (either exits otherwise)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = ROOT / "benchmarks" / "fetch_cost.py"
    done = subprocess.run(
        [sys.executable, str(script), "--repeat", "1", "--domains", "20", "--concurrency", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Python ") and "20 sites" in lines[0]
    assert [line.split()[0] for line in lines[1:3]] == ["fetcher", "bare"]
    assert "the fetcher's own part" in lines[3]


def test_a_tls_connection_stopped_as_its_handshake_ends_lets_its_socket_go(
    live: LocalServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop (Ctrl-C, a crawl winding down, the time limit) that lands as the TLS handshake
    completes: asyncio closes that connection politely, its socket still watched by the
    event loop. The socket must be let go, or the next connection given the same
    descriptor number fails on that loop."""
    live.routes["http://example.com/ads.txt"] = text(GOOD)
    secure = Resolver([ConnectTo(None, None, "127.0.0.1", live.https_port)])
    plain = Resolver([ConnectTo(None, None, "127.0.0.1", live.http_port)])
    made = _Pipe.connection_made

    async def run() -> list[bytes]:
        task = asyncio.current_task()
        assert task is not None

        def stop_at_handshake_end(self: _Pipe, transport: asyncio.BaseTransport) -> None:
            made(self, transport)
            task.cancel()

        with monkeypatch.context() as patched:
            patched.setattr(_Pipe, "connection_made", stop_at_handshake_end)
            with pytest.raises(asyncio.CancelledError):
                await _dial(secure, "https", "example.com", 443, live.client_context, 2, 2, "c")
        task.uncancel()
        answers = []
        for lean in (True, False):  # each reuses the descriptor number just freed
            stream = await _dial(
                plain, "http", "example.com", 80, live.client_context, 2, 2, "c", lean=lean
            )
            answers.append(await _get(stream, "example.com"))
        return answers

    for answer in asyncio.run(run()):
        assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(GOOD)


def test_a_scoped_ipv6_address_keeps_its_zone() -> None:
    from adstxt.fetch._client import _socket_address

    loopback = socket.if_nameindex()[0]
    assert _socket_address(f"fe80::1%{loopback[1]}", 80) == ("fe80::1", 80, 0, loopback[0])
    assert _socket_address("fe80::1%7", 443) == ("fe80::1", 443, 0, 7)
    assert _socket_address("::1", 80) == ("::1", 80)
    assert _socket_address("127.0.0.1", 80) == ("127.0.0.1", 80)
    with pytest.raises(OSError, match="no interface"):  # said as a failure to connect
        _socket_address("fe80::1%no-such-interface", 80)


@pytest.fixture
def resetting_server() -> Iterator[tuple[int, threading.Event]]:
    """A loopback port whose server resets each connection it accepts once told to."""
    import struct

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    told = threading.Event()

    def serve() -> None:
        while True:
            try:
                accepted, _ = listener.accept()
            except OSError:
                return
            told.wait(5)
            accepted.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            accepted.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield int(listener.getsockname()[1]), told
    finally:
        told.set()
        listener.close()


@pytest.mark.parametrize("lean", [True, False])
def test_a_reset_before_the_request_is_reported_by_the_read(
    live: LocalServers, resetting_server: tuple[int, threading.Event], lean: bool
) -> None:
    """The server resets the connection before the request goes out: the read that
    follows says so (as a reset during the answer), on the socket as through a transport."""
    port, reset = resetting_server

    async def run() -> None:
        stream = await _dial(
            Resolver([ConnectTo(None, None, "127.0.0.1", port)]),
            "http",
            "example.com",
            80,
            live.client_context,
            2,
            2,
            "connect",
            lean=lean,
        )
        reset.set()
        await asyncio.sleep(0.2)  # the reset has arrived
        await stream.send(b"GET /ads.txt HTTP/1.1\r\nHost: example.com\r\n\r\n", 1, "write")
        try:
            with pytest.raises(ConnectionError):
                await stream.read(1, "read")
        finally:
            stream.close()

    asyncio.run(run())
