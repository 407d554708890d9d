"""Which rules enforce which clause of ads.txt 1.1, app-ads.txt 1.0 and sellers.json 1.0.

The clauses are paraphrased here, beside the rule registry. A rule lands on a clause in one
of two ways:

1. it is listed in the clause's ``codes`` (placement decided by hand), or
2. its ``Rule.spec`` text cites the clause's document and section (``"ads.txt 1.1 section
   3.5"``) and either names one of the clause's keywords (``"section 3.1 (redirects)"``)
   or the clause is the section's ``default``.

A rule that cites a specification but lands on no clause is still listed, beside that
specification's table, so new rules show up without editing this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

from adstxt.rules import RULES, Rule

__all__ = ["CLAUSES", "SPECS", "Clause", "Coverage", "Reference", "coverage", "references"]

#: A clause about the file's text can be checked in the file; one about how the file is
#: served needs an HTTP fetch; one about what consumers do leaves nothing to check.
Scope = Literal["file", "serving", "consumer"]

SPECS = ("ads.txt 1.1", "app-ads.txt 1.0", "sellers.json 1.0")


@attrs.frozen
class Clause:
    """One requirement of a specification, in our own words."""

    spec: str
    section: str
    requirement: str
    scope: Scope = "file"
    codes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    default: bool = False
    note: str = ""


A11, APP, SJ = SPECS

CLAUSES: tuple[Clause, ...] = (
    # ---- ads.txt 1.1 ---------------------------------------------------------------------
    Clause(
        A11,
        "3.1",
        "The file lives at /ads.txt on the root domain (public suffix plus "
        "one label, from the Public Suffix List), and on subdomains where needed.",
        "serving",
        codes=("ADS504", "ADS524", "ADS528", "ADS529"),
        keywords=("root domain", "location"),
    ),
    Clause(
        A11,
        "3.1",
        "It is served over HTTP and/or HTTPS with Content-Type text/plain; "
        "any other body (such as an HTML page) is not an ads.txt file.",
        "serving",
        codes=("ADS004", "ADS516", "ADS525"),
        keywords=("content-type", "text/plain"),
    ),
    Clause(
        A11,
        "3.1",
        "Adding charset=utf-8 to the Content-Type is advisable: the text is UTF-8.",
        codes=("ADS003", "ADS517", "ADS518", "ADS519"),
        keywords=("charset", "utf-8"),
    ),
    Clause(
        A11,
        "3.1",
        "Crawlers prefer HTTPS, and HTTPS data wins when both schemes answer.",
        "consumer",
        codes=("ADS503", "ADS527"),
        keywords=("https",),
    ),
    Clause(
        A11,
        "3.1",
        "Redirects (301, 302, 307) are followed within the root domain; at "
        "most one hop may leave it, and any other redirect is an error.",
        "serving",
        codes=("ADS509", "ADS510", "ADS511", "ADS512", "ADS513", "ADS514", "ADS515"),
        keywords=("redirect",),
    ),
    Clause(
        A11,
        "3.1",
        "A 2xx response is read and used; 404 means no declarations; after "
        "other errors the last good copy stays in use.",
        "serving",
        codes=("ADS501", "ADS502", "ADS504", "ADS505", "ADS506", "ADS507", "ADS508"),
        keywords=("status", "404", "http error"),
    ),
    Clause(
        A11,
        "3.2",
        "The file is plain text of lines: data records, variable "
        "declarations, comments and blank lines.",
        default=True,
    ),
    Clause(
        A11,
        "3.2.1",
        "A file that authorizes nobody holds the placeholder record "
        "'placeholder.example.com, placeholder, DIRECT, placeholder'; an empty file no "
        "longer means anything.",
        default=True,
    ),
    Clause(
        A11,
        "3.3",
        "Field 1 is the canonical domain of the advertising system, a valid "
        "domain name under a public suffix.",
        codes=("ADS201", "ADS202", "ADS203", "ADS204", "ADS205", "ADS206"),
        keywords=("domain",),
    ),
    Clause(
        A11,
        "3.3",
        "Field 2 is the seller's account ID in that system, exactly as it appears in transactions.",
        codes=("ADS215", "ADS216", "ADS217", "ADS218", "ADS702", "ADS703"),
        keywords=("account",),
    ),
    Clause(
        A11,
        "3.3",
        "Field 3 is DIRECT or RESELLER, compared without regard to case.",
        codes=("ADS210", "ADS211", "ADS402", "ADS403", "ADS704", "ADS705"),
        keywords=("relationship",),
    ),
    Clause(
        A11,
        "3.3",
        "Field 4, optional, is the advertising system's ID at a "
        "certification authority (the TAG-ID); sellers.json identifiers supersede it.",
        codes=("ADS220", "ADS221", "ADS222", "ADS404"),
        keywords=("certification",),
    ),
    Clause(
        A11,
        "3.4",
        "A record is three comma-separated fields, an optional fourth, and "
        "an optional extension after ';'.",
        default=True,
    ),
    Clause(
        A11,
        "3.4.1",
        "'#' starts a comment that runs to the end of the line.",
        keywords=("comment",),
        default=True,
    ),
    Clause(
        A11,
        "3.4.2",
        "Whitespace around fields is ignored and CR, LF and CRLF all end a "
        "line; consumers are liberal about separators.",
        codes=("ADS010", "ADS013", "ADS105", "ADS106"),
        keywords=("whitespace",),
    ),
    Clause(
        A11,
        "3.4.2",
        "Field values hold no whitespace, commas or control characters; "
        "anything else must be URL-encoded.",
        codes=("ADS007", "ADS009", "ADS011", "ADS215"),
        default=True,
    ),
    Clause(
        A11,
        "3.4.2",
        "The advertising-system domain is an RFC 1123 host name.",
        codes=("ADS201", "ADS207"),
        keywords=("rfc 1123",),
    ),
    Clause(
        A11,
        "3.4.2",
        "Content that is obviously corrupt or malformed should be ignored as a whole.",
        codes=("ADS004", "ADS012"),
        keywords=("malformed",),
    ),
    Clause(
        A11,
        "3.4.3",
        "Anything after ';' is an extension defined by implementers; the "
        "fields before it keep their meaning.",
        default=True,
    ),
    Clause(
        A11,
        "3.5",
        "A line NAME=VALUE declares a variable; more variables may be added "
        "later, so consumers ignore names they do not know.",
        default=True,
    ),
    Clause(
        A11,
        "3.5.1",
        "CONTACT: how to reach the file's owner.",
        codes=("ADS306",),
        keywords=("contact",),
    ),
    Clause(
        A11,
        "3.5.1",
        "SUBDOMAIN: a host inside the root domain whose own ads.txt consumers should also read.",
        codes=("ADS304", "ADS309"),
        keywords=("subdomain",),
    ),
    Clause(
        A11,
        "3.5.1",
        "INVENTORYPARTNERDOMAIN: the domain of a partner whose ads.txt covers shared inventory.",
        codes=("ADS014", "ADS304"),
        keywords=("inventorypartner",),
    ),
    Clause(
        A11,
        "3.5.1",
        "OWNERDOMAIN: the registrable domain of the business that owns the "
        "site; only the first one counts.",
        codes=("ADS304", "ADS307"),
        keywords=("ownerdomain",),
    ),
    Clause(
        A11,
        "3.5.1",
        "MANAGERDOMAIN: the registrable domain of a managing partner, with "
        "an optional ISO 3166-1 alpha-2 country; one per country.",
        codes=("ADS304", "ADS305", "ADS307"),
        keywords=("managerdomain",),
    ),
    Clause(
        A11,
        "3.6",
        "Consumers cache the file and honour HTTP expiry headers, with seven days as the default.",
        "consumer",
        keywords=("expir", "cache"),
    ),
    Clause(
        A11,
        "5.5",
        "Only a root-domain file may declare subdomains; a subdomain's file cannot refer further.",
        codes=("ADS309", "ADS528"),
        default=True,
    ),
    Clause(
        A11,
        "5.6",
        "Crawlers respect robots.txt when they read other content of the site.",
        "consumer",
        codes=("ADS526",),
        keywords=("robots",),
    ),
    Clause(
        A11,
        "5.7",
        "INVENTORYPARTNERDOMAIN is followed one hop, to the partner's ads.txt only.",
        "serving",
        default=True,
    ),
    Clause(
        A11,
        "5.8",
        "OWNERDOMAIN should match the seller domain of the publisher's entries in sellers.json.",
        "serving",
        codes=("ADS701", "ADS706", "ADS710", "ADS711", "ADS712"),
        keywords=("sellers.json",),
    ),
    Clause(
        A11,
        "5.9",
        "Two MANAGERDOMAIN entries for one country cancel out for that country.",
        codes=("ADS307",),
        default=True,
    ),
    # ---- app-ads.txt 1.0 -----------------------------------------------------------------
    Clause(
        APP,
        "Publish an app-ads.txt file",
        "The developer publishes /app-ads.txt on the "
        "website listed in the app store, in the ads.txt format; a file named "
        "app-ads.txt is checked with the ads.txt rules.",
        default=True,
        note="every ads.txt format rule, applied to files named app-ads.txt",
    ),
    Clause(
        APP,
        "Crawl and interpret app-ads.txt file",
        "SUBDOMAIN declarations are not used in app-ads.txt and are ignored.",
        codes=("ADS309",),
        keywords=("subdomain",),
    ),
    Clause(
        APP,
        "Optionally indicating that there are no authorized sellers",
        "A file that authorizes nobody uses the ads.txt placeholder record.",
        codes=("ADS005", "ADS405", "ADS406", "ADS407"),
        keywords=("placeholder",),
    ),
    Clause(
        APP,
        "Translate developer URL to an app-ads.txt path",
        "The file's URL comes "
        "from the developer URL: the registrable domain plus at most one label, without "
        "'www.' or 'm.', then /app-ads.txt over HTTPS with HTTP as fallback.",
        "serving",
        keywords=("developer url", "path"),
    ),
    Clause(
        APP,
        "Crawl app listing pages in app stores",
        "Verifiers read the developer URL "
        "from the store listing's appstore:developer_url meta tag and crawl no more than "
        "weekly.",
        "consumer",
        keywords=("store",),
    ),
    # ---- sellers.json 1.0 ----------------------------------------------------------------
    Clause(
        SJ,
        "Access method",
        "The file lives at /sellers.json on the advertising "
        "system's root domain, served as application/json, with the ads.txt redirect "
        "rules.",
        "serving",
        keywords=("access", "redirect", "content-type"),
    ),
    Clause(
        SJ,
        "Access method",
        "After a 404 or any other error, the last good copy stays in use.",
        "consumer",
        keywords=("404",),
    ),
    Clause(
        SJ,
        "File format",
        "The content is one JSON object.",
        codes=("ADS601", "ADS602", "ADS603", "ADS604"),
        keywords=("json",),
        default=True,
    ),
    Clause(
        SJ,
        "Expiration",
        "Consumers cache the file and honour HTTP expiry headers, with seven days as the default.",
        "consumer",
        keywords=("expir", "cache"),
    ),
    Clause(
        SJ,
        "Implementation",
        "Every advertising system listed in an ads.txt file publishes a sellers.json.",
        "serving",
        codes=("ADS701", "ADS710"),
        keywords=("cross-check",),
    ),
    Clause(
        SJ,
        "Object: Parent",
        "'sellers' (an array) and 'version' (\"1.0\") are "
        "required; 'identifiers', 'contact_email', 'contact_address' and 'ext' are "
        "optional.",
        codes=("ADS605", "ADS606", "ADS607", "ADS621", "ADS623"),
        keywords=("parent", "version"),
    ),
    Clause(
        SJ,
        "Object: Identifier",
        "An identifier has a string 'name' and a string 'value'.",
        codes=("ADS619",),
        keywords=("identifier object",),
    ),
    Clause(
        SJ,
        "Object: Seller",
        "'seller_id' and 'seller_type' (PUBLISHER, INTERMEDIARY "
        "or BOTH, any case) are required; 'name' and 'domain' are required unless the "
        "seller is confidential.",
        codes=(
            "ADS605",
            "ADS606",
            "ADS608",
            "ADS609",
            "ADS610",
            "ADS611",
            "ADS612",
            "ADS613",
            "ADS614",
            "ADS618",
            "ADS620",
            "ADS707",
        ),
        keywords=("seller_type", "seller object"),
    ),
    Clause(
        SJ,
        "Object: Seller",
        "A seller_id maps to exactly one paid entity.",
        codes=("ADS615", "ADS702", "ADS704", "ADS705", "ADS709"),
        keywords=("seller_id",),
    ),
    Clause(
        SJ,
        "Object: Seller",
        "A seller's 'domain' is a root domain, not a URL.",
        codes=("ADS616", "ADS617"),
        keywords=("seller domain",),
    ),
    Clause(
        SJ,
        "Identifier names",
        "TAG-ID and DUNS are the standard identifier names; "
        "the TAG-ID is the advertising system's certification ID.",
        codes=("ADS222", "ADS708"),
        keywords=("identifiers", "tag-id"),
    ),
)

_CITATION = re.compile(
    r"(?P<spec>ads\.txt 1\.1|app-ads\.txt 1\.0|sellers\.json 1\.0)\b(?P<rest>[^;]*)",
)
_SECTIONS = re.compile(r"sections?\s+(?P<list>[0-9.]+(?:\s*(?:,|and)\s*[0-9.]+)*)")


@attrs.frozen
class Reference:
    """One citation in a rule's ``spec`` text: the specification and the sections cited."""

    spec: str
    sections: tuple[str, ...]


