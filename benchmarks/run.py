"""Throughput of adstxt beside a bare-Python floor loop measured in the same run.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--repeat 3]
                             [--stream-lines 20000000] [--no-cli] [--no-corpus]
                             [--process-lines 1000000] [--fix-sizes 100000,200000]
                             [--memory-lines 3000000]

The floor decodes, splits lines, drops comments and splits and strips fields: the least any
Python ads.txt parser does. Throughput figures are lines per second, best of ``--repeat``
runs taken in turn (floor, parse, check, stream, floor, ...), in CPU time of the process so
that other load on a shared machine does not count; each ratio is to the floor of the same
file in the same run. Then: the peak memory of a streamed check (in a child process), the
command line's start-up time (wall clock), the real-world corpus in
``../shared/corpus/real/`` when present, how pathological lines scale, and with
``--stream-lines`` a streamed check of a file of that many lines. Last, whole processes as
a user runs them, in CPU time of the child process beside a whole-process run of the floor:
``adstxt check`` and its JSON and SARIF output on a clean file, ``--diff`` and ``--fix`` at
two sizes (to show they grow linearly), and the peak memory of ``adstxt-check`` on a big file.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import adstxt  # noqa: E402
from adstxt._api import STREAM_SELLERS  # noqa: E402
from generate import generate, generate_lines  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real"

#: The product targets: ratios to the floor, and limits for memory and start-up.
CHECK_TARGET = 0.6
PARSE_TARGET = 0.5
DIRTY_TARGET = 0.8
STREAM_MB_TARGET = 100
STARTUP_TARGET = 1.2
#: A file whose every line names a new ad system, checked, as a ratio to its own floor.
DISTINCT_TARGET = 0.25
DISTINCT_LINES = 200_000
#: Whole processes: ``adstxt check`` against a whole-process run of the floor.
PROCESS_TARGET = 0.7
DOCUMENT_TARGET = 0.5  # --output-format json and sarif
FIX_TARGET = 0.3  # --diff and --fix on a file with a fix every 250 lines
CHECK_MB_TARGET = 100  # peak RSS of adstxt-check


#: In-process timings use this process's CPU time, so other load on a shared machine does
#: not count; for this single-threaded code it equals wall time on an idle machine.
clock = time.process_time


def floor(data: bytes) -> int:
    """The baseline loop."""
    count = 0
    for line in data.decode("utf-8").splitlines():
        cut = line.find("#")
        if cut >= 0:
            line = line[:cut]
        count += len([field.strip() for field in line.split(",")])
    return count


def stream(data: bytes) -> int:
    return sum(1 for _ in adstxt.iter_parse(io.BytesIO(data), records=False))


FUNCTIONS: dict[str, Callable[[bytes], object]] = {
    "floor": floor,
    "parse": adstxt.parse,
    "check": adstxt.check,
    "stream": stream,
}


def best_of(data: bytes, repeat: int) -> dict[str, float]:
    """Best time of each function, the functions taking turns."""
    best = dict.fromkeys(FUNCTIONS, float("inf"))
    for _ in range(repeat):
        for name, function in FUNCTIONS.items():
            start = clock()
            function(data)
            best[name] = min(best[name], clock() - start)
    return best


def child_env() -> dict[str, str]:
    """The environment for child processes: bytecode caching on, as on a user's machine."""
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


_PEAK = """
import resource, sys, time
import adstxt
start = time.process_time()
with open(sys.argv[1], "rb") as file:
    count = sum(1 for _ in adstxt.iter_parse(file, records=False))
took = time.process_time() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # ru_maxrss can include the parent's memory from before exec; VmHWM cannot
    with open("/proc/self/status") as status:
        peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(took, count, peak_kb)
"""


def streamed_in_child(path: Path) -> tuple[float, int, float]:
    """Time, diagnostics and peak RSS (MB) of a streamed check of ``path`` in a new process."""
    run = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    took, count, peak_kb = run.stdout.split()
    return float(took), int(count), int(peak_kb) / 1024


Results = dict[tuple[int, bool], dict[str, float]]


