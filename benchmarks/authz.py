"""Authorization lookups and supply-chain verification: index build, lookups, bid requests.

    python benchmarks/authz.py [--files 10000] [--sellers-files 50] [--requests 50000]

Generates (seeded) a mirror directory of ``--files`` ads.txt files (20 to 60 records each
over ``--sellers-files`` ad systems) and ``--sellers-files`` sellers.json files, plus a
JSONL stream of bid requests with 3-node chains (realistic requests: imp, site, device,
user, source), then measures, in CPU time of this process (best of ``--repeat``):

* **index build**: reading and parsing every file of the mirror (``AuthorizationIndex.load``)
  and every sellers.json;
* **single lookups**: ``AuthorizationIndex.lookup`` over questions drawn from every
  publisher (half hits, a quarter relationship questions, a quarter misses); the first pass
  also works out which file governs each publisher;
* **bid requests**: ``Verifier.verify_lines`` over the JSONL stream (decode, find the
  chain, validate it, look every node up in its sellers.json and the first node in the
  publisher's ads.txt) against a loop that only ``json.loads`` each line, in the same run.
  Target: at least 0.5x the requests per second of the loop.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from adstxt.authorization import AuthorizationIndex, MirrorSource
from adstxt.schain import Verifier


def _systems(count: int) -> list[str]:
    return [f"adsystem{n}.com" for n in range(count)]


def generate(root: Path, files: int, sellers_files: int, seed: int = 7) -> list[str]:
    """Write the mirror; return the publisher domains."""
    rng = random.Random(seed)
    systems = _systems(sellers_files)
    publishers = [f"publisher{n}.com" for n in range(files)]
    sellers: dict[str, list[dict[str, object]]] = {s: [] for s in systems}
    for n, publisher in enumerate(publishers):
        folder = root / publisher
        folder.mkdir(parents=True)
        lines = [
            f"# ads.txt of {publisher}",
            f"OWNERDOMAIN={publisher}",
            f"CONTACT=ads@{publisher}",
        ]
        for system in rng.sample(systems, rng.randint(20, 60) // 2):
            lines.append(f"{system}, pub-{n + 1}, DIRECT")
            lines.append(f"{system}, {rng.randrange(100_000)}, RESELLER")
        (folder / "ads.txt").write_text("\n".join(lines) + "\n")
    for system in systems:
        entries = [
            {
                "seller_id": f"pub-{n + 1}",
                "seller_type": "PUBLISHER",
                "name": f"Publisher {n}",
                "domain": f"publisher{n}.com",
            }
            for n in range(files)
        ]
        entries.extend(
            {
                "seller_id": str(n),
                "seller_type": "INTERMEDIARY",
                "name": f"Reseller {n}",
                "domain": f"reseller{n}.com",
            }
            for n in range(0, 100_000, 97)
        )
        sellers[system] = entries
        folder = root / system
        folder.mkdir()
        (folder / "sellers.json").write_text(
            json.dumps({"version": "1.0", "sellers": entries}, separators=(", ", ": "))
        )
    return publishers


def bid_requests(
    index: AuthorizationIndex, publishers: list[str], count: int, seed: int = 11
) -> list[bytes]:
    """JSONL lines of bid requests with 3-node chains whose first node the publisher's
    ads.txt lists (so the whole chain is walked)."""
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        publisher = rng.choice(publishers)
        parsed = index.governing_file(publisher).parsed
        assert parsed is not None
        direct = [r for r in parsed.records if r.relationship.value == "DIRECT"]
        first = rng.choice(direct)
        second = rng.choice(_systems(50))
        third = rng.choice(_systems(50))
        request = {
            "id": f"req-{n}",
            "imp": [
                {
                    "id": "1",
                    "banner": {
                        "w": 300,
                        "h": 250,
                        "format": [{"w": 300, "h": 250}, {"w": 300, "h": 600}],
                    },
                    "bidfloor": 0.5,
                    "bidfloorcur": "USD",
                    "secure": 1,
                }
            ],
            "site": {
                "id": f"site-{n % 1000}",
                "domain": publisher,
                "page": f"https://{publisher}/articles/{n}",
                "publisher": {"id": first.account_id, "domain": publisher},
            },
            "device": {
                "ua": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
                "ip": "203.0.113.7",
                "devicetype": 2,
                "language": "en",
            },
            "user": {"id": f"user-{rng.randrange(10**9)}"},
            "tmax": 300,
            "cur": ["USD"],
            "source": {
                "schain": {
                    "ver": "1.0",
                    "complete": 1,
                    "nodes": [
                        {"asi": first.domain, "sid": first.account_id, "hp": 1},
                        {
                            "asi": second,
                            "sid": str(97 * rng.randrange(1000)),
                            "hp": 1,
                            "rid": f"req-{n}-b",
                        },
                        {
                            "asi": third,
                            "sid": str(97 * rng.randrange(1000)),
                            "hp": 1,
                            "rid": f"req-{n}-c",
                        },
                    ],
                }
            },
        }
        lines.append(json.dumps(request).encode() + b"\n")
    return lines


def cpu(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--sellers-files", type=int, default=50)
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"python {platform.python_version()}, "
        f"ADSTXT_PURE_PYTHON={os.environ.get('ADSTXT_PURE_PYTHON', '')!r}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        publishers = generate(root, args.files, args.sellers_files)
        print(
            f"generated {args.files:,} ads.txt and {args.sellers_files} sellers.json files "
            f"in {time.perf_counter() - start:.1f} s"
        )

        index = AuthorizationIndex(MirrorSource(root))
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        files = index.load(("ads.txt",))
        ads_cpu = time.process_time() - start_cpu
        for system in _systems(args.sellers_files):
            index.seller(system, "0")
        build_cpu = time.process_time() - start_cpu
        print(
            f"index build: {files:,} ads.txt files in {ads_cpu:.2f} s CPU "
            f"({files / ads_cpu:,.0f} files/s); with the {args.sellers_files} sellers.json "
            f"files {build_cpu:.2f} s CPU, {time.perf_counter() - start_wall:.2f} s wall"
        )

        rng = random.Random(3)
        questions = []
        for _ in range(args.lookups):
            publisher = rng.choice(publishers)
            number = int(publisher[len("publisher") : -len(".com")]) + 1
            system = rng.choice(_systems(args.sellers_files))
            kind = rng.random()
            if kind < 0.5:
                questions.append((publisher, system, f"pub-{number}", None))
            elif kind < 0.75:
                questions.append((publisher, system, f"pub-{number}", "RESELLER"))
            else:
                questions.append((publisher, system, str(rng.randrange(100_000)), None))

        def ask_all() -> None:
            lookup = index.lookup
            for publisher, system, seller, relationship in questions:
                lookup(publisher, system, seller, relationship)

        first = cpu(ask_all, 1)
        again = cpu(ask_all, args.repeat)
        print(
            f"single lookups: {len(questions) / again:,.0f}/s (target: 500,000/s); the first "
            f"pass, which also finds each publisher's governing file, "
            f"{len(questions) / first:,.0f}/s"
        )

        lines = bid_requests(index, publishers, args.requests)
        verifier = Verifier(index)

        def loads_only() -> None:
            loads = json.loads
            for line in lines:
                loads(line)

        verdicts: dict[str, int] = {}

        def verify_all() -> None:
            verdicts.clear()
            for _, result in verifier.verify_lines(iter(lines)):
                verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1

        # The first pass meets every node for the first time; later passes are those of a
        # running service that has seen the sellers before.
        first_pass = cpu(verify_all, 1)
        floor = cpu(loads_only, args.repeat)
        verified = cpu(verify_all, args.repeat)
        ratio = floor / verified
        print(
            f"bid requests ({sum(map(len, lines)) / len(lines):,.0f} bytes each, 3-node "
            f"chains): json.loads only {len(lines) / floor:,.0f}/s; verified "
            f"{len(lines) / verified:,.0f}/s = {ratio:.2f}x (target: 0.5x); the first pass "
            f"{len(lines) / first_pass:,.0f}/s = {floor / first_pass:.2f}x; verdicts "
            f"{dict(sorted(verdicts.items()))}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