def references(spec_text: str) -> tuple[Reference, ...]:
    """The citations of ads.txt 1.1, app-ads.txt 1.0 and sellers.json 1.0 in ``spec_text``.

    >>> [r.sections for r in references("ads.txt 1.1 sections 3.1 and 3.4.2; app-ads.txt 1.0")]
    [('3.1', '3.4.2'), ()]
    """
    found = []
    # A citation in parentheses gives context ("comments are ignored, section 3"); it is
    # not a claim that the rule enforces that section.
    for match in _CITATION.finditer(re.sub(r"\([^)]*\)", "", spec_text)):
        listed = _SECTIONS.search(match["rest"])
        sections: tuple[str, ...] = ()
        if listed:
            sections = tuple(s.strip().rstrip(".") for s in re.split(r",|\band\b", listed["list"]))
        found.append(Reference(match["spec"], sections))
    return tuple(found)


@attrs.frozen
class Coverage:
    """Each clause with the rules that enforce it, and the citing rules placed nowhere."""

    clauses: tuple[tuple[Clause, tuple[str, ...]], ...]
    unplaced: Mapping[str, tuple[str, ...]]

    def codes_for(self, clause: Clause) -> tuple[str, ...]:
        """The codes that enforce ``clause``."""
        return next(codes for c, codes in self.clauses if c == clause)


