"""``--fix``, ``--diff`` and :func:`adstxt.apply_fixes`: safe edits that lose nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import adstxt
from tests.cli import run

MESSY = (
    b"# partners\r\n"
    b"\r\n"
    b"https://google.com/, pub-1234567890123456, direct, f08c47fec0942fa0\r\n"
    b"this line is not a record\r\n"
    b"mgid.com\t749656\tDIRECT\r\n"
    b"openx.com, 537120563, RESELLER, 6A698E2EC38604C6\r\n"
    b"openx.com, 537120563, RESELLER, 6A698E2EC38604C6\r\n"
    b"pubmatic.com\xef\xbc\x8c 156439, RESELLER\r\n"
    b"CONTACT = ads@example.com\r\n"
    b"# end"
)
FIXED = (
    b"# partners\r\n"
    b"\r\n"
    b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\r\n"
    b"this line is not a record\r\n"
    b"mgid.com, 749656, DIRECT\r\n"
    b"openx.com, 537120563, RESELLER, 6a698e2ec38604c6\r\n"
    b"pubmatic.com, 156439, RESELLER\r\n"
    b"CONTACT=ads@example.com\r\n"
    b"# end"
)


def test_safe_fixes_keep_comments_unknown_lines_and_crlf() -> None:
    result = adstxt.apply_fixes(MESSY)
    assert result.data == FIXED
    assert result.changed
    assert {d.code for d in result.applied} >= {
        "ADS201",
        "ADS211",
        "ADS105",
        "ADS221",
        "ADS401",
        "ADS009",
        "ADS303",
    }
    again = adstxt.apply_fixes(result.data)
    assert not again.changed and again.data == result.data


def test_unsafe_fixes_only_when_asked() -> None:
    data = b"mgid.com, 749656, DIRCT\n"
    assert not adstxt.apply_fixes(data).changed
    assert adstxt.apply_fixes(data, unsafe=True).data == b"mgid.com, 749656, DIRECT\n"


def test_encoding_fixes() -> None:
    bom = b"\xef\xbb\xbf" + b"mgid.com, 749656, DIRECT\n"
    assert adstxt.apply_fixes(bom).data == b"mgid.com, 749656, DIRECT\n"
    utf16 = "\ufeffmgid.com, 749656, DIRECT\r\n".encode("utf-16-le")
    assert adstxt.apply_fixes(utf16).data == b"mgid.com, 749656, DIRECT\r\n"


def test_invalid_utf8_bytes_are_carried_through() -> None:
    data = b"# Caf\xe9\nmgid.com, 749656, direct\n"
    assert adstxt.apply_fixes(data).data == b"# Caf\xe9\nmgid.com, 749656, DIRECT\n"


def test_damaged_utf16_is_not_rewritten() -> None:
    data = "\ufeffmgid.com, 1, direct\n".encode("utf-16-le") + b"\x00\xd8"
    result = adstxt.apply_fixes(data)
    assert result.data == data and not result.changed
    assert result.refused is not None and "UTF-16" in result.refused
    (encoding,) = [d for d in adstxt.lint(data) if d.code == "ADS003"]
    assert encoding.fix is None and "damaged" in encoding.message


def test_ignored_and_suppressed_findings_are_not_fixed() -> None:
    ignoring = adstxt.Settings(ignore=("ADS211",))
    assert not adstxt.apply_fixes(b"mgid.com, 749656, direct\n", settings=ignoring).changed
    data = b"mgid.com, 749656, direct\nopenx.com, 1, reseller # noqa: ADS211\n"
    assert adstxt.apply_fixes(data).data == (
        b"mgid.com, 749656, DIRECT\nopenx.com, 1, reseller # noqa: ADS211\n"
    )


def test_unused_suppression_is_removed_by_the_fix() -> None:
    data = b"mgid.com, 749656, DIRECT # noqa: ADS210\n# noqa\nopenx.com, 1, DIRECT\n"
    assert adstxt.apply_fixes(data).data == b"mgid.com, 749656, DIRECT\nopenx.com, 1, DIRECT\n"


def test_a_suppression_is_judged_only_after_the_other_fixes() -> None:
    # Line 3 is a case variant of line 2 until the case fix makes it an exact duplicate,
    # which the file-level suppression then silences: nothing is deleted.
    data = b"# adstxt: noqa: ADS401\nappnexus.com, 1240, reseller\nappnexus.com, 1240, RESELLER\n"
    fixed = adstxt.apply_fixes(data).data
    assert fixed == data.replace(b"reseller", b"RESELLER")


def test_a_safe_fix_never_deletes_a_comment() -> None:
    data = b"appnexus.com, 2, RESELLER\nappnexus.com, 2, RESELLER # keep\n"
    (duplicate,) = [d for d in adstxt.lint(data) if d.code == "ADS401"]
    assert duplicate.fix is not None and not duplicate.fix.safe
    assert not adstxt.apply_fixes(data).changed
    assert adstxt.apply_fixes(data, unsafe=True).data == b"appnexus.com, 2, RESELLER\n"
    extended = b"appnexus.com, 2, RESELLER\nappnexus.com, 2, RESELLER;ext=abc\n"
    assert not adstxt.apply_fixes(extended).changed
    plain = b"appnexus.com, 2, RESELLER\nappnexus.com, 2, RESELLER\n"
    assert adstxt.apply_fixes(plain).data == b"appnexus.com, 2, RESELLER\n"


def test_cli_fix_writes_atomically_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(MESSY)
    path.chmod(0o640)
    result = run("--fix", str(path))
    assert result.returncode == 1, result.stderr
    assert path.read_bytes() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "fixed" in result.stdout.splitlines()[-1]
    assert [p.name for p in tmp_path.iterdir()] == ["ads.txt"]
    second = run("--fix", str(path))
    assert second.returncode == 1  # the unknown line is still an error
    assert path.read_bytes() == FIXED
    clean = tmp_path / "clean" / "ads.txt"
    clean.parent.mkdir()
    clean.write_bytes(b"mgid.com, 749656, direct\n")
    assert run("--fix", str(clean)).returncode == 1
    assert run("--fix", str(clean)).returncode == 0


def test_cli_diff_shows_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(MESSY)
    result = run("--diff", str(path))
    assert result.returncode == 1
    assert path.read_bytes() == MESSY
    assert (
        "-https://google.com/, pub-1234567890123456, direct, f08c47fec0942fa0\r\n" in result.stdout
    )
    assert "+google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\r\n" in result.stdout
    assert "fixes would be applied to 1 file." in result.stderr
    unsafe = run("--diff", "--unsafe-fixes", "-", stdin=b"mgid.com, 749656, DIRCT\n")
    assert "+mgid.com, 749656, DIRECT" in unsafe.stdout


def test_cli_fix_on_standard_input_writes_the_result_to_stdout() -> None:
    result = run("--fix", "-", stdin=b"mgid.com, 749656, direct\n")
    assert result.stdout == "mgid.com, 749656, DIRECT\n"
    assert "Checked 1 file" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_cli_fix_through_a_symlink_says_so(tmp_path: Path) -> None:
    target = tmp_path / "real-ads.txt"
    target.write_bytes(b"mgid.com, 749656, direct\n")
    link = tmp_path / "ads.txt"
    link.symlink_to(target)
    result = run("--fix", str(link))
    assert link.is_symlink()
    assert target.read_bytes() == b"mgid.com, 749656, DIRECT\n"
    assert "is a symbolic link" in result.stderr


def test_cli_diff_is_a_patch_that_keeps_tabs_and_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(
        b"\xef\xbb\xbf# a\tcomment\r\nmgid.com, 749656, direct\r\nx.com,\xc2\xa01, DIRECT"
    )
    diff = run("--diff", str(path))
    assert diff.stdout.startswith(
        f"--- {path}\t(UTF-8 with a byte-order mark)\n+++ {path}\t(UTF-8)\n"
    )
    assert " # a\tcomment\r\n" in diff.stdout
    assert "\n-mgid.com, 749656, direct\r\n" in diff.stdout
    assert "\n+mgid.com, 749656, DIRECT\r\n" in diff.stdout
    assert "-x.com,\\u00a01, DIRECT\n\\ No newline at end of file\n" in diff.stdout
    assert "3 fixes would be applied to 1 file." in diff.stderr
    clean = tmp_path / "clean.txt"
    clean.write_bytes(b"mgid.com, 749656, DIRECT\n")
    nothing = run("--diff", str(clean))
    assert nothing.returncode == 0 and nothing.stdout == ""
    assert "No fixes to apply." in nothing.stderr


def test_every_repeat_of_a_character_is_fixed_not_only_the_reported_ones() -> None:
    line = "a.com,\u00a01, DIRECT" + "\u00a0" * 500 + " # note\u00a0\u00a0"
    reported = [d for d in adstxt.lint(line) if d.code == "ADS010"]
    assert len(reported) < 500  # the checker reports a few per line
    fixed = adstxt.apply_fixes(line.encode())
    assert fixed.data == ("a.com, 1, DIRECT" + " " * 500 + " # note  ").encode()
    assert not adstxt.apply_fixes(fixed.data).changed


def test_a_url_with_its_default_port_is_reduced_to_the_domain() -> None:
    data = b"https://google.com:443/, pub-1234567890123456, DIRECT\n"
    assert adstxt.apply_fixes(data).data == b"google.com, pub-1234567890123456, DIRECT\n"
    other_port = b"https://google.com:8080/, pub-1234567890123456, DIRECT\n"
    assert not adstxt.apply_fixes(other_port).changed
