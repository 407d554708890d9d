"""Domain checks: host-name syntax, the Public Suffix List, and well-known ad systems.

The Public Suffix List is tldextract's bundled snapshot, the whole list (the private section
too, as the ads.txt spec cites the list without restriction: ``alice.github.io`` is a root
domain), strictly offline: no HTTP, no disk cache. The snapshot is read directly
(:class:`_SuffixList`), so neither ``import adstxt`` nor a check imports tldextract, whose
import alone outweighs a small file's check; tldextract itself is the fallback should the
snapshot not be where it is expected. Every analysis is a
pure function of the text and memoized, because real files repeat a few dozen ad-system
domains thousands of times.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from adstxt import _known, _lookalikes
from adstxt._finding import Finding

if TYPE_CHECKING:
    from tldextract import TLDExtract

__all__ = [
    "DomainAnalysis",
    "analyze_ad_system",
    "analyze_host",
    "psl_version",
]


class DomainAnalysis(NamedTuple):
    """What is known about a domain as written.

    ``normalized`` is the lower-case ASCII form without trailing dot, or ``None`` when the
    text is not a usable domain at all; ``registrable`` is its public suffix plus one label.
    """

    normalized: str | None
    registrable: str | None
    subdomain: str
    findings: tuple[Finding, ...]


_LABEL: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
# Labels as _LABEL has them, joined by dots: a host name with nothing to report.
_HOST_NAME: Final = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z"
)
_HOST_CHARS: Final = re.compile(r"[a-z0-9.-]+\Z")
_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# Characters that end the host part of a pasted URL or annotated domain.
_HOST_END: Final = re.compile(r"[/?#<>()\[\]\s:;|\"'=,]")
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\Z")
# A 16-hex-digit certification ID run into the start of the next record's domain.
_CERT_THEN_DOMAIN: Final = re.compile(r"([0-9a-fA-F]{16})([a-zA-Z][a-zA-Z0-9-]*\.[a-zA-Z0-9.-]+)\Z")

_BAD_CHAR_REASONS: Final = {
    "*": "a wildcard",
    "@": "an '@'",
    "?": "a '?'",
    "<": "a '<'",
    ">": "a '>'",
    "(": "a '('",
    ")": "a ')'",
    "=": "an '='",
    ":": "a ':'",
    "_": "an underscore",
    " ": "a space",
    "\t": "a TAB",
    "/": "a '/'",
}
_BAD_CHAR: Final = re.compile("[" + re.escape("".join(_BAD_CHAR_REASONS)) + "]")


class _SuffixList:
    """Public-suffix answers from tldextract's bundled snapshot, without importing tldextract.

    ``import tldextract`` pulls in ``requests`` and building its extractor parses the whole
    list: together most of the start-up time of a one-file check. This reads the same
    snapshot file (the whole list, private section included, as
    ``include_psl_private_domains=True``) into a trie of labels and follows the same
    matching rules, so every answer is the one tldextract gives; ``tests/test_suffixes.py``
    compares the two on every rule.
    """

    _END: Final = "."  # marks a node that ends a rule; never a label

    def __init__(self, rules: list[str]) -> None:
        self._root: dict[str, Any] = {}
        # The rules by their last label, each group put in the trie when a host under it is
        # first asked about: putting the whole list in took about 9 ms of every start (the
        # grouping takes a third of that), and a run meets few of its 1,400 top-level
        # domains.
        self._unbuilt: dict[str, list[str]] = {}
        for rule in rules:
            self._unbuilt.setdefault(rule.rpartition(".")[2], []).append(rule)

    def _built(self, top: str) -> dict[str, Any] | None:
        """The trie under the last label ``top``, put together now if it was not yet."""
        rules = self._unbuilt.get(top)
        if rules is None:
            return self._root.get(top)
        # Whole before it is in the trie: a thread that meets it half-built would be
        # answered wrongly.
        tree: dict[str, Any] = {}
        for rule in rules:
            node = tree
            for label in reversed(rule.split(".")[:-1]):
                node = node.setdefault(label, {})
            node[self._END] = True
        self._root[top] = tree
        self._unbuilt.pop(top, None)
        return tree

    @classmethod
    def from_snapshot(cls, extra_suffixes: tuple[str, ...]) -> _SuffixList | None:
        """Read tldextract's snapshot, or None when it cannot be found where expected."""
        from importlib.util import find_spec

        try:
            spec = find_spec("tldextract")  # finds the package without importing it
            folders = list(spec.submodule_search_locations or ()) if spec else []
            with open(os.path.join(folders[0], ".tld_set_snapshot"), encoding="utf-8") as f:
                text = f.read()
        except (OSError, IndexError, ImportError, ValueError):
            return None
        # The whole list: the ads.txt spec names the Public Suffix List, not its ICANN part.
        rules = _RULE.findall(text)
        if not rules:
            return None
        return cls([*rules, *extra_suffixes])

    def __call__(self, host: str) -> tuple[str, str, str]:
        """``(subdomain, domain, suffix)`` of a lower-case ASCII host with no empty label."""
        labels = host.split(".")
        count = len(labels)
        node = self._root
        at = found = count
        for label in reversed(labels):
            name = _decode_label(label) if label.startswith("xn--") else label
            child = node.get(name)
            if child is None and at == count and self._unbuilt:  # a last label not built yet
                child = self._built(name)
            if child is not None:
                at -= 1
                node = child
                if self._END in node:
                    found = at
                continue
            if "*" in node:
                found = at if "!" + name in node else at - 1
            break
        if found == count:
            return ".".join(labels[:-1]), labels[-1], ""
        return (
            ".".join(labels[: found - 1]) if found >= 2 else "",
            labels[found - 1] if found > 0 else "",
            ".".join(labels[found:]),
        )


