"""A site that answered 304 in a re-crawl: its held copy filled in, and the files of its
``SUBDOMAIN=`` lines fetched again, as after a 200, in a crawl of one machine and in a
shared crawl alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from adstxt.store._crawling import validators_for
from adstxt.store._store import Store
from adstxt.store._unchanged import UNREAD, HeldRow, Unread, restore_held, restore_unchanged

if TYPE_CHECKING:
    from adstxt.fetch import Fetcher, FetchResult

__all__ = ["ReadStore", "restore_site"]

#: Runs a read of the store and returns what it returns (a crawl's own store, or a shared
#: crawl's reader, which reconnects).
ReadStore = Callable[[Callable[[Store], Any]], Any]


async def restore_site(
    fetcher: Fetcher,
    read: ReadStore,
    domain: str,
    kind: str,
    result: FetchResult,
    *,
    records: bool,
    body: bool,
    subdomains: bool,
    counts: dict[str, int],
    held: HeldRow | Unread | None = UNREAD,
) -> FetchResult:
    """A site's 304 with its held copy filled in (:func:`restore_unchanged`), and the files
    of that copy's ``SUBDOMAIN=`` lines fetched again, as after a 200, each conditionally
    with its own held copy's validators (and restored in turn when it answers 304).

    ``records`` and ``body``: whether the held copies' records and bodies are read back
    (see :func:`restore_unchanged`); ``counts`` gets the number of records of each copy
    restored without them, by URL. ``held``: the site's file as the store held it, when
    the caller read it already (for the request's validators).
    """

    def restored(
        host: str, file_kind: str, part: FetchResult, known: HeldRow | Unread | None = UNREAD
    ) -> FetchResult:
        def restore(store: Store) -> tuple[FetchResult, int | None]:
            if known is UNREAD:
                return restore_unchanged(store, host, file_kind, part, records=records, body=body)
            return restore_held(store, known, part, records=records, body=body)

        part, unread = read(restore)
        if unread is not None:
            counts[part.final_url or part.url] = unread
        return part

    if result.status != 304:
        return result
    result = restored(domain.lower(), kind, result, held)
    parsed = result.parse_result
    if not subdomains or kind != "ads.txt" or parsed is None:
        return result
    if not any(v.name == "SUBDOMAIN" for v in parsed.variables):
        return result
    result = await fetcher.follow_subdomains(
        domain, result, lambda host: read(lambda store: validators_for(store, host, "ads.txt"))
    )
    parts = tuple(restored(part.domain.lower(), "ads.txt", part) for part in result.subdomains)
    return attrs.evolve(result, subdomains=parts)
