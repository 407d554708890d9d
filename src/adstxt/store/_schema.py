"""The store's schema, as an ordered list of migration steps, and the code that applies them.

Step N takes a store from version N - 1 to version N (version 0 is an empty database).
Opening a store applies the missing steps in one transaction: a store is at one version or
the next, never between. A store written by a newer adstxt (a version above
:data:`SCHEMA_VERSION`) is refused rather than misread. Adding a version is adding one
:class:`Step` at the end of :data:`MIGRATIONS`; ``docs/store.md`` describes every table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from adstxt.store._dialect import Dialect
from adstxt.store._queue_schema import queue_schema_statements

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SchemaError",
    "Step",
    "migrate",
    "refuse_newer",
    "stored_version",
]

#: A DB-API connection (sqlite3 or psycopg); typed loosely, as the two share no base class.
Connection = Any


class SchemaError(Exception):
    """The store's schema cannot be used by this version of adstxt."""


@attrs.frozen
class Step:
    """One migration: the statements that take the schema to ``version``, then an optional
    function that moves existing rows into the new shape."""

    version: int
    summary: str
    statements: tuple[str, ...]
    backfill: Callable[[Connection, Dialect], None] | None = None
    #: The databases the statements are for (``None``: all); elsewhere only the version
    #: number advances, so that both kinds of store count versions alike.
    dialects: tuple[str, ...] | None = None

    def applies_to(self, dialect: Dialect) -> bool:
        return self.dialects is None or dialect.name in self.dialects


_VERSION_1 = (
    # What the store is: its schema version, and when it was made.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # One row per run of the crawler.
    """CREATE TABLE crawls (
        id {id},
        started_at TEXT NOT NULL,
        finished_at TEXT,
        state TEXT NOT NULL,
        kind TEXT NOT NULL,
        options TEXT NOT NULL,
        domains {bigint} NOT NULL,
        counts TEXT
    )""",
    # Every distinct body once, compressed; what the checker found in it beside it.
    """CREATE TABLE bodies (
        id {id},
        sha256 TEXT NOT NULL UNIQUE,
        size {bigint} NOT NULL,
        compression TEXT NOT NULL,
        data {blob} NOT NULL,
        verdict TEXT NOT NULL,
        records {bigint} NOT NULL,
        variables {bigint} NOT NULL,
        errors {bigint} NOT NULL
    )""",
    # Keyed by the body's number, not its 64-character hash: these tables hold most rows.
    """CREATE TABLE body_records (
        body_id {bigint} NOT NULL,
        line {bigint} NOT NULL,
        ad_system TEXT NOT NULL,
        seller_id TEXT NOT NULL,
        relationship TEXT NOT NULL,
        certification_id TEXT,
        extension TEXT,
        PRIMARY KEY (body_id, line)
    ){clustered}""",
    """CREATE TABLE body_variables (
        body_id {bigint} NOT NULL,
        line {bigint} NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (body_id, line)
    ){clustered}""",
    """CREATE TABLE body_diagnostics (
        body_id {bigint} NOT NULL,
        seq {bigint} NOT NULL,
        line {bigint},
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (body_id, seq)
    ){clustered}""",
    # One row per file fetched (a site's file, and each file its SUBDOMAIN= lines led to).
    """CREATE TABLE fetches (
        id {id},
        crawl_id {bigint},
        domain TEXT NOT NULL,
        kind TEXT NOT NULL,
        requested_url TEXT NOT NULL,
        chain TEXT NOT NULL,
        final_url TEXT,
        status {bigint},
        etag TEXT,
        last_modified TEXT,
        cache_control TEXT,
        expires TEXT,
        content_type TEXT,
        started_at TEXT NOT NULL,
        duration_ms {bigint} NOT NULL,
        outcome TEXT NOT NULL,
        error TEXT,
        sha256 TEXT,
        unchanged {bigint} NOT NULL,
        fresh_until TEXT
    )""",
    "CREATE INDEX fetches_by_file ON fetches (domain, kind, started_at)",
    "CREATE INDEX fetches_by_crawl ON fetches (crawl_id)",
    "CREATE INDEX fetches_by_time ON fetches (started_at)",
    # The copies of each file over time: version n is the n-th time its current copy
    # changed; a version without a body is a file that ended (a hard 404, an expired
    # stale copy).
    """CREATE TABLE versions (
        domain TEXT NOT NULL,
        kind TEXT NOT NULL,
        version {bigint} NOT NULL,
        sha256 TEXT,
        fetch_id {bigint} NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (domain, kind, version)
    )""",
    # Where each file stands now: the current good copy and what the next crawl needs.
    """CREATE TABLE files (
        domain TEXT NOT NULL,
        kind TEXT NOT NULL,
        version {bigint} NOT NULL,
        sha256 TEXT,
        good_fetch_id {bigint},
        last_fetch_id {bigint} NOT NULL,
        last_outcome TEXT NOT NULL,
        stale_since TEXT,
        fresh_until TEXT,
        etag TEXT,
        last_modified TEXT,
        PRIMARY KEY (domain, kind)
    )""",
    # The typed differences between consecutive versions of a file.
    """CREATE TABLE changes (
        id {id},
        domain TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        fetch_id {bigint} NOT NULL,
        from_version {bigint},
        to_version {bigint} NOT NULL,
        type TEXT NOT NULL,
        ad_system TEXT,
        seller_id TEXT,
        variable TEXT,
        old TEXT,
        new TEXT,
        old_line {bigint},
        new_line {bigint}
    )""",
    "CREATE INDEX changes_by_file ON changes (domain, kind, at)",
    "CREATE INDEX changes_by_time ON changes (at)",
    "CREATE INDEX changes_by_seller ON changes (seller_id, at)",
)

