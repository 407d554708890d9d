"""Writing a user's file in place: ``--fix``, the sellers.json cache and a resumed crawl.

Real files with real modes, owners and links; the command runs in this process (or, to run
as another user, in a forked process that gives up root).
"""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from adstxt import _atomic
from adstxt.cli import main
from tests.cli import run

ROOT_ONLY = pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root")
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")
NOBODY = 65534
BEFORE = b"mgid.com, 749656, direct\n"
AFTER = b"mgid.com, 749656, DIRECT\n"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".adstxt-" in p.name)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory another user can reach (pytest's own are private to their owner)."""
    with tempfile.TemporaryDirectory() as name:
        os.chmod(name, 0o755)
        yield Path(name)


def _as_nobody(action: Callable[[], int]) -> tuple[int, str]:
    """Run ``action`` in a forked process that has given up root; its result and stderr."""
    # Warm the imports first: the interpreter's own files may be out of nobody's reach.
    handlers = list(logging.getLogger("adstxt").handlers)
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        main(["--fix", "-"])
    logging.getLogger("adstxt").handlers[:] = handlers  # as main() found them, for later tests
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 3
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            err = io.StringIO()
            with redirect_stdout(io.StringIO()), redirect_stderr(err):
                status = action()
            os.write(writer, err.getvalue().encode())
        except BaseException as error:  # reported to the parent
            os.write(writer, repr(error).encode())
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        err = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


@ROOT_ONLY
def test_fix_as_root_keeps_the_owner_group_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(BEFORE)
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o640)
    result = run("--fix", str(path))
    assert result.returncode == 1, result.stderr
    assert path.read_bytes() == AFTER
    status = path.stat()
    assert (status.st_uid, status.st_gid) == (NOBODY, NOBODY)
    assert stat.S_IMODE(status.st_mode) == 0o640
    assert _leftovers(tmp_path) == []


@POSIX_ONLY
def test_a_read_only_file_is_refused_and_the_others_are_fixed(tmp_path: Path) -> None:
    locked = tmp_path / "locked" / "ads.txt"
    locked.parent.mkdir()
    locked.write_bytes(BEFORE)
    locked.chmod(0o444)
    other = tmp_path / "app-ads.txt"
    other.write_bytes(BEFORE)
    # Root could write it all the same; the mode says it is to stay as it is.
    result = run("--fix", str(locked), str(other))
    assert result.returncode == 2
    assert f"adstxt-check: {locked}: is read-only; not fixed" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert locked.read_bytes() == BEFORE
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert other.read_bytes() == AFTER
    # The report still shows the refused file's finding, and counts only the real fix.
    assert "fixed 1 problem" in result.stdout
    assert f"{locked}:1:19: ADS211" in result.stdout


