"""The quick paths of the domain checks give exactly the answers of the thorough ones.

A file whose ad-system domains are all distinct analyses every one of them, so the usual
case takes shortcuts: one regex for a plain host name, a prefilter before the one-typo
search, ``str.replace`` for the ASCII look-alikes. Each is compared here with the plain
algorithm on inputs built to reach every branch. (Their speed is measured by
``benchmarks/run.py``, "distinct ad systems", not here.)
"""

from __future__ import annotations

import random
import unicodedata

import pytest

import adstxt
from adstxt import _domains, _engine_domains, _known, _lookalikes


def _near_miss_by_search(systems: _known.AdSystems, domain: str) -> str | None:
    """One edit away by trying every deletion, with no prefilter."""
    if len(domain) < 6 or systems.is_known(domain):
        return None
    hit = systems.deletions.get(domain)
    if hit is not None:
        return hit
    for i in range(len(domain)):
        shorter = domain[:i] + domain[i + 1 :]
        if shorter in systems.canonical:
            return shorter
        hit = systems.deletions.get(shorter)
        if hit is not None and hit != domain:
            return hit
    return None


def _edits(name: str) -> set[str]:
    """Names one deletion, insertion, substitution, swap or moved character from ``name``."""
    out = set()
    letters = "a0x-."
    for i in range(len(name) + 1):
        for c in letters:
            out.add(name[:i] + c + name[i:])
        if i < len(name):
            out.add(name[:i] + name[i + 1 :])
            for c in letters:
                out.add(name[:i] + c + name[i + 1 :])
            rest = name[:i] + name[i + 1 :]
            for j in range(len(rest) + 1):  # move character i to position j
                out.add(rest[:j] + name[i] + rest[j:])
        if i + 1 < len(name):
            out.add(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
    return out


def test_near_miss_prefilter_never_changes_the_answer() -> None:
    systems = _known.ad_systems()
    names = sorted(systems.canonical | systems.families.keys())
    rng = random.Random(7)
    domains: set[str] = set()
    for name in names[::6]:
        domains |= _edits(name)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-."
    domains |= {"".join(rng.choices(alphabet, k=rng.randrange(4, 20))) for _ in range(20_000)}
    domains |= {f"ex{i}-ads.com" for i in range(2_000)}
    differ = [
        d for d in sorted(domains) if systems.near_miss(d) != _near_miss_by_search(systems, d)
    ]
    assert differ == []
    # The inputs do reach the search: many of them are one typo from an ad system.
    assert sum(_near_miss_by_search(systems, d) is not None for d in domains) > 5_000


def _skeleton_by_character(text: str) -> str:
    singles, sequences = _lookalikes._table()
    out = "".join(singles.get(c, c) for c in unicodedata.normalize("NFKC", text).lower())
    for seen, like in sequences.items():
        out = out.replace(seen, like)
    return out


def test_skeleton_shortcut_for_ascii_matches_the_full_mapping() -> None:
    singles, _ = _lookalikes._table()
    samples = [
        "g00gle.com",
        "rnicrosoft.com",
        "GOOGLE.COM",
        "app1exus.com",
        "0penx.com",
        "ex1-ads.com",
        "pubmatic.com",
        "",
        "rnrn01",
        "Ａppnexus.com",
        "gооgle.com",
        "".join(sorted(singles)),
        *sorted(singles),
    ]
    for text in samples:
        assert _lookalikes.skeleton(text) == _skeleton_by_character(text), text


@pytest.mark.parametrize(
    "text",
    [
        "google.com",
        "www.google.com",
        "ads.example.co.uk",
        "x.blogspot.com",
        "blogspot.com",
        "k-ov.github.io",
        "github.io",
        "com",
        "appnexus",
        "example.notasuffix",
        "1.2.3.4",
        "example.123",
        "a" * 64 + ".com",
        "-bad.com",
        "bad-.com",
        "a..com",
        ".a.com",
        "a" * 250 + ".com",
        "Google.com",
        "google.com.",
        "xn--80ak6aa92e.com",
        "xn--p1ai",
        "test.xn--p1ai",
        "a_b.com",
        "openx.co",
        "example.com",
        "0.com",
        "ex1-ads.com",
        "a.b.c.d.e.f.example.com",
        "9gag.com",
        "123.com",
    ],
)
def test_plain_host_shortcut_matches_every_check(text: str) -> None:
    for extra in ((), ("notasuffix",)):
        assert _domains.analyze_host.__wrapped__(text, extra) == _domains._analyze_host(text, extra)


def test_distinct_domains_are_checked_like_repeated_ones() -> None:
    # Past the engine's memo of analysed domains (4096), each domain is analysed afresh.
    lines = [f"ex{i}-ads.com, {i + 1}, DIRECT\n" for i in range(6_000)]
    lines[5_000] = "g00gle.com, 1, DIRECT\n"
    lines[5_001] = "x.blogspot.com, 2, DIRECT\n"
    lines[5_002] = "blogspot.com, 3, DIRECT\n"
    found = [(d.code, d.line) for d in adstxt.check("".join(lines))]
    assert found == [("ADS206", 5_001), ("ADS202", 5_003)]


@pytest.mark.parametrize(
    "first",
    [
        "ex1-ads.com, 1, DIRECT",
        "ex1-ads.com, 1, DIRECT # a comment",
        " ex1-ads.com, 1, DIRECT",
        "ex1-ads.com, 1, RESELLER, abc123",
        "Ex1-Ads.com, 1, DIRECT",
        "g00gle.com, 1, DIRECT",
    ],
)
@pytest.mark.parametrize(
    "later",
    [
        "ex1-ads.com, 2, direct",
        "ex1-ads.com, 3, DIRECT, abc123; x=y",
        "ex1-ads.com, , DIRECT",
        "g00gle.com, 4, direct",
        "Ex1-Ads.com, 5, Reseller",
    ],
)
def test_a_domain_met_on_a_plain_line_is_checked_alike_on_a_careful_one(
    first: str, later: str
) -> None:
    # The analysis of a field 1 first met on a plain record line is kept with that line's
    # shape, and a later line the careful path takes must get the same findings from it.
    def found(text: str, shift: int = 0) -> list[tuple[str, int, int, str]]:
        return [(d.code, d.line + shift, d.column, d.message) for d in adstxt.check(text)]

    together = found(f"{first}\n{later}\n")
    apart = found(f"{first}\n") + found(f"{later}\n", shift=1)
    assert sorted(together) == sorted(apart)


def _ad_system_candidates() -> set[str]:
    """Field-1 texts around every branch of the ad-system checks."""
    systems = _known.ad_systems()
    texts = {f"ex{i}-ads.com" for i in range(3_000)}
    named = [*systems.canonical, *systems.aliases, *systems.misspellings, *systems.families]
    for name in named:
        texts |= {
            name,
            name.replace("m", "rn"),
            name.replace("o", "0"),
            name.replace("l", "1"),
            "x" + name,
            name[1:],
            "www." + name,
            name.upper(),
            name + ".",
        }
    texts |= set(list(systems.deletions)[::3])
    texts |= {
        "blogspot.com",
        "x.blogspot.com",
        "co.uk",
        "example.co.uk",
        "github.io",
        "a.github.io",
        "xn--80ak6aa92e.com",
        "com",
        "1.2.3.4",
        "a.b.c.d.com",
        "f08c47fec0942fa0openx.com",
        "0123456789abcdefxample.com",
        "foo.ck",
        "www.ck",
        "x.kawasaki.jp",
        "city.kawasaki.jp",
        "placeholder.example.com",
        "a-.com",
        "-a.com",
        "a..com",
        "123.com",
        "a.123",
        "a.\u0440\u0444",
        "ab.com",
        "a" * 64 + ".com",
        "a" * 250 + ".com",
        "a_b.com",
    }
    return texts


def test_plain_ad_system_shortcut_matches_every_check() -> None:
    plain = _engine_domains.plain_ad_systems()
    assert plain is not None
    quick = plain.analyze
    answered = 0
    for text in sorted(_ad_system_candidates()):
        thorough = _domains._analyze_ad_system(text, ())
        found = quick(text)
        if found is not None:
            answered += 1
            assert (found, type(found)) == (thorough, type(thorough)), text
        assert _engine_domains.analyze_ad_system(text) == thorough, text
    # The shortcut does answer, and leaves to the thorough checks what has findings.
    assert answered > 3_000
