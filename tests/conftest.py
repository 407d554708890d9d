"""Shared test fixtures: only loopback is reachable in every test, and paths to shared data."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.httpserver import LocalServers
    from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


class NetworkBlockedError(AssertionError):
    """Raised when code under test tries to open a network connection."""


def _is_loopback(host: object) -> bool:
    """True for an IP literal in 127.0.0.0/8 or ::1 (names are never resolved here)."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _address_host(address: object) -> object:
    return address[0] if isinstance(address, tuple) and address else address


@pytest.fixture(autouse=True, scope="session")
def _no_store_in_the_checkout() -> Iterator[None]:
    """No test leaves a crawl store where ``adstxt crawl`` puts one by default: a store there
    would make a later run's files fresh, so that test would pass once and fail after."""
    default = Path.cwd() / "adstxt.sqlite"
    before = default.exists()
    yield
    if default.exists() and not before:
        pytest.fail(f"a test wrote {default}: give 'adstxt crawl' a --store in tmp_path")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that connects beyond loopback: local test servers are all it may reach."""
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex
    create_connection = socket.create_connection
    getaddrinfo = socket.getaddrinfo

    def refuse(what: object) -> NetworkBlockedError:
        return NetworkBlockedError(f"network access attempted: {what!r}")

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX or _is_loopback(_address_host(address)):
            return connect(self, address)  # type: ignore[arg-type]
        raise refuse(address)

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        if self.family == socket.AF_UNIX or _is_loopback(_address_host(address)):
            return connect_ex(self, address)  # type: ignore[arg-type]
        raise refuse(address)

    def guarded_create_connection(
        address: tuple[str, int], *args: object, **kwargs: object
    ) -> socket.socket:
        if _is_loopback(address[0]):
            return create_connection(address, *args, **kwargs)  # type: ignore[arg-type]
        raise refuse(address)

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if _is_loopback(host):
            return getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
        raise refuse(host)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``, skipping the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (it sits beside the checkout in CI)")
    return path


@pytest.fixture(scope="module")
def servers() -> Iterator[LocalServers]:
    """Real local HTTP and HTTPS servers, shared by the tests of one module."""
    pytest.importorskip("h11")
    from tests.httpserver import LocalServers

    with LocalServers() as running:
        yield running


@pytest.fixture
def live(servers: LocalServers) -> LocalServers:
    """The shared servers with no routes and no requests seen yet."""
    servers.routes.clear()
    servers.seen.clear()
    return servers


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the test session (skips when it cannot run here)."""
    from tests.postgres import PSYCOPG_HINT, PostgresServer, PostgresUnavailableError

    pytest.importorskip("psycopg", reason=PSYCOPG_HINT)
    try:
        server = PostgresServer()
    except PostgresUnavailableError as exc:
        pytest.skip(str(exc))
    with server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped after the test."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store test keeps its store: a SQLite file, then a fresh PostgreSQL database
    (skipped, saying how to install the server, where it cannot run), so that every store
    test runs on both."""
    if request.param == "sqlite":
        return str(tmp_path / "adstxt.sqlite")
    return str(request.getfixturevalue("postgres_url"))
