"""The end of a process that a command ran in: without the collection Python makes on the
way out.

As the interpreter shuts down, Python collects garbage over every object still there:
after a crawl of 2,000 sites, some 50 million instructions in the parent process (about
1% of the crawl); for a check of one file, about 4% of its run. Nothing that collection
frees matters to a process that is ending (the system takes back its memory and closes
its files), so a command that is the whole of its process has the collector leave alone,
at exit, whatever exists then. Exit handlers still run, and the standard streams are
still flushed: only objects that live in reference cycles are not finalized, and the
commands close what they write (files, stores) themselves.
"""

from __future__ import annotations

import atexit
import gc

__all__ = ["skip_final_collection"]

_registered = False


def skip_final_collection() -> None:
    """At exit, freeze what exists (:func:`gc.freeze`) so that the collections of the
    interpreter's shutdown go over nothing. Called by a command's ``main`` only when it
    runs with the process's own arguments (as its console script and ``python -m`` run
    it), never for a caller that hands it arguments, whose process goes on."""
    global _registered
    if not _registered:
        _registered = True
        atexit.register(gc.freeze)
