"""Coverage-guided fuzzing of the parser, the fixer and the report formats with atheris.

    python fuzz/run.py parse --seconds 60
    python fuzz/run.py all --seconds 10      # each target in turn (what CI runs)

The corpus is seeded from the real files in ../shared/corpus/real (when present), the
examples and the test data. A failing input is written to fuzz/crashes/; copy it into
tests/fuzz_regressions/ and the test suite replays it from then on. atheris installs with
``pip install -e '.[fuzz]'``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = [
    ROOT.parent / "shared" / "corpus" / "real",
    ROOT / "examples",
    ROOT / "tests" / "data",
    ROOT / "tests" / "fuzz_regressions",
]
_STATS = re.compile(rb"#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+)")


def _seed(directory: Path) -> int:
    count = 0
    for source in SEEDS:
        if not source.is_dir():
            continue
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.stat().st_size <= 16384:
                shutil.copy(path, directory / f"seed-{count:05d}")
                count += 1
    return count


def _fuzz_one(target: str) -> None:
    """Run inside the child process: the fuzzer proper."""
    import atheris

    with atheris.instrument_imports():
        from fuzz_targets import TARGETS

        import adstxt  # noqa: F401  (instrumented for coverage)

    check = TARGETS[target]

    def one_input(data: bytes) -> None:
        check(data)

    atheris.Setup(sys.argv[:1] + sys.argv[3:], one_input)
    atheris.Fuzz()


def _run(target: str, seconds: int, jobs: int) -> int:
    crashes = HERE / "crashes"
    crashes.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"adstxt-fuzz-{target}-") as corpus:
        seeded = _seed(Path(corpus))
        command = [
            sys.executable,
            __file__,
            "--child",
            target,
            f"-max_total_time={seconds}",
            "-max_len=16384",
            "-rss_limit_mb=2048",
            "-timeout=20",
            f"-artifact_prefix={crashes}/{target}-",
            "-print_final_stats=1",
            corpus,
        ]
        if jobs > 1:
            command[5:5] = [f"-fork={jobs}"]
        print(f"fuzzing {target} for {seconds} s from {seeded} seed files", flush=True)
        result = subprocess.run(
            command, capture_output=True, check=False, env={**_env(), "PYTHONPATH": str(HERE)}
        )
    output = result.stdout + result.stderr
    stats = _STATS.findall(output)
    if stats:
        runs, cov, features = stats[-1]
        print(
            f"{target}: {int(runs):,} executions, coverage {int(cov)} edges, "
            f"{int(features)} features",
            flush=True,
        )
    if result.returncode != 0:
        # atheris prints the failing check's traceback on stdout and libFuzzer its long
        # progress log on stderr: the traceback whole, then only the log's end.
        sys.stdout.write(result.stdout.decode("utf-8", "replace")[-20000:])
        sys.stdout.write(result.stderr.decode("utf-8", "replace")[-3000:])
        print(f"{target}: FAILED (exit {result.returncode}); the input is in {crashes}/")
    return result.returncode


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _fuzz_one(sys.argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=("parse", "fix", "report", "all"))
    parser.add_argument("--seconds", type=int, default=60, help="time per target")
    parser.add_argument("--jobs", type=int, default=1, help="parallel fuzzing processes")
    args = parser.parse_args()
    targets = ("parse", "fix", "report") if args.target == "all" else (args.target,)
    return max(_run(target, args.seconds, args.jobs) for target in targets)


if __name__ == "__main__":
    raise SystemExit(main())
