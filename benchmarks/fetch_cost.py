"""What the fetcher costs a re-crawl per site, beside the least any client could spend.

    python benchmarks/fetch_cost.py [--domains 2000] [--concurrency 100] [--repeat 5]
    python benchmarks/fetch_cost.py --only fetcher|bare [--domains 300]

Against the server of ``benchmarks/crawl.py`` (every site has an ETag and answers a
request that sends it back with a 304; HTTPS is pointed at a closed port), each site is
fetched the way an all-304 re-crawl fetches it: a refused HTTPS connection, then a
conditional HTTP request answered 304. Two clients do it, each in a process of its own:

* ``fetcher``: ``adstxt.fetch.Fetcher.fetch`` with the site's validators, as ``adstxt
  crawl`` calls it (no store, no JSON lines);
* ``bare``: the least that work takes in asyncio: a non-blocking socket per connection,
  the event loop told when it is writable or readable, and h11 for the request and the
  answer, with no time limits, no findings and no result objects.

Each round runs both, in turns, and the script prints the CPU time of each client's event
loop per site (start-up excluded), min / median / max over the rounds. ``--only`` runs one
client once in this process, to count its instructions with callgrind: run it with two
``--domains`` values and take the difference, which leaves the start-up out.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib.util
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
# Run as a script, this file's directory comes first on sys.path, where benchmarks/queue.py
# would stand in for the standard library's ``queue``.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]


@functools.cache
def _crawl_benchmark() -> Any:
    """``benchmarks/crawl.py``, whose server and closed port this benchmark uses too."""
    spec = importlib.util.spec_from_file_location("crawl_benchmark", _HERE / "crawl.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _etag(host: str) -> str:
    """The ETag the benchmark server gives ``host``'s file."""
    return str(_crawl_benchmark()._etag(host.encode()).decode("ascii"))


async def _fetcher_run(hosts: list[str], concurrency: int, closed: int, port: int) -> None:
    from adstxt.fetch import ConnectTo, Fetcher, Validators

    rules = [ConnectTo(None, 443, "127.0.0.1", closed), ConnectTo(None, 80, "127.0.0.1", port)]
    async with Fetcher(connect_to=rules, allow_private_addresses=True) as fetcher:

        async def worker() -> None:
            while hosts:
                host = hosts.pop()
                result = await fetcher.fetch(host, validators=Validators(_etag(host), None))
                if result.status != 304:
                    raise SystemExit(f"{host}: expected a 304, got {result.status}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))


async def _ready(sock: socket.socket, reading: bool) -> None:
    loop = asyncio.get_running_loop()
    waiter: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not waiter.done():
            waiter.set_result(None)

    fd = sock.fileno()
    if reading:
        loop.add_reader(fd, wake)
    else:
        loop.add_writer(fd, wake)
    try:
        await waiter
    finally:
        if reading:
            loop.remove_reader(fd)
        else:
            loop.remove_writer(fd)


async def _connected(port: int) -> socket.socket | None:
    sock = socket.socket()
    sock.setblocking(False)
    code = sock.connect_ex(("127.0.0.1", port))
    if code:
        await _ready(sock, False)
        code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if code:
        sock.close()
        return None
    return sock


async def _bare_run(hosts: list[str], concurrency: int, closed: int, port: int) -> None:
    import h11

    async def one(host: str) -> None:
        if await _connected(closed) is not None:
            raise SystemExit("the closed port answered")
        sock = await _connected(port)
        if sock is None:
            raise SystemExit("the server refused a connection")
        connection = h11.Connection(h11.CLIENT)
        headers = [("Host", host), ("If-None-Match", _etag(host))]
        request = h11.Request(method="GET", target="/ads.txt", headers=headers)
        sock.send(connection.send(request) + connection.send(h11.EndOfMessage()))
        while True:
            event = connection.next_event()
            if event is not h11.NEED_DATA:
                break
            try:
                connection.receive_data(sock.recv(65536))
            except BlockingIOError:
                await _ready(sock, True)
        sock.close()
        if not isinstance(event, h11.Response) or event.status_code != 304:
            raise SystemExit(f"{host}: expected a 304, got {event!r}")

    async def worker() -> None:
        while hosts:
            await one(hosts.pop())

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def _only(client: str, domains: int, concurrency: int, closed: int, port: int) -> float:
    """Run one client over ``domains`` sites in this process; its loop's CPU per site (us)."""
    hosts = [f"site{i}.com" for i in range(domains)]
    run = _fetcher_run if client == "fetcher" else _bare_run
    _crawl_benchmark()  # loaded before the clock starts: both clients take ETags from it
    started = time.process_time()
    asyncio.run(run(hosts, concurrency, closed, port))
    return (time.process_time() - started) / domains * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("fetcher", "bare"))
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--closed", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port, server = args.port, None
        if port is None:
            server, port = _crawl_benchmark()._start_server(Path(tmp) / "port", 0.1, 85)
        closed = args.closed or _crawl_benchmark()._closed_port()
        try:
            if args.only:
                cost = _only(args.only, args.domains, args.concurrency, closed, port)
                print(f"{args.only}: {cost:,.0f} us of CPU per site")
                return
            _compare(args, closed, port)
        finally:
            if server is not None:
                server.terminate()
                server.wait()


def _compare(args: argparse.Namespace, closed: int, port: int) -> None:
    costs: dict[str, list[float]] = {"fetcher": [], "bare": []}
    print(
        f"Python {sys.version.split()[0]}, {args.domains} sites, concurrency "
        f"{args.concurrency}, {args.repeat} rounds; CPU of the event loop per site"
    )
    for _ in range(args.repeat):
        for client in costs:
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    *("--only", client, "--port", str(port), "--closed", str(closed)),
                    *("--domains", str(args.domains), "--concurrency", str(args.concurrency)),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            costs[client].append(float(done.stdout.split()[1].replace(",", "")))
    for client, found in costs.items():
        print(
            f"  {client:<8} {min(found):6,.0f} / {statistics.median(found):6,.0f} / "
            f"{max(found):6,.0f} us (min / median / max)"
        )
    print(
        "  the fetcher's own part: "
        f"{statistics.median(costs['fetcher']) - statistics.median(costs['bare']):,.0f} us "
        "per site (difference of the medians)"
    )


if __name__ == "__main__":
    main()
