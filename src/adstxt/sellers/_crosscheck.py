"""Cross-checks: each ads.txt record against the sellers.json of its ad system.

The rules follow section 8.3 of the spec digest. None of them is a MUST in either spec, so
all are warnings or information. Diagnostics point at the ads.txt line and at the field
that disagrees with sellers.json: the domain (no usable file), the account ID (not found,
confidential, not the owner's), the relationship (DIRECT or RESELLER against seller_type)
or the certification ID (against the TAG-ID).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import NamedTuple

from adstxt import _known
from adstxt._domains import analyze_host
from adstxt.diagnostics import Diagnostic
from adstxt.model import ParseResult, Record, Relationship
from adstxt.rules import RULES
from adstxt.sellers._document import Seller, SellersResult
from adstxt.sellers._source import Document, SellersSource, as_source

__all__ = ["check_records", "cross_check"]


class _Found(NamedTuple):
    """The sellers.json used for an ad system, and the domain it was found under."""

    result: SellersResult | None
    via: str
    tried: tuple[str, ...]


def _candidates(ad_system: str) -> list[str]:
    """Where an ad system's sellers.json may live: itself, its canonical domain, its root."""
    systems = _known.ad_systems()
    names = [ad_system]
    for other in (systems.aliases.get(ad_system), systems.families.get(ad_system)):
        if other:
            names.append(other)
    registrable = analyze_host(ad_system).registrable if ad_system else None
    if registrable:
        # 'ads.openx.net' reaches openx.net, then the canonical openx.com.
        names.append(registrable)
        names.extend(
            other
            for other in (systems.aliases.get(registrable), systems.families.get(registrable))
            if other
        )
    return list(dict.fromkeys(names))


def _find(source: SellersSource, ad_system: str) -> _Found:
    tried = tuple(_candidates(ad_system))
    for name in tried:
        result = source.lookup(name)
        if result is not None:
            return _Found(result, name, tried)
    return _Found(None, ad_system, tried)


def _domain_form(value: str | None) -> str | None:
    """A domain as compared here: lower case, no trailing dot, no 'www.'."""
    if not value:
        return None
    text = value.strip().lower().rstrip(".")
    return text[4:] if text.startswith("www.") else text


def _host(site: str) -> str:
    """The host of a site given as a domain or a URL, such as 'https://www.example.com/'."""
    text = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", site.strip())
    return re.split(r"[/?#]", text, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]


def _field_spans(text: str) -> list[tuple[int, int]]:
    """1-based start and exclusive end columns of each field of a record line."""
    body = text.split("#", 1)[0].split(";", 1)[0]
    separator = "," if body.count(",") >= 2 else "\t"
    spans: list[tuple[int, int]] = []
    start = 0
    for part in body.split(separator):
        end = start + len(part)
        left = start + len(part) - len(part.lstrip())
        right = end - (len(part) - len(part.rstrip()))
        spans.append((left + 1, max(left, right) + 1))
        start = end + 1
    return spans


