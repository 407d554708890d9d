"""Resolving apps: ask each store (rate limited, cached), read the answer, derive the domain.

Every store request goes through :class:`adstxt.fetch.Fetcher`: its time limits, body
size cap, redirect rules and refusal of private addresses apply to stores as to sites.
Answers are kept for the run in memory and, with a cache directory, on disk for as long
as their ``Cache-Control``/``Expires`` headers allow (7 days without them, matching the
app-ads.txt spec's "no more than weekly").
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from adstxt.apps._developer import derive
from adstxt.apps._ids import AppRef, parse_app_id
from adstxt.apps._listing import Finding, read_listing, read_lookup
from adstxt.apps._ratelimit import StoreGate, StoreRequest
from adstxt.apps._record import Resolution
from adstxt.apps._stores import STORES, check_bases, listing_url, lookup_url

if TYPE_CHECKING:
    import ssl

    from adstxt.fetch import Caching, ConnectTo, Fetcher
    from adstxt.sellers._cache import DiskCache

__all__ = ["AppResolver", "DeveloperLookup"]

_PAGE = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
_JSON = "application/json,text/javascript;q=0.9,*/*;q=0.5"
#: How long a store's "no such app" (404, 410) is believed, with a cache directory: a day,
#: so that an app listed again is seen soon.
GONE_LIFETIME = dt.timedelta(days=1)
#: Listing pages are large (Google Play's run to about 1 MiB); far above that is not one.
MAX_LISTING_BYTES = 8 * 1024 * 1024


@attrs.frozen
class _Answer:
    """A store's answer: a body (2xx), ``gone`` (404 or 410), or a ``problem``."""

    url: str
    body: bytes | None = None
    gone: bool = False
    problem: str | None = None


