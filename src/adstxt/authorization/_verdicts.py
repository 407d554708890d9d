"""What an authorization lookup answers: a verdict, the evidence behind it, and why."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = ["AUTHORIZED", "Answer", "Evidence", "Verdict"]


class Verdict(str, enum.Enum):
    """The answer to "may this seller sell this publisher's inventory?"."""

    #: A record lists the seller as DIRECT (and DIRECT or any relationship was asked).
    AUTHORIZED_DIRECT = "authorized-direct"
    #: A record lists the seller as RESELLER (and RESELLER or any relationship was asked).
    AUTHORIZED_RESELLER = "authorized-reseller"
    #: The seller is listed, but only with the other relationship than the one asked.
    RELATIONSHIP_MISMATCH = "relationship-mismatch"
    #: The file is valid and does not list the seller.
    UNAUTHORIZED = "unauthorized"
    #: The file authorizes nobody: only the placeholder record, or no records at all.
    NO_SELLERS = "no-sellers"
    #: No file (404, or none in the source): the publisher does not take part, and by the
    #: spec no seller is unauthorized.
    NO_FILE = "no-file"
    #: The server answered 401: the file is restricted.
    RESTRICTED = "restricted"
    #: What is there is no ads.txt: HTML, prose, the deprecated empty file, a wrong type.
    INVALID_FILE = "invalid-file"
    #: The fetch failed and there is no last good copy.
    UNAVAILABLE = "unavailable"

    def __str__(self) -> str:
        return self.value


#: The verdicts that mean "yes".
AUTHORIZED = frozenset({Verdict.AUTHORIZED_DIRECT, Verdict.AUTHORIZED_RESELLER})


class Evidence(NamedTuple):
    """Where an answer comes from.

    ``file`` is the path or URL of the file that governs the publisher (for an
    INVENTORYPARTNERDOMAIN answer, the partner's file); ``lines`` are the line numbers of
    the matching records and ``relationships`` their relationships, in file order.
    ``case_only`` is true when the only matches differ from the asked seller ID in letter
    case (seller IDs match exactly, so such a match authorizes nobody). ``via`` says how the
    file was reached: ``root`` (the publisher's root domain), ``subdomain`` (a SUBDOMAIN=
    referral), ``app-ads.txt host``, or ``inventorypartnerdomain``.
    """

    file: str | None
    lines: tuple[int, ...] = ()
    relationships: tuple[str, ...] = ()
    case_only: bool = False
    via: str | None = None
    owner_domain: str | None = None
    manager_domains: tuple[str, ...] = ()
    stale: bool = False


class Answer:
    """The answer to one question: a :class:`Verdict`, the :class:`Evidence`, the reason.

    The evidence and the reason are worked out when first read: a caller that only wants
    the verdict (a bulk filter, a bid-request check) does not pay for the words.
    """

    __slots__ = (
        "_evidence",
        "_explain",
        "_reason",
        "ad_system",
        "publisher",
        "relationship",
        "seller_id",
        "verdict",
    )

    def __init__(
        self,
        verdict: Verdict,
        evidence: Evidence | None,
        reason: str | None,
        publisher: str,
        ad_system: str,
        seller_id: str,
        relationship: str | None = None,
        explain: Callable[[], tuple[Evidence, str]] | None = None,
    ) -> None:
        self.verdict = verdict
        self.publisher = publisher
        self.ad_system = ad_system
        self.seller_id = seller_id
        self.relationship = relationship
        if explain is None:
            assert evidence is not None and reason is not None
            self._evidence = evidence
            self._reason = reason
        else:
            # _evidence and _reason stay unset until read: two stores fewer per answer.
            self._explain = explain

    def _work_out(self) -> None:
        self._evidence, self._reason = self._explain()

    @property
    def evidence(self) -> Evidence:
        """Where the answer comes from."""
        try:
            return self._evidence
        except AttributeError:
            self._work_out()
            return self._evidence

    @property
    def reason(self) -> str:
        """Why, in words."""
        try:
            return self._reason
        except AttributeError:
            self._work_out()
            return self._reason

    def _key(self) -> tuple[object, ...]:
        return (
            self.verdict,
            self.evidence,
            self.reason,
            self.publisher,
            self.ad_system,
            self.seller_id,
            self.relationship,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answer) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Answer(verdict={self.verdict.value!r}, reason={self.reason!r})"

    @property
    def authorized(self) -> bool:
        """True for ``authorized-direct`` and ``authorized-reseller``."""
        return self.verdict in AUTHORIZED

    def to_json(self) -> dict[str, Any]:
        """The answer as a JSON object (verdicts as their hyphenated strings)."""
        evidence = self.evidence
        return {
            "publisher": self.publisher,
            "ad_system": self.ad_system,
            "seller_id": self.seller_id,
            "relationship": self.relationship,
            "verdict": self.verdict.value,
            "authorized": self.authorized,
            "reason": self.reason,
            "evidence": {
                "file": evidence.file,
                "lines": list(evidence.lines),
                "relationships": list(evidence.relationships),
                "case_only": evidence.case_only,
                "via": evidence.via,
                "owner_domain": evidence.owner_domain,
                "manager_domains": list(evidence.manager_domains),
                "stale": evidence.stale,
            },
        }
