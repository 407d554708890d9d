"""A crawl store as a source of lookups (``adstxt.authorization.Source``): each host's
current copy, and each ad system's sellers.json, as the store holds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from adstxt.authorization._sources import AdsFile, FileState, SellersFile, classify
from adstxt.model import FileKind
from adstxt.store._dialect import timestamp
from adstxt.store._policy import STALE_LIMIT
from adstxt.store._store import Store

__all__ = ["StoreSource"]

# Outcomes after which a file without a copy is what the server said it is.
_DEFINITIVE: Mapping[str, FileState] = {
    "not-found": "not-found",
    "invalid-domain": "not-found",
    "restricted": "restricted",
    "not-ads-txt": "invalid",
    "wrong-content-type": "invalid",
    "bad-encoding": "invalid",
}


class StoreSource:
    """Lookups answered from ``store``: a file's current copy (stale while the spec keeps
    it), or why there is none. ``now`` (a store timestamp) is when a stale copy is judged;
    ``locations`` is the sellers.json locations table, as for a mirror. With ``keep``
    false, an ads.txt or app-ads.txt is read afresh on every request and not kept: a run
    that reads each file once (an audit of many publishers) then holds only the file in
    use."""

    def __init__(
        self,
        store: Store,
        *,
        now: str | None = None,
        locations: Mapping[str, str] | None = None,
        keep: bool = True,
    ) -> None:
        self.store = store
        self.keep = keep
        self._now = now
        self._locations = dict(locations or {})
        self._ads: dict[tuple[str, FileKind], AdsFile] = {}
        self._sellers: dict[str, SellersFile] = {}

    def hosts(self, kind: FileKind) -> list[str]:
        """Every host the store has fetched a ``kind`` file for."""
        return [
            str(domain)
            for (domain,) in self.store._rows(
                "SELECT domain FROM files WHERE kind = ? ORDER BY domain", (kind,)
            )
        ]

    def ads_file(self, host: str, kind: FileKind) -> AdsFile:
        """The current copy of ``host``'s file, read and parsed once."""
        key = (host.strip().lower().rstrip("."), kind)
        if not self.keep:
            return self._read(*key)
        if key not in self._ads:
            self._ads[key] = self._read(*key)
        return self._ads[key]

    def _read(self, host: str, kind: FileKind) -> AdsFile:
        row = self.store.file(host, kind)
        if row is None:
            return AdsFile(host, kind, "not-found", None, None, f"the store has no {host}/{kind}")
        good = self.store.fetch(row.good_fetch_id) if row.good_fetch_id else None
        where = str(good["final_url"] or good["requested_url"]) if good else f"{host}/{kind}"
        if row.sha256 is None:
            state = _DEFINITIVE.get(row.last_outcome)
            if state is not None:
                return AdsFile(
                    host, kind, state, where, None,
                    f"{host}/{kind}: the latest fetch found {row.last_outcome}",
                )  # fmt: skip
            return AdsFile(
                host, kind, "unavailable", where, None,
                f"{host}/{kind}: the latest fetch failed ({row.last_outcome}) and the store "
                "holds no earlier copy",
            )  # fmt: skip
        if row.stale_since is not None and self._expired(row.stale_since):
            return AdsFile(
                host, kind, "unavailable", where, None,
                f"{where}: fetches have failed since {row.stale_since}, longer than the "
                f"{STALE_LIMIT.days} days a last good copy is kept",
            )  # fmt: skip
        body = self.store.body(row.sha256)
        if body is None:  # a body row cannot go missing while a file points at it
            return AdsFile(host, kind, "unavailable", where, None, f"{where}: body missing")
        return classify(host, kind, body, where, stale=row.stale_since is not None)

    def _expired(self, since: str) -> bool:
        now = dt.datetime.fromisoformat(self._now or timestamp())
        return now - dt.datetime.fromisoformat(since) >= STALE_LIMIT

    def sellers_file(self, ad_system: str) -> SellersFile:
        """The current copy of ``ad_system``'s sellers.json (kept through any error)."""
        from adstxt.sellers import parse, sellers_json_location

        name = ad_system.strip().lower().rstrip(".")
        if name in self._sellers:
            return self._sellers[name]
        location = sellers_json_location(name, self._locations)
        keys = [name] + ([location.key] if location is not None else [])
        found = SellersFile(name, None, None, f"the store has no sellers.json for {name}")
        for key in dict.fromkeys(keys):
            row = self.store.file(key, "sellers.json")
            if row is None or row.sha256 is None:
                continue
            body = self.store.body(row.sha256)
            if body is None:
                continue
            good = self.store.fetch(row.good_fetch_id) if row.good_fetch_id else None
            where = str(good["final_url"]) if good and good["final_url"] else f"{key}/sellers.json"
            result = parse(body, filename=where)
            found = SellersFile(name, where, result, None if result.usable else result.problem)
            break
        self._sellers[name] = found
        return found
