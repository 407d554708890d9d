"""Writing a mirror directory: what ``adstxt crawl --mirror DIR`` leaves for lookups.

The layout is ``DIR/<host>/ads.txt``, ``DIR/<host>/app-ads.txt`` and
``DIR/<ad-system domain>/sellers.json``, each file exactly as served, each written
atomically (a reader sees the old copy or the new one). Beside each, ``<file>.fetch.json``
records the latest fetch: its outcome, status, URLs and freshness. A definitive answer (a
404, a 401, a body that is not the file) removes the old copy; any other failure keeps it,
as the last good copy that ads.txt 1.1 section 3.6 tells consumers to go on using.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adstxt.authorization._sources import _DEFINITIVE, status_path
from adstxt.model import FileKind

if TYPE_CHECKING:
    from adstxt.fetch import FetchResult, Resource

__all__ = ["ad_systems_in", "mirror_sellers", "write_fetch"]


def _safe(host: str) -> str | None:
    name = host.strip().lower().rstrip(".")
    if not name or name.startswith(".") or "/" in name or "\\" in name or name in (".", ".."):
        return None
    return name


def _write(path: Path, data: bytes) -> None:
    from adstxt._atomic import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data, new_file_mode=0o644)


def _record(
    path: Path,
    outcome: str,
    status: int | None,
    url: str | None,
    final_url: str | None,
    fresh_until: dt.datetime | None,
) -> None:
    meta = {
        "outcome": outcome,
        "status": status,
        "url": url,
        "final_url": final_url,
        "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "fresh_until": fresh_until.isoformat(timespec="seconds") if fresh_until else None,
    }
    _write(status_path(path), (json.dumps(meta, sort_keys=True) + "\n").encode())


def _settle(path: Path, outcome: str, body: bytes | None) -> None:
    if outcome == "ok" and body is not None:
        _write(path, body)
    elif outcome in _DEFINITIVE:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def write_fetch(directory: str | os.PathLike[str], result: FetchResult) -> None:
    """Mirror one crawled site: its file and the files its SUBDOMAIN= entries led to."""
    base = Path(directory)
    for part in (result, *result.subdomains):
        name = _safe(part.domain)
        if name is None:
            continue
        path = base / name / part.kind
        outcome = part.outcome
        _settle(path, outcome, part.body)
        _record(
            path,
            outcome,
            part.status,
            part.url or None,
            part.final_url,
            part.caching.fresh_until if part.caching else None,
        )


def ad_systems_in(directory: str | os.PathLike[str]) -> list[str]:
    """Every ad-system domain named by a record of the mirror's ads.txt and app-ads.txt."""
    from adstxt._api import parse

    found: dict[str, None] = {}
    base = Path(directory)
    kinds: tuple[FileKind, ...] = ("ads.txt", "app-ads.txt")
    for kind in kinds:
        for path in sorted(base.glob(f"*/{kind}")):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for record in parse(data, kind=kind).records:
                if record.domain != "placeholder.example.com":
                    found.setdefault(record.domain, None)
    return list(found)


async def _download(locations: list[Any], options: Mapping[str, Any]) -> list[Resource]:
    import asyncio

    from adstxt.fetch import Fetcher

    async with Fetcher(**options) as fetcher:
        return list(
            await asyncio.gather(
                *(
                    fetcher.fetch_resource(loc.key, "/sellers.json", accept="application/json")
                    if loc.origin == "default"
                    else fetcher.fetch_resource_at(loc.url, accept="application/json")
                    for loc in locations
                )
            )
        )


def mirror_sellers(
    directory: str | os.PathLike[str],
    ad_systems: Iterable[str],
    options: Mapping[str, Any],
    locations: Mapping[str, str] | None = None,
) -> tuple[int, int]:
    """Fetch the sellers.json of each ad system into the mirror, at
    ``DIR/<domain>/sellers.json`` where ``<domain>`` is the one its location is filed under
    (its root domain, or the known-locations table's entry). Returns (written, failed)."""
    import asyncio

    from adstxt.sellers import sellers_json_location
    from adstxt.sellers._sniff import is_sellers_json

    wanted: dict[str, Any] = {}
    for name in ad_systems:
        location = sellers_json_location(name, locations)
        if location is not None:
            wanted.setdefault(location.key, location)
    if not wanted:
        return 0, 0
    chosen = list(wanted.values())
    resources = asyncio.run(_download(chosen, options))
    written = failed = 0
    base = Path(directory)
    for location, resource in zip(chosen, resources, strict=True):
        folder = _safe(location.key)
        if folder is None:
            continue
        path = base / folder / "sellers.json"
        outcome = resource.outcome
        if (
            outcome == "ok"
            and resource.body is not None
            and not is_sellers_json(None, head=resource.body[:4096])
        ):
            outcome = "not-sellers-json"
        if outcome == "ok":
            written += 1
        else:
            failed += 1
        # A sellers.json that fails for any reason keeps its last good copy (sellers.json
        # 1.0: "404 or any other error").
        if outcome == "ok" and resource.body is not None:
            _write(path, resource.body)
        _record(
            path,
            outcome,
            resource.status,
            resource.url or None,
            resource.final_url,
            resource.caching.fresh_until if resource.caching else None,
        )
    return written, failed
