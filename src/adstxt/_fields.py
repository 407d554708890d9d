"""Checks of record fields 2 to 4: account ID, relationship and certification ID.

Each check takes the field text (stripped) and returns :class:`~adstxt._finding.Finding`
objects whose positions are relative to that text.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from adstxt import _known
from adstxt._finding import Finding
from adstxt.diagnostics import Severity

__all__ = [
    "QUOTES",
    "RELATIONSHIPS",
    "account_findings",
    "account_is_plain",
    "certification_findings",
    "comparable_cert",
    "domain_quote_finding",
    "google_id_ok",
    "is_template",
    "relationship_findings",
    "unwrap",
]

RELATIONSHIPS: Final = ("DIRECT", "RESELLER")

_HEX16: Final = re.compile(r"[0-9a-f]{16}\Z")
_HEX16_ANY_CASE: Final = re.compile(r"[0-9a-fA-F]{16}\Z")
_EMBEDDED_HEX16: Final = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{16}(?![0-9a-fA-F])")
_GOOGLE_ID: Final = re.compile(r"pub-[0-9]{16}\Z")
_GOOGLE_DIGITS: Final = re.compile(r"[0-9]+")
#: Quotation marks of every common style: straight, curly (a word processor's "smart"
#: quotes), low-9, reversed, primes, guillemets, full-width and CJK corner brackets. None
#: is ever part of a value, whichever style an editor typed. (U+201A, the single low-9
#: mark, is not here: it passes for a comma and is reported as one.)
QUOTES: Final = (
    "\"'`\u00b4\u2018\u2019\u201b\u201c\u201d\u201e\u201f\u2032\u2033\u2035\u2036"
    "\u00ab\u00bb\u2039\u203a\uff02\uff07\u300c\u300d\u300e\u300f\u301d\u301e\u301f"
)
_BRACKETS: Final = {
    "<": (">", "angle brackets"),
    "[": ("]", "square brackets"),
    "{": ("}", "braces"),
}
_BRACKET_CHARS: Final = "<>[]{}"
# Any character or word that makes an account ID worth a closer look (a superset of what
# account_findings reports). Kept as one search so an ordinary ID costs a single scan.
_SUSPICIOUS_ACCOUNT: Final = re.compile(
    r"""[\s"'`<>\[\]{}\ufffd]|[^\x21-\x7e]|%%|xxxx|insert|your|replace|placeholder"""
    r"""|\A(?:publisher|account|seller|pub)[ _-]?id\Z|\A(?:direct|reseller)\Z|\A[*?]+\Z"""
    r"""|\A(?:pub-)?0+(?:[-_.]0+)*\Z""",
    re.IGNORECASE,
)
# Words of an ID: runs of capitals, capitalized or lower-case words, runs of digits, so
# that 'YourPublisherID' reads as your/publisher/id but 'yourmedia123' as yourmedia/123.
_TOKENS: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Template text is recognised by whole words only: 'insert' is one, 'inserted' is not.
_TEMPLATE_WORDS: Final = frozenset({"insert", "replace", "replaceme", "placeholder"})
_ID_WORDS: Final = frozenset({"publisher", "account", "seller", "pub", "id"})
_X_RUN: Final = re.compile(r"x{4,}\Z")
_FIELD_NAME: Final = re.compile(
    r"\A(?:your[ _-]?(?:(?:publisher|account|seller|pub)[ _-]?)?"
    r"|(?:publisher|account|seller|pub)[ _-]?)id\Z|\A[*?]+\Z",
    re.IGNORECASE,
)
# Ad-server macros left unexpanded: '%%PUBID%%', '${PUBLISHER_ID}', '{{ pubid }}'.
_MACRO: Final = re.compile(r"\A(?:%%[^%]+%%|\$\{[^{}]+\}|\{\{[^{}]+\}\})\Z")
# An account ID whose digits are all zero, with or without Google's 'pub-' prefix.
_ALL_ZERO: Final = re.compile(r"(?:pub-)?0+(?:[-_.]0+)*\Z", re.IGNORECASE)
_LOCALIZED: Final = {
    "DIRECTO": "DIRECT",
    "DIRETO": "DIRECT",
    "DIRETTO": "DIRECT",
    "DIREKT": "DIRECT",
    "DIRECTE": "DIRECT",
    "BEZPOSREDNI": "DIRECT",
    "REVENDEDOR": "RESELLER",
    "REVENDEUR": "RESELLER",
    "RIVENDITORE": "RESELLER",
    "WIEDERVERKAUFER": "RESELLER",
    "WIEDERVERKÄUFER": "RESELLER",
    "RESELLERS": "RESELLER",
}


