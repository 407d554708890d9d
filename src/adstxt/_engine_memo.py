"""What the checker remembers of a file: field-1 analyses, line shapes and sellers.

These are the memos the line loop (:mod:`adstxt._engine`) and the cross-line checks
(:mod:`adstxt._engine_crossline`) share: a field-1 text is analysed once per file
(:class:`_DomainInfo`), a plain record line but for its account ID is read once
(:class:`_Shape`), and the first record of each seller is kept in one small int or, when
written unusually, in a :class:`_FirstRecord`.
"""

from __future__ import annotations

from typing import Final

from adstxt import _fields
from adstxt._domains import DomainAnalysis
from adstxt._finding import Finding
from adstxt.model import Relationship

PLACEHOLDER_DOMAIN: Final = "placeholder.example.com"

_RELATIONSHIPS: Final = {"DIRECT": Relationship.DIRECT, "RESELLER": Relationship.RESELLER}
#: Read once: an enum member read through its class costs compiled code a generic look-up.
_RESELLER: Final = Relationship.RESELLER

#: The text of each relationship (a dict look-up is cheaper than ``Enum.value``).
_WRITTEN: Final = {relationship: text for text, relationship in _RELATIONSHIPS.items()}

#: The text after field 2 of nearly every record line: a relationship alone, as the
#: specification writes it (a look-up instead of reading it).
_BARE_RELATIONSHIPS: Final = {
    space + text: relationship
    for text, relationship in _RELATIONSHIPS.items()
    for space in ("", " ")
}

#: Longest field text the fast path takes (longer ones, however rare, go the careful way).
_FAST_FIELD: Final = 256


class _DomainInfo:
    """Everything the fast path needs to know about one field-1 text, memoized per file."""

    __slots__ = (
        "analysis",
        "certs",
        "clean",
        "fast",
        "google",
        "normalized",
        "placeholder",
        "sellers",
        "text",
    )

    def __init__(self, text: str, analysis: DomainAnalysis, sellers: dict[str, _Remembered]):
        self.text = text
        self.analysis = analysis
        # Read once: compiled code reads a named tuple's field by a generic attribute look-up.
        normalized = self.normalized = analysis.normalized
        self.clean = not analysis.findings and normalized is not None
        self.google = normalized == "google.com"
        self.placeholder = normalized == PLACEHOLDER_DOMAIN
        # A record line with this field 1 may take the fast path (the other fields permitting):
        # a clean domain written as its normalized form is a lower-case host name, nothing
        # else (a string comparison, where a regex cost as much as the rest of this method).
        self.fast = self.clean and not self.placeholder and text == normalized
        # certification ID as written -> its findings (empty when clean); made on first use,
        # as most ad systems never see one and a file may name 100,000 of them
        self.certs: dict[str, list[Finding]] | None = None
        # account ID key -> the first record of this ad system with it (shared by every
        # spelling of the same normalized domain)
        self.sellers = sellers

    def cert_findings(self, cert: str) -> list[Finding]:
        certs = self.certs
        if certs is None:
            certs = self.certs = {}
        found = certs.get(cert)
        if found is None:
            found = certs[cert] = _fields.certification_findings(cert, self.normalized)
        return found

    def shape(self, raw: str) -> _Shape:
        """Read ``raw`` (all after the second comma) once: what a plain record line says."""
        if not self.fast or len(raw) > _FAST_FIELD:
            return _not_plain(self, raw)
        assert self.normalized is not None
        relationship = _BARE_RELATIONSHIPS.get(raw)
        if relationship is not None:
            return _Shape(
                self, self.normalized, self.sellers, self.google, relationship, None, -1, raw, True
            )
        hash_at = raw.find("#")
        body = raw if hash_at < 0 else raw[:hash_at]
        parts = body.split(",")
        relationship = _RELATIONSHIPS.get(parts[0].strip())
        cert = parts[1].strip() if len(parts) == 2 else None
        if (
            relationship is None
            or "=" in body
            or ";" in body
            or len(parts) > 2
            or (len(parts) == 2 and (not cert or self.cert_findings(cert)))
        ):
            return _not_plain(self, raw)
        return _Shape(
            self, self.normalized, self.sellers, self.google, relationship, cert, hash_at, raw, True
        )


