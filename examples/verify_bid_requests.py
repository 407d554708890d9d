"""Verify the supply chains of a JSONL file of bid requests against a mirror directory.

    python examples/verify_bid_requests.py examples/mirror examples/bid-requests.jsonl

Prints one line per request (its line number, the chain's verdict and the first reason)
and a count of verdicts; a line that is not JSON is reported and the stream goes on.
"""

from __future__ import annotations

import sys
from collections import Counter

from adstxt.authorization import AuthorizationIndex, MirrorSource
from adstxt.schain import Verifier


def main(mirror: str, requests: str) -> int:
    index = AuthorizationIndex(MirrorSource(mirror))
    verifier = Verifier(index)
    counts: Counter[str] = Counter()
    with open(requests, "rb") as stream:
        for number, result in verifier.verify_lines(stream):
            counts[result.verdict] += 1
            print(f"{number}: {result.verdict}: {result.reasons[0]}")
    print(", ".join(f"{verdict} {count}" for verdict, count in sorted(counts.items())))
    return 0 if set(counts) == {"valid"} else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} MIRROR_DIR BID_REQUESTS.jsonl")
    try:
        raise SystemExit(main(sys.argv[1], sys.argv[2]))
    except OSError as error:
        sys.exit(f"{sys.argv[0]}: {error.filename}: {error.strerror}")
