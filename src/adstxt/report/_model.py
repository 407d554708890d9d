"""What a report shows, before it is drawn: figures, per-file rows and finding rows.

The model holds plain values only (no HTML), so the charts and the page are drawn from the
same numbers, and a test can compare the numbers with the marks drawn from them.
"""

from __future__ import annotations

from collections import Counter

import attrs

from adstxt.diagnostics import Severity
from adstxt.store._summary import StoreSummary

__all__ = [
    "SEVERITIES",
    "VERDICTS",
    "AuditSection",
    "CheckSection",
    "ExpectedLine",
    "FileRow",
    "FindingRow",
    "Gap",
    "InputProblem",
    "PublisherRow",
    "Report",
    "SellerRow",
]

#: Severities from the worst down, the order in which figures, legends and bars list them.
SEVERITIES: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)

#: A file's verdict: its worst finding, or why it could not be checked.
VERDICTS: tuple[str, ...] = ("errors", "warnings", "info only", "clean", "unreadable")


@attrs.frozen
class FindingRow:
    """One finding on one line of a checked file."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    #: The checked line as the file has it (hostile text: escaped only when drawn).
    text: str
    #: ``"safe"``, ``"unsafe"`` or ``""``: whether ``adstxt check --fix`` would change it.
    fix: str


@attrs.frozen
class FileRow:
    """One checked file: its size, its findings per severity and its verdict."""

    path: str
    lines: int
    records: int
    errors: int
    warnings: int
    info: int
    #: Why the file could not be read, for the verdict ``unreadable``.
    problem: str = ""

    @property
    def verdict(self) -> str:
        """The file's entry of :data:`VERDICTS`."""
        if self.problem:
            return "unreadable"
        if self.errors:
            return "errors"
        if self.warnings:
            return "warnings"
        return "info only" if self.info else "clean"


@attrs.define
class CheckSection:
    """The check of files and folders: every file, every rule fired, the first findings."""

    files: list[FileRow] = attrs.field(factory=list)
    #: The finding rows kept for the table, at most the report's row limit.
    findings: list[FindingRow] = attrs.field(factory=list)
    #: How many findings there were in all, kept or not.
    total_findings: int = 0
    #: Findings per (code, severity), over all of them.
    by_rule: Counter[tuple[str, Severity]] = attrs.field(factory=Counter)

    def severity_counts(self) -> dict[Severity, int]:
        """Findings per severity, over all files."""
        return {
            Severity.ERROR: sum(row.errors for row in self.files),
            Severity.WARNING: sum(row.warnings for row in self.files),
            Severity.INFO: sum(row.info for row in self.files),
        }

    def verdict_counts(self) -> dict[str, int]:
        """Files per verdict, every verdict listed (zero included), in :data:`VERDICTS` order."""
        counts = Counter(row.verdict for row in self.files)
        return {verdict: counts[verdict] for verdict in VERDICTS}


@attrs.frozen
class ExpectedLine:
    """One expected line of a forward audit and how many publishers carry it."""

    number: int
    text: str
    #: ``record`` or ``variable``.
    type: str
    present: int
    #: The share of audited publishers that carry it exactly, in percent.
    coverage: float
    #: Publishers per status (``present``, ``missing``, ...), as the audit counted them.
    statuses: tuple[tuple[str, int], ...] = ()


@attrs.frozen
class Gap:
    """An expected line that a publisher does not carry exactly."""

    expected: str
    status: str
    message: str


@attrs.frozen
class PublisherRow:
    """One audited publisher of a forward audit."""

    publisher: str
    #: Its line in the publishers file.
    line: int
    status: str
    #: The share of expected lines it carries, in percent.
    coverage: float
    present: int
    gaps: tuple[Gap, ...] = ()
    patch: str = ""
    #: Why its file could not be compared (unreadable, or its line names no domain).
    problem: str = ""


@attrs.frozen
class SellerRow:
    """One seller of a reverse audit."""

    seller_id: str
    seller_type: str
    name: str
    domain: str
    expected: str
    status: str
    failure: bool
    message: str


@attrs.frozen
class InputProblem:
    """A problem the audit found in one of its inputs, at a line of that input."""

    file: str
    line: int
    severity: str
    message: str


@attrs.define
class AuditSection:
    """An audit's JSON result: a forward audit (``kind`` ``expect``), with expected lines and
    publishers, or a reverse one (``sellers``), with sellers."""

    kind: str
    tool: str
    #: What the audit read: its source and its inputs, as (name, value) pairs.
    inputs: list[tuple[str, str]] = attrs.field(factory=list)
    problems: list[InputProblem] = attrs.field(factory=list)
    expected: list[ExpectedLine] = attrs.field(factory=list)
    publishers: list[PublisherRow] = attrs.field(factory=list)
    sellers: list[SellerRow] = attrs.field(factory=list)
    #: Publishers (or sellers) per status, every status the audit names.
    statuses: dict[str, int] = attrs.field(factory=dict)
    #: The audit's summary figures, as (name, value) pairs.
    figures: list[tuple[str, str]] = attrs.field(factory=list)


@attrs.define
class Report:
    """Everything one report page shows."""

    title: str
    check: CheckSection | None = None
    audit: AuditSection | None = None
    #: A crawl store in figures (``adstxt report --store S``).
    store: StoreSummary | None = None
    #: The most finding rows the page lists; 0 for no limit.
    row_limit: int = 0
    #: The documentation site that rule codes link to (``None``: no links).
    docs: str | None = None
