"""The rows of the exported tables (``records``, ``fetches``, ``changes``), read from a
store a batch at a time, in the columns of ``adstxt.store._export``.

``version`` (``old_version``, ``new_version``) is the file's version number, the one
``adstxt history`` lists and ``adstxt diff --from/--to`` take; ``body_id`` is the body's
number in the store (``bodies.id``): one distinct body, shared by every file that served it.
Bodies that never became a file's copy (an HTML page served as ads.txt, say) are exported
with their records too, with no version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from adstxt.store._store import Store

__all__ = ["change_rows", "fetch_rows", "record_rows"]

_RECORDS = """
SELECT l.domain, l.kind, b.id, fl.sha256, l.fetched_at, lf.final_url, lf.requested_url,
       b.sha256, b.verdict, r.line, r.ad_system, r.seller_id, r.relationship,
       r.certification_id, r.extension,
       (SELECT MAX(v.version) FROM versions v
        WHERE v.domain = l.domain AND v.kind = l.kind AND v.sha256 = l.sha256)
FROM (
    SELECT domain, kind, sha256, MAX(started_at) AS fetched_at, MAX(id) AS fetch_id
    FROM fetches WHERE sha256 IS NOT NULL GROUP BY domain, kind, sha256
) l
JOIN bodies b ON b.sha256 = l.sha256
JOIN fetches lf ON lf.id = l.fetch_id
LEFT JOIN files fl ON fl.domain = l.domain AND fl.kind = l.kind
JOIN body_records r ON r.body_id = b.id
ORDER BY l.domain, l.kind, b.id, r.line
"""

_FETCHES = """
SELECT f.id, f.domain, f.kind, f.requested_url, f.final_url, f.chain, f.status, f.etag,
       f.last_modified, f.cache_control, f.expires, f.content_type, f.started_at,
       f.duration_ms, f.outcome, f.error, f.unchanged, f.sha256, b.size, b.id,
       (SELECT MAX(v.version) FROM versions v
        WHERE v.domain = f.domain AND v.kind = f.kind AND v.fetch_id <= f.id
          AND v.sha256 = f.sha256),
       (SELECT MAX(v.version) FROM versions v
        WHERE v.domain = f.domain AND v.kind = f.kind AND v.fetch_id < f.id
          AND v.sha256 IS NOT NULL)
FROM fetches f LEFT JOIN bodies b ON b.sha256 = f.sha256
ORDER BY f.id
"""

# An app's event (kind 'app') points at resolutions, not fetches: it has no fetch to export.
_CHANGES = """
SELECT c.id, c.domain, c.kind, c.at, ov.fetch_id,
       CASE WHEN c.kind = 'app' THEN NULL ELSE c.fetch_id END, ob.id, nb.id, c.type,
       c.ad_system, c.seller_id, c.variable, c.old, c.new, c.old_line, c.new_line,
       CASE WHEN c.kind = 'app' THEN NULL ELSE c.from_version END,
       CASE WHEN c.kind = 'app' THEN NULL ELSE c.to_version END
FROM changes c
LEFT JOIN versions ov ON ov.domain = c.domain AND ov.kind = c.kind
     AND ov.version = c.from_version
LEFT JOIN versions nv ON nv.domain = c.domain AND nv.kind = c.kind
     AND nv.version = c.to_version
LEFT JOIN bodies ob ON ob.sha256 = ov.sha256
LEFT JOIN bodies nb ON nb.sha256 = nv.sha256
ORDER BY c.id
"""


def record_rows(store: Store) -> Iterator[Mapping[str, object]]:
    """Every record line of every distinct body fetched for each file."""
    for row in store.iterate(_RECORDS):
        (domain, kind, body_id, current, fetched_at, final, requested, digest, verdict) = row[:9]
        line, ad_system, seller_id, relationship, certification, extension, version = row[9:]
        yield {
            "domain": domain,
            "kind": kind,
            "version": None if version is None else int(version),
            "body_id": int(body_id),
            "current": current == digest,
            "fetched_at": fetched_at,
            "url": final or requested,
            "sha256": digest,
            "verdict": verdict,
            "line": int(line),
            "ad_system": str(ad_system).lower(),
            "seller_id": seller_id,
            "relationship": relationship,
            "certification_id": certification,
            "extension": extension,
        }


def _redirects(chain: str) -> list[str]:
    """The URLs redirected to: every request of the chain after the first."""
    try:
        hops = json.loads(chain)
    except ValueError:
        return []
    return [str(hop[0]) for hop in hops[1:] if isinstance(hop, list) and hop]


def fetch_rows(store: Store) -> Iterator[Mapping[str, object]]:
    """Every fetch, oldest first."""
    for row in store.iterate(_FETCHES):
        (fetch_id, domain, kind, requested, final, chain, status, etag, modified) = row[:9]
        (control, expires, content_type, started, duration, outcome, error) = row[9:16]
        unchanged, digest, size, body_id, delivered, held = row[16:]
        # A 304 delivers the copy held before it; any other fetch, the version of its body.
        version = held if unchanged else delivered
        yield {
            "fetch_id": int(fetch_id),
            "domain": domain,
            "kind": kind,
            "requested_url": requested,
            "final_url": final,
            "redirects": _redirects(chain),
            "status": None if status is None else int(status),
            "etag": etag,
            "last_modified": modified,
            "cache_control": control,
            "expires": expires,
            "content_type": content_type,
            "started_at": started,
            "duration_ms": int(duration),
            "outcome": outcome,
            "error": error,
            "unchanged": bool(unchanged),
            "sha256": digest,
            "body_size": None if size is None else int(size),
            "version": None if version is None else int(version),
            "body_id": None if body_id is None else int(body_id),
        }


def change_rows(store: Store) -> Iterator[Mapping[str, object]]:
    """Every change event, in the order they were stored."""
    for row in store.iterate(_CHANGES):
        (change_id, domain, kind, at, old_fetch, new_fetch, old_body, new_body, kind_of) = row[:9]
        ad_system, seller_id, variable, old, new, old_line, new_line = row[9:16]
        from_version, to_version = row[16:]
        yield {
            "change_id": int(change_id),
            "domain": domain,
            "kind": kind,
            "at": at,
            "old_fetch_id": None if old_fetch is None else int(old_fetch),
            "new_fetch_id": None if new_fetch is None else int(new_fetch),
            "old_version": None if not from_version else int(from_version),
            "new_version": None if to_version is None else int(to_version),
            "old_body_id": None if old_body is None else int(old_body),
            "new_body_id": None if new_body is None else int(new_body),
            "type": kind_of,
            "ad_system": None if ad_system is None else str(ad_system).lower(),
            "seller_id": seller_id,
            "variable": variable,
            "old": old,
            "new": new,
            "old_line": None if old_line is None else int(old_line),
            "new_line": None if new_line is None else int(new_line),
        }
