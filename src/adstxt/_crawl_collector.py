"""How the cyclic garbage collector runs while a crawl does."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["YOUNG_COLLECTION_EVERY", "collector_for_crawling"]

#: Container objects allocated, less those freed, between two young collections while a
#: crawl runs; CPython's default is 700.
YOUNG_COLLECTION_EVERY = 10_000

# Crawls may overlap in threads of one program: the first to start sets the collector up,
# the last to end gives the settings back.
_LOCK = threading.Lock()
_running = 0
_saved: tuple[tuple[int, int, int], bool] = ((700, 10, 10), False)


@contextlib.contextmanager
def collector_for_crawling() -> Iterator[None]:
    """Collect less often while a crawl runs, and set aside what exists when it starts.

    A fetch makes no reference cycles of the package's own (the tests check a refused
    connection, a timeout, a reset, a broken response and a failed TLS handshake among
    others), so what it builds is freed as soon as it is done with, and the collector
    finds little. What it costs is its passes: at the default threshold a young collection
    comes every 700 allocations and goes over the live objects of every fetch in flight
    (their coroutines, futures and timers), which then move on to be gone over again by the
    older generations' collections. Cycles made elsewhere (by asyncio, or by the program)
    are still collected, less often.

    What exists when the crawl starts (modules, classes, options, the list of domains) is
    collected once, then frozen (:func:`gc.freeze`): the oldest generation's collections
    skip it, and worker processes forked afterwards do not write to the memory they share
    with the parent (as CPython's documentation recommends before forking). Both are undone
    when the last overlapping crawl ends. A program that keeps frozen objects of its own
    keeps them, and nothing more is frozen; one that turned automatic collection off (a
    threshold of 0) keeps it off.
    """
    global _running, _saved
    with _LOCK:
        if _running == 0:
            threshold = gc.get_threshold()
            freeze = gc.get_freeze_count() == 0
            if freeze:
                gc.collect(1)  # the young generations' garbage is freed, not frozen
                gc.freeze()
            if threshold[0]:
                gc.set_threshold(max(threshold[0], YOUNG_COLLECTION_EVERY), *threshold[1:])
            _saved = (threshold, freeze)
        _running += 1
    try:
        yield
    finally:
        with _LOCK:
            _running -= 1
            if _running == 0:
                threshold, freeze = _saved
                gc.set_threshold(*threshold)
                if freeze:
                    gc.unfreeze()
