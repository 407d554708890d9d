"""The HTTP connection layer: httpcore's pool on a network backend that resolves through
:class:`~adstxt.fetch._connect.Resolver`, so overrides and the address policy apply to every
connection, redirects included.

httpx builds on the same pool but does not let a caller replace its network backend, which
is the one place where the dialled address can be both chosen and checked.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable

import httpcore

from adstxt.fetch._connect import Resolver

__all__ = ["GuardedBackend", "make_pool"]

_SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Dials only the addresses the resolver hands out, trying each in turn."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None, socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        targets = await self._resolver.resolve(host, port)
        error: Exception | None = None
        for address, target_port in targets:
            try:
                return await self._inner.connect_tcp(
                    address, target_port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, OSError) as exc:
                error = exc
        assert error is not None  # resolve() never returns an empty list
        raise error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Unix sockets are never used to fetch ads.txt")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def make_pool(
    resolver: Resolver, verify: bool | ssl.SSLContext, max_connections: int
) -> httpcore.AsyncConnectionPool:
    """A connection pool that verifies TLS (unless told not to) and keeps few idle sockets."""
    if isinstance(verify, ssl.SSLContext):
        context = verify
    else:
        context = ssl.create_default_context()
        if not verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
    return httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=max_connections,
        # Crawls touch each host once or twice: keeping idle sockets would only hold memory.
        max_keepalive_connections=min(max_connections, 20),
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(resolver),
    )
