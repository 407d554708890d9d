"""The held copy behind a 304 answer, read back from the store rather than parsed again.

A re-crawl in which nothing changed spends most of its time on what a 304 does not need:
the copy was checked when it was served, and the store kept its records, its variables and
the findings for this very site. They are read back with one keyed query (its variables
folded in), and one more for its records when the crawl writes them out. A copy whose
findings, records or variables cannot be read back as written (a store written before the
findings were kept, or edited by another program) is parsed again.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

import attrs

from adstxt.diagnostics import Severity, count_by_code
from adstxt.model import ParseResult, Record, Relationship, Variable, _make_record
from adstxt.store._bodies import decompress
from adstxt.store._dialect import POSTGRESQL
from adstxt.store._findings import (
    BODY_FINDINGS,
    DAMAGED,
    Damaged,
    Tally,
    decode_findings,
    decode_tally,
    record_rows,
    tally_findings,
    variable_rows,
)
from adstxt.store._snapshot import verdict_of_counts
from adstxt.store._store import Store

if TYPE_CHECKING:
    from adstxt.diagnostics import Diagnostic
    from adstxt.fetch import FetchResult, Validators
    from adstxt.model import FileKind

__all__ = [
    "UNREAD",
    "HeldRow",
    "HeldTally",
    "Unread",
    "held_row",
    "restore_copy",
    "restore_held",
    "restore_unchanged",
    "tally_held",
]


@attrs.frozen
class HeldRow:
    """What the store holds of a file's current copy, read in one query: the validators
    of a conditional request for it, and what a 304 answer to that request restores."""

    etag: str | None
    last_modified: str | None
    findings: str | bytes | None  # bytes only in a store another program edited
    final_url: str | None
    requested_url: str
    content_type: str | None
    status: int | None  # of the fetch that served the copy
    body_id: int
    sha256: str
    data: bytes | None  # None when the body was not asked for
    compression: str
    records: int
    variables: int
    #: The copy's variables as ``[[line, name, value], ...]`` (JSON text, or what the driver
    #: decoded it to); None when it has none.
    variable_rows: object
    #: The findings counted, and the file's variables when they are not its body's (see
    #: :func:`~adstxt.store._findings.encode_tally`); None for a copy stored before them.
    tally: str | None
    good_fetch_id: int  # the fetch that served the copy
    #: True when :attr:`findings` (None then) are the body's and were left unread, as
    #: ``held_row(..., findings=False)`` does when the counts are the copy's: the body's
    #: diagnostics are its largest text (see :func:`findings_of`).
    findings_deferred: bool | int = False  # SQLite gives 1 or 0

    @property
    def counted(self) -> Tally | Damaged | None:
        """What the store counted of the copy (:attr:`tally`): None when it counted
        nothing for it, :data:`~adstxt.store._findings.DAMAGED` when the counts cannot be
        read (the copy is then parsed again)."""
        return decode_tally(self.tally, self.good_fetch_id)

    @property
    def validators(self) -> Validators | None:
        """The ETag and Last-Modified to send, if the copy was served with either."""
        from adstxt.fetch import Validators

        if not (self.etag or self.last_modified):
            return None
        return Validators(self.etag, self.last_modified)


class Unread(enum.Enum):
    """Says that a file's :class:`HeldRow` was not read yet (None: read, and none held)."""

    UNREAD = "unread"


UNREAD: Final = Unread.UNREAD


def held_row(
    store: Store, domain: str, kind: str, *, body: bool = True, findings: bool = True
) -> HeldRow | None:
    """The current copy held for ``domain``'s file, with its body unless ``body=False``;
    None when none is held. With ``findings=False``, findings that are the body's are left
    unread when the store's counts are the copy's (a 304 is then reported from the counts;
    :func:`findings_of` reads them when it is not)."""
    query = _HELD_ROW[store.dialect is POSTGRESQL, body, findings]
    rows = store._rows(query, (domain.lower(), kind))
    return HeldRow(*rows[0]) if rows else None


def findings_of(store: Store, held: HeldRow) -> str | bytes | None:
    """The findings of the held copy as the store keeps them (see
    :func:`~adstxt.store._findings.decode_findings`), read now if :func:`held_row` left
    them unread."""
    if not held.findings_deferred:
        return held.findings
    rows = store._rows(_body_diagnostics(store.dialect is POSTGRESQL, "?"), (held.body_id,))
    # As the driver gives it, like the findings read with the row: a value that is not
    # text (a store edited by another program) is for decode_findings to refuse.
    found: str | bytes | None = rows[0][0] if rows else None
    return found


