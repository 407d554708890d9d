"""The fast pass over a sellers array: checks that run at C speed, a chunk at a time.

Checking a million sellers one by one in Python costs more than decoding the JSON. Instead,
the array is taken in chunks of sellers; each field of a chunk is pulled out as a column
(``map(dict.get, ...)``) and tested as a whole: string columns are joined and searched as
one text, flags are packed into bytes, seller types compared as a set, and the keys
counted. A column that passes is cleared at once; one that fails is tested value by value,
for that field of that chunk only, so a few bad sellers cost a few chunks' worth of precise
tests.

The contract: a seller that :func:`suspects` clears gets no issue from
:func:`~adstxt.sellers._fields.check_seller`. The seller_id index is built in the same pass.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, compress, count, repeat
from typing import Final, NamedTuple

from adstxt.sellers._domain import bad_domains
from adstxt.sellers._fields import seller_key
from adstxt.sellers._schema import MAX_STRING, SELLER_FIELDS, SELLER_TYPES

__all__ = ["Pass", "suspects"]

#: Sellers per chunk: a defect sends one column of its chunk to the precise tests, and
#: smaller chunks would spend more on the per-chunk steps than they save there.
CHUNK: Final = 1024
_FLAGS: Final = frozenset({0, 1})
#: A missing flag in a packed flag column. A written 2 looks the same there; the key count
#: tells it apart (see :meth:`_Chunk.keys`).
_UNSET: Final = 2
_FLAG_BYTES: Final = bytes((0, 1, _UNSET))
#: How both stand-ins below end, to count them in a joined column with one search.
_STAND_IN_END: Final = ".invalid"
#: Stand-ins for a missing name or domain: one where the seller must have it, one where the
#: seller is confidential and need not. Both are strings that pass every string test, so a
#: column with missing values is still tested in one go; they are told apart from decoded
#: values by identity, as new objects that no decoded value can be.
_MISSING: Final = "".join(("missing", _STAND_IN_END))
_WITHHELD: Final = "".join(("withheld", _STAND_IN_END))
#: The stand-in by flag value: 0, 1 (confidential) or unset.
_STAND_INS: Final = (_MISSING, _WITHHELD, _MISSING)
#: Up to this many distinct wrong values (or unknown keys) in a chunk are searched for one
#: at a time; more are found by testing every seller.
_FEW: Final = 8
#: The ASCII characters that ``str.strip`` removes, and byte sets built from them.
_SPACES: Final = bytes(c for c in range(128) if chr(c).isspace())
_NOT_SPACES: Final = bytes(c for c in range(256) if c not in _SPACES)
#: A value this long spans a whole block of a joined column (see :func:`_long_lines`).
_BLOCK: Final = (MAX_STRING + 1) // 2


class Pass(NamedTuple):
    """What the fast pass found: the sellers to check precisely, and the seller_id column.

    ``ids`` holds each seller's ``seller_id`` as written (None for a seller that is not an
    object); ``irregular`` lists the positions whose ID is not a non-empty string without
    surrounding whitespace, which the index normalizes one by one. ``by_id`` (when asked
    for) maps each normalized ID to a position holding it, the last one; ``keyed`` is how
    many positions have an ID, so ``len(by_id) < keyed`` means some ID is repeated.
    """

    suspects: list[int]
    ids: list[object]
    irregular: list[int]
    by_id: dict[str, int]
    keyed: int


class _Absent:
    """Stands for a flag missing from a seller object (JSON null is None)."""


_ABSENT: Final = _Absent()


def _where(tests: Iterable[object]) -> list[int]:
    """The positions where ``tests`` is true."""
    return list(compress(count(), tests))


def _long_lines(joined: str) -> list[int]:
    """Lines of ``joined`` (newline-separated values) that may be longer than MAX_STRING.

    A line of more than MAX_STRING characters covers a whole aligned block of ``_BLOCK``
    characters, so only blocks without a newline need a look: a few thousand searches for a
    column of a million values.
    """
    find = joined.find
    starts = [k for k in range(0, len(joined), _BLOCK) if find("\n", k, k + _BLOCK) == -1]
    return [joined.count("\n", 0, k) for k in starts]


class _Chunk:
    """One chunk of seller objects: the positions marked as suspect and the keys accounted for.

    ``present`` counts the fields the column tests found, never more than there are; when
    it equals the number of keys in the chunk, no seller has any other field.
    """

    def __init__(self, rows: list[dict[str, object]]) -> None:
        self.rows = rows
        self.size = len(rows)
        self.marked: list[int] = []
        self.present = 0

    def has(self, key: str, among: Iterable[int]) -> int:
        """How many sellers have ``key``, knowing that only those ``among`` may lack it."""
        rows = self.rows
        return self.size - sum(key not in rows[i] for i in among)

    def ids(self, ids: list[object], empties: bool) -> list[int]:
        """The irregular positions of the seller_id column (marked); ``empties``: test "" too."""
        odd: list[int] = []
        texts = ids
        try:
            joined = "\n".join(ids)  # type: ignore[arg-type]
        except TypeError:  # numbers, nulls, missing IDs: set aside, the others tested together
            odd = _where(map(operator.is_not, map(type, ids), repeat(str)))
            texts = list(ids)
            for i in odd:
                texts[i] = "x"
            joined = "\n".join(texts)  # type: ignore[arg-type]
        if joined.isascii():
            # Only separators are left once everything but whitespace goes: no ID is padded
            # or holds a newline, so the block test for long lines applies.
            spaces = joined.encode("ascii").translate(None, _NOT_SPACES)
            if (
                len(spaces) == self.size - 1
                and not _long_lines(joined)
                and not (empties and "" in texts)
            ):
                self.present += self.has("seller_id", odd)
                self.marked.extend(odd)
                return odd
        safe: list[str] = texts  # type: ignore[assignment]
        found = set(odd)
        found.update(_where(map(operator.not_, safe)))
        found.update(_where(map(operator.gt, map(len, safe), repeat(MAX_STRING))))
        found.update(_where(map(operator.ne, safe, map(str.strip, safe))))
        irregular = sorted(found)
        self.marked.extend(irregular)
        self.present += self.has("seller_id", odd)
        return irregular

    def seller_types(self) -> None:
        kinds = list(map(dict.get, self.rows, repeat("seller_type")))
        try:
            wrong = set(kinds) - SELLER_TYPES
        except TypeError:  # an unhashable value such as a list
            wrong = None
        if wrong is not None and not wrong:
            self.present += self.size
            return
        if wrong is not None and len(wrong) <= _FEW:  # each found by a search of the column
            found = list(chain.from_iterable(_positions(kinds, v) for v in wrong))
        else:
            found = [
                i
                for i, kind in enumerate(kinds)
                if type(kind) is not str or kind not in SELLER_TYPES
            ]
        self.marked.extend(found)
        self.present += self.has("seller_type", found)

    def flag(self, key: str) -> tuple[list[object], bool]:
        """Test a 0/1 flag; return its column and whether it passed as a whole.

        A column that passed holds 0, 1 and ``_UNSET``; otherwise ``_ABSENT`` marks a missing
        flag and any decoded value may be there.
        """
        column = list(map(dict.get, self.rows, repeat(key), repeat(_UNSET)))
        try:
            packed = bytes(column)  # type: ignore[arg-type]
        except (TypeError, ValueError):  # not a small integer
            packed = b"\xff"
        # bytes() takes booleans as integers: the type test rules them out.
        if not packed.translate(None, _FLAG_BYTES) and set(map(type, column)) == {int}:
            self.present += self.size - packed.count(_UNSET)
            return column, True
        column = list(map(dict.get, self.rows, repeat(key), repeat(_ABSENT)))
        self.present += self.size - column.count(_ABSENT)
        self.marked.extend(
            i
            for i, value in enumerate(column)
            if value is not _ABSENT and (type(value) is not int or value not in _FLAGS)
        )
        return column, False

    def stand_ins(self, flags: list[object], passed: bool) -> Sequence[str]:
        """Per seller, the stand-in for a missing name or domain, by confidentiality."""
        if passed and self.size > 1:  # one C call picks them all
            return operator.itemgetter(*flags)(_STAND_INS)  # type: ignore[no-any-return]
        # Lenient, as is_confidential is: a malformed flag gets its precise check anyway.
        return [_WITHHELD if v == 1 or v == "1" else _MISSING for v in flags]

    def _column(self, key: str, stand_ins: Sequence[str]) -> tuple[list[object], str | None, bool]:
        """A string column, joined (None if not all strings), and whether ``_MISSING`` is in."""
        values = list(map(dict.get, self.rows, repeat(key), stand_ins))
        try:
            joined = "\n".join(values)  # type: ignore[arg-type]
        except TypeError:
            self.present += self.size - sum(map(_is_stand_in, values))
            return values, None, _MISSING in values
        # A lower bound: a value may hold a stand-in's text.
        stand_ins_found = joined.count(_STAND_IN_END)
        self.present += self.size - stand_ins_found
        return values, joined, bool(stand_ins_found) and _MISSING in joined

    def name(self, stand_ins: Sequence[str]) -> None:
        """A name is a string; the sellers that are not confidential need a non-blank one."""
        values, joined, missing = self._column("name", stand_ins)
        if joined is None or missing:
            self.marked.extend(_text_problems(values, stand_ins, blank=True))
            return
        if joined.isascii():
            # ASCII whitespace sorts before every visible character, so a blank value would
            # be the least one, or start as the least one does.
            clean = min(values)[:1] > " "  # type: ignore[type-var, index]
        else:
            clean = "" not in values and not any(map(str.isspace, values))  # type: ignore[arg-type]
        if not clean or joined.count("\n") != self.size - 1 or _long_lines(joined):
            self.marked.extend(_text_problems(values, stand_ins, blank=True))

    def domain(self, stand_ins: Sequence[str]) -> None:
        """A domain is a string; a non-blank one is a root domain; a required one is there."""
        values, joined, missing = self._column("domain", stand_ins)
        if joined is None:
            self.marked.extend(_text_problems(values, stand_ins, blank=False))
            texts = [v if type(v) is str else _WITHHELD for v in values]
        else:
            if missing:
                self.marked.extend(_where(map(operator.is_, values, repeat(_MISSING))))
            texts = values  # type: ignore[assignment]
        # Blank domains are reported as missing, and only where the seller needs one.
        self.marked.extend(
            i
            for i in bad_domains(texts, joined)
            if texts[i].strip() or stand_ins[i] is _MISSING or len(texts[i]) > MAX_STRING
        )

    def keys(self, flags: list[object]) -> None:
        """Account for every key: unknown fields, the optional ones, and a written unset flag."""
        total = sum(map(len, self.rows))
        if total == self.present:
            return  # every key was one of the fields tested above
        keys = set(chain.from_iterable(self.rows))
        unknown = keys - SELLER_FIELDS
        counted: int | None = 0
        if len(unknown) <= _FEW:
            for key in unknown:
                having = _where(map(dict.__contains__, self.rows, repeat(key)))
                counted += len(having)  # type: ignore[operator]
                self.marked.extend(having)
        else:
            counted = None
            known = map(operator.le, map(dict.keys, self.rows), repeat(SELLER_FIELDS))
            self.marked.extend(_where(map(operator.not_, known)))
        passthrough: list[object] = []
        if "is_passthrough" in keys:
            passthrough = self.flag("is_passthrough")[0]
        if "comment" in keys:
            values, joined, _ = self._column("comment", [_WITHHELD] * self.size)
            if joined is None or joined.count("\n") != self.size - 1 or _long_lines(joined):
                self.marked.extend(_text_problems(values, None, blank=False))
        if "ext" in keys:
            having = _where(map(dict.__contains__, self.rows, repeat("ext")))
            self.present += len(having)
            self.marked.extend(i for i in having if type(self.rows[i]["ext"]) is not dict)
        if counted is not None and total == self.present + counted:
            return  # all counts exact: no flag was written as the number _UNSET
        if passthrough:
            self.written_unset("is_passthrough", passthrough)
        if "is_confidential" in keys:
            self.written_unset("is_confidential", flags)

    def written_unset(self, key: str, flags: list[object]) -> None:
        """Mark the flags written as the number ``_UNSET``, which the packed test let pass."""
        unset = flags.count(_UNSET)
        if unset and unset != self.size - sum(map(dict.__contains__, self.rows, repeat(key))):
            self.marked.extend(
                i
                for i, (row, flag) in enumerate(zip(self.rows, flags, strict=True))
                if flag is _UNSET and key in row
            )


def _positions(column: list[object], value: object) -> Iterator[int]:
    """Where ``value`` (or anything equal to it) is in ``column``, by C-speed searches."""
    at = -1
    with contextlib.suppress(ValueError):
        while True:
            at = column.index(value, at + 1)
            yield at


def _is_stand_in(value: object) -> bool:
    return value is _MISSING or value is _WITHHELD


def _text_problems(
    values: Sequence[object], stand_ins: Sequence[str] | None, blank: bool
) -> list[int]:
    """Positions of a string column's values that the precise checks object to.

    A stand-in is a missing value: wrong where it is ``_MISSING``. Any other value must be
    a string of at most MAX_STRING characters and, with ``blank``, not blank unless the
    seller is confidential.
    """
    found: list[int] = []
    for i, value in enumerate(values):
        if value is _WITHHELD:
            continue
        if (
            value is _MISSING
            or type(value) is not str
            or len(value) > MAX_STRING
            or (blank and not value.strip() and stand_ins is not None and stand_ins[i] is _MISSING)
        ):
            found.append(i)
    return found


def _chunk(rows: list[object], empties: bool) -> tuple[list[int], list[object], list[int]]:
    """Suspect positions, the seller_id column and its irregular positions for one chunk."""
    if not rows:
        return [], [], []
    try:
        ids: list[object] = list(map(dict.get, rows, repeat("seller_id")))  # type: ignore[arg-type]
    except TypeError:
        # Rare: set the non-objects aside and test the objects among themselves.
        objects = [i for i, s in enumerate(rows) if type(s) is dict]
        marked, inner_ids, inner_odd = _chunk([rows[i] for i in objects], empties)
        ids = [None] * len(rows)
        for j, i in enumerate(objects):
            ids[i] = inner_ids[j]
        odd = {objects[j] for j in inner_odd}
        odd.update(i for i, s in enumerate(rows) if type(s) is not dict)
        found = {objects[j] for j in marked} | odd
        return sorted(found), ids, sorted(odd)
    chunk = _Chunk(rows)  # type: ignore[arg-type]
    irregular = chunk.ids(ids, empties)
    chunk.seller_types()
    flags, passed = chunk.flag("is_confidential")
    stand_ins = chunk.stand_ins(flags, passed)
    chunk.name(stand_ins)
    chunk.domain(stand_ins)
    chunk.keys(flags)
    return sorted(set(chunk.marked)), ids, irregular


def suspects(sellers: list[object], *, index: bool = False) -> Pass:
    """The sellers that need the precise checks (all others are clean), and the ID index."""
    marked: list[int] = []
    ids: list[object] = []
    irregular: list[int] = []
    table: dict[object, int] = {}
    keyed = 0
    for start in range(0, len(sellers), CHUNK):
        rows = sellers[start : start + CHUNK]
        found, column, odd = _chunk(rows, empties=not index)
        marked.extend(start + i for i in found)
        ids.extend(column)
        irregular.extend(start + i for i in odd)
        keyed += len(rows)
        if not index:
            continue
        if odd:
            column = list(column)
            for i in odd:
                key = seller_key(column[i]) or None
                column[i] = key
                keyed -= key is None
        table.update(zip(column, range(start, start + len(rows)), strict=True))
    table.pop(None, None)
    if "" in table:
        # Empty IDs pass the chunk tests when an index is built: found here, rarely needed.
        known = set(irregular)
        empty = [i for i in _where(map(operator.eq, ids, repeat(""))) if i not in known]
        del table[""]
        keyed -= len(empty)
        irregular = sorted(known.union(empty))
        marked = sorted(set(marked).union(empty))
    return Pass(marked, ids, irregular, table, keyed)  # type: ignore[arg-type]