def google_id_ok(account: str) -> bool:
    """True when ``account`` has the form of a Google publisher ID."""
    return _GOOGLE_ID.match(account) is not None


def account_is_plain(account: str) -> bool:
    """True when an account ID needs no closer look (fast path)."""
    if account.isdigit():
        return account.strip("0") != ""
    return _SUSPICIOUS_ACCOUNT.search(account) is None


def unwrap(text: str) -> tuple[str, str] | None:
    """``text`` without the quotes or brackets around it, and what they were.

    ``'"123"'`` and ``'\u201c123\u201d'`` give ``('123', 'quotes')``, ``'<148395>'`` gives
    ``('148395', 'angle brackets')``; None when ``text`` is not wrapped or holds nothing else.
    """
    inner = text
    kinds: list[str] = []
    while len(inner) >= 2:
        first = inner[0]
        last = inner[-1]
        if first in QUOTES and last in QUOTES:
            kind = "quotes"
        elif first in _BRACKETS and _BRACKETS[first][0] == last:
            kind = _BRACKETS[first][1]
        else:
            break
        if kind not in kinds:
            kinds.append(kind)
        inner = inner[1:-1].strip()
    if not kinds or not inner:
        return None
    return inner, " and ".join(kinds)


def is_template(account: str) -> bool:
    """True when an account ID is template text left for the publisher to replace.

    Words count whole: 'INSERT PUBLISHER ID', 'your_id', 'pub-XXXXXXXXXXXXXXXX' and
    '[yourVunglePublisherAccountID]' are templates, and so are a field name in brackets
    ('<pubid>', '[id]') and an unexpanded macro ('%%PUBID%%'); 'yourmedia123', 'inserted-1',
    'replaced' and '<148395>' are IDs.
    """
    if _FIELD_NAME.match(account) or _MACRO.match(account):
        return True
    unwrapped = unwrap(account)
    if unwrapped is not None and _FIELD_NAME.match(unwrapped[0]):
        # '<pubid>', '[pub-id]', '{{publisher_id}}': a field name in brackets, not an ID.
        return True
    words = [word.lower() for word in _TOKENS.findall(account)]
    if unwrapped is not None and words and all(word in _ID_WORDS for word in words):
        # '<id>', '[publisher]': only words naming the field, in brackets.
        return True
    if any(word in _TEMPLATE_WORDS or _X_RUN.match(word) for word in words):
        return True
    if "your" in words and any(word in _ID_WORDS for word in words):
        return True
    # '[yourironSourcePublisherAccountID]': a bracketed phrase naming the field.
    bracketed = any(c in _BRACKET_CHARS for c in account)
    return bracketed and len(_ID_WORDS.intersection(words) - {"pub"}) >= 2