class _Shape:
    """A plain record line but for its account ID: field 1 as written and all after field 2.

    Real files repeat a few dozen of these thousands of times, so each distinct one is read
    once and the line loop only examines the account ID. The first shape read for a field 1
    holds the others (nearly always none: a dict per ad system would cost a file of distinct
    ad systems as much as the rest of its memo).
    """

    __slots__ = (
        "bits",
        "cert",
        "cert_pending",
        "domain",
        "google",
        "hash_at",
        "info",
        "more",
        "plain",
        "relationship",
        "sellers",
        "tail",
    )

    def __init__(
        self,
        info: _DomainInfo,
        domain: str,
        sellers: dict[str, _Remembered],
        google: bool,
        relationship: Relationship,
        cert: str | None,
        hash_at: int,
        tail: str,
        plain: bool,
    ) -> None:
        # field 1 as written, analysed (the checker's memo of field 1 for the careful path
        # too: see Engine._domain_info)
        self.info = info
        self.domain = domain
        self.sellers = sellers
        self.google = google
        self.relationship = relationship
        self.cert = cert
        # where the comment's '#' is in the text after field 2 (-1: no comment)
        self.hash_at = hash_at
        self.bits = _pack_first_record(0, relationship, cert is not None)
        # True until this certification ID is known to be the ad system's first one
        self.cert_pending = cert is not None
        # all after field 2 as written
        self.tail = tail
        # whether this is a plain record line (else the line takes the careful path)
        self.plain = plain
        # all after field 2 as written -> shape, for the other shapes of the same field 1
        self.more: dict[str, _Shape] | None = None


class _FirstRecord:
    """The record kept for one (domain, account ID ignoring case) key: the first one seen,
    or a later repeat of it that says more (see :meth:`Engine._report_near_repeat`)."""

    __slots__ = ("account", "cert", "extension", "line", "relationship", "written")

    def __init__(
        self,
        line: int,
        account: str,
        relationship: Relationship,
        cert: str | None,
        written: tuple[str, str, str | None],
        extension: str | None = None,
    ) -> None:
        self.line = line
        self.account = account
        self.relationship = relationship
        self.cert = cert
        self.written = written
        self.extension = extension


#: What is remembered of a seller: a packed int when the record was written in its canonical
#: form (nearly always), else the whole story. See :func:`_pack_first_record`.
_Remembered = int | _FirstRecord


def _pack_first_record(line: int, relationship: Relationship, cert: bool) -> int:
    """Pack a canonically written first record into one int: line, relationship, cert flag.

    Canonical means the account ID equals its key, field 1 is the normalized domain, the
    relationship is upper case and the certification ID, if any, is the domain's first one,
    so nothing else needs remembering. A small int costs far less memory than an object.
    """
    return line << 2 | (2 if relationship is _RESELLER else 0) | (1 if cert else 0)


def new_seller_dict() -> dict[str, _Remembered]:
    """An empty dict of one ad system's sellers (account ID key -> first record).

    It holds one key that is not a string, :data:`_HASHES_KEPT`: CPython keeps the hash of
    each key beside it only in a dict whose keys are not all strings. Without it a look-up
    in a big dict compares every key it probes by reading the string itself, a cache miss
    each (a fifth of the time of parsing a file of many sellers); with it, only a key of the
    same hash is read.
    """
    # A copy of a small dict is one allocation and a copy of its table: cheaper than
    # building it, once per ad system (every line of a file of distinct ad systems).
    return _EMPTY_SELLERS.copy()


#: The key that is not a string (:func:`new_seller_dict`); no account ID key is None.
_HASHES_KEPT: Final = None
#: What :func:`new_seller_dict` copies.
_EMPTY_SELLERS: Final[dict[str, _Remembered]] = {_HASHES_KEPT: 0}  # type: ignore[dict-item]


#: The sellers of a shape that is not a plain record: never read nor written.
_NO_SELLERS: Final[dict[str, _Remembered]] = {}


def _not_plain(info: _DomainInfo, tail: str) -> _Shape:
    """The shape of a line that is not a plain record, whose text after field 2 is ``tail``."""
    return _Shape(info, "", _NO_SELLERS, False, Relationship.DIRECT, None, -1, tail, False)