def _body_diagnostics(postgresql: bool, body_id: str) -> str:
    """The query of a body's diagnostics, as text, by ``body_id`` (a placeholder or a
    column of an outer query)."""
    cast = "::text" if postgresql else ""
    return f"SELECT p.diagnostics{cast} FROM body_parsed p WHERE p.body_id = {body_id}"


def _held_row_query(postgresql: bool, body: bool, findings: bool) -> str:
    # The copy's variables come in the same query, as one JSON array in line order (one
    # statement fewer for every 304 of a file that has any).
    variables = (
        "(SELECT json_agg(json_build_array(v.line, v.name, v.value) ORDER BY v.line) "
        "FROM body_variables v WHERE v.body_id = b.id)"
        if postgresql
        # As text: json_array() refuses a BLOB, which a damaged row might hold (the list
        # is then not one of variables, and they are read again).
        else "(SELECT json_group_array(json_array(line, CAST(name AS TEXT), CAST(value AS "
        "TEXT))) FROM body_variables v WHERE v.body_id = b.id)"
    )
    # A file whose findings are its body's own diagnostics keeps them with the body only.
    body_findings = f"({_body_diagnostics(postgresql, 'b.id')})"
    # The counts are the copy's when they name the fetch that served it (their JSON begins
    # with its id); then a 304 needs no findings, and the body's are not read. Whether
    # the counts can be read is for Python to say: damaged ones have the copy parsed again.
    named = "'[' || f.good_fetch_id || ','"
    deferred = (
        f"f.findings = '{BODY_FINDINGS}' AND substr(f.tally, 1, length({named})) = {named}"
        if not findings
        else "0 = 1"
    )
    return (
        f"SELECT f.etag, f.last_modified, CASE WHEN {deferred} THEN NULL "
        f"WHEN f.findings = '{BODY_FINDINGS}' "
        f"THEN {body_findings} ELSE f.findings END, g.final_url, g.requested_url, "
        f"g.content_type, g.status, b.id, b.sha256, {'b.data' if body else 'NULL'}, "
        "b.compression, "
        f"b.records, b.variables, CASE WHEN b.variables > 0 THEN {variables} END, f.tally, "
        f"f.good_fetch_id, {deferred} "
        "FROM files f JOIN fetches g ON g.id = f.good_fetch_id "
        "JOIN bodies b ON b.sha256 = f.sha256 WHERE f.domain = ? AND f.kind = ?"
    )


#: The query of :func:`held_row`, by (PostgreSQL or not, body or not, findings or not).
_HELD_ROW: Final = {
    (postgresql, body, findings): _held_row_query(postgresql, body, findings)
    for postgresql in (False, True)
    for body in (False, True)
    for findings in (False, True)
}


def restore_unchanged(
    store: Store,
    domain: str,
    kind: str,
    result: FetchResult,
    *,
    records: bool = True,
    body: bool = True,
) -> tuple[FetchResult, int | None]:
    """A 304 answer with the held copy filled in, with the records and findings it had
    when it was served (its Content-Type's among them), so that the crawl reports it as for
    any other fetch. Any other result is returned as it is.

    With ``records=False`` the records are not read back (a crawl that reports only their
    number needs none): the restored parse holds none, and the number of records the copy
    has comes second; it is ``None`` whenever the parse holds them all. With ``body=False``
    the held body is not read either, nor is the parse's text (it is empty). A copy whose
    findings, records or variables cannot be read back is parsed again, and then all of it
    is there.
    """
    if result.status != 304 or result.outcome != "ok":
        return result, None
    held = held_row(store, domain, kind, body=body)
    return restore_held(store, held, result, records=records, body=body)


def restore_held(
    store: Store,
    held: HeldRow | None,
    result: FetchResult,
    *,
    records: bool = True,
    body: bool = True,
) -> tuple[FetchResult, int | None]:
    """:func:`restore_unchanged` with the file's :class:`HeldRow` already read (by the
    crawl, which read it for the request's validators)."""
    if result.status != 304 or result.outcome != "ok" or held is None:
        return result, None
    return restore_copy(store, held, result, records=records, body=body)


