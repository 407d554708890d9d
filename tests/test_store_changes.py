"""Change events between two copies of a file, built from real ads.txt text through parse."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

import adstxt
from adstxt.store._changes import ChangeEvent, ChangeType, derive_changes, record_key, variable_slot
from adstxt.store._snapshot import (
    FileSnapshot,
    SnapshotRecord,
    SnapshotVariable,
    Verdict,
    verdict_of,
)
from tests.conftest import SHARED
from tests.property.strategies import SETTINGS

E = ChangeEvent
T = ChangeType


def snap(text: str) -> FileSnapshot:
    return FileSnapshot.from_parse_result(adstxt.parse(text))


BASE = """\
# ads.txt for example.com
OWNERDOMAIN=example.com
CONTACT=adops@example.com
google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0
appnexus.com, 1356, RESELLER, f5ab79cb980f11d1
rubiconproject.com, 11078, DIRECT, 0bfd66d529a55807
"""


# -- the verdict ---------------------------------------------------------------------------


def test_verdicts_of_valid_erroneous_and_foreign_bodies() -> None:
    assert snap(BASE).verdict is Verdict.VALID
    assert snap(BASE + "foo.com, 1, DIRCT\n").verdict is Verdict.ERRORS
    assert snap("<!DOCTYPE html>\n<html><body>Not found</body></html>\n").verdict is (
        Verdict.NOT_ADS_TXT
    )
    assert snap("# nothing here yet\n").verdict is Verdict.NOT_ADS_TXT
    assert verdict_of([]) is Verdict.VALID
    assert str(Verdict.NOT_ADS_TXT) == "not-ads-txt"


def test_the_verdict_can_come_from_lint_diagnostics() -> None:
    text = BASE + "foo.com, 1, DIRCT\n"
    result = adstxt.parse(text)
    only_warnings = [d for d in adstxt.lint(text) if d.severity is not adstxt.Severity.ERROR]
    assert FileSnapshot.from_parse_result(result).verdict is Verdict.ERRORS
    assert FileSnapshot.from_parse_result(result, only_warnings).verdict is Verdict.VALID


def test_a_snapshot_holds_records_and_variables_with_their_lines() -> None:
    snapshot = snap(BASE)
    assert snapshot.records[0] == SnapshotRecord(
        "google.com", "pub-1234567890123456", "DIRECT", "f08c47fec0942fa0", 4
    )
    assert snapshot.variables == (
        SnapshotVariable("OWNERDOMAIN", "example.com", 2),
        SnapshotVariable("CONTACT", "adops@example.com", 3),
    )


# -- one case per event type ---------------------------------------------------------------


def test_no_change_no_event() -> None:
    assert derive_changes(snap(BASE), snap(BASE)) == []
    assert derive_changes(None, None) == []


def test_file_appeared_brings_each_record_and_variable() -> None:
    events = derive_changes(None, snap(BASE))
    assert events == [
        E(T.FILE_APPEARED, new="valid"),
        E(T.RECORD_ADDED, "appnexus.com", "1356", new="RESELLER", new_line=5),
        E(T.RECORD_ADDED, "google.com", "pub-1234567890123456", new="DIRECT", new_line=4),
        E(T.RECORD_ADDED, "rubiconproject.com", "11078", new="DIRECT", new_line=6),
        E(T.VARIABLE_ADDED, variable="CONTACT", new="adops@example.com", new_line=3),
        E(T.VARIABLE_ADDED, variable="OWNERDOMAIN", new="example.com", new_line=2),
    ]


def test_file_disappeared_takes_each_record_and_variable() -> None:
    events = derive_changes(snap(BASE), None)
    assert events[0] == E(T.FILE_DISAPPEARED, old="valid")
    assert [e.type for e in events[1:]] == [T.RECORD_REMOVED] * 3 + [T.VARIABLE_REMOVED] * 2
    assert events[1] == E(T.RECORD_REMOVED, "appnexus.com", "1356", old="RESELLER", old_line=5)


def test_record_added_and_removed() -> None:
    new = BASE.replace("appnexus.com, 1356, RESELLER, f5ab79cb980f11d1\n", "") + (
        "openx.com, 537149888, RESELLER, 6a698e2ec38604c6\n"
    )
    assert derive_changes(snap(BASE), snap(new)) == [
        E(T.RECORD_REMOVED, "appnexus.com", "1356", old="RESELLER", old_line=5),
        E(T.RECORD_ADDED, "openx.com", "537149888", new="RESELLER", new_line=6),
    ]


def test_relationship_changed() -> None:
    new = BASE.replace("11078, DIRECT", "11078, RESELLER")
    assert derive_changes(snap(BASE), snap(new)) == [
        E(T.RELATIONSHIP_CHANGED, "rubiconproject.com", "11078", None, "DIRECT", "RESELLER", 6, 6)
    ]


def test_a_second_line_for_one_seller_changes_its_set_of_relationships() -> None:
    new = BASE + "Google.com, pub-1234567890123456, reseller, f08c47fec0942fa0\n"
    forward = derive_changes(snap(BASE), snap(new))
    assert forward == [
        E(
            T.RELATIONSHIP_CHANGED,
            "google.com",
            "pub-1234567890123456",
            None,
            "DIRECT",
            "DIRECT, RESELLER",
            4,
            4,
        )
    ]
    back = derive_changes(snap(new), snap(BASE))
    assert [(e.type, e.old, e.new) for e in back] == [
        (T.RELATIONSHIP_CHANGED, "DIRECT, RESELLER", "DIRECT")
    ]


def test_an_exact_duplicate_line_changes_nothing() -> None:
    new = BASE + "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"
    assert derive_changes(snap(BASE), snap(new)) == []


def test_certification_changed_added_and_dropped() -> None:
    changed = BASE.replace("f5ab79cb980f11d1", "0123456789abcdef")
    dropped = BASE.replace(", f5ab79cb980f11d1", "")
    assert derive_changes(snap(BASE), snap(changed)) == [
        E(
            T.CERTIFICATION_CHANGED,
            "appnexus.com",
            "1356",
            None,
            "f5ab79cb980f11d1",
            "0123456789abcdef",
            5,
            5,
        )
    ]
    assert derive_changes(snap(BASE), snap(dropped)) == [
        E(T.CERTIFICATION_CHANGED, "appnexus.com", "1356", None, "f5ab79cb980f11d1", None, 5, 5)
    ]
    # Upper-case hex is the same ID.
    assert not derive_changes(
        snap(BASE), snap(BASE.replace("f5ab79cb980f11d1", "F5AB79CB980F11D1"))
    )


def test_relationship_and_certification_change_together_in_type_order() -> None:
    new = BASE.replace("1356, RESELLER, f5ab79cb980f11d1", "1356, DIRECT")
    assert [e.type for e in derive_changes(snap(BASE), snap(new))] == [
        T.RELATIONSHIP_CHANGED,
        T.CERTIFICATION_CHANGED,
    ]


def test_seller_ids_compare_exactly_and_ad_systems_ignore_case() -> None:
    upper_system = BASE.replace("appnexus.com", "AppNexus.COM")
    assert derive_changes(snap(BASE), snap(upper_system)) == []
    mixed = BASE + "33across.com, 0010b00002Mq2FYAAZ, DIRECT, bbea06d9c4d2853c\n"
    upper_id = mixed.replace("0010b00002Mq2FYAAZ", "0010B00002MQ2FYAAZ")
    events = derive_changes(snap(mixed), snap(upper_id))
    # In seller ID order: upper-case letters sort first.
    assert [(e.type, e.seller_id) for e in events] == [
        (T.RECORD_ADDED, "0010B00002MQ2FYAAZ"),
        (T.RECORD_REMOVED, "0010b00002Mq2FYAAZ"),
    ]


def test_variable_added_removed_and_changed() -> None:
    new = (
        BASE.replace("OWNERDOMAIN=example.com", "OWNERDOMAIN=example.org")
        .replace("CONTACT=adops@example.com\n", "")
        .replace("# ads.txt", "SUBDOMAIN=m.example.com\n# ads.txt")
    )
    assert derive_changes(snap(BASE), snap(new)) == [
        E(T.VARIABLE_REMOVED, variable="CONTACT", old="adops@example.com", old_line=3),
        E(T.VARIABLE_CHANGED, None, None, "OWNERDOMAIN", "example.com", "example.org", 2, 3),
        E(T.VARIABLE_ADDED, variable="SUBDOMAIN", new="m.example.com", new_line=1),
    ]


def test_only_the_first_ownerdomain_counts() -> None:
    new = BASE + "OWNERDOMAIN=other.com\n"
    assert derive_changes(snap(BASE), snap(new)) == []


def test_managerdomain_has_a_slot_per_country() -> None:
    old = snap(BASE + "MANAGERDOMAIN=manager.com\nMANAGERDOMAIN=fr-manager.com, FR\n")
    same = snap(BASE + "managerdomain=fr-manager.com,fr\nMANAGERDOMAIN=Manager.com\n")
    assert derive_changes(old, same) == []
    moved = snap(BASE + "MANAGERDOMAIN=manager.com\nMANAGERDOMAIN=other.fr, FR\n")
    assert derive_changes(old, moved) == [
        E(
            T.VARIABLE_CHANGED,
            None,
            None,
            "MANAGERDOMAIN",
            "fr-manager.com, FR",
            "other.fr, FR",
            8,
            8,
        )
    ]


def test_repeatable_variables_are_keyed_by_value() -> None:
    old = snap(BASE + "INVENTORYPARTNERDOMAIN=a.com\nINVENTORYPARTNERDOMAIN=b.com\n")
    new = snap(BASE + "inventorypartnerdomain=B.com\nINVENTORYPARTNERDOMAIN=c.com\n")
    assert derive_changes(old, new) == [
        E(T.VARIABLE_REMOVED, variable="INVENTORYPARTNERDOMAIN", old="a.com", old_line=7),
        E(T.VARIABLE_ADDED, variable="INVENTORYPARTNERDOMAIN", new="c.com", new_line=8),
    ]


def test_file_became_invalid_and_recovered() -> None:
    html = snap("<!DOCTYPE html>\n<html><body>Not found</body></html>\n")
    events = derive_changes(snap(BASE), html)
    assert events[0] == E(T.FILE_BECAME_INVALID, old="valid", new="not-ads-txt")
    assert [e.type for e in events[1:]] == [T.RECORD_REMOVED] * 3 + [T.VARIABLE_REMOVED] * 2
    broken = snap(BASE + "foo.com, 1, DIRCT\n")
    assert derive_changes(snap(BASE), broken) == [
        E(T.FILE_BECAME_INVALID, old="valid", new="errors")
    ]
    assert derive_changes(broken, snap(BASE)) == [E(T.FILE_RECOVERED, old="errors", new="valid")]
    # From one unusable state to the other: no verdict event.
    assert [e.type for e in derive_changes(broken, html)][:1] == [T.RECORD_REMOVED]


def test_records_of_a_file_that_is_not_ads_txt_still_count() -> None:
    prose = (
        "Welcome to our site, we hope you enjoy it\n"
        "Please read our terms before you continue\n"
        "Contact us for more information about it\n"
        "google.com, pub-1234567890123456, DIRECT\n"
    )
    snapshot = snap(prose)
    assert snapshot.verdict is Verdict.NOT_ADS_TXT
    assert [r.seller_id for r in snapshot.records] == ["pub-1234567890123456"]
    assert [e.type for e in derive_changes(None, snapshot)] == [T.FILE_APPEARED, T.RECORD_ADDED]


def test_reordering_recommenting_and_whitespace_produce_no_events() -> None:
    moved = """\
