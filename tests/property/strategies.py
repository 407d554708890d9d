"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import adstxt
from adstxt import Record, Relationship, Variable

SETTINGS = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])

_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
domains = st.builds(
    lambda labels, suffix: ".".join([*labels, suffix]),
    st.lists(_LABEL, min_size=1, max_size=3),
    st.sampled_from(["com", "net", "co.uk", "tv", "io", "de"]),
).filter(
    # The private section of the Public Suffix List makes names such as de.com or us.com
    # suffixes themselves, never an ad system's domain.
    lambda domain: adstxt.check(f"{domain}, 1, DIRECT\n") == ()
)
accounts = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True).filter(
    # a relationship word is a swapped field, and an all-zero ID a placeholder
    lambda a: (
        a.upper() not in ("DIRECT", "RESELLER") and re.fullmatch(r"(?i)(pub-)?[0._-]*", a) is None
    )
)
cert_ids = st.one_of(st.none(), st.from_regex(r"[0-9a-f]{16}", fullmatch=True))
extensions = st.one_of(
    st.none(), st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9=:_ ./-]{0,20}[A-Za-z0-9])?", fullmatch=True)
)
records = st.builds(
    Record, domains, accounts, st.sampled_from(list(Relationship)), cert_ids, extensions
)
registrable_domains = st.builds(
    lambda label, suffix: f"{label}.{suffix}", _LABEL, st.sampled_from(["com", "net", "co.uk"])
).filter(lambda domain: adstxt.check(f"{domain}, 1, DIRECT\n") == ())
variables = st.one_of(
    st.builds(
        Variable, st.just("CONTACT"), st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.com", fullmatch=True)
    ),
    st.builds(
        Variable, st.sampled_from(["OWNERDOMAIN", "INVENTORYPARTNERDOMAIN"]), registrable_domains
    ),
)

#: Text that looks a lot like ads.txt: fields, separators, comments and odd characters.
_PIECES = st.sampled_from(
    [
        "google.com",
        "appnexus.com",
        "pub-1234567890123456",
        "1234",
        "DIRECT",
        "reseller",
        "f08c47fec0942fa0",
        ",",
        ", ",
        ";",
        "#",
        "=",
        "CONTACT",
        "OWNERDOMAIN",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\u00a0",
        "\u200b",
        "\u202e",
        "\uff0c",
        "\x00",
        "\x1b[31m",
        "https://",
        "/",
        "placeholder.example.com",
        "placeholder",
        "\ufeff",
        "é",
        "\ud800",
    ]
)
adstxt_like_text = st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60).map("".join)


def lines_of(result: adstxt.ParseResult) -> dict[int, str]:
    """Line number to line text for a parse result."""
    return {number: text for number, text, _ in result.lines()}