_VERSION_2 = (
    # The domains each crawl was given, and which are done: what a resumed crawl skips.
    """CREATE TABLE crawl_domains (
        crawl_id {bigint} NOT NULL,
        position {bigint} NOT NULL,
        domain TEXT NOT NULL,
        done_fetch_id {bigint},
        PRIMARY KEY (crawl_id, position)
    )""",
    "CREATE INDEX crawl_domains_open ON crawl_domains (crawl_id, done_fetch_id)",
    # How a finished domain is marked done, one at a time among a crawl's thousands.
    "CREATE INDEX crawl_domains_by_domain ON crawl_domains (crawl_id, domain)",
)


def _backfill_crawl_domains(connection: Connection, dialect: Dialect) -> None:
    """Version 1 knew a crawl's domains only from its fetches: list those as done, in the
    order they were fetched, so that a crawl started before the upgrade resumes correctly."""
    cursor = connection.cursor()
    cursor.execute(
        dialect.sql(
            "SELECT crawl_id, domain, MIN(id) FROM fetches WHERE crawl_id IS NOT NULL "
            "AND domain = LOWER(domain) GROUP BY crawl_id, domain ORDER BY crawl_id, MIN(id)"
        )
    )
    rows = cursor.fetchall()
    positions: dict[int, int] = {}
    insert = dialect.sql(
        "INSERT INTO crawl_domains (crawl_id, position, domain, done_fetch_id) VALUES (?, ?, ?, ?)"
    )
    for crawl_id, domain, fetch_id in rows:
        position = positions.get(crawl_id, 0)
        positions[crawl_id] = position + 1
        cursor.execute(insert, (crawl_id, position, domain, fetch_id))


_VERSION_4 = (
    # What the check of each file's current copy found for its own site (JSON), so that a
    # 304 reports the copy without parsing it again: a body's findings depend on the site.
    "ALTER TABLE files ADD COLUMN findings TEXT",
    # The sellers.json cross-check of a crawl, one row per sellers.json (ad system).
    """CREATE TABLE sellers_checks (
        crawl_id {bigint} NOT NULL,
        sellers_domain TEXT NOT NULL,
        ad_systems TEXT NOT NULL,
        fetch_id {bigint},
        outcome TEXT NOT NULL,
        sellers {bigint},
        records {bigint} NOT NULL,
        sites {bigint} NOT NULL,
        not_listed {bigint} NOT NULL,
        wrong_case {bigint} NOT NULL,
        wrong_type {bigint} NOT NULL,
        confidential {bigint} NOT NULL,
        details TEXT NOT NULL,
        PRIMARY KEY (crawl_id, sellers_domain)
    )""",
)

_VERSION_5 = (
    # Every resolution of an app to its developer's domain, oldest first: the history of
    # the mapping that 'adstxt crawl --apps' follows (app is the store:app_id key).
    """CREATE TABLE app_resolutions (
        id {id},
        app TEXT NOT NULL,
        store TEXT,
        app_id TEXT,
        query TEXT NOT NULL,
        outcome TEXT NOT NULL,
        listing_url TEXT,
        developer_url TEXT,
        source TEXT,
        domain TEXT,
        app_ads_hosts TEXT NOT NULL,
        detail TEXT NOT NULL,
        resolved_at TEXT NOT NULL
    )""",
    "CREATE INDEX app_resolutions_by_app ON app_resolutions (app, id)",
    "CREATE INDEX app_resolutions_by_domain ON app_resolutions (domain)",
)

