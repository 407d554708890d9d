"""sellers.json: loading, indexing and validating beside a plain ``json.load``, and streaming.

    python benchmarks/sellers.py [--sellers 1000000] [--repeat 3] [--defects 0.001]

Generates a sellers.json file with ``--sellers`` entries (one per line, as ad systems publish
them; a ``--defects`` fraction of them has a problem to report), then times, each in a fresh
process and best of ``--repeat`` runs:

* ``json.load`` of the file (the floor);
* ``adstxt.sellers.parse``: decode, validate every field, index by seller_id and locate
  every diagnostic;
* ``adstxt.sellers.iter_check``: the streaming check, with its peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import adstxt

_RUNS = {
    "json.load": "import json\nwith open(path, 'rb') as f:\n    json.load(f)\ncount = 0",
    "parse": (
        "import adstxt.sellers\nwith open(path, 'rb') as f:\n"
        "    result = adstxt.sellers.parse(f.read())\ncount = len(result.diagnostics)"
    ),
    "iter_check": (
        "import adstxt.sellers\nwith open(path, 'rb') as f:\n"
        "    count = sum(1 for _ in adstxt.sellers.iter_check(f))"
    ),
}

_HARNESS = """
import resource, sys, time, json as _json
path = sys.argv[1]
{imports}
start = time.perf_counter()
{body}
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(_json.dumps({{"seconds": seconds, "peak_mib": peak, "diagnostics": count}}))
"""


def generate(path: Path, sellers: int, defects: float, seed: int = 7) -> None:
    """Write a sellers.json file shaped like a large exchange's."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '{\n  "contact_email": "adops@examplessp.com",\n  "version": "1.0",\n'
            '  "identifiers": [{"name": "TAG-ID", "value": "0123456789abcdef"}],\n'
            '  "sellers": [\n'
        )
        for n in range(sellers):
            kind = rng.random()
            if kind < 0.6:
                seller = {
                    "seller_id": str(1_000_000 + n),
                    "seller_type": "PUBLISHER",
                    "name": f"Publisher {n} Media",
                    "domain": f"publisher{n}.com",
                }
            elif kind < 0.85:
                seller = {
                    "seller_id": f"{n:08x}",
                    "seller_type": "INTERMEDIARY",
                    "name": f"Reseller {n} Ltd",
                    "domain": f"reseller{n % 5000}.co.uk",
                    "is_confidential": 0,
                }
            else:
                seller = {
                    "seller_id": str(1_000_000 + n),
                    "seller_type": "BOTH",
                    "is_confidential": 1,
                }
            if rng.random() < defects:
                seller.update(
                    rng.choice(
                        [
                            {"seller_type": "publisher"},
                            {"domain": "https://www.example.com/"},
                            {"seller_id": n},
                            {"directness": "DIRECT"},
                        ]
                    )
                )
            line = json.dumps(seller)
            out.write("    " + line + (",\n" if n + 1 < sellers else "\n"))
        out.write("  ]\n}\n")


def run(name: str, path: Path) -> dict[str, float]:
    imports = "import adstxt.sellers, adstxt._domains" if name != "json.load" else ""
    code = _HARNESS.format(imports=imports, body=_RUNS[name])
    output = subprocess.run(
        [sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sellers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--defects", type=float, default=0.001)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sellers.json"
        generate(path, args.sellers, args.defects)
        size = path.stat().st_size
        print(
            f"adstxt {adstxt.__version__}, Python {platform.python_version()}, "
            f"{platform.machine()}; {args.sellers:,} sellers, {size / 2**20:,.0f} MiB, "
            f"{args.defects:.2%} with a defect; best of {args.repeat}"
        )
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):
            for name in _RUNS:  # interleaved, so that machine load hits every run alike
                figures = run(name, path)
                if name not in best or figures["seconds"] < best[name]["seconds"]:
                    best[name] = figures
        floor = best["json.load"]["seconds"]
        print(f"{'run':<34}{'seconds':>9}{'ratio':>8}{'peak RSS':>11}{'diagnostics':>13}")
        labels = {
            "json.load": "json.load (floor)",
            "parse": "load + index + validate (parse)",
            "iter_check": "streaming check (iter_check)",
        }
        for name, figures in best.items():
            print(
                f"{labels[name]:<34}{figures['seconds']:>9.2f}"
                f"{figures['seconds'] / floor:>7.2f}x{figures['peak_mib']:>8.0f} MiB"
                f"{int(figures['diagnostics']):>13,}"
            )


if __name__ == "__main__":
    main()