@POSIX_ONLY
def test_every_hard_link_sees_the_fixed_contents(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(BEFORE)
    path.chmod(0o604)
    twin = tmp_path / "site2" / "ads.txt"
    twin.parent.mkdir()
    os.link(path, twin)
    inode = path.stat().st_ino
    result = run("--fix", str(path))
    assert result.returncode == 1, result.stderr
    assert path.read_bytes() == twin.read_bytes() == AFTER
    assert path.stat().st_ino == twin.stat().st_ino == inode
    assert path.stat().st_nlink == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    assert _leftovers(tmp_path) == []


@POSIX_ONLY
def test_a_directory_without_room_for_a_temporary_file_is_reported(shared_dir: Path) -> None:
    folder = shared_dir / "site"
    folder.mkdir()
    path = folder / "ads.txt"
    path.write_bytes(BEFORE)
    other = shared_dir / "app-ads.txt"
    other.write_bytes(BEFORE)
    if os.geteuid() == 0:
        # Root writes a 0555 directory regardless: the check runs as nobody instead.
        os.chown(path, NOBODY, NOBODY)
        os.chown(other, NOBODY, NOBODY)
        os.chown(shared_dir, NOBODY, NOBODY)
        folder.chmod(0o555)
        code, err = _as_nobody(lambda: main(["--fix", str(path), str(other)]))
    else:
        folder.chmod(0o555)
        result = run("--fix", str(path), str(other))
        code, err = result.returncode, result.stderr
    folder.chmod(0o755)
    assert code == 2, err
    assert (
        f"{path}: cannot create a temporary file in {folder}: Permission denied; not fixed" in err
    )
    assert "Traceback" not in err
    assert path.read_bytes() == BEFORE
    assert other.read_bytes() == AFTER


@ROOT_ONLY
def test_a_file_whose_owner_cannot_be_kept_is_rewritten_in_place(shared_dir: Path) -> None:
    # A group-writable file of another user: a new file would belong to whoever runs --fix.
    shared_dir.chmod(0o777)
    path = shared_dir / "ads.txt"
    path.write_bytes(BEFORE)
    path.chmod(0o666)
    inode = path.stat().st_ino
    code, err = _as_nobody(lambda: main(["--fix", str(path)]))
    assert code == 1, err
    assert path.read_bytes() == AFTER
    status = path.stat()
    assert (status.st_uid, status.st_gid, status.st_ino) == (0, 0, inode)
    assert _leftovers(shared_dir) == []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@POSIX_ONLY
def test_leftovers_of_a_dead_run_are_removed_and_a_live_runs_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(BEFORE)
    dead = tmp_path / f".ads.txt.adstxt-{_dead_pid()}-0123abcd.tmp"
    dead.write_bytes(b"half a fi")
    stranger = tmp_path / ".ads.txt.backup.tmp"
    stranger.write_bytes(b"not ours")
    other_target = tmp_path / f".app-ads.txt.adstxt-{_dead_pid()}-0123abcd.tmp"
    other_target.write_bytes(b"another file's")
    # A run still writing holds its file's lock, whatever its process ID looks like.
    live = tmp_path / f".ads.txt.adstxt-{_dead_pid()}-89abcdef.tmp"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
            str(live),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        result = run("--fix", str(path))
        assert result.returncode == 1, result.stderr
        assert path.read_bytes() == AFTER
        assert not dead.exists()
        assert stranger.exists() and other_target.exists()
        assert _leftovers(tmp_path) == sorted([other_target.name, live.name])
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def _journal(target: Path, old: bytes, new: bytes) -> bytes:
    status = target.stat()
    meta = {"dev": status.st_dev, "ino": status.st_ino, "old": len(old), "new": len(new)}
    return b"adstxt in-place rewrite 1\n" + json.dumps(meta).encode() + b"\n" + old + new


@POSIX_ONLY
def test_an_in_place_rewrite_cut_short_is_finished_by_the_next_run(tmp_path: Path) -> None:
    old = b"# partners\nmgid.com, 749656, direct\nopenx.com, 1, reseller\n"
    new = b"# partners\nmgid.com, 749656, DIRECT\nopenx.com, 1, RESELLER\n"
    path = tmp_path / "ads.txt"
    path.write_bytes(new[:30] + old[30:])  # what a kill part-way through the overwrite leaves
    twin = tmp_path / "twin.txt"
    os.link(path, twin)
    journal = tmp_path / f".ads.txt.adstxt-{_dead_pid()}-0123abcd.redo"
    journal.write_bytes(_journal(path, old, new))
    run(str(path))  # checking alone leaves everything as it is
    assert journal.exists()
    result = run("--fix", str(path))
    assert result.returncode == 0, result.stderr
    assert twin.read_bytes() == new
    assert _leftovers(tmp_path) == []
    # A file changed since the kill is the user's now: it is left alone.
    path.write_bytes(b"# edited by hand\n")
    journal.write_bytes(_journal(path, old, new))
    run("--fix", str(path))
    assert twin.read_bytes() == b"# edited by hand\n"
    assert _leftovers(tmp_path) == []


def _big(case: bytes) -> bytes:
    # Fixing is quick on long comment lines, so the write takes a good part of the run.
    return b"mgid.com, 749656, " + case + b"\n" + (b"#" + b"x" * 999 + b"\n") * 12000


@POSIX_ONLY
@pytest.mark.parametrize("linked", [False, True], ids=["renamed", "hard-linked"])
def test_a_killed_fix_leaves_the_old_or_the_new_file(tmp_path: Path, linked: bool) -> None:
    old, new = _big(b"direct"), _big(b"DIRECT")
    path = tmp_path / "ads.txt"
    for delay in (0.0, 0.002, 0.01, 0.03, 0.1):
        for name in os.listdir(tmp_path):
            os.unlink(tmp_path / name)
        path.write_bytes(old)
        if linked:
            os.link(path, tmp_path / "twin.txt")
        process = subprocess.Popen(
            [sys.executable, "-m", "adstxt", "--fix", "--quiet", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Aim at the write: wait for the temporary file, then let it run a little longer.
        deadline = time.monotonic() + 60
        while not _leftovers(tmp_path) and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.0005)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        contents = path.read_bytes()
        if contents not in (old, new):
            # Only an in-place rewrite can be caught half done, and its journal says so.
            assert linked and any(n.endswith(".redo") for n in _leftovers(tmp_path))
        again = run("--fix", "--quiet", str(path))
        assert again.returncode in (0, 1), again.stderr
        assert path.read_bytes() == new
        assert _leftovers(tmp_path) == []
        if linked:
            assert (tmp_path / "twin.txt").read_bytes() == new


@POSIX_ONLY
def test_write_atomically_creates_a_missing_file_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "new.cache"
    with pytest.raises(_atomic.WriteError, match="does not exist"):
        _atomic.write_atomically(path, b"x")
    old_mask = os.umask(0o022)
    try:
        _atomic.write_atomically(path, b"x", new_file_mode=0o666)
    finally:
        os.umask(old_mask)
    assert path.read_bytes() == b"x"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    with pytest.raises(_atomic.WriteError, match="is not a regular file"):
        _atomic.write_atomically(tmp_path, b"x")


@ROOT_ONLY
def test_a_resumed_crawl_keeps_its_records_csv_owner(tmp_path: Path) -> None:
    from adstxt.crawl import _trim_csv

    records = tmp_path / "records.csv"
    records.write_bytes(b"domain,url\na.com,x\nb.com,y\npartial")
    os.chown(records, NOBODY, NOBODY)
    records.chmod(0o640)
    _trim_csv(records, {"a.com"})
    assert records.read_bytes() == b"domain,url\na.com,x\n"
    status = records.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (NOBODY, NOBODY, 0o640)
    assert _leftovers(tmp_path) == []


@POSIX_ONLY
def test_the_sellers_cache_is_private_and_cleans_up_after_a_killed_run(tmp_path: Path) -> None:
    import datetime as dt

    from adstxt._diskcache import DiskCache, Entry

    cache = DiskCache(tmp_path)
    leftover = tmp_path / f".example.com.cache.adstxt-{_dead_pid()}-0123abcd.tmp"
    leftover.write_bytes(b"half")
    now = dt.datetime.now(dt.UTC)
    entry = Entry("example.com", "https://example.com/sellers.json", now, now)
    written = cache.store(entry, b'{"sellers": []}')
    assert written == tmp_path / "example.com.cache"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert not leftover.exists()
    loaded = cache.load("example.com")
    assert loaded is not None and loaded[1] == b'{"sellers": []}'
