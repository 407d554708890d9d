"""The held copy behind a 304 answer, read back from the store rather than parsed again.

A re-crawl in which nothing changed spends most of its time on what a 304 does not need:
the copy was checked when it was served, and the store kept its records, its variables and
the findings for this very site. They are read back with three keyed queries; a store that
has no findings for the copy (written before they were kept) parses it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from adstxt.model import ParseResult, Record, Relationship, Variable, _make_record
from adstxt.store._bodies import decompress
from adstxt.store._findings import decode_findings, record_rows
from adstxt.store._store import Store

if TYPE_CHECKING:
    from adstxt.fetch import FetchResult

__all__ = ["restore_unchanged"]


def restore_unchanged(
    store: Store, domain: str, kind: str, result: FetchResult, *, records: bool = True
) -> tuple[FetchResult, int | None]:
    """A 304 answer with the held copy filled in, with the records and findings it had
    when it was served, so that the crawl reports it as for any other fetch. Any other
    result is returned as it is.

    With ``records=False`` the records are not read back (a crawl that reports only their
    number needs none): the restored parse holds none, and the number of records the copy
    has comes second; it is ``None`` whenever the parse holds them all.
    """
    if result.status != 304 or result.outcome != "ok":
        return result, None
    rows = store._rows(
        "SELECT f.findings, g.final_url, g.requested_url, g.content_type, b.id, b.sha256, b.data, "
        "b.compression, b.records FROM files f JOIN fetches g ON g.id = f.good_fetch_id "
        "JOIN bodies b ON b.sha256 = f.sha256 WHERE f.domain = ? AND f.kind = ?",
        (domain.lower(), kind),
    )
    if not rows:
        return result, None
    (
        findings,
        final_url,
        requested_url,
        content_type,
        body_id,
        digest,
        data,
        compression,
        count,
    ) = rows[0]
    body = decompress(data, compression)
    url = final_url or requested_url
    diagnostics = decode_findings(findings)
    parsed = None
    unread = None
    if diagnostics is not None:
        parsed = _read_back(store, body_id, digest, body, diagnostics, result, records)
        if parsed is not None and not records:
            unread = int(count)
    if parsed is None:
        parsed = _parsed_again(url, body, content_type, result)
    restored = attrs.evolve(
        result, parse_result=parsed, body=body, final_url=result.final_url or url
    )
    return restored, unread


#: What the bodies met last hold (records, variables), by SHA-256: a body's records never
#: change, whichever store holds it, and one body is often served by many sites (a hosting
#: platform's default file).
_HELD: dict[str, tuple[tuple[Record, ...], tuple[Variable, ...]] | None] = {}
_HELD_MOST = 256


def _read_back(
    store: Store,
    body_id: int,
    key: str,
    body: bytes,
    diagnostics: tuple[object, ...],
    result: FetchResult,
    with_records: bool,
) -> ParseResult | None:
    if key in _HELD:
        held = _HELD[key]
    elif with_records:
        if len(_HELD) >= _HELD_MOST:
            del _HELD[next(iter(_HELD))]  # the oldest
        held = _HELD[key] = _held(store, body_id)
    else:
        held = (), _variables(store, body_id)
    if held is None:
        return None
    records, variables = held
    if not with_records:
        records = ()
    return ParseResult(
        records=records,
        variables=variables,
        comments=(),
        diagnostics=diagnostics,  # type: ignore[arg-type]
        kind=result.kind,
        encoding="utf-8",
        text=body.decode("utf-8", "replace"),
    )


#: The relationships by their stored text (a dict look-up: calling the enum costs more).
_RELATIONSHIPS: dict[str, Relationship] = {r.value: r for r in Relationship}


def _held(store: Store, body_id: int) -> tuple[tuple[Record, ...], tuple[Variable, ...]] | None:
    """The records and variables stored for a body; None when one cannot be read back."""
    packed = store._rows("SELECT records FROM body_parsed WHERE body_id = ?", (body_id,))
    rows = record_rows(packed[0][0]) if packed else None
    if rows is None:  # damaged, or not there: parse the copy instead
        return None
    records = []
    relationships = _RELATIONSHIPS
    for line, system, seller, relationship, certification, extension in rows:
        kind = relationships.get(relationship)
        if kind is None:  # not a record this adstxt reads: parse the copy instead
            return None
        records.append(_make_record(system, seller, kind, certification, extension, line))
    return tuple(records), _variables(store, body_id)


def _variables(store: Store, body_id: int) -> tuple[Variable, ...]:
    return tuple(
        Variable(name, value, int(line))
        for line, name, value in store._rows(
            "SELECT line, name, value FROM body_variables WHERE body_id = ? ORDER BY line",
            (body_id,),
        )
    )


def _parsed_again(
    url: str, body: bytes, content_type: str | None, result: FetchResult
) -> ParseResult:
    from adstxt.diagnostics import Diagnostic
    from adstxt.fetch._checks import check_body
    from adstxt.fetch._urls import host_of

    found: list[Diagnostic] = []
    return check_body(url, 200, body, content_type, result.kind, found, site=host_of(result.url))
