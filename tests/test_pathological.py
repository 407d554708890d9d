"""Inputs built to make a checker slow or fragile finish and say something sensible.

No timing here (benchmarks/run.py shows that each scales linearly); these assert on what is
reported, so a checker that gives up, crashes or reports nonsense fails.
"""

from __future__ import annotations

import gc
import io
import weakref

import pytest

import adstxt
from adstxt import _api
from adstxt._engine import MAX_LINE


def codes(source: str | bytes) -> list[str]:
    return [d.code for d in adstxt.check(source)]


def test_hundred_thousand_commas_is_one_overlong_line() -> None:
    found = adstxt.check("a.com" + "," * 100_000)
    assert [d.code for d in found] == ["ADS012"]
    assert "100,005 characters" in found[0].message


def test_sixty_thousand_commas_is_one_too_many_fields_finding() -> None:
    [found] = adstxt.check("a.com, 1, DIRECT" + "," * 60_000)
    assert found.code == "ADS103"
    assert "found 60003" in found.message
    assert found.column == 19


def test_ten_megabyte_line_is_reported_not_parsed() -> None:
    text = "google.com, 1, DIRECT, " + "x" * 10_000_000 + "\nmgid.com, 749656, DIRECT\n"
    result = adstxt.parse(text)
    assert [(d.code, d.line) for d in result.diagnostics] == [("ADS012", 1)]
    assert [r.domain for r in result.records] == ["mgid.com"]


def test_ten_megabyte_line_streamed_in_small_chunks() -> None:
    data = b"x" * 10_000_000 + b"\nmgid.com, 749656, DIRECT\n"
    items = list(adstxt.iter_parse(io.BytesIO(data), chunk_size=1 << 16))
    assert [(i.code, i.line) for i in items if isinstance(i, adstxt.Diagnostic)] == [("ADS012", 1)]
    assert [i.line for i in items if isinstance(i, adstxt.Record)] == [2]


def test_ten_thousand_hashes_are_a_comment() -> None:
    result = adstxt.parse("#" * 10_000 + "\nmgid.com, 749656, DIRECT # " + "#" * 10_000)
    assert result.ok and not result.diagnostics
    assert [c.line for c in result.comments] == [1, 2]
    assert result.comments[0].text == "#" * 9_999


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CONTACT" + "=" * 50_000, ["ADS006"]),  # a variable whose value is all '='
        ("=" * 50_000, ["ADS101"]),
        ("a.com, 1, DIRECT;" + ";" * 50_000, []),  # an extension may hold anything
        ("." * 50_000 + "com, 1, DIRECT", ["ADS201"]),
        (" ".join(["word"] * 10_000), ["ADS101"]),
        ("a.com, 1, DIRECT" + "b.com, 1, DIRECT" * 3_000, ["ADS103"]),
        ("a.com\t1\tDIRECT" + "\t" * 50_000, ["ADS105"]),
    ],
)
def test_long_repetitive_lines(line: str, expected: list[str]) -> None:
    assert codes(line) == expected


def test_character_reports_are_capped_per_line() -> None:
    found = adstxt.check("a.com,\u00a01, DIRECT" + "\u00a0" * 50_000)
    assert [d.code for d in found] == ["ADS010"] * 21
    assert "49981 more characters" in found[0].message


def test_control_characters_fill_a_line() -> None:
    found = codes("\x00" * 50_000)
    assert found.count("ADS007") == 21
    assert found[0] == "ADS004"  # binary data, not an ads.txt file


def test_invalid_bytes_are_counted_once() -> None:
    found = adstxt.check(b"a.com, 1, DIRECT\n" + b"\xff" * 50_000)
    assert [(d.code, d.line) for d in found] == [("ADS001", 2), ("ADS102", 2)]
    assert "byte offset 17" in found[0].message
    assert "49999 more on this line" in found[0].message


def test_a_record_repeated_fifty_thousand_times() -> None:
    found = adstxt.check("a.com, 1, DIRECT\n" * 50_000)
    assert len(found) == 49_999
    assert {(d.code, d.message) for d in found} == {("ADS401", "This record repeats line 1")}
    assert [d.line for d in found] == list(range(2, 50_001))


def test_a_million_blank_lines() -> None:
    assert codes("\n" * 1_000_000) == ["ADS005"]
    assert codes("\r" * 1_000_000) == ["ADS005"]


