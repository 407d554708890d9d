"""Typed change events between two consecutive good copies of one file.

See docs/history.md for what each event means, with examples. In short:

- A record is identified by its key, (ad system lower-cased, seller ID as written).
  Reordering lines, comments, blank lines, whitespace and the case of the ad system or of
  the relationship produce no event.
- One key may appear on several lines (``DIRECT`` and ``RESELLER`` for one seller is common
  and legitimate). A key's relationships are the *set* of relationships over its lines and
  its certification IDs the set of distinct, non-empty IDs (lower-cased, as TAG-IDs are
  hex); ``relationship-changed`` and ``certification-changed`` say that such a set changed,
  with ``old``/``new`` holding each set as text (``"DIRECT, RESELLER"``).
- A variable is identified by its *slot*: OWNERDOMAIN has one slot (the spec: "only the
  first should be used"); MANAGERDOMAIN one per country plus one global; in those the first
  line wins and a new value is ``variable-changed``. Every other name (CONTACT, SUBDOMAIN,
  INVENTORYPARTNERDOMAIN, unknown names) may repeat, so each (name, value) is its own slot
  and only appears or disappears.
- ``None`` stands for "no current copy": a file appearing gives ``file-appeared`` and then
  an added event for each of its records and variables, because a seller watching its lines
  wants to hear "my line appeared on site X"; a file disappearing gives the removals.

Order: file events first, then record events by (ad system, seller ID, event type), then
variable events by (name, slot, event type), event types in the order of
:class:`ChangeType`. The same two snapshots always give the same list.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from adstxt.store._snapshot import FileSnapshot, SnapshotRecord, SnapshotVariable, Verdict

__all__ = ["ChangeEvent", "ChangeType", "derive_changes", "record_key", "variable_slot"]


class ChangeType(str, enum.Enum):
    """What changed. The declaration order is the order of events about one key."""

    FILE_APPEARED = "file-appeared"
    FILE_DISAPPEARED = "file-disappeared"
    FILE_BECAME_INVALID = "file-became-invalid"
    FILE_RECOVERED = "file-recovered"
    RECORD_REMOVED = "record-removed"
    RECORD_ADDED = "record-added"
    RELATIONSHIP_CHANGED = "relationship-changed"
    CERTIFICATION_CHANGED = "certification-changed"
    VARIABLE_REMOVED = "variable-removed"
    VARIABLE_ADDED = "variable-added"
    VARIABLE_CHANGED = "variable-changed"

    def __str__(self) -> str:
        return self.value


_RANK = {kind: rank for rank, kind in enumerate(ChangeType)}


@attrs.frozen(slots=True)
class ChangeEvent:
    """One change. Fields that do not apply to the event's type are None.

    Record events carry ``ad_system`` (lower-cased) and ``seller_id``; variable events carry
    ``variable`` (the upper-cased name); file events carry neither. ``old``/``new`` hold the
    value before and after (relationships, certification IDs, a variable's value, a
    verdict), ``old_line``/``new_line`` the first line of the key in each copy.
    """

    type: ChangeType
    ad_system: str | None = None
    seller_id: str | None = None
    variable: str | None = None
    old: str | None = None
    new: str | None = None
    old_line: int | None = None
    new_line: int | None = None


def record_key(record: SnapshotRecord) -> tuple[str, str]:
    """What identifies a record across copies: (ad system lower-cased, seller ID)."""
    return (record.ad_system.strip().lower(), record.seller_id.strip())


#: Names with one value per slot, the first line winning.
_SINGLE_SLOT = frozenset({"OWNERDOMAIN", "MANAGERDOMAIN"})
#: Names whose values are domains, compared case-insensitively.
_DOMAIN_VALUED = frozenset({"SUBDOMAIN", "INVENTORYPARTNERDOMAIN", "OWNERDOMAIN", "MANAGERDOMAIN"})


def _normal_value(name: str, value: str) -> str:
    value = value.strip()
    if name == "MANAGERDOMAIN":
        domain, comma, country = value.partition(",")
        domain = domain.strip().lower()
        return f"{domain}, {country.strip().upper()}" if comma else domain
    return value.lower() if name in _DOMAIN_VALUED else value


def variable_slot(variable: SnapshotVariable) -> tuple[str, str]:
    """What identifies a variable across copies: (upper-cased name, slot).

    The slot is ``""`` for OWNERDOMAIN, the upper-cased country (``""`` for the global
    one) for MANAGERDOMAIN, and the normalized value for every other name.
    """
    name = variable.name.strip().upper()
    if name == "OWNERDOMAIN":
        return (name, "")
    if name == "MANAGERDOMAIN":
        _, _, country = variable.value.partition(",")
        return (name, country.strip().upper())
    return (name, _normal_value(name, variable.value))


def _relationships_text(relationships: set[str]) -> str:
    # DIRECT before RESELLER, any other value after them in alphabetical order.
    return ", ".join(sorted(relationships, key=lambda r: (r not in ("DIRECT", "RESELLER"), r)))


def _certifications_text(certifications: set[str]) -> str | None:
    return ", ".join(sorted(certifications)) if certifications else None


class _Seller:
    """What one copy says about one key: its relationships, certification IDs, first line."""

    __slots__ = ("certifications", "line", "relationships")

    def __init__(self, line: int) -> None:
        self.relationships: set[str] = set()
        self.certifications: set[str] = set()
        self.line = line


def _sellers(records: Iterable[SnapshotRecord]) -> dict[tuple[str, str], _Seller]:
    sellers: dict[tuple[str, str], _Seller] = {}
    for record in records:
        key = record_key(record)
        seller = sellers.get(key)
        if seller is None:
            seller = sellers[key] = _Seller(record.line)
        seller.relationships.add(record.relationship.strip().upper())
        certification = record.certification_id
        if certification and (certification := certification.strip().lower()):
            seller.certifications.add(certification)
    return sellers


def _slots(variables: Iterable[SnapshotVariable]) -> dict[tuple[str, str], SnapshotVariable]:
    slots: dict[tuple[str, str], SnapshotVariable] = {}
    for variable in variables:
        slots.setdefault(variable_slot(variable), variable)  # the first line wins
    return slots


def _file_events(old: FileSnapshot | None, new: FileSnapshot | None) -> list[ChangeEvent]:
    if old is None and new is not None:
        return [ChangeEvent(ChangeType.FILE_APPEARED, new=new.verdict.value)]
    if old is not None and new is None:
        return [ChangeEvent(ChangeType.FILE_DISAPPEARED, old=old.verdict.value)]
    if old is None or new is None or old.verdict is new.verdict:
        return []
    if old.verdict is Verdict.VALID:
        kind = ChangeType.FILE_BECAME_INVALID
    elif new.verdict is Verdict.VALID:
        kind = ChangeType.FILE_RECOVERED
    else:
        return []  # errors <-> not-ads-txt: unusable before and after
    return [ChangeEvent(kind, old=old.verdict.value, new=new.verdict.value)]


def _record_events(
    old: dict[tuple[str, str], _Seller], new: dict[tuple[str, str], _Seller]
) -> list[ChangeEvent]:
    events = []
    for key, before in old.items():
        after = new.get(key)
        if after is None:
            events.append(
                ChangeEvent(
                    ChangeType.RECORD_REMOVED,
                    *key,
                    old=_relationships_text(before.relationships),
                    old_line=before.line,
                )
            )
            continue
        if before.relationships != after.relationships:
            events.append(
                ChangeEvent(
                    ChangeType.RELATIONSHIP_CHANGED,
                    *key,
                    old=_relationships_text(before.relationships),
                    new=_relationships_text(after.relationships),
                    old_line=before.line,
                    new_line=after.line,
                )
            )
        if before.certifications != after.certifications:
            events.append(
                ChangeEvent(
                    ChangeType.CERTIFICATION_CHANGED,
                    *key,
                    old=_certifications_text(before.certifications),
                    new=_certifications_text(after.certifications),
                    old_line=before.line,
                    new_line=after.line,
                )
            )
    for key, after in new.items():
        if key not in old:
            events.append(
                ChangeEvent(
                    ChangeType.RECORD_ADDED,
                    *key,
                    new=_relationships_text(after.relationships),
                    new_line=after.line,
                )
            )
    events.sort(key=lambda e: (e.ad_system, e.seller_id, _RANK[e.type]))
    return events


def _variable_events(
    old: dict[tuple[str, str], SnapshotVariable], new: dict[tuple[str, str], SnapshotVariable]
) -> list[tuple[tuple[str, str, int], ChangeEvent]]:
    events = []
    for slot, before in old.items():
        name = slot[0]
        after = new.get(slot)
        if after is None:
            event = ChangeEvent(
                ChangeType.VARIABLE_REMOVED, variable=name, old=before.value, old_line=before.line
            )
        elif _normal_value(name, before.value) != _normal_value(name, after.value):
            event = ChangeEvent(
                ChangeType.VARIABLE_CHANGED,
                variable=name,
                old=before.value,
                new=after.value,
                old_line=before.line,
                new_line=after.line,
            )
        else:
            continue
        events.append(((*slot, _RANK[event.type]), event))
    for slot, after in new.items():
        if slot not in old:
            event = ChangeEvent(
                ChangeType.VARIABLE_ADDED, variable=slot[0], new=after.value, new_line=after.line
            )
            events.append(((*slot, _RANK[event.type]), event))
    events.sort(key=lambda pair: pair[0])
    return events


def derive_changes(old: FileSnapshot | None, new: FileSnapshot | None) -> list[ChangeEvent]:
    """The events that turn copy ``old`` of a file into copy ``new`` (None: no copy)."""
    events = _file_events(old, new)
    old_records = () if old is None else old.records
    new_records = () if new is None else new.records
    if old_records != new_records:
        events += _record_events(_sellers(old_records), _sellers(new_records))
    old_variables = () if old is None else old.variables
    new_variables = () if new is None else new.variables
    if old_variables != new_variables:
        events += [e for _, e in _variable_events(_slots(old_variables), _slots(new_variables))]
    return events
