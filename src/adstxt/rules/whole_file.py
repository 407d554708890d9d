"""ADS4xx, whole file: checks across lines (duplicates, conflicts, placeholders)."""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._examples import GOOD
from adstxt.rules._rule import Rule

#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS401",
        name="duplicate-record",
        severity=Severity.WARNING,
        summary="The same record appears more than once.",
        explanation=(
            "Duplicates add nothing and make the file harder to audit; they often show that "
            "partner lists were pasted twice. The first occurrence is kept and the fix deletes "
            "the later ones."
        ),
        spec="common mistakes observed in real files",
        bad=GOOD + GOOD,
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS402",
        name="near-duplicate-record",
        severity=Severity.WARNING,
        summary=(
            "A record that repeats an earlier one but for letter case, a certification ID or an "
            "extension."
        ),
        explanation=(
            "Domains and relationships ignore case, so such lines say the same thing twice; so "
            "do two lines for one seller of which only one carries a certification ID or an "
            "extension. The fix keeps the line that says more (the one with the certification "
            "ID or the extension; of two that say as much, the first) and deletes the other; "
            "when each line has something the other lacks, there is no fix: merge them by hand. "
            "Account IDs do not ignore case: when only the account ID's case differs, one of the "
            "two is probably wrong, and there is no fix either."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=GOOD + b"Google.com, pub-1234567890123456, direct, f08c47fec0942fa0\n",
        good=GOOD,
        also=("ADS204", "ADS211"),
        fix="unsafe",
    ),
    Rule(
        code="ADS403",
        name="conflicting-relationship",
        severity=Severity.WARNING,
        summary="One seller account is listed as both DIRECT and RESELLER.",
        explanation=(
            "An account is either controlled by the publisher or by someone else. Listing both "
            "is contradictory; buyers that check sellers.json will flag one of them."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=GOOD + b"google.com, pub-1234567890123456, RESELLER, f08c47fec0942fa0\n",
        good=GOOD,
    ),
    Rule(
        code="ADS404",
        name="conflicting-certification-id",
        severity=Severity.WARNING,
        summary="One ad system appears with different certification IDs.",
        explanation=(
            "The certification ID identifies the ad system, not the seller, so every record of "
            "one ad system should carry the same ID."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=(
            b"examplessp.com, 1, DIRECT, 0123456789abcdef\n"
            b"examplessp.com, 2, RESELLER, fedcba9876543210\n"
        ),
        good=(
            b"examplessp.com, 1, DIRECT, 0123456789abcdef\n"
            b"examplessp.com, 2, RESELLER, 0123456789abcdef\n"
        ),
    ),
    Rule(
        code="ADS405",
        name="placeholder-with-records",
        severity=Severity.WARNING,
        summary="The 'no authorized sellers' placeholder record appears beside real records.",
        explanation=(
            "The placeholder says nobody is authorized; real records say somebody is. "
            "Consumers will disagree on which to believe. Remove the placeholder."
        ),
        spec="ads.txt 1.1 section 3.2.1",
        bad=b"placeholder.example.com, placeholder, DIRECT, placeholder\n" + GOOD,
        good=GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS406",
        name="placeholder-only",
        severity=Severity.INFO,
        summary="The file declares that no seller is authorized.",
        explanation=(
            "This is the spec's way to say that the site sells no programmatic inventory. "
            "Reported so that it is never a surprise."
        ),
        spec="ads.txt 1.1 section 3.2.1",
        bad=b"placeholder.example.com, placeholder, DIRECT, placeholder\n",
        good=GOOD,
    ),
    Rule(
        code="ADS407",
        name="malformed-placeholder",
        severity=Severity.WARNING,
        summary="A placeholder record that is not written exactly as the spec gives it.",
        explanation=(
            "The placeholder is recognized only as 'placeholder.example.com, placeholder, "
            "DIRECT, placeholder'. Any other spelling is read as an ordinary record for an ad "
            "system that does not exist."
        ),
        spec="ads.txt 1.1 section 3.2.1",
        bad=b"placeholder.example.com, placeholder, DIRECT\n",
        good=b"placeholder.example.com, placeholder, DIRECT, placeholder\n",
    ),
]
