"""Which rules run and how serious each is: the settings a configuration file or flags give."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import attrs

from adstxt.diagnostics import Diagnostic, Severity
from adstxt.rules import RULES

__all__ = ["RENAMED_RULES", "Settings", "expand_selector", "normalize_domain"]

#: Former rule names and the names that replaced them. A configuration file or command line
#: written for an older release keeps working: a selector that uses a former name selects
#: the same rule it always did.
RENAMED_RULES: Mapping[str, str] = {
    "case-variant-duplicate": "near-duplicate-record",  # ADS402
}


def expand_selector(selector: str) -> frozenset[str]:
    """The codes a selector names: a code, a prefix (``ADS2``, ``ADS``, ``ALL``) or a rule name
    (current, or a former one listed in :data:`RENAMED_RULES`).

    Raises ``ValueError`` naming the selector when it matches no rule, so that a typo in a
    configuration file is an error rather than a silently ignored line.
    """
    wanted = selector.strip()
    upper = wanted.upper()
    if upper == "ALL":
        return frozenset(RULES)
    name = RENAMED_RULES.get(wanted.lower(), wanted.lower())
    by_name = [code for code, rule in RULES.items() if rule.name == name]
    if by_name:
        return frozenset(by_name)
    matched = frozenset(code for code in RULES if code.startswith(upper))
    if not upper.startswith("ADS") or not matched:
        raise ValueError(f"{selector!r} is not a rule code, code prefix or rule name")
    return matched


_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]")


def normalize_domain(text: str) -> str:
    """A site's domain as the checks compare it: ``https://Example.COM/`` gives ``example.com``.

    Raises ``ValueError`` saying what was expected when ``text`` is not a host name.
    """
    host = text.strip()
    if "://" in host:
        host = urlsplit(host).hostname or ""
    host = host.split("/", 1)[0].rstrip(".").lower()
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        ascii_host = ""
    if len(ascii_host) > 253 or not _HOST.fullmatch(ascii_host):
        raise ValueError(f"expected a domain name such as 'example.com'; found {text!r}")
    return host


def _expand_all(selectors: Iterable[str]) -> frozenset[str]:
    codes: set[str] = set()
    for selector in selectors:
        codes |= expand_selector(selector)
    return frozenset(codes)


@attrs.frozen
class Settings:
    """How a file is checked: rule selection, severity overrides and context.

    ``select`` replaces the default set (every rule); ``extend_select`` adds to it;
    ``ignore`` and ``extend_ignore`` remove from it. Each entry is a code, a code prefix
    such as ``ADS2`` or a rule name. ``severity`` maps a selector to the severity its rules
    report with.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = attrs.field(factory=dict)
    strict: bool = False
    domain: str | None = None
    unsafe_fixes: bool = False

    def enabled_codes(self) -> frozenset[str]:
        """Every code that is reported under these settings."""
        chosen = frozenset(RULES) if self.select is None else _expand_all(self.select)
        chosen |= _expand_all(self.extend_select)
        return chosen - _expand_all(self.ignore) - _expand_all(self.extend_ignore)

    def with_selection(
        self, select: Iterable[str] | None, extend_select: Iterable[str], ignore: Iterable[str]
    ) -> Settings:
        """These settings with another layer of selection applied on top (later layers win).

        A code that the new layer selects by name is reported even when this layer
        ignores it, as with the command line over a configuration file.
        """
        chosen = self.enabled_codes() if select is None else _expand_all(select)
        chosen = (chosen | _expand_all(extend_select)) - _expand_all(ignore)
        return attrs.evolve(
            self, select=tuple(sorted(chosen)), extend_select=(), ignore=(), extend_ignore=()
        )

    def then(
        self, select: Iterable[str] | None, extend_select: Iterable[str], ignore: Iterable[str]
    ) -> Settings:
        """The former name of :meth:`with_selection`, kept for code that calls it."""
        return self.with_selection(select, extend_select, ignore)

    def severities(self) -> dict[str, Severity]:
        """Code to overridden severity; a longer selector wins over a shorter one."""
        overrides: dict[str, Severity] = {}
        for selector in sorted(self.severity, key=len):
            for code in expand_selector(selector):
                overrides[code] = self.severity[selector]
        return overrides

    def failing_rank(self) -> int:
        """The lowest severity rank that makes the check fail."""
        return Severity.WARNING.rank if self.strict else Severity.ERROR.rank

    def validate(self) -> None:
        """Raise ``ValueError`` if any selector matches no rule."""
        for selectors in (self.select or (), self.extend_select, self.ignore, self.extend_ignore):
            _expand_all(selectors)
        self.severities()

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Keep the enabled diagnostics, with their severity overridden where configured."""
        enabled = self.enabled_codes()
        overrides = self.severities()
        if not overrides:
            return [d for d in diagnostics if d.code in enabled]
        kept = []
        for diagnostic in diagnostics:
            if diagnostic.code not in enabled:
                continue
            severity = overrides.get(diagnostic.code)
            if severity is not None and severity is not diagnostic.severity:
                diagnostic = attrs.evolve(diagnostic, severity=severity)
            kept.append(diagnostic)
        return kept
