"""A site without ads.txt makes no declarations; it does not say that no seller is allowed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("h11")

from tests.cli import run
from tests.httpserver import LocalServers, closed_port


@pytest.fixture
def site() -> Iterator[LocalServers]:
    with LocalServers() as servers:
        yield servers  # no routes: every URL answers 404


def test_a_404_is_told_as_no_declarations(site: LocalServers) -> None:
    result = run(
        "--domain",
        "example.com",
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{site.http_port}",
        "--timeout",
        "5",
    )
    assert result.returncode == 1, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if " ADS504 " in line]
    assert line.endswith(
        "http://example.com/ads.txt answers 404: there is no file, so the site makes no "
        "ads.txt declarations and no seller is held unauthorized"
    )
    # "declares no sellers" reads as the placeholder record's "nobody is authorized".
    assert "declares no sellers" not in result.stdout
