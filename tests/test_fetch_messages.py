"""Fetch findings read as one sentence: 'URL: what happened', never 'URL: The ...'."""

from __future__ import annotations

import pytest

pytest.importorskip("h11")

from adstxt.fetch import fetch
from tests.httpserver import GOOD, LocalServers, Reply, closed_port, text


def test_body_limit_messages_continue_the_url() -> None:
    with LocalServers() as servers:
        servers.routes["*://example.com/ads.txt"] = text(GOOD * 4)
        servers.routes["*://example.org/ads.txt"] = Reply(body=GOOD * 4, behaviour="no-length")
        targets = [f":443:127.0.0.1:{closed_port()}", f":80:127.0.0.1:{servers.http_port}"]
        messages = []
        for domain in ("example.com", "example.org"):
            result = fetch(domain, connect_to=targets, max_bytes=20, timeout=10)
            (finding,) = [d for d in result.diagnostics if d.code == "ADS520"]
            messages.append(finding.message)
    assert messages[0] == (
        f"http://example.com/ads.txt: the body is {len(GOOD) * 4} bytes, over the 20-byte limit"
    )
    assert messages[1] == "http://example.org/ads.txt: the body is larger than the 20-byte limit"