rubiconproject.com,11078,DIRECT,0bfd66d529a55807   # renewed in May
CONTACT=adops@example.com

  APPNEXUS.com ,  1356 , reseller , f5ab79cb980f11d1
OWNERDOMAIN = example.com
google.com, pub-1234567890123456, Direct, f08c47fec0942fa0 # main account
"""
    assert derive_changes(snap(BASE), snap(moved)) == []


def test_event_fields_and_names() -> None:
    assert [t.value for t in ChangeType] == [
        "file-appeared",
        "file-disappeared",
        "file-became-invalid",
        "file-recovered",
        "record-removed",
        "record-added",
        "relationship-changed",
        "certification-changed",
        "variable-removed",
        "variable-added",
        "variable-changed",
        "seller-removed",
        "seller-added",
        "seller-changed",
        "app-domain-changed",  # an app's event (adstxt.store._apps), added after the files'
    ]
    assert str(T.RECORD_ADDED) == "record-added"
    assert record_key(SnapshotRecord("A.com", "Id", "DIRECT", None, 1)) == ("a.com", "Id")
    assert variable_slot(SnapshotVariable("contact", " x ", 1)) == ("CONTACT", "x")


# -- properties ----------------------------------------------------------------------------

_SYSTEMS = ["google.com", "appnexus.com", "openx.com", "pubmatic.com"]
_records = st.tuples(
    st.sampled_from(_SYSTEMS),
    st.sampled_from(["1", "2", "Ab3", "ab3", "pub-1234567890123456"]),
    st.sampled_from(["DIRECT", "RESELLER"]),
    st.sampled_from([None, "f08c47fec0942fa0", "5d62403b186f2ace"]),
)
_variables = st.tuples(
    st.sampled_from(["CONTACT", "SUBDOMAIN", "OWNERDOMAIN", "MANAGERDOMAIN"]),
    st.sampled_from(["a.example.com", "b.example.com", "example.org"]),
    st.sampled_from(["", ", FR", ", DE"]),
)
_files = st.tuples(st.lists(_records, max_size=12), st.lists(_variables, max_size=5), st.booleans())


def _lines(
    spec: tuple[list[tuple[str, str, str, str | None]], list[tuple[str, str, str]], bool],
) -> list[str]:
    records, variables, broken = spec
    lines = [", ".join(f for f in record if f is not None) for record in records]
    for name, value, country in variables:
        lines.append(f"{name}={value}{country if name == 'MANAGERDOMAIN' else ''}")
    if broken:
        lines.append("foo.com, 1, DIRCT")
    return lines


def _relationships(snapshot: FileSnapshot) -> dict[tuple[str, str], str]:
    """Each key's relationships as the events spell them (by applying the events to {})."""
    state: dict[tuple[str, str], str] = {}
    for event in derive_changes(None, snapshot):
        if event.type is T.RECORD_ADDED:
            assert event.ad_system is not None and event.seller_id is not None
            assert event.new is not None
            state[event.ad_system, event.seller_id] = event.new
    return state


