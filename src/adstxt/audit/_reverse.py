"""The reverse audit: does every seller of a sellers.json point back at the ad system?

A seller of type PUBLISHER should be listed as DIRECT in its domain's ads.txt, one of type
INTERMEDIARY as RESELLER, and one of type BOTH with either relationship. The lookups are
those of :class:`~adstxt.authorization.AuthorizationIndex`, so a seller domain's file is
found and matched exactly as ``adstxt authorized`` does it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from adstxt.authorization import Answer, AuthorizationIndex, Source, Verdict
from adstxt.model import FileKind

__all__ = ["FAILURES", "SELLER_STATUSES", "SellerResult", "audit_seller", "audit_sellers"]

#: Every status of a seller, in the order the summary counts them.
SELLER_STATUSES = (
    "listed",
    "relationship-differs",
    "not-listed",
    "no-file",
    "invalid-file",
    "restricted",
    "unavailable",
    "confidential",
    "no-domain",
    "invalid-domain",
    "invalid-entry",
    "other-type",
    "skipped",
)
#: The statuses that make the audit fail (exit status 1).
FAILURES = frozenset(SELLER_STATUSES) - {"listed", "confidential", "no-domain", "skipped"}

FileChoice = Literal["ads.txt", "app-ads.txt", "either"]

# sellers.json 1.0: PUBLISHER sells inventory it owns and is paid for directly (DIRECT);
# INTERMEDIARY resells (RESELLER); BOTH does both under one ID, so either line fits.
# For INTERMEDIARY the spec is unsure: its domain is its own business domain (the root
# domain of its own sellers.json), which often sells nothing itself, and no IAB text says
# that an intermediary's ads.txt must list the systems it resells through. The RESELLER
# expectation follows the common industry reading (authorization digest, section 3.2);
# --no-intermediaries reports such sellers as skipped instead.
_EXPECTED: dict[str, str | None] = {"PUBLISHER": "DIRECT", "INTERMEDIARY": "RESELLER", "BOTH": None}
_VERDICT_STATUS = {
    Verdict.AUTHORIZED_DIRECT: "listed",
    Verdict.AUTHORIZED_RESELLER: "listed",
    Verdict.RELATIONSHIP_MISMATCH: "relationship-differs",
    Verdict.UNAUTHORIZED: "not-listed",
    Verdict.NO_SELLERS: "not-listed",
    Verdict.NO_FILE: "no-file",
    Verdict.INVALID_FILE: "invalid-file",
    Verdict.RESTRICTED: "restricted",
    Verdict.UNAVAILABLE: "unavailable",
}
# When both files are read, the better answer decides: a listing beats a mismatch, which
# beats a readable file without the seller, which beats an unreadable file or none.
_RANK = {
    "listed": 0,
    "relationship-differs": 1,
    "not-listed": 2,
    "invalid-file": 3,
    "restricted": 3,
    "unavailable": 3,
    "no-file": 4,
}


@dataclass(frozen=True)
class SellerResult:
    """One seller's audit."""

    seller_id: str | None
    pointer: str
    seller_type: str | None
    name: str | None
    domain: str | None
    expected: str | None
    status: str
    file: str | None = None
    file_kind: FileKind | None = None
    lines: tuple[int, ...] = ()
    message: str = ""

    @property
    def failure(self) -> bool:
        """True when this seller makes the audit fail."""
        return self.status in FAILURES

    def to_json(self) -> dict[str, object]:
        """The seller as the audit document writes it."""
        return {
            "seller_id": self.seller_id,
            "pointer": self.pointer,
            "seller_type": self.seller_type,
            "name": self.name,
            "domain": self.domain,
            "expected": self.expected,
            "status": self.status,
            "failure": self.failure,
            "file": self.file,
            "file_kind": self.file_kind,
            "lines": list(self.lines),
            "message": self.message,
        }


def _text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "seller_id":
        value = str(value)
    return value.strip() if isinstance(value, str) else None