# A rule of the list: optional '.', '*' or '!' marks, a word character, then no whitespace.
_RULE: Final = re.compile(r"^[.*!]*\w\S*", re.MULTILINE)


def _decode_label(label: str) -> str:
    """A punycode label as the list writes it (Unicode), as tldextract compares them."""
    import idna  # tldextract's own dependency; only ever needed for 'xn--' labels

    try:
        return str(idna.decode(label))
    except (UnicodeError, IndexError):
        return label


@functools.cache
def _suffixes(extra_suffixes: tuple[str, ...] = ()) -> Callable[[str], tuple[str, str, str]]:
    """The public-suffix splitter: the snapshot reader, or tldextract itself as a fallback."""
    reader = _SuffixList.from_snapshot(extra_suffixes)
    if reader is not None:
        return reader
    extract = _extractor(extra_suffixes)

    def split(host: str) -> tuple[str, str, str]:
        parts = extract(host)
        return parts.subdomain, parts.domain, parts.suffix

    return split


@functools.cache
def _extractor(extra_suffixes: tuple[str, ...] = ()) -> TLDExtract:
    import tldextract

    return tldextract.TLDExtract(
        cache_dir=None,  # no disk cache: nothing is read from or written to the user's home
        suffix_list_urls=(),  # no HTTP: the bundled snapshot is the only source
        fallback_to_snapshot=True,
        include_psl_private_domains=True,  # the whole list, as the ads.txt spec cites it
        extra_suffixes=extra_suffixes,
    )


def psl_version() -> str | None:
    """The ``VERSION`` line of tldextract's bundled Public Suffix List snapshot, if present."""
    from importlib import resources

    try:
        snapshot = resources.files("tldextract").joinpath(".tld_set_snapshot")
        head = snapshot.read_text(encoding="utf-8")[:4096]
    except (OSError, ModuleNotFoundError):
        return None
    match = re.search(r"//\s*VERSION:\s*(\S+)", head)
    return match.group(1) if match else None


def _host_candidate(text: str) -> str | None:
    """The host inside a URL or an annotated domain, if one can be read off unambiguously."""
    rest = text
    match = _SCHEME.match(rest)
    if match:
        rest = rest[match.end() :]
    elif rest.startswith("//"):
        rest = rest[2:]
    if "@" in rest.split("/", 1)[0]:
        return None  # user information or an e-mail address: no single obvious host
    host = _HOST_END.split(rest, 1)[0].rstrip(".").lower()
    if host and _HOST_CHARS.match(host) and "." in host:
        return host
    return None


