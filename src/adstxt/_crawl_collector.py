"""How the cyclic garbage collector runs while a crawl does."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["YOUNG_COLLECTION_EVERY", "collector_for_crawling"]

#: Container objects allocated (less those freed) between two young collections while a
#: crawl runs; CPython's default is 700.
YOUNG_COLLECTION_EVERY = 10_000


@contextlib.contextmanager
def collector_for_crawling() -> Iterator[None]:
    """Collect less often while a crawl runs, and set aside what exists when it starts.

    A crawl's fetches, re-checks and writes make no reference cycles (the tests check it),
    so the collector frees nothing on the way; what it costs is its passes. At the default
    threshold a young collection comes every 700 allocations and goes over the live objects
    of every fetch in flight (their coroutines, futures and timers), which then move on to
    be gone over again by the older generations' collections.

    What exists when the crawl starts (modules, classes, options, the list of domains) is
    frozen (:func:`gc.freeze`): the oldest generation's collections skip it, and worker
    processes forked afterwards do not write to the memory they share with the parent (as
    CPython's documentation recommends before forking). Both are undone when the crawl
    ends. A program that keeps frozen objects of its own keeps them, and nothing more is
    frozen; one that turned automatic collection off (a threshold of 0) keeps it off.
    """
    threshold = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    if threshold[0]:
        gc.set_threshold(max(threshold[0], YOUNG_COLLECTION_EVERY), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if freeze:
            gc.unfreeze()
