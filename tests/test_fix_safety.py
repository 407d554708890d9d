"""``--fix`` never loses data: killed mid-write or run twice at once, the file stays whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import adstxt

LINE = b"ExampleSSP.com, %d, reseller, f08c47fec0942fa0\r\n"


def _big_file(path: Path, lines: int) -> tuple[bytes, bytes]:
    data = b"# partners\r\n" + b"".join(LINE % n for n in range(lines))
    path.write_bytes(data)
    only_case = adstxt.Settings(select=("ADS211",))
    return data, adstxt.apply_fixes(data, settings=only_case).data


def _start(path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "adstxt", "--fix", "--quiet", "--select", "ADS211", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_while_writing_leaves_the_original_whole(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    original, fixed = _big_file(path, 40_000)
    assert fixed != original
    caught_writing = 0
    for _ in range(2):
        path.write_bytes(original)
        process = _start(path)
        deadline = time.monotonic() + 120
        # Wait for the temporary file, then kill at once: the rename has not happened yet.
        while time.monotonic() < deadline and process.poll() is None:
            if any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
                process.send_signal(signal.SIGKILL)
                caught_writing += 1
                break
            time.sleep(0.0005)
        process.wait(timeout=120)
        assert path.read_bytes() in (original, fixed)
    assert caught_writing >= 1, "the fix never reached its write phase while watched"
    # The next run recognises the killed runs' temporary files and removes them.
    _start(path).wait(timeout=120)
    assert path.read_bytes() == fixed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ads.txt"]


def test_killed_at_any_moment_the_file_is_old_or_new(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    original, fixed = _big_file(path, 20_000)
    for delay in (0.05, 0.3, 1.0):
        path.write_bytes(original)
        process = _start(path)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert path.read_bytes() in (original, fixed)


def test_concurrent_fixes_never_mix(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    _, fixed = _big_file(path, 20_000)
    path.chmod(0o604)
    processes = [_start(path) for _ in range(4)]
    for process in processes:
        process.wait(timeout=120)
    assert path.read_bytes() == fixed
    assert oct(path.stat().st_mode & 0o777) == oct(0o604)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ads.txt"]
    assert os.access(path, os.R_OK)
