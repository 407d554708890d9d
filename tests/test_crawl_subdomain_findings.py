"""adstxt-crawl counts the findings of every file it fetched for a site, SUBDOMAIN files too,
and its summary counts records in good English."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("h11")

from tests.httpserver import GOOD, LocalServers, closed_port, text


def test_a_broken_subdomain_file_shows_in_the_counts(tmp_path: Path) -> None:
    with LocalServers() as servers:
        servers.routes["*://example.com/ads.txt"] = text(GOOD + b"SUBDOMAIN=shop.example.com\n")
        # A soft 404 page where the subdomain's file should be: no records, one ADS004.
        servers.routes["*://shop.example.com/ads.txt"] = text(
            b"<html><body>Not here</body></html>\n"
        )
        (tmp_path / "domains.txt").write_text("example.com\n", encoding="utf-8")
        done = _crawl(servers, tmp_path)
    assert done.returncode == 0, done.stderr
    # One record: "1 record", not "1 records".
    assert re.search(r", 1 record$", done.stdout, re.MULTILINE), done.stdout
    (entry,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert entry["outcome"] == "ok"
    assert entry["records"] == 1
    # The page was read, so it is listed, with its verdict and no records.
    assert entry["files"] == {"http://example.com/ads.txt": 1, "http://shop.example.com/ads.txt": 0}
    assert entry["verdicts"]["http://shop.example.com/ads.txt"] == "not-ads-txt"
    # The site's own file is clean but for HTTP only (ADS527); the subdomain's is a web page.
    assert entry["diagnostics"]["ADS004"] == 1, entry
    assert entry["errors"] >= 1


def _crawl(servers: LocalServers, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "adstxt.crawl",
            str(tmp_path / "domains.txt"),
            "-o",
            str(tmp_path / "out.jsonl"),
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--connect-to",
            f":80:127.0.0.1:{servers.http_port}",
            "--retries",
            "0",
            "--timeout",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