def _is_ip(text: str) -> bool:
    """Whether ``text`` is an IP address (here only IPv4 can occur: ':' was refused before)."""
    if text.strip("0123456789.:abcdef"):
        return False  # no address has other characters: skip importing ipaddress
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _syntax_problem(lower: str) -> str | None:
    """Why ``lower`` (ASCII, lower case, no trailing dot) is not a host name, or None."""
    if len(lower) > 253:
        return f"is {len(lower)} characters long; a domain has at most 253"
    if _HOST_NAME.match(lower):
        return None  # one regex for the usual case; the loop below says what is wrong
    for label in lower.split("."):
        if not label:
            return "has an empty label (two dots in a row, or a leading dot)"
        if len(label) > 63:
            return f"has a label of {len(label)} characters; labels have at most 63"
        if not _LABEL.match(label):
            if label.startswith("-") or label.endswith("-"):
                return f"has the label '{label}', which starts or ends with a hyphen"
            return f"has the label '{label}' with characters other than letters, digits, '-'"
    return None


@functools.lru_cache(maxsize=16384)
def analyze_host(text: str, extra_suffixes: tuple[str, ...] = ()) -> DomainAnalysis:
    """Check that ``text`` (already stripped, non-empty) is a domain name.

    Codes in the findings are the ad-system ones (ADS201, ADS202, ADS204, ADS207); callers
    checking a variable value map them to their own.
    """
    # The usual case, a plain lower-case host name (not a dotted number, which is an IP
    # address or has a numeric top label): nothing to report but what the suffix list says.
    # Every later check agrees with this, so one regex spares the rest of them.
    if len(text) <= 253 and _HOST_NAME.match(text) and not text[text.rfind(".") + 1 :].isdigit():
        subdomain, registered, suffix = _suffixes(extra_suffixes)(text)
        if suffix and registered:
            return DomainAnalysis(
                normalized=text,
                registrable=f"{registered}.{suffix}",
                subdomain=subdomain,
                findings=(),
            )
    return _analyze_host(text, extra_suffixes)