def _places(rule: Rule, ref: Reference, clauses: Iterable[Clause]) -> list[Clause]:
    """The clauses a rule's citation points at: by keyword first, else the section default.

    A keyword may appear anywhere in the rule's spec text or name; a cited section also
    covers its subsections ("section 3" reaches a clause of 3.4.1) for keyword matches.
    """
    text = f"{rule.spec} {rule.name.replace('-', ' ')}".lower()
    cited = [
        c
        for c in clauses
        if c.spec == ref.spec
        and (
            not ref.sections
            or any(c.section == s or c.section.startswith(s + ".") for s in ref.sections)
        )
    ]
    by_keyword = [c for c in cited if any(k in text for k in c.keywords)]
    if by_keyword:
        return by_keyword
    return [c for c in cited if c.default and c.section in ref.sections]


def coverage(clauses: tuple[Clause, ...] = CLAUSES, rules: Mapping[str, Rule] = RULES) -> Coverage:
    """Map every clause to the codes that enforce it, in registry order."""
    placed: dict[Clause, set[str]] = {
        c: {code for code in c.codes if code in rules} for c in clauses
    }
    unplaced: dict[str, list[str]] = {spec: [] for spec in SPECS}
    for rule in rules.values():
        for ref in references(rule.spec):
            hand_placed = any(rule.code in c.codes for c in clauses if c.spec == ref.spec)
            if hand_placed:
                continue
            targets = _places(rule, ref, clauses)
            for clause in targets:
                placed[clause].add(rule.code)
            if not targets and rule.code not in unplaced[ref.spec]:
                unplaced[ref.spec].append(rule.code)
    order = {code: i for i, code in enumerate(rules)}
    return Coverage(
        tuple((c, tuple(sorted(placed[c], key=order.__getitem__))) for c in clauses),
        {spec: tuple(codes) for spec, codes in unplaced.items()},
    )
