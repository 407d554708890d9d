"""Spoofed ad systems: look-alike domains are reported with the domain they imitate."""

from __future__ import annotations

import pytest

import adstxt
from adstxt._lookalikes import skeleton

CYRILLIC_O = "\u043e"
GREEK_OMICRON = "\u03bf"


def _findings(line: str) -> list[tuple[str, int, str]]:
    return [(d.code, d.column, d.message) for d in adstxt.check(line + "\n")]


@pytest.mark.parametrize(
    ("domain", "target", "trick"),
    [
        (f"g{CYRILLIC_O}ogle.com", "google.com", "U+043E CYRILLIC SMALL LETTER O for 'o'"),
        (f"g{GREEK_OMICRON}{GREEK_OMICRON}gle.com", "google.com", "GREEK SMALL LETTER OMICRON"),
        ("\u0430ppnexus.com", "appnexus.com", "U+0430 CYRILLIC SMALL LETTER A for 'a'"),
        ("pubm\u0430tic.com", "pubmatic.com", "CYRILLIC SMALL LETTER A"),
        ("xn--ggle-0nda.com", "google.com", "(it displays as 'g\u03bf\u03bfgle.com')"),
        (f"openx.c{CYRILLIC_O}m", "openx.com", "U+043E CYRILLIC SMALL LETTER O for 'o'"),
    ],
)
def test_other_scripts_and_punycode_are_errors_naming_the_imitated_domain(
    domain: str, target: str, trick: str
) -> None:
    found = _findings(f"{domain}, 1, DIRECT")
    ((code, column, message),) = [f for f in found if f[0] not in ("ADS217", "ADS202")]
    assert code == "ADS208"
    assert column == 1
    assert f"imitates the ad system '{target}'" in message
    assert trick in message
    assert adstxt.RULES[code].severity is adstxt.Severity.ERROR


@pytest.mark.parametrize(
    ("domain", "target", "how"),
    [
        ("rnagnite.com", "magnite.com", "'rn' for 'm'"),
        ("pubrnatic.com", "pubmatic.com", "'rn' for 'm'"),
        ("g00gle.com", "google.com", "'0' for 'o'"),
        ("goog1e.com", "google.com", "'1' for 'l'"),
        ("gogle.com", "google.com", "one typo away"),
        ("gooogle.com", "google.com", "one typo away"),
        ("rubiconprojects.com", "rubiconproject.com", "one typo away"),
        ("google.corn", "google.com", "'rn' for 'm'"),
    ],
)
def test_ascii_look_alikes_and_typos_are_warnings_naming_the_domain(
    domain: str, target: str, how: str
) -> None:
    found = [f for f in _findings(f"{domain}, 1, DIRECT") if f[0] not in ("ADS217", "ADS202")]
    assert [code for code, _, _ in found] == ["ADS206"]
    assert f"'{target}'" in found[0][2] and how in found[0][2]


@pytest.mark.parametrize(
    "line",
    [
        "google.com, pub-1234567890123456, DIRECT",
        "magnite.com, 1, DIRECT",
        "sovrn.com, 1, DIRECT",
        "33across.com, 1, DIRECT",
        "examplessp.com, 1, DIRECT",
    ],
)
def test_genuine_domains_are_not_look_alikes(line: str) -> None:
    assert not any(code in ("ADS206", "ADS208") for code, _, _ in _findings(line))


def test_an_ordinary_internationalized_domain_is_not_a_spoof() -> None:
    assert [code for code, _, _ in _findings("b\u00fccher.de, 1, DIRECT")] == ["ADS207"]


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("goo\u200bgle.com, pub-1234567890123456, DIRECT", 4),
        ("google.com, pub-1234567890123456, \u202eTCERID", 35),
        ("google.com, pub-12345678901\u2066234567, DIRECT", 28),
    ],
)
def test_invisible_and_bidi_characters_are_errors_at_their_position(line: str, column: int) -> None:
    found = adstxt.check(line + "\n")
    invisible = [d for d in found if d.code == "ADS008"]
    assert invisible and invisible[0].column == column
    assert invisible[0].severity is adstxt.Severity.ERROR


def test_skeleton_folds_look_alikes_onto_plain_letters() -> None:
    assert skeleton(f"G{CYRILLIC_O}OGLE.com") == "google.com"
    assert skeleton("rnagnite.com") == "magnite.com"
    assert skeleton("\uff47oogle.com") == "google.com"
