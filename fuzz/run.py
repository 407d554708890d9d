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
import os
import re
import shlex
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
# The final line of one process ("#N DONE cov: ..."), or the progress lines of -fork=N.
_STATS = re.compile(rb"#(\d+):?\s+(?:DONE\s+)?cov: (\d+) ft: (\d+)")


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

    # With -fork=N libFuzzer starts its workers by running argv[0] with its own flags: the
    # wrapper _run wrote runs this file's child mode for the same target.
    program = os.environ.get("ADSTXT_FUZZ_CHILD", sys.argv[0])
    atheris.Setup([program, *sys.argv[3:]], one_input)
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
        env = {**_env(), "PYTHONPATH": str(HERE)}
        child = None
        if jobs > 1:
            command[5:5] = [f"-fork={jobs}"]
            child = Path(corpus).parent / f"adstxt-fuzz-{target}-child"
            child.write_text(
                f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(__file__)} "
                f'--child {target} "$@"\n'
            )
            child.chmod(0o700)
            env["ADSTXT_FUZZ_CHILD"] = str(child)
        print(f"fuzzing {target} for {seconds} s from {seeded} seed files", flush=True)
        try:
            result = subprocess.run(command, capture_output=True, check=False, env=env)
        finally:
            if child is not None:
                child.unlink(missing_ok=True)
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
        # progress log on stderr: the traceback whole, then only the log's end (with -fork,
        # where the workers' output, traceback included, is in that log, more of it).
        sys.stdout.write(result.stdout.decode("utf-8", "replace")[-20000:])
        sys.stdout.write(result.stderr.decode("utf-8", "replace")[-3000 if jobs == 1 else -20000 :])
        print(f"{target}: FAILED (exit {result.returncode}); the input is in {crashes}/")
    return result.returncode


def _env() -> dict[str, str]:
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