def _apply(
    state: dict[tuple[str, str], str], events: list[ChangeEvent]
) -> dict[tuple[str, str], str]:
    state = dict(state)
    for event in events:
        key = (event.ad_system or "", event.seller_id or "")
        if event.type is T.RECORD_REMOVED:
            assert state.pop(key) == event.old
        elif event.type is T.RECORD_ADDED:
            assert key not in state
            state[key] = event.new or ""
        elif event.type is T.RELATIONSHIP_CHANGED:
            assert state[key] == event.old
            state[key] = event.new or ""
    return state


@SETTINGS
@given(_files, st.randoms(use_true_random=False))
def test_shuffling_and_recasing_lines_yields_no_events(
    spec: tuple[list[tuple[str, str, str, str | None]], list[tuple[str, str, str]], bool],
    rng: random.Random,
) -> None:
    lines = _lines(spec)
    shuffled = [line.replace("DIRECT", "direct") if rng.random() < 0.3 else line for line in lines]
    shuffled = [f"{line}  # note" if rng.random() < 0.3 else line for line in shuffled]
    rng.shuffle(shuffled)
    old, new = snap("\n".join(lines) + "\n"), snap("\n".join(shuffled) + "\n")
    events = derive_changes(old, new)
    # Only the first OWNERDOMAIN and MANAGERDOMAIN per country count, so moving another
    # value of the same slot to the front is a real change; nothing else is.
    assert {e.type for e in events} <= {T.VARIABLE_CHANGED}
    assert {e.variable for e in events} <= {"OWNERDOMAIN", "MANAGERDOMAIN"}