def restore_copy(
    store: Store, held: HeldRow, result: FetchResult, *, records: bool, body: bool
) -> tuple[FetchResult, int | None]:
    """``result`` with the held copy filled in as :func:`restore_unchanged` fills it in,
    whatever the result's status (a file still fresh has no new fetch at all)."""
    data = _body_of(store, held) if body else None
    filled = _read_back_held(store, held, result, records=records, body=data)
    if filled is not None:
        return filled
    return _parsed_again(store, held, result, data)


def _read_back_held(
    store: Store, held: HeldRow, result: FetchResult, *, records: bool, body: bytes | None
) -> tuple[FetchResult, int | None] | None:
    """``result`` with the held copy as the store kept it: its parse (its findings for this
    site, its variables, its records unless ``records=False``), ``body``, and its
    Content-Type's findings added to the result's own; the number of records comes second
    when they were not read. None when what the store kept cannot be read back."""
    diagnostics = decode_findings(findings_of(store, held))
    if diagnostics is None:
        return None
    count = held.records
    if not records and type(count) is not int:  # a count to trust, or the copy is parsed
        return None
    parsed = _read_back(store, held, body, diagnostics, result.kind, records)
    if parsed is None:
        return None
    return _filled(held, result, parsed, body), None if records else count


def _filled(
    held: HeldRow, result: FetchResult, parsed: ParseResult, body: bytes | None
) -> FetchResult:
    """``result`` with the held copy: its parse, its body, its URL when the result has
    none, and the findings of how it was served (:func:`_served`)."""
    return attrs.evolve(
        result,
        parse_result=parsed,
        body=body,
        final_url=result.final_url or held.final_url or held.requested_url,
        fetch_diagnostics=(
            *result.fetch_diagnostics,
            *_served(held, result, (d.code for d in parsed.diagnostics)),
        ),
    )


def _served(held: HeldRow, result: FetchResult, codes: Iterable[str]) -> list[Diagnostic]:
    """The findings of how the held copy was served that its parse (the codes of its
    findings) and its stored Content-Type tell again: warnings only. The copy was taken as
    good, so an error here (a header the store lost, say) would contradict the store, and
    it would turn the fetch that confirmed the copy into a failed one."""
    from adstxt.fetch._checks import check_content_type, check_parsed

    url = held.final_url or held.requested_url
    found: list[Diagnostic] = []
    check_content_type(url, held.content_type, found)
    check_parsed(url, held.status, result.kind, codes, found)
    return [d for d in found if d.severity is not Severity.ERROR]


@attrs.frozen
class HeldTally:
    """What a crawl's line reports of the copy a 304 confirmed, counted from the file's
    held row: the copy's URL (as the restored result has it), its verdict, its records and
    variables, and the findings of the copy and of how it was served, by code, with how
    many of them are errors."""

    url: str
    verdict: str
    records: int
    variables: int
    codes: dict[str, int]
    errors: int


def tally_held(held: HeldRow, result: FetchResult, *, subdomains: bool) -> HeldTally | None:
    """The :class:`HeldTally` of the copy that ``result``, a 304, confirmed: what
    :func:`restore_held` would fill in without its records, counted rather than built (a
    re-crawl in which nothing changed reports every site this way). None when only the
    restore can tell: ``result`` confirmed no copy, what the store kept cannot be read back
    (the restore then parses the copy again), or the copy has ``SUBDOMAIN=`` lines whose
    files are fetched again (``subdomains``)."""
    if (
        result.status != 304
        or result.outcome != "ok"
        or result.final_url is None
        or type(held.records) is not int
    ):
        return None
    counted = held.counted
    if counted is DAMAGED or (counted is None and held.findings_deferred):
        return None
    tally = counted or tally_findings(held.findings)
    if tally is None:
        return None
    variables = _variables_of_row(held, counted)
    if variables is None or (
        subdomains and result.kind == "ads.txt" and any(v.name == "SUBDOMAIN" for v in variables)
    ):
        return None
    codes, errors = dict(tally.codes), tally.errors
    verdict = verdict_of_counts(codes, errors)
    errors += count_by_code(_served(held, result, codes), codes)
    return HeldTally(result.final_url, str(verdict), held.records, len(variables), codes, errors)


def _body_of(store: Store, held: HeldRow) -> bytes | None:
    """The held copy's body, from the row when it was read with it."""
    if held.data is not None:
        return decompress(held.data, held.compression)
    return store.body(held.sha256)