def throughput(sizes: list[int], repeat: int, tmp: Path) -> Results:
    print(
        f"{'file':<16}{'floor':>11}{'parse':>11}{'ratio':>7}{'check':>11}{'ratio':>7}"
        f"{'stream':>11}{'ratio':>7}{'peak MB':>9}"
    )
    results = {}
    for size in sizes:
        for dirty in (False, True):
            data = generate(size, dirty=dirty)
            times = best_of(data, repeat)
            rates = {name: size / took for name, took in times.items()}
            results[size, dirty] = rates
            path = tmp / f"{size}-{'dirty' if dirty else 'clean'}.txt"
            path.write_bytes(data)
            peak = streamed_in_child(path)[2]
            path.unlink()
            base = rates["floor"]
            label = f"{size:,} {'dirty' if dirty else 'clean'}"
            print(
                f"{label:<16}{base:>11,.0f}"
                + "".join(
                    f"{rates[name]:>11,.0f}{rates[name] / base:>7.2f}"
                    for name in ("parse", "check", "stream")
                )
                + f"{peak:>9.0f}"
            )
    return results


def targets(results: Results) -> None:
    size = max(size for size, _ in results)
    clean = results[size, False]
    dirty = results[size, True]
    print(f"\nTargets on the {size:,}-line file (floor {clean['floor']:,.0f} lines/s):")
    rows = [
        ("check, clean", clean["check"] / clean["floor"], CHECK_TARGET, "x floor"),
        ("parse, clean", clean["parse"] / clean["floor"], PARSE_TARGET, "x floor"),
        ("check, dirty vs clean", dirty["check"] / clean["check"], DIRTY_TARGET, "x clean"),
        ("parse, dirty vs clean", dirty["parse"] / clean["parse"], DIRTY_TARGET, "x clean"),
    ]
    for label, value, target, unit in rows:
        verdict = "met" if value >= target else "NOT met"
        print(f"  {label:<24}{value:6.2f} {unit} (target {target}) {verdict}")


def distinct_lines(lines: int) -> bytes:
    """A file of ``lines`` records, each naming an ad system no other line names."""
    return "".join(f"ex{i}-ads.com, {i + 1}, DIRECT\n" for i in range(lines)).encode()


def distinct(repeat: int, lines: int = DISTINCT_LINES) -> None:
    """Every line a new ad-system domain: each is analysed once (suffix list, look-alikes,
    typos of well-known ad systems), so this times that analysis and its memo."""
    data = distinct_lines(lines)
    times = best_of(data, repeat)
    rates = {name: lines / took for name, took in times.items()}
    base = rates["floor"]
    print(f"\nDistinct ad systems ({lines:,} lines, best of {repeat}; floor {base:,.0f} lines/s):")
    for name in ("parse", "check", "stream"):
        print(f"  {name:<8}{rates[name]:>11,.0f} lines/s {rates[name] / base:6.2f} x floor")
    ratio = rates["check"] / base
    verdict = "met" if ratio >= DISTINCT_TARGET else "NOT met"
    print(f"  check / floor {ratio:6.2f} x (target {DISTINCT_TARGET}) {verdict}")


