"""The fetcher's quick reading of the URLs it builds agrees with ``urlsplit`` on every URL
it accepts, and leaves every other URL to ``urlsplit``."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adstxt.fetch._urls import host_of, simple_url

if TYPE_CHECKING:
    from tests.httpserver import LocalServers

_PIECES = st.sampled_from(
    [
        "http",
        "https",
        "HTTP",
        "ftp",
        ":",
        "//",
        "/",
        ".",
        "-",
        "_",
        "~",
        "@",
        "?",
        "#",
        "%20",
        "[::1]",
        ":8080",
        "example",
        "Example",
        "com",
        "xn--bcher-kva",
        "ads.txt",
        "büch",
        " ",
        "\t",
        "\n",
        "0",
    ]
)
_LABELS = st.from_regex(r"[a-z0-9-]{0,6}", fullmatch=True) | st.from_regex(
    r"[a-zA-Z0-9-]{0,6}", fullmatch=True
)
_LIKELY = st.builds(
    "{}://{}{}{}".format,
    st.sampled_from(["http", "https", "HTTP", "ftp"]),
    st.lists(_LABELS, min_size=1, max_size=3).map(".".join),
    st.sampled_from(["", "/", ":", "."]),
    st.text(alphabet="abZ09./-_~", max_size=12) | st.text(alphabet="abZ09./-_~%?#:@ ", max_size=8),
)
_URLS = _LIKELY | st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=40)


def _hostname(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""


@settings(max_examples=500)
@given(_URLS)
def test_the_quick_reading_agrees_with_urlsplit(url: str) -> None:
    assert host_of(url) == _hostname(url)
    quick = simple_url(url)
    if quick is not None:
        parts = urlsplit(url)
        assert quick == (parts.scheme, parts.hostname, parts.path or "/")
        assert parts.port is None and not parts.query and not parts.fragment
        assert parts.username is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/ads.txt", ("https", "example.com", "/ads.txt")),
        ("http://a-b.example.co.uk/app-ads.txt", ("http", "a-b.example.co.uk", "/app-ads.txt")),
        ("http://example.com", ("http", "example.com", "/")),
    ],
)
def test_the_urls_the_fetcher_builds_are_read_quickly(
    url: str, expected: tuple[str, str, str]
) -> None:
    assert simple_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "//example.com/ads.txt",  # no scheme
        "HTTPS://example.com/ads.txt",
        "https://Example.com/ads.txt",
        "https://example.com./ads.txt",
        "https://example.com:8443/ads.txt",
        "https://user@example.com/ads.txt",
        "https://example.com/ads.txt?x=1",
        "https://example.com/ads%20.txt",
        "https://[::1]/ads.txt",
        "https://bücher.de/ads.txt",
        " https://example.com/ads.txt",
        "https://example.com/ads.txt\n",
    ],
)
def test_any_other_url_is_left_to_urlsplit(url: str) -> None:
    assert simple_url(url) is None


def test_a_file_reached_over_http_in_upper_case_is_still_http_only(live: LocalServers) -> None:
    """A redirect may name its target's scheme in upper case (urljoin keeps it): the file
    reached over HTTP still gets the HTTP-only warning."""
    pytest.importorskip("h11")
    from adstxt.fetch import fetch
    from tests.httpserver import GOOD, redirect, text

    live.routes["http://example.com/ads.txt"] = redirect("https://example.com/moved.txt")
    live.routes["https://example.com/moved.txt"] = redirect("HTTP://example.com/ads2.txt")
    live.routes["http://example.com/ads2.txt"] = text(GOOD)
    result = fetch("example.com", **live.options)
    assert result.final_url == "HTTP://example.com/ads2.txt"
    assert "ADS527" in [d.code for d in result.fetch_diagnostics]
