"""The tables of the shared work queue, as statements a versioned schema can run as one step.

The queue lives beside the store's own tables, so its names carry a ``queue_`` prefix. Every
statement is idempotent (``IF NOT EXISTS``), so running the step twice, or on a database that
already has it, changes nothing.
"""

from __future__ import annotations

#: The states a domain of a crawl passes through. ``claimed`` rows carry a lease.
DOMAIN_STATES = ("waiting", "claimed", "done", "failed")

_STATEMENTS: tuple[str, ...] = (
    # A named crawl: the unit that workers join.
    """
    CREATE TABLE IF NOT EXISTS queue_crawls (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        -- The store's crawl (crawls.id) its results are recorded under, when it has one.
        store_crawl_id BIGINT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
    )
    """,
    # One row per domain of a crawl. ``attempts`` counts claims and doubles as the fencing
    # token: a completion names the attempt it was given, so a worker whose lease expired and
    # was claimed again cannot overwrite the newer claim's result.
    """
    CREATE TABLE IF NOT EXISTS queue_domains (
        crawl_id BIGINT NOT NULL REFERENCES queue_crawls (id) ON DELETE CASCADE,
        domain TEXT NOT NULL,
        position BIGINT NOT NULL,
        state TEXT NOT NULL DEFAULT 'waiting'
            CHECK (state IN ('waiting', 'claimed', 'done', 'failed')),
        lease_owner BIGINT,
        lease_expires TIMESTAMPTZ,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        finished_at TIMESTAMPTZ,
        PRIMARY KEY (crawl_id, domain)
    )
    """,
    # Claims scan only the unfinished rows, in the order they were enqueued.
    """
    CREATE INDEX IF NOT EXISTS queue_domains_open
        ON queue_domains (crawl_id, position) WHERE state IN ('waiting', 'claimed')
    """,
    # Expired leases are found without scanning the waiting rows.
    """
    CREATE INDEX IF NOT EXISTS queue_domains_leases
        ON queue_domains (crawl_id, lease_expires) WHERE state = 'claimed'
    """,
    # A worker process that joined a crawl; its counters give the per-worker rate.
    """
    CREATE TABLE IF NOT EXISTS queue_workers (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        crawl_id BIGINT NOT NULL REFERENCES queue_crawls (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
        heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
        stopped_at TIMESTAMPTZ,
        domains_done BIGINT NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE INDEX IF NOT EXISTS queue_workers_crawl ON queue_workers (crawl_id)
    """,
    # Politeness is owed to the host, whichever crawl or worker asks, so this table is shared
    # by all of them. ``grant_id`` tells the asker whether the last grant was its own.
    """
    CREATE TABLE IF NOT EXISTS queue_hosts (
        host TEXT PRIMARY KEY,
        next_allowed TIMESTAMPTZ NOT NULL,
        last_grant TIMESTAMPTZ NOT NULL,
        grant_id BIGINT NOT NULL
    )
    """,
)


def queue_schema_statements() -> tuple[str, ...]:
    """The DDL of the work queue, in order; run them in one transaction."""
    return _STATEMENTS
