"""``adstxt-crawl``'s options and inputs, run in this process against real local servers:
argument checks, domains from standard input, what is sent and fetched, and a resumed crawl
with a records CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("h11")

from tests.cli import crawl
from tests.httpserver import GOOD, LocalServers, Seen, closed_port, text


@pytest.fixture
def servers() -> Iterator[LocalServers]:
    with LocalServers() as local:
        local.routes["*://one.com/ads.txt"] = text(GOOD + b"SUBDOMAIN=shop.one.com\n")
        local.routes["*://shop.one.com/ads.txt"] = text(b"examplessp.com, 7, RESELLER\n")
        local.routes["*://two.com/ads.txt"] = text(GOOD)
        local.routes["*://three.com/ads.txt"] = text(GOOD)
        yield local


def _options(servers: LocalServers, folder: Path, *extra: str) -> list[str]:
    return [
        "-o",
        str(folder / "out.jsonl"),
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{servers.http_port}",
        "--retries",
        "0",
        "--timeout",
        "5",
        "--processes",
        "1",
        *extra,
    ]


def _entries(path: Path) -> dict[str, dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {entry["domain"]: entry for entry in map(json.loads, lines)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--concurrency", "0"], "--concurrency must be at least 1"),
        (["--timeout", "nan"], "--timeout must be a number of seconds above 0, not nan"),
        (["--connect-timeout", "0"], "--connect-timeout must be a number of seconds above 0"),
        (["--read-timeout", "inf"], "--read-timeout must be a number of seconds above 0"),
        (["--host-delay", "-1"], "--host-delay must be a number of seconds of at least 0"),
        (["--backoff", "-0.5"], "--backoff must be a number of seconds of at least 0"),
        (["--retries", "-1"], "--retries must be at least 0"),
        (["--max-bytes", "0"], "--max-bytes must be at least 1"),
        (["--processes", "0"], "--processes must be at least 1"),
        (["--kind", "sellers.json"], "argument --kind: invalid choice: 'sellers.json'"),
    ],
)
def test_bad_arguments_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "domains.txt").write_text("example.com\n", encoding="utf-8")
    done = crawl("domains.txt", "-o", "out.jsonl", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("usage: adstxt-crawl ")
    assert f"adstxt-crawl: error: {message}" in done.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_unreadable_domains_and_existing_results(tmp_path: Path) -> None:
    missing = crawl("missing.txt", "-o", "out.jsonl", cwd=tmp_path)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == "adstxt-crawl: cannot read missing.txt: No such file or directory\n"
    (tmp_path / "domains.txt").write_text("example.com\n", encoding="utf-8")
    (tmp_path / "out.jsonl").write_text('{"domain": "example.com"}\n', encoding="utf-8")
    held = crawl("domains.txt", "-o", "out.jsonl", cwd=tmp_path)
    assert held.returncode == 2
    assert held.stderr == (
        "adstxt-crawl: out.jsonl already holds results; use --resume to continue that crawl "
        "or --overwrite to start again\n"
    )
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == '{"domain": "example.com"}\n'


def test_domains_from_standard_input_with_comments_and_repeats(
    servers: LocalServers,
    tmp_path: Path,
) -> None:
    listed = b"# partners\none.com\n\nTWO.com  # again below\ntwo.com\n"
    done = crawl("-", *_options(servers, tmp_path), stdin=listed)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    entries = _entries(tmp_path / "out.jsonl")
    # Each once, named by the host fetched for it, as the store keys it.
    assert sorted(entries) == ["one.com", "two.com"]
    one = entries["one.com"]
    assert one["outcome"] == "ok"
    # The SUBDOMAIN file counts as one of the site's files.
    assert one["records"] == 2
    assert one["files"] == {"http://one.com/ads.txt": 1, "http://shop.one.com/ads.txt": 1}
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["outcome", "domains", "share"]
    assert lines[1].split() == ["ok", "2", "100.0%"]
    assert lines[2].split() == ["total", "2"]
    assert lines[3].endswith(" domains/s, 3 records")


def test_user_agent_no_subdomains_and_robots_are_honoured(
    servers: LocalServers,
    tmp_path: Path,
) -> None:
    (tmp_path / "domains.txt").write_text("one.com\n", encoding="utf-8")
    done = crawl(
        str(tmp_path / "domains.txt"),
        *_options(
            servers,
            tmp_path,
            "--user-agent",
            "adstxt-test/1.0",
            "--no-subdomains",
            "--robots",
            "--include-records",
        ),
    )
    assert done.returncode == 0, done.stderr
    seen: list[Seen] = servers.seen
    assert {s.headers.get("user-agent") for s in seen} == {"adstxt-test/1.0"}
    paths = [(s.host, s.path) for s in seen]
    assert ("one.com", "/robots.txt") in paths
    assert not any(host == "shop.one.com" for host, _ in paths)
    entry = _entries(tmp_path / "out.jsonl")["one.com"]
    assert entry["records"] == 1
    assert entry["record_list"] == [
        ["google.com", "pub-1234567890123456", "DIRECT", "f08c47fec0942fa0"]
    ]


def test_resume_keeps_the_rows_of_finished_domains_only(
    servers: LocalServers,
    tmp_path: Path,
) -> None:
    (tmp_path / "domains.txt").write_text("one.com\ntwo.com\nthree.com\n", encoding="utf-8")
    out, rows = tmp_path / "out.jsonl", tmp_path / "records.csv"
    options = _options(servers, tmp_path, "--records-csv", str(rows))
    first = crawl(str(tmp_path / "domains.txt"), *options)
    assert first.returncode == 0, first.stderr
    header = rows.read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "source_domain,file_url,line,domain,account_id,relationship,certification_authority_id,"
        "outcome,verdict"
    )
    # As a killed crawl leaves them: two.com's rows written, its JSON line not, and the last
    # JSON line cut short.
    kept = [
        line
        for line in out.read_text(encoding="utf-8").splitlines()
        if '"two.com"' not in line and '"three.com"' not in line
    ]
    out.write_text("\n".join(kept) + '\n{"domain": "thr', encoding="utf-8")
    assert "two.com" in rows.read_text(encoding="utf-8")
    resumed = crawl(str(tmp_path / "domains.txt"), *options, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.splitlines()[-1].endswith(", 1 already done")
    entries = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(e["domain"] for e in entries) == ["one.com", "three.com", "two.com"]
    with rows.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert sorted(r["source_domain"] for r in table) == [
        "one.com",
        "one.com",
        "three.com",
        "two.com",
    ]  # two.com's rows once, not twice


def test_a_records_csv_that_is_a_folder_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    (tmp_path / "domains.txt").write_text("one.com\n", encoding="utf-8")
    (tmp_path / "rows").mkdir()
    done = crawl("domains.txt", "-o", "out.jsonl", "--records-csv", "rows", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "adstxt-crawl: cannot write rows: it is not a regular file\n"
    assert not (tmp_path / "out.jsonl").exists()