def test_many_distinct_sellers_streamed_with_bounded_memory() -> None:
    # Account IDs from 1: an all-zero ID is a placeholder (ADS216).
    lines = [f"a.com, {n}, DIRECT" for n in range(1, 20_001)] + ["a.com, 7, RESELLER"]
    data = ("\n".join(lines) + "\n").encode()
    streamed = list(adstxt.iter_parse(io.BytesIO(data), records=False, chunk_size=4096))
    assert [(d.code, d.line) for d in streamed] == [("ADS403", 20_001)]
    assert adstxt.check(data) == tuple(streamed)


def test_overlong_line_limit_is_what_the_engine_says() -> None:
    assert codes("a" * MAX_LINE) == ["ADS102"]
    assert codes("a" * (MAX_LINE + 1)) == ["ADS012"]


def test_seller_memory_bound() -> None:
    # Past its bound an engine remembers sellers in its compact memory (see
    # tests/test_seller_table.py), so it reports what an unbounded engine does.
    from adstxt._engine import Engine

    engine = Engine(keep_records=False, max_sellers=10)
    engine.feed([f"a.com, {n}, DIRECT" for n in range(1, 11)])
    engine.feed([f"a.com, {n}, DIRECT" for n in range(11, 21)])
    engine.feed(["a.com, 3, RESELLER", "a.com, 15, RESELLER"])
    engine.finish()
    assert engine._remembered_count() <= 10 + 10
    assert [(d.code, d.line) for d in engine.diagnostics] == [("ADS403", 21), ("ADS403", 22)]
    unbounded = Engine(keep_records=False)
    unbounded.feed([f"a.com, {n}, DIRECT" for n in range(1, 21)])
    unbounded.feed(["a.com, 3, RESELLER", "a.com, 15, RESELLER"])
    assert [(d.code, d.line) for d in unbounded.diagnostics] == [("ADS403", 21), ("ADS403", 22)]


def test_memory_bound_covers_ad_systems_and_variables() -> None:
    from adstxt._engine import Engine

    engine = Engine(keep_records=False, max_sellers=100)
    for start in range(0, 6_000, 1_000):
        engine.feed(
            [f"d{n}.com, , DIRECT, 0123456789abcdef" for n in range(start, start + 500)]
            + [f"d{n}.com, 1, DIRECT, 0123456789abcdef" for n in range(start + 500, start + 1_000)]
            + [f"CONTACT=ops{n}@example.com" for n in range(start, start + 1_000)]
        )
    engine.finish()
    # The bound, overshot by at most one batch; the first certification ID of each ad system
    # is kept past it (ADS404 needs its text), for up to 100,000 ad systems.
    assert engine._remembered_count() - len(engine._first_cert) <= 100 + 2_000
    assert len(engine._first_cert) == 3_000
    assert engine.record_count == 3_000
    assert [d.code for d in engine.diagnostics] == ["ADS104"] * 3_000


def test_collector_state_is_restored() -> None:
    assert gc.isenabled()
    adstxt.parse("a.com, 1, DIRECT\n" * 1_000)
    adstxt.check(b"\xff" * 1_000)
    assert gc.isenabled()
    gc.disable()
    try:
        adstxt.parse("a.com, 1, DIRECT\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Node:
    """A container that can be part of a reference cycle (and of a weak reference)."""

    def __init__(self) -> None:
        self.other: object = None


def _young_cycle() -> weakref.ref[_Node]:
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    return weakref.ref(first)


def test_a_large_check_leaves_the_callers_garbage_to_the_collector() -> None:
    # A large source's records join the oldest generation without a traversal; first the
    # young generations, where the caller's recent objects are, are collected as usual.
    source = "openx.com, 1, DIRECT\n" * 60_000
    assert len(source) >= _api._LARGE_SOURCE
    for function in (adstxt.parse, adstxt.check):
        gc.collect()
        garbage = _young_cycle()
        assert garbage() is not None  # unreachable, not collected yet
        result = function(source)
        assert garbage() is None, function  # collected, not delayed
        assert gc.isenabled() and gc.get_freeze_count() == 0
        # Garbage made afterwards is collected as ever.
        later = _young_cycle()
        gc.collect(0)
        assert later() is None
        del result
    records = adstxt.parse(source).records
    assert any(item is records[0] for item in gc.get_objects(generation=2))
    assert not any(item is records[0] for item in gc.get_objects(generation=0))


def test_a_large_check_leaves_frozen_objects_frozen() -> None:
    kept = _Node()
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        adstxt.parse("openx.com, 1, DIRECT\n" * 60_000)
        assert gc.get_freeze_count() == frozen
        assert gc.is_tracked(kept)
    finally:
        gc.unfreeze()
    assert gc.isenabled()