def account_findings(account: str, google: bool) -> list[Finding]:
    """Problems with a non-empty account ID (field 2) for the given ad system."""
    length = len(account)
    findings: list[Finding] = []
    upper = account.upper()
    if upper in RELATIONSHIPS:
        return [
            Finding(
                code="ADS218",
                message=(
                    f"the account ID field holds the relationship '{account}'; "
                    "the fields are domain, account ID, relationship"
                ),
                hint="the account ID and the relationship seem to be swapped",
                start=0,
                end=length,
            )
        ]
    if is_template(account):
        return [
            Finding(
                code="ADS216",
                message=f"the account ID '{account}' is template text, not a real account ID",
                hint="replace it with the account ID the ad system gave you",
                start=0,
                end=length,
            )
        ]
    unwrapped = unwrap(account)
    bare = unwrapped[0] if unwrapped else account
    if _ALL_ZERO.match(bare):
        return [
            Finding(
                code="ADS216",
                message=(
                    f"the account ID '{account}' is all zeros: a placeholder, not a real account ID"
                ),
                hint="replace it with the account ID the ad system gave you",
                start=0,
                end=length,
            )
        ]
    if "\ufffd" in account:
        findings.append(
            Finding(
                code="ADS215",
                message="the account ID contains bytes that are not valid UTF-8",
                start=0,
                end=length,
            )
        )
    elif any(c.isspace() for c in account):
        findings.append(
            Finding(
                code="ADS215",
                message=f"the account ID '{account}' contains whitespace; IDs never do",
                hint="if this is two fields, separate them with a comma",
                start=0,
                end=length,
            )
        )
    elif unwrapped is not None and not _odd_marks(bare):
        what = unwrapped[1]
        findings.append(
            Finding(
                code="ADS215",
                message=f"the account ID {_shown(account)} is wrapped in {what}; write it bare",
                start=0,
                end=length,
                replacement=bare,
                safe=False,
                fix_description=f"remove the {what}",
            )
        )
    elif _odd_marks(account):
        findings.append(
            Finding(
                code="ADS215",
                message=(
                    f"the account ID {_shown(account)} contains quotation marks or brackets; IDs "
                    "never do"
                ),
                start=0,
                end=length,
            )
        )
    if google and not findings and not _GOOGLE_ID.match(account):
        findings.append(_google_finding(account))
    return findings


def _shown(text: str) -> str:
    """``text`` for a message: in quotes, unless it brings its own."""
    if len(text) >= 2 and text[0] in QUOTES and text[-1] in QUOTES:
        return text
    return f"'{text}'"


def _odd_marks(text: str) -> bool:
    """True when ``text`` holds a quotation mark or a bracket of any style."""
    return any(c in QUOTES or c in _BRACKET_CHARS for c in text)


def domain_quote_finding(text: str) -> Finding | None:
    """An ADS201 finding when field 1 holds quotation marks (of any style), else None."""
    if not any(c in QUOTES for c in text):
        return None
    unwrapped = unwrap(text)
    if unwrapped is not None and unwrapped[1] == "quotes" and not _odd_marks(unwrapped[0]):
        return Finding(
            code="ADS201",
            message=f"the domain {text} is wrapped in quotes; write it bare",
            start=0,
            end=len(text),
            replacement=unwrapped[0],
            safe=False,
            fix_description="remove the quotes",
        )
    return Finding(
        code="ADS201",
        message=f"the domain {_shown(text)} contains quotation marks; domain names never do",
        start=0,
        end=len(text),
    )


def _google_finding(account: str) -> Finding:
    length = len(account)
    digits = _GOOGLE_DIGITS.findall(account)
    longest = max(digits, key=len, default="")
    hint = None
    replacement = None
    if len(longest) == 16:
        replacement = f"pub-{longest}"
        if account.lower() != replacement:
            hint = f"did you mean '{replacement}'?"
            if "-pub-" in account.lower():
                hint = f"drop the product prefix: '{replacement}'"
    elif longest:
        hint = f"the number has {len(longest)} digits; Google publisher IDs have 16"
    return Finding(
        code="ADS217",
        message=f"account IDs for google.com have the form 'pub-' and 16 digits; found '{account}'",
        hint=hint,
        start=0,
        end=length,
        replacement=replacement,
        safe=False,
        fix_description=f"write the publisher ID as '{replacement}'" if replacement else None,
    )


