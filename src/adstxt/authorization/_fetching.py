"""A source that fetches files from the live sites, through :mod:`adstxt.fetch`.

Every file is fetched at most once per source (make one per run). With a cache directory,
bodies are also kept on disk for as long as their ``Cache-Control``/``Expires`` headers
allow (7 days without them, ads.txt 1.1 section 3.6), and a failed fetch falls back to the
last good copy there. sellers.json files go through :func:`adstxt.sellers.online_source`,
which follows the same rules and knows the ad systems that publish elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adstxt.authorization._sources import (
    _DEFINITIVE,
    AdsFile,
    SellersFile,
    classify,
    raw_bytes,
)
from adstxt.model import FileKind

if TYPE_CHECKING:
    import ssl

    from adstxt._diskcache import DiskCache
    from adstxt.fetch import ConnectTo, FetchResult
    from adstxt.sellers import OnlineSource

__all__ = ["FetchSource"]


class FetchSource:
    """Fetch ads.txt, app-ads.txt and sellers.json as crawlers do; needs the fetch extra.

    ``cache_dir`` keeps copies between runs (``ads/`` and ``sellers/`` inside it); without
    it, copies last for the run only. The other arguments are those of
    :class:`adstxt.fetch.Fetcher`; ``locations`` adds sellers.json locations (ad-system
    domain to URL) to the shipped table.
    """

    def __init__(
        self,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        connect_to: Sequence[ConnectTo] = (),
        allow_private_addresses: bool = False,
        verify: bool | ssl.SSLContext = True,
        timeout: float = 30.0,
        locations: Mapping[str, str] | None = None,
        keep: bool = True,
    ) -> None:
        from adstxt._diskcache import DiskCache
        from adstxt.sellers import online_source

        self._temporary: str | None = None
        if cache_dir is None:
            # The sellers.json source always keeps files on disk: here only for this run.
            self._temporary = tempfile.mkdtemp(prefix="adstxt-run-")
            base = Path(self._temporary)
            self._disk: DiskCache | None = None
        else:
            base = Path(cache_dir)
            self._disk = DiskCache(base / "ads")
        self._options: dict[str, Any] = {
            "connect_to": tuple(connect_to),
            "allow_private_addresses": allow_private_addresses,
            "verify": verify,
            "timeout": timeout,
            "connect_timeout": min(5.0, timeout),
            "read_timeout": min(10.0, timeout),
        }
        self._online: OnlineSource = online_source(
            cache_dir=base / "sellers",
            connect_to=connect_to,
            allow_private_addresses=allow_private_addresses,
            verify=verify,
            timeout=timeout,
            locations=locations,
        )
        self._ads: dict[tuple[str, FileKind], AdsFile] = {}
        self._sellers: dict[str, SellersFile] = {}
        # Without ``keep``, only the files of the latest site are kept (its root file and
        # the SUBDOMAIN= files fetched with it): a run that visits each site once, such as
        # an audit of many publishers, then holds one site's files, not every one.
        self.keep = keep

    def close(self) -> None:
        """Remove the run's temporary copies (a given cache directory stays)."""
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    def __enter__(self) -> FetchSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def hosts(self, kind: FileKind) -> tuple[str, ...]:
        """The web cannot be listed: nothing."""
        return ()

    # ---- ads.txt and app-ads.txt -------------------------------------------------------

    def ads_file(self, host: str, kind: FileKind) -> AdsFile:
        """What ``host`` serves, fetched once per run (or taken from a fresh cached copy).

        For ads.txt the root domain is fetched with its SUBDOMAIN= files; a subdomain that
        the root file does not declare has no file of its own (crawlers fetch only declared
        subdomains), and is answered ``not-found``.
        """
        from adstxt.fetch import root_domain

        host = host.strip().lower().rstrip(".")
        key = (host, kind)
        if key in self._ads:
            return self._ads[key]
        if kind == "app-ads.txt":
            if not self.keep:
                self._ads.clear()
            self._ads[key] = self._obtain(host, kind)
            return self._ads[key]
        root = root_domain(host) or host
        if (root, kind) not in self._ads:
            if not self.keep:
                self._ads.clear()
            self._ads[(root, kind)] = self._obtain(root, kind)
        if key not in self._ads:
            self._ads[key] = AdsFile(
                host,
                kind,
                "not-found",
                None,
                None,
                f"{root}'s ads.txt declares no SUBDOMAIN={host} with a file of its own",
            )
        return self._ads[key]

    def _cache_key(self, host: str, kind: FileKind) -> str:
        return f"{kind}@{host}"

    def _obtain(self, host: str, kind: FileKind) -> AdsFile:
        now = dt.datetime.now(dt.UTC)
        if self._disk is not None:
            loaded = self._disk.load(self._cache_key(host, kind))
            if loaded is not None and loaded[0].is_fresh(now):
                entry, body = loaded
                self._subdomains_from_cache(host, kind, now)
                return classify(host, kind, body, entry.url)
        from adstxt.fetch import fetch_async

        result = asyncio.run(fetch_async(host, kind=kind, **self._options))
        for sub in result.subdomains:
            if sub.outcome == "ok":
                name = (sub.domain or "").lower()
                self._ads[(name, kind)] = self._settle(name, kind, sub)
        return self._settle(host, kind, result)

    def _subdomains_from_cache(self, host: str, kind: FileKind, now: dt.datetime) -> None:
        assert self._disk is not None
        from urllib.parse import quote, unquote

        prefix = quote(f"{kind}@", safe="-._")
        for path in self._disk.directory.glob(f"{prefix}*.{host}.cache"):
            name = unquote(path.name)[len(kind) + 1 : -len(".cache")]
            loaded = self._disk.load(self._cache_key(name, kind))
            if loaded is not None and loaded[0].is_fresh(now):
                self._ads[(name, kind)] = classify(name, kind, loaded[1], loaded[0].url)

    def _settle(self, host: str, kind: FileKind, result: FetchResult) -> AdsFile:
        where = result.final_url or result.url or None
        outcome = result.outcome
        if outcome == "ok" and result.body is not None:
            self._store(host, kind, result)
            parsed = result.parse_result
            if parsed is None:
                return classify(host, kind, result.body, where)
            ignored = next((d for d in parsed.diagnostics if d.code in ("ADS004", "ADS005")), None)
            if ignored is not None:
                return AdsFile(host, kind, "invalid", where, parsed, f"{where}: {ignored.message}")
            return AdsFile(host, kind, "ok", where, parsed, raw=raw_bytes(result.body, parsed))
        errors = [d.message for d in result.fetch_diagnostics if d.severity.value == "error"]
        why = f"{where or host}: " + ("; ".join(errors[:2]) if errors else outcome)
        state = _DEFINITIVE.get(outcome)
        if state is not None:
            return AdsFile(host, kind, state, where, None, why)
        if self._disk is not None:
            loaded = self._disk.load(self._cache_key(host, kind))
            if loaded is not None:
                # ads.txt 1.1 section 3.6: after any other error, the last good copy.
                entry, body = loaded
                return classify(host, kind, body, entry.url, stale=True)
        return AdsFile(
            host, kind, "unavailable", where, None, why + ", and no earlier copy is cached"
        )

    def _store(self, host: str, kind: FileKind, result: FetchResult) -> None:
        if self._disk is None or result.body is None:
            return
        from adstxt._diskcache import Entry

        now = dt.datetime.now(dt.UTC)
        caching = result.caching
        entry = Entry(
            self._cache_key(host, kind),
            result.final_url or result.url,
            caching.fetched_at if caching else now,
            caching.fresh_until if caching else now + dt.timedelta(days=7),
        )
        # A failed write costs only later runs their copy: this run has it.
        with contextlib.suppress(OSError):
            self._disk.store(entry, result.body)

    # ---- sellers.json ------------------------------------------------------------------

    def sellers_file(self, ad_system: str) -> SellersFile:
        """The ad system's sellers.json, fetched once per run (or from the cache)."""
        name = ad_system.strip().lower().rstrip(".")
        found = self._sellers.get(name)
        if found is None:
            result = self._online.lookup(name)
            location = self._online.locate(name)
            retrieval = self._online.retrievals.get(location.key) if location else None
            where = retrieval.url if retrieval else None
            if result is None or not result.usable:
                problem = (
                    retrieval.problem
                    if retrieval and retrieval.problem
                    else (result.problem if result else f"no sellers.json for {name}")
                )
                found = SellersFile(name, where, result, problem)
            else:
                found = SellersFile(name, where or result.filename, result)
            self._sellers[name] = found
        return found
