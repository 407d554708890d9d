"""Fixing is a fixpoint: a second ``--fix`` changes nothing, and no line is ever lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import adstxt
from adstxt._decode import decode, split_lines
from tests.property.strategies import SETTINGS, adstxt_like_text

_UNSAFE_FIELDS = st.sampled_from(
    [
        "https://Google.com/",
        "DIRCT",
        "Reseller",
        "F08C47FEC0942FA0",
        "\t",
        "\uff0c",
        " = ",
        "mgid.com, 1, DIRECT",
        "\n",
        "# noqa",
        "# noqa: ADS211",
        "# adstxt: noqa: ADS401",
    ]
)
texts = st.one_of(
    adstxt_like_text,
    st.lists(st.one_of(adstxt_like_text, _UNSAFE_FIELDS), max_size=30).map("".join),
)


@SETTINGS
@given(texts, st.booleans(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_fixing_twice_changes_nothing(text: str, unsafe: bool, encoding: str) -> None:
    data = text.encode(encoding, "surrogatepass" if encoding != "utf-16" else "replace")
    once = adstxt.apply_fixes(data, unsafe=unsafe)
    twice = adstxt.apply_fixes(once.data, unsafe=unsafe)
    assert twice.data == once.data
    assert not twice.changed
    if once.changed:
        assert once.applied


@SETTINGS
@given(texts)
def test_safe_fixes_keep_comment_and_unusable_lines(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    fixed = adstxt.apply_fixes(data)
    before = split_lines(decode(data).text)
    after = split_lines(decode(fixed.data).text.removeprefix("\ufeff"))
    # A safe fix edits within a line or deletes an exact duplicate record; it never adds
    # lines, so every comment line that had nothing to fix comes through as it was.
    assert len(after) <= len(before)
    untouched = [
        line
        for line in before
        if line.startswith("#")
        and "noqa" not in line.lower()
        and line.isascii()
        and line.isprintable()
    ]
    for line in untouched:
        assert line in after
