"""Replace a file's contents so that readers see either the old bytes or the new, never a mix.

The new bytes go to a temporary file beside the target, are flushed to disk, given the
target's owner, group, mode and extended attributes, and renamed over it. A rename would
give the file a new identity, so where that would lose something, the contents are
rewritten in place instead, behind a journal (see :func:`write_atomically`).

Every temporary file is named after its target and the process that writes it,
``.ads.txt.adstxt-1234-0a1b2c3d.tmp``, and is locked while that process lives, so a later
run recognises and removes what a killed run left behind without touching the files of a
run still going.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

if os.name == "posix":
    import fcntl

__all__ = ["WriteError", "clean_up_after", "open_atomically", "write_atomically"]

_JOURNAL_SIGNATURE = b"adstxt in-place rewrite 1\n"
# A file whose lock is free but whose process ID names a live process is left alone for a
# while: its writer may be between creating the file and locking it, or the ID may have
# been reused; after this many seconds it is stale whatever the ID says.
_GRACE_SECONDS = 3600.0


class WriteError(OSError):
    """A file could not be written; ``reason`` says why in words a user can act on."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(reason)
        self.path = os.fspath(path)
        self.reason = self.strerror = reason
        self.filename = self.path

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _stem(name: str) -> str:
    """The target's name as it appears in its temporary files' names (short enough to fit)."""
    if len(os.fsencode(name)) <= 120:
        return name
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:32]


def _temporary_name(target: Path, kind: str) -> str:
    return f".{_stem(target.name)}.adstxt-{os.getpid()}-{secrets.token_hex(4)}.{kind}"


def _pattern(target: Path) -> re.Pattern[str]:
    stem = re.escape(_stem(target.name))
    return re.compile(rf"\.{stem}\.adstxt-(\d+)-[0-9a-f]{{8}}\.(tmp|redo)\Z")


def _alive(pid: int) -> bool:
    if os.name != "posix":  # pragma: no cover - os.kill would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _lock(fd: int) -> bool:
    """Take the temporary file's lock without waiting; False when another process holds it."""
    if os.name != "posix":  # pragma: no cover - no flock there
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _overwrite(fd: int, data: bytes) -> None:
    """Put ``data`` in the open file in place of what it holds, and flush it to disk."""
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _torn(current: bytes, old: bytes, new: bytes) -> bool:
    """Whether ``current`` is what an in-place rewrite of ``old`` by ``new`` leaves when it
    stops part-way: the start of ``new`` followed by the rest of ``old``."""
    if len(current) > len(old):
        # Past the end of the old bytes, only new ones can have been written.
        return new.startswith(current)
    if len(current) != len(old):
        return False
    prefix = 0
    limit = min(len(current), len(new))
    while prefix < limit and current[prefix] == new[prefix]:
        prefix += 1
    # Everything after the written start must still be the old bytes.
    return current[prefix:] == old[prefix:]


