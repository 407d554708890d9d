"""The garbage collector during a crawl: fetches, whatever their end, and a crawl into the
store with its all-304 re-crawl make no reference cycles (so a rarer collection loses
nothing), the crawl commands run with the collector set for crawling, and its settings
are given back when a crawl ends."""

from __future__ import annotations

import asyncio
import gc
import json
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CoroutineType, FrameType, TracebackType

import pytest

import adstxt
from adstxt._crawl_collector import YOUNG_COLLECTION_EVERY, collector_for_crawling
from adstxt.fetch import ConnectTo, Fetcher, Validators
from adstxt.fetch._client import open_response
from adstxt.fetch._connect import Resolver
from tests.cli import crawl
from tests.conftest import ROOT
from tests.httpserver import GOOD, LocalServers, Reply, Seen, closed_port

PACKAGE = str(Path(adstxt.__file__).parent)
SITES = 20


@pytest.fixture(scope="module")
def behaviour_servers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[int, int, ssl.SSLContext]]:
    """The HTTP and HTTPS ports of :mod:`tests.behaviour_server`, run in a process of its
    own (whatever the garbage collector finds in this one is the client side's), and a
    TLS context that trusts its certificate."""
    authority = tmp_path_factory.mktemp("behaviour") / "ca.pem"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.behaviour_server", str(authority)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        http_port, https_port = map(int, process.stdout.readline().split())
        yield http_port, https_port, ssl.create_default_context(cafile=str(authority))
    finally:
        process.stdin.close()
        process.wait(10)
        process.stdout.close()


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


def _of_the_package(found: object) -> bool:
    if isinstance(found, FrameType):
        return found.f_code.co_filename.startswith(PACKAGE)
    module = type(found).__module__
    return module == "adstxt" or module.startswith("adstxt.")


def _asyncio_transports(garbage: list[object]) -> set[int]:
    """The ids of asyncio's socket transports in ``garbage`` and of what they hold there.
    Each keeps a bound method of its own as an attribute (the callback of its reads), so
    every transport is a reference cycle of asyncio's making: every TLS connection leaves
    one, freed by the collector. That is not the crawler's doing."""
    inside = {id(found) for found in garbage}
    seen: set[int] = set()
    pending = [found for found in garbage if isinstance(found, asyncio.BaseTransport)]
    while pending:
        found = pending.pop()
        if id(found) in seen:
            continue
        seen.add(id(found))
        pending.extend(held for held in gc.get_referents(found) if id(held) in inside)
    return seen


def _leaks(garbage: list[object]) -> list[str]:
    """What of ``garbage`` a fetch or a crawl must not leave to the collector: frames,
    tracebacks, errors, coroutines, futures and sockets (each holding what the failed or
    finished exchange held), and objects of the package's; asyncio's own transports
    aside (see :func:`_asyncio_transports`)."""
    kinds = (FrameType, TracebackType, BaseException, CoroutineType, asyncio.Future, socket.socket)
    asyncio_own = _asyncio_transports(garbage)
    return sorted(
        {
            repr(type(found))
            for found in garbage
            if id(found) not in asyncio_own and (isinstance(found, kinds) or _of_the_package(found))
        }
    )


