"""The running totals of an audit, kept while results stream past."""

from __future__ import annotations

from collections.abc import Sequence

from adstxt.audit._expected import ExpectedLine
from adstxt.audit._forward import FILE_STATUSES, LINE_STATUSES, PublisherResult
from adstxt.audit._reverse import SELLER_STATUSES, SellerResult

__all__ = ["Counted", "ForwardTally", "SellersTally", "counted", "percent"]

#: What the tally needs of one publisher: its status, the numbers of the expected lines
#: present, each other line's number and status, and whether a patch was written. Small,
#: so that worker processes send it rather than the whole result.
Counted = tuple[str, tuple[int, ...], tuple[tuple[int, str], ...], bool]

#: Every status of a publisher, in the order the summary counts them.
PUBLISHER_STATUSES = ("complete", "incomplete", *FILE_STATUSES)


def counted(result: PublisherResult) -> Counted:
    """What :class:`ForwardTally` counts of ``result``."""
    return (
        result.status,
        tuple(result.present),
        tuple((f.expected.number, f.status) for f in result.findings),
        result.patch is not None,
    )


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, rounded to 2 places (100 of nothing)."""
    return round(100.0 * part / whole, 2) if whole else 100.0


class ForwardTally:
    """Counts per expected line and per publisher status; nothing per publisher is kept."""

    def __init__(self, expected: Sequence[ExpectedLine]) -> None:
        self.expected = tuple(expected)
        self.lines = [dict.fromkeys((*LINE_STATUSES, *FILE_STATUSES), 0) for _ in expected]
        self.publishers = dict.fromkeys(PUBLISHER_STATUSES, 0)
        self.pairs_present = 0
        self.patches = 0

    def add(self, result: PublisherResult) -> None:
        """Count one publisher."""
        self.add_counted(counted(result))

    def add_counted(self, item: Counted) -> None:
        """Count one publisher from what :func:`counted` kept of it."""
        status, present, findings, patched = item
        self.publishers[status] += 1
        if patched:
            self.patches += 1
        if status in FILE_STATUSES:
            for counts in self.lines:
                counts[status] += 1
            return
        lines = self.lines
        for number in present:
            lines[number - 1]["present"] += 1
        for number, line_status in findings:
            lines[number - 1][line_status] += 1
        self.pairs_present += len(present)

    @property
    def audited(self) -> int:
        """How many publishers were audited."""
        return sum(self.publishers.values())

    @property
    def passed(self) -> bool:
        """True when every publisher carries every expected line."""
        return self.publishers["complete"] == self.audited

    def expected_json(self) -> list[dict[str, object]]:
        """The ``expected`` list of the audit document."""
        audited = self.audited
        return [
            {
                "number": line.number,
                "line": line.line,
                "text": line.text,
                "type": "record" if line.is_record else "variable",
                "present": counts["present"],
                "coverage": percent(counts["present"], audited),
                "statuses": counts,
            }
            for line, counts in zip(self.expected, self.lines, strict=True)
        ]

    def summary_json(self) -> dict[str, object]:
        """The ``summary`` object of the audit document."""
        audited = self.audited
        pairs = audited * len(self.expected)
        return {
            "publishers": audited,
            "expected_lines": len(self.expected),
            "complete": self.publishers["complete"],
            "incomplete": self.publishers["incomplete"],
            "unreadable": sum(self.publishers[s] for s in FILE_STATUSES),
            "coverage": percent(self.pairs_present, pairs),
            "pairs": pairs,
            "pairs_present": self.pairs_present,
            "statuses": dict(self.publishers),
            "patches_written": self.patches,
            "exit_status": 0 if self.passed else 1,
        }


class SellersTally:
    """Counts per seller status."""

    def __init__(self) -> None:
        self.statuses = dict.fromkeys(SELLER_STATUSES, 0)
        self.checked = 0
        self.failures = 0

    def add(self, result: SellerResult) -> None:
        """Count one seller."""
        self.statuses[result.status] += 1
        if result.file_kind is not None or result.status in (
            "listed",
            "relationship-differs",
            "not-listed",
            "no-file",
            "invalid-file",
            "restricted",
            "unavailable",
        ):
            self.checked += 1
        if result.failure:
            self.failures += 1

    def summary_json(self) -> dict[str, object]:
        """The ``summary`` object of the audit document."""
        return {
            "sellers": sum(self.statuses.values()),
            "checked": self.checked,
            "listed": self.statuses["listed"],
            "failures": self.failures,
            "statuses": dict(self.statuses),
            "exit_status": 1 if self.failures else 0,
        }
