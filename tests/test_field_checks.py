"""Field checks that must not mistake real values for mistakes, nor mistakes for values:
template text, quotes of every style, all-zero IDs, markup in comments, and which of two
near-duplicate records a fix keeps."""

from __future__ import annotations

import pytest

import adstxt
from adstxt import Relationship, apply_fixes

GOOD = "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"


def codes(text: str) -> list[str]:
    return [d.code for d in adstxt.parse(text).diagnostics]


def accounts(text: str) -> list[str]:
    return [r.account_id for r in adstxt.parse(text).records]


# ---- what is sniffed as HTML ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "# </p>\n" + GOOD,
        GOOD.rstrip("\n") + " # see <html> docs\n",
        "# <!DOCTYPE html>\n# <html><body>\n" + GOOD,
        # An extension is free-form: markup there does not make the file a web page.
        "google.com, pub-1234567890123456, DIRECT; </p>\n",
    ],
)
def test_markup_outside_the_read_content_is_not_a_web_page(text: str) -> None:
    result = adstxt.parse(text)
    assert result.diagnostics == ()
    assert len(result.records) == 1


def test_a_web_page_is_still_one() -> None:
    text = "<!DOCTYPE html>\n<html><body>Not found</body></html>\n" + GOOD
    [d] = [d for d in adstxt.parse(text).diagnostics if d.code == "ADS004"]
    assert "HTML page" in d.message
    assert "2 of 3 non-comment lines are neither records nor variables" in d.message


def test_a_web_page_after_comment_lines_is_still_one() -> None:
    text = "# served by a proxy\n" * 300 + "<html><body>Not found</body></html>\n"
    assert "ADS004" in codes(text)


def test_the_not_ads_txt_message_never_contradicts_itself() -> None:
    # A binary file whose characters all neutralize to blanks has no non-comment line.
    [d] = [d for d in adstxt.parse("\x00" * 16 + "\n").diagnostics if d.code == "ADS004"]
    assert d.message == "This file looks like binary data, not an ads.txt file"


# ---- template text is whole words -------------------------------------------------------


@pytest.mark.parametrize(
    "account", ["yourmedia123", "inserted-1", "replaced", "Replacement7", "xxx", "accountant"]
)
def test_ids_that_hold_a_template_word_inside_a_word_are_ids(account: str) -> None:
    text = f"openx.com, {account}, DIRECT\n"
    assert codes(text) == []
    assert accounts(text) == [account]


@pytest.mark.parametrize(
    "account",
    [
        "INSERT_PUBLISHER_ID",
        "your_id",
        "YOURID",
        "YourPublisherId",
        "pub-XXXXXXXXXXXXXXXX",
        "replace-me",
        "replaceme",
        "placeholder",
        "Publisher-ID",
        "{{account_id}}",
        "[yourVunglePublisherAccountID]",
        "[yourironSourcePublisherAccountID]",
        "pub-<your-publisher-id>",
    ],
)
def test_template_text_is_still_template_text(account: str) -> None:
    text = f"openx.com, {account}, DIRECT\n"
    assert codes(text) == ["ADS216"]
    assert accounts(text) == []


@pytest.mark.parametrize(
    ("account", "bare", "what"),
    [
        ("<148395>", "148395", "angle brackets"),
        ("[148395]", "148395", "square brackets"),
        ("{AbC-1}", "AbC-1", "braces"),
    ],
)
def test_an_id_in_brackets_is_a_real_id_with_a_fix(account: str, bare: str, what: str) -> None:
    text = f"openx.com, {account}, DIRECT\n"
    [d] = adstxt.parse(text).diagnostics
    assert d.code == "ADS215"
    assert d.message == f"The account ID '{account}' is wrapped in {what}; write it bare"
    assert d.fix is not None and d.fix.replacement == bare and not d.fix.safe
    fixed = apply_fixes(text.encode(), unsafe=True)
    assert fixed.data == f"openx.com, {bare}, DIRECT\n".encode()


# ---- all-zero account IDs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "account"),
    [
        ("google.com", "pub-0000000000000000"),
        ("openx.com", "0"),
        ("openx.com", "0000000"),
        ("openx.com", "pub-0000"),
        ("openx.com", "PUB-000"),
        ("openx.com", "000-000"),
    ],
)
def test_an_all_zero_account_id_is_a_placeholder(domain: str, account: str) -> None:
    text = f"{domain}, {account}, DIRECT\n{GOOD}"
    [d] = adstxt.parse(text).diagnostics
    assert (d.code, d.line) == ("ADS216", 1)
    assert "all zeros" in d.message
    assert [r.line for r in adstxt.parse(text).records] == [2]


@pytest.mark.parametrize("account", ["10", "1000", "pub-1000000000000000", "0x0a"])
def test_ids_with_a_nonzero_digit_are_ids(account: str) -> None:
    assert codes(f"openx.com, {account}, DIRECT\n") == []


# ---- quotation marks of every style -----------------------------------------------------

