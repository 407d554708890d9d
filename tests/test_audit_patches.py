"""Forward-audit patches applied with the real ``git apply`` and ``patch``: files whose bytes
are not plain UTF-8 text, repeated expected lines, and variables a file may declare once."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli import adstxt as run

TOOLS = ["git", "patch"]

EXPECTED = "a.com, 1, DIRECT\nb.com, 2, RESELLER\n"
#: Files whose bytes a patch must match exactly: what the lines were rebuilt from the
#: decoded text would break.
AWKWARD = {
    "bom.com": b"\xef\xbb\xbfa.com, 1, DIRECT\n",
    "latin.com": b"# caf\xe9\na.com, 1, DIRECT\n",
    "crlf.com": b"a.com, 1, DIRECT\r\n# end\r\n",
    "all.com": b"\xef\xbb\xbf# caf\xe9\r\na.com, 1, DIRECT",
    "long.com": b"\xef\xbb\xbf# caf\xe9\na.com, 1, DIRECT\n"
    + b"".join(b"x%d.com, 9, DIRECT\n" % n for n in range(6)),
}


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")


def _apply(tool: str, patch: Path, directory: Path) -> subprocess.CompletedProcess[str]:
    """Apply a patch strictly: no fuzz, no zero-context leniency."""
    command = (
        ["git", "apply", "--verbose", str(patch)]
        if tool == "git"
        else ["patch", "-p1", "--fuzz=0", "-i", str(patch)]
    )
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fuzz" not in (done.stdout + done.stderr).lower()
    return done


def _mirror(tmp_path: Path, files: dict[str, bytes]) -> Path:
    mirror = tmp_path / "mirror"
    for host, data in files.items():
        (mirror / host).mkdir(parents=True)
        (mirror / host / "ads.txt").write_bytes(data)
    return mirror


def _audit(
    tmp_path: Path, mirror: Path, expected: str, hosts: list[str], *extra: str
) -> tuple[int, str, str]:
    expect = tmp_path / "expected.txt"
    expect.write_text(expected)
    publishers = tmp_path / "publishers.txt"
    publishers.write_text("".join(f"{host}\n" for host in hosts))
    done = run("audit", "--expect", str(expect), "--source", str(mirror), str(publishers), *extra)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("tool", TOOLS)
def test_patches_apply_exactly_to_files_with_a_bom_other_bytes_crlf_or_no_final_newline(
    tmp_path: Path, tool: str
) -> None:
    _need(tool)
    mirror = _mirror(tmp_path, AWKWARD)
    patches = tmp_path / "patches"
    status, out, err = _audit(tmp_path, mirror, EXPECTED, list(AWKWARD), "--patches", str(patches))
    assert status == 1, out + err
    for host, data in AWKWARD.items():
        _apply(tool, patches / f"{host}.patch", mirror / host)
        patched = (mirror / host / "ads.txt").read_bytes()
        ending = b"\r\n" if b"\r\n" in data else b"\n"
        if data.endswith(b"\n"):
            assert patched == data + b"b.com, 2, RESELLER" + ending, host
        else:
            assert patched == data + ending + b"b.com, 2, RESELLER", host
    status, out, err = _audit(tmp_path, mirror, EXPECTED, list(AWKWARD))
    assert status == 0, out + err


def test_a_utf16_file_gets_no_patch_and_the_results_say_why(tmp_path: Path) -> None:
    files = {"wide.com": "a.com, 1, DIRECT\n".encode("utf-16")}
    mirror = _mirror(tmp_path, files)
    patches = tmp_path / "patches"
    patches.mkdir()
    # A patch from an earlier run would be wrong now: it goes.
    (patches / "wide.com.patch").write_text("stale")
    status, out, _ = _audit(tmp_path, mirror, EXPECTED, ["wide.com"], "--patches", str(patches))
    assert status == 1
    assert not (patches / "wide.com.patch").exists()
    assert "patch: none: the file is encoded as UTF-16" in out
    assert "save it as UTF-8" in out
    status, out, _ = _audit(
        tmp_path,
        mirror,
        EXPECTED,
        ["wide.com"],
        "--patches",
        str(patches),
        "--output-format",
        "json",
    )
    publisher = json.loads(out)["publishers"][0]
    assert publisher["patch"] is None and "UTF-16" in publisher["problem"]


@pytest.mark.parametrize("tool", TOOLS)
def test_a_repeated_expected_line_is_reported_once_and_added_once(
    tmp_path: Path, tool: str
) -> None:
    _need(tool)
    mirror = _mirror(tmp_path, {"p8.com": b"x.com, 5, DIRECT\n"})
    patches = tmp_path / "patches"
    expected = "w.com, 1, DIRECT\nw.com, 1, DIRECT\nW.COM, 1, direct ; ext\nz.com, 2, RESELLER\n"
    status, out, err = _audit(
        tmp_path, mirror, expected, ["p8.com"], "--patches", str(patches), "--output-format", "json"
    )
    assert status == 1
    repeats = [line for line in err.splitlines() if "repeats line 1" in line]
    assert len(repeats) == 2, err
    assert "expected line 2 (w.com, 1, DIRECT) repeats line 1" in repeats[0]
    assert "expected line 3 (w.com, 1, DIRECT;ext) repeats line 1" in repeats[1]
    document = json.loads(out)
    assert [p["line"] for p in document["input_problems"]] == [2, 3]
    assert [e["text"] for e in document["expected"]] == ["w.com, 1, DIRECT", "z.com, 2, RESELLER"]
    assert document["summary"]["expected_lines"] == 2
    assert document["publishers"][0]["to_add"] == ["w.com, 1, DIRECT", "z.com, 2, RESELLER"]
    _apply(tool, patches / "p8.com.patch", mirror / "p8.com")
    patched = (mirror / "p8.com" / "ads.txt").read_text()
    assert patched == "x.com, 5, DIRECT\nw.com, 1, DIRECT\nz.com, 2, RESELLER\n"
    checked = run("check", str(mirror / "p8.com" / "ads.txt"), "--output-format", "json")
    assert "repeats" not in checked.stdout
    status, out, err = _audit(tmp_path, mirror, expected, ["p8.com"])
    assert status == 0, out + err


OWNED = (
    b"a.com, 1, DIRECT\r\n"
    b"OWNERDOMAIN=other.com\r\n"
    b"MANAGERDOMAIN=old.com\r\n"
    b"MANAGERDOMAIN=fr-manager.com, FR\r\n"
    b"b.com, 2, RESELLER\r\n"
    b"c.com, 3, RESELLER\r\n"
    b"d.com, 4, RESELLER\r\n"
    b"e.com, 5, RESELLER\r\n"
    b"OWNERDOMAIN=later.com"
)


@pytest.mark.parametrize("tool", TOOLS)
def test_a_differing_single_valued_variable_is_changed_in_place(tmp_path: Path, tool: str) -> None:
    _need(tool)
    mirror = _mirror(tmp_path, {"p3.com": OWNED})
    patches = tmp_path / "patches"
    expected = "OWNERDOMAIN=p3.com\nMANAGERDOMAIN=m.com\nMANAGERDOMAIN=de-manager.com, DE\n"
    status, out, err = _audit(tmp_path, mirror, expected, ["p3.com"], "--patches", str(patches))
    assert status == 1
    assert "change line 2 to: OWNERDOMAIN=p3.com" in out
    assert "change line 3 to: MANAGERDOMAIN=m.com" in out
    diff = (patches / "p3.com.patch").read_bytes()
    # A real hunk that changes the lines: nothing is appended for them.
    assert b"\n-OWNERDOMAIN=other.com\r\n" in diff and b"\n+OWNERDOMAIN=p3.com\r\n" in diff
    assert b"\n-MANAGERDOMAIN=old.com\r\n" in diff and b"\n+MANAGERDOMAIN=m.com\r\n" in diff
    assert diff.count(b"\n+OWNERDOMAIN") == 2  # the changed line, and the last line's ending
    _apply(tool, patches / "p3.com.patch", mirror / "p3.com")
    patched = (mirror / "p3.com" / "ads.txt").read_bytes()
    assert patched == (
        b"a.com, 1, DIRECT\r\n"
        b"OWNERDOMAIN=p3.com\r\n"
        b"MANAGERDOMAIN=m.com\r\n"
        b"MANAGERDOMAIN=fr-manager.com, FR\r\n"
        b"b.com, 2, RESELLER\r\n"
        b"c.com, 3, RESELLER\r\n"
        b"d.com, 4, RESELLER\r\n"
        b"e.com, 5, RESELLER\r\n"
        b"OWNERDOMAIN=later.com\r\n"
        b"MANAGERDOMAIN=de-manager.com, DE"
    )
    status, out, err = _audit(tmp_path, mirror, expected, ["p3.com"], "--output-format", "json")
    assert status == 0, out + err
    assert json.loads(out)["publishers"][0]["status"] == "complete"


def test_the_json_names_the_line_to_change(tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, {"p3.com": b"OWNERDOMAIN=other.com\na.com, 1, DIRECT\n"})
    status, out, _ = _audit(
        tmp_path, mirror, "OWNERDOMAIN=p3.com\n", ["p3.com"], "--output-format", "json"
    )
    assert status == 1
    publisher = json.loads(out)["publishers"][0]
    assert publisher["to_add"] == []
    assert publisher["to_replace"] == [{"line": 1, "text": "OWNERDOMAIN=p3.com"}]
    assert publisher["findings"][0]["replaces"] == 1
    assert "line 1 must be changed" in publisher["findings"][0]["message"]


@pytest.mark.parametrize("tool", TOOLS)
def test_a_change_far_from_the_end_makes_a_second_hunk(tmp_path: Path, tool: str) -> None:
    _need(tool)
    body = b"\xef\xbb\xbfOWNERDOMAIN=other.com\n" + b"".join(
        b"x%d.com, 9, DIRECT\n" % n for n in range(10)
    )
    mirror = _mirror(tmp_path, {"p4.com": body})
    patches = tmp_path / "patches"
    expected = "OWNERDOMAIN=p4.com\nb.com, 2, RESELLER\n"
    status, _, _ = _audit(tmp_path, mirror, expected, ["p4.com"], "--patches", str(patches))
    assert status == 1
    diff = (patches / "p4.com.patch").read_bytes()
    assert diff.count(b"\n@@ ") == 2
    _apply(tool, patches / "p4.com.patch", mirror / "p4.com")
    patched = (mirror / "p4.com" / "ads.txt").read_bytes()
    assert patched == (
        b"\xef\xbb\xbfOWNERDOMAIN=p4.com\n" + body.split(b"\n", 1)[1] + b"b.com, 2, RESELLER\n"
    )
    status, out, err = _audit(tmp_path, mirror, expected, ["p4.com"])
    assert status == 0, out + err


def test_a_source_keeps_the_bytes_only_of_files_whose_text_would_not_give_them_back() -> None:
    from adstxt.authorization import MemorySource

    source = MemorySource(
        {
            ("plain.com", "ads.txt"): b"a.com, 1, DIRECT\r\n",
            ("bom.com", "ads.txt"): b"\xef\xbb\xbfa.com, 1, DIRECT\n",
            ("latin.com", "ads.txt"): b"# caf\xe9\na.com, 1, DIRECT\n",
            ("text.com", "ads.txt"): "a.com, 1, DIRECT\n",
        }
    )
    assert source.ads_file("plain.com", "ads.txt").raw is None
    assert source.ads_file("text.com", "ads.txt").raw is None
    assert source.ads_file("bom.com", "ads.txt").raw == b"\xef\xbb\xbfa.com, 1, DIRECT\n"
    assert source.ads_file("latin.com", "ads.txt").raw == b"# caf\xe9\na.com, 1, DIRECT\n"
