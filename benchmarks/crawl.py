"""Crawl throughput: ``adstxt-crawl`` against a local server that adds latency to every answer.

    python benchmarks/crawl.py [--domains 2000] [--concurrency 200] [--latency 0.1] [--processes N]
    python benchmarks/crawl.py --store-comparison [--domains 2000] [--repeat 3] ...
    python benchmarks/crawl.py --postgres [--domains 4000] [--workers 1 2 4] [--batch 100] ...

The server runs in its own process (a plain selector loop) and answers every request
``--latency`` seconds after it arrived, with the site's own file of ``--body-lines``
records (5 by default) and an ETag of its own. HTTPS is pointed at
a closed port, so each domain costs what it costs in the field when a site has no HTTPS: a
refused connection, then the HTTP fetch. The bound set by concurrency and latency is
``concurrency / latency`` domains per second; the crawler's resident memory is sampled
while it runs.

Before anything is timed, the installed package is byte-compiled, as pip leaves an
installed one, so that no crawl spends its start compiling modules again.

``--store-comparison`` runs the crawl four times against the same server: JSON lines only,
JSON lines and a new store, a re-crawl into that store (``--refresh``), in which every
answer is a 304 to the conditional request, and a plain re-crawl, which skips every file as
still fresh. It prints each rate and wall time, the store's share of the JSONL-only rate,
the 304 re-crawl's speed-up and the bodies it added. It also times the first crawl and
the all-304 re-crawl of 8 sites, whose CPU time is the crawls' start-up (imports, the
store, the worker processes), the same whatever the number of sites, and gives the
re-crawl's speed-up beyond it. ``--repeat N`` runs the four crawls N times (a new store
each time) and ends with the spread of the two ratios and the ratios of the crawls'
median CPU times.

``--postgres`` starts its own PostgreSQL server (as the tests do, with fsync on) and crawls
the same domains into a SQLite store with one process, then into a fresh PostgreSQL
database with 1, 2 and 4 worker processes sharing one named crawl (``--crawl`` and
``--join``). Per run it prints the rate (domains over the wall time from the first worker's
start to the last one's exit), the database server's CPU time per domain (its processes'
user and system time, exited backends included) and the database's size per domain.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import platform
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import NamedTuple

# Run as a script, this file's directory comes first on sys.path, where benchmarks/queue.py
# would stand in for the standard library's ``queue`` (which psycopg imports).
sys.path[:] = [
    entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent
]

_SYSTEMS = (
    b"google.com, pub-%d, DIRECT, f08c47fec0942fa0",
    b"pubmatic.com, %d, RESELLER, 5d62403b186f2ace",
    b"openx.com, %d, RESELLER, 6a698e2ec38604c6",
    b"rubiconproject.com, %d, RESELLER, 0bfd66d529a55807",
    b"appnexus.com, %d, RESELLER, f5ab79cb980f11d1",
)


def _body(host: bytes, records: int) -> bytes:
    """The file a site serves: its own OWNERDOMAIN line and ``records`` records whose seller
    IDs derive from the site's name, so that every site's file is a distinct body."""
    seed = sum(host) * 7919
    lines = [b"# benchmark file", b"OWNERDOMAIN=" + host]
    lines += [_SYSTEMS[i % 5] % (seed + i) for i in range(records)]
    return b"\n".join(lines) + b"\n"


def _etag(host: bytes) -> bytes:
    """The ETag the server gives ``host``'s file."""
    return b'"%08x"' % zlib.crc32(host)


def _answer(head: bytes, records: int) -> bytes:
    """The answer to one request: 304 when it sends back the site's ETag, else the file."""
    host = b"unknown"
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"host":
            host = value.strip().split(b":")[0].lower()
    etag = _etag(host)
    if b"if-none-match: " + etag in head.lower():
        return b"HTTP/1.1 304 Not Modified\r\nETag: " + etag + b"\r\nConnection: close\r\n\r\n"
    body = _body(host, records)
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
        + b"ETag: "
        + etag
        + f"\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def _start_server(
    port_file: Path, latency: float, records: int
) -> tuple[subprocess.Popen[bytes], int]:
    """The server (:func:`_serve`) in a process of its own, and the port it listens on."""
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            *("--serve", str(port_file), "--latency", str(latency)),
            *("--body-lines", str(records)),
        ]
    )
    while not port_file.exists() or not port_file.read_text():
        time.sleep(0.05)
    return server, int(port_file.read_text())


