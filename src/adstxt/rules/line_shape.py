"""ADS1xx, line shape: how a line splits into fields."""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._examples import GOOD, OTHER
from adstxt.rules._rule import Rule

#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS101",
        name="unrecognized-line",
        severity=Severity.ERROR,
        summary="A line that is neither a record, a variable, a comment nor blank.",
        explanation=(
            "Prose, headings and template instructions must be comments, starting with '#'. "
            "Consumers skip lines they cannot parse, and some give up on the whole file."
        ),
        spec="ads.txt 1.1 sections 3.2 and 3.4.1",
        bad=b"Our advertising partners\n" + GOOD,
        good=b"# Our advertising partners\n" + GOOD,
    ),
    Rule(
        code="ADS102",
        name="too-few-fields",
        severity=Severity.ERROR,
        summary="A record with fewer than three comma-separated fields.",
        explanation=(
            "A record needs the ad-system domain, the seller account ID and the relationship "
            "(DIRECT or RESELLER), in that order, separated by commas."
        ),
        spec="ads.txt 1.1 section 3.4",
        bad=b"google.com, pub-1234567890123456\n" + OTHER,
        good=GOOD,
    ),
    Rule(
        code="ADS103",
        name="too-many-fields",
        severity=Severity.ERROR,
        summary="A record with more than four comma-separated fields.",
        explanation=(
            "A record has three required fields and an optional fourth. Extra fields usually "
            "mean a comment without '#', or an extension written after ',' instead of ';'."
        ),
        spec="ads.txt 1.1 sections 3.4 and 3.4.3",
        bad=b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0, display\n" + OTHER,
        good=b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0; display\n",
    ),
    Rule(
        code="ADS104",
        name="empty-field",
        severity=Severity.ERROR,
        summary="A required field is empty.",
        explanation=(
            "Two commas in a row leave a field empty. The domain, account ID and relationship "
            "are all required."
        ),
        spec="ads.txt 1.1 section 3.4",
        bad=b"google.com, , DIRECT, f08c47fec0942fa0\n" + OTHER,
        good=GOOD,
    ),
    Rule(
        code="ADS105",
        name="tab-separator",
        severity=Severity.WARNING,
        summary="Fields separated by TABs instead of commas.",
        explanation=(
            "The spec separates fields with commas. Some crawlers also split on TAB, others do "
            "not, so the line is read here but may be lost elsewhere. The fix writes ', '."
        ),
        spec="ads.txt 1.1 section 3.4.2",
        bad=b"google.com\tpub-1234567890123456\tDIRECT\tf08c47fec0942fa0\n",
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS106",
        name="wrong-separator",
        severity=Severity.ERROR,
        summary="Fields separated by spaces, semicolons or pipes instead of commas.",
        explanation=(
            "Only ',' separates fields; ';' starts the extension, so 'a.com;1;DIRECT' is one "
            "field followed by an extension. The line is not a usable record."
        ),
        spec="ads.txt 1.1 sections 3.4.2 and 3.4.3",
        bad=b"google.com pub-1234567890123456 DIRECT f08c47fec0942fa0\n" + OTHER,
        good=GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS107",
        name="glued-records",
        severity=Severity.ERROR,
        summary="Two records on one line, with the line break between them lost.",
        explanation=(
            "When files are concatenated without a final newline, the relationship or "
            "certification ID of one record runs into the domain of the next, as in "
            "'RESELLERwaardex.com'. Both records are lost. The fix splits the line."
        ),
        spec="common mistakes observed in real files",
        bad=b"advlion.com, 584, RESELLERwaardex.com, 99236, RESELLER\n" + OTHER,
        good=b"advlion.com, 584, RESELLER\nwaardex.com, 99236, RESELLER\n",
        fix="unsafe",
    ),
    Rule(
        code="ADS108",
        name="trailing-comma",
        severity=Severity.WARNING,
        summary="A record that ends with a comma.",
        explanation=(
            "A trailing comma adds an empty field. Lenient consumers ignore it, strict ones "
            "reject the line. The fix removes the comma."
        ),
        spec="ads.txt 1.1 section 3.4",
        bad=b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0,\n",
        good=GOOD,
        fix="safe",
    ),
]
