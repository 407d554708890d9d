"""The checks across lines: duplicates, conflicts, and the memory of sellers they need.

:class:`CrossLineChecks` remembers the first record of every seller (ad system and
account ID), each ad system's first certification ID and each variable value, and reports
a record or variable that repeats or contradicts an earlier one. What it remembers is
compact (see :mod:`adstxt._engine_memo`). In an engine with ``max_sellers`` the
string-keyed memory is bounded, and the sellers past the bound go to a compact
:class:`adstxt._engine_sellers.SellerTable`, so that no repeat goes unreported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from adstxt import _fields, _known
from adstxt._engine_lines import LineChecks, _RecordArgs, _VariableArgs, line_deletion
from adstxt._engine_memo import (
    _WRITTEN,
    _FirstRecord,
    _pack_first_record,
    _Remembered,
    _Shape,
    new_seller_dict,
)
from adstxt._engine_sellers import SellerMemory, new_table
from adstxt.model import FileKind, Record, Relationship, Variable

#: How many ad systems' first certification IDs are kept past the bound of an engine with
#: bounded memory (about 150 bytes each).
_CERT_ROOM: Final = 100_000


class CrossLineChecks(LineChecks):
    """The cross-line checks of the checker, over the whole file (see :class:`Engine`)."""

    def __init__(
        self,
        *,
        kind: FileKind,
        root_domain: str | None,
        keep_records: bool,
        on_record: Callable[[Record], None] | None,
        max_sellers: int | None,
    ) -> None:
        super().__init__(
            kind=kind, root_domain=root_domain, keep_records=keep_records, on_record=on_record
        )
        self._sellers: dict[str, dict[str, _Remembered]] = {}
        self._memory_limit = max_sellers if max_sellers is not None else -1
        self._memory_left = self._memory_limit
        # the sellers remembered past the bound: canonically written ones packed in the
        # table, others whole in the dict (by "domain\nkey"), marked 0 in the table
        self._table: SellerMemory = new_table()
        self._odd_sellers: dict[str, _FirstRecord] = {}
        self._sellers_moved = False
        # the variable values remembered past the bound (name, value key -> line << 2)
        self._value_table: SellerMemory = new_table()
        self._first_cert: dict[str, tuple[str, int]] = {}
        self._owner: tuple[str, int] | None = None
        self._managers: dict[str | None, tuple[str, int]] = {}
        self._variable_values: dict[tuple[str, str], int] = {}

    def expect_sellers(self, sellers: int) -> None:
        """Say about how many distinct sellers the file may have (an upper estimate), so
        that the compact memory is sized once if the file outgrows the bound."""
        self._table.expect(sellers)

    def _remembered_count(self) -> int:
        """How many things the cross-line checks remember: sellers, ad systems, values."""
        # Each ad system's dict of sellers counts it too, by its one key that is no
        # seller (see adstxt._engine_memo.new_seller_dict).
        return (
            sum(map(len, self._sellers.values()))
            + len(self._first_cert)
            + len(self._variable_values)
        )

    def _move_sellers_to_table(self) -> None:
        """Once the bound is reached, move the sellers the dicts remember to the compact
        memory, as they would have gone there past the bound: from then on a new seller is
        looked up there only (in a dict as well, that cost a read of memory on every
        line). The dicts stay, emptied: the shapes hold them."""
        self._sellers_moved = True
        table = self._table
        for domain, sellers in self._sellers.items():
            # Their keys are the account ID keys and one that is no string (new_seller_dict).
            keyed: dict[object, _Remembered] = sellers  # type: ignore[assignment]
            for key, remembered in keyed.items():
                if not isinstance(key, str):
                    continue
                if isinstance(remembered, _FirstRecord):
                    self._odd_sellers[domain + "\n" + key] = remembered
                    table.put(domain, key, 0)
                else:
                    table.put(domain, key, remembered)
            sellers.clear()
            keyed.update(new_seller_dict())

    def _reserve_memory(self) -> bool:
        """Whether one more thing may be remembered, counting it if so."""
        if self._memory_left == 0:
            return False
        if self._memory_left > 0:
            self._memory_left -= 1
        return True

    def _keep_first_cert(self, domain: str, cert: str, number: int) -> bool:
        """Remember an ad system's first certification ID, if there is room: within the
        bound, or past it for up to :data:`_CERT_ROOM` ad systems (ADS404 needs the text,
        which no compact memory keeps; no real file names that many ad systems)."""
        if self._reserve_memory() or len(self._first_cert) < _CERT_ROOM:
            self._first_cert[domain] = (cert, number)
            return True
        return False

    def _cert_is_first(self, shape: _Shape, number: int) -> bool:
        """Whether the certification ID of ``shape`` is its ad system's first one.

        The first certification ID of an ad system never changes, so once a shape agrees
        with it, it always does; a shape that disagrees takes the careful path (ADS404).
        """
        assert shape.cert is not None
        first = self._first_cert.get(shape.domain)
        if first is None:
            if not self._keep_first_cert(shape.domain, shape.cert, number):
                return False
        elif first[0] != shape.cert:
            return False
        shape.cert_pending = False
        return True

    def _remember_new_seller(
        self, number: int, key: str, account: str, shape: _Shape, remember: bool
    ) -> bool:
        """Whether the seller of a record whose account ID differs from its key (its
        lower-cased form) is new; if so, remember the record as written: in its ad
        system's dict, or (not ``remember``: past the bound of an engine with bounded
        memory) where :meth:`_remember_seller` keeps such a record past the bound."""
        if key in shape.sellers:
            return False
        written = (shape.domain, shape.relationship.value, shape.cert)
        first = _FirstRecord(number, account, shape.relationship, shape.cert, written)
        if remember:
            shape.sellers[key] = first
            return True
        if self._table.get(shape.domain, key) != -1:
            return False
        self._odd_sellers[shape.domain + "\n" + key] = first
        self._table.put(shape.domain, key, 0)
        return True

    def _first_record(self, domain: str, key: str) -> _FirstRecord | None:
        """The first record remembered for this seller, if any."""
        sellers = self._sellers.get(domain)
        found = sellers.get(key) if sellers is not None else None
        if found is None and self._memory_left >= 0:
            packed = self._table.get(domain, key)
            if packed == 0:
                return self._odd_sellers[domain + "\n" + key]
            found = packed if packed > 0 else None
        if found is None or isinstance(found, _FirstRecord):
            return found
        relationship = Relationship.RESELLER if found & 2 else Relationship.DIRECT
        cert = self._first_cert[domain][0] if found & 1 else None
        return _FirstRecord(found >> 2, key, relationship, cert, (domain, relationship.value, cert))

    def _remember_seller(
        self,
        domain: str,
        key: str,
        number: int,
        account: str,
        relationship: Relationship,
        cert: str | None,
        written: tuple[str, str, str | None],
        extension: str | None,
        replace: bool = False,
    ) -> None:
        """Remember the record kept for a seller; ``replace`` puts a fuller repeat in the
        place of the remembered one (no more memory, so no bound applies)."""
        sellers = self._sellers.get(domain)
        lowered = cert.lower() if cert else None
        first = self._first_cert.get(domain)
        canonical = (
            account == key
            and extension is None
            and written == (domain, relationship.value, lowered)
            and (lowered is None or (first is not None and first[0] == lowered))
        )
        remembered: _Remembered = (
            _pack_first_record(number, relationship, lowered is not None)
            if canonical
            else _FirstRecord(number, account, relationship, lowered, written, extension)
        )
        if sellers is not None and (key in sellers if replace else self._reserve_memory()):
            sellers[key] = remembered
        elif self._memory_left != 0:
            pass  # a record with no domain to remember it by
        elif isinstance(remembered, _FirstRecord):
            # past the bound of an engine with bounded memory, written unusually
            self._odd_sellers[domain + "\n" + key] = remembered
            self._table.put(domain, key, 0)
        else:
            self._table.put(domain, key, remembered)

    def _commit_record(self, number: int, args: _RecordArgs) -> None:
        """The cross-line part of a usable record line, and keeping it."""
        domain, account, relationship, cert, domain_text, rel_text, d0, extension = args
        self._check_against_earlier(
            number, domain, account, relationship, cert, domain_text, rel_text, d0, extension
        )
        self._usable_lines += 1
        self.record_count += 1
        if self.keep_records:
            record = Record(domain, account, relationship, cert, extension, number)
            self.records.append(record)
            if self._on_record is not None:
                self._on_record(record)

    def _commit_variable(self, number: int, args: _VariableArgs) -> None:
        """The cross-line part of a usable variable line, and keeping it."""
        if args.known:
            self._check_variable_repeat(number, args.name, args.value, args.country, args.start)
        self._usable_lines += 1
        self.variables.append(Variable(args.name, args.value, number))

    def _check_against_earlier(
        self,
        number: int,
        domain: str,
        account: str,
        relationship: Relationship,
        cert: str | None,
        domain_text: str,
        rel_text: str,
        d0: int,
        extension: str | None,
    ) -> None:
        end = d0 + len(domain_text)
        key = account if account.isdigit() else account.lower()
        first = self._first_record(domain, key)
        fuller = False  # whether this record takes the place of the remembered one
        if first is None:
            pass  # remembered below, once the certification ID is settled
        elif first.account != account:
            self._diag(
                "ADS402",
                number,
                d0,
                end,
                f"this record repeats line {first.line} except for the case of the account "
                f"ID ('{first.account}' there, '{account}' here)",
                "account IDs are case-sensitive: one of the two is probably wrong",
            )
        elif first.relationship is not relationship:
            self._report_conflict(
                number, d0, end, domain, account, relationship, first.relationship, first.line
            )
        elif (cert.lower() if cert else None) != first.cert and cert and first.cert:
            pass  # reported below as a certification-ID conflict
        else:
            written = (domain_text, rel_text, cert)
            if written == first.written and extension == first.extension:
                self._report_exact_repeat(number, d0, end, first.line)
            else:
                later_adds = (cert is not None and first.cert is None) or (
                    extension is not None and extension != first.extension
                )
                earlier_adds = (first.cert is not None and cert is None) or (
                    first.extension is not None and first.extension != extension
                )
                difference = _written_difference(first.written, written, first.extension, extension)
                self._report_near_repeat(
                    number, d0, end, first.line, difference, later_adds, earlier_adds
                )
                fuller = later_adds and not earlier_adds
        if cert is not None:
            lowered = _fields.comparable_cert(cert)
            earlier = self._first_cert.get(domain)
            if earlier is None:
                self._keep_first_cert(domain, lowered, number)
            elif earlier[0] != lowered and earlier[1] != number:
                accepted = _known.certification_ids().accepted.get(domain, frozenset())
                if not (lowered in accepted and earlier[0] in accepted):
                    self._diag(
                        "ADS404",
                        number,
                        d0,
                        end,
                        f"{domain} has the certification ID '{lowered}' here but "
                        f"'{earlier[0]}' on line {earlier[1]}",
                        "the certification ID identifies the ad system, so it is the same "
                        "on every record of one ad system",
                    )
        if first is None or fuller:
            self._remember_seller(
                domain,
                key,
                number,
                account,
                relationship,
                cert,
                (domain_text, rel_text, cert),
                extension,
                replace=fuller,
            )

    def _report_exact_repeat(self, number: int, start: int, end: int, first: int) -> None:
        """Report a record that repeats line ``first`` exactly (ADS401)."""
        self._diag(
            "ADS401",
            number,
            start,
            end,
            f"This record repeats line {first}",
            fix=line_deletion(number, True, f"delete this repeat of line {first}"),
        )

    def _report_packed_repeat(
        self, number: int, raw: str, account: str, found: int, tail: _Shape, in_table: bool
    ) -> None:
        """What :meth:`_check_against_earlier` says of a canonical record whose seller is packed
        (in the compact memory when ``in_table``).

        Both records are written canonically, so they can differ only in the relationship
        (ADS403) or in having a certification ID (ADS402); else it is an exact repeat.
        """
        domain = tail.domain
        start = len(raw) - len(raw.lstrip())
        end = start + len(domain)
        first = found >> 2
        relationship = tail.relationship
        if found & 2 != tail.bits & 2:
            earlier = (
                Relationship.DIRECT
                if relationship is Relationship.RESELLER
                else (Relationship.RESELLER)
            )
            self._report_conflict(number, start, end, domain, account, relationship, earlier, first)
        elif found & 1 == tail.bits & 1:
            self._report_exact_repeat(number, start, end, first)
        else:
            later_adds = tail.bits & 1 == 1
            self._report_near_repeat(
                number,
                start,
                end,
                first,
                "the presence of the certification ID",
                later_adds,
                not later_adds,
            )
            if later_adds and in_table:
                self._table.put(domain, account, number << 2 | tail.bits)
            elif later_adds:
                tail.sellers[account] = number << 2 | tail.bits

    def _report_near_repeat(
        self,
        number: int,
        start: int,
        end: int,
        first: int,
        difference: str,
        later_adds: bool,
        earlier_adds: bool,
    ) -> None:
        """ADS402: this record repeats line ``first`` but for how it is written or what it
        adds. The fix keeps the record that says more (a certification ID, an extension),
        else the first; when each says something the other does not, there is no fix."""
        verb = "differ" if " and " in difference else "differs"
        message = f"This record repeats line {first}; only {difference} {verb}"
        if later_adds and earlier_adds:
            self._diag(
                "ADS402",
                number,
                start,
                end,
                message,
                "each line has something the other lacks: merge them into one",
            )
        elif later_adds:
            self._diag(
                "ADS402",
                number,
                start,
                end,
                message,
                f"this line says more than line {first}",
                line_deletion(
                    first,
                    False,
                    f"delete line {first}, which this record completes",
                ),
            )
        else:
            self._diag(
                "ADS402",
                number,
                start,
                end,
                message,
                fix=line_deletion(number, False, f"delete this repeat of line {first}"),
            )

    def _report_conflict(
        self,
        number: int,
        start: int,
        end: int,
        domain: str,
        account: str,
        relationship: Relationship,
        earlier: Relationship,
        first: int,
    ) -> None:
        """ADS403: the same seller is DIRECT on one line and RESELLER on another."""
        self._diag(
            "ADS403",
            number,
            start,
            end,
            f"{domain} account '{account}' is {_WRITTEN[relationship]} here but "
            f"{_WRITTEN[earlier]} on line {first}",
            "an account is either directly controlled by the publisher or resold",
        )

    def _check_variable_repeat(
        self, number: int, name: str, value: str, country: str | None, start: int
    ) -> None:
        key_value = value if name == "CONTACT" else value.lower()
        end = start + len(value)
        first_line = self._variable_values.get((name, key_value))
        if first_line is None and self._memory_left == 0:
            packed = self._value_table.get(name, key_value)
            first_line = packed >> 2 if packed > 0 else None
        if first_line is not None:
            self._diag(
                "ADS308",
                number,
                start,
                end,
                f"{name}={value} repeats line {first_line}",
                fix=line_deletion(number, True, f"delete this repeat of line {first_line}"),
            )
            return
        if self._reserve_memory():
            self._variable_values[(name, key_value)] = number
        else:  # past the bound: the compact memory, as for sellers
            self._value_table.put(name, key_value, number << 2)
        if name == "OWNERDOMAIN":
            if self._owner is None:
                self._owner = (value, number)
            else:
                self._diag(
                    "ADS307",
                    number,
                    start,
                    end,
                    f"OWNERDOMAIN is already set to '{self._owner[0]}' on line "
                    f"{self._owner[1]}; only the first one is used",
                )
        elif name == "MANAGERDOMAIN":
            previous = self._managers.get(country)
            if previous is None:
                self._managers[country] = (value, number)
            else:
                scope = f"country {country}" if country else "the global default (no country)"
                self._diag(
                    "ADS307",
                    number,
                    start,
                    end,
                    f"MANAGERDOMAIN for {scope} is already given on line {previous[1]}; "
                    "consumers treat two managers for one market as none",
                )


def _written_difference(
    first: tuple[str, str, str | None],
    again: tuple[str, str, str | None],
    first_extension: str | None,
    extension: str | None,
) -> str:
    """Say which parts of two equivalent records are written differently."""
    parts = []
    if first[0] != again[0]:
        parts.append("the letter case of the domain")
    if first[1] != again[1]:
        parts.append("the letter case of the relationship")
    if (first[2] is None) != (again[2] is None):
        parts.append("the presence of the certification ID")
    elif first[2] != again[2]:
        parts.append("the letter case of the certification ID")
    if (first_extension is None) != (extension is None):
        parts.append("the presence of the extension")
    elif first_extension != extension:
        parts.append("the extension")
    return " and ".join(parts) or "the spacing"