#: Version 6, by database: what the checker read in each body, one row per body, its
#: records and its diagnostics as JSON arrays (see docs/store.md): a row per record cost a
#: crawl more than a tenth of its time. The columns only take valid JSON (SQLite checks
#: it, PostgreSQL's ``json`` type refuses anything else), so that no row can break the
#: views that give the old tables' rows back, with their columns.
_BODY_PARSED = {
    "sqlite": (
        """CREATE TABLE body_parsed (
            body_id INTEGER PRIMARY KEY,
            records TEXT NOT NULL CHECK (json_valid(records)),
            diagnostics TEXT NOT NULL CHECK (json_valid(diagnostics))
        )""",
        """CREATE VIEW body_records AS
        SELECT p.body_id AS body_id, json_extract(r.value, '$[0]') AS line,
               json_extract(r.value, '$[1]') AS ad_system,
               json_extract(r.value, '$[2]') AS seller_id,
               json_extract(r.value, '$[3]') AS relationship,
               json_extract(r.value, '$[4]') AS certification_id,
               json_extract(r.value, '$[5]') AS extension
        FROM body_parsed AS p, json_each(p.records) AS r""",
        """CREATE VIEW body_diagnostics AS
        SELECT p.body_id AS body_id, d.key AS seq,
               NULLIF(json_extract(d.value, '$[0]'), 0) AS line,
               json_extract(d.value, '$[3]') AS code,
               json_extract(d.value, '$[4]') AS severity,
               json_extract(d.value, '$[5]') AS message
        FROM body_parsed AS p, json_each(p.diagnostics) AS d""",
    ),
    "postgresql": (
        """CREATE TABLE body_parsed (
            body_id bigint PRIMARY KEY,
            records json NOT NULL,
            diagnostics json NOT NULL
        )""",
        """CREATE VIEW body_records AS
        SELECT p.body_id AS body_id, (r.value ->> 0)::bigint AS line,
               r.value ->> 1 AS ad_system, r.value ->> 2 AS seller_id,
               r.value ->> 3 AS relationship, r.value ->> 4 AS certification_id,
               r.value ->> 5 AS extension
        FROM body_parsed AS p CROSS JOIN LATERAL json_array_elements(p.records) AS r(value)""",
        """CREATE VIEW body_diagnostics AS
        SELECT p.body_id AS body_id, d.n - 1 AS seq,
               NULLIF((d.value ->> 0)::bigint, 0) AS line, d.value ->> 3 AS code,
               d.value ->> 4 AS severity, d.value ->> 5 AS message
        FROM body_parsed AS p
        CROSS JOIN LATERAL json_array_elements(p.diagnostics) WITH ORDINALITY AS d(value, n)""",
    ),
}

#: The bodies of ads.txt and app-ads.txt files: those with a row in one of the tables
#: (a sellers.json body has none; an ads.txt body has a record, a variable or a finding).
_PARSED_BODIES = (
    "SELECT id FROM bodies WHERE id IN (SELECT body_id FROM body_records UNION "
    "SELECT body_id FROM body_diagnostics UNION SELECT body_id FROM body_variables)"
)

#: Filling ``body_parsed`` from the tables of versions 1 to 5 on PostgreSQL, in line and
#: report order (a diagnostic's column and hint were not kept then: they stay empty).
_PACK_POSTGRESQL = f"""INSERT INTO body_parsed (body_id, records, diagnostics)
SELECT b.id,
       COALESCE((SELECT json_agg(json_build_array(r.line, r.ad_system, r.seller_id,
               r.relationship, r.certification_id, r.extension) ORDER BY r.line)
        FROM body_records AS r WHERE r.body_id = b.id), '[]'),
       COALESCE((SELECT json_agg(json_build_array(COALESCE(d.line, 0), NULL, NULL,
               d.code, d.severity, d.message, NULL) ORDER BY d.seq)
        FROM body_diagnostics AS d WHERE d.body_id = b.id), '[]')
FROM bodies AS b WHERE b.id IN ({_PARSED_BODIES})"""


def _pack_body_rows(connection: Connection, dialect: Dialect) -> None:
    """Make ``body_parsed``, move each body's record and diagnostic rows into its row (in
    line and report order), and put the views in the old tables' place."""
    create_table, *views = _BODY_PARSED[dialect.name]
    cursor = connection.cursor()
    cursor.execute(create_table)
    if dialect.name == "postgresql":
        cursor.execute(_PACK_POSTGRESQL)
    else:
        _pack_sqlite(connection)
    cursor.execute("DROP TABLE body_records")
    cursor.execute("DROP TABLE body_diagnostics")
    for view in views:
        cursor.execute(view)


