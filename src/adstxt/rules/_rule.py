"""What a rule is: the record every family module fills in, one per diagnostic code."""

from __future__ import annotations

from typing import Literal

import attrs

from adstxt.diagnostics import Severity

__all__ = ["CATEGORIES", "FixKind", "Rule"]

FixKind = Literal["safe", "unsafe", "none"]

#: The family title of each code's first digit, as the rule pages group them. Each family
#: is one module of this package (see its ``__init__``).
CATEGORIES = {
    "0": "File and encoding",
    "1": "Line shape",
    "2": "Record fields",
    "3": "Variables",
    "4": "Whole file",
    "5": "Fetching and serving",
    "6": "sellers.json",
    "7": "sellers.json cross-checks",
    "8": "Supply chains (schain)",
    "9": "Suppression comments",
}


@attrs.frozen
class Rule:
    """What one diagnostic code means."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    spec: str
    bad: bytes
    good: bytes
    fix: FixKind = "none"
    also: tuple[str, ...] = ()
    filename: str = "ads.txt"
    domain: str | None = None
    #: For cross-check rules: the sellers.json files the examples are checked against, as
    #: (ad-system domain, file contents) pairs.
    sellers_json: tuple[tuple[str, bytes], ...] = ()
    #: The severity of a finding whose evidence is weak, when the rule has such findings.
    weak_severity: Severity | None = None

    @property
    def category(self) -> str:
        """The family the code belongs to, from its first digit."""
        return CATEGORIES[self.code[3]]
