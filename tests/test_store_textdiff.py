"""The unified diff of two stored bodies, decoded as the checker decodes them."""

from __future__ import annotations

import datetime as dt

from adstxt.store._textdiff import text_diff, version_label

OLD = b"# ads.txt\ngoogle.com, pub-1234567890123456, DIRECT\nappnexus.com, 1356, RESELLER\n"


def test_a_changed_line_is_shown_with_both_labels() -> None:
    new = OLD.replace(b"RESELLER", b"DIRECT")
    diff = text_diff(OLD, new, old_label="version 1", new_label="version 2")
    assert diff.splitlines() == [
        "--- version 1",
        "+++ version 2",
        "@@ -1,3 +1,3 @@",
        " # ads.txt",
        " google.com, pub-1234567890123456, DIRECT",
        "-appnexus.com, 1356, RESELLER",
        "+appnexus.com, 1356, DIRECT",
    ]


def test_equal_bodies_and_line_endings_alone_give_no_diff() -> None:
    assert text_diff(OLD, OLD, old_label="a", new_label="b") == ""
    assert text_diff(OLD, OLD.replace(b"\n", b"\r\n"), old_label="a", new_label="b") == ""


def test_bodies_are_decoded_as_the_checker_decodes_them() -> None:
    utf16 = OLD.decode().encode("utf-16")  # with its byte-order mark
    assert text_diff(OLD, utf16, old_label="a", new_label="b") == ""
    with_bom = b"\xef\xbb\xbf" + OLD
    assert text_diff(OLD, with_bom, old_label="a", new_label="b") == ""
    broken = OLD + b"x.com, \xff, DIRECT\n"
    assert text_diff(OLD, broken, old_label="a", new_label="b").endswith(
        "+x.com, \\udcff, DIRECT\n"
    )


def test_a_missing_side_diffs_against_nothing() -> None:
    diff = text_diff(None, b"a.com, 1, DIRECT\n", old_label="none", new_label="version 1")
    assert diff.splitlines()[2:] == ["@@ -0,0 +1 @@", "+a.com, 1, DIRECT"]
    gone = text_diff(OLD, None, old_label="version 3", new_label="none")
    assert gone.count("\n-") == 3


def test_context_lines_can_be_chosen() -> None:
    body = b"".join(b"s%d.com, %d, DIRECT\n" % (i, i) for i in range(20))
    new = body.replace(b"s10.com", b"t10.com")
    diff = text_diff(body, new, old_label="a", new_label="b", context=1)
    assert "@@ -10,3 +10,3 @@" in diff and "s8.com" not in diff


def test_version_labels_name_the_version_and_its_utc_time() -> None:
    at = dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert version_label("3", at) == "version 3 (2026-12-01T10:00:00Z)"
    assert version_label("3", at.replace(tzinfo=None)) == "version 3 (2026-12-01T11:00:00Z)"
    assert version_label("none", None) == "version none"
