"""The garbage collector during a crawl: fetches, a crawl into the store and its all-304
re-crawl make no reference cycles (so a rarer collection loses nothing), and the
collector's settings are given back when the crawl ends."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Callable
from pathlib import Path
from types import CoroutineType, FrameType, TracebackType

import pytest

import adstxt
from adstxt._crawl_collector import YOUNG_COLLECTION_EVERY, collector_for_crawling
from adstxt.fetch import ConnectTo, Fetcher, Validators
from tests.cli import crawl
from tests.httpserver import GOOD, LocalServers, closed_port, etagged

PACKAGE = str(Path(adstxt.__file__).parent)
SITES = 30


@pytest.fixture
def etag_sites(live: LocalServers) -> LocalServers:
    """SITES sites whose file carries an ETag (a 304 for a request that sends it back),
    over HTTP only: their HTTPS port refuses the connection."""
    for i in range(SITES):
        body = GOOD + f"examplessp.com, {i}, RESELLER\n".encode()
        live.routes[f"http://site{i}.com/ads.txt"] = etagged(body, f'"e{i}"')
    return live


def _garbage_made_by(work: Callable[[], object]) -> list[object]:
    """Everything unreachable that only the cyclic collector could free, among what
    ``work`` left behind."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def _from_the_package(found: object) -> bool:
    """Whether ``found`` is the library's: its frame, coroutine, exception or traceback
    runs the package's code, or it is an instance of one of its classes. (The test
    servers run in this process too, and asyncio's server transports are left to the
    collector; those are not the crawler's.)"""
    if isinstance(found, FrameType):
        return found.f_code.co_filename.startswith(PACKAGE)
    if isinstance(found, CoroutineType):
        return found.cr_code.co_filename.startswith(PACKAGE)
    if isinstance(found, TracebackType):
        return _from_the_package(found.tb_frame)
    if isinstance(found, BaseException):
        traceback = found.__traceback__
        while traceback is not None:
            if _from_the_package(traceback.tb_frame):
                return True
            traceback = traceback.tb_next
    return type(found).__module__.startswith("adstxt")


def _described(garbage: list[object]) -> list[str]:
    return sorted({repr(type(found)) for found in garbage if _from_the_package(found)})


def _fetch_all(servers: LocalServers, validators: Callable[[int], Validators | None]) -> None:
    rules = (
        ConnectTo(None, 443, "127.0.0.1", closed_port()),
        ConnectTo(None, 80, "127.0.0.1", servers.http_port),
    )

    async def fetch_all() -> list[int | None]:
        async with Fetcher(connect_to=rules, allow_private_addresses=True) as fetcher:
            results = await asyncio.gather(
                *(fetcher.fetch(f"site{i}.com", validators=validators(i)) for i in range(SITES))
            )
        return [result.status for result in results]

    statuses = asyncio.run(fetch_all())
    expected = 200 if validators(0) is None else 304
    assert statuses == [expected] * SITES


@pytest.mark.parametrize("conditional", [False, True], ids=["200", "304"])
def test_fetches_after_a_refused_https_connection_leave_no_cycles(
    etag_sites: LocalServers, conditional: bool
) -> None:
    def validators(i: int) -> Validators | None:
        return Validators(f'"e{i}"', None) if conditional else None

    garbage = _garbage_made_by(lambda: _fetch_all(etag_sites, validators))
    assert _described(garbage) == []


def test_a_crawl_into_the_store_and_its_all_304_recrawl_leave_no_cycles(
    etag_sites: LocalServers, tmp_path: Path
) -> None:
    domains = tmp_path / "domains.txt"
    domains.write_text("".join(f"site{i}.com\n" for i in range(SITES)), "utf-8")
    command = [
        str(domains),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--store",
        str(tmp_path / "store.sqlite"),
        "--processes",
        "1",
        "--allow-private-addresses",
        "--overwrite",
        *etag_sites.crawl_options(),
    ]
    for extra, status in (([], 200), (["--refresh"], 304)):

        def run(extra: list[str] = extra) -> None:
            finished = crawl(*command, *extra)
            assert finished.returncode == 0, finished.stderr

        garbage = _garbage_made_by(run)
        assert _described(garbage) == []
        lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
        assert [json.loads(line)["status"] for line in lines] == [status] * SITES


def test_the_collector_runs_less_often_during_a_crawl_and_as_before_after_it() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with collector_for_crawling():
        assert gc.get_threshold() == (
            max(before[0], YOUNG_COLLECTION_EVERY),
            *before[1:],
        )
        # What existed at the start is set aside from every generation.
        assert gc.get_freeze_count() > frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_a_programs_own_frozen_objects_and_settings_are_kept() -> None:
    before = gc.get_threshold()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        gc.set_threshold(50_000, before[1], before[2])
        with collector_for_crawling():
            assert gc.get_threshold()[0] == 50_000  # a rarer collection is not made common
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
        gc.set_threshold(0, before[1], before[2])
        with collector_for_crawling():
            assert gc.get_threshold()[0] == 0  # turned off stays off
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_the_settings_are_given_back_when_a_crawl_fails() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with pytest.raises(KeyboardInterrupt), collector_for_crawling():
        raise KeyboardInterrupt
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
