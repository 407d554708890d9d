"""The forward audit: does one publisher's file carry each expected line?"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from adstxt.audit._expected import ExpectedLine
from adstxt.audit._publishers import PublisherLine
from adstxt.authorization import AdsFile, AuthorizationIndex, Source
from adstxt.model import FileKind, ParseResult, Record

__all__ = [
    "FILE_STATUSES",
    "LINE_STATUSES",
    "Finding",
    "PublisherResult",
    "audit_publishers",
    "compare",
]

#: What an expected line is in a readable file.
LINE_STATUSES = (
    "present",
    "missing",
    "relationship-differs",
    "certification-differs",
    "seller-id-differs",
    "value-differs",
)
#: What a publisher is when no line could be compared (its file's state, or its line).
FILE_STATUSES = ("no-file", "invalid-file", "restricted", "unavailable", "unusable")
_STATE_STATUS = {
    "not-found": "no-file",
    "invalid": "invalid-file",
    "restricted": "restricted",
    "unavailable": "unavailable",
}
# Seller IDs named in a seller-id-differs finding: enough to see the mistake.
_MAX_IDS = 10


@dataclass(frozen=True)
class Finding:
    """An expected line that is not present exactly, and what the file has instead.

    ``replaces`` is the line that must be changed to the expected one, for a variable the
    file may declare once (OWNERDOMAIN, MANAGERDOMAIN for one country): adding a second
    declaration would change nothing.
    """

    expected: ExpectedLine
    status: str
    lines: tuple[int, ...]
    found: tuple[str, ...]
    message: str
    replaces: int | None = None

    def to_json(self) -> dict[str, object]:
        """The finding as the audit document writes it."""
        return {
            "expected": self.expected.number,
            "status": self.status,
            "lines": list(self.lines),
            "found": list(self.found),
            "message": self.message,
            "replaces": self.replaces,
        }


@dataclass
class PublisherResult:
    """One publisher's audit: its status, the expected lines present and the others.

    ``to_add`` holds the lines to append; ``to_replace`` the lines to change, as (line
    number in the file, new text).
    """

    publisher: str
    line: int
    status: str
    file: AdsFile | None
    present: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    to_add: list[str] = field(default_factory=list)
    to_replace: list[tuple[int, str]] = field(default_factory=list)
    problem: str | None = None
    patch: str | None = None

    def coverage(self, expected: int) -> float:
        """The share of expected lines present exactly, in percent."""
        return round(100.0 * len(self.present) / expected, 2) if expected else 100.0

    def to_json(self, expected: int) -> dict[str, object]:
        """The publisher as the audit document writes it."""
        file = self.file
        return {
            "publisher": self.publisher,
            "line": self.line,
            "status": self.status,
            "file": None
            if file is None
            else {
                "state": file.state,
                "where": file.where,
                "problem": file.problem,
                "stale": file.stale,
            },
            "problem": self.problem,
            "present": self.present,
            "findings": [finding.to_json() for finding in self.findings],
            "coverage": self.coverage(expected),
            "to_add": self.to_add,
            "to_replace": [{"line": line, "text": text} for line, text in self.to_replace],
            "patch": self.patch,
        }


def unreadable(publisher: str, line: int, file: AdsFile | None, problem: str) -> PublisherResult:
    """A publisher whose lines cannot be compared: no domain, or no readable file."""
    status = "unusable" if file is None else _STATE_STATUS[file.state]
    return PublisherResult(publisher, line, status, file, problem=problem)


def compare(
    publisher: str, line: int, file: AdsFile, expected: Sequence[ExpectedLine]
) -> PublisherResult:
    """Compare a readable file (state ``ok``) with every expected line."""
    parsed = file.parsed
    if file.state != "ok" or parsed is None:
        return unreadable(publisher, line, file, file.problem or file.state)
    pairs, variables = _tables(parsed)
    result = PublisherResult(publisher, line, "complete", file)
    present, findings, to_add = result.present, result.findings, result.to_add
    by_system: dict[str, list[Record]] | None = None
    for wanted in expected:
        if wanted.ad_system:
            hits = pairs.get((wanted.ad_system, wanted.seller_id))
            if hits is not None and len(hits) == 1:
                # Nearly always: one line for the pair, with the relationship asked.
                hit = hits[0]
                certification = wanted.certification_id
                if hit.relationship == wanted.relationship and (
                    certification is None
                    or (hit.certification_authority_id or "").lower() == certification.lower()
                ):
                    present.append(wanted.number)
                    continue
            if hits is None and by_system is None:
                by_system = _by_system(parsed)
            finding = _record(wanted, hits, by_system)
        else:
            finding = _variable(wanted, variables.get(wanted.name))
        if finding is None:
            present.append(wanted.number)
        else:
            findings.append(finding)
            if finding.replaces is None:
                to_add.append(wanted.text)
            else:
                result.to_replace.append((finding.replaces, wanted.text))
    if findings:
        result.status = "incomplete"
    return result


def _tables(
    parsed: ParseResult,
) -> tuple[dict[tuple[str, str], list[Record]], dict[str, list[tuple[int, str]]]]:
    # The parser gives ad-system domains in lower case and seller IDs trimmed, as the
    # authorization index reads them.
    pairs: dict[tuple[str, str], list[Record]] = {}
    for record in parsed.records:
        key = (record.domain, record.account_id)
        found = pairs.get(key)
        if found is None:
            pairs[key] = [record]
        else:
            found.append(record)
    variables: dict[str, list[tuple[int, str]]] = {}
    for variable in parsed.variables:
        variables.setdefault(variable.name.upper(), []).append(
            (variable.line, variable.value.strip())
        )
    return pairs, variables


def _by_system(parsed: ParseResult) -> dict[str, list[Record]]:
    """The records by ad system, for the lines whose seller ID is not listed."""
    by_system: dict[str, list[Record]] = {}
    for record in parsed.records:
        by_system.setdefault(record.domain, []).append(record)
    return by_system


def _record(
    wanted: ExpectedLine,
    same_id: list[Record] | None,
    by_system: dict[str, list[Record]] | None,
) -> Finding | None:
    seller = wanted.seller_id
    if same_id is None:
        listed = by_system.get(wanted.ad_system) if by_system is not None else None
        if not listed:
            return Finding(wanted, "missing", (), (), f"{wanted.ad_system} is not listed at all")
        ids = sorted({r.account_id for r in listed})
        lines = tuple(r.line for r in listed)
        case = [i for i in ids if i.lower() == seller.lower()]
        shown = ", ".join(ids[:_MAX_IDS]) + (
            f" and {len(ids) - _MAX_IDS} more" if len(ids) > _MAX_IDS else ""
        )
        message = f"{wanted.ad_system} is listed with seller ID {shown}, not {seller}"
        if case:
            message += f" ('{case[0]}' differs only in letter case; seller IDs match exactly)"
        return Finding(
            wanted, "seller-id-differs", lines[:_MAX_IDS], tuple(ids[:_MAX_IDS]), message
        )
    same_relationship = [r for r in same_id if r.relationship == wanted.relationship]
    if not same_relationship:
        first = same_id[0]
        return Finding(
            wanted,
            "relationship-differs",
            tuple(r.line for r in same_id),
            tuple(r.to_line() for r in same_id),
            f"line {first.line} lists {wanted.ad_system}, {seller} as "
            f"{first.relationship.value}, not {wanted.relationship}",
        )
    certification = wanted.certification_id
    if certification is None or any(
        (r.certification_authority_id or "").lower() == certification.lower()
        for r in same_relationship
    ):
        return None
    first = same_relationship[0]
    has = first.certification_authority_id
    return Finding(
        wanted,
        "certification-differs",
        tuple(r.line for r in same_relationship),
        tuple(r.to_line() for r in same_relationship),
        f"line {first.line} lists {wanted.ad_system}, {seller}, {wanted.relationship} "
        + (f"with certification ID {has}" if has else "without a certification ID")
        + f", not {certification}",
    )


def _variable(wanted: ExpectedLine, declared: list[tuple[int, str]] | None) -> Finding | None:
    if not declared:
        return Finding(wanted, "missing", (), (), f"{wanted.name} is not declared")
    replaces: int | None = None
    if wanted.name == "OWNERDOMAIN":
        # ads.txt 1.1 section 3.5.1: only the first OWNERDOMAIN counts.
        declared = declared[:1]
        replaces = declared[0][0]
    value = _variable_value(wanted.value)
    if any(_variable_value(v) == value for _, v in declared):
        return None
    if wanted.name == "MANAGERDOMAIN":
        # One MANAGERDOMAIN per country (none: the global one); a second for the same
        # country makes readers ignore both (Implementation Guidance, section 5).
        country = _manager_country(wanted.value)
        replaces = next((line for line, v in declared if _manager_country(v) == country), None)
    return Finding(
        wanted,
        "value-differs",
        tuple(line for line, _ in declared),
        tuple(f"{wanted.name}={v}" for _, v in declared),
        f"line {declared[0][0]} declares {wanted.name}={declared[0][1]}, not {wanted.value}"
        + (f"; line {replaces} must be changed" if replaces is not None else ""),
        replaces,
    )


def _variable_value(value: str) -> str:
    """A variable's value as compared: lower case, no spaces around commas, no final dot."""
    parts = [part.strip().rstrip(".") for part in value.lower().split(",")]
    return ",".join(parts)


def _manager_country(value: str) -> str:
    """The country of a MANAGERDOMAIN value, upper case; empty for the global one."""
    _, _, country = value.partition(",")
    return country.strip().upper()


def audit_publishers(
    publishers: Iterable[PublisherLine],
    expected: Sequence[ExpectedLine],
    source: Source,
    kind: FileKind = "ads.txt",
) -> Iterator[PublisherResult]:
    """Audit each publisher in turn, reading its governing file from ``source``.

    The file is found as ``adstxt authorized`` finds it (the root domain's file, a
    subdomain's own when declared by SUBDOMAIN=, app-ads.txt from the developer's host then
    its root). Nothing of one publisher is kept for the next.
    """
    texts = [line.text for line in expected]
    for entry in publishers:
        if entry.host is None:
            yield unreadable(
                entry.written, entry.line, None, f"'{entry.written}' is no domain to audit"
            )
            continue
        try:
            file = AuthorizationIndex(source).governing_file(entry.host, kind)
        except ValueError as error:
            yield unreadable(entry.host, entry.line, None, str(error))
            continue
        result = compare(entry.host, entry.line, file, expected)
        if result.status == "no-file":
            result.to_add = list(texts)
        yield result
