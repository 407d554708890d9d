"""Checks of variable lines (``NAME=value``) that need only the line itself."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from adstxt._domains import analyze_host
from adstxt._finding import Finding

__all__ = ["KNOWN_VARIABLES", "check_value", "name_findings"]

KNOWN_VARIABLES: Final = (
    "CONTACT",
    "SUBDOMAIN",
    "INVENTORYPARTNERDOMAIN",
    "OWNERDOMAIN",
    "MANAGERDOMAIN",
)
DOMAIN_VARIABLES: Final = frozenset(KNOWN_VARIABLES[1:])
#: Variables whose value must be a registrable domain (public suffix plus one label).
REGISTRABLE_VARIABLES: Final = frozenset({"INVENTORYPARTNERDOMAIN", "OWNERDOMAIN", "MANAGERDOMAIN"})
_OBSOLETE: Final = {
    "CONTENTPRODUCERDOMAIN": "INVENTORYPARTNERDOMAIN",
    "CONTENTDISTRIBUTORDOMAIN": "INVENTORYPARTNERDOMAIN",
}

# ISO 3166-1 alpha-2: the officially assigned codes.
COUNTRIES: Final = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

# An unquoted local part: no leading, trailing or doubled dot (RFC 5322 dot-atom).
_EMAIL: Final = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\Z"
)
_PHONE: Final = re.compile(r"\+?[0-9][0-9 ().-]{5,}\Z")
_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def name_findings(name: str) -> list[Finding]:
    """Problems with a variable name (positions relative to the name)."""
    upper = name.upper()
    length = len(name)
    if upper in KNOWN_VARIABLES:
        if name == upper:
            return []
        return [
            Finding(
                code="ADS302",
                message=f"write the variable name '{name}' in upper case as '{upper}'",
                start=0,
                end=length,
                replacement=upper,
                safe=True,
                fix_description=f"write '{upper}'",
            )
        ]
    hint: str | None
    if upper in _OBSOLETE:
        hint = (
            f"'{name}' is a pre-standard draft name; ads.txt 1.0.3 replaced it with "
            f"'{_OBSOLETE[upper]}'"
        )
    else:
        import difflib  # only for an unknown variable name

        close = difflib.get_close_matches(upper, KNOWN_VARIABLES, n=1, cutoff=0.75)
        hint = f"did you mean '{close[0]}'?" if close else None
    return [
        Finding(
            code="ADS301",
            message=(
                f"'{name}' is not a variable defined by the spec ({', '.join(KNOWN_VARIABLES)}); "
                "consumers ignore it"
            ),
            hint=hint,
            start=0,
            end=length,
        )
    ]


def _domain_value(
    name: str,
    value: str,
    start: int,
    root: str | None,
    app: bool,
    subdomain: str | None,
) -> list[Finding]:
    analysis = analyze_host(value)
    end = start + len(value)
    findings: list[Finding] = []
    for found in analysis.findings:
        if found.code in ("ADS201", "ADS202"):
            message = f"{name} must be a domain name: {found.message}"
            # A URL's host is a guess here: these variables want a registrable domain.
            findings.append(
                found._replace(code="ADS304", message=message, start=start, end=end, safe=False)
            )
        else:
            findings.append(found._replace(start=start, end=end))
    domain = analysis.normalized
    if domain is None:
        return findings
    if name in REGISTRABLE_VARIABLES and analysis.subdomain:
        target = analysis.registrable
        findings.append(
            Finding(
                code="ADS304",
                message=(
                    f"{name} takes a registrable domain (public suffix plus one label); "
                    f"'{value}' is a subdomain of '{target}'"
                ),
                hint=f"did you mean '{target}'?",
                start=start,
                end=end,
                replacement=target,
                safe=False,
                fix_description=f"write '{target}'",
            )
        )
    if name == "SUBDOMAIN":
        if app:
            findings.append(
                Finding(
                    code="ADS309",
                    message="SUBDOMAIN is not used in app-ads.txt files; consumers ignore it",
                    start=start,
                    end=end,
                )
            )
        elif root is not None:
            if subdomain is not None:
                # Referrals go one level down from the root file only (ads.txt 1.1 5.5).
                findings.append(
                    Finding(
                        code="ADS309",
                        message=(
                            f"this file is served from the subdomain '{subdomain}'; only the root "
                            "domain's file may declare subdomains, so consumers ignore this line"
                        ),
                        hint=f"declare it in the ads.txt of '{root}'",
                        start=start,
                        end=end,
                    )
                )
            elif domain == root:
                findings.append(
                    Finding(
                        code="ADS309",
                        message=f"SUBDOMAIN names the root domain '{root}' itself",
                        hint="list subdomains only, such as 'sports." + root + "'",
                        start=start,
                        end=end,
                    )
                )
            if domain != root and not domain.endswith("." + root):
                findings.append(
                    Finding(
                        code="ADS304",
                        message=(
                            f"SUBDOMAIN must be a subdomain of this file's root domain '{root}'; "
                            f"found '{value}'"
                        ),
                        start=start,
                        end=end,
                    )
                )
    return findings


def check_value(
    name: str,
    value: str,
    *,
    root: str | None,
    app: bool,
    subdomain: str | None = None,
) -> tuple[list[Finding], str | None]:
    """Problems with the value of a known variable, and its MANAGERDOMAIN country if any.

    ``value`` is trimmed; positions are relative to it. ``root`` is the root domain the
    file is served from, when known, and ``subdomain`` the host when that is a subdomain
    with a file of its own.
    """
    if name == "CONTACT":
        return _contact(value), None
    if not value:
        return [
            Finding(
                code="ADS304",
                message=f"{name} has no value; it takes a domain name",
                start=0,
                end=0,
            )
        ], None
    if name != "MANAGERDOMAIN":
        return _domain_value(name, value, 0, root, app, subdomain), None
    domain_part, comma, country_part = value.partition(",")
    domain = domain_part.rstrip()
    findings = (
        _domain_value(name, domain, 0, root, app, subdomain)
        if domain
        else [
            Finding(
                code="ADS304",
                message="MANAGERDOMAIN has no domain before the ','",
                start=0,
                end=0,
            )
        ]
    )
    if not comma:
        return findings, None
    offset = len(domain_part) + 1
    country = country_part.strip()
    cstart = offset + len(country_part) - len(country_part.lstrip())
    if "," in country:
        findings.append(
            Finding(
                code="ADS304",
                message=(
                    "MANAGERDOMAIN takes a domain and at most one country code, separated by ','"
                ),
                start=cstart,
                end=cstart + len(country),
            )
        )
        return findings, None
    if country.upper() not in COUNTRIES:
        findings.append(
            Finding(
                code="ADS305",
                message=f"'{country}' is not an ISO 3166-1 alpha-2 country code such as 'FR'"
                if country
                else "MANAGERDOMAIN has a ',' but no country code after it",
                start=cstart,
                end=cstart + len(country),
            )
        )
        return findings, None
    return findings, country.upper()


def _contact(value: str) -> list[Finding]:
    length = len(value)
    if not value:
        return [Finding(code="ADS306", message="CONTACT has no value", start=0, end=0)]
    if "@" in value and " " not in value and not _SCHEME.match(value):
        if not _EMAIL.match(value):
            return [
                Finding(
                    code="ADS306",
                    message=f"'{value}' is not a valid e-mail address",
                    start=0,
                    end=length,
                )
            ]
        return []
    if _SCHEME.match(value) and not _PHONE.match(value):
        parts = urlsplit(value)
        if parts.scheme.lower() in ("http", "https") and not parts.netloc:
            return [
                Finding(
                    code="ADS306",
                    message=f"'{value}' is not a valid URL: it has no host",
                    start=0,
                    end=length,
                )
            ]
        if parts.scheme.lower() == "mailto" and not _EMAIL.match(parts.path):
            return [
                Finding(
                    code="ADS306",
                    message=f"'{value}' is not a valid mailto: address",
                    start=0,
                    end=length,
                )
            ]
    return []
