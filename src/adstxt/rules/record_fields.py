"""ADS2xx, record fields: ad-system domain, account ID, relationship and certification ID."""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._examples import GOOD, OTHER
from adstxt.rules._rule import Rule

#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS201",
        name="invalid-domain",
        severity=Severity.ERROR,
        summary=(
            "The ad-system domain is not a valid host name (a URL, an IP address, bad characters)."
        ),
        explanation=(
            "Field 1 must be the bare domain name of the advertising system, valid under "
            "RFC 1123: letters, digits and hyphens in dot-separated labels. URLs, paths, ports, "
            "e-mail addresses, wildcards and quotation marks (straight or curly) are not domains. "
            "Where a URL names a host unambiguously, the fix keeps only the host; a domain "
            "wrapped in quotes gets a fix that removes them."
        ),
        spec="ads.txt 1.1 sections 3.3 and 3.4.2",
        bad=b"https://google.com/, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n" + OTHER,
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS202",
        name="unknown-public-suffix",
        severity=Severity.ERROR,
        summary="The ad-system domain does not end in a known public suffix.",
        explanation=(
            "A domain must end in a suffix from the Public Suffix List (such as .com or "
            ".co.uk). A bare name such as 'appnexus' or a misspelt suffix cannot be resolved. "
            "Suffixes newer than the bundled list can be added in configuration."
        ),
        spec="ads.txt 1.1 sections 3.1 and 3.3",
        bad=b"appnexus, 1234, RESELLER, f5ab79cb980f11d1\n" + OTHER,
        good=b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
    ),
    Rule(
        code="ADS203",
        name="ad-system-subdomain",
        severity=Severity.WARNING,
        summary="The ad-system domain is a subdomain (such as www.) of a well-known ad system.",
        explanation=(
            "Ad systems publish one canonical domain; buyers compare field 1 against it "
            "exactly, so 'www.google.com' does not match 'google.com'."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=b"www.google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n",
        good=GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS204",
        name="domain-not-normalized",
        severity=Severity.INFO,
        summary="The ad-system domain has upper-case letters or a trailing dot.",
        explanation=(
            "Domains compare case-insensitively, so 'Google.com' works, but the lower-case form "
            "without a trailing dot is what tools and people expect to see. The fix rewrites it."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=b"Google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n",
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS205",
        name="non-canonical-ad-system",
        severity=Severity.WARNING,
        summary="A known alias of an ad system is used instead of its canonical domain.",
        explanation=(
            "Some ad systems are known under several domains (openx.net for openx.com, "
            "rubicon.com for rubiconproject.com). Buyers match the canonical one."
        ),
        spec="IAB Tech Lab ads.txt normalization mappings",
        bad=b"openx.net, 537120563, RESELLER, 6a698e2ec38604c6\n",
        good=b"openx.com, 537120563, RESELLER, 6a698e2ec38604c6\n",
        fix="unsafe",
    ),
    Rule(
        code="ADS206",
        name="misspelled-ad-system",
        severity=Severity.WARNING,
        summary=(
            "The ad-system domain is one typo away from, or reads like, a well-known ad system."
        ),
        explanation=(
            "Typos such as 'critero.com' or 'indexexchnage.com' silently authorize nobody, "
            "because no bid request ever comes from that domain. Plain-ASCII look-alikes are "
            "reported too: 'rn' for 'm' ('rnediamath.com'), the digit 0 for 'o', 1 for 'l'."
        ),
        spec="common mistakes observed in real files",
        bad=b"rubiconprojects.com, 12345, RESELLER, 0bfd66d529a55807\n",
        good=b"rubiconproject.com, 12345, RESELLER, 0bfd66d529a55807\n",
        fix="unsafe",
    ),
    Rule(
        code="ADS207",
        name="internationalized-domain",
        severity=Severity.WARNING,
        summary="The ad-system domain contains non-ASCII letters.",
        explanation=(
            "Internationalized domain names must be written in their ASCII (punycode) form in "
            "protocol fields. The fix gives the punycode spelling."
        ),
        spec="ads.txt 1.1 section 3.4.2 (RFC 1123 host names)",
        bad="b\u00fccher.de, 1234, DIRECT\n".encode(),
        good=b"xn--bcher-kva.de, 1234, DIRECT\n",
        fix="unsafe",
    ),
    Rule(
        code="ADS208",
        name="lookalike-ad-system",
        severity=Severity.ERROR,
        summary=(
            "The ad-system domain imitates a well-known one with characters from another script."
        ),
        explanation=(
            "A domain such as 'g\u043eogle.com' (with a Cyrillic \u043e) or its punycode "
            "form 'xn--ggle-0nda.com' reads as 'google.com' to a reviewer, but it is a "
            "different domain: buyers never match it with the real ad system, and whoever "
            "registered it may be posing as a seller. The message names the domain it imitates "
            "and each look-alike character. There is no automatic fix: find out where the line "
            "came from before changing it."
        ),
        spec=(
            "ads.txt 1.1 section 3.3 (field 1 is the ad system's canonical domain); Unicode "
            "Technical Standard 39 (confusable detection)"
        ),
        bad="g\u043eogle.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n".encode(),
        good=b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n",
    ),
    Rule(
        code="ADS210",
        name="invalid-relationship",
        severity=Severity.ERROR,
        summary="Field 3 is neither DIRECT nor RESELLER.",
        explanation=(
            "The relationship says who controls the account: DIRECT (the publisher) or "
            "RESELLER (an authorized third party). Anything else, including typos and "
            "'DIRECT/RESELLER', makes consumers drop the line."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=b"google.com, pub-1234567890123456, DIRCT, f08c47fec0942fa0\n" + OTHER,
        good=GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS211",
        name="relationship-case",
        severity=Severity.INFO,
        summary="DIRECT or RESELLER written in lower or mixed case.",
        explanation=(
            "The spec reads field 3 case-insensitively, so this works, but upper case is the "
            "documented form and some strict parsers accept nothing else."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=b"google.com, pub-1234567890123456, direct, f08c47fec0942fa0\n",
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS215",
        name="invalid-account-id",
        severity=Severity.ERROR,
        summary=(
            "The seller account ID contains whitespace, quotes or other characters it cannot have."
        ),
        explanation=(
            "Field 2 must equal the publisher ID used in bid requests and in the ad system's "
            "sellers.json. Spaces, quotation marks of any style (straight, curly, guillemets and "
            "the like) and brackets are never part of such IDs; they come from templates, word "
            "processors and copy and paste, and a record that keeps them can never match a "
            "seller. An ID wrapped in quotes or brackets, such as '<148395>', gets a fix that "
            "removes them."
        ),
        spec="ads.txt 1.1 sections 3.3 and 3.4.2",
        bad=b'appnexus.com, "1234", RESELLER, f5ab79cb980f11d1\n' + OTHER,
        good=b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
        fix="unsafe",
    ),
    Rule(
        code="ADS216",
        name="placeholder-account-id",
        severity=Severity.ERROR,
        summary=(
            "The seller account ID is template text such as 'INSERT PUBLISHER ID', or all zeros."
        ),
        explanation=(
            "Templates handed out by ad networks ask the publisher to replace a placeholder "
            "with their own account ID. Left as is, the line authorizes nobody. Template words "
            "count only as whole words ('INSERT', 'your_id', 'XXXX', 'YourPublisherID', "
            "'[publisher-account-id]'), so IDs such as 'yourmedia123' or 'replaced' are not "
            "mistaken for templates. A field name in brackets ('<pubid>', '[id]') and an "
            "unexpanded ad-server macro ('%%PUBID%%', '${PUB_ID}') are templates too, while "
            "'<148395>' is an ID to write bare (ADS215). An ID whose digits are all zero, such as "
            "'pub-0000000000000000', is a placeholder too."
        ),
        spec="common mistakes observed in real files",
        bad=b"appnexus.com, [your-account-id], RESELLER, f5ab79cb980f11d1\n" + OTHER,
        good=b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
    ),
    Rule(
        code="ADS217",
        name="invalid-google-publisher-id",
        severity=Severity.ERROR,
        summary="A google.com record whose account ID is not 'pub-' followed by 16 digits.",
        explanation=(
            "Google's ads.txt guidance requires the publisher ID in the form pub-0000000000000000, "
            "without product prefixes such as 'ca-' or 'ca-video-'."
        ),
        spec="Google Ad Manager help on ads.txt syntax errors (F2)",
        bad=b"google.com, ca-pub-1234567890123456, DIRECT, f08c47fec0942fa0\n" + OTHER,
        good=GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS218",
        name="swapped-fields",
        severity=Severity.ERROR,
        summary="The relationship appears in the account-ID field: fields are in the wrong order.",
        explanation=(
            "Fields are positional: domain, account ID, relationship. A relationship word in "
            "field 2 means two fields were swapped."
        ),
        spec="ads.txt 1.1 section 3.4",
        bad=b"google.com, DIRECT, pub-1234567890123456, f08c47fec0942fa0\n" + OTHER,
        good=GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS220",
        name="malformed-certification-id",
        severity=Severity.WARNING,
        summary="The certification authority ID is not in the usual TAG-ID form of 16 hex digits.",
        explanation=(
            "The spec defines no format for field 4, but every TAG-ID in use is 16 hexadecimal "
            "digits. Anything else is usually a truncated ID, a decorated one such as "
            "'<5d62403b186f2ace>', or a value copied from the wrong place."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=b"google.com, pub-1234567890123456, DIRECT, <f08c47fec0942fa0>\n",
        good=GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS221",
        name="certification-id-case",
        severity=Severity.INFO,
        summary="The certification authority ID has upper-case hex digits.",
        explanation="TAG-IDs are published in lower case; most tools compare them exactly.",
        spec="common mistakes observed in real files",
        bad=b"google.com, pub-1234567890123456, DIRECT, F08C47FEC0942FA0\n",
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS222",
        name="certification-id-mismatch",
        severity=Severity.WARNING,
        summary=(
            "A well-known ad system listed with a certification ID other than the one observed "
            "for it in real files."
        ),
        explanation=(
            "Each ad system has one TAG-ID (a few have a small set). A different value is "
            "usually a typo, a truncated copy or another system's ID. The IDs compared with are "
            "not the ad systems' own statements: they were observed in a survey of real ads.txt "
            "and app-ads.txt files, and the package ships the evidence per ad system (how many "
            "surveyed files carry the ID, from how many repositories, and the share of the files "
            "giving the ad system any ID that agree; data/certification_evidence.csv, with the "
            "method in data/SOURCES.md). The finding is a warning only when that evidence is "
            "strong: an ID the spec digest ranks in its top tier, seen in at least 10 "
            "repositories and in at least 95% of the surveyed IDs for the ad system. Otherwise it "
            "is information, and the fix is offered only for a value one edit away. Ad systems "
            "whose observed IDs disagree are not checked. The TAG-ID in the ad system's own "
            "sellers.json is the authority: with --sellers-json or --fetch-sellers, a record "
            "whose field 4 was compared with it gets ADS708 (or nothing, when they agree) "
            "instead of this finding."
        ),
        spec="ads.txt 1.1 section 3.3; sellers.json 1.0 identifiers",
        bad=b"openx.com, 537120563, RESELLER, a698e2ec38604c6\n",
        good=b"openx.com, 537120563, RESELLER, 6a698e2ec38604c6\n",
        fix="unsafe",
        also=("ADS220",),
        weak_severity=Severity.INFO,
    ),
]
