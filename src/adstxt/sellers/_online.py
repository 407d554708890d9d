"""sellers.json fetched from the ad systems' own sites, kept in a disk cache (fetch extra).

The spec digest (section 8.1) puts an ad system's file at ``/sellers.json`` on its root
domain, fetched under the redirect rules of ads.txt, served as ``application/json``, with a
7-day default lifetime; after a 404 or any other error the last good copy stays in use.
:func:`online_source` follows that: a fresh cached copy is used without any request, a
stale one is fetched again, and when that fails the old copy is kept and the failure noted
in :attr:`OnlineSource.retrievals`. The HTTP client is imported only when a source is made,
so ``import adstxt.sellers`` stays free of it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Coroutine, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from adstxt._diskcache import DiskCache, Entry, default_cache_dir
from adstxt._domains import analyze_host
from adstxt.diagnostics import Diagnostic, Severity
from adstxt.sellers._crosscheck import _candidates
from adstxt.sellers._document import SellersResult, parse
from adstxt.sellers._locations import SellersLocation, sellers_json_location

if TYPE_CHECKING:
    import ssl

    from adstxt.fetch import ConnectTo, Resource

__all__ = [
    "DEFAULT_LIFETIME",
    "DEFAULT_MAX_BYTES",
    "OnlineSource",
    "Retrieval",
    "default_cache_dir",
    "online_source",
]

#: The default body cap: the largest real sellers.json files run to hundreds of MiB.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
#: sellers.json 1.0 takes the ads.txt rule: without caching headers a copy lasts 7 days.
DEFAULT_LIFETIME = dt.timedelta(days=7)
_ACCEPT = "application/json"
_PATH = "/sellers.json"
_log = logging.getLogger("adstxt.sellers")
_T = TypeVar("_T")

#: How a copy was obtained: fetched now, a fresh cached copy (no request made), the last
#: good cached copy after a failed refetch, or no usable copy at all.
Origin = Literal["network", "cache", "stale-cache", "none"]


@attrs.frozen
class Retrieval:
    """How one ad system's sellers.json was obtained, for reports.

    ``problem`` says why the latest fetch failed (with ``origin`` ``stale-cache`` the old
    copy was used despite it; with ``none`` the ad system has no usable sellers.json).
    """

    ad_system: str
    origin: Origin
    url: str | None = None
    fetched_at: dt.datetime | None = None
    fresh_until: dt.datetime | None = None
    problem: str | None = None


def _failure(code: str, message: str, url: str | None) -> SellersResult:
    """An unusable result whose problem is ``message`` (what ADS701 then reports)."""
    diagnostic = Diagnostic(
        code=code, severity=Severity.ERROR, line=1, column=1, end_column=1, message=message
    )
    return SellersResult(None, (diagnostic,), "utf-8", filename=url)


def _media_type(headers: Any) -> str:
    return str(headers.get("content-type", "")).partition(";")[0].strip().lower()


def _run(work: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine to completion, also when called from inside a running event loop."""
    # asyncio pulls in ssl and subprocess: imported here, so offline use never loads them.
    import asyncio
    import concurrent.futures

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


