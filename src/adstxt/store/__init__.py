"""The crawl store: every fetch, each distinct body once, the versions of each file, and
the change events between them, in a SQLite file (PostgreSQL next, through the same code).

>>> import tempfile, pathlib
>>> with open_store(pathlib.Path(tempfile.mkdtemp()) / "adstxt.sqlite") as store:
...     store.crawls()
[]

``docs/store.md`` describes the schema and the rules for stale copies.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from adstxt.store._dialect import POSTGRESQL, SQLITE, Dialect
from adstxt.store._postgres import PostgresUnavailableError, is_postgres_url
from adstxt.store._record import FetchRecord, records_of
from adstxt.store._schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    SchemaError,
    migrate,
    refuse_newer,
    stored_version,
)
from adstxt.store._sqlite import connect, connect_read_only, explain, use_wal
from adstxt.store._store import CrawlInfo, FileRow, Store, StoreError, VersionRow

__all__ = [
    "DEFAULT_STORE",
    "MIGRATIONS",
    "POSTGRESQL",
    "SCHEMA_VERSION",
    "SQLITE",
    "CrawlInfo",
    "Dialect",
    "FetchRecord",
    "FileRow",
    "SchemaError",
    "Store",
    "StoreError",
    "VersionRow",
    "open_store",
    "records_of",
    "without_password",
]

#: The store ``adstxt crawl`` writes when no ``--store`` is given, in the working directory.
DEFAULT_STORE = "adstxt.sqlite"


def open_store(location: str | Path, *, create: bool = True, read_only: bool = False) -> Store:
    """Open the store at ``location`` (a SQLite file), creating it when ``create`` and
    bringing its schema up to date. Raises :class:`StoreError` with a one-line reason.

    ``read_only`` opens it for queries only: nothing is created, migrated or locked, and a
    store whose schema is older than this adstxt's is refused with what to run.
    """
    text = str(location)
    if is_postgres_url(text):
        return _open_postgres(text, create=create, read_only=read_only)
    path = Path(location)
    if read_only:
        return _open_sqlite_read_only(path)
    try:
        connection = connect(path, create=create)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the store {path}: {explain(exc)}") from exc
    try:
        refuse_newer(connection, SQLITE)  # before anything is written to it
        use_wal(connection, path)
        migrate(connection, SQLITE)
    except SchemaError as exc:
        connection.close()
        raise StoreError(f"cannot use the store {path}: {exc}") from exc
    except sqlite3.Error as exc:
        connection.close()
        raise StoreError(f"cannot use the store {path}: {explain(exc)}") from exc
    return Store(connection, SQLITE, str(path))


def _open_sqlite_read_only(path: Path) -> Store:
    if path.is_file() and path.stat().st_size == 0:
        # Read as an empty database, it would pass for a store with nothing in it.
        raise StoreError(f"cannot use the store {path}: it is not a crawl store (it is empty)")
    try:
        connection = connect_read_only(path)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the store {path}: {explain(exc)}") from exc
    try:
        check_readable(connection, SQLITE)
    except SchemaError as exc:
        connection.close()
        raise StoreError(f"cannot use the store {path}: {exc}") from exc
    except sqlite3.Error as exc:
        connection.close()
        raise StoreError(f"cannot use the store {path}: {explain(exc)}") from exc
    return Store(connection, SQLITE, str(path))


def check_readable(connection: object, dialect: Dialect) -> None:
    """Raise :class:`SchemaError` unless the store's schema is the one this adstxt reads,
    changing nothing: a reader neither creates nor migrates a store."""
    version = stored_version(connection, dialect)
    if version == 0:
        raise SchemaError("it is not a crawl store (it holds no adstxt schema)")
    refuse_newer(connection, dialect)
    if version < SCHEMA_VERSION:
        raise SchemaError(
            f"its schema is version {version}, older than version {SCHEMA_VERSION}; a "
            "command that writes the store migrates it (run 'adstxt crawl' with this --store)"
        )


#: The advisory lock that lets one process at a time create or upgrade a PostgreSQL store:
#: the workers of a shared crawl may all start at once on a new database.
_SCHEMA_LOCK = 0x616473747874


def _open_postgres(url: str, *, create: bool = True, read_only: bool = False) -> Store:
    """A store in the PostgreSQL database at ``url``: the same schema and code as a file.
    Without ``create``, a database that holds no store yet is refused; ``read_only`` only
    checks that the schema is the one this adstxt reads."""
    from adstxt.store._postgres import connect

    where = without_password(url)
    try:
        connection = connect(url)
    except PostgresUnavailableError as exc:
        raise StoreError(str(exc)) from exc
    except Exception as exc:  # psycopg.Error, whose message names the server and why
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot open the store {where}: {reason}") from exc
    try:
        if read_only:
            check_readable(connection, POSTGRESQL)
            return Store(connection, POSTGRESQL, where)
        if not create and stored_version(connection, POSTGRESQL) == 0:
            raise SchemaError("the database holds no store yet (a crawl into it makes one)")
        connection.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            refuse_newer(connection, POSTGRESQL)
            migrate(connection, POSTGRESQL)
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))
    except SchemaError as exc:
        connection.close()
        raise StoreError(f"cannot use the store {where}: {exc}") from exc
    except Exception as exc:
        connection.close()
        raise StoreError(f"cannot use the store {where}: {exc}") from exc
    return Store(connection, POSTGRESQL, where)


def without_password(url: str) -> str:
    """``url`` fit for messages: a password in it is replaced by ``***``."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return url