def _analyze_host(text: str, extra_suffixes: tuple[str, ...]) -> DomainAnalysis:
    """:func:`analyze_host` for any text: every check in turn, each saying what is wrong."""
    findings: list[Finding] = []
    length = len(text)
    work = text
    if not text.isascii():
        try:
            work = text.encode("idna").decode("ascii")
        except UnicodeError:
            return DomainAnalysis(
                normalized=None,
                registrable=None,
                subdomain="",
                findings=(
                    Finding(
                        code="ADS201",
                        message=f"'{text}' is not a valid domain name",
                        hint="non-ASCII characters that cannot be written as punycode",
                        start=0,
                        end=length,
                    ),
                ),
            )
        findings.append(
            Finding(
                code="ADS207",
                message=f"the domain '{text}' has non-ASCII letters; write it as '{work}'",
                start=0,
                end=length,
                replacement=work,
                safe=False,
                fix_description="write the domain in punycode",
            )
        )
    found_bad = _BAD_CHAR.search(work)  # the first one, as the message names it
    bad = found_bad.group() if found_bad is not None else None
    if bad is not None or _SCHEME.match(work):
        host = _host_candidate(work)
        looks_url = bool(_SCHEME.match(work)) or work.startswith("//") or "/" in work
        if _EMAIL.match(work):
            message = f"'{text}' looks like an e-mail address, not a domain"
        elif looks_url:
            message = f"'{text}' is a URL; expected a bare domain such as 'example.com'"
        else:
            reason = _BAD_CHAR_REASONS[bad or "/"]
            message = f"'{text}' is not a valid domain name: it contains {reason}"
        if host is not None and _syntax_problem(host) is None:
            # Scheme, host, a default port and a bare slash carry nothing but the host.
            plain = re.fullmatch(
                r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://)?[^/?#@:]+(?::(?:80|443))?/?", work
            )
            safe = bool(looks_url and plain)
            return DomainAnalysis(
                normalized=None,
                registrable=None,
                subdomain="",
                findings=(
                    Finding(
                        code="ADS201",
                        message=message,
                        hint=f"did you mean '{host}'?",
                        start=0,
                        end=length,
                        replacement=host,
                        safe=safe,
                        fix_description=f"keep only the domain '{host}'",
                    ),
                ),
            )
        return DomainAnalysis(
            normalized=None,
            registrable=None,
            subdomain="",
            findings=(Finding(code="ADS201", message=message, start=0, end=length),),
        )
    lower = work.lower()
    trailing_dot = lower.endswith(".") and not lower.endswith("..")
    if trailing_dot:
        lower = lower[:-1]
    if _is_ip(lower.strip("[]")):
        return DomainAnalysis(
            normalized=None,
            registrable=None,
            subdomain="",
            findings=(
                Finding(
                    code="ADS201",
                    message=f"'{text}' is an IP address; expected a domain name",
                    start=0,
                    end=length,
                ),
            ),
        )
    problem = _syntax_problem(lower)
    if problem is not None:
        return DomainAnalysis(
            normalized=None,
            registrable=None,
            subdomain="",
            findings=(
                Finding(
                    code="ADS201",
                    message=f"'{text}' is not a valid domain name: it {problem}",
                    start=0,
                    end=length,
                ),
            ),
        )
    if lower.rsplit(".", 1)[-1].isdigit():
        return DomainAnalysis(
            normalized=None,
            registrable=None,
            subdomain="",
            findings=(
                Finding(
                    code="ADS201",
                    message=f"'{text}' is not a valid domain name: its last label is a number",
                    start=0,
                    end=length,
                ),
            ),
        )
    subdomain, registered, suffix = _suffixes(extra_suffixes)(lower)
    if not suffix or not registered:
        if not suffix:
            message = f"'{text}' does not end in a known public suffix such as '.com'"
        else:
            message = f"'{text}' is itself a public suffix, not a domain under one"
        hint = None
        if "." not in lower:
            guess = lower + ".com"
            if _known.ad_systems().is_known(guess):
                hint = f"did you mean '{guess}'?"
        found = Finding(code="ADS202", message=message, hint=hint, start=0, end=length)
        return DomainAnalysis(
            normalized=None, registrable=None, subdomain="", findings=(*findings, found)
        )
    if work != lower:
        what = []
        if work.rstrip(".") != lower:
            what.append("upper-case letters")
        if trailing_dot:
            what.append("a trailing dot")
        if findings:
            pass  # the punycode fix already rewrites the whole domain
        else:
            findings.append(
                Finding(
                    code="ADS204",
                    message=f"the domain '{text}' has {' and '.join(what)}; write it as '{lower}'",
                    start=0,
                    end=length,
                    replacement=lower,
                    safe=True,
                    fix_description=f"write the domain as '{lower}'",
                )
            )
    registrable = f"{registered}.{suffix}"
    return DomainAnalysis(
        normalized=lower, registrable=registrable, subdomain=subdomain, findings=tuple(findings)
    )


@functools.lru_cache(maxsize=16384)
def _lookalike_of_unusable(text: str, base: DomainAnalysis) -> DomainAnalysis:
    lowered = text.lower().rstrip(".")
    spoof = _lookalikes.imitation(lowered, text)
    if spoof is None or spoof.target == lowered:
        return base
    foreign = not text.isascii()
    finding = Finding(
        code="ADS208" if foreign else "ADS206",
        message=f"'{text}' "
        + ("imitates" if foreign else "looks like")
        + f" the ad system '{spoof.target}': it uses "
        + ", ".join(spoof.tricks),
        hint=f"buyers never match it with '{spoof.target}'; find out who added this line"
        if foreign
        else f"did you mean '{spoof.target}'?",
        start=0,
        end=len(text),
        replacement=None if foreign else spoof.target,
        safe=False,
        fix_description=None if foreign else f"use '{spoof.target}'",
    )
    # Punycode advice (ADS207) would complete the disguise: it gives way, as above.
    kept = tuple(f for f in base.findings if f.code != "ADS207")
    return base._replace(findings=(*kept, finding))


def analyze_ad_system(text: str, extra_suffixes: tuple[str, ...] = ()) -> DomainAnalysis:
    """:func:`analyze_host` plus the checks against well-known ad systems (field 1).

    The checker asks :func:`adstxt._engine_domains.analyze_ad_system`, which answers the
    usual field 1 by a quick path and asks this for the rest.
    """
    return _analyze_ad_system(text, extra_suffixes)