def _serve(port_file: Path, latency: float, records: int) -> None:
    """Answer every request ``latency`` seconds after its head arrived, then close.

    A plain selector loop: it shares the two cores with the crawler, and asyncio's server
    (a task and a transport per accepted connection) cost about twice as much CPU. Every
    answer waits the same latency, so a FIFO queue holds them in due order.
    """
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4096)
    listener.setblocking(False)
    port_file.write_text(str(listener.getsockname()[1]))
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    heads: dict[socket.socket, bytes] = {}
    due: collections.deque[tuple[float, socket.socket, bytes]] = collections.deque()
    while True:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        for key, _ in selector.select(timeout):
            if key.fileobj is listener:
                while True:
                    try:
                        connection, _ = listener.accept()
                    except BlockingIOError:
                        break
                    connection.setblocking(False)
                    heads[connection] = b""
                    selector.register(connection, selectors.EVENT_READ)
                continue
            connection = key.fileobj  # type: ignore[assignment]
            try:
                data = connection.recv(65536)
            except OSError:
                data = b""
            head = heads[connection] + data
            if data and b"\r\n\r\n" not in head:
                heads[connection] = head
                continue
            selector.unregister(connection)
            del heads[connection]
            if data:
                due.append((time.monotonic() + latency, connection, _answer(head, records)))
            else:  # closed before asking: nothing to answer
                connection.close()
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, connection, answer = due.popleft()
            with contextlib.suppress(OSError):  # the crawler may have given up already
                connection.sendall(answer)
            connection.close()


