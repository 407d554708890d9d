"""One fetched file as the store keeps it, taken from what the fetcher returned."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import attrs

from adstxt.diagnostics import Severity
from adstxt.model import ParseResult
from adstxt.store._dialect import timestamp

if TYPE_CHECKING:
    from adstxt.fetch import FetchResult

__all__ = ["FetchRecord", "records_of"]


@attrs.frozen
class FetchRecord:
    """A fetch of one file: what was asked, what came back and what it meant.

    ``chain`` is the JSON list of the requests made, ``[url, status, location]`` each;
    ``unchanged`` is true for a 304 answer to a conditional request.
    """

    domain: str
    kind: str
    requested_url: str
    chain: str
    final_url: str | None
    status: int | None
    etag: str | None
    last_modified: str | None
    cache_control: str | None
    expires: str | None
    content_type: str | None
    started_at: str
    duration_ms: int
    outcome: str
    error: str | None
    body: bytes | None
    parse_result: ParseResult | None
    unchanged: bool
    fresh_until: str | None


def _one(domain: str, result: FetchResult, started_at: str, duration_ms: int) -> FetchRecord:
    caching = result.caching
    errors = [d.message for d in result.fetch_diagnostics if d.severity is Severity.ERROR]
    unchanged = result.status == 304 and result.outcome == "ok"
    # A 304's copy is the one already held: it is not stored again.
    body = result.body if result.parse_result is not None and not unchanged else None
    return FetchRecord(
        domain=domain,
        kind=str(result.kind),
        requested_url=result.url,
        chain=json.dumps([[hop.url, hop.status, hop.location] for hop in result.chain]),
        final_url=result.final_url,
        status=result.status,
        etag=caching.etag if caching else None,
        last_modified=caching.last_modified if caching else None,
        cache_control=caching.cache_control if caching else None,
        expires=caching.expires if caching else None,
        content_type=result.content_type,
        started_at=started_at,
        duration_ms=duration_ms,
        outcome=result.outcome,
        error=errors[0] if errors else None,
        body=body,
        parse_result=result.parse_result if body is not None else None,
        unchanged=unchanged,
        fresh_until=timestamp(caching.fresh_until) if caching else None,
    )


def records_of(
    domain: str, result: FetchResult, started: dt.datetime, duration: float
) -> list[FetchRecord]:
    """The site's file (under ``domain``, as the crawl was given it, lower-cased) and each
    file its ``SUBDOMAIN=`` lines led to (under its own host), in that order.

    A subdomain file that redirects to one already listed is the same file: it is kept once.
    """
    started_at = timestamp(started)
    milliseconds = max(0, round(duration * 1000))
    found = [_one(domain.lower(), result, started_at, milliseconds)]
    seen = {result.final_url or result.url}
    for part in result.subdomains:
        url = part.final_url or part.url
        if url in seen:
            continue
        seen.add(url)
        found.append(_one(part.domain.lower(), part, started_at, milliseconds))
    return found
