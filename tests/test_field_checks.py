"""Field checks that must not mistake real values for mistakes, nor mistakes for values:
template text, quotes of every style, all-zero IDs, markup in comments, and which of two
near-duplicate records a fix keeps."""

from __future__ import annotations

import pytest

import adstxt
from adstxt import Relationship

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