def relationship_findings(text: str) -> list[Finding]:
    """Problems with a non-empty relationship field (field 3)."""
    length = len(text)
    upper = text.upper()
    if upper in RELATIONSHIPS:
        if text == upper:
            return []
        return [
            Finding(
                code="ADS211",
                message=f"write the relationship '{text}' in upper case as '{upper}'",
                start=0,
                end=length,
                replacement=upper,
                safe=True,
                fix_description=f"write '{upper}'",
            )
        ]
    message = f"the relationship must be DIRECT or RESELLER; found '{text}'"
    unwrapped = unwrap(text)
    if unwrapped is not None and unwrapped[0].upper() in RELATIONSHIPS:
        inner, what = unwrapped
        return [
            Finding(
                code="ADS210",
                message=message,
                hint=f"write it without the {what}",
                start=0,
                end=length,
                replacement=inner,
                safe=False,
                fix_description=f"remove the {what}",
            )
        ]
    glued = re.match(r"(DIRECT|RESELLER)[\s:;|/-]*([0-9A-F]{15,17})\Z", upper)
    if glued:
        word = glued.group(1)
        cert = text[glued.start(2) :]
        return [
            Finding(
                code="ADS210",
                message=message,
                hint="a comma is missing before the certification ID",
                start=0,
                end=length,
                replacement=f"{word}, {cert}",
                safe=False,
                fix_description="insert the missing comma",
            )
        ]
    if "DIRECT" in upper and "RESELLER" in upper:
        return [
            Finding(
                code="ADS210",
                message=message,
                hint="choose one: DIRECT or RESELLER",
                start=0,
                end=length,
            )
        ]
    stray = re.match(r"(DIRECT|RESELLER)[^A-Z0-9]+\Z", upper)
    if stray:
        word = stray.group(1)
        return [
            Finding(
                code="ADS210",
                message=message,
                hint=f"remove the characters after '{word}'",
                start=0,
                end=length,
                replacement=word,
                safe=False,
                fix_description=f"write '{word}'",
            )
        ]
    trailing = re.match(r"(DIRECT|RESELLER)\s+(\S.*)\Z", text, re.IGNORECASE)
    if trailing:
        word = trailing.group(1).upper()
        rest = trailing.group(2)
        return [
            Finding(
                code="ADS210",
                message=message,
                hint=f"if the text after '{word}' is a comment, start it with '#'",
                start=0,
                end=length,
                replacement=f"{word} # {rest}",
                safe=False,
                fix_description="turn the text into a comment",
            )
        ]
    word = _LOCALIZED.get(upper) or _closest_relationship(upper)
    if word is not None:
        return [
            Finding(
                code="ADS210",
                message=message,
                hint=f"did you mean '{word}'?",
                start=0,
                end=length,
                replacement=word,
                safe=False,
                fix_description=f"write '{word}'",
            )
        ]
    hint = None
    if _HEX16_ANY_CASE.match(text) or text.isdigit():
        hint = "this looks like an ID: are the fields in the right order?"
    return [Finding(code="ADS210", message=message, hint=hint, start=0, end=length)]


@functools.lru_cache(maxsize=1024)
def _closest_relationship(upper: str) -> str | None:
    import difflib  # only for a misspelled relationship

    match = difflib.get_close_matches(upper, RELATIONSHIPS, n=1, cutoff=0.6)
    return match[0] if match else None


@functools.cache
def _owners_by_id() -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for domain, ids in _known.certification_ids().accepted.items():
        for cert in ids:
            owners.setdefault(cert, []).append(domain)
    return owners


def _near(value: str, known: str) -> str | None:
    """Describe how ``value`` differs from ``known`` when it is one edit away."""
    if len(value) == len(known) - 1 and (known.startswith(value) or known.endswith(value)):
        return "one character short of"
    if len(value) == len(known) + 1 and (value.startswith(known) or value.endswith(known)):
        return "one character longer than"
    if len(value) == len(known):
        diffs = sum(a != b for a, b in zip(value, known, strict=True))
        if diffs == 1:
            return "one character different from"
        if diffs == 2 and sorted(value) == sorted(known):
            return "two characters swapped in"
    if len(value) == len(known) - 1:
        for i in range(len(known)):
            if known[:i] + known[i + 1 :] == value:
                return "one character short of"
    return None


