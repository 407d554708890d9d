"""Whole files give the same results whichever path each line takes.

The line loop takes shortcuts: memoized line shapes, packed memory of sellers, replayed
outcomes for repeated lines. A reference engine that sends every line down the careful
path, one by one, must agree with it on every record, comment and diagnostic.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adstxt._decode import split_lines
from adstxt._engine import Engine
from adstxt.diagnostics import Diagnostic
from tests.property.strategies import SETTINGS

# Few distinct lines, so files repeat lines, sellers and shapes the way real files do.
_LINES = st.sampled_from(
    [
        "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0",
        "google.com, pub-1234567890123456, RESELLER, f08c47fec0942fa0",
        "google.com,pub-1234567890123456,DIRECT",
        "Google.com, pub-1234567890123456, DIRECT",
        "google.com, 1234, DIRECT",
        "appnexus.com, 1234, RESELLER, f5ab79cb980f11d1",
        "appnexus.com, 1234, RESELLER, F5AB79CB980F11D1",
        "appnexus.com, 1234, RESELLER, 0000000000000000",
        "appnexus.com, 1234, reseller",
        "appnexus.com, 1234, RESELER",
        "openx.com, ABC1, DIRECT # video",
        "openx.com, abc1, DIRECT",
        "openx.com, your-id, DIRECT",
        "openx.com, yourmedia123, DIRECT",
        "openx.com, 0000, DIRECT",
        "openx.com, pub-000, DIRECT",
        "google.com, pub-0000000000000000, DIRECT",
        "openx.com, 7, DIRECT",
        "openx.com, 7, DIRECT, 6a698e2ec38604c6; ext",
        "appnexus.com, 1234, RESELLER",
        "openx.com, 7, DIRECT; ext",
        "openx.com, 7, DIRECT, 6a698e2ec38604c6",
        "openx.com, 7, DIRECT, a698e2ec38604c6",
        "https://openx.com/, 7, DIRECT",
        "example.co.uk, 99, DIRECT, abcdefabcdefabcd",
        "example.co.uk, 99, DIRECT, 0123456789abcdef",
        "placeholder.example.com, placeholder, DIRECT, placeholder",
        "CONTACT=ads@example.com",
        "OWNERDOMAIN=example.com",
        "OWNERDOMAIN=other.com",
        "MANAGERDOMAIN = example.com",
        "FOO=bar",
        "# comment",
        "",
        "   ",
        "Our partners are listed below, and they are great",
        "a.com, 1",
        "\tappnexus.com,\t5,\tDIRECT",
        "appnexus.com\t5\tDIRECT",
    ]
)


def _careful(lines: list[str]) -> Engine:
    engine = Engine()
    engine._collect_head(lines)
    for number, text in enumerate(lines, start=1):
        if text:
            engine._careful_line(number, text, None)
    engine.line_count = len(lines)
    engine.finish()
    return engine


@SETTINGS
@given(st.lists(_LINES, max_size=40), st.integers(min_value=1, max_value=8))
def test_fast_paths_agree_with_careful_path(lines: list[str], batch: int) -> None:
    lines = split_lines("\n".join(lines))
    fast = Engine()
    for start in range(0, len(lines), batch):
        fast.feed(lines[start : start + batch])
    fast.finish()
    careful = _careful(lines)
    assert [(r, r.line) for r in fast.records] == [(r, r.line) for r in careful.records]
    assert fast.variables == careful.variables
    assert fast.comments == careful.comments
    assert _sorted(fast.diagnostics) == _sorted(careful.diagnostics)


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.line, d.column, d.code, d.message))
