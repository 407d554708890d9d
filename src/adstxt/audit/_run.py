"""Running a forward audit: one publisher after another, or spread over processes.

Each publisher is audited, its patch written and its output rendered in one place (a worker
process, or this one), so that only the rendered text and a few counts travel back. The
results come back in the order of the publishers file either way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from adstxt.audit._expected import ExpectedLine
from adstxt.audit._forward import PublisherResult, audit_publishers
from adstxt.audit._patch import patch_for, unpatchable
from adstxt.audit._publishers import PublisherLine
from adstxt.audit._tally import Counted, counted
from adstxt.audit._writers import render_publisher
from adstxt.authorization import Source
from adstxt.model import FileKind

__all__ = ["Job", "run_forward", "write_patch"]

# Publishers sent to a worker at a time: enough to make the round trip cheap, few enough
# to keep the progress bar moving.
_CHUNK = 200


class Job:
    """Everything a worker needs to audit publishers, sent once to each worker."""

    def __init__(
        self,
        expected: Sequence[ExpectedLine],
        source: Source,
        kind: FileKind,
        form: str,
        patches: Path | None,
    ) -> None:
        self.expected = tuple(expected)
        self.source = source
        self.kind: FileKind = kind
        self.form = form
        self.patches = patches

    def run(self, entries: Sequence[PublisherLine]) -> list[tuple[str, Counted]]:
        """Audit ``entries``; return each one's rendered output and counts."""
        done = []
        for result in audit_publishers(entries, self.expected, self.source, self.kind):
            if self.patches is not None:
                write_patch(self.patches, result, self.kind)
            done.append((render_publisher(result, self.form, self.expected), counted(result)))
        return done


def write_patch(directory: Path, result: PublisherResult, kind: FileKind) -> None:
    """Write the publisher's patch, or remove a stale one when it needs none."""
    from adstxt._atomic import write_atomically

    path = directory / f"{result.publisher}.patch"
    diff = patch_for(result, kind)
    if diff is None:
        # A patch left by an earlier run would now be wrong: the publisher needs none, or
        # none can be written.
        path.unlink(missing_ok=True)
        if result.status == "incomplete":
            result.problem = unpatchable(result.file)
        return
    write_atomically(path, diff, new_file_mode=0o644)
    result.patch = os.fspath(path)


_JOB: Job | None = None


def _start_worker(job: Job) -> None:
    global _JOB
    _JOB = job


def _work(entries: Sequence[PublisherLine]) -> list[tuple[str, Counted]]:
    assert _JOB is not None
    return _JOB.run(entries)


def run_forward(
    job: Job, entries: Sequence[PublisherLine], processes: int
) -> Iterator[list[tuple[str, Counted]]]:
    """Yield the audited publishers in order, a chunk at a time."""
    chunks = [entries[i : i + _CHUNK] for i in range(0, len(entries), _CHUNK)]
    if processes <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield job.run(chunk)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(processes, initializer=_start_worker, initargs=(job,)) as pool:
        yield from pool.imap(_work, chunks)
