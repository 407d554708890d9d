"""The C builders of records, comments, diagnostics and fixes (``adstxt._engine_builders_c``),
and its writer of their slots as JSON rows.

The compiled checker builds its objects with them when the install built them: each must
make exactly what the class itself makes, and refuse what it cannot build safely. The row
writer must write exactly what :mod:`json` writes for the same lists, and refuse what it
would write otherwise.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import json
import sys
import weakref
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adstxt.diagnostics import (
    _DIAGNOSTIC_ARGUMENTS,
    _DIAGNOSTIC_REQUIRED,
    _FIX_ARGUMENTS,
    Diagnostic,
    Fix,
    Severity,
    fast_positional_diagnostic,
    fast_positional_fix,
)
from adstxt.model import (
    _COMMENT_ARGUMENTS,
    _RECORD_ARGUMENTS,
    Comment,
    Record,
    Relationship,
    _make_comment,
    _make_record,
)
from adstxt.store._findings import _FINDING_FIELDS, _RECORD_FIELDS

if importlib.util.find_spec("adstxt._engine_builders_c") is None:
    pytest.skip("the C builders are not built in this install", allow_module_level=True)
SlotBuilder: Any = importlib.import_module("adstxt._engine_builders_c").SlotBuilder
SlotRows: Any = importlib.import_module("adstxt._engine_builders_c").SlotRows

make_record = SlotBuilder(Record, _RECORD_ARGUMENTS)
make_comment = SlotBuilder(Comment, _COMMENT_ARGUMENTS)
make_diagnostic = SlotBuilder(Diagnostic, _DIAGNOSTIC_ARGUMENTS, _DIAGNOSTIC_REQUIRED)
make_fix = SlotBuilder(Fix, _FIX_ARGUMENTS)

text = st.text(max_size=20)
maybe_text = st.none() | text


def _same(built: object, expected: object) -> None:
    assert type(built) is type(expected)
    assert built == expected
    assert repr(built) == repr(expected)
    assert hash(built) == hash(expected)
    assert attrs.asdict(built) == attrs.asdict(expected)  # type: ignore[arg-type]


@given(text, text, st.sampled_from(Relationship), maybe_text, maybe_text, st.integers(0, 10**9))
def test_a_built_record_is_the_record_the_class_makes(
    domain: str,
    account: str,
    relationship: Relationship,
    cert: str | None,
    extension: str | None,
    line: int,
) -> None:
    built = make_record(domain, account, relationship, cert, extension, line)
    _same(built, Record(domain, account, relationship, cert, extension, line))
    _same(built, _make_record(domain, account, relationship, cert, extension, line))
    assert built.line == line  # not part of equality, so compared on its own


@given(st.integers(1, 10**6), st.integers(1, 10**4), text)
def test_a_built_comment_is_the_comment_the_class_makes(line: int, column: int, said: str) -> None:
    _same(make_comment(line, column, said), Comment(line, column, said))
    _same(make_comment(line, column, said), _make_comment(line, column, said))


@given(text, st.booleans(), text, st.integers(1, 10**6), st.integers(1, 100))
def test_a_built_fix_and_diagnostic_are_what_their_classes_make(
    replacement: str, safe: bool, description: str, line: int, column: int
) -> None:
    fix = make_fix(replacement, safe, description, line, column, line + 1, 1)
    _same(fix, Fix(replacement, safe, description, line, column, line + 1, 1))
    _same(fix, fast_positional_fix(replacement, safe, description, line, column, line + 1, 1))
    # Six arguments at least; hint and fix may follow; the pointer is always None.
    bare = make_diagnostic("ADS401", Severity.WARNING, line, column, column + 3, description)
    _same(bare, Diagnostic("ADS401", Severity.WARNING, line, column, column + 3, description))
    full = make_diagnostic(
        "ADS401", Severity.WARNING, line, column, column + 3, description, replacement, fix
    )
    expected = fast_positional_diagnostic(
        "ADS401", Severity.WARNING, line, column, column + 3, description, replacement, fix
    )
    _same(full, expected)
    assert full.pointer is None and full.fix is fix


def test_a_built_object_behaves_as_any_other() -> None:
    record = make_record("a.com", "1", Relationship.DIRECT, None, None, 3)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        record.domain = "b.com"  # type: ignore[misc]
    assert attrs.evolve(record, account_id="2").account_id == "2"
    assert weakref.ref(record)() is record
    assert gc.is_tracked(record)  # as the class's own instances are
    assert {record: 1}[Record("a.com", "1", Relationship.DIRECT)] == 1


def test_building_keeps_the_reference_counts_right() -> None:
    account = "".join(["seller", "-", "42"])  # a string of its own, not shared
    before = sys.getrefcount(account)
    records = [make_record("a.com", account, Relationship.DIRECT, None, None, n) for n in range(50)]
    assert sys.getrefcount(account) == before + 50
    del records
    gc.collect()
    assert sys.getrefcount(account) == before


class _Borrowed:
    """A class that names another class's slot descriptor as its own attribute."""

    domain = Record.__dict__.get("domain") or Record.__mro__[1].__dict__["domain"]


class _SlottedDict(dict):  # type: ignore[type-arg]
    __slots__ = ("extra",)


