"""ADS3xx, variables: ``NAME=value`` lines."""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._examples import GOOD
from adstxt.rules._rule import Rule

#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS301",
        name="unknown-variable",
        severity=Severity.WARNING,
        summary="A variable name the spec does not define.",
        explanation=(
            "ads.txt 1.1 defines CONTACT, SUBDOMAIN, INVENTORYPARTNERDOMAIN, OWNERDOMAIN and "
            "MANAGERDOMAIN. Consumers ignore other names, so a misspelt one has no effect."
        ),
        spec="ads.txt 1.1 section 3.5",
        bad=b"CONTACTS=adops@example.com\n" + GOOD,
        good=b"CONTACT=adops@example.com\n" + GOOD,
    ),
    Rule(
        code="ADS302",
        name="variable-name-case",
        severity=Severity.INFO,
        summary="A variable name written in lower or mixed case.",
        explanation=(
            "Names are matched case-insensitively here, as the spec's own examples mix cases, "
            "but upper case is the form every consumer understands."
        ),
        spec="ads.txt 1.1 section 3.5",
        bad=b"contact=adops@example.com\n" + GOOD,
        good=b"CONTACT=adops@example.com\n" + GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS303",
        name="space-around-equals",
        severity=Severity.WARNING,
        summary="Spaces around the '=' of a variable.",
        explanation=(
            "The syntax is NAME=value with nothing around '='. Some consumers read "
            "'OWNERDOMAIN = example.com' as an unknown name 'OWNERDOMAIN '."
        ),
        spec="ads.txt 1.1 section 3.5",
        bad=b"OWNERDOMAIN = example.com\n" + GOOD,
        good=b"OWNERDOMAIN=example.com\n" + GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS304",
        name="invalid-variable-value",
        severity=Severity.ERROR,
        summary="A variable whose value is not what the spec requires (usually a domain).",
        explanation=(
            "SUBDOMAIN takes a host name inside the file's root domain; OWNERDOMAIN, "
            "MANAGERDOMAIN and INVENTORYPARTNERDOMAIN take a registrable domain (public suffix "
            "plus one label), never a URL. The whole Public Suffix List counts, its private "
            "section too, so 'x.blogspot.com' is a registrable domain and 'blogspot.com' is not."
        ),
        spec="ads.txt 1.1 section 3.5.1",
        bad=b"OWNERDOMAIN=https://www.example.com/\n" + GOOD,
        good=b"OWNERDOMAIN=example.com\n" + GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS305",
        name="invalid-country-code",
        severity=Severity.ERROR,
        summary="A MANAGERDOMAIN country that is not an ISO 3166-1 alpha-2 code.",
        explanation=(
            "MANAGERDOMAIN takes an optional second part, the two-letter ISO 3166-1 code of the "
            "country the manager covers, such as 'FR'."
        ),
        spec="ads.txt 1.1 section 3.5.1",
        bad=b"MANAGERDOMAIN=manager.com, France\n" + GOOD,
        good=b"MANAGERDOMAIN=manager.com, FR\n" + GOOD,
    ),
    Rule(
        code="ADS306",
        name="invalid-contact",
        severity=Severity.WARNING,
        summary="A CONTACT value that is empty or a malformed e-mail address or URL.",
        explanation=(
            "CONTACT is free text, but it is meant to reach the file's owner: an e-mail "
            "address, a URL or a phone number. A value that tries to be one of these and is "
            "malformed reaches nobody."
        ),
        spec="ads.txt 1.1 section 3.5.1",
        bad=b"CONTACT=adops@@example.com\n" + GOOD,
        good=b"CONTACT=adops@example.com\n" + GOOD,
    ),
    Rule(
        code="ADS307",
        name="repeated-variable",
        severity=Severity.WARNING,
        summary="OWNERDOMAIN given twice, or MANAGERDOMAIN given twice for one country.",
        explanation=(
            "Only the first OWNERDOMAIN is used. Two MANAGERDOMAIN entries for the same country "
            "(or two without a country) cancel out: consumers treat that market as having no "
            "manager."
        ),
        spec="ads.txt 1.1 section 3.5.1; ads.txt 1.1 implementation guidance",
        bad=b"OWNERDOMAIN=example.com\nOWNERDOMAIN=example.org\n" + GOOD,
        good=b"OWNERDOMAIN=example.com\n" + GOOD,
    ),
    Rule(
        code="ADS308",
        name="duplicate-variable",
        severity=Severity.INFO,
        summary="The same variable with the same value appears twice.",
        explanation=(
            "Repeating a CONTACT, SUBDOMAIN or INVENTORYPARTNERDOMAIN line adds nothing. The fix "
            "deletes the later copy."
        ),
        spec="ads.txt 1.1 section 3.5",
        bad=b"CONTACT=adops@example.com\nCONTACT=adops@example.com\n" + GOOD,
        good=b"CONTACT=adops@example.com\n" + GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS309",
        name="ignored-subdomain",
        severity=Severity.WARNING,
        summary="A SUBDOMAIN line that consumers will ignore.",
        explanation=(
            "SUBDOMAIN is unused in app-ads.txt. In ads.txt only the root domain's file may "
            "declare subdomains, one level down: a subdomain's own file (as given with --domain, "
            "or as fetched) cannot refer further, and a referral to the root domain itself "
            "points nowhere new."
        ),
        spec="app-ads.txt 1.0; ads.txt 1.1 sections 3.5.1 and 5.5",
        bad=b"SUBDOMAIN=sports.example.com\n" + GOOD,
        good=b"CONTACT=adops@example.com\n" + GOOD,
        filename="app-ads.txt",
    ),
    Rule(
        code="ADS310",
        name="suspicious-variable-value",
        severity=Severity.INFO,
        summary="A variable value that contains ';' or looks cut short by a '#'.",
        explanation=(
            "Variable values run to the end of the line; ';' has no special meaning there, and "
            "'#' starts a comment, so a URL with a fragment loses everything after it."
        ),
        spec="ads.txt 1.1 sections 3.4.1 and 3.5",
        bad=b"CONTACT=https://example.com/ads#contact\n" + GOOD,
        good=b"CONTACT=https://example.com/ads/contact\n" + GOOD,
    ),
]