def _analyze_ad_system(text: str, extra_suffixes: tuple[str, ...]) -> DomainAnalysis:
    """:func:`analyze_ad_system` by every check in turn."""
    glued = _CERT_THEN_DOMAIN.match(text)
    if glued:
        return DomainAnalysis(
            normalized=None,
            registrable=None,
            subdomain="",
            findings=(
                Finding(
                    code="ADS107",
                    message=(
                        f"the domain starts with '{glued.group(1)}', a certification ID that "
                        "belongs to the record on the line before"
                    ),
                    hint=(
                        "the line break was put inside the previous record; the domain is "
                        f"probably '{glued.group(2)}'"
                    ),
                    start=0,
                    end=len(text),
                ),
            ),
        )
    base = analyze_host(text, extra_suffixes)
    domain = base.normalized
    if domain is None:
        # Not a usable domain, perhaps because a look-alike hides in its suffix
        # ('openx.co\u043c', 'google.corn'): say so rather than only "unknown suffix".
        return _lookalike_of_unusable(text, base)
    systems = _known.ad_systems()
    length = len(text)
    extra: Finding | None = None
    if systems.is_known(domain):
        return base
    spoof = _lookalikes.imitation(domain, text)
    if spoof is not None and (not text.isascii() or "xn--" in domain):
        # Written with characters from other scripts, or as punycode that displays so: a
        # reviewer reads the well-known name. Converting it to punycode (ADS207's advice)
        # would be the wrong fix, so that finding gives way to this one.
        shown = text if not text.isascii() else _lookalikes.unicode_form(domain)
        kept = tuple(f for f in base.findings if f.code != "ADS207")
        imitated = Finding(
            code="ADS208",
            message=f"'{text}' imitates the ad system '{spoof.target}'"
            + (f" (it displays as '{shown}')" if shown != text else "")
            + ": it uses "
            + ", ".join(spoof.tricks),
            hint=f"buyers never match it with '{spoof.target}'; find out who added this line",
            start=0,
            end=length,
        )
        return base._replace(findings=(*kept, imitated))
    if spoof is not None:
        extra = Finding(
            code="ADS206",
            message=f"'{domain}' looks like the ad system '{spoof.target}': it uses "
            + ", ".join(spoof.tricks),
            hint=(
                f"did you mean '{spoof.target}'? If '{domain}' is a different ad system, "
                "ignore this"
            ),
            start=0,
            end=length,
            replacement=spoof.target,
            safe=False,
            fix_description=f"use '{spoof.target}'",
        )
    elif domain in systems.aliases:
        target = systems.aliases[domain]
        extra = Finding(
            code="ADS205",
            message=f"'{domain}' is an alias of the ad system '{target}'; buyers match '{target}'",
            start=0,
            end=length,
            replacement=target,
            safe=False,
            fix_description=f"use '{target}'",
        )
    elif domain in systems.misspellings:
        target = systems.misspellings[domain]
        extra = Finding(
            code="ADS206",
            message=f"'{domain}' looks like a misspelling of the ad system '{target}'",
            hint=f"did you mean '{target}'?",
            start=0,
            end=length,
            replacement=target,
            safe=False,
            fix_description=f"use '{target}'",
        )
    elif base.subdomain and (
        base.subdomain == "www"
        or base.subdomain.startswith("www.")
        or systems.is_known(base.registrable or "")
    ):
        target = base.registrable or domain
        if base.subdomain.startswith("www.") and not systems.is_known(target):
            target = domain[4:]
        extra = Finding(
            code="ADS203",
            message=(
                f"'{domain}' is a subdomain; ad systems are listed by their own domain, "
                f"such as '{target}'"
            ),
            hint=f"did you mean '{target}'?",
            start=0,
            end=length,
            replacement=target,
            safe=False,
            fix_description=f"use '{target}'",
        )
    else:
        near = systems.near_miss(domain)
        if near is not None:
            extra = Finding(
                code="ADS206",
                message=f"'{domain}' is one typo away from the well-known ad system '{near}'",
                hint=f"did you mean '{near}'? If '{domain}' is a different ad system, ignore this",
                start=0,
                end=length,
                replacement=near,
                safe=False,
                fix_description=f"use '{near}'",
            )
    if extra is None:
        return base
    return base._replace(findings=(*base.findings, extra))
