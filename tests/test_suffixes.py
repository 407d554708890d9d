"""The snapshot reader answers public-suffix questions exactly as tldextract does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from adstxt import _domains


def _rules() -> tuple[list[str], list[str]]:
    """The public and private rules of tldextract's snapshot, as plain text lines."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("tldextract")
    assert spec is not None and spec.submodule_search_locations
    text = (Path(next(iter(spec.submodule_search_locations))) / ".tld_set_snapshot").read_text(
        encoding="utf-8"
    )
    public, _, private = text.partition("// ===BEGIN PRIVATE DOMAINS===")

    def rules(part: str) -> list[str]:
        return [
            line.split()[0]
            for line in part.splitlines()
            if line.strip() and not line.startswith("//")
        ]

    return rules(public), rules(private)


def _hosts(rule: str) -> list[str]:
    """Host names around one rule: the rule itself and names one and two labels under it."""
    base = rule.lstrip("!").replace("*", "wild")
    try:
        base = base.encode("idna").decode("ascii")
    except UnicodeError:
        return []
    return [base, f"example.{base}", f"www.example.{base}"]


def test_reader_is_used() -> None:
    assert isinstance(_domains._suffixes(()), _domains._SuffixList)


@pytest.mark.parametrize("extra", [(), ("example.com", "co.uk")])
def test_every_rule_gets_tldextracts_answer(extra: tuple[str, ...]) -> None:
    reader = _domains._SuffixList.from_snapshot(extra)
    assert reader is not None
    extract = _domains._extractor(extra)
    public, private = _rules()
    assert len(public) > 5000
    hosts = [h for rule in public + private for h in _hosts(rule)]
    hosts += [
        "mgid",
        "google.com",
        "www.google.co.uk",
        "a.b.c.ck",
        "www.ck",
        "example.com",
        "x.example.com",
        "co.uk",
        "blogspot.com",
        "a.blogspot.com",
        "xn--p1ai",
        "test.xn--p1ai",
        "xn--zz-zzz.com",
        "a.xn--zz-zzz",
    ]
    differ = []
    for host in hosts:
        expected = extract(host)
        got = reader(host)
        if got != (expected.subdomain, expected.domain, expected.suffix):
            differ.append((host, got, expected))
    assert differ == []
    assert len(hosts) > 15000


def test_check_does_not_import_tldextract() -> None:
    script = (
        "import sys, adstxt\n"
        "codes = [d.code for d in adstxt.check(b'www.google.com, pub-1234567890123456, "
        "DIRECT, f08c47fec0942fa0\\nexample.notasuffix, 1, DIRECT\\n')]\n"
        "print(codes, 'tldextract' in sys.modules, 'requests' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["['ADS203',", "'ADS202']", "False", "False"]
