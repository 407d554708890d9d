"""TEMPORARY stand-in until the events branch is merged (never committed)."""

from __future__ import annotations

import enum

import attrs

from adstxt.model import ParseResult


class Verdict(enum.StrEnum):
    VALID = "valid"
    ERRORS = "errors"
    NOT_ADS_TXT = "not-ads-txt"


@attrs.frozen
class SnapshotRecord:
    ad_system: str
    seller_id: str
    relationship: str
    certification_id: str | None
    line: int


@attrs.frozen
class SnapshotVariable:
    name: str
    value: str
    line: int


@attrs.frozen
class FileSnapshot:
    records: tuple[SnapshotRecord, ...]
    variables: tuple[SnapshotVariable, ...]
    verdict: Verdict

    @classmethod
    def from_parse_result(cls, result: ParseResult) -> FileSnapshot:
        errors = any(d.severity.value == "error" for d in result.diagnostics)
        notads = any(d.code == "ADS525" for d in result.diagnostics)
        return cls(
            tuple(
                SnapshotRecord(
                    r.domain,
                    r.account_id,
                    r.relationship.value,
                    r.certification_authority_id,
                    r.line,
                )
                for r in result.records
            ),
            tuple(SnapshotVariable(v.name, v.value, v.line) for v in result.variables),
            Verdict.NOT_ADS_TXT if notads else Verdict.ERRORS if errors else Verdict.VALID,
        )