def _pack_sqlite(connection: Connection) -> None:
    """The SQLite half of :func:`_pack_body_rows`: body by body, each read by its key in
    an explicit order (SQLite before 3.44 cannot order an aggregate's input)."""
    from adstxt.store._findings import compact_json

    bodies = [int(row[0]) for row in connection.execute(_PARSED_BODIES + " ORDER BY id")]
    for body in bodies:
        records = [
            list(row)
            for row in connection.execute(
                "SELECT line, ad_system, seller_id, relationship, certification_id, extension "
                "FROM body_records WHERE body_id = ? ORDER BY line",
                (body,),
            )
        ]
        diagnostics = [
            [line or 0, None, None, code, severity, message, None]
            for line, code, severity, message in connection.execute(
                "SELECT line, code, severity, message FROM body_diagnostics "
                "WHERE body_id = ? ORDER BY seq",
                (body,),
            )
        ]
        connection.execute(
            "INSERT INTO body_parsed (body_id, records, diagnostics) VALUES (?, ?, ?)",
            (body, compact_json(records), compact_json(diagnostics)),
        )


_VERSION_7 = (
    # The findings of each file's current copy for its site, counted: all that the line of
    # a 304 reports of them, read without decoding the findings themselves.
    "ALTER TABLE files ADD COLUMN tally TEXT",
)


MIGRATIONS: Sequence[Step] = (
    Step(1, "crawls, fetches, bodies and what they hold, versions, files, changes", _VERSION_1),
    Step(2, "the domains of each crawl, for resuming", _VERSION_2, _backfill_crawl_domains),
    # Workers on many machines share a crawl through a database server; a SQLite file is
    # one machine's, and its crawls share work between local processes instead.
    Step(
        3,
        "the work queue of crawls shared by many workers (PostgreSQL only)",
        queue_schema_statements(),
        dialects=("postgresql",),
    ),
    Step(4, "the findings of each current copy; the sellers.json checks of crawls", _VERSION_4),
    Step(5, "the resolutions of apps to their developer's domain", _VERSION_5),
    Step(6, "what a body holds in one row per body", (), _pack_body_rows),
    Step(7, "the findings of each current copy counted by code", _VERSION_7),
)

#: The version this adstxt writes and reads.
SCHEMA_VERSION = MIGRATIONS[-1].version


def stored_version(connection: Connection, dialect: Dialect) -> int:
    """The schema version of the store behind ``connection`` (0 when it is empty)."""
    cursor = connection.cursor()
    if dialect.name == "sqlite":
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
    else:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_name = 'meta' AND table_schema = current_schema()"
        )
    if cursor.fetchone() is None:
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master"
            if dialect.name == "sqlite"
            else "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )
        (tables,) = cursor.fetchone()
        if tables:
            raise SchemaError("it is a database, but not an adstxt store (it has no meta table)")
        return 0
    cursor.execute(dialect.sql("SELECT value FROM meta WHERE key = ?"), ("schema_version",))
    row = cursor.fetchone()
    try:
        return int(row[0]) if row is not None else 0
    except ValueError as exc:
        raise SchemaError(f"its schema version {row[0]!r} is not a number") from exc


def _check_not_newer(version: int, target: int) -> None:
    if version > target:
        raise SchemaError(
            f"its schema is version {version}, newer than version {target}, the newest "
            "this adstxt knows; upgrade adstxt (pip install --upgrade adstxt) to use it"
        )


def refuse_newer(connection: Connection, dialect: Dialect, target: int = SCHEMA_VERSION) -> None:
    """Raise :class:`SchemaError` for a store this adstxt cannot read, changing nothing."""
    _check_not_newer(stored_version(connection, dialect), target)


def migrate(
    connection: Connection,
    dialect: Dialect,
    target: int = SCHEMA_VERSION,
    steps: Sequence[Step] = MIGRATIONS,
) -> tuple[int, int]:
    """Bring the schema to ``target`` in one transaction; return (version before, after).

    The connection is in autocommit mode (as :func:`adstxt.store.open_store` opens it):
    the transaction is the statements ``dialect.begin`` and ``COMMIT``. Raises
    :class:`SchemaError` for a store newer than ``target``.
    """
    cursor = connection.cursor()
    if dialect.begin is not None:
        # Taken before reading the version, so that two processes opening one new store
        # do not both create it.
        cursor.execute(dialect.begin)
    try:
        before = stored_version(connection, dialect)
        _check_not_newer(before, target)
        for step in steps:
            if before < step.version <= target and step.applies_to(dialect):
                for statement in step.statements:
                    cursor.execute(dialect.ddl(statement))
                if step.backfill is not None:
                    step.backfill(connection, dialect)
        if before < target:
            if before == 0:
                cursor.execute(
                    dialect.sql("INSERT INTO meta (key, value) VALUES (?, ?)"),
                    ("created_by", "adstxt"),
                )
            cursor.execute(
                dialect.upsert("meta", ("key", "value"), ("key",)),
                ("schema_version", str(target)),
            )
    except BaseException:
        if dialect.begin is None:
            connection.rollback()
        else:
            with contextlib.suppress(Exception):  # the failure may have ended it already
                cursor.execute("ROLLBACK")
        raise
    if dialect.begin is None:
        connection.commit()
    else:
        cursor.execute("COMMIT")
    return before, max(before, target)
