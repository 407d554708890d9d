"""Any input at all gives diagnostics, never an exception; diagnostics point inside lines."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

import adstxt
from tests.property.strategies import SETTINGS, adstxt_like_text, lines_of


def _assert_well_formed(result: adstxt.ParseResult) -> None:
    lines = lines_of(result)
    for d in result.diagnostics:
        assert d.code in adstxt.RULES
        rule = adstxt.RULES[d.code]
        assert d.severity in (rule.severity, rule.weak_severity)
        assert d.message
        text = lines.get(d.line, "")
        assert 1 <= d.line <= max(1, len(lines))
        assert 1 <= d.column <= d.end_column <= len(text) + 1, (d, text)
        if d.fix is not None:
            assert d.fix.line <= d.fix.end_line
    assert list(result.diagnostics) == sorted(result.diagnostics, key=adstxt.Diagnostic.sort_key)
    errors_on = {d.line for d in result.diagnostics if d.severity is adstxt.Severity.ERROR}
    assert not errors_on & {r.line for r in result.records}
    result.text.encode("utf-8")  # no lone surrogates leak out


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    _assert_well_formed(adstxt.parse(data))


@SETTINGS
@given(adstxt_like_text)
def test_adstxt_like_text(text: str) -> None:
    _assert_well_formed(adstxt.parse(text))
    _assert_well_formed(adstxt.parse(text.encode("utf-8", "surrogatepass")))


@SETTINGS
@given(adstxt_like_text, st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig", "latin-1"]))
def test_any_encoding(text: str, encoding: str) -> None:
    data = text.encode(encoding, "replace")
    _assert_well_formed(adstxt.parse(data, filename="app-ads.txt"))


@SETTINGS
@given(adstxt_like_text, st.integers(min_value=1, max_value=64))
def test_streaming_agrees_with_parse(text: str, chunk: int) -> None:
    data = text.encode("utf-8", "surrogatepass")
    expected = adstxt.parse(data)
    items = list(adstxt.iter_parse(io.BytesIO(data), chunk_size=chunk))
    records = [i for i in items if isinstance(i, adstxt.Record)]
    diagnostics = sorted(
        (i for i in items if isinstance(i, adstxt.Diagnostic)), key=adstxt.Diagnostic.sort_key
    )
    assert records == list(expected.records)
    assert diagnostics == list(expected.diagnostics)


@SETTINGS
@given(adstxt_like_text)
def test_check_agrees_with_parse(text: str) -> None:
    assert adstxt.check(text) == adstxt.parse(text).diagnostics
