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
    """Open the store at ``location`` (a SQLite file), creating it when ``create`` and
    bringing its schema up to date. Raises :class:`StoreError` with a one-line reason."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            f"cannot open {text}: this version of adstxt keeps stores in SQLite files only"
        )
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