def comparable_cert(cert: str) -> str:
    """The form in which certification IDs compare: lower case, decorations removed.

    ``'<5D62403B186F2ACE>'`` and ``'5d62403b186f2ace (TAM)'`` both become
    ``'5d62403b186f2ace'``; a value with no 16-digit ID inside is only lower-cased.
    """
    embedded = _EMBEDDED_HEX16.search(cert)
    return embedded.group().lower() if embedded else cert.lower()


def certification_findings(cert: str, domain: str | None) -> list[Finding]:
    """Problems with a non-empty certification authority ID (field 4) of ``domain``."""
    length = len(cert)
    findings: list[Finding] = []
    value = comparable_cert(cert)
    if _HEX16.match(cert):
        pass
    elif _HEX16_ANY_CASE.match(cert):
        findings.append(
            Finding(
                code="ADS221",
                message=f"the certification ID '{cert}' has upper-case letters",
                start=0,
                end=length,
                replacement=value,
                safe=True,
                fix_description=f"write '{value}'",
            )
        )
    else:
        unwrapped = unwrap(cert)
        if unwrapped is not None and not _odd_marks(unwrapped[0]):
            inner, what = unwrapped
            findings.append(
                Finding(
                    code="ADS220",
                    message=f"the certification ID {_shown(cert)} is wrapped in {what}",
                    start=0,
                    end=length,
                    replacement=inner,
                    safe=False,
                    fix_description=f"remove the {what}",
                )
            )
        elif value != cert.lower():
            findings.append(
                Finding(
                    code="ADS220",
                    message=f"the certification ID '{cert}' has extra text around the 16-digit ID",
                    hint=f"did you mean '{value}'? Comments start with '#'",
                    start=0,
                    end=length,
                    replacement=value,
                    safe=False,
                    fix_description=f"keep only '{value}'",
                )
            )
        else:
            findings.append(
                Finding(
                    code="ADS220",
                    message=(
                        f"the certification ID '{cert}' is not in the usual TAG-ID form of "
                        "16 hexadecimal digits"
                    ),
                    start=0,
                    end=length,
                )
            )
    if domain is None:
        return findings
    table = _known.certification_ids()
    if domain not in table.checked:
        return findings
    accepted = table.accepted[domain]
    if value in accepted:
        return findings
    expected = sorted(accepted)
    shown = " or ".join(f"'{e}'" for e in expected)
    hint = None
    replacement = expected[0] if len(expected) == 1 else None
    for known in expected:
        how = _near(value, known)
        if how is not None:
            hint = f"'{cert}' is {how} '{known}'"
            replacement = known
            break
    else:
        owners = [d for d in _owners_by_id().get(value, ()) if d != domain]
        if owners:
            hint = f"'{value}' is the certification ID of {', '.join(sorted(owners)[:3])}"
    evidence = table.evidence[domain]
    if not evidence.strong and (hint is None or " is the certification ID of " in hint):
        replacement = None  # a weakly observed ID is no basis for a rewrite, unless one edit away
    if hint is None:
        hint = f"if {domain} uses '{value}' now, its sellers.json says so (--fetch-sellers)"
    findings.append(
        Finding(
            code="ADS222",
            message=(
                f"'{cert}' is not the certification ID observed for {domain}: "
                f"{shown} in {evidence.files} of the {evidence.files_with_an_id} surveyed files "
                f"that give it one ({evidence.repos} repositories)"
            ),
            hint=hint,
            start=0,
            end=length,
            replacement=replacement,
            safe=False,
            fix_description=f"write '{replacement}'" if replacement else None,
            # Weaker evidence informs; only a consistently observed, widely used ID warns.
            severity=None if evidence.strong else Severity.INFO,
        )
    )
    return findings
