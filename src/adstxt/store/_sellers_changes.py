"""What one stored sellers.json declares, and the change events between two copies.

A seller is identified by its trimmed ``seller_id``, as buyers look it up: a file whose
entries were reordered or reformatted produces no events. The fields compared are those the
cross-checks read: ``seller_type``, ``name``, ``domain`` and ``is_confidential``.

A sellers.json seen for the first time (or gone) gives one file event, not one event per
seller: a large exchange lists a million sellers, and its first sighting says nothing about
any of them having changed.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from adstxt.store._changes import ChangeEvent, ChangeType

__all__ = [
    "SellersSnapshot",
    "derive_sellers_changes",
    "sellers_snapshot",
    "sellers_verdict",
]

#: The fields of a seller that change events compare, in the order they are reported.
FIELDS = ("seller_type", "name", "domain", "is_confidential")

_Entry = tuple[str | None, str | None, str | None, str]


@attrs.frozen
class SellersSnapshot:
    """The verdict of a stored sellers.json and its sellers by ID (first entry wins)."""

    verdict: str
    sellers: dict[str, _Entry]


def sellers_verdict(result: object) -> str:
    """``valid``, ``errors`` (usable, with error findings) or ``not-sellers-json``."""
    from adstxt.sellers import SellersResult

    assert isinstance(result, SellersResult)
    if not result.usable:
        return "not-sellers-json"
    return "valid" if result.ok else "errors"


def sellers_snapshot(source: bytes | object) -> SellersSnapshot:
    """What change events compare in a sellers.json: its body, or the body parsed (a
    :class:`adstxt.sellers.SellersResult`)."""
    from adstxt.sellers import SellersResult, parse

    result = parse(source) if isinstance(source, bytes) else source
    assert isinstance(result, SellersResult)
    sellers: dict[str, _Entry] = {}
    for seller in result:
        sellers.setdefault(
            seller.seller_id,
            (
                seller.seller_type,
                seller.name,
                seller.domain,
                "1" if seller.is_confidential else "0",
            ),
        )
    return SellersSnapshot(sellers_verdict(result), sellers)


def derive_sellers_changes(
    sellers_domain: str, old: SellersSnapshot | None, new: SellersSnapshot | None
) -> list[ChangeEvent]:
    """The events that turn copy ``old`` of the sellers.json filed under ``sellers_domain``
    into copy ``new`` (None: no copy)."""
    if old is None or new is None:
        if old is None and new is not None:
            return [ChangeEvent(ChangeType.FILE_APPEARED, new=new.verdict)]
        if old is not None:
            return [ChangeEvent(ChangeType.FILE_DISAPPEARED, old=old.verdict)]
        return []
    events = []
    if old.verdict != new.verdict and "valid" in (old.verdict, new.verdict):
        kind = (
            ChangeType.FILE_BECAME_INVALID if old.verdict == "valid" else ChangeType.FILE_RECOVERED
        )
        events.append(ChangeEvent(kind, old=old.verdict, new=new.verdict))
    events.extend(_seller_events(sellers_domain, old.sellers, new.sellers))
    return events


def _seller_events(
    system: str, old: dict[str, _Entry], new: dict[str, _Entry]
) -> Iterator[ChangeEvent]:
    for seller_id in sorted(old.keys() - new.keys()):
        yield ChangeEvent(ChangeType.SELLER_REMOVED, system, seller_id, old=old[seller_id][0])
    for seller_id in sorted(new.keys() - old.keys()):
        yield ChangeEvent(ChangeType.SELLER_ADDED, system, seller_id, new=new[seller_id][0])
    for seller_id in sorted(old.keys() & new.keys()):
        before, after = old[seller_id], new[seller_id]
        if before == after:
            continue
        for field, was, now in zip(FIELDS, before, after, strict=True):
            if was != now:
                yield ChangeEvent(
                    ChangeType.SELLER_CHANGED, system, seller_id, variable=field, old=was, new=now
                )
