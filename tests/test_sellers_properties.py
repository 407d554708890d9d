"""Properties of the sellers.json reader: total on any input, and its fast paths agree.

* any bytes give diagnostics, never an exception, in memory and streamed;
* a seller the fast column pass clears has no issue under the precise checks;
* streaming a document in tiny chunks and batches reports what parsing it whole reports.
"""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import adstxt
from adstxt.sellers import iter_check, parse
from adstxt.sellers._bulk import suspects
from adstxt.sellers._fields import check_seller
from tests.property.strategies import SETTINGS


def _well_formed(diagnostics: list[adstxt.Diagnostic]) -> None:
    for d in diagnostics:
        assert d.code in adstxt.RULES
        assert d.severity is adstxt.RULES[d.code].severity
        assert d.message
        assert d.line >= 1 and 1 <= d.column <= d.end_column


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    result = parse(data)
    _well_formed(list(result.diagnostics))
    _well_formed(list(iter_check(io.BytesIO(data), chunk_size=16)))


_JSONISH = st.sampled_from(
    [
        b"{",
        b"}",
        b"[",
        b"]",
        b'"sellers"',
        b'"version"',
        b'"1.0"',
        b":",
        b",",
        b" ",
        b"\n",
        b'"seller_id"',
        b'"x"',
        b"1",
        b"null",
        b"\xff",
        b'"\\u00',
        b"\x00",
    ]
)


@SETTINGS
@given(st.lists(_JSONISH, max_size=40).map(b"".join))
def test_json_like_bytes(data: bytes) -> None:
    _well_formed(list(parse(data).diagnostics))
    _well_formed(list(iter_check(io.BytesIO(data), chunk_size=3)))


_STRINGS = st.sampled_from(
    [
        "1",
        "AbC",
        " 1",
        "1 ",
        "",
        "  ",
        "a.com",
        "www.a.com",
        "A.Com",
        "https://a.com/",
        "a",
        "-a.com",
        "a..com",
        "a.com.",
        "a_b.com",
        "é.com",
        "a.com\n",
        "x@a.com",
        "PUBLISHER",
        "publisher",
        "INTERMEDIARY",
        "BOTH",
        "RESELLER",
        "Name",
        "x" * 4100,
    ]
)
_VALUES = st.one_of(
    _STRINGS,
    st.integers(-1, 3),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
    st.text(max_size=6),
)
_KEYS = st.sampled_from(
    [
        "seller_id",
        "seller_type",
        "name",
        "domain",
        "is_confidential",
        "is_passthrough",
        "comment",
        "ext",
        "directness",
        "sellerid",
    ]
)
_CLEAN = st.builds(
    lambda i, kind, domain, confidential: (
        {"seller_id": i, "seller_type": kind, "is_confidential": 1}
        if confidential
        else {"seller_id": i, "seller_type": kind, "name": "N " + i, "domain": domain}
    ),
    st.sampled_from(["1", "2", "3", "x9"]),
    st.sampled_from(["PUBLISHER", "INTERMEDIARY", "BOTH"]),
    st.sampled_from(["a.com", "b.co.uk", "c-d.net"]),
    st.booleans(),
)
sellers = st.lists(
    st.one_of(_CLEAN, st.dictionaries(_KEYS, _VALUES, max_size=8), st.integers(0, 2)),
    max_size=12,
)


@SETTINGS
@given(sellers)
def test_cleared_sellers_have_no_issues(entries: list[Any]) -> None:
    marked = set(suspects(entries).suspects)
    for index, entry in enumerate(entries):
        if index not in marked:
            assert check_seller(entry, index) == [], entry


def _key(d: adstxt.Diagnostic) -> tuple[str, int, int, int, str | None]:
    return (d.code, d.line, d.column, d.end_column, d.pointer)


@SETTINGS
@given(sellers, st.sampled_from([None, 0, 2]), st.integers(1, 40), st.integers(1, 5))
def test_streaming_agrees_with_parsing(
    entries: list[Any], indent: int | None, chunk: int, batch: int
) -> None:
    data = json.dumps({"version": "1.0", "sellers": entries}, indent=indent).encode()
    whole = sorted(map(_key, parse(data).diagnostics))
    streamed = sorted(map(_key, iter_check(io.BytesIO(data), chunk_size=chunk, batch_size=batch)))
    assert streamed == whole
