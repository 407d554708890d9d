"""Template text in brackets or macro syntax is not an ID to unwrap, and real IDs stay IDs."""

from __future__ import annotations

import pytest

import adstxt
from adstxt import apply_fixes


@pytest.mark.parametrize(
    "account",
    [
        "<pubid>",
        "[pub-id]",
        "{{pubid}}",
        "<id>",
        "[ID]",
        "{publisher}",
        "<Publisher_ID>",
        "%%PUBID%%",
        "${PUBLISHER_ID}",
        "{{ account_id }}",
    ],
)
def test_a_field_name_in_brackets_or_a_macro_is_template_text(account: str) -> None:
    text = f"openx.com, {account}, DIRECT\n"
    result = adstxt.parse(text)
    assert [d.code for d in result.diagnostics] == ["ADS216"], result.diagnostics
    assert result.records == ()
    # No fix turns '<pubid>' into the "ID" 'pubid'.
    assert apply_fixes(text.encode(), unsafe=True).data == text.encode()


@pytest.mark.parametrize("account", ["<148395>", "[abc123]", "{AbC-1}", "<pub7>", "50%"])
def test_real_ids_in_brackets_are_not_template_text(account: str) -> None:
    codes = [d.code for d in adstxt.parse(f"openx.com, {account}, DIRECT\n").diagnostics]
    assert "ADS216" not in codes