def wall(command: list[str], runs: int) -> float:
    """Best wall time of a command, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env=child_env())
        best = min(best, time.perf_counter() - start)
    return best


def startup(tmp: Path, runs: int) -> None:
    cli = Path(sys.executable).with_name("adstxt-check")
    one = tmp / "ads.txt"
    one.write_text("google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n")
    big = tmp / "big" / "ads.txt"
    big.parent.mkdir()
    big.write_bytes(generate(100_000))
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import tldextract"': [sys.executable, "-c", "import tldextract"],
        'python -c "import adstxt"': [sys.executable, "-c", "import adstxt"],
        "adstxt-check, 1-line file": [str(cli), str(one)],
        "adstxt-check, 100k-line file": [str(cli), str(big)],
    }
    for command in commands.values():
        wall(command, 1)  # warm the file cache and write bytecode caches
    times = {label: wall(command, runs) for label, command in commands.items()}
    print(f"\nStart-up (best wall time of {runs} runs):")
    for label, took in times.items():
        print(f"  {label:<32}{took * 1000:8.0f} ms")
    ratio = times["adstxt-check, 1-line file"] / times['python -c "import tldextract"']
    verdict = "met" if ratio <= STARTUP_TARGET else "NOT met"
    print(
        f"  1-line check / import tldextract {ratio:8.2f} x (target <= {STARTUP_TARGET}) {verdict}"
    )


def corpus() -> None:
    if not CORPUS.is_dir():
        print(f"\nCorpus: {CORPUS} is not here; skipped.")
        return
    files = [path.read_bytes() for path in sorted(CORPUS.iterdir()) if path.is_file()]
    lines = sum(data.count(b"\n") + (not data.endswith(b"\n")) for data in files)
    took = {}
    for name in ("floor", "check"):
        function = FUNCTIONS[name]
        best = float("inf")
        for _ in range(3):
            start = clock()
            for data in files:
                # the floor only reads UTF-8; the checker reads anything
                with contextlib.suppress(UnicodeDecodeError):
                    function(data)
            best = min(best, clock() - start)
        took[name] = best
    print(
        f"\nCorpus: {len(files)} real files, {lines:,} lines, {sum(map(len, files)):,} bytes: "
        f"check {lines / took['check']:,.0f} lines/s ({took['check'] * 1000:.0f} ms), "
        f"floor {lines / took['floor']:,.0f} lines/s"
    )


#: Inputs built to make a checker slow: each is a function of its size n.
PATHOLOGICAL: dict[str, Callable[[int], str | bytes]] = {
    "commas": lambda n: "a.com" + "," * n,
    "fields": lambda n: "a.com, 1, DIRECT, " + ", ".join(["x"] * (n // 3)),
    "hashes": lambda n: "#" * n,
    "equals": lambda n: "A" + "=" * n,
    "semicolons": lambda n: "a.com, 1, DIRECT;" + ";" * n,
    "spaces": lambda n: " " * n + "a.com, 1, DIRECT",
    "tabs": lambda n: "a.com\t1\tDIRECT" + "\t" * n,
    "dots": lambda n: "." * n + "com, 1, DIRECT",
    "long label": lambda n: "b" * n + ".com, 1, DIRECT",
    "words": lambda n: " ".join(["word"] * (n // 5)),
    "glued records": lambda n: "a.com, 1, DIRECT" + "b.com, 1, DIRECT" * (n // 16),
    "no-break spaces": lambda n: "\u00a0" * n,
    "look-alikes": lambda n: "a\u200b,\uff0c" * (n // 4),
    "invalid bytes": lambda n: b"\xff" * n,
    "long line": lambda n: "x" * (n * 64),
    "repeated record": lambda n: "a.com, 1, DIRECT\n" * (n // 4),
    # Every line a new ad system: each domain is analysed once, so this times that analysis.
    "distinct ad systems": lambda n: "".join(
        f"ex{i}-ads.com, {i}, DIRECT\n" for i in range(n // 16)
    ),
    "blank lines": lambda n: "\n" * (n * 4),
    "CR line ends": lambda n: "a.com, 1, DIRECT\r" * (n // 4),
}


def pathological(n: int) -> None:
    """Time at size n and 4n: linear scaling gives a ratio near 4."""
    print(f"\nPathological inputs (best of 5; sizes n={n:,} and 4n characters or lines):")
    print(f"  {'input':<18}{'n':>10}{'4n':>10}{'ratio':>8}  diagnostics at 4n")
    for name, build in PATHOLOGICAL.items():
        times = []
        found: tuple[adstxt.Diagnostic, ...] = ()
        for size in (n, 4 * n):
            data = build(size)
            best = float("inf")
            for _ in range(5):
                start = clock()
                found = adstxt.check(data)
                best = min(best, clock() - start)
            times.append(best)
        codes = sorted({d.code for d in found})
        print(
            f"  {name:<18}{times[0] * 1000:>8.1f}ms{times[1] * 1000:>8.1f}ms"
            f"{times[1] / times[0]:>8.1f}  {len(found)}: {', '.join(codes[:5])}"
        )


def big_stream(lines: int, tmp: Path) -> None:
    """A streamed check of a generated file of ``lines`` lines, and of a quarter of it."""
    print(
        f"\nStreamed check of big files (child process, file on disk, "
        f"sellers past the first {STREAM_SELLERS:,} in the compact table):"
    )
    for size in (lines // 4, lines):
        path = tmp / f"stream-{size}.txt"
        with path.open("w", encoding="utf-8") as out:
            for line in generate_lines(size):
                out.write(line + "\n")
        took, count, peak = streamed_in_child(path)
        path.unlink()
        verdict = "met" if peak < STREAM_MB_TARGET else "NOT met"
        print(
            f"  {size:>12,} lines {took:8.1f} s {size / took:>11,.0f} lines/s "
            f"{count:>9,} diagnostics, peak RSS {peak:5.0f} MB "
            f"(target < {STREAM_MB_TARGET} MB) {verdict}"
        )


_FLOOR_SCRIPT = f"""
import sys
sys.path.insert(0, {str(HERE)!r})
from run import floor
with open(sys.argv[1], "rb") as file:
    floor(file.read())
