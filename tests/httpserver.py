"""Real local HTTP and HTTPS servers for the fetch tests: asyncio, on 127.0.0.1, in a thread.

Routes map a URL (``https://example.com/ads.txt``, or ``*://host/path`` for both schemes) to
a :class:`Reply`. Unknown URLs get a 404. Host names reach the servers through the library's
``connect_to`` overrides, so no name is ever resolved.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import trustme

from adstxt.fetch import ConnectTo

GOOD = b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"
TEXT = "text/plain; charset=utf-8"
#: Names the test certificate is valid for.
NAMES = (
    "example.com",
    "*.example.com",
    "example.net",
    "*.example.net",
    "example.org",
    "*.example.org",
    "example.co.uk",
    "*.example.co.uk",
    "*.subdomain.example.co.uk",
)


@dataclass
class Reply:
    """What the server answers. ``behaviour`` is ``"hang"`` (never answer), ``"trickle"``
    (headers, then one byte every 50 ms forever), ``"no-length"`` (a body delimited by
    closing the connection), ``"close"`` (drop the connection), ``"reset"`` (reset it),
    ``"cut-head"`` (close in the middle of the headers) or ``"huge-head"`` (headers of
    70 KiB)."""

    status: int = 200
    body: bytes = GOOD
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": TEXT})
    behaviour: str | None = None
    delay: float = 0.0


def redirect(location: str, status: int = 301) -> Reply:
    return Reply(status, b"", {"Location": location})


def text(body: bytes, content_type: str | None = TEXT, status: int = 200) -> Reply:
    return Reply(status, body, {"Content-Type": content_type} if content_type else {})


def etagged(body: bytes, etag: str = '"v1"', content_type: str = TEXT) -> Callable[[Seen], Reply]:
    """A file served with ``etag``, answering 304 to a request that sends it back."""

    def served(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, {"Content-Type": content_type, "ETag": etag})

    return served


@dataclass
class Seen:
    scheme: str
    host: str
    path: str
    headers: dict[str, str]


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalServers:
    """An HTTP and an HTTPS server sharing one route table; start with ``with``."""

    def __init__(self, names: tuple[str, ...] = NAMES) -> None:
        self.routes: dict[str, Reply | Callable[[Seen], Reply]] = {}
        self.seen: list[Seen] = []
        self.ca = trustme.CA()
        self._cert = self.ca.issue_cert(*names)
        self.client_context = ssl.create_default_context()
        self.ca.configure_trust(self.client_context)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.http_port = 0
        self.https_port = 0
        self._servers: list[asyncio.base_events.Server] = []

    def crawl_options(self, timeout: int = 5) -> list[str]:
        """``adstxt crawl`` options that send every site's HTTP to these servers and its
        HTTPS to a closed port (a site without HTTPS), with no retries."""
        return [
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--connect-to",
            f":80:127.0.0.1:{self.http_port}",
            "--retries",
            "0",
            "--timeout",
            str(timeout),
        ]

    def __enter__(self) -> LocalServers:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _start(self) -> None:
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(server_context)
        plain = await asyncio.start_server(lambda r, w: self._serve(r, w, "http"), "127.0.0.1", 0)
        secure = await asyncio.start_server(
            lambda r, w: self._serve(r, w, "https"), "127.0.0.1", 0, ssl=server_context
        )
        self._servers = [plain, secure]
        self.http_port = plain.sockets[0].getsockname()[1]
        self.https_port = secure.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        for server in self._servers:
            server.close()
        for task in asyncio.all_tasks(self._loop):
            if task is not asyncio.current_task():
                task.cancel()

    @property
    def connect_to(self) -> tuple[ConnectTo, ...]:
        """Every host's port 80 and 443 go to these servers."""
        return (
            ConnectTo(None, 80, "127.0.0.1", self.http_port),
            ConnectTo(None, 443, "127.0.0.1", self.https_port),
        )

    @property
    def options(self) -> dict[str, object]:
        """Fetcher options for tests: these servers, trusted, with short time limits."""
        return {
            "connect_to": self.connect_to,
            "verify": self.client_context,
            "connect_timeout": 0.5,
            "read_timeout": 0.5,
            "timeout": 1.0,
        }

    def _route(self, seen: Seen) -> Reply:
        for key in (f"{seen.scheme}://{seen.host}{seen.path}", f"*://{seen.host}{seen.path}"):
            reply = self.routes.get(key)
            if reply is not None:
                return reply(seen) if callable(reply) else reply
        return Reply(404, b"not found", {"Content-Type": "text/html"})

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, scheme: str
    ) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            _, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            host = headers.get("host", "")
            if ":" in host and not host.endswith("]"):
                host = host.rsplit(":", 1)[0]
            seen = Seen(scheme, host, target, headers)
            self.seen.append(seen)
            reply = self._route(seen)
            if reply.delay:
                await asyncio.sleep(reply.delay)
            if reply.behaviour == "hang":
                await asyncio.sleep(3600)
            if reply.behaviour == "close":
                return
            if reply.behaviour == "reset":
                # A zero linger time makes close() send a reset instead of a FIN.
                raw = writer.get_extra_info("socket")
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            if reply.behaviour == "cut-head":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Ty")
                await writer.drain()
                return
            out = [f"HTTP/1.1 {reply.status} X"]
            out += [f"{k}: {v}" for k, v in reply.headers.items()]
            given = any(k.lower() == "content-length" for k in reply.headers)
            if reply.behaviour not in ("trickle", "no-length") and not given:
                out.append(f"Content-Length: {len(reply.body)}")
            out.append("Connection: close")
            if reply.behaviour == "huge-head":
                out.append("X-Padding: " + "a" * 70 * 1024)
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1"))
            if reply.behaviour == "trickle":
                while True:
                    writer.write(b"#")
                    await writer.drain()
                    await asyncio.sleep(0.05)
            writer.write(reply.body)
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError, ValueError, ssl.SSLError):
            pass
        except asyncio.CancelledError:
            pass  # shutting down: end quietly rather than log a cancelled handler
        finally:
            writer.close()
