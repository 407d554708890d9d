"""Opening a store kept in a PostgreSQL database (psycopg 3, the ``postgres`` extra).

The store is the same :class:`~adstxt.store.Store` as on SQLite, over an autocommit
connection: :meth:`Store.transaction` opens a transaction block there, or a savepoint
inside one, so that the work queue can record a batch's results in the transaction that
completes it.
"""

from __future__ import annotations

import re
from typing import Any

from adstxt.store._dialect import POSTGRESQL
from adstxt.store._postgres import PostgresUnavailableError, connect
from adstxt.store._schema import SchemaError, migrate, refuse_newer, stored_version
from adstxt.store._store import Store

__all__ = ["database_errors", "describe", "open_postgres_store", "redact"]

#: Key of the advisory lock that orders processes migrating one database: the first
#: creates the schema, the others wait for it and find it done.
_MIGRATION_LOCK = 0x61647374787401


def redact(url: str) -> str:
    """``url`` without its password, for messages."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@]*):[^@/]*@", r"\1:***@", url)


def database_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a PostgreSQL store raises (none when psycopg is not installed)."""
    try:
        import psycopg
    except ImportError:
        return ()
    return (psycopg.Error,)


def describe(error: BaseException) -> str:
    """A psycopg error as one line: the server's first line, without libpq's prefix."""
    text = str(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    line = line.removeprefix("connection failed: ")
    return re.sub(r"^connection to server at [^,]+, port \d+ failed: ", "", line)


def open_postgres_store(url: str, *, create: bool = True) -> Store:
    """Open the store in the database at ``url``, creating its tables when ``create`` and
    bringing its schema up to date.

    Raises :class:`PostgresUnavailableError` without psycopg, ``psycopg.Error`` when the
    server cannot be reached or refuses, and :class:`SchemaError` for a newer store.
    """
    connection = connect(url, application_name="adstxt store")
    try:
        connection.autocommit = False
        if not create and stored_version(connection, POSTGRESQL) == 0:
            raise SchemaError("there is no store in this database yet (a crawl makes one)")
        refuse_newer(connection, POSTGRESQL)  # before anything is written to it
        cursor: Any = connection.cursor()
        # Held until migrate commits: workers starting together create the schema once.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        migrate(connection, POSTGRESQL)
        connection.autocommit = True
    except BaseException:
        connection.close()
        raise
    return Store(connection, POSTGRESQL, redact(url))


__all__ += ["PostgresUnavailableError"]
