"""What one good copy of a file declares, reduced to what change events compare.

A :class:`FileSnapshot` is built from a parse (:meth:`FileSnapshot.from_parse_result`) or
by the store from its rows; :func:`verdict_of` classes a file from its diagnostics, and the
store uses the same function so that a stored verdict and a derived one never disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from adstxt.diagnostics import Diagnostic, Severity
from adstxt.model import ParseResult

__all__ = [
    "NOT_ADS_TXT_CODES",
    "FileSnapshot",
    "SnapshotRecord",
    "SnapshotVariable",
    "Verdict",
    "verdict_of",
    "verdict_of_counts",
]

#: The rules that say a body is no ads.txt at all: another format (ADS004), or nothing a
#: consumer can use (ADS005, no records and no variables).
NOT_ADS_TXT_CODES = frozenset({"ADS004", "ADS005"})


class Verdict(str, enum.Enum):
    """How usable a file is, as a whole."""

    #: No finding of error severity.
    VALID = "valid"
    #: At least one finding of error severity; the usable lines still count.
    ERRORS = "errors"
    #: The body is another format (HTML, JSON, prose) or has no usable line.
    NOT_ADS_TXT = "not-ads-txt"

    def __str__(self) -> str:
        return self.value


def verdict_of(diagnostics: Iterable[Diagnostic]) -> Verdict:
    """The verdict of a file with these diagnostics.

    ``not-ads-txt`` wins over ``errors``, whatever the severity the settings gave ADS004 or
    ADS005: a file that is not ads.txt is that, not merely a file with errors.
    """
    errors = False
    for diagnostic in diagnostics:
        if diagnostic.code in NOT_ADS_TXT_CODES:
            return Verdict.NOT_ADS_TXT
        if diagnostic.severity is Severity.ERROR:
            errors = True
    return Verdict.ERRORS if errors else Verdict.VALID


def verdict_of_counts(codes: Iterable[str], errors: int) -> Verdict:
    """:func:`verdict_of` for diagnostics given as their codes and how many are errors."""
    if not NOT_ADS_TXT_CODES.isdisjoint(codes):
        return Verdict.NOT_ADS_TXT
    return Verdict.ERRORS if errors else Verdict.VALID


@attrs.frozen(slots=True)
class SnapshotRecord:
    """One data record as written in the file.

    Change events compare ``ad_system`` case-insensitively (DNS names are), ``relationship``
    upper-cased (the spec says to treat it as case-insensitive) and ``seller_id`` exactly:
    the spec says nothing about its case, the value must match the one in bid requests, and
    real IDs are mixed-case (``0010b00002Mq2FYAAZ``), so two spellings are two sellers.
    """

    ad_system: str
    seller_id: str
    relationship: str
    certification_id: str | None
    line: int


@attrs.frozen(slots=True)
class SnapshotVariable:
    """One ``NAME=value`` line as written (the name may be in any case)."""

    name: str
    value: str
    line: int


@attrs.frozen(slots=True)
class FileSnapshot:
    """The records, variables and verdict of one good copy of one file."""

    records: tuple[SnapshotRecord, ...]
    variables: tuple[SnapshotVariable, ...]
    verdict: Verdict

    @classmethod
    def from_parse_result(
        cls, result: ParseResult, diagnostics: Iterable[Diagnostic] | None = None
    ) -> FileSnapshot:
        """The snapshot of a parsed file.

        ``diagnostics`` overrides ``result.diagnostics`` for the verdict, for a caller that
        ran :func:`adstxt.lint` (settings, suppressions) on the same file.
        """
        records = tuple(
            SnapshotRecord(
                r.domain,
                r.account_id,
                r.relationship.value,
                r.certification_authority_id,
                r.line,
            )
            for r in result.records
        )
        variables = tuple(SnapshotVariable(v.name, v.value, v.line) for v in result.variables)
        found = result.diagnostics if diagnostics is None else diagnostics
        return cls(records, variables, verdict_of(found))
