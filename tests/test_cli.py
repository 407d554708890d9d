"""``adstxt-check`` run as a real subprocess, as users and CI run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adstxt", *args],
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True, text=True, check=False, cwd=cwd, timeout=60,
    )


def test_clean_example_passes() -> None:
    result = run(str(EXAMPLES / "ads.txt"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "Checked 1 file: 0 errors, 0 warnings, 0 info.\n"


def test_broken_example_fails_with_located_diagnostics() -> None:
    path = EXAMPLES / "broken-ads.txt"
    result = run(str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{path}:2:1: ADS201 'https://google.com/' is a URL; expected a bare domain such as 'example.com'" in lines
    assert f"{path}:3:19: ADS210 The relationship must be DIRECT or RESELLER; found 'DIRCT'" in lines
    assert any(line.startswith(f"{path}:7:27: ADS107 ") for line in lines)
    assert lines[-1] == "Checked 1 file: 3 errors, 4 warnings, 1 info."


def test_directory_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    shutil.copy(EXAMPLES / "ads.txt", tmp_path / "site" / "ads.txt")
    (tmp_path / "site" / "app-ads.txt").write_text("SUBDOMAIN=a.example.com\n")
    (tmp_path / "site" / "bads.txt").write_text("not checked\n")
    result = run(str(tmp_path))
    assert result.returncode == 0
    assert "ADS309" in result.stdout and "ADS006" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Checked 2 files:")
    piped = run("-", stdin=b"mgid.com, 749656, DIRCT\n")
    assert piped.returncode == 1
    assert piped.stdout.startswith("<stdin>:1:19: ADS210 ")


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_text("google.com, pub-1234567890123456, DIRECT\ngoogle.com, pub-1234567890123456, DIRECT\n")
    assert run(str(path)).returncode == 0
    assert run("--strict", str(path)).returncode == 1


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "missing" / "ads.txt"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_hostile_bytes_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(b"\x1b[31mevil.com\x1b[0m, 1, DIRECT\n\xe2\x80\xaeabc, 1, DIRECT\n")
    result = run(str(path))
    assert result.returncode == 1
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "ADS007 Control character U+001B ESCAPE" in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("adstxt-check ")