class _Checker:
    def __init__(self, result: ParseResult, source: SellersSource, domain: str | None) -> None:
        self.source = source
        self.lines = {number: text for number, text, _ in result.lines()}
        self.found: list[Diagnostic] = []
        owner = next((v.value for v in result.variables if v.name == "OWNERDOMAIN"), None)
        host = _host(domain) if domain else ""
        root = analyze_host(host).registrable if host else None
        self.owner = _domain_form(owner) or _domain_form(root)
        self.managers = {
            _domain_form(v.value.split(",", 1)[0]): v
            for v in result.variables
            if v.name == "MANAGERDOMAIN" and v.value.split(",", 1)[0].strip()
        }
        self.accepted = {d for d in (self.owner, *self.managers) if d}
        self.cache: dict[str, _Found] = {}
        #: Records that could not be checked, per ad system: one ADS701 each.
        self.unchecked: dict[str, list[Record]] = {}
        #: Lines whose field 4 was compared with the ad system's TAG-ID: do they agree?
        self.tag_checked: dict[int, bool] = {}

    def lookup(self, ad_system: str) -> _Found:
        if ad_system not in self.cache:
            self.cache[ad_system] = _find(self.source, ad_system)
        return self.cache[ad_system]

    def add(
        self, code: str, record: Record, field: int, message: str, hint: str | None = None
    ) -> None:
        text = self.lines.get(record.line, "")
        spans = _field_spans(text)
        column, end = spans[field] if field < len(spans) else (1, len(text) + 1)
        self.found.append(
            Diagnostic(
                code=code,
                severity=RULES[code].severity,
                line=record.line,
                column=column,
                end_column=end,
                message=message,
                hint=hint,
            )
        )

    def record(self, record: Record, missing: dict[int, list[Record]]) -> None:
        found = self.lookup(record.domain)
        result = found.result
        if result is None or not result.usable:
            self.unchecked.setdefault(record.domain, []).append(record)
            return
        seller = result.get(record.account_id)
        if seller is None:
            missing.setdefault(id(result), []).append(record)
            return
        where = f"{found.via} sellers.json"
        if result.is_duplicated(record.account_id):
            self.add(
                "ADS709",
                record,
                1,
                f"seller_id '{seller.seller_id}' is listed more than "
                f"once in the {where}; the first entry is {seller.pointer}",
            )
        if found.via in self.managers or record.domain in self.managers:
            self.manager_record(record, seller, where)
        else:
            self.relationship(record, seller, where)
        cert = (record.certification_authority_id or "").strip().lower()
        tags = result.tag_ids
        if cert and tags:
            self.tag_checked[record.line] = cert in tags
        if cert and tags and cert not in tags:
            expected = " or ".join(sorted(tags))
            self.add(
                "ADS708",
                record,
                3,
                f"certification ID '{cert}' differs from the TAG-ID '{expected}' in the {where}",
                f"use '{min(tags)}'",
            )

    def relationship(self, record: Record, seller: Seller, where: str) -> None:
        kind = seller.seller_type
        if record.relationship is Relationship.DIRECT and kind == "INTERMEDIARY":
            self.add(
                "ADS704",
                record,
                2,
                f"DIRECT, but the {where} lists seller "
                f"'{seller.seller_id}' ({seller.pointer}) as an INTERMEDIARY",
                "use RESELLER, or the account the publisher controls itself",
            )
        elif record.relationship is Relationship.RESELLER and kind == "PUBLISHER":
            self.add(
                "ADS705",
                record,
                2,
                f"RESELLER, but the {where} lists seller "
                f"'{seller.seller_id}' ({seller.pointer}) as a PUBLISHER",
            )
        if seller.is_confidential:
            self.add(
                "ADS707",
                record,
                1,
                f"seller '{seller.seller_id}' is confidential in the "
                f"{where}; its owner cannot be checked",
            )
            return
        seller_domain = _domain_form(seller.domain)
        if (
            record.relationship is Relationship.DIRECT
            and kind == "PUBLISHER"
            and self.accepted
            and seller_domain
            and seller_domain not in self.accepted
        ):
            self.add(
                "ADS706",
                record,
                1,
                f"the {where} gives seller '{seller.seller_id}' the "
                f"domain '{seller_domain}', which is not this site's owner "
                f"({', '.join(sorted(self.accepted))})",
                "if the account is yours, ask the ad system to correct its sellers.json; "
                "if not, remove the record or make it RESELLER",
            )

    def manager_record(self, record: Record, seller: Seller, where: str) -> None:
        if seller.seller_type not in ("PUBLISHER", "BOTH"):
            self.add(
                "ADS711",
                record,
                1,
                f"the {where} lists seller '{seller.seller_id}' as "
                f"{seller.seller_type or 'no seller_type'}; the manager's entry for this "
                "site's account should be a PUBLISHER",
            )
            return
        seller_domain = _domain_form(seller.domain)
        if seller.is_confidential or not self.owner or not seller_domain:
            return
        if seller_domain != self.owner:
            self.add(
                "ADS712",
                record,
                1,
                f"the {where} gives seller '{seller.seller_id}' the "
                f"domain '{seller_domain}', not this site's owner '{self.owner}'",
            )

    def no_file(self, records: list[Record]) -> None:
        """One ADS701 for all the records of an ad system, on the first of them."""
        found = self.lookup(records[0].domain)
        result = found.result
        if result is None:
            why = "it is not in the sellers.json files given"
        elif result.diagnostics and result.diagnostics[0].code.startswith("ADS5"):
            why = result.problem or ""  # a fetch failure, which names the URL tried
        else:
            why = f"its sellers.json is not usable: {result.problem}"
        looked = f" (looked under {', '.join(found.tried)})" if len(found.tried) > 1 else ""
        self.add(
            "ADS701",
            records[0],
            0,
            f"cannot cross-check '{records[0].domain}': {why}{looked}; {_affected(records)}",
        )

    def not_found(self, records: list[Record]) -> None:
        result = self.lookup(records[0].domain).result
        assert result is not None
        variants = result.case_variants(r.account_id for r in records)
        for record in records:
            where = f"{self.lookup(record.domain).via} sellers.json"
            close = variants.get(record.account_id)
            if close:
                self.add(
                    "ADS703",
                    record,
                    1,
                    f"seller_id '{record.account_id}' is not in the "
                    f"{where}, but '{close[0].seller_id}' is, in different case",
                    f"write '{close[0].seller_id}'",
                )
            else:
                self.add(
                    "ADS702",
                    record,
                    1,
                    f"seller_id '{record.account_id}' is not in the "
                    f"{where} ({len(result):,} seller{'' if len(result) == 1 else 's'})",
                )

    def manager_files(self) -> None:
        for manager, variable in self.managers.items():
            if not manager:
                continue
            result = self.lookup(manager).result
            if result is None or not result.usable:
                text = self.lines.get(variable.line, "")
                column = text.find("=") + 2 if "=" in text else 1
                why = "not in the sellers.json files given" if result is None else "not usable"
                self.found.append(
                    Diagnostic(
                        code="ADS710",
                        severity=RULES["ADS710"].severity,
                        line=variable.line,
                        column=column,
                        end_column=column + len(variable.value),
                        message=(
                            f"the sellers.json of manager '{manager}' is "
                            f"{why}, so the management of this site cannot be checked"
                        ),
                    )
                )


