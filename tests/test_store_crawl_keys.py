"""A crawl into the store keys each file by the host it fetched, never by how the domains
file spelled it, and refuses outputs that would overwrite the store: end to end against
loopback sites, with real store files."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("h11")

from tests.cli import adstxt, crawl
from tests.httpserver import GOOD, LocalServers, etagged


@pytest.fixture
def servers() -> Iterator[LocalServers]:
    with LocalServers() as running:
        running.routes["*://f-pub.com/ads.txt"] = etagged(GOOD)
        yield running


def _options(servers: LocalServers) -> list[str]:
    return [*servers.crawl_options(), "--refresh"]


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_every_spelling_of_a_domain_is_one_file_with_one_history(
    servers: LocalServers, tmp_path: Path
) -> None:
    (tmp_path / "d.txt").write_text("f-pub.com\nhttps://f-pub.com/\n", encoding="utf-8")
    first = crawl("d.txt", "--store", "s.sqlite", "-o", "o.jsonl", *_options(servers), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "line 2: https://f-pub.com/ is the file of line 1 (f-pub.com): crawled once" in (
        first.stderr
    )
    (tmp_path / "d2.txt").write_text("WWW.F-Pub.com\nf-pub.com.\n", encoding="utf-8")
    second = crawl(
        "d2.txt", "--store", "s.sqlite", "-o", "o2.jsonl", *_options(servers), cwd=tmp_path
    )
    assert second.returncode == 0, second.stderr
    assert "line 2: f-pub.com. is the file of line 1 (f-pub.com)" in second.stderr
    for output in ("o.jsonl", "o2.jsonl"):
        lines = (tmp_path / output).read_text(encoding="utf-8").splitlines()
        assert [json.loads(line)["domain"] for line in lines] == ["f-pub.com"]
    store = tmp_path / "s.sqlite"
    assert _query(store, "SELECT DISTINCT domain FROM fetches") == [("f-pub.com",)]
    assert _query(store, "SELECT DISTINCT domain FROM crawl_domains") == [("f-pub.com",)]
    assert _query(store, "SELECT COUNT(*) FROM versions") == [(1,)]
    events = json.loads(
        adstxt(
            "changes",
            "--since",
            "2000-01-01",
            "--store",
            "s.sqlite",
            "--output-format",
            "json",
            cwd=tmp_path,
        ).stdout
    )
    assert [e["type"] for e in events].count("file-appeared") == 1
    # The readers take any spelling of it too.
    for spelling in ("https://F-PUB.com/", "f-pub.com."):
        shown = adstxt("history", spelling, "--store", "s.sqlite", cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        assert "f-pub.com ads.txt: version 1" in shown.stdout


@pytest.mark.parametrize(
    ("flag", "name"),
    [
        ("-o", "s.sqlite"),
        ("--records-csv", "s.sqlite"),
        ("--records-csv", "s.sqlite-wal"),
        ("--mirror", "s.sqlite"),
        ("-o", "link.sqlite"),
    ],
)
def test_a_crawl_refuses_an_output_that_is_the_store(
    servers: LocalServers, tmp_path: Path, flag: str, name: str
) -> None:
    (tmp_path / "d.txt").write_text("f-pub.com\n", encoding="utf-8")
    made = crawl("d.txt", "--store", "s.sqlite", "-o", "o.jsonl", *_options(servers), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    (tmp_path / "link.sqlite").symlink_to(tmp_path / "s.sqlite")
    before = (tmp_path / "s.sqlite").read_bytes()
    extra = [] if flag == "-o" else ["-o", "o.jsonl"]
    done = crawl(
        "d.txt",
        "--store",
        "s.sqlite",
        flag,
        name,
        *extra,
        "--overwrite",
        *_options(servers),
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert (
        done.stderr
        == f"adstxt-crawl: {flag} {name} is the store s.sqlite itself; name another file\n"
    )
    assert (tmp_path / "s.sqlite").read_bytes() == before
