"""Regressions of a shared PostgreSQL crawl and of the store commands: the plan of the
per-domain update, refused options, and output cut short."""

from __future__ import annotations

import psycopg

from adstxt.store._distributed import enqueue

_MARK_DONE = (
    "EXPLAIN UPDATE crawl_domains SET done_fetch_id = 1 "
    "WHERE crawl_id = %s AND domain = %s AND done_fetch_id IS NULL"
)


def test_a_large_enqueue_leaves_statistics_that_mark_a_domain_done_by_its_index(
    postgres_url: str,
) -> None:
    domains = [f"site{i}.example" for i in range(30_000)]
    enqueue(postgres_url, "big", "ads.txt", domains, {})
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
