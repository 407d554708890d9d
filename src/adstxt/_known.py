"""Lazily loaded reference data: well-known ad systems and their certification IDs.

The tables live in ``adstxt/data/`` as CSV files; ``data/SOURCES.md`` says where each row
comes from. They are read on first use only, so checking a file that never needs them (or
importing the package) does not pay for them.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Mapping
from typing import Final

import attrs

__all__ = ["AdSystems", "CertEvidence", "CertIds", "ad_systems", "certification_ids"]

#: A mismatch is a warning only for an ID that the spec digest ranks "high" (at least 10
#: repositories) and that the survey confirms: seen in at least this many repositories ...
STRONG_REPOS: Final = 10
#: ... and in at least this share of the surveyed files that give the ad system a
#: well-formed ID. Any weaker evidence makes the mismatch information only.
STRONG_AGREEMENT: Final = 0.95
#: Below this share the observed ID is not even the usual one: no mismatch is reported.
MIN_AGREEMENT: Final = 0.5


def _read_csv(name: str) -> list[dict[str, str]]:
    # The data sit beside this module in every normal install; importlib.resources (slow to
    # import) is only needed when the package is loaded from somewhere else, such as a zip.
    try:
        with open(os.path.join(os.path.dirname(__file__), "data", name), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        from importlib import resources

        data = resources.files("adstxt").joinpath("data")
        text = data.joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@attrs.frozen
class CertEvidence:
    """Why an ad system's IDs are in the table: what the corpus survey observed.

    ``files`` files (from ``repos`` repositories) of ``corpus`` carry one of the accepted IDs
    in field 4, out of ``files_with_an_id`` that carry any well-formed 16-hex ID for it.
    """

    corpus: str
    files: int
    repos: int
    files_with_an_id: int
    confidence: str

    @property
    def agreement(self) -> float:
        """The share of surveyed IDs for the ad system that are an accepted one."""
        return self.files / self.files_with_an_id if self.files_with_an_id else 0.0

    @property
    def strong(self) -> bool:
        """True when a different ID deserves a warning rather than information."""
        return (
            self.confidence == "high"
            and self.repos >= STRONG_REPOS
            and self.agreement >= STRONG_AGREEMENT
        )


@attrs.frozen
class CertIds:
    """Certification IDs observed per ad-system domain, with the evidence for them.

    ``accepted`` maps a domain to every ID in real use for it; ``checked`` holds the domains
    whose observed IDs are consistent enough to report any other ID (ambiguous domains and
    those whose usual ID is not the majority are left out); ``evidence`` says, per domain,
    how often the survey saw the IDs (``CertEvidence.strong`` decides the severity).
    """

    accepted: Mapping[str, frozenset[str]]
    checked: frozenset[str]
    evidence: Mapping[str, CertEvidence] = attrs.field(factory=dict)


@attrs.frozen
class AdSystems:
    """Known ad-system domains, and the aliases and misspellings that point at them."""

    canonical: frozenset[str]
    aliases: Mapping[str, str]
    misspellings: Mapping[str, str]
    families: Mapping[str, str]
    #: Every one-character deletion of a canonical domain, mapped to that domain, for a
    #: cheap "one edit away" search (the symmetric-delete method).
    deletions: Mapping[str, str]
    #: The first three characters of every canonical domain and of every key of
    #: ``deletions``: what :meth:`near_miss` can hit must start with one of them.
    starts: frozenset[str] = frozenset()

    def is_known(self, domain: str) -> bool:
        """True for canonical domains and for members of a same-system family."""
        return domain in self.canonical or domain in self.families

    def near_miss(self, domain: str) -> str | None:
        """A canonical domain one insertion, deletion, substitution or swap away, if any."""
        if len(domain) < 6 or self.is_known(domain):
            return None
        # ``domain`` has one extra character, or the same length with one changed.
        hit = self.deletions.get(domain)
        if hit is not None:
            return hit
        # Below, ``domain`` less one character must be a canonical domain or a key of
        # ``deletions``, so it starts as one of them does. It starts with the first three
        # characters of ``domain`` less at most one of its first four: four lookups rule
        # out almost every domain, where the search below makes two per character.
        starts = self.starts
        if not (
            domain[:3] in starts
            or domain[1:4] in starts
            or domain[0] + domain[2:4] in starts
            or domain[:2] + domain[3] in starts
        ):
            return None
        for i in range(len(domain)):
            shorter = domain[:i] + domain[i + 1 :]
            if shorter in self.canonical:
                return shorter
            hit = self.deletions.get(shorter)
            if hit is not None and hit != domain:
                return hit
        return None


@functools.cache
def certification_ids() -> CertIds:
    """The bundled table of known certification IDs."""
    accepted: dict[str, set[str]] = {}
    ambiguous: set[str] = set()
    # A domain's strongest row decides its confidence (its rows are all ambiguous or none).
    ranks = {"low": 1, "medium": 2, "high": 3}
    confidence: dict[str, str] = {}
    for row in _read_csv("certification_ids.csv"):
        domain = row["domain"].strip().lower()
        accepted.setdefault(domain, set()).add(row["certification_id"].strip().lower())
        level = row["confidence"].strip()
        if level == "ambiguous":
            ambiguous.add(domain)
        elif ranks.get(level, 0) > ranks.get(confidence.get(domain, ""), 0):
            confidence[domain] = level
    evidence: dict[str, CertEvidence] = {}
    for row in _read_csv("certification_evidence.csv"):
        domain = row["domain"].strip().lower()
        if domain in confidence:
            evidence[domain] = CertEvidence(
                row["corpus"],
                int(row["files_agreeing"]),
                int(row["repos_agreeing"]),
                int(row["files_with_an_id"]),
                confidence[domain],
            )
    return CertIds(
        accepted={domain: frozenset(ids) for domain, ids in accepted.items()},
        checked=frozenset(
            d for d, e in evidence.items() if d not in ambiguous and e.agreement >= MIN_AGREEMENT
        ),
        evidence=evidence,
    )


@functools.cache
def ad_systems() -> AdSystems:
    """The bundled table of ad-system domains."""
    canonical: set[str] = set(certification_ids().accepted)
    aliases: dict[str, str] = {}
    misspellings: dict[str, str] = {}
    families: dict[str, str] = {}
    for row in _read_csv("ad_systems.csv"):
        domain = row["domain"].strip().lower()
        target = row["canonical"].strip().lower()
        relation = row["relation"].strip()
        if relation == "canonical":
            canonical.add(domain)
        elif relation == "alias":
            aliases[domain] = target
        elif relation == "misspelling":
            misspellings[domain] = target
        elif relation == "family":
            families[domain] = target
    canonical -= aliases.keys() | misspellings.keys()
    deletions: dict[str, str] = {}
    for name in sorted(canonical | families.keys()):
        for i in range(len(name)):
            deletions.setdefault(name[:i] + name[i + 1 :], name)
    return AdSystems(
        canonical=frozenset(canonical),
        aliases=aliases,
        misspellings=misspellings,
        families=families,
        deletions=deletions,
        starts=frozenset(name[:3] for name in (*canonical, *deletions)),
    )