#: Each case: the host's name before its number (what its file does, and ``tls-`` for a
#: host the TLS server's certificate names), whether HTTPS reaches the TLS server rather
#: than a closed port, whether the request is conditional, and the outcome every fetch
#: must have.
CASES = {
    "refused HTTPS, then 200": ("ok", False, False, "ok"),
    "refused HTTPS, then 304": ("ok", False, True, "ok"),
    "failed TLS handshake, then 200": ("ok", True, False, "ok"),
    "200 over TLS": ("tls-ok", True, False, "ok"),
    "read timeout": ("hang", False, False, "timeout"),
    "body that never ends": ("trickle", False, False, "timeout"),
    "reset": ("reset", False, False, "connection-error"),
    "reset over TLS": ("tls-reset", True, False, "connection-error"),
    "closed without an answer": ("close", False, False, "connection-error"),
    "closed without an answer over TLS": ("tls-close", True, False, "connection-error"),
    "head cut short": ("cut-head", False, False, "connection-error"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_fetch_leaves_no_reference_cycles(
    behaviour_servers: tuple[int, int, ssl.SSLContext], case: str
) -> None:
    behaviour, tls, conditional, outcome = CASES[case]
    http_port, https_port, trusted = behaviour_servers
    rules = (
        ConnectTo(None, 443, "127.0.0.1", https_port if tls else closed_port()),
        ConnectTo(None, 80, "127.0.0.1", http_port),
    )

    async def fetch_all() -> list[tuple[str, int | None]]:
        async with Fetcher(
            connect_to=rules,
            allow_private_addresses=True,
            verify=trusted,
            read_timeout=0.3,
            timeout=2.0,
        ) as fetcher:
            results = await asyncio.gather(
                *(
                    fetcher.fetch(
                        f"{behaviour}-{i}.com",
                        validators=Validators(f'"{i}"', None) if conditional else None,
                    )
                    for i in range(SITES)
                )
            )
        return [(result.outcome, result.status) for result in results]

    ends: list[list[tuple[str, int | None]]] = []
    garbage = _garbage_made_by(lambda: ends.append(asyncio.run(fetch_all())))
    assert {end[0] for end in ends[0]} == {outcome}
    if outcome == "ok":
        assert {end[1] for end in ends[0]} == {304 if conditional else 200}
    assert _leaks(garbage) == []


class _TwoAddresses(Resolver):
    """A host with two addresses, the first of them refusing connections."""

    def __init__(self, port: int) -> None:
        super().__init__(allow_private=True)
        self._targets = [("127.0.0.1", closed_port()), ("127.0.0.1", port)]

    def known(self, host: str, port: int) -> list[tuple[str, int]] | None:
        return list(self._targets)


def test_an_address_refused_before_one_that_answers_leaves_no_cycle(
    behaviour_servers: tuple[int, int, ssl.SSLContext],
) -> None:
    resolver = _TwoAddresses(behaviour_servers[0])
    context = ssl.create_default_context()

    async def fetch() -> int:
        headers = [(b"Host", b"ok-1.com")]
        async with open_response(
            resolver, context, "http", "ok-1.com", 80, b"/ads.txt", headers, 2.0, 2.0, 5.0
        ) as response:
            return response.status

    statuses: list[int] = []
    garbage = _garbage_made_by(lambda: statuses.append(asyncio.run(fetch())))
    assert statuses == [200]
    assert _leaks(garbage) == []


def test_a_crawl_into_the_store_and_its_all_304_recrawl_leave_no_cycles(
    behaviour_servers: tuple[int, int, ssl.SSLContext], tmp_path: Path
) -> None:
    domains = tmp_path / "domains.txt"
    domains.write_text("".join(f"ok-{i}.com\n" for i in range(SITES)), "utf-8")
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
        "--connect-to",
        f":443:127.0.0.1:{closed_port()}",
        "--connect-to",
        f":80:127.0.0.1:{behaviour_servers[0]}",
    ]
    for extra, status in (([], 200), (["--refresh"], 304)):

        def run(extra: list[str] = extra) -> None:
            finished = crawl(*command, *extra)
            assert finished.returncode == 0, finished.stderr

        garbage = _garbage_made_by(run)
        assert _leaks(garbage) == []
        lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
        assert [json.loads(line)["status"] for line in lines] == [status] * SITES


def _recording_thresholds(live: LocalServers, hosts: list[str]) -> list[tuple[int, ...]]:
    """Routes for ``hosts`` that note the collector's threshold as each request comes
    (the test servers run in this process, so they see the crawl's setting)."""
    seen: list[tuple[int, ...]] = []

    def served(_seen: Seen) -> Reply:
        seen.append(gc.get_threshold())
        return Reply(200, GOOD)

    for host in hosts:
        live.routes[f"http://{host}/ads.txt"] = served
    return seen


def test_a_crawl_runs_with_the_collector_set_for_crawling(
    live: LocalServers, tmp_path: Path
) -> None:
    before = gc.get_threshold()
    hosts = [f"site{i}.com" for i in range(5)]
    seen = _recording_thresholds(live, hosts)
    (tmp_path / "domains.txt").write_text("\n".join(hosts) + "\n", "utf-8")
    done = crawl(
        str(tmp_path / "domains.txt"),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--processes",
        "1",
        "--allow-private-addresses",
        *live.crawl_options(),
    )
    assert done.returncode == 0, done.stderr
    assert len(seen) == len(hosts)
    assert {threshold[0] for threshold in seen} == {max(before[0], YOUNG_COLLECTION_EVERY)}
    assert gc.get_threshold() == before


def test_a_shared_crawl_runs_with_the_collector_set_for_crawling(
    live: LocalServers, tmp_path: Path, postgres_url: str
) -> None:
    before = gc.get_threshold()
    hosts = [f"shared{i}.com" for i in range(5)]
    seen = _recording_thresholds(live, hosts)
    (tmp_path / "domains.txt").write_text("\n".join(hosts) + "\n", "utf-8")
    options = ["--allow-private-addresses", *live.crawl_options()]
    done = crawl(
        "--store", postgres_url, "--crawl", "collector", str(tmp_path / "domains.txt"), *options
    )
    assert done.returncode == 0, done.stderr
    assert len(seen) == len(hosts)
    assert {threshold[0] for threshold in seen} == {max(before[0], YOUNG_COLLECTION_EVERY)}
    assert gc.get_threshold() == before


def test_the_collector_runs_less_often_during_a_crawl_and_as_before_after_it() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with collector_for_crawling():
        assert gc.get_threshold() == (max(before[0], YOUNG_COLLECTION_EVERY), *before[1:])
        if frozen == 0:  # what existed at the start is set aside from every generation
            assert gc.get_freeze_count() > 0
        else:  # the program's own frozen objects, and nothing more (some may be freed)
            assert gc.get_freeze_count() <= frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() <= frozen


def test_a_programs_own_frozen_objects_and_settings_are_kept() -> None:
    before = gc.get_threshold()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        gc.set_threshold(50_000, before[1], before[2])
        with collector_for_crawling():
            assert gc.get_threshold()[0] == 50_000  # a rarer collection is not made common
            # Nothing more is frozen (and a frozen object that is freed leaves the count).
            assert 0 < gc.get_freeze_count() <= frozen
        assert 0 < gc.get_freeze_count() <= frozen
        gc.set_threshold(0, before[1], before[2])
        with collector_for_crawling():
            assert gc.get_threshold()[0] == 0  # turned off stays off
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_crawls_that_overlap_in_threads_give_the_settings_back_once_all_end() -> None:
    """The first to start sets the collector up and the last to end restores it, whatever
    order they end in."""
    before = gc.get_threshold()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    during: list[tuple[int, ...]] = []

    def first() -> None:
        with collector_for_crawling():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with collector_for_crawling():
            second_in.set()
            first_out.wait(10)
            during.append(gc.get_threshold())  # the first has ended: still crawling

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert during == [(max(before[0], YOUNG_COLLECTION_EVERY), *before[1:])]
    assert gc.get_threshold() == before


def test_the_settings_are_given_back_when_a_crawl_fails() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with pytest.raises(KeyboardInterrupt), collector_for_crawling():
        raise KeyboardInterrupt
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() <= frozen
