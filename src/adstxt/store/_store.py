"""The crawl store: fetches, bodies, versions, current copies and change events.

:class:`Store` is written against a DB-API connection and a :class:`Dialect`, never a
particular driver, so that the same code keeps a SQLite file and a PostgreSQL database.
Every write goes through :meth:`Store.transaction`: a batch of fetches is stored whole or
not at all.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from adstxt.diagnostics import Severity
from adstxt.model import ParseResult, Variable
from adstxt.store._bodies import COMPRESSION, compress, decompress, sha256
from adstxt.store._changes import ChangeEvent, ChangeType, derive_changes
from adstxt.store._dialect import POSTGRESQL, Dialect, timestamp
from adstxt.store._findings import (
    BODY_FINDINGS,
    encode_findings,
    encode_records,
    encode_tally,
    record_rows,
)
from adstxt.store._policy import Action, decide
from adstxt.store._record import FetchRecord
from adstxt.store._sellers_changes import (
    SellersSnapshot,
    derive_sellers_changes,
    sellers_snapshot,
    sellers_verdict,
)
from adstxt.store._snapshot import (
    FileSnapshot,
    SnapshotRecord,
    SnapshotVariable,
    Verdict,
    verdict_of,
)

__all__ = ["CrawlInfo", "FileRow", "Store", "VersionRow"]

_FETCH_COLUMNS = (
    "crawl_id",
    "domain",
    "kind",
    "requested_url",
    "chain",
    "final_url",
    "status",
    "etag",
    "last_modified",
    "cache_control",
    "expires",
    "content_type",
    "started_at",
    "duration_ms",
    "outcome",
    "error",
    "sha256",
    "unchanged",
    "fresh_until",
)
_FILE_COLUMNS = (
    "domain",
    "kind",
    "version",
    "sha256",
    "good_fetch_id",
    "last_fetch_id",
    "last_outcome",
    "stale_since",
    "fresh_until",
    "etag",
    "last_modified",
)
_CHANGE_COLUMNS = (
    "domain",
    "kind",
    "at",
    "fetch_id",
    "from_version",
    "to_version",
    "type",
    "ad_system",
    "seller_id",
    "variable",
    "old",
    "new",
    "old_line",
    "new_line",
)


@attrs.frozen
class FileRow:
    """Where one file stands: its current version and copy, and what the next fetch needs."""

    domain: str
    kind: str
    version: int
    sha256: str | None
    good_fetch_id: int | None
    last_fetch_id: int
    last_outcome: str
    stale_since: str | None
    fresh_until: str | None
    etag: str | None
    last_modified: str | None


@attrs.frozen
class VersionRow:
    """Version ``version`` of a file: its body (``None``: no file) from ``since`` on."""

    domain: str
    kind: str
    version: int
    sha256: str | None
    fetch_id: int
    since: str


@attrs.frozen
class CrawlInfo:
    id: int
    started_at: str
    finished_at: str | None
    state: str
    kind: str
    domains: int
    done: int


class StoreError(Exception):
    """A store cannot be opened, read or written; the message says which and why."""


class Store:
    """A crawl store on an open DB-API ``connection`` in ``dialect``; ``where`` names it
    in messages. Open one with :func:`adstxt.store.open_store`."""

    def __init__(self, connection: Any, dialect: Dialect, where: str) -> None:
        self.connection = connection
        self.dialect = dialect
        self.where = where
        # Bodies never change, so neither does what they hold: the snapshots of the bodies
        # met last, for the change events of the next versions (the same file served to
        # many sites, or a file compared with its previous version).
        self._snapshots: dict[str, FileSnapshot] = {}
        # The body stored last, as its parse and its verdict: its version's change events are
        # derived right after it is stored, and a file's first copy (its baseline) needs no
        # snapshot at all. Only the last is held: a crawl's parses are freed as soon as
        # they are stored instead of living on for the collector to traverse.
        self._stored: tuple[str, ParseResult, Verdict] | None = None
        # The sellers.json read last, by SHA-256: storing a new one, its change events and
        # the crawl's check against it all read the same file, which may be 100 MB.
        self._sellers_read: tuple[str, Any] | None = None

    # ---- plumbing ----------------------------------------------------------------------

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.connection.cursor()
        cursor.execute(self.dialect.sql(sql), tuple(params))
        return cursor

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._run(sql, params).fetchall()]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is stored together, or nothing of it is."""
        if self.dialect is POSTGRESQL:
            # psycopg: a transaction block, or a savepoint when inside one, so that a batch
            # can be recorded within the transaction that completes its claims in the queue.
            with self.connection.transaction():
                yield
            return
        _begin(self.connection, self.dialect)
        try:
            yield
        except BaseException:
            _end(self.connection, self.dialect, "ROLLBACK")
            raise
        _end(self.connection, self.dialect, "COMMIT")

    def _insert(self, table: str, columns: tuple[str, ...], values: Sequence[Any]) -> int:
        """Insert one row and return its new id."""
        cursor = self._run(_insert_returning_id(table, columns), values)
        return int(cursor.fetchone()[0])

    # ---- crawls ------------------------------------------------------------------------

    def start_crawl(self, kind: str, options: Mapping[str, Any], domains: Sequence[str]) -> int:
        """Register a crawl of ``domains`` (in order) and return its id."""
        with self.transaction():
            crawl_id = self._insert(
                "crawls",
                ("started_at", "state", "kind", "options", "domains"),
                (timestamp(), "running", kind, json.dumps(options, sort_keys=True), len(domains)),
            )
            self.connection.cursor().executemany(
                self.dialect.sql(
                    "INSERT INTO crawl_domains (crawl_id, position, domain) VALUES (?, ?, ?)"
                ),
                [(crawl_id, i, d.lower()) for i, d in enumerate(domains)],
            )
        return crawl_id

    def unfinished_crawl(self, kind: str) -> CrawlInfo | None:
        """The latest crawl of ``kind``, when it did not finish (killed or interrupted).

        Only the latest: an older crawl left unfinished was given up when a newer one began.
        """
        rows = self._rows(
            "SELECT id, state FROM crawls WHERE kind = ? ORDER BY id DESC LIMIT 1", (kind,)
        )
        return self.crawl(rows[0][0]) if rows and rows[0][1] != "finished" else None

    def crawl(self, crawl_id: int) -> CrawlInfo | None:
        rows = self._rows(
            "SELECT id, started_at, finished_at, state, kind, domains FROM crawls WHERE id = ?",
            (crawl_id,),
        )
        if not rows:
            return None
        (done,) = self._rows(
            "SELECT COUNT(*) FROM crawl_domains WHERE crawl_id = ? AND done_fetch_id IS NOT NULL",
            (crawl_id,),
        )[0]
        crawl, started, finished, state, kind, domains = rows[0]
        return CrawlInfo(crawl, started, finished, state, kind, int(domains), int(done))

    def crawls(self) -> list[CrawlInfo]:
        return [
            info
            for (crawl_id,) in self._rows("SELECT id FROM crawls ORDER BY id")
            if (info := self.crawl(crawl_id)) is not None
        ]

    def pending(self, crawl_id: int) -> list[str]:
        """The domains of a crawl that are not done yet, in order."""
        return [
            domain
            for (domain,) in self._rows(
                "SELECT domain FROM crawl_domains WHERE crawl_id = ? AND done_fetch_id IS NULL "
                "ORDER BY position",
                (crawl_id,),
            )
        ]

    def done(self, crawl_id: int) -> set[str]:
        return {
            domain
            for (domain,) in self._rows(
                "SELECT domain FROM crawl_domains WHERE crawl_id = ? AND done_fetch_id IS NOT NULL",
                (crawl_id,),
            )
        }

    def outcomes(self, crawl_id: int) -> dict[str, int]:
        """Domains per outcome over every domain of a crawl done so far, by whichever run
        (a crawl and the runs that resumed it); a domain skipped as fresh counts with the
        outcome of the fetch that gave its copy."""
        rows = self._rows(
            "SELECT f.outcome, COUNT(*) FROM crawl_domains c JOIN fetches f "
            "ON f.id = c.done_fetch_id WHERE c.crawl_id = ? GROUP BY f.outcome",
            (crawl_id,),
        )
        return {str(outcome): int(count) for outcome, count in rows}

    def finish_crawl(
        self, crawl_id: int, state: str, counts: Mapping[str, int] | None = None
    ) -> None:
        """Close a crawl as ``finished`` or ``interrupted``, with its outcome counts
        (by default :meth:`outcomes`: all its domains, also those of earlier runs)."""
        if counts is None:
            counts = self.outcomes(crawl_id)
        with self.transaction():
            self._run(
                "UPDATE crawls SET finished_at = ?, state = ?, counts = ? WHERE id = ?",
                (timestamp(), state, json.dumps(dict(counts), sort_keys=True), crawl_id),
            )

    def skip_fresh(self, crawl_id: int, kind: str, now: str | None = None) -> list[str]:
        """Mark done the domains of a crawl whose current copy is still fresh at ``now``
        (done by the fetch that gave it); return them."""
        now = now or timestamp()
        rows = self._rows(
            "SELECT c.position, c.domain, f.last_fetch_id FROM crawl_domains c "
            "JOIN files f ON f.domain = c.domain AND f.kind = ? "
            "WHERE c.crawl_id = ? AND c.done_fetch_id IS NULL AND f.sha256 IS NOT NULL "
            "AND f.stale_since IS NULL AND f.fresh_until > ?",
            (kind, crawl_id, now),
        )
        with self.transaction():
            self.connection.cursor().executemany(
                self.dialect.sql(
                    "UPDATE crawl_domains SET done_fetch_id = ? WHERE crawl_id = ? AND position = ?"
                ),
                [(fetch_id, crawl_id, position) for position, _, fetch_id in rows],
            )
        return [domain for _, domain, _ in rows]

    def holds_copies(self, crawl_id: int, kind: str) -> bool:
        """Whether the store holds a copy of any file that crawl ``crawl_id`` has still to
        do (a re-crawl; not a resumed first crawl, whose files done have their copies)."""
        return bool(
            self._rows(
                "SELECT 1 FROM crawl_domains c JOIN files f ON f.domain = c.domain "
                "AND f.kind = ? WHERE c.crawl_id = ? AND c.done_fetch_id IS NULL "
                "AND f.sha256 IS NOT NULL LIMIT 1",
                (kind, crawl_id),
            )
        )

    # ---- files and bodies --------------------------------------------------------------

    def file(self, domain: str, kind: str) -> FileRow | None:
        rows = self._rows(
            f"SELECT {', '.join(_FILE_COLUMNS)} FROM files WHERE domain = ? AND kind = ?",
            (domain.lower(), kind),
        )
        return FileRow(*rows[0]) if rows else None

    def files(self, domain: str) -> list[FileRow]:
        return [
            FileRow(*row)
            for row in self._rows(
                f"SELECT {', '.join(_FILE_COLUMNS)} FROM files WHERE domain = ? ORDER BY kind",
                (domain.lower(),),
            )
        ]

    def body(self, digest: str) -> bytes | None:
        rows = self._rows("SELECT data, compression FROM bodies WHERE sha256 = ?", (digest,))
        return decompress(rows[0][0], rows[0][1]) if rows else None

    def good_fetch(self, fetch_id: int) -> Mapping[str, Any] | None:
        return self.fetch(fetch_id)

    def fetch(self, fetch_id: int) -> Mapping[str, Any] | None:
        rows = self._rows(
            f"SELECT id, {', '.join(_FETCH_COLUMNS)} FROM fetches WHERE id = ?", (fetch_id,)
        )
        return dict(zip(("id", *_FETCH_COLUMNS), rows[0], strict=True)) if rows else None

    def snapshot(self, digest: str | None) -> FileSnapshot | None:
        """What a stored body holds, as change events compare it (``None``: no file)."""
        if digest is None:
            return None
        if self._stored is not None and self._stored[0] == digest:
            return self._remember(digest, FileSnapshot.from_parse_result(self._stored[1]))
        cached = self._snapshots.get(digest)
        if cached is not None:
            return cached
        found = self._rows("SELECT id, verdict FROM bodies WHERE sha256 = ?", (digest,))
        if not found:
            return None
        body_id, verdict = found[0]
        packed = self._rows("SELECT records FROM body_parsed WHERE body_id = ?", (body_id,))
        rows = record_rows(packed[0][0]) if packed else []
        if rows is None:
            # Not records as this adstxt writes them (edited by hand, or by another
            # program): the body, stored beside them, is read again instead. Its records do
            # not depend on the site or the kind of file it was served as.
            from adstxt._api import parse

            body = self.body(digest)
            reread = FileSnapshot.from_parse_result(parse(body or b""))
            return self._remember(digest, attrs.evolve(reread, verdict=Verdict(verdict)))
        records = tuple(SnapshotRecord(a, s, r, c, n) for n, a, s, r, c, _ in rows)
        variables = tuple(
            SnapshotVariable(name, value, int(n))
            for n, name, value in self._rows(
                "SELECT line, name, value FROM body_variables WHERE body_id = ? ORDER BY line",
                (body_id,),
            )
        )
        return self._remember(digest, FileSnapshot(records, variables, Verdict(verdict)))

    def _verdict(self, digest: str) -> str | None:
        """The verdict stored for a body (``None``: no such body)."""
        if self._stored is not None and self._stored[0] == digest:
            return self._stored[2].value
        cached = self._snapshots.get(digest)
        if cached is not None:
            return cached.verdict.value
        found = self._rows("SELECT verdict FROM bodies WHERE sha256 = ?", (digest,))
        return str(found[0][0]) if found else None

    def _remember(self, digest: str, snapshot: FileSnapshot) -> FileSnapshot:
        if digest not in self._snapshots and len(self._snapshots) >= 256:
            del self._snapshots[next(iter(self._snapshots))]  # the oldest
        self._snapshots[digest] = snapshot
        return snapshot

    # ---- writing fetches ---------------------------------------------------------------

    def record(
        self,
        crawl_id: int | None,
        batch: Iterable[tuple[str, Sequence[FetchRecord]]],
    ) -> list[int]:
        """Store a batch in one transaction: for each crawled domain, its fetched files
        (the site's first); mark the domain done in crawl ``crawl_id``. Returns the fetch
        id of each domain's site file."""
        ids = []
        done = []
        with self.transaction():
            for domain, fetched in batch:
                first = None
                for item in fetched:
                    fetch_id = self._record_one(crawl_id, item)
                    first = fetch_id if first is None else first
                if first is not None:
                    ids.append(first)
                    done.append((first, crawl_id, domain.lower()))
            if crawl_id is not None and done:
                self.connection.cursor().executemany(
                    self.dialect.sql(
                        "UPDATE crawl_domains SET done_fetch_id = ? WHERE crawl_id = ? "
                        "AND domain = ? AND done_fetch_id IS NULL"
                    ),
                    done,
                )
        return ids

    def _confirm_held(self, crawl_id: int | None, item: FetchRecord) -> int | None:
        """A 304 that confirms the copy held, stored in two statements: the fetch, with the
        copy's hash taken from the file's row, and what the fetch confirmed in that row.
        None, with nothing written, when no copy is held (the general path decides then).

        It is what :func:`decide` makes of an unchanged fetch of a held copy (``CONFIRM``)
        without reading the file's row first: a re-crawl in which nothing changed stores
        one of these per site. (PostgreSQL gives the untyped values of an INSERT's SELECT
        list the types of the columns they go to, as it does for VALUES.)
        """
        fetched = self._run(
            _CONFIRM_FETCH,
            (*_fetch_values(crawl_id, item), item.fresh_until, item.domain.lower(), item.kind),
        ).fetchone()
        if fetched is None:
            return None
        fetch_id = int(fetched[0])
        self._confirm_file(fetch_id, item)
        return fetch_id

    def _confirm_file(self, fetch_id: int, item: FetchRecord) -> None:
        """What a fetch that confirmed a file's held copy changes in the file's row: the
        copy stays, so only the last fetch, freshness and validators, without rewriting the
        row's every column. A validator the answer left out (or sent empty) keeps the one
        held."""
        self._run(
            "UPDATE files SET last_fetch_id = ?, last_outcome = ?, stale_since = NULL, "
            "fresh_until = ?, etag = COALESCE(NULLIF(?, ''), etag), last_modified = "
            "COALESCE(NULLIF(?, ''), last_modified) WHERE domain = ? AND kind = ?",
            (
                fetch_id,
                item.outcome,
                item.fresh_until,
                item.etag,
                item.last_modified,
                item.domain.lower(),
                item.kind,
            ),
        )

    def _store_body(self, body: bytes, parsed: Any, findings: str) -> tuple[str, str | None]:
        """Store a new body once, with what the checker read in it; ``findings`` is its
        diagnostics as :func:`encode_findings` writes them. Returns the body's SHA-256 and
        the diagnostics kept with it (``findings`` when it is stored now; None when unknown)."""
        digest = sha256(body)
        known = self._rows(
            f"SELECT p.diagnostics{'::text' if self.dialect is POSTGRESQL else ''} FROM bodies b "
            "LEFT JOIN body_parsed p ON p.body_id = b.id WHERE b.sha256 = ?",
            (digest,),
        )
        if known:
            return digest, known[0][0]
        # What the store holds of a body is decided once, when it is first stored.
        diagnostics = parsed.diagnostics
        verdict = verdict_of(diagnostics)
        # Two writers may meet the same new body at once (PostgreSQL runs their
        # transactions side by side): the second waits for the first and stores nothing.
        inserted = self._run(
            "INSERT INTO bodies (sha256, size, compression, data, verdict, records, variables, "
            "errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING RETURNING id",
            (
                digest,
                len(body),
                COMPRESSION,
                compress(body),
                verdict.value,
                len(parsed.records),
                len(parsed.variables),
                sum(1 for d in diagnostics if d.severity is Severity.ERROR),
            ),
        ).fetchone()
        if inserted is None:
            return digest, None
        body_id = int(inserted[0])
        # The rows below hold exactly this parse: the new version's change events take it
        # from here rather than reading back what was just written.
        self._stored = (digest, parsed, verdict)
        self._run(
            "INSERT INTO body_parsed (body_id, records, diagnostics) VALUES (?, ?, ?)",
            (body_id, encode_records(parsed.records), findings),
        )
        if parsed.variables:
            self.connection.cursor().executemany(
                self.dialect.sql(
                    "INSERT INTO body_variables (body_id, line, name, value) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (body_id, line) DO NOTHING"
                ),
                [(body_id, v.line, v.name, v.value) for v in parsed.variables],
            )
        return digest, findings

    def _record_one(self, crawl_id: int | None, item: FetchRecord) -> int:
        if item.unchanged and item.outcome == "ok" and item.body is None:
            confirmed = self._confirm_held(crawl_id, item)
            if confirmed is not None:
                return confirmed
        digest = None
        findings = None
        kept = None  # the diagnostics kept with the body
        if item.body is not None and item.parse_result is not None:
            # The body's diagnostics and this site's findings are one list (whichever site
            # first served a body gave its diagnostics): encoded once for both.
            findings = encode_findings(item.parse_result.diagnostics)
            digest, kept = self._store_body(item.body, item.parse_result, findings)
        elif item.body is not None and item.kind == "sellers.json":
            digest = self._store_sellers_body(item.body)
        current = self.file(item.domain, item.kind)
        if item.unchanged and current is not None:
            digest = current.sha256
        fetch_id = self._insert(
            "fetches",
            _FETCH_COLUMNS,
            (*_fetch_values(crawl_id, item), digest, 1 if item.unchanged else 0, item.fresh_until),
        )
        has_copy = current is not None and current.sha256 is not None
        decision = decide(
            item.kind,
            item.outcome,
            has_body=digest is not None,
            unchanged=item.unchanged,
            has_copy=has_copy,
            stale_since=current.stale_since if current is not None else None,
            now=item.started_at,
        )
        if decision.action is Action.CONFIRM:
            # A 304 that came with a body (a held copy's is confirmed in two statements,
            # by _confirm_held).
            self._confirm_file(fetch_id, item)
            return fetch_id
        version = current.version if current is not None else 0
        row: dict[str, Any] = (
            attrs.asdict(current)
            if current is not None
            else dict.fromkeys(_FILE_COLUMNS) | {"domain": item.domain, "kind": item.kind}
        )
        row.update(version=version, last_fetch_id=fetch_id, last_outcome=item.outcome)
        if decision.action is Action.REPLACE:
            old = current.sha256 if current is not None else None
            if old != digest:
                version = self._new_version(item, fetch_id, version, old, digest)
            row.update(
                version=version,
                sha256=digest,
                good_fetch_id=fetch_id,
                stale_since=None,
                fresh_until=item.fresh_until,
                etag=item.etag,
                last_modified=item.last_modified,
            )
        elif decision.action is Action.KEEP_STALE:
            row.update(stale_since=decision.stale_since)
        elif decision.action is Action.END:
            assert current is not None
            version = self._new_version(item, fetch_id, version, current.sha256, None)
            row.update(
                version=version,
                sha256=None,
                good_fetch_id=None,
                stale_since=None,
                fresh_until=None,
                etag=None,
                last_modified=None,
            )
        columns: tuple[str, ...] = _FILE_COLUMNS
        values = [row[c] for c in _FILE_COLUMNS]
        if decision.action is Action.REPLACE and findings is not None:
            # The findings for this site, so that a 304 reports the copy without a parse;
            # only a mark when they are the body's own diagnostics (those of the first site
            # to serve it, as a rule the only one), which the body's row keeps.
            columns = (*columns, "findings", "tally")
            assert item.parse_result is not None and digest is not None  # set with findings
            parsed = item.parse_result
            if kept == findings:
                values += (BODY_FINDINGS, encode_tally(fetch_id, parsed.diagnostics))
            else:
                variables = self._own_variables(digest, parsed.variables)
                values += (findings, encode_tally(fetch_id, parsed.diagnostics, variables))
        elif decision.action is Action.END:
            columns = (*columns, "findings", "tally")
            values += (None, None)
        self._run(self.dialect.upsert("files", columns, ("domain", "kind")), values)
        return fetch_id

    def _own_variables(
        self, digest: str, variables: Sequence[Variable]
    ) -> Sequence[Variable] | None:
        """``variables``, a file's, when they are not those kept with body ``digest`` (its
        first site's: a ``SUBDOMAIN=`` line taken for one site can be refused for another);
        None when they are."""
        kept = self._rows(
            "SELECT v.line, v.name, v.value FROM body_variables v JOIN bodies b "
            "ON b.id = v.body_id WHERE b.sha256 = ? ORDER BY v.line",
            (digest,),
        )
        same = [tuple(row) for row in kept] == [(v.line, v.name, v.value) for v in variables]
        return None if same else variables

    def _store_sellers_body(self, body: bytes) -> str:
        """Keep a sellers.json body once per SHA-256 (compressed only when new); the
        verdict and the number of sellers beside it."""
        digest = sha256(body)
        if self._rows("SELECT 1 FROM bodies WHERE sha256 = ?", (digest,)):
            return digest
        result = self._sellers_parsed(digest, body)
        errors = sum(1 for d in result.diagnostics if d.severity.value == "error")
        self._run(
            "INSERT INTO bodies (sha256, size, compression, data, verdict, records, variables, "
            "errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            (
                digest,
                len(body),
                COMPRESSION,
                compress(body),
                sellers_verdict(result),
                len(result),
                0,
                errors,
            ),
        )
        return digest

    def sellers_snapshot(self, digest: str | None) -> SellersSnapshot | None:
        """What a stored sellers.json body declares, as its change events compare it."""
        if digest is None:
            return None
        if self._sellers_read is not None and self._sellers_read[0] == digest:
            return sellers_snapshot(self._sellers_read[1])
        # Another copy (the one before, for change events): read without displacing the
        # one kept, which the crawl's check reads next.
        body = self.body(digest)
        return sellers_snapshot(body) if body is not None else None

    def sellers_result(self, digest: str | None) -> Any:
        """A stored sellers.json body, parsed (a :class:`adstxt.sellers.SellersResult`);
        None when there is no such body."""
        if digest is None:
            return None
        if self._sellers_read is not None and self._sellers_read[0] == digest:
            return self._sellers_read[1]
        body = self.body(digest)
        return self._sellers_parsed(digest, body) if body is not None else None

    def _sellers_parsed(self, digest: str, body: bytes) -> Any:
        from adstxt.sellers import parse

        if self._sellers_read is None or self._sellers_read[0] != digest:
            self._sellers_read = None  # let the one before go before reading the next
            self._sellers_read = (digest, parse(body))
        return self._sellers_read[1]

    def _new_version(
        self,
        item: FetchRecord,
        fetch_id: int,
        version: int,
        old: str | None,
        new: str | None,
    ) -> int:
        """Add the next version of a file and the change events from the one before."""
        if item.kind == "sellers.json":
            events = derive_sellers_changes(
                item.domain, self.sellers_snapshot(old), self.sellers_snapshot(new)
            )
        elif old is None and version == 0 and new is not None and (seen := self._verdict(new)):
            # The first copy the store ever holds of a file is its baseline, not a change:
            # one file-appeared, so that a first crawl does not list every record of every
            # site as added. A file back after a hard 404 (version > 0) lists them.
            events = [ChangeEvent(ChangeType.FILE_APPEARED, new=seen)]
        else:
            events = derive_changes(self.snapshot(old), self.snapshot(new))
        self._run(
            "INSERT INTO versions (domain, kind, version, sha256, fetch_id, since) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (item.domain, item.kind, version + 1, new, fetch_id, item.started_at),
        )
        self.connection.cursor().executemany(
            self.dialect.sql(
                f"INSERT INTO changes ({', '.join(_CHANGE_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in _CHANGE_COLUMNS)})"
            ),
            _change_rows(item.domain, item.kind, item.started_at, fetch_id, version, events),
        )
        return version + 1

    # ---- reading history ---------------------------------------------------------------

    def fetches(self, domain: str, kind: str | None = None) -> list[Mapping[str, Any]]:
        """The fetches of a domain's files, oldest first."""
        where, params = _file_filter(domain, kind)
        return [
            dict(zip(("id", *_FETCH_COLUMNS), row, strict=True))
            for row in self._rows(
                f"SELECT id, {', '.join(_FETCH_COLUMNS)} FROM fetches WHERE {where} "
                "ORDER BY started_at, id",
                params,
            )
        ]

    def versions(self, domain: str, kind: str | None = None) -> list[VersionRow]:
        where, params = _file_filter(domain, kind)
        return [
            VersionRow(*row)
            for row in self._rows(
                "SELECT domain, kind, version, sha256, fetch_id, since FROM versions "
                f"WHERE {where} ORDER BY kind, version",
                params,
            )
        ]

    def changes(
        self,
        *,
        since: str | None = None,
        domain: str | None = None,
        kind: str | None = None,
        ad_system: str | None = None,
        seller_id: str | None = None,
    ) -> list[Mapping[str, Any]]:
        """Stored change events, oldest first, filtered by any of the arguments (an ad
        system compares without case, a seller ID exactly)."""
        clauses, params = [], []
        for clause, value in (
            ("at >= ?", since),
            ("domain = ?", domain.lower() if domain else None),
            ("kind = ?", kind),
            ("LOWER(ad_system) = ?", ad_system.lower() if ad_system else None),
            ("seller_id = ?", seller_id),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = " AND ".join(clauses) or "1 = 1"
        return [
            dict(zip(("id", *_CHANGE_COLUMNS), row, strict=True))
            for row in self._rows(
                f"SELECT id, {', '.join(_CHANGE_COLUMNS)} FROM changes WHERE {where} "
                "ORDER BY at, id",
                params,
            )
        ]

    def iterate(
        self, sql: str, params: Sequence[Any] = (), size: int = 1000
    ) -> Iterator[tuple[Any, ...]]:
        """Rows of a query, fetched ``size`` at a time (exports do not hold a table)."""
        cursor = self._run(sql, params)
        while rows := cursor.fetchmany(size):
            yield from (tuple(row) for row in rows)


def _fetch_values(crawl_id: int | None, item: FetchRecord) -> tuple[Any, ...]:
    """A fetch row's values up to its error, in the order of :data:`_FETCH_COLUMNS` (the
    hash, the 304 flag and the freshness follow)."""
    return (
        crawl_id,
        item.domain,
        item.kind,
        item.requested_url,
        item.chain,
        item.final_url,
        item.status,
        item.etag,
        item.last_modified,
        item.cache_control,
        item.expires,
        item.content_type,
        item.started_at,
        item.duration_ms,
        item.outcome,
        item.error,
    )


#: The fetch row of a 304 that confirms a held copy (:meth:`Store._confirm_held`): the
#: copy's hash comes from the file's row, and no row is inserted when no copy is held.
_CONFIRM_FETCH = (
    f"INSERT INTO fetches ({', '.join(_FETCH_COLUMNS)}) SELECT "
    + ", ".join(
        "f.sha256" if column == "sha256" else "1" if column == "unchanged" else "?"
        for column in _FETCH_COLUMNS
    )
    + " FROM files f WHERE f.domain = ? AND f.kind = ? AND f.sha256 IS NOT NULL RETURNING id"
)


@functools.lru_cache(maxsize=32)
def _insert_returning_id(table: str, columns: tuple[str, ...]) -> str:
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) RETURNING id"
    )