def _finish_journal(journal: int, target: Path) -> None:
    """Complete the in-place rewrite a killed run left half done, if the file still shows it."""
    data = _read_all(journal)
    if not data.startswith(_JOURNAL_SIGNATURE):
        return
    header, _, rest = data[len(_JOURNAL_SIGNATURE) :].partition(b"\n")
    try:
        meta = json.loads(header)
        old_size, new_size = int(meta["old"]), int(meta["new"])
        identity = (int(meta["dev"]), int(meta["ino"]))
    except (ValueError, KeyError, TypeError):
        return
    if len(rest) != old_size + new_size:
        return
    old, new = rest[:old_size], rest[old_size:]
    try:
        fd = os.open(target, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return
    try:
        status = os.fstat(fd)
        if (status.st_dev, status.st_ino) != identity:
            return  # the file was replaced since: nothing of the old run's to finish
        current = _read_all(fd)
        if current not in (old, new) and _torn(current, old, new):
            _overwrite(fd, new)
    finally:
        os.close(fd)


def clean_up_after(path: str | os.PathLike[str]) -> None:
    """Remove the temporary files a killed run left beside ``path``, finishing any in-place
    rewrite it had begun; files of a run still going are left alone."""
    target = Path(os.path.realpath(path))
    pattern = _pattern(target)
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        match = pattern.match(name)
        if match is None:
            continue
        leftover = target.parent / name
        try:
            fd = os.open(leftover, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            status = os.fstat(fd)
            age = time.time() - status.st_mtime
            if (
                not stat.S_ISREG(status.st_mode)
                or status.st_nlink == 0
                or not _lock(fd)
                or (_alive(int(match[1])) and age < _GRACE_SECONDS)
            ):
                continue
            if match[2] == "redo":
                with contextlib.suppress(OSError):
                    _finish_journal(fd, target)
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        finally:
            os.close(fd)


def _create(target: Path, kind: str, mode: int) -> tuple[Path, int]:
    """A new, locked temporary file beside ``target``."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    path = target.parent / _temporary_name(target, kind)
    try:
        fd = os.open(path, flags, mode)
    except OSError as error:
        reason = error.strerror or str(error)
        raise WriteError(
            target, f"cannot create a temporary file in {target.parent}: {reason}"
        ) from None
    _lock(fd)
    return path, fd


def _take_identity(fd: int, temporary: Path, target: Path, status: os.stat_result) -> None:
    """Give the new file the old one's owner, group, extended attributes and mode.

    PermissionError when the owner or group cannot be given (another user's file).
    """
    if os.name != "posix":  # pragma: no cover - no owners or fchmod there
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        return
    own = os.fstat(fd)
    if (own.st_uid, own.st_gid) != (status.st_uid, status.st_gid):
        os.fchown(fd, status.st_uid, status.st_gid)
    if hasattr(os, "listxattr"):
        # ACLs and security labels live here; a web server may depend on them.
        with contextlib.suppress(OSError):
            for attribute in os.listxattr(target):
                with contextlib.suppress(OSError):
                    os.setxattr(fd, attribute, os.getxattr(target, attribute))
    # After chown, which clears the set-ID bits.
    os.fchmod(fd, stat.S_IMODE(status.st_mode))


def _writable(target: Path, status: os.stat_result) -> str | None:
    """Why the file may not be written to, or None when it may."""
    if not status.st_mode & 0o222:
        # Root may write anything; a file nobody may write is still meant to stay as it is.
        return "is read-only"
    if not os.access(target, os.W_OK):
        return "is not writable by this user"
    return None


def _rewrite_in_place(target: Path, data: bytes) -> None:
    """Overwrite the file's own contents, so every hard link sees them and the owner stays.

    A journal holding the old and the new contents is flushed to disk first; a run killed
    during the overwrite leaves it behind, and the next write to the file finishes the job.
    """
    try:
        fd = os.open(target, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise WriteError(target, f"cannot be opened for writing: {error.strerror}") from None
    journal_fd = -1
    try:
        status = os.fstat(fd)
        old = _read_all(fd)
        temporary, journal_fd = _create(target, "tmp", 0o600)
        journal = temporary.with_suffix(".redo")
        try:
            meta = {"dev": status.st_dev, "ino": status.st_ino, "old": len(old), "new": len(data)}
            _write_all(journal_fd, _JOURNAL_SIGNATURE + json.dumps(meta).encode() + b"\n")
            _write_all(journal_fd, old)
            _write_all(journal_fd, data)
            os.fsync(journal_fd)
            if os.name != "posix":  # pragma: no cover - an open file cannot be renamed there
                os.close(journal_fd)
                journal_fd = -1
            # Only a complete journal gets its final name, so a .redo file is always whole.
            os.replace(temporary, journal)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _sync_directory(target.parent)
        try:
            _overwrite(fd, data)
        except OSError:
            # A full disk, say: put the old contents back; if even that fails, the journal
            # stays for the next run to finish the rewrite.
            _overwrite(fd, old)
            os.unlink(journal)
            raise
        os.unlink(journal)
        _sync_directory(target.parent)
    except WriteError:
        raise
    except OSError as error:
        raise WriteError(target, f"cannot be rewritten: {error.strerror or error}") from None
    finally:
        if journal_fd >= 0:
            os.close(journal_fd)
        os.close(fd)


def _examine(
    path: str | os.PathLike[str], target: Path, *, may_be_new: bool
) -> os.stat_result | None:
    """The status of the file a write replaces (``None``: it does not exist yet), after
    removing what a killed write left beside it; a :class:`WriteError` when it cannot be
    replaced (not a regular file, read-only) or must exist and does not."""
    clean_up_after(target)
    try:
        status = os.stat(target)
    except FileNotFoundError:
        if not may_be_new:
            raise WriteError(path, "does not exist") from None
        return None
    except OSError as error:
        raise WriteError(path, f"cannot be examined: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise WriteError(path, "is not a regular file")
    refusal = _writable(target, status)
    if refusal is not None:
        raise WriteError(path, refusal)
    return status


def write_atomically(
    path: str | os.PathLike[str], data: bytes, *, new_file_mode: int | None = None
) -> Path:
    """Write ``data`` over the file at ``path``; return the path written.

    The file keeps its owner, group, permission bits and extended attributes; a symbolic
    link is followed and its target rewritten (the link itself stays). Readers see the old
    contents or the new, never a mix, and a killed run leaves the old file whole.

    When a rename would lose the file's identity (it has other hard links, or its owner or
    group is one this process cannot give a new file), the contents are rewritten in place
    behind a journal instead: every link sees the new contents, and a run killed mid-write
    is finished by the next write to that file.

    Without ``new_file_mode`` the file must exist; with it, a missing file is created with
    that mode (less the umask). Raises :class:`WriteError` (an ``OSError``) with a reason
    when the file is read-only, not a regular file, or no temporary file can be created.
    """
    target = Path(os.path.realpath(path))
    status = _examine(path, target, may_be_new=new_file_mode is not None)
    if status is not None and status.st_nlink > 1:
        _rewrite_in_place(target, data)
        return target
    mode = 0o600 if status is not None or new_file_mode is None else new_file_mode
    temporary, fd = _create(target, "tmp", mode)
    try:
        _write_all(fd, data)
        os.fsync(fd)
        if status is not None:
            try:
                _take_identity(fd, temporary, target, status)
            except PermissionError:
                os.unlink(temporary)
                _rewrite_in_place(target, data)
                return target
        if os.name != "posix":  # pragma: no cover - an open file cannot be renamed there
            os.close(fd)
            fd = -1
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and not isinstance(error, WriteError):
            raise WriteError(path, f"cannot be written: {error.strerror or error}") from None
        raise
    finally:
        # Held until the rename, so no other run takes the file for a dead one's leftover.
        if fd >= 0:
            os.close(fd)
    _sync_directory(target.parent)
    return target


@contextlib.contextmanager
def open_atomically(
    path: str | os.PathLike[str], *, new_file_mode: int = 0o666
) -> Iterator[BinaryIO]:
    """A binary file to stream a new version of ``path`` into; it replaces ``path`` whole
    when the ``with`` block ends without an exception, and never otherwise.

    The same guarantees as :func:`write_atomically` without holding the data in memory: the
    bytes go to a locked temporary file beside the target, which is flushed, given the old
    file's owner, group, mode and extended attributes, and renamed into place. A killed run
    leaves the old file whole (and its temporary file for the next write to remove). Where a
    rename would lose the file's identity (other hard links, an owner this process cannot
    give), the finished temporary file is read back and rewritten in place behind a journal,
    as :func:`write_atomically` does. A missing file is created with ``new_file_mode``.
    """
    target = Path(os.path.realpath(path))
    status = _examine(path, target, may_be_new=True)
    temporary, fd = _create(target, "tmp", 0o600 if status is not None else new_file_mode)
    try:
        with os.fdopen(fd, "w+b", closefd=False) as stream:
            yield stream
        os.fsync(fd)
        in_place = status is not None and status.st_nlink > 1
        if status is not None and not in_place:
            try:
                _take_identity(fd, temporary, target, status)
            except PermissionError:
                in_place = True
        if in_place:
            data = _read_all(fd)
            os.unlink(temporary)
            _rewrite_in_place(target, data)
            return
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and not isinstance(error, WriteError):
            raise WriteError(path, f"cannot be written: {error.strerror or error}") from None
        raise
    finally:
        os.close(fd)
    _sync_directory(target.parent)
