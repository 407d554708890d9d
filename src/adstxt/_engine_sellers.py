"""A compact memory of sellers: the first record of each, in a few bytes, for big streams.

A streamed check (:func:`adstxt.iter_parse`, ``adstxt-check``) keeps the first sellers of a
file in string-keyed dicts, as a whole-file check does, up to a bound; the sellers after
that go to a :class:`SellerTable`, so that every repeat and conflict is still found while
memory grows by about 20 bytes per distinct seller instead of about 115.

The table is an open-addressing hash table over packed arrays, in the layout of CPython's
own dicts: an index of slots (4 bytes each, at most two thirds taken), each the position of
an entry or empty, and the entries in the order they came (12 bytes each). A seller (ad
system, account ID key) is known by 62 bits of the hash of its account ID combined with
that of its ad system (both computed once per string by Python: the engine has hashed the
account ID for its dicts already): 32 of them place it and are kept in its entry, the other
30 are kept beside its record and checked on every match. Two sellers are taken for one
only when all 62 bits agree: for a file of 2 million distinct sellers, the chance that any
two of them do is about 5 in 10 million (Python keys its string hash afresh in every
process, so no file can be written to make it happen). What is remembered of a seller is
what a whole-file check keeps of a canonically written one: ``line << 2 | relationship bit
| certification bit`` (see :func:`adstxt._engine_memo._pack_first_record`); the engine
stores 0 for a seller whose first record it keeps whole elsewhere.

The compiled checker uses the same table written in C (``_engine_sellers.c``, built with
it as ``adstxt._engine_sellers_c``) when the build made it: compiled code reads an
``array.array`` only through generic calls that box every index and item. The engine asks
:func:`new_table` for its tables; :mod:`adstxt._engine_choice` says which class that makes.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Final, Protocol

#: The bits of the two hashes used (a non-negative short int in compiled code).
_HASH_MASK: Final = (1 << 62) - 1
#: The low bits of the hash, kept in an entry (and placing it in the index).
_FIRST_MASK: Final = (1 << 32) - 1
#: The next bits of the hash, kept beside the record.
_CHECK_MASK: Final = (1 << 30) - 1
#: Where the second hash starts in an entry's second word, above the packed record.
_CHECK_SHIFT: Final = 33
#: Packed records from here on (lines past 2**31) do not fit beside the second hash.
_PACKED_LIMIT: Final = 1 << _CHECK_SHIFT
_RECORD_MASK: Final = _PACKED_LIMIT - 1
#: What an entry holds for a seller kept in the dict of far records (a packed record is
#: never 1: line numbers start at 1).
_FAR: Final = 1
#: Entries per chunk (2**15: 384 KiB).
_CHUNK_BITS: Final = 15
_CHUNK_MASK: Final = (1 << _CHUNK_BITS) - 1
#: Slots of a new table; the index doubles when two thirds of its slots are taken.
_FIRST_SLOTS: Final = 1 << 10
#: The most slots :meth:`SellerTable.expect` makes at once (16 MiB).
_MOST_SLOTS: Final = 1 << 22


class SellerMemory(Protocol):
    """What the engine needs of a seller table: :class:`SellerTable` or the C one."""

    def __len__(self) -> int: ...

    def expect(self, sellers: int) -> None: ...

    def setdefault(self, domain: str, key: str, packed: int) -> int: ...

    def get(self, domain: str, key: str) -> int: ...

    def put(self, domain: str, key: str, packed: int) -> None: ...


class SellerTable:
    """Packed first records of sellers, by ad system and account ID key."""

    def __init__(self) -> None:
        # slot -> 1 + the position of its entry, or 0: empty
        self._index = _zeros("i", _FIRST_SLOTS)
        self._mask = _FIRST_SLOTS - 1
        # per entry, in chunks of a fixed size (growing never copies nor holds them twice):
        # the low 32 bits of the hash, and its next 30 bits above the packed record
        self._firsts: list[array[int]] = []
        self._values: list[array[int]] = []
        self._count = 0
        self._expected = 0
        # sellers whose record does not fit in an entry (past line 2**31), by their pair
        self._far: dict[str, int] = {}

    def __len__(self) -> int:
        return self._count

    def expect(self, sellers: int) -> None:
        """Size the index for about ``sellers`` entries (at most :data:`_MOST_SLOTS` slots),
        so that a big file's table is not placed again at every doubling; the index is
        made when the first entry comes, so a file whose sellers all fit in the engine's
        dicts never makes it."""
        self._expected = sellers

    def setdefault(self, domain: str, key: str, packed: int) -> int:
        """The packed record remembered for this seller, else ``packed``, now remembered."""
        return self._find(domain, key, packed, False)

    def get(self, domain: str, key: str) -> int:
        """The packed record remembered for this seller, or -1."""
        return self._find(domain, key, -1, False)

    def put(self, domain: str, key: str, packed: int) -> None:
        """Remember ``packed`` for this seller, in the place of what was remembered."""
        self._find(domain, key, packed, True)

    def _find(self, domain: str, key: str, packed: int, replace: bool) -> int:
        # The hash of the account ID (computed already for the dict the engine asked
        # first) mixed with that of the domain (kept in the domain's string).
        mixed = (hash(key) ^ hash(domain)) & _HASH_MASK
        first = mixed & _FIRST_MASK
        check = (mixed >> 32 & _CHECK_MASK) << _CHECK_SHIFT
        index = self._index
        mask = self._mask
        slot = first & mask
        while True:
            at = index[slot]
            if at == 0:
                break
            at -= 1
            if self._firsts[at >> _CHUNK_BITS][at & _CHUNK_MASK] == first:
                values = self._values[at >> _CHUNK_BITS]
                at &= _CHUNK_MASK
                value = values[at]
                if value & ~_RECORD_MASK == check:
                    value &= _RECORD_MASK
                    if value == _FAR:
                        return self._find_far(domain + "\n" + key, packed, replace)
                    if replace:
                        if packed >= _PACKED_LIMIT:
                            values[at] = check | _FAR
                            self._far[domain + "\n" + key] = packed
                        else:
                            values[at] = check | packed
                        return packed
                    return value
            slot = (slot + 1) & mask
        if packed < 0:
            return packed
        stored = packed
        if packed >= _PACKED_LIMIT:
            self._far[domain + "\n" + key] = packed
            stored = _FAR
        position = self._count
        if position & _CHUNK_MASK == 0:
            if position == 0 and self._expected > _FIRST_SLOTS:
                self._presize()
                return self._find(domain, key, packed, replace)
            self._firsts.append(_zeros("I", 1 << _CHUNK_BITS))
            self._values.append(_zeros("q", 1 << _CHUNK_BITS))
        self._firsts[position >> _CHUNK_BITS][position & _CHUNK_MASK] = first
        self._values[position >> _CHUNK_BITS][position & _CHUNK_MASK] = check | stored
        self._count = position + 1
        index[slot] = position + 1
        if 3 * self._count >= 2 * (mask + 1):
            self._grow()
        return packed

    def _find_far(self, pair: str, packed: int, replace: bool) -> int:
        """A seller whose record lies past line 2**31 (no ads.txt file has that many)."""
        if replace:
            self._far[pair] = packed
            return packed
        return self._far[pair]

    def _grow(self) -> None:
        """Double the index and place every entry again."""
        slots = 2 * (self._mask + 1)
        mask = slots - 1
        self._index = _zeros("i", 0)  # free the old index first: the entries suffice
        index = _zeros("i", slots)
        position = 0
        for firsts in self._firsts:
            for first in firsts:
                if position == self._count:
                    break  # the rest of the last chunk is unused
                slot = first & mask
                while index[slot] != 0:
                    slot = (slot + 1) & mask
                position += 1
                index[slot] = position
        self._index = index
        self._mask = mask

    def _presize(self) -> None:
        """Make the empty index as big as :meth:`expect` asked."""
        slots = _FIRST_SLOTS
        while 3 * self._expected > 2 * slots and slots < _MOST_SLOTS:
            slots *= 2
        self._expected = 0
        self._index = _zeros("i", slots)
        self._mask = slots - 1


def _zeros(typecode: str, length: int) -> array[int]:
    """An array of ``length`` zeros, made without a temporary of the same size."""
    return array(typecode, [0]) * length


#: What :func:`new_table` makes (see :func:`use_table`).
_make_table: Callable[[], SellerMemory] = SellerTable


def new_table() -> SellerMemory:
    """An empty seller table, of the class :func:`use_table` chose (:class:`SellerTable`
    unless it was called)."""
    return _make_table()


def use_table(make: Callable[[], SellerMemory]) -> None:
    """Have :func:`new_table` make its tables with ``make`` from now on: the compiled
    checker's choice calls it with the C table's class, whose tables behave the same."""
    global _make_table
    _make_table = make
