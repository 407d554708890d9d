"""The throwaway PostgreSQL server of the tests: a stale one from a killed run is cleaned up,
a port taken meanwhile is given up for another, and missing binaries say how to install them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests import postgres
from tests.postgres import INSTALL_HINT, PostgresServer, PostgresUnavailableError


@pytest.fixture
def binaries() -> None:
    pytest.importorskip("psycopg", reason=postgres.PSYCOPG_HINT)
    try:
        postgres.server_binaries()
    except PostgresUnavailableError as exc:
        pytest.skip(str(exc))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_server_left_by_a_killed_run_is_stopped_and_removed(binaries: None) -> None:
    stale = PostgresServer().start()
    (stale.directory / "owner.pid").write_text(str(_dead_pid()))
    postmaster = int((stale.data / "postmaster.pid").read_text().split()[0])
    assert postgres._pid_alive(postmaster)
    fresh = PostgresServer()
    try:
        assert not stale.directory.exists()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", stale.port), timeout=1).close()
    finally:
        fresh.stop()
        stale.stop()


def test_a_taken_port_is_given_up_for_another(
    binaries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        ports = iter([taken])
        free = postgres._free_port
        monkeypatch.setattr(postgres, "_free_port", lambda: next(ports, None) or free())
        with PostgresServer() as server:
            assert server.port != taken
            url = server.create_database()
            import psycopg

            with psycopg.connect(url) as connection:
                assert connection.execute("SELECT 1").fetchone() == (1,)


def test_missing_binaries_say_how_to_install_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(postgres.glob, "glob", lambda pattern: [])
    with pytest.raises(PostgresUnavailableError) as raised:
        postgres.server_binaries()
    assert str(raised.value) == INSTALL_HINT
    assert "apt-get install postgresql" in INSTALL_HINT


def test_binaries_are_found_in_debians_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]
) -> None:
    from pathlib import Path

    for version in ("9", "15", "16"):
        directory = Path(tmp_path) / version / "bin"
        directory.mkdir(parents=True)
        for program in ("initdb", "pg_ctl"):
            (directory / program).touch()
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(
        postgres.glob,
        "glob",
        lambda pattern: [str(Path(tmp_path) / v / "bin") for v in ("16", "9", "15")],
    )
    assert postgres.server_binaries() == Path(tmp_path) / "16" / "bin"