@SETTINGS
@given(_files)
def test_a_file_against_itself_has_no_events(
    spec: tuple[list[tuple[str, str, str, str | None]], list[tuple[str, str, str]], bool],
) -> None:
    snapshot = snap("\n".join(_lines(spec)) + "\n")
    assert derive_changes(snapshot, snapshot) == []


@SETTINGS
@given(_files, _files)
def test_applying_the_events_of_a_to_b_to_a_gives_b(
    a: tuple[list[tuple[str, str, str, str | None]], list[tuple[str, str, str]], bool],
    b: tuple[list[tuple[str, str, str, str | None]], list[tuple[str, str, str]], bool],
) -> None:
    old, new = snap("\n".join(_lines(a)) + "\n"), snap("\n".join(_lines(b)) + "\n")
    events = derive_changes(old, new)
    assert events == derive_changes(old, new)  # deterministic
    assert _apply(_relationships(old), events) == _relationships(new)
    keys = {record_key(r) for r in old.records}
    keys -= {(e.ad_system, e.seller_id) for e in events if e.type is T.RECORD_REMOVED}
    keys |= {(e.ad_system, e.seller_id) for e in events if e.type is T.RECORD_ADDED}
    assert keys == {record_key(r) for r in new.records}
    slots = {variable_slot(v) for v in old.variables}
    removed = Counter(e.variable for e in events if e.type is T.VARIABLE_REMOVED)
    added = Counter(e.variable for e in events if e.type is T.VARIABLE_ADDED)
    assert sum(removed.values()) == len(slots - {variable_slot(v) for v in new.variables})
    assert sum(added.values()) == len({variable_slot(v) for v in new.variables} - slots)
    verdict_events = [e for e in events if e.type in (T.FILE_BECAME_INVALID, T.FILE_RECOVERED)]
    usable = (old.verdict is Verdict.VALID, new.verdict is Verdict.VALID)
    assert len(verdict_events) == (usable[0] != usable[1])