class AppResolver:
    """Resolves app identifiers to developer domains; make one per run and reuse it.

    ``bases`` replaces store base URLs (names as in :data:`adstxt.apps.BASES`);
    ``cache_dir`` keeps store answers between runs; ``interval`` is the pause in seconds
    between two requests to one store. The other arguments are those of
    :class:`adstxt.fetch.Fetcher`.
    """

    def __init__(
        self,
        *,
        bases: Mapping[str, str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        interval: float = 1.0,
        connect_to: Sequence[ConnectTo | str] = (),
        allow_private_addresses: bool = False,
        verify: bool | ssl.SSLContext = True,
        timeout: float = 30.0,
        user_agent: str | None = None,
    ) -> None:
        number: object = interval  # checked: a caller may pass anything
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not number >= 0:
            raise ValueError(f"interval must be a number of seconds, at least 0, not {interval!r}")
        self.bases = check_bases(bases or {})
        self.gate = StoreGate(float(interval))
        self._options: dict[str, Any] = {
            "connect_to": tuple(connect_to),
            "allow_private_addresses": allow_private_addresses,
            "verify": verify,
            "timeout": timeout,
            "connect_timeout": min(5.0, timeout),
            "read_timeout": min(10.0, timeout),
            "max_bytes": MAX_LISTING_BYTES,
        }
        if user_agent is not None:
            self._options["user_agent"] = user_agent
        self._disk: DiskCache | None = None
        if cache_dir is not None:
            from adstxt.sellers._cache import DiskCache

            self._disk = DiskCache(Path(cache_dir) / "apps")
        self._answers: dict[str, _Answer] = {}
        self._done: dict[str, Resolution] = {}

    @property
    def requests(self) -> list[StoreRequest]:
        """Every request sent to a store so far, in order."""
        return self.gate.sent

    # ---- entry points ------------------------------------------------------------------

    def resolve(self, queries: Sequence[str]) -> list[Resolution]:
        """Resolve every identifier (synchronously), in the order given."""
        return asyncio.run(self.resolve_async(queries))

    def resolve_one(self, query: str) -> Resolution:
        """Resolve one identifier (synchronously)."""
        return self.resolve([query])[0]

    async def resolve_async(self, queries: Sequence[str]) -> list[Resolution]:
        """Resolve every identifier: the stores in parallel, each store's requests spaced."""
        try:
            from adstxt.fetch import Fetcher
        except ImportError as error:
            raise ImportError(
                f"{error}; resolving apps needs the 'fetch' and 'apps' extras: "
                "pip install 'adstxt[fetch,apps]'"
            ) from None
        try:
            async with Fetcher(**self._options) as fetcher:
                refs = [parse_app_id(query) for query in queries]
                # One resolution per app, however often and in whichever form it is given.
                unique = {_key(ref): ref for ref in reversed(refs)}
                found = await asyncio.gather(*(self._resolve(fetcher, r) for r in unique.values()))
        finally:
            self.gate.forget_loop()
        by_key = dict(zip(unique, found, strict=True))
        return [attrs.evolve(by_key[_key(ref)], query=ref.query) for ref in refs]

    # ---- one app -----------------------------------------------------------------------

    async def _resolve(self, fetcher: Fetcher, ref: AppRef) -> Resolution:
        key = _key(ref)
        known = self._done.get(key) if ref.problem is None else None
        if known is not None:
            return attrs.evolve(known, query=ref.query)
        if ref.problem is not None:
            store = STORES.get(ref.store or "")
            outcome = (
                "unsupported-store"
                if store is not None and not store.supported
                else ("unrecognized")
            )
            return Resolution(ref.query, outcome, ref.store, ref.app_id, detail=ref.problem)
        assert ref.store is not None and ref.app_id is not None
        if ref.store == "apple":
            result = await self._apple(fetcher, ref)
        else:
            url = listing_url(self.bases, ref.store, ref.app_id)
            answer = await self._ask(fetcher, ref.store, url, _PAGE)
            result = self._settle(ref, answer, lambda body: read_listing(ref.store or "", body))
        self._done[key] = result
        return result

    async def _apple(self, fetcher: Fetcher, ref: AppRef) -> Resolution:
        assert ref.app_id is not None
        lookup = await self._ask(fetcher, "apple", lookup_url(self.bases, ref.app_id), _JSON)
        first = self._settle(ref, lookup, read_lookup)
        if first.developer_url is not None:
            return first
        number = ref.app_id if ref.app_id.isdigit() else _track_id(lookup.body)
        if number is None:
            # A bundle ID that the lookup does not know: no listing page can be named.
            return (
                first
                if first.outcome != "listing"
                else attrs.evolve(
                    first,
                    outcome="layout-not-understood",
                    detail="the lookup answer has no trackId",
                )
            )
        page = await self._ask(fetcher, "apple", listing_url(self.bases, "apple", number), _PAGE)
        second = self._settle(ref, page, lambda body: read_listing("apple", body))
        why = first.detail or first.outcome
        return attrs.evolve(second, detail=f"{second.detail} (lookup API: {why})")

    def _settle(self, ref: AppRef, answer: _Answer, read: Callable[[bytes], Finding]) -> Resolution:
        common: dict[str, Any] = {
            "query": ref.query,
            "store": ref.store,
            "app_id": ref.app_id,
            "listing_url": answer.url,
        }
        if answer.problem is not None:
            return Resolution(outcome="fetch-error", detail=answer.problem, **common)
        if answer.gone or answer.body is None:
            return Resolution(
                outcome="not-found", detail="the store answers that there is no such app", **common
            )
        finding = read(answer.body)
        if finding.state == "listing":
            return Resolution(outcome="listing", detail=finding.detail, **common)
        if finding.state != "found" or finding.developer_url is None:
            return Resolution(outcome=finding.state, detail=finding.detail, **common)
        derived = derive(finding.developer_url)
        return Resolution(
            outcome=derived.outcome,
            developer_url=finding.developer_url,
            source=finding.source,
            domain=derived.domain,
            app_ads_hosts=derived.hosts,
            detail=derived.detail,
            **common,
        )

    # ---- store requests ----------------------------------------------------------------

    async def _ask(self, fetcher: Fetcher, store: str, url: str, accept: str) -> _Answer:
        known = self._answers.get(url)
        if known is not None:
            return known
        cached = self._from_disk(url)
        if cached is not None:
            self._answers[url] = cached
            return cached
        await self.gate.wait(store, url)
        resource = await fetcher.fetch_resource_at(url, accept=accept)
        if resource.ok and resource.body is not None:
            answer = _Answer(url, resource.body)
            self._to_disk(url, resource.final_url or url, resource.body, resource.caching)
        elif resource.status in (404, 410):
            answer = _Answer(url, gone=True)
            now = dt.datetime.now(dt.UTC)
            self._to_disk(url, url, b"", None, gone_until=now + GONE_LIFETIME)
        else:
            errors = [d.message for d in resource.diagnostics if d.severity.value == "error"]
            answer = _Answer(url, problem="; ".join(errors[:2]) or f"{url}: {resource.outcome}")
        self._answers[url] = answer
        return answer

    @staticmethod
    def _disk_key(url: str, gone: bool = False) -> str:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        return f"gone-{digest}" if gone else digest

    def _from_disk(self, url: str) -> _Answer | None:
        if self._disk is None:
            return None
        now = dt.datetime.now(dt.UTC)
        loaded = self._disk.load(self._disk_key(url))
        if loaded is not None and loaded[0].is_fresh(now):
            return _Answer(url, loaded[1])
        gone = self._disk.peek(self._disk_key(url, gone=True))
        if gone is not None and gone.is_fresh(now):
            return _Answer(url, gone=True)
        return None

    def _to_disk(
        self,
        url: str,
        final: str,
        body: bytes,
        caching: Caching | None,
        gone_until: dt.datetime | None = None,
    ) -> None:
        if self._disk is None:
            return
        from adstxt.sellers._cache import Entry

        now = dt.datetime.now(dt.UTC)
        if gone_until is not None:
            fresh = gone_until
        else:
            fresh = caching.fresh_until if caching is not None else now + dt.timedelta(days=7)
        if fresh <= now:
            return  # no-store, no-cache or max-age=0: not kept
        key = self._disk_key(url, gone=gone_until is not None)
        # A failed write costs only later runs their copy: this run has it.
        with contextlib.suppress(OSError):
            self._disk.store(Entry(key, final, now, fresh), body)


def _key(ref: AppRef) -> str:
    """What identifies an app: its store and ID (its query when it names none)."""
    return f"{ref.store}:{ref.app_id}" if ref.problem is None else f"?{ref.query}"


def _track_id(body: bytes | None) -> str | None:
    """The App Store ID (``trackId``) in a lookup answer, for an app asked by bundle ID."""
    import json

    try:
        data = json.loads(body or b"")
        track = data["results"][0]["trackId"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return str(track) if isinstance(track, int) and not isinstance(track, bool) else None


class DeveloperLookup(Mapping[str, str]):
    """App bundle or store URL to developer URL, resolved through the stores on first use.

    Made for :class:`adstxt.schain.Verifier`'s ``app_developers``: ``bundle in lookup``
    asks the store once; an app that does not resolve is simply absent.
    """

    def __init__(self, resolver: AppResolver) -> None:
        self.resolver = resolver
        self.resolutions: dict[str, Resolution] = {}

    def resolution(self, key: str) -> Resolution:
        """The resolution of ``key``, asking the store the first time."""
        found = self.resolutions.get(key)
        if found is None:
            found = self.resolutions[key] = self.resolver.resolve_one(key)
        return found

    def __getitem__(self, key: str) -> str:
        found = self.resolution(key)
        if not found.resolved or found.developer_url is None:
            raise KeyError(key)
        return found.developer_url

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, r in self.resolutions.items() if r.resolved])

    def __len__(self) -> int:
        return sum(1 for r in self.resolutions.values() if r.resolved)
