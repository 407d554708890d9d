"""The forward audit at scale: many publishers times many expected lines, from a mirror.

    python benchmarks/audit.py [--publishers 100000] [--expected 50] [--repeat 3]

Generates (seeded) a mirror directory of ``--publishers`` ads.txt files over the 30 real
ad systems of ``generate.py``, and an expected lines file of ``--expected`` records (plus
a MANAGERDOMAIN line). Each publisher's file holds most expected lines (85%), some with
another relationship, certification ID or seller ID, and 20 to 40 lines of its own; 4% of
publishers have no file and 1% serve an HTML page. LF and CRLF files, with and without a
final newline. Then it runs ``adstxt audit --expect`` as a fresh process for each output
format, ``--repeat`` times, and prints the wall time of each run (start-up and writing the
results included) and its CPU time (the audit process and its workers, which other load on
a shared machine does not inflate): best, median and worst.
Target: under 60 s for 100,000 publishers x 50 expected lines.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import AD_SYSTEMS  # noqa: E402  (the real ad systems run.py uses)

_SYSTEMS = [domain for domain, _, _ in AD_SYSTEMS]


def _seller(system: str, rng: random.Random) -> str:
    # Google's account IDs have a form of their own, which the checker enforces.
    if system == "google.com":
        return f"pub-{rng.randint(10**15, 10**16 - 1)}"
    return str(rng.randint(1000, 10**7))


def _expected(count: int, rng: random.Random) -> list[tuple[str, str, str, str | None]]:
    lines = []
    for number in range(count):
        system, certification, _ = AD_SYSTEMS[number % len(AD_SYSTEMS)]
        seller = _seller(system, rng)
        relationship = "DIRECT" if number % 3 == 0 else "RESELLER"
        lines.append((system, seller, relationship, certification or None))
    return lines


def _line(system: str, seller: str, relationship: str, certification: str | None) -> str:
    return ", ".join([system, seller, relationship, *([certification] if certification else [])])


def generate(directory: Path, publishers: int, expected: int, seed: int = 19) -> Path:
    """Write the mirror, the expected lines and the publishers list; return the list."""
    rng = random.Random(seed)
    wanted = _expected(expected, rng)
    (directory / "expected.txt").write_text(
        "MANAGERDOMAIN=example-group.com\n" + "".join(_line(*line) + "\n" for line in wanted),
        encoding="utf-8",
    )
    mirror = directory / "mirror"
    mirror.mkdir()
    names = []
    for number in range(publishers):
        name = f"publisher-{number}.com"
        names.append(name)
        roll = rng.random()
        if roll < 0.04:
            continue  # no file
        folder = mirror / name
        folder.mkdir()
        if roll < 0.05:
            (folder / "ads.txt").write_text("<html><body>Not found</body></html>\n")
            continue
        lines = [f"OWNERDOMAIN={name}"]
        if rng.random() < 0.9:
            lines.append("MANAGERDOMAIN=example-group.com")
        for system, seller, relationship, certification in wanted:
            pick = rng.random()
            if pick < 0.85:
                lines.append(_line(system, seller, relationship, certification))
            elif pick < 0.89:
                other = "RESELLER" if relationship == "DIRECT" else "DIRECT"
                lines.append(_line(system, seller, other, certification))
            elif pick < 0.92:
                lines.append(_line(system, seller, relationship, "f" * 16))
            elif pick < 0.95:
                lines.append(_line(system, seller + "9", relationship, certification))
        for _ in range(rng.randint(20, 40)):
            system = rng.choice(_SYSTEMS)
            lines.append(_line(system, _seller(system, rng), "RESELLER", None))
        ending = "\r\n" if rng.random() < 0.2 else "\n"
        text = ending.join(lines) + (ending if rng.random() < 0.9 else "")
        (folder / "ads.txt").write_bytes(text.encode())
    listing = directory / "publishers.txt"
    listing.write_text("".join(name + "\n" for name in names), encoding="utf-8")
    return listing


def _run(directory: Path, form: str) -> tuple[float, float]:
    """Wall time and CPU time (of the audit and its worker processes) of one run."""
    command = [
        sys.executable,
        "-m",
        "adstxt",
        "audit",
        "--expect",
        str(directory / "expected.txt"),
        "--source",
        str(directory / "mirror"),
        str(directory / "publishers.txt"),
        "--output-format",
        form,
        "--progress",
        "never",
        "-o",
        str(directory / f"result.{form}"),
    ]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=environment, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode())
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publishers", type=int, default=100_000)
    parser.add_argument("--expected", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="text,json,csv")
    parser.add_argument(
        "--directory",
        type=Path,
        help="generate the mirror here, or reuse the one an earlier run generated here",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from adstxt._engine_choice import ENGINE

    print(f"python {platform.python_version()}, checker: {ENGINE}")
    with tempfile.TemporaryDirectory(prefix="adstxt-audit-bench-") as name:
        directory = args.directory or Path(name)
        started = time.perf_counter()
        if not (directory / "publishers.txt").is_file():
            directory.mkdir(parents=True, exist_ok=True)
            generate(directory, args.publishers, args.expected)
            print(
                f"generated {args.publishers:,} publishers x {args.expected} expected lines "
                f"in {time.perf_counter() - started:.1f} s"
            )
        count = len((directory / "publishers.txt").read_text().splitlines())
        for form in args.formats.split(","):
            runs = [_run(directory, form) for _ in range(args.repeat)]
            walls = [wall for wall, _ in runs]
            cpus = [cpu for _, cpu in runs]
            size = (directory / f"result.{form}").stat().st_size
            print(
                f"{form:5} wall best {min(walls):6.1f} s median {statistics.median(walls):6.1f} s "
                f"worst {max(walls):6.1f} s | CPU best {min(cpus):6.1f} s median "
                f"{statistics.median(cpus):6.1f} s worst {max(cpus):6.1f} s | "
                f"{count:,} publishers, output {size / 1e6:,.1f} MB"
            )


if __name__ == "__main__":
    main()
