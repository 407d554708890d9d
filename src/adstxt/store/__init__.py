"""The crawl store: every fetch, each distinct body once, the versions of each file, and
the change events between them, in a SQLite file or a PostgreSQL database, through the same code.

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
from adstxt.store._schema import MIGRATIONS, SCHEMA_VERSION, SchemaError, migrate, refuse_newer
from adstxt.store._sqlite import connect, explain, use_wal
from adstxt.store._store import CrawlInfo, FileRow, Store, VersionRow

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
]

#: The store ``adstxt crawl`` writes when no ``--store`` is given, in the working directory.
DEFAULT_STORE = "adstxt.sqlite"


class StoreError(Exception):
    """A store cannot be opened, read or written; the message says which and why."""


def open_store(location: str | Path, *, create: bool = True) -> Store:
    """Open the store at ``location`` (a SQLite file or a ``postgresql://`` URL), creating
    it when ``create`` and bringing its schema up to date. Raises :class:`StoreError` with
    a one-line reason."""
    text = str(location)
    if is_postgres_url(text):
        return _open_postgres(text, create=create)
    path = Path(location)
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


def _open_postgres(url: str, *, create: bool) -> Store:
    from adstxt.store._pgstore import database_errors, describe, open_postgres_store, redact

    try:
        return open_postgres_store(url, create=create)
    except PostgresUnavailableError as exc:
        raise StoreError(f"cannot open the store {redact(url)}: {exc}") from exc
    except SchemaError as exc:
        raise StoreError(f"cannot use the store {redact(url)}: {exc}") from exc
    except database_errors() as exc:
        raise StoreError(f"cannot open the store {redact(url)}: {describe(exc)}") from exc
