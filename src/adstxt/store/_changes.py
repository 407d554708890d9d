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
    #: sellers.json events: a seller ID listed, no longer listed, or with another value in
    #: one of its fields (``variable`` names the field: seller_type, name, domain,
    #: is_confidential).
    SELLER_REMOVED = "seller-removed"
    SELLER_ADDED = "seller-added"
    SELLER_CHANGED = "seller-changed"
    #: An app's store listing now leads to another developer domain (kind ``app``).
    APP_DOMAIN_CHANGED = "app-domain-changed"

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
    return (record.ad_system.lower(), record.seller_id)


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


_Key = tuple[str, str]
_Pair = tuple[str, str | None]


def _pairs(records: Iterable[SnapshotRecord]) -> set[tuple[str, str, str, str | None]]:
    """Each record as (ad system, seller ID, relationship, certification ID), normalized as
    they are compared: one flat tuple per record keeps this pass cheap."""
    return {
        (
            r.ad_system.lower(),
            r.seller_id,
            r.relationship.upper(),
            r.certification_id.lower() if r.certification_id else None,
        )
        for r in records
    }


def _gather(
    records: Iterable[SnapshotRecord], touched: set[_Key] | None
) -> tuple[dict[_Key, set[_Pair]], dict[_Key, int]]:
    """The pairs and the first line of each touched key (``None``: every key)."""
    pairs: dict[_Key, set[_Pair]] = {}
    lines: dict[_Key, int] = {}
    for record in records:
        key = (record.ad_system.lower(), record.seller_id)
        if touched is None or key in touched:
            if key not in lines:
                lines[key] = record.line
                pairs[key] = set()
            certification = record.certification_id
            pairs[key].add(
                (record.relationship.upper(), certification.lower() if certification else None)
            )
    return pairs, lines


def _relationships_of(pairs: set[_Pair]) -> str:
    if len(pairs) == 1:  # most keys have one line: nothing to sort
        return next(iter(pairs))[0]
    return _relationships_text({relationship for relationship, _ in pairs})


def _certifications_of(pairs: set[_Pair]) -> str | None:
    return _certifications_text({c for _, c in pairs if c is not None})


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
    old: tuple[SnapshotRecord, ...], new: tuple[SnapshotRecord, ...]
) -> list[ChangeEvent]:
    if not old:
        # A file's first copy (the commonest new version in a crawl): every key is added.
        added, first_lines = _gather(new, None)
        return [
            ChangeEvent(
                ChangeType.RECORD_ADDED,
                *key,
                new=_relationships_of(added[key]),
                new_line=first_lines[key],
            )
            for key in sorted(added)
        ]
    # Most of two consecutive copies is the same: compare every record as a set in bulk,
    # then look closer only at the keys whose records differ.
    touched = {(system, seller) for system, seller, _, _ in _pairs(old) ^ _pairs(new)}
    if not touched:
        return []
    old_pairs, old_lines = _gather(old, touched)
    new_pairs, new_lines = _gather(new, touched)
    events = []
    for key in sorted(touched):
        before, after = old_pairs.get(key), new_pairs.get(key)
        if after is None:
            assert before is not None
            events.append(
                ChangeEvent(
                    ChangeType.RECORD_REMOVED,
                    *key,
                    old=_relationships_of(before),
                    old_line=old_lines[key],
                )
            )
        elif before is None:
            events.append(
                ChangeEvent(
                    ChangeType.RECORD_ADDED,
                    *key,
                    new=_relationships_of(after),
                    new_line=new_lines[key],
                )
            )
        else:
            lines = (old_lines[key], new_lines[key])
            relationships = (_relationships_of(before), _relationships_of(after))
            if relationships[0] != relationships[1]:
                events.append(
                    ChangeEvent(ChangeType.RELATIONSHIP_CHANGED, *key, None, *relationships, *lines)
                )
            certifications = (_certifications_of(before), _certifications_of(after))
            if certifications[0] != certifications[1]:
                events.append(
                    ChangeEvent(
                        ChangeType.CERTIFICATION_CHANGED, *key, None, *certifications, *lines
                    )
                )
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
    if old_records is not new_records:
        events += _record_events(old_records, new_records)
    old_variables = () if old is None else old.variables
    new_variables = () if new is None else new.variables
    if old_variables is not new_variables:
        events += [e for _, e in _variable_events(_slots(old_variables), _slots(new_variables))]
    return events
