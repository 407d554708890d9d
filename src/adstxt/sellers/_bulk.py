"""The fast pass over a sellers array: column-wise checks that run at C speed.

Checking a million sellers one by one in Python costs more than decoding the JSON. Instead,
each field is pulled out as a column (``map(dict.get, ...)``) and tested with set
operations, ``all``/``any``/``max`` over ``map`` and string searches over the joined values.
Only sellers that fail a column test go to the precise checks in
:mod:`adstxt.sellers._fields`. The contract: a seller that :func:`suspects` clears gets no
issue from :func:`~adstxt.sellers._fields.check_seller`. Stand-in values mark missing
fields, so that they are told apart from JSON nulls.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator, Sequence
from itertools import chain, compress, count, repeat
from typing import Final, NamedTuple

from adstxt.sellers._domain import bad_domains
from adstxt.sellers._schema import MAX_STRING, SELLER_FIELDS, SELLER_TYPES

__all__ = ["Pass", "suspects"]

_FLAGS: Final = frozenset({0, 1})


class Pass(NamedTuple):
    """What the fast pass found: the sellers to check precisely, and the seller_id column.

    ``ids`` holds each seller's ``seller_id`` as written (None for a seller that is not an
    object); ``irregular`` lists the positions whose ID is not a non-empty string without
    surrounding whitespace, which the index has to normalize one by one.
    """

    suspects: list[int]
    ids: list[object]
    irregular: list[int]


class _Absent:
    """Stands for a flag missing from a seller object (JSON null is None)."""


_ABSENT: Final = _Absent()
#: Stands for a missing string field. It is a string that passes every string test, so a
#: column with missing values is still tested in one go; it is told apart by identity, as
#: a new object that no decoded value can be.
_MISSING: Final = "".join(("missing", ".invalid"))


def _all_strings(column: list[object]) -> bool:
    try:
        "".join(column)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def _column(rows: list[dict[str, object]], key: str, absent: object = None) -> list[object]:
    return list(map(dict.get, rows, repeat(key), repeat(absent)))


def _where(
    column: Sequence[object], value: object, tests: Iterator[object] | None = None
) -> list[int]:
    """The positions holding ``value`` (by identity), or where ``tests`` gives ``value``."""
    if tests is None:
        return list(compress(count(), map(operator.is_, column, repeat(value))))
    if value is True:
        return list(compress(count(), tests))
    if value is False:
        return list(compress(count(), map(operator.not_, tests)))
    return list(compress(count(), map(operator.is_, tests, repeat(value))))


def _valid_type(value: object) -> bool:
    return type(value) is str and value in SELLER_TYPES


def _blank_or_long(values: list[str], lengths: bool) -> bool:
    """Whether any value is empty, all whitespace or (with ``lengths``) too long."""
    if lengths and max(map(len, values)) > MAX_STRING:
        return True
    return not all(values) or any(map(str.isspace, values))


class _Sellers:
    """The rows being checked and the positions marked as suspect so far."""

    def __init__(self, rows: list[dict[str, object]]) -> None:
        self.rows = rows
        self.marked: set[int] = set()
        self.flags: list[object] = []

    @functools.cached_property
    def disclosed(self) -> list[bool]:
        """Per seller, whether it is not confidential (so needs a name and a domain)."""
        return list(map(operator.not_, self.confidential))

    @functools.cached_property
    def confidential(self) -> list[bool]:
        """Per seller, whether it is confidential (a malformed "1" counts, as in the checks)."""
        # A malformed flag ("1", true) is suspect anyway, so only the number 1 matters here.
        return list(map(operator.eq, self.flags or [None] * len(self.rows), repeat(1)))

    def ids(self) -> tuple[list[object], list[int]]:
        ids = _column(self.rows, "seller_id")
        if _all_strings(ids):
            strings: list[str] = ids  # type: ignore[assignment]
            if max(map(len, strings)) <= MAX_STRING and all(strings) and list(
                map(str.strip, strings)
            ) == strings:
                return ids, []
        nonstrings = _where(ids, False, map(operator.is_, map(type, ids), repeat(str)))
        safe = list(ids)
        for position in nonstrings:
            safe[position] = "x"
        texts: list[str] = safe  # type: ignore[assignment]
        found = set(nonstrings)
        if not all(texts):
            found.update(_where(texts, False, iter(texts)))
        if max(map(len, texts)) > MAX_STRING:
            found.update(_where(texts, True, map(operator.gt, map(len, texts), repeat(MAX_STRING))))
        stripped = list(map(str.strip, texts))
        if stripped != texts:
            found.update(_where(texts, True, map(operator.ne, texts, stripped)))
        irregular = sorted(found)
        self.marked.update(irregular)
        return ids, irregular

    def seller_types(self) -> None:
        try:
            if set(map(dict.get, self.rows, repeat("seller_type"))) <= SELLER_TYPES:
                return
        except TypeError:  # an unhashable value such as a list
            pass
        kinds = _column(self.rows, "seller_type")
        try:
            self.marked.update(_where(kinds, False, map(SELLER_TYPES.__contains__, kinds)))
        except TypeError:  # an unhashable value: test each one
            self.marked.update(_where(kinds, False, map(_valid_type, kinds)))

    def flag(self, key: str) -> list[object]:
        column = _column(self.rows, key, _ABSENT)
        try:
            distinct = set(column) - {_ABSENT}
        except TypeError:
            distinct = {None}  # forces the precise path below
        if not (distinct <= _FLAGS and {type(v) for v in distinct} <= {int}):
            self.marked.update(
                i for i, v in enumerate(column)
                if v is not _ABSENT and (type(v) is not int or v not in _FLAGS)
            )
        return column

    def text(self, key: str, required: bool) -> list[str]:
        """Check a string column; return it, with :data:`_MISSING` where the field is absent."""
        column = _column(self.rows, key, _MISSING)
        if not _all_strings(column):
            odd = _where(column, False, map(operator.is_, map(type, column), repeat(str)))
            self.marked.update(odd)  # nulls and other types, even for a confidential seller
            column = list(column)
            for position in odd:
                column[position] = _MISSING
        values: list[str] = column  # type: ignore[assignment]
        if required and _MISSING in values:  # equality first: cheap, then identity
            missing = map(operator.is_, values, repeat(_MISSING))
            if any(compress(missing, self.disclosed)):
                self.marked.update(
                    i for i in _where(values, _MISSING) if not self.confidential[i]
                )
        if _blank_or_long(values, key != "domain") if required else (
            max(map(len, values)) > MAX_STRING
        ):
            bad = set(_where(values, True, map(operator.gt, map(len, values), repeat(MAX_STRING))))
            if required:
                bad.update(_where(values, True, map(operator.not_, map(str.strip, values))))
            self.marked.update(bad)
        return values


def suspects(sellers: list[object]) -> Pass:
    """The sellers that need the precise checks; all others are clean."""
    if not sellers:
        return Pass([], [], [])
    if set(map(type, sellers)) != {dict}:
        # Rare: set the non-objects aside and clear the objects among themselves.
        objects = [i for i, s in enumerate(sellers) if type(s) is dict]
        inner = suspects([sellers[i] for i in objects]).suspects
        marked = {objects[j] for j in inner}
        marked.update(i for i, s in enumerate(sellers) if type(s) is not dict)
        ids = [s.get("seller_id") if type(s) is dict else None for s in sellers]
        return Pass(sorted(marked), ids, sorted(marked))
    state = _Sellers(sellers)  # type: ignore[arg-type]
    keys = set(chain.from_iterable(state.rows))
    if not keys <= SELLER_FIELDS:
        known = map(operator.le, map(dict.keys, state.rows), repeat(SELLER_FIELDS))
        state.marked.update(_where(state.rows, False, known))
    ids, irregular = state.ids()
    state.seller_types()
    if "is_confidential" in keys:
        state.flags = state.flag("is_confidential")
    if "is_passthrough" in keys:
        state.flag("is_passthrough")
    state.text("name", required=True)
    domains = state.text("domain", required=True)
    picked = bad_domains(domains)
    if picked:
        # Blank domains are reported as missing, never as malformed.
        blank = _where(domains, True, map(operator.not_, map(str.strip, domains)))
        state.marked.update(set(picked) - set(blank))
    if "comment" in keys:
        state.text("comment", required=False)
    if "ext" in keys:
        state.marked.update(
            i for i, s in enumerate(state.rows) if "ext" in s and type(s["ext"]) is not dict
        )
    return Pass(sorted(state.marked), ids, irregular)
