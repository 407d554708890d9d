"""``adstxt crawl --mirror DIR`` writes the layout lookups read, from real local servers;
and the worked examples do what the guides say."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli import adstxt as run
from tests.conftest import ROOT
from tests.httpserver import LocalServers, Reply, closed_port, text

SELLERS = json.dumps(
    {
        "version": "1.0",
        "sellers": [
            {
                "seller_id": "1234",
                "seller_type": "PUBLISHER",
                "name": "Example",
                "domain": "example.com",
            },
        ],
    }
).encode()


def _crawl(live: LocalServers, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "adstxt",
            "crawl",
            str(tmp / "domains.txt"),
            "-o",
            str(tmp / "out.jsonl"),
            "--overwrite",
            "--mirror",
            str(tmp / "mirror"),
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--connect-to",
            f":80:127.0.0.1:{live.http_port}",
            "--retries",
            "0",
            "--timeout",
            "3",
            "--processes",
            "1",
            # The mirror alone: a store would skip the re-crawl below as still fresh.
            "--no-store",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_crawl_mirror_feeds_lookups(live: LocalServers, tmp_path: Path) -> None:
    live.routes["*://example.com/ads.txt"] = text(
        b"exchange.com, 1234, DIRECT\nSUBDOMAIN=shop.example.com\n"
    )
    live.routes["*://shop.example.com/ads.txt"] = text(b"shopads.com, 5, DIRECT\n")
    live.routes["*://example.org/ads.txt"] = Reply(401, b"", {})
    live.routes["*://exchange.com/sellers.json"] = text(SELLERS, "application/json")
    (tmp_path / "domains.txt").write_text("example.com\nexample.org\nexample.net\n")
    done = _crawl(live, tmp_path)
    assert done.returncode == 0, done.stderr
    mirror = tmp_path / "mirror"
    assert (mirror / "example.com" / "ads.txt").read_bytes().startswith(b"exchange.com, 1234")
    assert (mirror / "shop.example.com" / "ads.txt").is_file()
    assert (mirror / "exchange.com" / "sellers.json").read_bytes() == SELLERS
    assert not (mirror / "example.org" / "ads.txt").exists()
    status = json.loads((mirror / "example.org" / "ads.txt.fetch.json").read_text())
    assert status["outcome"] == "restricted" and status["status"] == 401
    assert "mirrored 1 sellers.json files" in done.stderr
    verdicts = {}
    for publisher, system, seller in (
        ("example.com", "exchange.com", "1234"),
        ("shop.example.com", "shopads.com", "5"),
        ("example.org", "exchange.com", "1234"),
        ("example.net", "exchange.com", "1234"),
    ):
        answer = run(
            "authorized",
            "--source",
            str(mirror),
            "--output-format",
            "json",
            publisher,
            system,
            seller,
        )
        verdicts[publisher] = json.loads(answer.stdout)["verdict"]
    assert verdicts == {
        "example.com": "authorized-direct",
        "shop.example.com": "authorized-direct",
        "example.org": "restricted",
        "example.net": "no-file",
    }
    chain = run(
        "schain", "--source", str(mirror), "--publisher", "example.com", "1.0,1!exchange.com,1234,1"
    )
    assert chain.returncode == 0, chain.stdout

    # A later failure keeps the last good copy; a 404 removes it.
    live.routes["*://example.com/ads.txt"] = Reply(503, b"", {})
    live.routes.pop("*://shop.example.com/ads.txt")
    (tmp_path / "domains.txt").write_text("example.com\n")
    assert _crawl(live, tmp_path, "--no-mirror-sellers").returncode == 0
    assert (mirror / "example.com" / "ads.txt").is_file()
    answer = run(
        "authorized",
        "--source",
        str(mirror),
        "--output-format",
        "json",
        "example.com",
        "exchange.com",
        "1234",
    )
    data = json.loads(answer.stdout)
    assert data["verdict"] == "authorized-direct" and data["evidence"]["stale"] is True
    live.routes["*://example.com/ads.txt"] = Reply(404, b"", {})
    assert _crawl(live, tmp_path, "--no-mirror-sellers").returncode == 0
    assert not (mirror / "example.com" / "ads.txt").exists()


def test_worked_examples() -> None:
    examples = ROOT / "examples"
    done = subprocess.run(
        [
            sys.executable,
            str(examples / "verify_bid_requests.py"),
            str(examples / "mirror"),
            str(examples / "bid-requests.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[1].strip() for line in lines[:4]] == [
        "valid",
        "incomplete",
        "invalid",
        "invalid",
    ]
    assert lines[-1] == "incomplete 1, invalid 2, valid 1"
    batch = run(
        "authorized",
        "--source",
        str(examples / "mirror"),
        "--batch",
        str(examples / "questions.csv"),
        "--output-format",
        "json",
    )
    assert [json.loads(line)["verdict"] for line in batch.stdout.splitlines()] == [
        "authorized-direct",
        "authorized-reseller",
        "relationship-mismatch",
        "unauthorized",
        "unauthorized",
        "no-file",
    ]
    guide = (ROOT / "docs" / "authorization.md").read_text()
    text_batch = run(
        "authorized", "--source", "examples/mirror", "--batch", "examples/questions.csv"
    )
    for line in text_batch.stdout.splitlines():
        assert line in guide, line


def test_worked_example_says_how_to_run_it() -> None:
    script = ROOT / "examples" / "verify_bid_requests.py"
    for args in ([], [str(ROOT / "examples" / "mirror"), str(ROOT / "missing.jsonl")]):
        done = subprocess.run(
            [sys.executable, str(script), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert ("usage:" in done.stderr) if not args else ("missing.jsonl" in done.stderr)