class OnlineSource:
    """A :class:`~adstxt.sellers.SellersSource` that fetches each ad system's sellers.json.

    Each root domain is fetched at most once per source (make one source per run), and
    :meth:`prefetch` fetches many at once. Build it with :func:`online_source`.
    """

    def __init__(self, cache: DiskCache, options: dict[str, Any]) -> None:
        self.cache = cache
        self._options = options
        self._results: dict[str, SellersResult] = {}
        #: How each ad system's copy was obtained, in the order they were settled; keyed by
        #: root domain, or by the domain a known location belongs to.
        self.retrievals: dict[str, Retrieval] = {}

    def locate(self, ad_system: str) -> SellersLocation | None:
        """Where this source looks for the sellers.json of ``ad_system``."""
        return sellers_json_location(ad_system, self._options.get("locations"))

    def lookup(self, ad_system: str) -> SellersResult | None:
        """The sellers.json of ``ad_system``: at its known location, else on its root domain.

        A failed fetch with no earlier copy gives an unusable result whose ``problem``
        says what went wrong (a 404, a timeout, HTML instead of JSON, a body too large).
        """
        name = ad_system.strip().lower().rstrip(".")
        location = self.locate(name)
        if location is None:
            return _failure(
                "ADS529",
                f"'{name}' is not a domain under a public suffix, so "
                "it has no sellers.json to fetch",
                None,
            )
        self.prefetch((name,))
        key = location.key
        result = self._results[key]
        if self.retrievals[key].origin == "none" and _elsewhere(name, key):
            # None lets the cross-check try the ad system's canonical domain next
            # (openx.net -> openx.com): buyers look there when the name itself has no file.
            return None
        return result

    def prefetch(self, ad_systems: Iterable[str]) -> None:
        """Obtain the sellers.json of several ad systems, fetching concurrently."""
        wanted: dict[str, SellersLocation] = {}
        for name in ad_systems:
            location = self.locate(name)
            if location is not None and location.key not in self._results:
                wanted.setdefault(location.key, location)
        if not wanted:
            return
        now = dt.datetime.now(dt.UTC)
        pending = [loc for key, loc in wanted.items() if not self._from_cache(key, now)]
        if not pending:
            return
        fetched = _run(self._download(pending, self._options))
        # Parsing waits until every download is done: a large file takes seconds of CPU,
        # which inside the event loop would stall the other downloads into timeouts.
        for index, location in enumerate(pending):
            resource, fetched[index] = fetched[index], None
            assert resource is not None
            self._settle_fetch(location.key, resource)

    @staticmethod
    async def _download(
        locations: Sequence[SellersLocation],
        options: dict[str, Any],
    ) -> list[Resource | None]:
        import asyncio

        from adstxt.fetch import Fetcher

        settings = {k: v for k, v in options.items() if k != "locations"}
        async with Fetcher(**settings) as fetcher:
            return list(
                await asyncio.gather(
                    *(
                        fetcher.fetch_resource(loc.key, _PATH, accept=_ACCEPT)
                        if loc.origin == "default"
                        else fetcher.fetch_resource_at(loc.url, accept=_ACCEPT)
                        for loc in locations
                    )
                )
            )

    def _from_cache(self, root: str, now: dt.datetime) -> bool:
        """Use a fresh cached copy; False when there is none (or it is stale or broken)."""
        entry = self.cache.peek(root)
        if entry is None or not entry.is_fresh(now):
            return False
        loaded = self.cache.load(root)
        if loaded is None or not loaded[0].is_fresh(now):
            return False
        entry, body = loaded
        result = parse(body, filename=entry.url)
        if not result.usable:
            return False
        self._settle(
            root, result, Retrieval(root, "cache", entry.url, entry.fetched_at, entry.fresh_until)
        )
        return True

    def _settle_fetch(self, root: str, resource: Resource) -> None:
        if resource.ok and resource.body is not None:
            result = parse(resource.body, filename=resource.final_url)
            if result.usable:
                self._keep(root, resource, result)
                return
            media = _media_type(resource.headers)
            served = f" (served as {media})" if media and media != _ACCEPT else ""
            code = result.diagnostics[0].code if result.diagnostics else "ADS601"
            self._failed(
                root,
                code,
                f"{resource.final_url} is not a usable sellers.json{served}: {result.problem}",
                resource.final_url,
            )
            return
        self._failed(root, *_why(resource))

    def _keep(self, root: str, resource: Resource, result: SellersResult) -> None:
        assert resource.body is not None and resource.final_url is not None
        now = dt.datetime.now(dt.UTC)
        caching = resource.caching
        fetched = caching.fetched_at if caching else now
        fresh = caching.fresh_until if caching else now + self._options["lifetime"]
        entry = Entry(root, resource.final_url, fetched, fresh)
        try:
            self.cache.store(entry, resource.body)
        except OSError as exc:
            # The copy is still good for this run; only later runs lose it.
            _log.warning(
                "cannot write the sellers.json cache %s: %s",
                self.cache.path(root),
                (exc.strerror or str(exc)).lower(),
            )
        self._settle(root, result, Retrieval(root, "network", entry.url, fetched, fresh))

    def _failed(self, root: str, code: str, message: str, url: str | None) -> None:
        loaded = self.cache.load(root)
        if loaded is not None:
            entry, body = loaded
            result = parse(body, filename=entry.url)
            if result.usable:
                # sellers.json 1.0: after a 404 or any other error, the last good copy
                # stays in use; the report says which copy that is.
                _log.warning(
                    "%s; using the last good copy of %s's sellers.json, fetched %s from %s",
                    message,
                    root,
                    entry.fetched_at.isoformat(timespec="seconds"),
                    entry.url,
                )
                self._settle(
                    root,
                    result,
                    Retrieval(
                        root, "stale-cache", entry.url, entry.fetched_at, entry.fresh_until, message
                    ),
                )
                return
        message += ", and no earlier copy is cached"
        self._settle(
            root, _failure(code, message, url), Retrieval(root, "none", url, problem=message)
        )

    def _settle(self, root: str, result: SellersResult, retrieval: Retrieval) -> None:
        self._results[root] = result
        self.retrievals[root] = retrieval


