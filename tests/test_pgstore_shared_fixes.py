"""Regressions of a shared PostgreSQL crawl and of the store commands: the plan of the
per-domain update, refused options, and output cut short."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import adstxt
from adstxt.store import open_store
from adstxt.store._distributed import enqueue
from tests.cli import adstxt as run
from tests.conftest import ROOT
from tests.httpserver import closed_port
from tests.test_store import day, fetched

_MARK_DONE = (
    "EXPLAIN UPDATE crawl_domains SET done_fetch_id = 1 "
    "WHERE crawl_id = %s AND domain = %s AND done_fetch_id IS NULL"
)


def test_a_large_enqueue_leaves_statistics_that_mark_a_domain_done_by_its_index(
    postgres_url: str,
) -> None:
    domains = [f"site{i}.example" for i in range(30_000)]
    enqueue(postgres_url, "big", "ads.txt", domains, {})
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        row = connection.execute("SELECT store_crawl_id FROM queue_crawls WHERE name = 'big'")
        crawl_id = row.fetchone()
        assert crawl_id is not None
        plan = "\n".join(
            str(line[0])
            for line in connection.execute(_MARK_DONE, (crawl_id[0], "site15000.example"))
        )
        estimate = connection.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'crawl_domains'"
        ).fetchone()
    # Without statistics the planner scans every open domain of the crawl for each one.
    assert "crawl_domains_by_domain" in plan, plan
    assert estimate is not None and estimate[0] >= 29_000


def _two_sellers_versions(where: str) -> None:
    first = {
        "sellers": [
            {"seller_id": "1", "seller_type": "PUBLISHER", "domain": "a.com"},
            {"seller_id": "2", "seller_type": "PUBLISHER", "domain": "b.com"},
        ]
    }
    second = {
        "sellers": [
            {"seller_id": "2", "seller_type": "INTERMEDIARY", "domain": "b.com"},
            {"seller_id": "3", "seller_type": "PUBLISHER", "domain": "c.com"},
        ]
    }
    with open_store(where) as store:
        for day_number, body in ((1, first), (2, second)):
            item = fetched("x.com", json.dumps(body).encode(), day(day_number), kind="sellers.json")
            object.__setattr__(item, "parse_result", adstxt.parse(""))
            store.record(None, [("x.com", [item])])


_SELLER_EVENTS = [
    ("seller-removed", "1", None, "PUBLISHER", None),
    ("seller-added", "3", None, None, "PUBLISHER"),
    ("seller-changed", "2", "seller_type", "PUBLISHER", "INTERMEDIARY"),
]


@pytest.mark.parametrize("versions", [(), ("--from", "1", "--to", "2")])
def test_diff_of_a_sellers_json_lists_its_seller_events(
    store_location: str, versions: tuple[str, ...]
) -> None:
    _two_sellers_versions(store_location)
    args = ["x.com", "--store", store_location, "--kind", "sellers.json", *versions]
    result = run("diff", *args, "--output-format", "json")
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)
    found = [(e["type"], e["seller_id"], e["variable"], e["old"], e["new"]) for e in events]
    assert found == _SELLER_EVENTS
    assert {e["ad_system"] for e in events} == {"x.com"}
    # The same events as the store derived while recording, which `changes` lists.
    listed = run("changes", "--since", "2020-01-01", "--store", store_location)
    listed_json = run(
        "changes", "--since", "2020-01-01", "--store", store_location, "--output-format", "json"
    )
    assert listed.returncode == 0
    stored = [
        (e["type"], e["seller_id"], e["variable"], e["old"], e["new"])
        for e in json.loads(listed_json.stdout)
        if e["to_version"] == 2
    ]
    assert sorted(stored) == sorted(_SELLER_EVENTS)
    text = run("diff", *args)
    assert "no changes" not in text.stdout
    assert "seller" in text.stdout


@pytest.mark.parametrize(
    ("table", "output_format"),
    [("records", "csv"), ("fetches", "json"), ("records", "jsonl")],
)
def test_export_into_a_pipe_closed_early_ends_quietly(
    store_location: str, table: str, output_format: str
) -> None:
    body = "".join(f"ssp{i}.com, pub-{i}, DIRECT\n" for i in range(4000)).encode()
    with open_store(store_location) as store:
        for i in range(3):
            store.record(None, [(f"site{i}.com", [fetched(f"site{i}.com", body, day(1))])])
    command = [sys.executable, "-m", "adstxt", "export", table, "--store", store_location]
    command += ["--output-format", output_format]
    environment = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=environment
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10)  # what `head -c 10` reads, then it goes away
        process.stdout.close()
        stderr = process.stderr.read().decode()
        status = process.wait(timeout=120)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert stderr == ""
    assert status in (0, 1)


def test_the_report_of_a_store_names_its_shared_crawls(postgres_url: str, tmp_path: Path) -> None:
    enqueue(postgres_url, "daily-eu", "ads.txt", ["a.example", "b.example"], {})
    out = tmp_path / "report.html"
    result = run("report", "--store", postgres_url, "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text("utf-8")
    crawls = page[page.index("<h3>Crawls</h3>") :] if "<h3>Crawls</h3>" in page else page
    assert ">Name<" in page
    assert "<td>daily-eu</td>" in crawls


def test_an_ordinary_crawl_into_postgresql_refreshes_the_statistics_of_its_domains(
    postgres_url: str, tmp_path: Path
) -> None:
    psycopg = pytest.importorskip("psycopg")
    domains = tmp_path / "domains.txt"
    domains.write_text("".join(f"site{i}.example\n" for i in range(3)), "utf-8")
    refused = f"::127.0.0.1:{closed_port()}"
    result = run(
        "crawl", "--store", postgres_url, str(domains), "--connect-to", refused,
        "--allow-private-addresses", "--retries", "0", "-o", str(tmp_path / "out.jsonl"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 10
    analyzed = None
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        while analyzed is None and time.monotonic() < deadline:
            row = connection.execute(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'crawl_domains'"
            ).fetchone()
            analyzed = None if row is None else row[0]
            time.sleep(0.2)
    assert analyzed is not None