class _OwnNew:
    __slots__ = ("extra",)

    def __new__(cls) -> _OwnNew:
        return super().__new__(cls)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((Record, ("domain", "nope")), "'nope'"),
        ((Record, ("domain", "to_line")), "is not a slot of"),  # a method, not a slot
        ((Record, ("domain", "domain")), "named twice"),
        ((Record, ("domain",) * 13), "at most 12 slots"),
        ((Record, ("domain",), 2), "required is between"),
        ((Record, ("domain",), -2), "required is between"),
        ((Record, (1,)), "slot names are str"),
        (("Record", ("domain",)), "must be type"),
        ((Record, ["domain"]), "must be tuple"),
        ((tuple, ()), "not a class of fixed-size instances"),
        ((_Borrowed, ("domain",)), "is not a slot of"),  # another class's slot
        ((_SlottedDict, ("extra",)), "a __new__ of its own"),  # a dict needs dict.__new__
        ((_OwnNew, ("extra",)), "a __new__ of its own"),
    ],
)
def test_a_builder_is_only_made_for_slots_it_can_fill(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises((TypeError, ValueError, AttributeError), match=message):
        SlotBuilder(*args)


def test_a_builder_takes_its_arguments_by_position_only() -> None:
    with pytest.raises(TypeError, match="takes 6 to 6 positional arguments, not 5"):
        make_record("a.com", "1", Relationship.DIRECT, None, None)
    with pytest.raises(TypeError, match="takes 6 to 9 positional arguments, not 10"):
        make_diagnostic(*range(10))
    with pytest.raises(TypeError, match="takes no keyword arguments"):
        make_comment(1, 1, text="x")
    with pytest.raises(TypeError, match="takes no keywords"):
        SlotBuilder(Record, ("domain",), required=1)


def test_a_builder_kept_on_its_own_class_is_collected() -> None:
    class Kept:
        __slots__ = ("__weakref__", "value")

    Kept.build = SlotBuilder(Kept, ("value",))  # type: ignore[attr-defined]
    assert Kept.build(3).value == 3  # type: ignore[attr-defined]
    gone = weakref.ref(Kept)
    del Kept
    gc.collect()
    assert gone() is None


# ---- the row writer ---------------------------------------------------------------------

write_records = SlotRows(Record, _RECORD_FIELDS)
write_findings = SlotRows(Diagnostic, _FINDING_FIELDS)


def _as_json(rows: list[list[object]]) -> str:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


# Any text a str can hold but a lone surrogate (which the writer refuses; see below):
# quotes, backslashes, every control character, non-ASCII up to the astral planes.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@given(
    st.lists(
        st.tuples(
            any_text,
            any_text,
            st.sampled_from(Relationship),
            st.none() | any_text,
            st.none() | any_text,
            st.integers(-(2**63), 2**63 - 1),
        ),
        max_size=8,
    )
)
def test_rows_are_written_as_json_writes_them(fields: list[tuple[Any, ...]]) -> None:
    records = [make_record(*values) for values in fields]
    expected = _as_json([[getattr(r, name) for name in _RECORD_FIELDS] for r in records])
    written = write_records(records)
    assert written == expected
    assert json.loads(written) == json.loads(expected)
    assert write_records(tuple(records)) == expected  # any sequence


@given(any_text, any_text, st.none() | any_text, st.integers(0, 10**6))
def test_findings_are_written_as_json_writes_them(
    code: str, message: str, hint: str | None, line: int
) -> None:
    finding = make_diagnostic(code, Severity.ERROR, line, 1, 4, message, hint)
    assert write_findings([finding]) == _as_json([[line, 1, 4, code, "error", message, hint]])


def test_every_control_character_is_escaped_as_json_escapes_it() -> None:
    tricky = "".join(chr(c) for c in range(0x20)) + '"\\/\x7f\u2028é😀'
    record = make_record(tricky, tricky, Relationship.RESELLER, tricky, None, 1)
    assert write_records([record]) == _as_json([[1, tricky, tricky, "RESELLER", tricky, None]])


def test_a_long_text_is_written_whole_with_its_escapes() -> None:
    long = ('a"b\\c\x01\u00e9\n' * 50_000) + "end"
    record = make_record(long, "1", Relationship.DIRECT, None, long, 7)
    expected = _as_json([[7, long, "1", "DIRECT", None, long]])
    assert write_records([record] * 3) == "[" + ",".join([expected[1:-1]] * 3) + "]"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (True, TypeError),  # json writes true, not 1
        (1.5, TypeError),
        (2**63, OverflowError),
        ("\ud800", UnicodeEncodeError),  # json would write the lone surrogate as it is
    ],
)
def test_a_value_not_written_as_json_writes_it_raises(value: object, error: type) -> None:
    record = make_record("a.com", "1", Relationship.DIRECT, None, None, 1)
    odd = attrs.evolve(record, extension=value) if not isinstance(value, int) else None
    if odd is None:
        odd = make_record("a.com", "1", Relationship.DIRECT, None, None, value)
    with pytest.raises(error):
        write_records([record, odd])


def test_the_writer_takes_only_instances_of_its_class() -> None:
    record = make_record("a.com", "1", Relationship.DIRECT, None, None, 1)
    with pytest.raises(TypeError, match="was given a Comment"):
        write_records([record, make_comment(1, 1, "x")])
    with pytest.raises(TypeError, match="one sequence"):
        write_records([record], [record])
    with pytest.raises(TypeError, match="a list or a tuple"):
        write_records(5)
    with pytest.raises(TypeError, match="a list or a tuple"):  # not used up before json
        write_records(r for r in [record])
    assert write_records([]) == "[]"
    with pytest.raises((TypeError, ValueError, AttributeError), match="'nope'"):
        SlotRows(Record, ("nope",))
    with pytest.raises(ValueError, match="1 to 12"):
        SlotRows(Record, ())


def test_writing_keeps_the_reference_counts_right() -> None:
    account = "".join(["seller", "-", "43"])
    records = [make_record("a.com", account, Relationship.DIRECT, None, None, n) for n in range(9)]
    before = sys.getrefcount(account)
    for _ in range(100):
        write_records(records)
    assert sys.getrefcount(account) == before