def _affected(records: list[Record]) -> str:
    """'1 record is not checked', or how many are and on which other lines."""
    if len(records) == 1:
        return "1 record is not checked"
    others = sorted({r.line for r in records[1:]})
    shown = ", ".join(map(str, others[:_SHOWN_LINES]))
    more = len(others) - _SHOWN_LINES
    if more > 0:
        shown += f" and {more:,} more"
    where = f"the one on line {shown}" if len(others) == 1 else f"those on lines {shown}"
    return f"{len(records):,} records are not checked (this one and {where})"


#: How many other lines an ADS701 names before it only counts them.
_SHOWN_LINES = 10


def check_records(
    result: ParseResult,
    source: SellersSource,
    domain: str | None,
) -> tuple[list[Diagnostic], dict[int, bool]]:
    """The cross-check diagnostics, and the lines whose field 4 was compared with a TAG-ID,
    with whether it agrees (there the sellers.json comparison, ADS708, stands in for the
    comparison with observed IDs, ADS222)."""
    checker = _Checker(result, source, domain)
    missing: dict[int, list[Record]] = {}
    for record in result.records:
        checker.record(record, missing)
    for records in missing.values():
        checker.not_found(records)
    for records in checker.unchecked.values():
        checker.no_file(records)
    checker.manager_files()
    return sorted(checker.found, key=Diagnostic.sort_key), checker.tag_checked


def cross_check(
    result: ParseResult,
    source: SellersSource | Mapping[str, Document] | Callable[[str], Document] | str,
    *,
    domain: str | None = None,
) -> list[Diagnostic]:
    """Check every record of a parsed ads.txt file against its ad system's sellers.json.

    ``source`` is a :class:`SellersSource`, a path (a directory of ``<ad system>.json``
    files, or one such file), a mapping from ad-system domain to document, or a callable
    returning a document. ``domain`` is the site the ads.txt file belongs to; its root
    domain is the expected seller domain when the file has no OWNERDOMAIN. Returns
    diagnostics sorted by position. Never raises on bad documents.
    """
    return check_records(result, as_source(source), domain)[0]