@SETTINGS
@given(_files)
def test_a_first_copy_adds_what_a_comparison_with_another_copy_would(
    spec: tuple[list[tuple[str, str, str, str | None]], list[tuple[str, str, str]], bool],
) -> None:
    # A first copy takes a shortcut (every key is new): its record events must be those the
    # general comparison finds against a copy holding only a record the new one lacks.
    new = snap("\n".join(_lines(spec)) + "\n")
    other = SnapshotRecord("elsewhere.invalid", "0", "DIRECT", None, 1)
    compared = derive_changes(FileSnapshot((other,), (), Verdict.VALID), new)
    records = (T.RECORD_ADDED, T.RELATIONSHIP_CHANGED, T.CERTIFICATION_CHANGED)
    appeared = derive_changes(None, new)
    assert [e for e in appeared if e.type in records] == [e for e in compared if e.type in records]
    assert [e for e in compared if e.type is T.RECORD_REMOVED] == [
        E(T.RECORD_REMOVED, "elsewhere.invalid", "0", old="DIRECT", old_line=1)
    ]
    assert appeared[0] == E(T.FILE_APPEARED, new=new.verdict.value)


# -- real files ----------------------------------------------------------------------------

_REAL = SHARED / "corpus" / "real"


@pytest.mark.skipif(not _REAL.is_dir(), reason="the shared corpus is not here")
def test_real_files_shuffled_give_no_record_events() -> None:
    rng = random.Random(17)
    files = sorted(p for p in _REAL.iterdir() if p.is_file())[:60]
    for path in files:
        body = path.read_bytes()
        result = adstxt.parse(body)
        lines = [text for _, text, _ in result.lines()]
        rng.shuffle(lines)
        shuffled = adstxt.parse("\n".join(lines) + "\n")
        events = derive_changes(
            FileSnapshot.from_parse_result(result), FileSnapshot.from_parse_result(shuffled)
        )
        record_events = [e for e in events if e.ad_system is not None]
        assert record_events == [], (path.name, record_events[:3])


def test_large_snapshots_compare_quickly_enough_to_finish() -> None:
    # Speed is measured in benchmarks/changes.py; this only runs the big case once.
    records = tuple(
        SnapshotRecord(f"ssp{i % 500}.com", str(i), "DIRECT", None, i) for i in range(20_000)
    )
    old = FileSnapshot(records, (), Verdict.VALID)
    added = SnapshotRecord("x.com", "1", "DIRECT", None, 1)
    new = FileSnapshot((*records[1:], added), (), Verdict.VALID)
    events = derive_changes(old, new)
    assert [e.type for e in events] == [T.RECORD_REMOVED, T.RECORD_ADDED]