"""

_MEASURED = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def measured(command: list[str]) -> tuple[float, float]:
    """CPU time (s) and peak RSS (MB) of a command run as its own process, start-up
    included; CPU time, so that other load on a shared machine does not count."""
    run = subprocess.run(
        [sys.executable, "-c", _MEASURED, *command],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    took, peak_kb = run.stdout.split()
    return float(took), int(peak_kb) / 1024


def spread(times: list[float]) -> str:
    """Best and worst of repeated runs."""
    return f"{min(times):6.2f} s (worst {max(times):6.2f})"


def processes(lines: int, runs: int, tmp: Path) -> None:
    """Whole processes on one clean file: the floor, adstxt check and its documents."""
    path = tmp / "whole" / "ads.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(generate(lines))
    cli = str(Path(sys.executable).with_name("adstxt"))
    commands = {
        "floor": [sys.executable, "-c", _FLOOR_SCRIPT, str(path)],
        "adstxt check": [cli, "check", str(path)],
        "--output-format json": [cli, "check", "--output-format", "json", str(path)],
        "--output-format sarif": [cli, "check", "--output-format", "sarif", str(path)],
    }
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            times[label].append(measured(command)[0])
    base = min(times["floor"])
    print(f"\nWhole processes on {lines:,} clean lines (CPU time, best of {runs}):")
    for label, taken in times.items():
        ratio = base / min(taken)
        target = {"adstxt check": PROCESS_TARGET}.get(label, DOCUMENT_TARGET)
        verdict = (
            ""
            if label == "floor"
            else (
                f"{ratio:5.2f} x floor (target {target}) {'met' if ratio >= target else 'NOT met'}"
            )
        )
        print(f"  {label:<24}{spread(taken)}  {verdict}")


def fixable(lines: int, every: int = 250) -> bytes:
    """A file with a safe fix every ``every`` lines: a relationship written in lower case
    or an exact repeat of the record before, alternately."""
    from generate import AD_SYSTEMS

    systems = [system for system in AD_SYSTEMS if system[0] != "google.com"]
    out = ["# ads.txt with fixable findings\n"]
    for number in range(1, lines):
        domain, cert, _ = systems[number % len(systems)]
        relationship = "DIRECT" if number % 3 else "RESELLER"
        line = f"{domain}, {number}, {relationship}" + (f", {cert}" if cert else "") + "\n"
        if number % every == 0:
            if (number // every) % 2:
                line = line.replace(relationship, relationship.lower())
            else:
                line += line
        out.append(line)
    return "".join(out).encode()


def fixing(sizes: list[int], runs: int, tmp: Path) -> None:
    """--diff and --fix at two sizes, against the floor on the same files."""
    cli = str(Path(sys.executable).with_name("adstxt-check"))
    print(f"\n--diff and --fix, one fix every 250 lines (CPU time, best of {runs}):")
    per_line: dict[str, list[float]] = {"--diff": [], "--fix": []}
    for size in sizes:
        path = tmp / f"fix-{size}.txt"
        data = fixable(size)
        times: dict[str, list[float]] = {"floor": [], "--diff": [], "--fix": []}
        for _ in range(runs):
            path.write_bytes(data)
            times["floor"].append(measured([sys.executable, "-c", _FLOOR_SCRIPT, str(path)])[0])
            times["--diff"].append(measured([cli, "--diff", "--isolated", str(path)])[0])
            times["--fix"].append(measured([cli, "--fix", "--isolated", str(path)])[0])
            path.write_bytes(data)
        base = min(times["floor"])
        for label in ("floor", "--diff", "--fix"):
            ratio = base / min(times[label])
            verdict = (
                ""
                if label == "floor"
                else (
                    f"{ratio:5.2f} x floor (target {FIX_TARGET}) "
                    f"{'met' if ratio >= FIX_TARGET else 'NOT met'}"
                )
            )
            print(f"  {size:>9,} lines {label:<8}{spread(times[label])}  {verdict}")
            if label != "floor":
                per_line[label].append(min(times[label]) / size)
    if len(sizes) > 1:
        for label, each in per_line.items():
            print(
                f"  {label}: time per line at {sizes[-1]:,} / at {sizes[0]:,} lines "
                f"{each[-1] / each[0]:5.2f} (1.0 is linear)"
            )


def check_memory(lines: int, tmp: Path) -> None:
    """Peak RSS of adstxt-check on a big file, in each output format."""
    path = tmp / "memory" / "ads.txt"
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for line in generate_lines(lines):
            out.write(line + "\n")
    cli = str(Path(sys.executable).with_name("adstxt-check"))
    print(
        f"\nPeak memory of adstxt-check on {lines:,} lines ({path.stat().st_size / 1e6:,.0f} MB):"
    )
    for output_format in ("concise", "full", "json", "github", "sarif"):
        took, peak = measured([cli, "--output-format", output_format, str(path)])
        verdict = "met" if peak < CHECK_MB_TARGET else "NOT met"
        print(
            f"  {output_format:<8}{peak:6.0f} MB, {took:6.1f} s "
            f"(target < {CHECK_MB_TARGET} MB) {verdict}"
        )
    path.unlink()


def describe_machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        ).stdout.strip()
    except OSError:
        commit = ""
    from adstxt._engine_choice import ENGINE

    return (
        f"adstxt {adstxt.__version__} ({commit or 'no git'}), checker {ENGINE}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs: {cpu}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--stream-lines",
        type=int,
        default=0,
        help="also stream-check a generated file of this many lines",
    )
    parser.add_argument("--no-cli", action="store_true", help="skip the start-up timings")
    parser.add_argument("--no-corpus", action="store_true", help="skip the real-file corpus")
    parser.add_argument(
        "--process-lines",
        type=int,
        default=1_000_000,
        help="lines of the file checked by whole processes (0: skip)",
    )
    parser.add_argument(
        "--fix-sizes", default="100000,200000", help="file sizes for --diff and --fix (empty: skip)"
    )
    parser.add_argument(
        "--memory-lines",
        type=int,
        default=3_000_000,
        help="lines of the file for adstxt-check's peak memory (0: skip)",
    )
    args = parser.parse_args()
    print(describe_machine())
    with tempfile.TemporaryDirectory(prefix="adstxt-bench-") as name:
        tmp = Path(name)
        # Warm up: tables and the suffix list load on first use, once per process.
        adstxt.parse(generate(1000, dirty=True))
        results = throughput([int(s) for s in args.sizes.split(",")], args.repeat, tmp)
        targets(results)
        distinct(max(3, args.repeat))
        if not args.no_cli:
            startup(tmp, runs=max(3, 2 * args.repeat))
        if not args.no_corpus:
            corpus()
        pathological(16_000)
        if args.process_lines:
            processes(args.process_lines, args.repeat, tmp)
        if args.fix_sizes:
            fixing([int(s) for s in args.fix_sizes.split(",")], args.repeat, tmp)
        if args.memory_lines:
            check_memory(args.memory_lines, tmp)
        if args.stream_lines:
            big_stream(args.stream_lines, tmp)


if __name__ == "__main__":
    main()