def _parsed_again(
    store: Store, held: HeldRow, result: FetchResult, body: bytes | None
) -> tuple[FetchResult, int | None]:
    """``result`` with the held copy checked again, as when it was served."""
    from adstxt.fetch._checks import check_body
    from adstxt.fetch._urls import host_of

    data = body if body is not None else store.body(held.sha256)
    if data is None:  # no body to check (it cannot be: a file's copy is one of them)
        return result, None
    url = held.final_url or held.requested_url
    # Its serving findings as :func:`_filled` tells them (warnings only), not as here.
    unused: list[Diagnostic] = []
    parsed = check_body(
        url, held.status, data, held.content_type, result.kind, unused, site=host_of(result.url)
    )
    return _filled(held, result, parsed, data), None


#: The records of the bodies met last, by SHA-256: a body's records never change, whichever
#: store holds it, and one body is often served by many sites (a hosting platform's default
#: file). Its variables are not among them: a store keeps those of the site that first
#: served the body, which another store may have met first with other variables.
_HELD: dict[str, tuple[Record, ...]] = {}
_HELD_MOST = 256


def _read_back(
    store: Store,
    row: HeldRow,
    body: bytes | None,
    diagnostics: tuple[Diagnostic, ...],
    kind: FileKind,
    with_records: bool,
) -> ParseResult | None:
    """The held copy's parse as the store kept it: its variables, its records when
    ``with_records``; None when they cannot be read back."""
    variables = _variables_of(store, row)
    if variables is None:
        return None
    records: tuple[Record, ...] = ()
    if with_records:
        key = row.sha256
        found = _HELD.get(key)
        if found is None:
            found = _records_of(store, row)
            if found is None:  # damaged, or not there: parse the copy instead
                return None
            if len(_HELD) >= _HELD_MOST:
                del _HELD[next(iter(_HELD))]  # the oldest
            _HELD[key] = found
        records = found
    return ParseResult(
        records=records,
        variables=variables,
        comments=(),
        diagnostics=diagnostics,
        kind=kind,
        encoding="utf-8",
        text="" if body is None else body.decode("utf-8", "replace"),
    )


#: The relationships by their stored text (a dict look-up: calling the enum costs more).
_RELATIONSHIPS: dict[str, Relationship] = {r.value: r for r in Relationship}


def _records_of(store: Store, row: HeldRow) -> tuple[Record, ...] | None:
    """The records stored for a body; None when one cannot be read back."""
    packed = store._rows("SELECT records FROM body_parsed WHERE body_id = ?", (row.body_id,))
    rows = record_rows(packed[0][0]) if packed else None
    if rows is None:
        return None
    records = []
    relationships = _RELATIONSHIPS
    for line, system, seller, relationship, certification, extension in rows:
        kind = relationships.get(relationship)
        if kind is None:  # not a record this adstxt reads
            return None
        records.append(_make_record(system, seller, kind, certification, extension, line))
    return tuple(records)


def _variables_of(store: Store, row: HeldRow) -> tuple[Variable, ...] | None:
    """The file's variables: its own when the store counted them apart from its body's,
    else those :func:`held_row` read with the copy, in line order, read again row by row
    when what it read is not as many as the body has; None when they cannot be read back."""
    counted = row.counted
    if counted is DAMAGED:
        return None
    variables = _variables_of_row(row, counted)
    if variables is not None:
        return variables
    variables = variable_rows(
        store._rows(
            "SELECT line, name, value FROM body_variables WHERE body_id = ? ORDER BY line",
            (row.body_id,),
        )
    )
    # As many as the body has (a missing SUBDOMAIN= line would lose the files it leads to).
    return variables if variables is not None and len(variables) == row.variables else None


def _variables_of_row(row: HeldRow, counted: Tally | None) -> tuple[Variable, ...] | None:
    """The file's variables as :func:`held_row` read them (``counted``: its
    :attr:`HeldRow.counted`, read), in line order: its own when the store counted them
    apart from its body's, else its body's; None when those are not as many as the body
    has (or cannot be read)."""
    if counted is not None and counted.variables is not None:
        return counted.variables
    if row.variables == 0:
        return ()
    found = row.variable_rows
    try:
        rows = json.loads(found) if isinstance(found, str) else found
    except ValueError:
        rows = None
    variables = variable_rows(rows)
    return variables if variables is not None and len(variables) == row.variables else None
