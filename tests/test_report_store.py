"""``adstxt report --store S``: a crawl store in figures, charts and tables. The figures are
checked against a store built through the store API (on a SQLite file and on PostgreSQL),
and the page in a real headless Chromium: no console errors, the charts' marks, the
tables with JavaScript on and off."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from adstxt.apps import Resolution
from adstxt.report import Report, render
from adstxt.report._html import change_bars, outcome_bars, store_verdict_bars
from adstxt.store import Store, open_store
from adstxt.store._apps import record_resolutions
from adstxt.store._summary import NO_COPY, summarize
from tests.chromium import Browser, require_chromium
from tests.cli import adstxt
from tests.test_store import FIRST, SECOND, day, fetched

#: The (day, types) of the events :func:`fill` makes: one mark per type per day.
EVENT_DAYS = {
    # A file's first copy is its baseline: it appeared, and no record counts as added.
    "2026-01-01": {"file-appeared": 2},
    "2026-01-02": {"file-appeared": 1},
    "2026-01-03": {"record-removed": 1, "record-added": 1, "relationship-changed": 1},
    "2026-01-05": {"file-disappeared": 1, "record-removed": 2},
    "2026-01-06": {"app-domain-changed": 1},
}


def _app(domain: str, when: int) -> Resolution:
    return Resolution(
        query="com.example.game",
        outcome="resolved",
        store="google-play",
        app_id="com.example.game",
        developer_url=f"https://www.{domain}/",
        domain=domain,
        app_ads_hosts=(f"www.{domain}", domain),
        resolved_at=dt.datetime(2026, 1, when, tzinfo=dt.UTC),
    )


def fill(store: Store) -> None:
    """Two crawls of a.com and b.com, a later 404 of b.com, and an app that moved."""
    first = store.start_crawl("ads.txt", {}, ["a.com", "b.com"])
    store.record(first, [("a.com", [fetched("a.com", FIRST, day(1))])])
    store.record(first, [("b.com", [fetched("b.com", FIRST, day(2))])])
    store.finish_crawl(first, "finished", {"ok": 2})
    second = store.start_crawl("ads.txt", {}, ["a.com", "b.com"])
    store.record(second, [("a.com", [fetched("a.com", SECOND, day(3))])])
    store.record(
        second, [("b.com", [fetched("b.com", None, day(5), outcome="not-found", status=404)])]
    )
    store.finish_crawl(second, "finished", {"ok": 1, "not-found": 1})
    store.record(None, [("c.com", [fetched("c.com", FIRST, day(1))])])
    store.record(None, [("c.com", [fetched("c.com", None, day(4), outcome="timeout")])])
    record_resolutions(store, [_app("example.com", 4)])
    record_resolutions(store, [_app("example.org", 6)])


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    where = (
        str(tmp_path / "s.sqlite")
        if request.param == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    with open_store(where) as opened:
        fill(opened)
        yield opened


def test_the_summary_counts_the_store(store: Store) -> None:
    summary = summarize(store, latest=3)
    assert (summary.domains, summary.files, summary.fetches) == (3, 3, 6)
    assert summary.events == sum(sum(t.values()) for t in EVENT_DAYS.values()) == 10
    assert dict(summary.verdicts) == {"valid": 2, NO_COPY: 1}
    assert summary.stale == 1 and summary.apps == 1 and summary.sellers == 0
    assert dict(summary.outcomes) == {"not-found": 1, "ok": 1, "timeout": 1}
    assert {day: dict(types) for day, types in summary.daily} == EVENT_DAYS
    assert [crawl.id for crawl in summary.crawls] == [1, 2]
    assert {k: dict(v) for k, v in summary.crawl_outcomes.items()} == {
        1: {"ok": 2},
        2: {"ok": 1, "not-found": 1},
    }
    # The latest events first: the app's move, then b.com's end.
    assert [e["type"] for e in summary.latest] == [
        "app-domain-changed",
        "record-removed",
        "record-removed",
    ]
    assert len(summarize(store, latest=None).latest) == 10


def test_the_charts_have_a_mark_per_count(store: Store) -> None:
    summary = summarize(store)
    assert [bar.label for bar in store_verdict_bars(summary)] == ["valid", NO_COPY]
    assert [bar.label for bar in outcome_bars(summary)] == ["not-found", "ok", "timeout"]
    days = change_bars(summary)
    # Every day from the first event to the last, the quiet 4th included.
    assert [bar.label for bar in days] == [f"2026-01-0{n}" for n in range(1, 7)]
    assert [len(bar.segments) for bar in days] == [1, 1, 3, 0, 2, 1]
    assert days[2].segments[0].title == "2026-01-03: record-removed: 1 event"


def _make(folder: Path, *extra: str) -> tuple[Path, Path]:
    """A filled store in ``folder`` and its report, written by the command."""
    folder.mkdir(exist_ok=True)
    where = folder / "adstxt.sqlite"
    with open_store(where) as store:
        fill(store)
    out = folder / "report.html"
    done = adstxt("report", "--store", str(where), "-o", str(out), *extra)
    assert done.returncode == 0, done.stderr
    return where, out


def test_the_command_writes_the_store_section(tmp_path: Path) -> None:
    _, out = _make(tmp_path)
    page = out.read_text(encoding="utf-8")
    assert '<section id="store">' in page and '<section id="check">' not in page
    assert page.count('class="mark ch-') == 8
    assert "changes-cut" not in page
    _, cut = _make(tmp_path / "cut", "--max-rows", "4")
    shown = cut.read_text(encoding="utf-8")
    assert "This table lists the latest 4 of 10 change events" in shown
    rows = re.search(r'<table class="data" id="changes">.*?</table>', shown, re.S)
    assert rows is not None and rows.group(0).count("<tr>") == 5  # the header and 4


def test_a_store_that_cannot_be_read_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    missing = adstxt("report", "--store", str(tmp_path / "none.sqlite"), "-o", str(out))
    assert missing.returncode == 2 and "--store: cannot open the store" in missing.stderr
    assert not out.exists() and not (tmp_path / "none.sqlite").exists()
    other = tmp_path / "notes.txt"
    other.write_text("no database\n", encoding="utf-8")
    foreign = adstxt("report", "--store", str(other), "-o", str(out))
    assert foreign.returncode == 2 and "--store:" in foreign.stderr
    assert "Traceback" not in foreign.stderr


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    open_store(tmp_path / "empty.sqlite").close()
    with open_store(tmp_path / "empty.sqlite") as store:
        page = render(Report(title="t", store=summarize(store)))
    assert "<p>No change events.</p>" in page and "<p>No file.</p>" in page
    assert 'class="mark' not in page


def test_only_the_last_days_are_drawn(tmp_path: Path) -> None:
    with open_store(tmp_path / "long.sqlite") as store:
        store.record(None, [("a.com", [fetched("a.com", FIRST, "2025-06-01T00:00:00.000000Z")])])
        store.record(None, [("a.com", [fetched("a.com", SECOND, day(3))])])
        summary = summarize(store)
    bars = change_bars(summary)
    assert len(bars) == 60 and bars[-1].label == "2026-01-03"
    assert "The last 60 days up to the latest event" in render(Report(title="t", store=summary))


# ---- in a real browser --------------------------------------------------------------------


def _marks(browser: Browser, label: str) -> int:
    count: int = browser.evaluate(
        f"document.querySelector('svg[aria-label=\"{label}\"]').querySelectorAll('rect.mark')"
        ".length"
    )
    return count


def test_the_store_report_in_chromium(tmp_path: Path) -> None:
    require_chromium()
    _, out = _make(tmp_path)
    with Browser() as browser:
        browser.open(out.as_uri())
        assert _marks(browser, "Files by verdict of their current copy") == 2
        assert _marks(browser, "Files by outcome of their latest fetch") == 3
        assert _marks(browser, "Change events per day, by type") == 8
        rows = browser.evaluate(
            "document.querySelectorAll('svg[aria-label=\"Change events per day, by type\"] g.row')"
            ".length"
        )
        assert rows == 6
        # Each type has its own colour, and the legend names the types drawn.
        colours = browser.evaluate(
            "new Set(Array.from(document.querySelectorAll('svg rect.mark[class*=\"ch-\"]'))"
            ".map(r => getComputedStyle(r).fill)).size"
        )
        assert colours == 6
        legend = browser.evaluate(
            "Array.from(document.querySelectorAll('#store .legend li')).map(li => li.textContent)"
        )
        assert legend == [
            "file-appeared",
            "file-disappeared",
            "record-removed",
            "record-added",
            "relationship-changed",
            "app-domain-changed",
        ]
        browser.type("#changes-tools input", "app-domain")
        shown = browser.evaluate(
            "Array.from(document.querySelectorAll('#changes tbody tr')).filter(r => !r.hidden)"
            ".map(r => r.cells[1].textContent)"
        )
        assert shown == ["google-play:com.example.game"]
        assert browser.errors == []


def test_the_store_report_with_javascript_off(tmp_path: Path) -> None:
    require_chromium()
    _, out = _make(tmp_path)
    with Browser(javascript=False) as browser:
        browser.open(out.as_uri())
        rows = browser.evaluate(
            "Object.fromEntries(Array.from(document.querySelectorAll('table.data'))"
            ".map(t => [t.id, t.tBodies[0].rows.length]))"
        )
        assert rows == {"crawls": 2, "changes": 10}
        assert _marks(browser, "Change events per day, by type") == 8