def _byte_compile() -> None:
    """Byte-compile the installed package, as pip does for an installed one, so that every
    crawl starts as a user's would. An editable install run with PYTHONDONTWRITEBYTECODE
    set would otherwise compile every module again at each start: about 0.6 billion
    instructions, a third of a crawl process's start-up, counted in each crawl's CPU. The
    ``.pyc`` files go where Python puts them (``__pycache__`` beside the sources, in the
    checkout for an editable install); a package that cannot be written is left as it is."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("adstxt")
    if spec is not None and spec.origin is not None:
        compileall.compile_dir(Path(spec.origin).parent, quiet=2)


def _rss_kib(pid: int) -> int | None:
    """Resident memory of a process and its descendants (worker processes), in KiB."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            if current == pid:
                return None
            continue
        pending.extend(int(child) for child in children)
    return total


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument(
        "--body-lines",
        type=int,
        default=5,
        help="records in each site's file (each site serves its own; the real corpus's "
        "median file has 85 lines)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        help="crawler worker processes (adstxt-crawl --processes; default: adstxt-crawl's default)",
    )
    parser.add_argument(
        "--store-comparison",
        action="store_true",
        help="compare JSONL only, JSONL and a store, and an all-304 re-crawl into the store",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="compare one SQLite crawl with 1, 2 and 4 workers sharing a PostgreSQL store",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="with --store-comparison: rounds of the four crawls, then the spread of the ratios",
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--batch", type=int, default=100, help="--batch of the shared crawls")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve, args.latency, args.body_lines)
        return
    _byte_compile()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        server, port = _start_server(work / "port", args.latency, args.body_lines)
        try:
            (work / "domains.txt").write_text(
                "".join(f"site{i}.com\n" for i in range(args.domains))
            )
            command = [
                sys.executable,
                "-m",
                "adstxt.crawl",
                str(work / "domains.txt"),
                "-o",
                str(work / "out.jsonl"),
                "--concurrency",
                str(args.concurrency),
                "--connect-to",
                f":443:127.0.0.1:{_closed_port()}",
                "--connect-to",
                f":80:127.0.0.1:{port}",
                "--allow-private-addresses",
                "--progress",
                "never",
            ]
            if args.processes is not None:
                command += ["--processes", str(args.processes)]
            if args.store_comparison:
                _compare_store(command, work, args.domains, args.repeat)
                return
            if args.postgres:
                _compare_postgres(command, work, args)
                return
            print(
                f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
                f"{args.domains} domains, concurrency {args.concurrency}, "
                f"crawler processes: {args.processes or 'default'}, "
                f"latency {args.latency * 1000:.0f} ms"
            )
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.monotonic()
            crawl = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            samples = []
            while crawl.poll() is None:
                rss = _rss_kib(crawl.pid)
                if rss:
                    samples.append((time.monotonic() - started, rss))
                time.sleep(0.25)
            elapsed = time.monotonic() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            user = after.ru_utime - before.ru_utime
            system = after.ru_stime - before.ru_stime
            cpu = user + system
            output = crawl.stdout.read() if crawl.stdout else ""
            lines = (work / "out.jsonl").read_text().count("\n")
        finally:
            server.terminate()
            server.wait()
        served = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = (served.ru_utime + served.ru_stime) - (after.ru_utime + after.ru_stime)
    print("RSS of the crawler while it runs:")
    for at, rss in samples:
        print(f"  {at:5.2f} s  {rss / 1024:6.1f} MiB")
    print(output.rstrip())
    bound = args.concurrency / args.latency
    summary = next((x for x in output.splitlines() if "domains/s" in x), "")
    rate = float(summary.split(" s, ")[1].split(" ")[0].replace(",", "")) if summary else 0.0
    workers = summary.split(" worker processes")[0].rsplit(" ", 1)[-1] if "worker" in summary else 1
    print(
        f"{lines} lines written by {workers} crawler process(es); "
        f"wall time with start-up {elapsed:.2f} s"
    )
    print(f"crawl rate {rate:,.0f} domains/s = {rate / bound:.0%} of the {bound:,.0f}/s bound")
    print(
        f"crawler CPU {cpu:.2f} s (start-up included; user {user:.2f} s, system {system:.2f} s)"
        f" = {cpu / args.domains * 1e6:,.0f} us per domain; "
        f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}"
    )
    print(
        f"server CPU {server_cpu:.2f} s (start-up included) = "
        f"{server_cpu / args.domains * 1e6:,.0f} us per domain"
    )


def _timed(command: list[str]) -> tuple[float, float, float, str]:
    """Run one crawl; its rate from the summary (domains/s), its wall time, the CPU time
    it used (start-up included) and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"the crawl failed ({done.returncode}): {done.stderr}")
    summary = next(x for x in done.stdout.splitlines() if "domains/s" in x)
    rate = float(summary.split(" s, ")[1].split(" ")[0].replace(",", ""))
    return rate, elapsed, cpu, done.stdout


#: Sites of the crawls that measure start-up: as many as a crawl's worker processes could
#: be, so that each of them starts, and few enough that their fetches cost next to nothing.
_STARTUP_DOMAINS = 8


def _spread(values: list[float], form: str) -> str:
    return " / ".join(
        format(v, form) for v in (min(values), statistics.median(values), max(values))
    )


def _compare_store(command: list[str], work: Path, domains: int, repeat: int) -> None:
    """The four crawls ``repeat`` times over (each round a new store), then the spread of
    the two ratios the targets name."""
    rounds: list[_Round] = []
    for round_number in range(1, repeat + 1):
        if repeat > 1:
            print(f"round {round_number} of {repeat}")
        rounds.append(_compare_store_once(command, work, domains))
    if repeat > 1:
        shares = [r.jsonl / r.first for r in rounds]
        speedups = [r.first / r.recrawl for r in rounds]
        beyond = [b for r in rounds if (b := r.beyond_startup()) is not None]
        walls = [r.wall_speedup for r in rounds]

        def median(field: str) -> float:
            return statistics.median(getattr(r, field) for r in rounds)

        print(
            f"over {repeat} rounds (min / median / max): store / JSONL only, CPU-bound "
            f"{_spread(shares, '.0%')} (target at least 80%); all-304 re-crawl / first "
            f"crawl, CPU-bound {_spread(speedups, '.2f')}x, wall {_spread(walls, '.2f')}x "
            "(target 2x)"
        )
        print(
            "medians of each crawl's CPU time over the rounds: store / JSONL only "
            f"{median('jsonl') / median('first'):.0%}, all-304 re-crawl / first crawl "
            f"{median('first') / median('recrawl'):.2f}x; beyond start-up (each crawl's CPU "
            f"less that of the same crawl of {_STARTUP_DOMAINS} sites) "
            + (
                f"{_spread(beyond, '.2f')}x"
                + (f" (of {len(beyond)} rounds)" if len(beyond) < len(rounds) else "")
                if beyond
                else "n/a (no re-crawl outlasted its start-up)"
            )
        )


class _Round(NamedTuple):
    """The CPU seconds of one round's crawls, and the all-304 re-crawl's wall speed-up."""

    jsonl: float
    first: float
    recrawl: float
    first_startup: float
    recrawl_startup: float
    wall_speedup: float

    def beyond_startup(self) -> float | None:
        """The re-crawl's speed-up once each crawl's start-up is taken off; None when the
        re-crawl took no longer than its start-up (a crawl of a few sites)."""
        spent = self.recrawl - self.recrawl_startup
        return (self.first - self.first_startup) / spent if spent > 0 else None


def _compare_store_once(command: list[str], work: Path, domains: int) -> _Round:
    import sqlite3

    store = work / "store.sqlite"
    for old in work.glob("store.sqlite*"):
        old.unlink()
    runs = [
        ("JSONL only", [*command, "--overwrite"]),
        ("JSONL + store", [*command, "--overwrite", "--store", str(store)]),
        ("re-crawl, all 304", [*command, "--overwrite", "--store", str(store), "--refresh"]),
        ("re-crawl, fresh", [*command, "--overwrite", "--store", str(store)]),
    ]
    rates = []
    cpus = []
    bodies = []
    for name, run in runs:
        rate, elapsed, cpu, output = _timed(run)
        if "still fresh" in output:  # nothing was fetched: the rate is not comparable
            print(
                f"{name:<18} {'-':>8} (all {domains} still fresh)  wall {elapsed:6.2f} s  "
                f"CPU {cpu:5.2f} s"
            )
            continue
        rates.append(rate)
        cpus.append(cpu)
        if store.exists():
            db = sqlite3.connect(store)
            bodies.append(db.execute("SELECT COUNT(*) FROM bodies").fetchone()[0])
            unchanged = db.execute("SELECT SUM(unchanged) FROM fetches").fetchone()[0]
            db.close()
        print(
            f"{name:<18} {rate:8,.0f} domains/s  wall {elapsed:6.2f} s  CPU {cpu:5.2f} s "
            f"= {cpu / domains * 1e6:,.0f} us per domain"
        )
    first_startup, recrawl_startup = _startup(command, work)
    measured = _Round(
        cpus[0], cpus[1], cpus[2], first_startup, recrawl_startup, rates[2] / rates[1]
    )
    beyond = measured.beyond_startup()
    size = sum(p.stat().st_size for p in work.glob("store.sqlite*"))
    # On a shared machine the crawl is CPU-bound and wall rates swing with the load: the
    # ratios of CPU per domain say what the store costs.
    print(
        f"store / JSONL only: rate {rates[1] / rates[0]:.0%}, CPU-bound rate "
        f"{cpus[0] / cpus[1]:.0%} (target at least 80%)"
    )
    print(
        f"re-crawl / first crawl into the store: rate {rates[2] / rates[1]:.1f}x, CPU-bound "
        f"{cpus[1] / cpus[2]:.2f}x (target 2x); start-up (a crawl of {_STARTUP_DOMAINS} "
        f"sites) {first_startup:.2f} s and {recrawl_startup:.2f} s of CPU, beyond it "
        + (f"{beyond:.2f}x" if beyond is not None else "n/a")
    )
    print(
        f"bodies after the first crawl {bodies[0]}, after the re-crawl {bodies[1]}; "
        f"{unchanged} fetches answered 304 of {2 * domains}; store {size / 1e6:.1f} MB"
    )
    return measured


def _startup(command: list[str], work: Path) -> tuple[float, float]:
    """The CPU time of a first crawl into a new store and of its all-304 re-crawl, of
    :data:`_STARTUP_DOMAINS` sites: what a crawl costs before and after its domains."""
    listed = work / "startup.txt"
    listed.write_text("".join(f"site{i}.com\n" for i in range(_STARTUP_DOMAINS)))
    store = work / "startup.sqlite"
    for old in work.glob("startup.sqlite*"):
        old.unlink()
    small = [str(listed) if part == str(work / "domains.txt") else part for part in command]
    small += ["--overwrite", "--store", str(store)]
    return _timed(small)[2], _timed([*small, "--refresh"])[2]


def _server_cpu(data: Path) -> float:
    """CPU seconds used so far by a PostgreSQL server: its postmaster, the children it
    reaped (backends that ended) and those still running."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(x) for x in fields[11:15]) / ticks  # utime stime cutime cstime
        elif parent == postmaster:
            total += sum(int(x) for x in fields[11:13]) / ticks
    return total


def _compare_postgres(command: list[str], work: Path, args: argparse.Namespace) -> None:
    """One SQLite process, then 1, 2 and 4 workers on one PostgreSQL crawl."""
    sys.path[:0] = [str(Path(__file__).resolve().parents[1])]
    import psycopg
    from tests.postgres import PostgresServer

    # The crawl options without the JSONL output (a shared crawl keeps its results in the
    # store); the subcommand's name is adstxt crawl, which --crawl and --join belong to.
    base = [sys.executable, "-m", "adstxt", "crawl", *command[4:]]
    for flag in ("-o", "--processes"):
        if flag in base:
            del base[base.index(flag) : base.index(flag) + 2]
    domains = str(work / "domains.txt")
    sqlite = [*base, domains, "--store", str(work / "store.sqlite"), "--processes", "1"]
    rate, elapsed, cpu, _ = _timed(sqlite)
    domain_count = args.domains
    size = sum(p.stat().st_size for p in work.glob("store.sqlite*"))
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {args.domains} domains, "
        f"latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency} per process"
    )
    print(
        f"{'SQLite, 1 process':<22} {args.domains / elapsed:8,.0f} domains/s (wall, start-up "
        f"included; {rate:,.0f}/s by its summary)  crawler CPU "
        f"{cpu / domain_count * 1e6:,.0f} us per domain  store "
        f"{size / domain_count / 1024:.1f} KiB per domain"
    )
    with PostgresServer(durable=True) as server:
        for workers in args.workers:
            url = server.create_database()
            shared = [*base, "--store", url, "--batch", str(args.batch)]
            before = _server_cpu(server.data)
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.monotonic()
            first = subprocess.Popen(
                [*shared, "--crawl", "bench", domains], stdout=subprocess.PIPE, text=True
            )
            with psycopg.connect(url, autocommit=True) as db:
                while True:  # the others join once the first has enqueued the crawl
                    with contextlib.suppress(psycopg.Error):
                        if db.execute("SELECT count(*) FROM queue_workers").fetchone()[0]:
                            break
                    time.sleep(0.02)
                others = [
                    subprocess.Popen([*shared, "--join", "bench"], stdout=subprocess.PIPE)
                    for _ in range(workers - 1)
                ]
                for process in [first, *others]:
                    process.communicate()
                    if process.returncode != 0:
                        raise SystemExit(f"a worker failed ({process.returncode})")
                elapsed = time.monotonic() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                crawler_cpu = (after.ru_utime + after.ru_stime) - (
                    children.ru_utime + children.ru_stime
                )
                time.sleep(0.3)  # the backends of the closed connections are reaped
                database_cpu = _server_cpu(server.data) - before
                stored = db.execute("SELECT count(*) FROM fetches").fetchone()[0]
                size = db.execute("SELECT pg_database_size(current_database())").fetchone()[0]
                queue = db.execute("SELECT pg_total_relation_size('queue_domains')").fetchone()[0]
            print(
                f"{f'PostgreSQL, {workers} worker(s)':<22} {stored / elapsed:8,.0f} domains/s "
                f"(wall, start-up included)  crawler CPU "
                f"{crawler_cpu / stored * 1e6:,.0f} us per domain  database CPU "
                f"{database_cpu / stored * 1e6:,.0f} us per domain  "
                f"database {size / stored / 1024:.1f} KiB per domain "
                f"(queue {queue / stored / 1024:.2f} KiB)"
            )
            if workers != args.workers[-1]:
                server.drop_database(url)
        # What a daily re-crawl adds: the last database crawled again (every file unchanged,
        # answered 304 to the conditional request), one worker.
        with psycopg.connect(url, autocommit=True) as db:
            before_size = db.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        again = subprocess.run(
            [*shared, "--crawl", "bench-again", domains, "--refresh"],
            capture_output=True,
            text=True,
            check=False,
        )
        if again.returncode != 0:
            raise SystemExit(f"the re-crawl failed: {again.stderr}")
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("VACUUM")
            after_size = db.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            unchanged = db.execute("SELECT sum(unchanged) FROM fetches").fetchone()[0]
        print(
            f"re-crawl, all 304 ({unchanged} unchanged): the database grew by "
            f"{(after_size - before_size) / args.domains / 1024:.2f} KiB per domain"
        )
        server.drop_database(url)


if __name__ == "__main__":
    main()
