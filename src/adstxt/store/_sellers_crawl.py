"""The sellers.json phase of a crawl: fetch the file of every ad system the crawled files
name, keep it in the store with its history, and check the crawl's records against it.

It runs in the crawling process once the ads.txt phase is over, whatever the number of
worker processes: the ad systems are read back from the store (the records of the crawl's
current copies), so each sellers.json is fetched once per crawl. An ad system is looked for
where :func:`adstxt.sellers.sellers_json_location` says (its root domain, or the off-root
locations table); ad systems sharing one file share one fetch and one check.

The check is made once per sellers.json, over the distinct (seller ID, relationship) pairs
of the records naming its ad systems, not once per record: a seller ID used by a thousand
sites is looked up once and reported once, with the number of records behind it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from adstxt.store._dialect import timestamp
from adstxt.store._record import FetchRecord
from adstxt.store._store import Store

if TYPE_CHECKING:
    from adstxt.fetch import Resource, Validators
    from adstxt.sellers import SellersLocation, SellersResult

__all__ = ["SELLERS_MAX_BYTES", "SellersCheck", "crawl_sellers", "stored_checks"]

#: Body size limit for a sellers.json: the largest exchanges' files run to hundreds of MiB.
SELLERS_MAX_BYTES = 512 * 1024 * 1024
#: sellers.json files fetched at once: each may be held whole in memory while it is read.
_AT_ONCE = 4
#: Seller IDs listed per finding in a check's details (the counts cover them all).
_LISTED = 100

_CRAWL_FILES = (
    "WITH crawl_files AS (SELECT f.domain, f.sha256 FROM files f WHERE f.kind = ? "
    "AND f.sha256 IS NOT NULL AND (f.domain IN (SELECT domain FROM crawl_domains "
    "WHERE crawl_id = ?) OR f.last_fetch_id IN (SELECT id FROM fetches WHERE crawl_id = ?))) "
)
_PAIRS = (
    _CRAWL_FILES + "SELECT LOWER(r.ad_system), r.seller_id, UPPER(r.relationship), COUNT(*) "
    "FROM crawl_files c JOIN bodies b ON b.sha256 = c.sha256 "
    "JOIN body_records r ON r.body_id = b.id WHERE b.verdict <> 'not-ads-txt' "
    "GROUP BY LOWER(r.ad_system), r.seller_id, UPPER(r.relationship)"
)
_SITES = (
    _CRAWL_FILES + "SELECT LOWER(r.ad_system), COUNT(DISTINCT c.domain) "
    "FROM crawl_files c JOIN bodies b ON b.sha256 = c.sha256 "
    "JOIN body_records r ON r.body_id = b.id WHERE b.verdict <> 'not-ads-txt' "
    "GROUP BY LOWER(r.ad_system)"
)
_CHECK_COLUMNS = (
    "crawl_id",
    "sellers_domain",
    "ad_systems",
    "fetch_id",
    "outcome",
    "sellers",
    "records",
    "sites",
    "not_listed",
    "wrong_case",
    "wrong_type",
    "confidential",
    "details",
)


@attrs.frozen
class SellersCheck:
    """The check of one sellers.json against the records of a crawl that name its ad
    systems.

    ``outcome`` is the fetch's (``ok``, ``not-found``, ``not-sellers-json``...);
    ``checked_against`` says which copy the records were checked against: ``fetched``,
    ``last good copy`` (the fetch failed, an earlier copy stands) or ``none``. Each
    finding list holds at most :data:`_LISTED` entries; the counts cover them all.
    ``not_listed`` is ``[seller_id, records]``, ``wrong_case`` ``[seller_id, listed_as,
    records]``, ``wrong_type`` ``[seller_id, relationship, seller_type, records]`` and
    ``confidential`` ``[seller_id, records]``.
    """

    sellers_domain: str
    ad_systems: tuple[str, ...]
    url: str
    outcome: str
    checked_against: str
    sellers: int | None
    records: int
    sites: int
    pairs: int
    not_listed_count: int
    wrong_case_count: int
    wrong_type_count: int
    confidential_count: int
    not_listed: tuple[tuple[Any, ...], ...] = ()
    wrong_case: tuple[tuple[Any, ...], ...] = ()
    wrong_type: tuple[tuple[Any, ...], ...] = ()
    confidential: tuple[tuple[Any, ...], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "sellers_domain": self.sellers_domain,
            "ad_systems": list(self.ad_systems),
            "url": self.url,
            "outcome": self.outcome,
            "checked_against": self.checked_against,
            "sellers": self.sellers,
            "records": self.records,
            "sites": self.sites,
            "seller_ids": self.pairs,
            "not_listed": {"count": self.not_listed_count, "listed": self.not_listed},
            "wrong_case": {"count": self.wrong_case_count, "listed": self.wrong_case},
            "wrong_type": {"count": self.wrong_type_count, "listed": self.wrong_type},
            "confidential": {"count": self.confidential_count, "listed": self.confidential},
        }

    def summary(self) -> str:
        """One line: what was checked and what was found."""
        systems = ", ".join(self.ad_systems)
        what = f"{self.records:,} record{'' if self.records == 1 else 's'} on {self.sites:,} "
        what += f"site{'' if self.sites == 1 else 's'}"
        if self.checked_against == "none":
            return f"{systems}: {what} not checked: no sellers.json at {self.url} ({self.outcome})"
        held = f"{self.sellers:,} sellers" if self.sellers is not None else "no sellers array"
        source = {
            "fetched": "",
            "held copy, still fresh": ", still fresh: not fetched",
        }.get(self.checked_against, f", {self.outcome}: last good copy")
        found = [
            f"{self.not_listed_count:,} seller IDs not listed",
            f"{self.wrong_case_count:,} in the wrong case",
            f"{self.wrong_type_count:,} with the wrong seller type",
            f"{self.confidential_count:,} confidential",
        ]
        return f"{systems} ({held}{source}): {what} checked; {', '.join(found)}"


def crawl_sellers(
    store: Store,
    crawl_id: int,
    kind: str,
    fetcher_options: Mapping[str, Any],
    locations: Mapping[str, str] | None = None,
    *,
    refresh: bool = False,
) -> list[SellersCheck]:
    """Fetch, store and check the sellers.json of every ad system of crawl ``crawl_id``;
    return the checks, the most records first. Store errors are raised as they come.

    A held copy still fresh (by its Cache-Control or Expires, or the spec's 7 days) is
    checked against without a fetch unless ``refresh``; any other is asked for with its
    validators, so that an unchanged file answers 304 and is not downloaded again.
    """
    from adstxt.sellers import sellers_json_location
    from adstxt.store._crawling import validators_for
    from adstxt.store._dialect import timestamp

    pairs: dict[str, list[tuple[str, str, int]]] = {}
    for system, seller_id, relationship, count in store._rows(_PAIRS, (kind, crawl_id, crawl_id)):
        pairs.setdefault(system, []).append((seller_id, relationship, int(count)))
    sites = {
        system: int(count) for system, count in store._rows(_SITES, (kind, crawl_id, crawl_id))
    }
    groups: dict[str, tuple[SellersLocation, list[str]]] = {}
    for system in sorted(pairs):
        location = sellers_json_location(system, locations)
        if location is not None:
            groups.setdefault(location.key, (location, []))[1].append(system)
    checks: list[SellersCheck] = []
    now = timestamp()
    fresh: list[SellersLocation] = []
    stale: list[SellersLocation] = []
    for location, _ in groups.values():
        held = store.file(location.key, "sellers.json")
        still_fresh = (
            held is not None
            and held.sha256 is not None
            and held.stale_since is None
            and (held.fresh_until or "") > now
        )
        (fresh if still_fresh and not refresh else stale).append(location)

    def settle(location: SellersLocation, resource: Resource, started: str, took: float) -> None:
        systems = groups[location.key][1]
        record = _fetch_record(location.key, resource, started, took)
        store.record(crawl_id, [(location.key, [record])])
        url = resource.final_url or resource.url
        check = _check(store, location, url, record.outcome, systems, pairs, sites)
        _keep_check(store, crawl_id, check)
        checks.append(check)

    for location in fresh:
        systems = groups[location.key][1]
        check = _check(store, location, location.url, "fresh", systems, pairs, sites)
        _keep_check(store, crawl_id, check)
        checks.append(check)
    validators = {loc.key: validators_for(store, loc.key, "sellers.json") for loc in stale}
    asyncio.run(_fetch_all(stale, validators, fetcher_options, settle))
    return sorted(checks, key=lambda c: (-c.records, c.sellers_domain))


async def _fetch_all(
    locations: Sequence[SellersLocation],
    validators: Mapping[str, Validators | None],
    options: Mapping[str, Any],
    settle: Callable[[SellersLocation, Resource, str, float], None],
) -> None:
    """Fetch each location, a few at a time, and settle each as soon as it is in: a large
    file is stored and checked before the next one is read, not held with all the others."""
    from adstxt.fetch import Fetcher

    gate = asyncio.Semaphore(_AT_ONCE)

    async def one(location: SellersLocation) -> None:
        async with gate:
            started, clock = dt.datetime.now(dt.UTC), time.monotonic()
            if location.origin == "default":
                resource = await fetcher.fetch_resource(
                    location.key,
                    "/sellers.json",
                    accept="application/json",
                    validators=validators.get(location.key),
                )
            else:
                resource = await fetcher.fetch_resource_at(
                    location.url, accept="application/json", validators=validators.get(location.key)
                )
            settle(location, resource, timestamp(started), time.monotonic() - clock)

    async with Fetcher(**{**options, "max_bytes": SELLERS_MAX_BYTES}) as fetcher:
        await asyncio.gather(*(one(location) for location in locations))


def _fetch_record(domain: str, resource: Resource, started: str, took: float) -> FetchRecord:
    """A sellers.json fetch as the store keeps it; a body that is not a sellers.json (an
    HTML page served with 200, say) is a failure, and the last good copy stands."""
    from adstxt.sellers import is_sellers_json

    outcome, body, error = resource.outcome, resource.body, None
    errors = [d.message for d in resource.diagnostics if d.severity.value == "error"]
    if errors:
        error = errors[0]
    if (
        outcome == "ok"
        and not resource.unchanged
        and (body is None or not is_sellers_json(None, head=body[:4096]))
    ):
        outcome, body = "not-sellers-json", None
        error = f"{resource.final_url or resource.url} does not hold a sellers.json document"
    caching = resource.caching
    return FetchRecord(
        domain=domain,
        kind="sellers.json",
        requested_url=resource.url,
        chain=json.dumps([[hop.url, hop.status, hop.location] for hop in resource.chain]),
        final_url=resource.final_url,
        status=resource.status,
        etag=caching.etag if caching else None,
        last_modified=caching.last_modified if caching else None,
        cache_control=caching.cache_control if caching else None,
        expires=caching.expires if caching else None,
        content_type=resource.headers.get("content-type"),
        started_at=started,
        duration_ms=max(0, round(took * 1000)),
        outcome=outcome,
        error=error,
        body=body if outcome == "ok" else None,
        parse_result=None,
        unchanged=resource.unchanged,
        fresh_until=timestamp(caching.fresh_until) if caching else None,
    )


def _current(store: Store, domain: str) -> tuple[SellersResult | None, bool]:
    """The current copy of the sellers.json filed under ``domain``, parsed, and whether it
    is stale (the last fetch failed)."""
    row = store.file(domain, "sellers.json")
    result = store.sellers_result(row.sha256) if row is not None else None
    if row is None or result is None:
        return None, False
    return result, row.stale_since is not None


def _check(
    store: Store,
    location: SellersLocation,
    url: str,
    outcome: str,
    systems: Sequence[str],
    pairs: Mapping[str, list[tuple[str, str, int]]],
    sites: Mapping[str, int],
) -> SellersCheck:
    wanted = [pair for system in systems for pair in pairs[system]]
    result, stale = _current(store, location.key)
    base: dict[str, Any] = {
        "sellers_domain": location.key,
        "ad_systems": tuple(systems),
        "url": url,
        "outcome": outcome,
        "records": sum(count for _, _, count in wanted),
        "sites": sum(sites.get(system, 0) for system in systems),
        "pairs": len({seller_id for seller_id, _, _ in wanted}),
    }
    if result is None or not result.usable:
        return SellersCheck(
            **base,
            checked_against="none",
            sellers=None if result is None else len(result),
            not_listed_count=0,
            wrong_case_count=0,
            wrong_type_count=0,
            confidential_count=0,
        )
    missing: dict[str, int] = {}
    wrong_type: list[tuple[Any, ...]] = []
    confidential: dict[str, int] = {}
    for seller_id, relationship, count in wanted:
        seller = result.get(seller_id)
        if seller is None:
            missing[seller_id] = missing.get(seller_id, 0) + count
            continue
        if (relationship, seller.seller_type) in (
            ("DIRECT", "INTERMEDIARY"),
            ("RESELLER", "PUBLISHER"),
        ):
            wrong_type.append((seller_id, relationship, seller.seller_type, count))
        if seller.is_confidential:
            confidential[seller_id] = confidential.get(seller_id, 0) + count
    variants = result.case_variants(missing)
    wrong_case = [
        (seller_id, variants[seller_id][0].seller_id, count)
        for seller_id, count in missing.items()
        if variants.get(seller_id)
    ]
    not_listed = [(s, count) for s, count in missing.items() if not variants.get(s)]
    most = sorted(not_listed, key=lambda item: (-item[1], item[0]))
    return SellersCheck(
        **base,
        checked_against=(
            "held copy, still fresh"
            if outcome == "fresh"
            else "last good copy"
            if stale or outcome != "ok"
            else "fetched"
        ),
        sellers=len(result),
        not_listed_count=len(not_listed),
        wrong_case_count=len(wrong_case),
        wrong_type_count=len(wrong_type),
        confidential_count=len(confidential),
        not_listed=tuple(most[:_LISTED]),
        wrong_case=tuple(sorted(wrong_case, key=lambda item: (-item[2], item[0]))[:_LISTED]),
        wrong_type=tuple(sorted(wrong_type, key=lambda item: (-item[3], item[0]))[:_LISTED]),
        confidential=tuple(sorted(confidential.items(), key=lambda i: (-i[1], i[0]))[:_LISTED]),
    )


def _keep_check(store: Store, crawl_id: int, check: SellersCheck) -> None:
    row = store.file(check.sellers_domain, "sellers.json")
    with store.transaction():
        store._run(
            store.dialect.upsert("sellers_checks", _CHECK_COLUMNS, ("crawl_id", "sellers_domain")),
            (
                crawl_id,
                check.sellers_domain,
                ",".join(check.ad_systems),
                row.last_fetch_id if row is not None else None,
                check.outcome,
                check.sellers,
                check.records,
                check.sites,
                check.not_listed_count,
                check.wrong_case_count,
                check.wrong_type_count,
                check.confidential_count,
                json.dumps(check.to_json(), sort_keys=True),
            ),
        )


def stored_checks(store: Store, crawl_id: int) -> list[dict[str, Any]]:
    """The sellers.json checks stored for crawl ``crawl_id``, the most records first."""
    return [
        json.loads(details)
        for (details,) in store._rows(
            "SELECT details FROM sellers_checks WHERE crawl_id = ? "
            "ORDER BY records DESC, sellers_domain",
            (crawl_id,),
        )
    ]
