"""The snapshot reader answers public-suffix questions exactly as tldextract does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from adstxt import _domains
from tests.threads import run_switching_often


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


def test_the_trie_grows_by_top_level_domain_as_hosts_are_asked_about() -> None:
    reader = _domains._SuffixList.from_snapshot(())
    assert reader is not None
    assert reader._root == {}  # nothing is put together before a question
    assert reader("www.example.co.uk") == ("www", "example", "co.uk")
    assert set(reader._root) == {"uk"}
    assert reader("a.b.c.ck") == ("a", "b", "c.ck")  # under a wildcard rule
    assert reader("www.ck") == ("", "www", "ck")  # its exception
    assert reader("example.notasuffix") == ("example", "notasuffix", "")
    assert set(reader._root) == {"uk", "ck"}


def test_threads_asking_at_once_get_the_answers_of_a_whole_trie() -> None:
    import random
    import threading

    public, private = _rules()
    hosts = [h for rule in public + private for h in _hosts(rule)]
    whole = _domains._SuffixList.from_snapshot(())
    assert whole is not None
    expected = {host: whole(host) for host in hosts}
    assert not whole._unbuilt  # every group was asked about: the whole trie
    fresh = _domains._SuffixList.from_snapshot(())
    assert fresh is not None
    differ: list[tuple[str, tuple[str, str, str]]] = []

    def ask(seed: int) -> None:
        order = hosts[:]
        random.Random(seed).shuffle(order)
        differ.extend((host, got) for host in order if (got := fresh(host)) != expected[host])

    run_switching_often([threading.Thread(target=ask, args=(seed,)) for seed in range(6)])
    assert differ == []
    assert fresh._root == whole._root
