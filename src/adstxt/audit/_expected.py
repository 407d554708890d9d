"""The expected lines of a forward audit: an ads.txt file of records and variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from adstxt.audit._publishers import InputProblem
from adstxt.diagnostics import Diagnostic, Severity
from adstxt.model import FileKind

__all__ = ["ExpectedLine", "ExpectedLines", "read_expected"]

#: The checker's findings for a record that repeats an earlier one (exactly, or but for
#: letter case and extension).
_REPEAT_CODES = frozenset({"ADS401", "ADS402"})


@dataclass(frozen=True)
class ExpectedLine:
    """One line every publisher should carry.

    ``number`` counts expected lines from 1 in file order; ``line`` is its line in the
    expected-lines file. A record has ``ad_system``, ``seller_id``, ``relationship`` and
    perhaps ``certification_id``; a variable has ``name`` and ``value``.
    """

    number: int
    line: int
    text: str
    ad_system: str = ""
    seller_id: str = ""
    relationship: str = ""
    certification_id: str | None = None
    name: str = ""
    value: str = ""

    @property
    def is_record(self) -> bool:
        """True for a record line, false for a variable."""
        return bool(self.ad_system)


@dataclass(frozen=True)
class ExpectedLines:
    """The usable expected lines and what the checker said of the file.

    ``repeats`` names each line that repeats an earlier one (same ad system, seller ID and
    relationship, or the same variable and value): it is audited and added once, as the
    earlier line.
    """

    path: str
    lines: tuple[ExpectedLine, ...]
    diagnostics: tuple[Diagnostic, ...]
    repeats: tuple[InputProblem, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The findings that make a line unusable: the audit cannot go on with them."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


def read_expected(path: str | os.PathLike[str], kind: FileKind = "ads.txt") -> ExpectedLines:
    """Read and check the expected-lines file; raises OSError when it cannot be read."""
    from adstxt._api import parse

    data = Path(path).read_bytes()
    parsed = parse(data, kind=kind)
    found: list[tuple[int, ExpectedLine]] = []
    for record in parsed.records:
        found.append(
            (
                record.line,
                ExpectedLine(
                    0,
                    record.line,
                    record.to_line(),
                    ad_system=record.domain.strip().lower().rstrip("."),
                    seller_id=record.account_id.strip(),
                    relationship=record.relationship.value,
                    certification_id=record.certification_authority_id,
                ),
            )
        )
    for variable in parsed.variables:
        value = variable.value.strip()
        found.append(
            (
                variable.line,
                ExpectedLine(
                    0,
                    variable.line,
                    f"{variable.name}={value}",
                    name=variable.name,
                    value=value,
                ),
            )
        )
    found.sort(key=lambda pair: pair[0])
    first: dict[tuple[str, ...], ExpectedLine] = {}
    repeats: list[InputProblem] = []
    kept: list[tuple[int, ExpectedLine]] = []
    for number, line in found:
        earlier = first.setdefault(_identity(line), line)
        if earlier is line:
            kept.append((number, line))
            continue
        repeats.append(
            InputProblem(
                os.fspath(path),
                line.line,
                "warning",
                f"expected line {line.line} ({line.text}) repeats line {earlier.line} "
                f"({earlier.text}): it is audited and added once",
            )
        )
    found = kept
    lines = tuple(
        ExpectedLine(
            number,
            line.line,
            line.text,
            line.ad_system,
            line.seller_id,
            line.relationship,
            line.certification_id,
            line.name,
            line.value,
        )
        for number, (_, line) in enumerate(found, start=1)
    )
    # The checker's own "repeats line N" findings would report the same repeat twice.
    repeated = {problem.line for problem in repeats}
    diagnostics = tuple(
        d for d in parsed.diagnostics if not (d.line in repeated and d.code in _REPEAT_CODES)
    )
    return ExpectedLines(os.fspath(path), lines, diagnostics, tuple(repeats))


def _identity(line: ExpectedLine) -> tuple[str, ...]:
    """What makes two expected lines the same line to carry."""
    if line.is_record:
        return ("record", line.ad_system, line.seller_id, line.relationship)
    value = ",".join(part.strip().rstrip(".") for part in line.value.lower().split(","))
    return ("variable", line.name.upper(), value)
