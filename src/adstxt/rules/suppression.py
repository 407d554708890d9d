"""ADS9xx, suppression comments: ``# noqa`` comments themselves."""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._rule import Rule

#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS901",
        name="unused-noqa",
        severity=Severity.WARNING,
        summary="A suppression comment that silences nothing.",
        explanation=(
            "'# noqa' at the end of a line silences the findings on that line ('# noqa: ADS220' "
            "only that code), and '# adstxt: noqa' silences the whole file. Once the line is "
            "corrected, a comment left behind would hide the next real problem there, so a "
            "suppression that no longer silences anything (or names a code that is not a rule) "
            "is reported. The fix removes it, or keeps only the codes still in use."
        ),
        spec=(
            "adstxt suppression comments (comments are ignored by consumers, ads.txt 1.1 section 3)"
        ),
        bad=b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0 # noqa: ADS220\n",
        good=b"pubmatic.com, 156439, Reseller, 5d62403b186f2ace # noqa: ADS211\n",
        fix="safe",
    ),
]