def _begin(connection: Any, dialect: Dialect) -> None:
    if dialect.begin is not None:
        connection.cursor().execute(dialect.begin)


def _end(connection: Any, dialect: Dialect, how: str) -> None:
    """Commit or roll back. Connections in autocommit mode (both drivers, as the store
    opens them) end the transaction the store began with a statement."""
    if dialect.begin is None:
        (connection.commit if how == "COMMIT" else connection.rollback)()
    elif how == "COMMIT":
        connection.cursor().execute("COMMIT")
    else:
        with contextlib.suppress(Exception):  # the failure being reported may have ended it
            connection.cursor().execute("ROLLBACK")


def _file_filter(domain: str, kind: str | None) -> tuple[str, tuple[str, ...]]:
    if kind is None:
        return "domain = ?", (domain.lower(),)
    return "domain = ? AND kind = ?", (domain.lower(), kind)


def _change_rows(
    domain: str, kind: str, at: str, fetch_id: int, version: int, events: Iterable[ChangeEvent]
) -> list[tuple[Any, ...]]:
    """The ``changes`` rows of the events from ``version`` to the next (a first copy brings
    one per record: what every row shares is worked out once)."""
    head = (domain, kind, at, fetch_id, version or None, version + 1)
    return [
        (
            *head,
            event.type.value,
            event.ad_system,
            event.seller_id,
            event.variable,
            event.old,
            event.new,
            event.old_line,
            event.new_line,
        )
        for event in events
    ]