def audit_sellers(
    sellers: list[Any],
    ad_system: str,
    source: Source,
    *,
    files: FileChoice = "either",
    intermediaries: bool = True,
) -> Iterator[SellerResult]:
    """Audit each entry of a sellers array, in order, one at a time."""
    for position, entry in enumerate(sellers):
        yield audit_seller(
            entry,
            f"/sellers/{position}",
            ad_system,
            source,
            files=files,
            intermediaries=intermediaries,
        )


def audit_seller(
    entry: object,
    pointer: str,
    ad_system: str,
    source: Source,
    *,
    files: FileChoice = "either",
    intermediaries: bool = True,
) -> SellerResult:
    """Audit one entry of a sellers array."""
    if not isinstance(entry, dict):
        return SellerResult(
            None, pointer, None, None, None, None, "invalid-entry", message="not a seller object"
        )
    seller_id = _text(entry, "seller_id")
    kind = _text(entry, "seller_type")
    seller_type = kind.upper() if kind else None
    name = _text(entry, "name")
    domain = _text(entry, "domain")
    base = (seller_id, pointer, seller_type, name, domain)
    if not seller_id:
        return SellerResult(*base, None, "invalid-entry", message="the entry has no seller_id")
    if seller_type not in _EXPECTED:
        return SellerResult(
            *base,
            None,
            "other-type",
            message=f"seller_type is {_shown(entry, 'seller_type')}, "
            "not PUBLISHER, INTERMEDIARY or BOTH",
        )
    expected = _EXPECTED[seller_type]
    shown = expected or "ANY"
    if entry.get("is_confidential") == 1:
        return SellerResult(
            *base, None, "confidential", message="is_confidential is 1: there is no domain to check"
        )
    if not domain:
        return SellerResult(*base, None, "no-domain", message="the seller names no domain")
    if seller_type == "INTERMEDIARY" and not intermediaries:
        return SellerResult(*base, None, "skipped", message="intermediaries are not checked")
    kinds: tuple[FileKind, ...] = ("ads.txt", "app-ads.txt") if files == "either" else (files,)
    best: tuple[str, FileKind, Answer] | None = None
    read: list[tuple[str, Answer]] = []
    # A fresh index per seller: nothing of one seller's files is kept for the next.
    index = AuthorizationIndex(source)
    for file_kind in kinds:
        try:
            answer = index.lookup(domain, ad_system, seller_id, expected, kind=file_kind)
        except ValueError as error:
            return SellerResult(*base, shown, "invalid-domain", message=str(error))
        status = _VERDICT_STATUS[answer.verdict]
        read.append((status, answer))
        if best is None or _RANK[status] < _RANK[best[0]]:
            best = (status, file_kind, answer)
        if status == "listed":
            break
    assert best is not None
    status, file_kind, answer = best
    evidence = answer.evidence
    message = answer.reason or ""
    if status != "listed" and len(read) > 1:
        message = _both_files(read, status, ad_system, seller_id, message)
    return SellerResult(
        *base,
        shown,
        status,
        evidence.file,
        file_kind if evidence.file else None,
        evidence.lines,
        message,
    )


def _shown(entry: dict[str, Any], key: str) -> str:
    """A field's value as a message shows it: "missing" when the entry lacks it."""
    if key not in entry or entry[key] is None:
        return "missing"
    value = entry[key]
    if isinstance(value, str):
        return f"'{value}'" if value.strip() else "empty"
    return f"{json.dumps(value)} (not a string)"


def _both_files(
    read: list[tuple[str, Answer]], status: str, ad_system: str, seller_id: str, best: str
) -> str:
    """The message when both ads.txt and app-ads.txt were read and neither lists the seller."""
    files = [answer.evidence.file for _, answer in read]
    if all(s == "not-listed" for s, _ in read) and all(files):
        return f"neither {files[0]} nor {files[1]} lists {ad_system} seller '{seller_id}'"
    # A file that is not there was not read: the message need not name it.
    others = [
        answer.reason
        for s, answer in read
        if s != "no-file" and answer.reason and answer.reason != best
    ]
    return "; ".join([best, *others])
