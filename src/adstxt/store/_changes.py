"""TEMPORARY stand-in until the events branch is merged (never committed)."""

from __future__ import annotations

import enum

import attrs

from adstxt.store._snapshot import FileSnapshot


class ChangeType(enum.StrEnum):
    RECORD_ADDED = "record-added"
    RECORD_REMOVED = "record-removed"
    RELATIONSHIP_CHANGED = "relationship-changed"
    FILE_APPEARED = "file-appeared"
    FILE_DISAPPEARED = "file-disappeared"


@attrs.frozen
class ChangeEvent:
    type: ChangeType
    ad_system: str | None
    seller_id: str | None
    variable: str | None
    old: str | None
    new: str | None
    old_line: int | None
    new_line: int | None


def derive_changes(old: FileSnapshot | None, new: FileSnapshot | None) -> list[ChangeEvent]:
    out = []
    if old is None and new is not None:
        out.append(ChangeEvent(ChangeType.FILE_APPEARED, None, None, None, None, None, None, None))
    if new is None and old is not None:
        out.append(
            ChangeEvent(ChangeType.FILE_DISAPPEARED, None, None, None, None, None, None, None)
        )
    a = {(r.ad_system.lower(), r.seller_id): r for r in (old.records if old else ())}
    b = {(r.ad_system.lower(), r.seller_id): r for r in (new.records if new else ())}
    for k in a.keys() - b.keys():
        out.append(
            ChangeEvent(
                ChangeType.RECORD_REMOVED,
                a[k].ad_system,
                k[1],
                None,
                a[k].relationship,
                None,
                a[k].line,
                None,
            )
        )
    for k in b.keys() - a.keys():
        out.append(
            ChangeEvent(
                ChangeType.RECORD_ADDED,
                b[k].ad_system,
                k[1],
                None,
                None,
                b[k].relationship,
                None,
                b[k].line,
            )
        )
    for k in a.keys() & b.keys():
        if a[k].relationship != b[k].relationship:
            out.append(
                ChangeEvent(
                    ChangeType.RELATIONSHIP_CHANGED,
                    b[k].ad_system,
                    k[1],
                    None,
                    a[k].relationship,
                    b[k].relationship,
                    a[k].line,
                    b[k].line,
                )
            )
    return out