def _elsewhere(name: str, root: str) -> bool:
    """True when the cross-check looks ``name`` up under another root domain too."""
    return any(
        analyze_host(other).registrable not in (None, root) for other in _candidates(name)[1:]
    )


def _why(resource: Resource) -> tuple[str, str, str | None]:
    """The code, message and URL of a failed fetch: its errors, in sellers.json words.

    When HTTPS failed one way and HTTP another, both are told, HTTP's answer first.
    """
    url = resource.final_url or resource.url or None
    errors = [d for d in resource.diagnostics if d.severity is Severity.ERROR]
    if not errors:
        return "ADS501", f"{url}: no response", url
    messages: list[str] = []
    for error in errors:
        message = error.message
        if error.code == "ADS504":
            # The fetch module words a 404 for ads.txt. Here it only says the file is not
            # at this URL: the ad system may publish it elsewhere (--sellers-location).
            where = message.split(" answers 404", 1)[0]
            message = f"no sellers.json was found at {where} (it answers 404)"
        if message not in messages:
            messages.append(message)
    return errors[0].code, "; ".join(messages), url


def online_source(
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    connect_to: Sequence[ConnectTo] = (),
    allow_private_addresses: bool = False,
    timeout: float = 30.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lifetime: dt.timedelta = DEFAULT_LIFETIME,
    verify: bool | ssl.SSLContext = True,
    max_connections: int = 8,
    locations: Mapping[str, str] | None = None,
) -> OnlineSource:
    """A source that fetches each ad system's sellers.json on demand.

    The file is looked for where :func:`adstxt.sellers.sellers_json_location` says:
    ``locations`` (ad-system domain to URL), then the shipped table of known locations,
    else ``https://<ad system root domain>/sellers.json``.

    Copies are kept in ``cache_dir`` (default: ``$XDG_CACHE_HOME/adstxt/sellers`` or
    ``~/.cache/adstxt/sellers``) until the deadline their ``Cache-Control: max-age`` or
    ``Expires`` header gives, else for ``lifetime``. ``timeout`` bounds one fetch (both
    schemes, every redirect) in seconds and ``max_bytes`` the body as it streams in.
    ``connect_to``, ``allow_private_addresses`` and ``verify`` are as for
    :class:`adstxt.fetch.Fetcher`;
    ``max_connections`` bounds concurrent downloads (each may hold ``max_bytes``).
    Needs the ``fetch`` extra (``pip install 'adstxt[fetch]'``).
    """
    try:
        import adstxt.fetch  # noqa: F401  (the HTTP client, loaded only for online use)
    except ImportError as exc:
        raise ImportError(
            "fetching sellers.json files needs the 'fetch' extra: pip install 'adstxt[fetch]'"
        ) from exc
    options: dict[str, Any] = {
        "connect_to": tuple(connect_to),
        "allow_private_addresses": allow_private_addresses,
        "verify": verify,
        "timeout": timeout,
        "connect_timeout": min(5.0, timeout),
        "read_timeout": min(10.0, timeout),
        "max_bytes": max_bytes,
        "lifetime": lifetime,
        "max_connections": max_connections,
        "locations": dict(locations or {}),
    }
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return OnlineSource(DiskCache(directory), options)
