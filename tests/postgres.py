"""A throwaway PostgreSQL server for tests and benchmarks: ``initdb`` + ``pg_ctl`` in a temp dir.

The server listens on a free loopback port and on a Unix socket in its own directory, trusts
local connections, and is stopped and deleted afterwards. Run as root, it runs as ``nobody``
(PostgreSQL refuses to run as root). A server left behind by a killed run is found by its
directory name and stopped before a new one starts.

Without the server binaries, :func:`server_binaries` says how to install them.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: Temporary directories of these servers start with this, so stale ones can be found.
PREFIX = "adstxt-pg-"
INSTALL_HINT = (
    "the PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
    "apt-get install postgresql (Debian/Ubuntu), or put their directory on PATH"
)
PSYCOPG_HINT = "psycopg is not installed: pip install 'adstxt[postgres]'"
_UNPRIVILEGED = "nobody"
_database_numbers = itertools.count(1)


class PostgresUnavailableError(RuntimeError):
    """The server cannot be started here; the message says why and what to install."""


def server_binaries() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``: from PATH, else Debian's layout."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(Path(path).parent.name) if Path(path).parent.name.isdigit() else 0,
    )
    for directory in reversed(candidates):
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    raise PostgresUnavailableError(INSTALL_HINT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PostgresServer:
    """One running server; :meth:`create_database` gives each test its own database."""

    def __init__(self, *, start_timeout: float = 60.0, durable: bool = False) -> None:
        self.binaries = server_binaries()
        self.start_timeout = start_timeout
        # Tests need no crash safety from the server; a benchmark does, to count commits fairly.
        self.durable = durable
        _stop_stale_servers()
        self.directory = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.directory / "owner.pid").write_text(str(os.getpid()))
        self.data = self.directory / "data"
        self.sockets = self.directory / "sockets"
        self.port = 0
        self._run_as = _UNPRIVILEGED if os.geteuid() == 0 else None

    # Starting and stopping.

    def start(self) -> PostgresServer:
        """initdb, then start on a free port (another one if that port is taken meanwhile)."""
        self.sockets.mkdir()
        if self._run_as is not None:
            user = pwd.getpwnam(self._run_as)
            for path in (self.directory, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
            self.directory.chmod(0o755)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        last_error = ""
        for _ in range(5):
            self.port = _free_port()
            try:
                self._pg_ctl_start()
                self._wait_until_ready()
                return self
            except PostgresUnavailableError as exc:
                last_error = str(exc)
                self._pg_ctl("stop", "-m", "immediate", check=False)
        raise PostgresUnavailableError(f"the test server did not start: {last_error}")

    def _pg_ctl_start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.sockets} -c max_connections=100"
        )
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        log = self.directory / "server.log"
        result = self._pg_ctl(
            "start", "-w", "-t", str(int(self.start_timeout)), "-o", options, "-l", str(log),
            check=False,
        )  # fmt: skip
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else result.stderr
            raise PostgresUnavailableError(tail.strip() or "pg_ctl start failed")

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            ready = subprocess.run(
                [str(self.binaries / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
                check=False,
            )
            if ready.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise PostgresUnavailableError(f"not accepting connections on port {self.port}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server (fast shutdown, immediate if that hangs) and delete its files."""
        if self.data.exists():
            stopped = self._pg_ctl("stop", "-m", "fast", "-t", "30", check=False)
            if stopped.returncode != 0:
                self._pg_ctl("stop", "-m", "immediate", check=False)
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Databases.

    def url(self, database: str = "postgres") -> str:
        """A connection URL for ``database`` over loopback TCP."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"test_{os.getpid()}_{next(_database_numbers)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`create_database`, disconnecting whoever is left."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # Running the binaries.

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.binaries / program), *args]
        if self._run_as is None:
            return command
        return ["runuser", "-u", self._run_as, "--", *command]

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            self._command(program, *args), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise PostgresUnavailableError(f"{program} failed: {result.stderr.strip()}")

    def _pg_ctl(self, *args: str, check: bool) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            self._command("pg_ctl", "-D", str(self.data), *args),
            capture_output=True,
            text=True,
            check=False,
            timeout=self.start_timeout + 30,
        )
        if check and result.returncode != 0:
            raise PostgresUnavailableError(f"pg_ctl {args[0]} failed: {result.stderr.strip()}")
        return result


def _stop_stale_servers() -> None:
    """Stop and delete servers whose owning process is gone (a killed test run)."""
    root = Path(tempfile.gettempdir())
    for directory in root.glob(f"{PREFIX}*"):
        owner = directory / "owner.pid"
        with contextlib.suppress(OSError, ValueError):
            if not owner.exists() or _pid_alive(int(owner.read_text())):
                continue
            data = directory / "data"
            if (data / "postmaster.pid").exists():
                stale = PostgresServer.__new__(PostgresServer)
                stale.binaries = server_binaries()
                stale.data = data
                stale.start_timeout = 10.0
                stale._run_as = _UNPRIVILEGED if os.geteuid() == 0 else None
                stale._pg_ctl("stop", "-m", "immediate", check=False)
            shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A started server, stopped and deleted on exit."""
    with PostgresServer() as server:
        yield server
