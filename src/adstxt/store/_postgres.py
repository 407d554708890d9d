"""PostgreSQL through psycopg 3, an optional extra imported only when a store URL asks for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

INSTALL_HINT = "PostgreSQL stores need the 'postgres' extra: pip install 'adstxt[postgres]'"


class PostgresUnavailableError(ImportError):
    """psycopg is not installed; the message says which extra brings it."""


def require_psycopg() -> None:
    """Fail with the install hint when psycopg cannot be imported."""
    try:
        import psycopg  # noqa: F401  (only checking that it is there)
    except ImportError as exc:
        raise PostgresUnavailableError(INSTALL_HINT) from exc


def is_postgres_url(location: str) -> bool:
    """True when ``--store`` names a PostgreSQL server rather than a file."""
    return location.startswith(("postgresql://", "postgres://"))


def connect(
    url: str, *, application_name: str = "adstxt"
) -> psycopg.Connection[tuple[object, ...]]:
    """A connection to ``url`` in autocommit mode: every queue operation opens its own transaction.

    Raises :class:`PostgresUnavailableError` without psycopg and ``psycopg.OperationalError``
    (whose message names the server and the reason) when the server cannot be reached.
    """
    require_psycopg()
    import psycopg

    return psycopg.connect(
        url, autocommit=True, application_name=application_name, connect_timeout=10
    )
