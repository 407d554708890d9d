"""Opening a store kept in a SQLite file (the standard library's ``sqlite3``)."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

__all__ = [
    "BUSY_TIMEOUT",
    "connect",
    "connect_read_only",
    "explain",
    "is_store_file",
    "use_wal",
]

#: How long a writer waits for another to finish (seconds): the workers of one crawl and a
#: reader take turns at the write lock, each holding it for one batch.
BUSY_TIMEOUT = 60.0

#: The page cache of a connection that writes, in KiB.
CACHE_KIB = 16384


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """A connection in WAL mode: readers never wait for the writer, nor it for them.

    ``synchronous=NORMAL`` in WAL mode loses no committed transaction when the process is
    killed (only at a power cut can the last ones be lost), and commits without waiting for
    the disk each time.
    """
    if not create and not path.exists():
        raise FileNotFoundError(errno.ENOENT, "there is no such store", str(path))
    uri = f"{path.resolve().as_uri()}{'' if create else '?mode=rw'}"
    connection = sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT,
        isolation_level=None,  # transactions are begun explicitly (Dialect.begin)
        check_same_thread=False,
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        require_json(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def require_json(connection: sqlite3.Connection) -> None:
    """Refuse a SQLite library without JSON functions: the store keeps what a body holds
    as JSON, and its views read it with them (built in from SQLite 3.38; most builds of
    older ones have them too)."""
    try:
        connection.execute("SELECT json_valid('[]')").fetchone()
    except sqlite3.Error as exc:
        raise sqlite3.NotSupportedError(
            f"this SQLite library ({sqlite3.sqlite_version}) has no JSON functions, which "
            "the store needs (SQLite 3.38 and later have them built in)"
        ) from exc


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that only reads: it never takes the write lock, never creates the file
    and never changes it, so it answers while a crawl writes and reads a store on read-only
    media or in a file it may not write.

    When even the shared-memory index beside a WAL store cannot be made (a read-only
    directory), the file is read as immutable: nothing can be writing it there.
    """
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "there is no such store", str(path))
    uri = path.resolve().as_uri()
    try:
        return _probe(f"{uri}?mode=ro")
    except sqlite3.OperationalError as exc:
        lowered = str(exc).lower()
        if os.access(path, os.W_OK) or not ("unable to open" in lowered or "readonly" in lowered):
            raise
    return _probe(f"{uri}?mode=ro&immutable=1")


def _probe(uri: str) -> sqlite3.Connection:
    """A connection to ``uri`` that has read the schema (opening alone reads nothing)."""
    connection = sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        require_json(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def is_store_file(path: str | os.PathLike[str], store: str | os.PathLike[str]) -> bool:
    """Whether writing ``path`` would overwrite the SQLite store ``store`` or the journal
    files beside it (``-wal``, ``-shm``, ``-journal``): by name, through links, or as the
    same file under another name."""
    try:
        target = Path(path).resolve()
        base = Path(store).resolve()
    except (OSError, RuntimeError):
        return False
    names = [base, *(base.with_name(base.name + end) for end in ("-wal", "-shm", "-journal"))]
    if target in names:
        return True
    for name in names:
        try:
            if os.path.samefile(target, name):
                return True
        except OSError:  # either is missing: not the same file
            continue
    return False


def use_wal(connection: sqlite3.Connection, path: Path) -> None:
    """Switch to WAL mode (once the store is known to be ours: it rewrites the header)."""
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal" and os.access(path, os.W_OK):
        raise sqlite3.OperationalError(f"cannot switch to WAL mode (it is in {mode} mode)")
    connection.execute("PRAGMA synchronous = NORMAL")
    # A page cache of 16 MiB rather than SQLite's 2 MiB: a crawl adds a body's records and
    # a change event per record, and the change events' indexes take their rows in no
    # particular order, so with the small cache many inserts read an index page back from
    # the file (measured on a crawl of 2,000 sites serving 85-record files: a quarter to a
    # third less system time).
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def explain(error: BaseException) -> str:
    """A SQLite or file-system error in words, for a one-line message."""
    if isinstance(error, OSError):
        why = error.strerror or str(error)
        return f"{why[:1].lower()}{why[1:]}"
    text = str(error)
    lowered = text.lower()
    if "disk is full" in lowered or "disk i/o error" in lowered:
        return f"{text} (no room left to write it?)"
    if "unable to open" in lowered:
        return "cannot open or create the file (check the directory and its permissions)"
    if "readonly" in lowered or "read-only" in lowered:
        return "it is read-only here (check the file's and its directory's permissions)"
    if "not a database" in lowered:
        return "it is not a SQLite database"
    return text