QUOTE_PAIRS = [
    ('"', '"'),
    ("'", "'"),
    ("\u201c", "\u201d"),
    ("\u2018", "\u2019"),
    ("\u201e", "\u201c"),
    ("\u00ab", "\u00bb"),
    ("\u2039", "\u203a"),
    ("\uff02", "\uff02"),
    ("\u300c", "\u300d"),
    ("\u2033", "\u2033"),
    ("`", "`"),
]


@pytest.mark.parametrize(("open_", "close"), QUOTE_PAIRS)
def test_a_quoted_account_id_is_an_error_in_every_quote_style(open_: str, close: str) -> None:
    text = f"appnexus.com, {open_}456{close}, DIRECT\n{GOOD}"
    result = adstxt.parse(text)
    [d] = result.diagnostics
    assert d.code == "ADS215"
    assert "wrapped in quotes" in d.message
    assert d.fix is not None and d.fix.replacement == "456"
    assert [r.line for r in result.records] == [2]


@pytest.mark.parametrize(("open_", "close"), QUOTE_PAIRS)
def test_quotes_in_every_field_are_reported_alike(open_: str, close: str) -> None:
    def q(value: str) -> str:
        return f"{open_}{value}{close}"

    cases = {
        f"{q('appnexus.com')}, 456, DIRECT\n": ("ADS201", "appnexus.com", False),
        f"appnexus.com, 456, {q('DIRECT')}\n": ("ADS210", "DIRECT", False),
        f"appnexus.com, 456, DIRECT, {q('f5ab79cb980f11d1')}\n": (
            "ADS220",
            "f5ab79cb980f11d1",
            True,
        ),
    }
    for text, (code, bare, kept) in cases.items():
        result = adstxt.parse(text)
        [d] = result.diagnostics
        assert d.code == code, text
        assert d.fix is not None and d.fix.replacement == bare, text
        assert bool(result.records) is kept, text


def test_a_quote_inside_an_account_id_is_an_error_in_any_style() -> None:
    for mark in ('"', "\u201d", "\u00bb"):
        [d] = adstxt.parse(f"appnexus.com, 45{mark}6, DIRECT\n").diagnostics
        assert d.code == "ADS215" and d.fix is None
        assert "quotation marks" in d.message


def test_quotes_in_comments_and_extensions_are_not_findings() -> None:
    text = "appnexus.com, 456, DIRECT; \u201cvideo\u201d # the \u201cmain\u201d one\n"
    assert codes(text) == []


def test_a_placeholder_record_keeps_its_relationship() -> None:
    result = adstxt.parse("placeholder.example.com, placeholder, RESELLER, placeholder\n")
    assert [d.code for d in result.diagnostics] == ["ADS407"]
    [record] = result.records
    assert record.relationship is Relationship.RESELLER


# ---- which of two near-duplicates the fix keeps -----------------------------------------

BARE = "google.com, pub-1234567890123456, DIRECT\n"
WITH_CERT = GOOD
WITH_EXT = "google.com, pub-1234567890123456, DIRECT; video\n"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (BARE + WITH_CERT, WITH_CERT),
        (WITH_CERT + BARE, WITH_CERT),
        (BARE + WITH_EXT, WITH_EXT),
        (WITH_EXT + BARE, WITH_EXT),
        (BARE + "Google.com, pub-1234567890123456, direct\n", BARE),
        (
            "google.com, pub-1234567890123456, direct, f08c47fec0942fa0\n" + BARE,
            "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n",
        ),
        (BARE + WITH_CERT + WITH_CERT + BARE, WITH_CERT),
    ],
)
def test_the_duplicate_fix_keeps_the_fuller_record(text: str, kept: str) -> None:
    assert "ADS402" in codes(text)
    fixed = apply_fixes(text.encode(), unsafe=True)
    assert fixed.data.decode() == kept


def test_the_duplicate_fix_deletes_the_earlier_line_when_the_later_says_more() -> None:
    [d] = adstxt.parse(BARE + WITH_CERT).diagnostics
    assert (d.code, d.line) == ("ADS402", 2)
    assert d.message == (
        "This record repeats line 1; only the presence of the certification ID differs"
    )
    assert d.fix is not None and (d.fix.line, d.fix.end_line) == (1, 2)
    assert d.fix.description == "delete line 1, which this record completes"


def test_near_duplicates_that_each_add_something_get_no_fix() -> None:
    for text in (WITH_CERT + WITH_EXT, WITH_EXT + WITH_EXT.replace("video", "audio")):
        [d] = adstxt.parse(text).diagnostics
        assert d.code == "ADS402" and d.fix is None, text
        assert d.hint == "each line has something the other lacks: merge them into one"


def test_an_exact_repeat_with_an_extension_is_an_exact_repeat() -> None:
    [d] = adstxt.parse(WITH_EXT + WITH_EXT).diagnostics
    assert d.code == "ADS401"


def test_near_duplicate_is_selected_by_its_name() -> None:
    text = BARE + WITH_CERT
    selected = adstxt.Settings(select=("near-duplicate-record",))
    assert [d.code for d in adstxt.lint(text, settings=selected)] == ["ADS402"]
